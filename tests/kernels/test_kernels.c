/* tests/kernels/test_kernels.c - every optimised kernel against its plain-C reference, as
 * FFmpeg's checkasm does: the same seeded random and edge-case input at every CPU level this
 * machine has, every tail length 1..257, misaligned pointers, and canaries past the end. */
#include "tests/testutil.h"

#include "detect/detect.h"
#include "detect/detect_internal.h"
#include "detect/kernels/kernels.h"

#include <float.h>
#include <stdlib.h>

#define MAXN   300
#define PAD    16
#define CANARY 0xA5

static uint32_t rng = 1;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

typedef struct level {
    const char *name;
    unsigned flags;
} level;

/* The levels to compare with the reference: only those this CPU runs. */
static int levels(level *out)
{
    hy_ctx *ctx;
    hy_ctx_config cfg;
    unsigned have;
    int n = 0;
    hy_ctx_config_init(&cfg);
    if (hy_ctx_create(&cfg, &ctx) != HY_OK)
        return 0;
    have = hy_ctx_cpu_flags(ctx);
    hy_ctx_destroy(ctx);
    if (have & HY_CPU_AVX2)
        out[n++] = (level){"avx2", HY_CPU_AVX2};
    else
        printf("\n    avx2: not on this CPU, not compared ");
    if (have & HY_CPU_AVX512)
        out[n++] = (level){"avx512", HY_CPU_AVX2 | HY_CPU_AVX512};
    else
        printf("\n    avx512: not on this CPU, not compared ");
    return n;
}

/* Values around every threshold of the fire tests, and IEEE specials. */
static float edge_float(void)
{
    static const float v[] = {0.0f,        -0.0f,      0.1f,      0.17f,   0.2f,
                              0.3f,        0.4f,       0.5f,      0.8f,    1.0f,
                              1.6f,        1.8f,       2.5f,      -0.1f,   NAN,
                              INFINITY,    -INFINITY,  FLT_MAX,   FLT_MIN, 1e-40f /* denormal */,
                              0.2f * 2.5f, 0.5000001f, 0.4999999f};
    return v[next() % (sizeof(v) / sizeof(v[0]))];
}

static float random_float(int edges)
{
    if (edges && next() % 3 == 0)
        return edge_float();
    return -0.2f + 1.8f * (float)(next() >> 8) / 16777216.0f;
}

static void test_fire_oli(void)
{
    level lv[2];
    int nl = levels(lv);
    static float in[4][MAXN + PAD];
    static uint8_t valid[MAXN + PAD], ref[MAXN + PAD], got[MAXN + PAD];
    int mismatches = 0, canary_hits = 0, runs = 0;
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 4; round++) {
            for (size_t n = 1; n <= 257; n++) {
                size_t off = next() % 4; /* misaligned starts */
                for (int b = 0; b < 4; b++)
                    for (size_t i = 0; i < n + off; i++)
                        in[b][i] = random_float(round & 1);
                for (size_t i = 0; i < n + off; i++)
                    valid[i] = next() % 8 ? 1 : 0;
                memset(ref, CANARY, sizeof(ref));
                memset(got, CANARY, sizeof(got));
                hy__fire_oli_ref(in[0] + off, in[1] + off, in[2] + off, in[3] + off, valid + off,
                                 ref + off, n);
                k.fire_oli(in[0] + off, in[1] + off, in[2] + off, in[3] + off, valid + off,
                           got + off, n);
                if (memcmp(ref, got, sizeof(ref)) != 0)
                    mismatches++;
                for (size_t i = n + off; i < MAXN + PAD; i++)
                    canary_hits += got[i] != CANARY;
                for (size_t i = 0; i < off; i++)
                    canary_hits += got[i] != CANARY;
                runs++;
            }
        }
        printf("\n    fire_oli %s: %d runs ", lv[l].name, runs);
    }
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(canary_hits, 0);
}

/* The bare-soil kernel: both sensors' libraries, and a small library with a margin each side
 * of 0 and a negative one so that the comparison sees both outcomes often; realistic
 * reflectances with IEEE specials and zeros mixed in, and invalid pixels, some in whole runs
 * (the SIMD versions skip a block with nothing valid). */
static void test_bare(void)
{
    level lv[2];
    int nl = levels(lv);
    static float in[6][MAXN + PAD];
    static uint8_t valid[MAXN + PAD], ref[MAXN + PAD], got[MAXN + PAD];
    static float small[2][5][HY__BARE_BANDS];
    hy__bare_model models[5];
    int nmodels = 0, mismatches = 0, canary_hits = 0, runs = 0, bare_seen = 0, clear_seen = 0;
    static const float taus[3] = {0.0f, 0.01f, -0.01f};
    models[nmodels++] = *hy__bare_model_for(HY_SENSOR_SENTINEL2);
    models[nmodels++] = *hy__bare_model_for(HY_SENSOR_LANDSAT8);
    for (int c = 0; c < 2; c++)
        for (int k = 0; k < 5; k++)
            for (int j = 0; j < HY__BARE_BANDS; j++)
                small[c][k][j] = (float)(next() >> 8) / 16777216.0f - 0.3f;
    for (int t = 0; t < 3; t++)
        models[nmodels++] = (hy__bare_model){(const float(*)[HY__BARE_BANDS])small[0], 5,
                                             (const float(*)[HY__BARE_BANDS])small[1], 5, taus[t]};
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int q = 0; q < nmodels; q++)
            for (size_t n = 1; n <= 257; n += (q < 2 ? 5 : 1)) {
                size_t off = next() % 4;
                const float *bref[6], *bgot[6];
                const int dead = next() % 4 == 0; /* a run of 16 invalid pixels */
                const size_t d0 = next() % (n + off);
                for (int b = 0; b < 6; b++)
                    for (size_t i = 0; i < n + off; i++)
                        in[b][i] = next() % 9 == 0
                                       ? edge_float()
                                       : 0.02f + 0.4f * (float)(next() >> 8) / 16777216.0f;
                for (size_t i = 0; i < n + off; i++)
                    valid[i] = next() % 8 ? 1 : 0;
                for (size_t i = d0; dead && i < d0 + 16 && i < n + off; i++)
                    valid[i] = 0;
                for (int b = 0; b < 6; b++)
                    bref[b] = bgot[b] = in[b] + off;
                memset(ref, CANARY, sizeof(ref));
                memset(got, CANARY, sizeof(got));
                hy__bare_ref(&models[q], bref, valid + off, ref + off, n);
                k.bare(&models[q], bgot, valid + off, got + off, n);
                if (memcmp(ref, got, sizeof(ref)) != 0)
                    mismatches++;
                for (size_t i = 0; i < n; i++) {
                    bare_seen += (ref[off + i] & HY_BARE_SOIL) != 0;
                    clear_seen += (ref[off + i] & HY_BARE_CLEAR) != 0;
                }
                for (size_t i = n + off; i < MAXN + PAD; i++)
                    canary_hits += got[i] != CANARY;
                for (size_t i = 0; i < off; i++)
                    canary_hits += got[i] != CANARY;
                runs++;
            }
        printf("\n    bare %s: %d runs ", lv[l].name, runs);
    }
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(canary_hits, 0);
    /* the input reaches both outcomes (a comparison that never sees a bare pixel proves
     * nothing) */
    ASSERT_TRUE(nl == 0 || (bare_seen > 1000 && clear_seen > 1000));
}

static uint8_t edge_byte(void)
{
    static const uint8_t v[] = {0, 1, 2, 59, 60, 61, 124, 125, 126, 127, 128, 200, 254, 255};
    return next() % 2 ? v[next() % sizeof(v)] : (uint8_t)next();
}

static void test_flame_rgb(void)
{
    level lv[2];
    int nl = levels(lv);
    static uint8_t r[MAXN + PAD], g[MAXN + PAD], b[MAXN + PAD], ref[MAXN + PAD], got[MAXN + PAD];
    int mismatches = 0, canary_hits = 0, flagged = 0;
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 8; round++) {
            /* the paper's thresholds, their extremes, and random ones */
            int rt = round == 0 ? 125 : round == 1 ? 0 : round == 2 ? 254 : (int)(next() % 255);
            int st = round == 0 ? 60 : round == 1 ? 255 : round == 2 ? 0 : (int)(next() % 256);
            for (size_t n = 1; n <= 257; n++) {
                size_t off = next() % 4;
                for (size_t i = 0; i < n + off; i++) {
                    /* half the pixels flame-like (R >= G > B) so both outcomes occur */
                    r[i] = edge_byte();
                    g[i] = next() % 2 ? (uint8_t)(r[i] ? next() % (r[i] + 1u) : 0) : edge_byte();
                    b[i] = next() % 2 ? (uint8_t)(g[i] ? next() % g[i] : 0) : edge_byte();
                }
                memset(ref, CANARY, sizeof(ref));
                memset(got, CANARY, sizeof(got));
                hy__flame_rgb_ref(r + off, g + off, b + off, rt, st, ref + off, n);
                k.flame_rgb(r + off, g + off, b + off, rt, st, got + off, n);
                if (memcmp(ref, got, sizeof(ref)) != 0)
                    mismatches++;
                for (size_t i = 0; i < MAXN + PAD; i++)
                    if (i < off || i >= n + off)
                        canary_hits += got[i] != CANARY;
                for (size_t i = off; i < n + off; i++)
                    flagged += ref[i] == 255;
            }
        }
        printf("\n    flame_rgb %s: compared ", lv[l].name);
    }
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(canary_hits, 0);
    if (nl > 0)
        ASSERT_TRUE(flagged > 1000); /* the inputs exercised both outcomes */
}

/* The reference itself, on pixels worked out by hand from Chen et al. 2004 with R_T = 125,
 * S_T = 60: S = 255 (R - B) / R must be >= (255 - R) 60 / 125. */
static void test_flame_rgb_reference(void)
{
    static const uint8_t r[] = {240, 125, 126, 200, 200, 130, 130, 200};
    static const uint8_t g[] = {140, 100, 100, 200, 201, 129, 120, 100};
    static const uint8_t b[] = {30, 50, 50, 10, 10, 128, 100, 100};
    /* 240,140,30: S 223 >= 7.2 yes. 125: R not > 125. 126,100,50: S 153.8 >= 61.9 yes.
     * 200,200,10: R >= G yes, S 242 >= 26.4 yes. 200,201: G > R no.
     * 130,129,128: S 3.9 < 60.0 no. 130,120,100: S 58.8 < 60.0 no.
     * 200,100,100: G > B no. */
    static const uint8_t want[] = {255, 0, 255, 255, 0, 0, 0, 0};
    uint8_t out[8];
    hy__flame_rgb_ref(r, g, b, 125, 60, out, 8);
    for (int i = 0; i < 8; i++)
        hy_test_check(out[i] == want[i], __LINE__, __FILE__, "pixel %d: %d vs %d", i, out[i],
                      want[i]);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"fire_oli", test_fire_oli},
                                    {"flame_rgb", test_flame_rgb},
                                    {"bare", test_bare},
                                    {"flame_rgb_reference", test_flame_rgb_reference},
                                    {NULL, NULL}};
    return hy_test_main("kernels", tests, argc, argv);
}
