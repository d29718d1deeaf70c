/* tests/kernels/test_kernels.c - every optimised kernel against its plain-C reference, as
 * FFmpeg's checkasm does: the same seeded random and edge-case input at every CPU level this
 * machine has, every tail length 1..257, misaligned pointers, and canaries past the end. */
#include "tests/testutil.h"

#include "detect/detect.h"
#include "detect/detect_internal.h"
#include "detect/kernels/kernels.h"
#include "ingest/kernels/kernels.h"

#include <libswscale/swscale.h>

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

/* n pixels, about half flame-like (R >= G > B) so that both outcomes of the colour tests occur */
static void flame_like(uint8_t *r, uint8_t *g, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        r[i] = edge_byte();
        g[i] = next() % 2 ? (uint8_t)(r[i] ? next() % (r[i] + 1u) : 0) : edge_byte();
        b[i] = next() % 2 ? (uint8_t)(g[i] ? next() % g[i] : 0) : edge_byte();
    }
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
                flame_like(r, g, b, n + off);
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
    {
        /* every R and B with G = R (so that R >= G > B is R > B), under 888 pairs of thresholds
         * (R_T 0, 7, ... 252; S_T 0, 11, ... 253): every value the saturation rule's two sides
         * take, and the pixels whose sides agree in their high 16 bits, where only the low
         * halves decide (the AVX2 version compares the halves apart) */
        static uint8_t rr[65536], gg[65536], bb[65536], want[65536], have[65536];
        long close = 0;
        int differ = 0;
        for (int i = 0; i < 65536; i++)
            rr[i] = gg[i] = (uint8_t)(i >> 8), bb[i] = (uint8_t)i;
        for (int rt = 0; rt <= 254; rt += 7)
            for (int st = 0; st <= 255; st += 11) {
                hy__flame_rgb_ref(rr, gg, bb, rt, st, want, 65536);
                for (int i = 0; i < 65536; i++) {
                    const long R = i >> 8, B = i & 255;
                    close +=
                        R > rt && R > B && ((R - B) * 255 * rt) >> 16 == ((255 - R) * st * R) >> 16;
                }
                for (int l = 0; l < nl; l++) {
                    hy__kernels k;
                    hy__kernels_init(&k, lv[l].flags);
                    k.flame_rgb(rr, gg, bb, rt, st, have, 65536);
                    differ += memcmp(want, have, sizeof(want)) != 0;
                }
            }
        ASSERT_EQ(differ, 0);
        ASSERT_TRUE(close > 10000);
    }
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

/* The byte counts (the flame detector's channel sums and flicker): each version against the
 * reference on random rows, rows of 255 (the largest sums) and masks whose set bytes are any
 * non-zero value (1, 128, 255: the kernels must test for non-zero, not for 255), every length
 * 0..300 from misaligned pointers. A mask is packed to bits (both versions byte for byte, with
 * a canary past the last byte) and compared with another from a bit offset x0 of 0..15; the
 * count is also checked against the two byte masks directly. The reference on rows worked by
 * hand. */
static void test_bytes(void)
{
    level lv[2];
    int nl = levels(lv);
    enum { NB = (MAXN + 16 + 7) / 8 + 8 };
    static uint8_t a[MAXN + PAD], b[MAXN + 2 * PAD], pref[NB + 8], pgot[NB + 8];
    static const uint8_t set[] = {1, 128, 255};
    int mismatches = 0;
    size_t changes = 0;
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 4; round++)
            for (size_t n = 0; n <= 300 && n + 4 <= MAXN + PAD; n++) {
                const size_t off = next() % 4, x0 = next() % 16, nb = (x0 + n + 7) / 8;
                size_t direct = 0;
                for (size_t i = 0; i < x0 + n + off; i++)
                    /* masks: mostly runs of 0 or of set bytes, as a flame mask is */
                    b[i] = next() % 8 == 0 ? set[next() % 3] : i > 0 && b[i - 1] < 64 ? 0 : b[i];
                for (size_t i = 0; i < n + off; i++)
                    a[i] = round == 1   ? 255
                           : round >= 2 ? /* a second mask from the first, here and there not */
                               (next() % 5 == 0 ? set[next() % 3] * (next() % 2) : b[i + x0])
                                        : (uint8_t)next();
                mismatches += hy__byte_sum_ref(a + off, n) != k.byte_sum(a + off, n);
                memset(pref, CANARY, sizeof(pref));
                memset(pgot, CANARY, sizeof(pgot));
                hy__mask_pack_ref(b + off, x0 + n, pref);
                k.mask_pack(b + off, x0 + n, pgot);
                mismatches += memcmp(pref, pgot, sizeof(pref)) != 0;
                mismatches += pgot[nb] != CANARY;
                for (size_t i = 0; i < n; i++)
                    direct += (a[off + i] != 0) != (b[off + x0 + i] != 0);
                mismatches += hy__mask_changes_ref(a + off, pref, x0, n) != direct;
                mismatches += k.mask_changes(a + off, pref, x0, n) != direct;
                changes += direct;
            }
        printf("\n    byte_sum, mask_pack, mask_changes %s: compared ", lv[l].name);
    }
    ASSERT_EQ(mismatches, 0);
    if (nl > 0)
        ASSERT_TRUE(changes > 1000); /* the masks exercised both outcomes */
    {
        /* 1 + 2 + ... + 100 = 5050; 2^20 bytes of 255: 267,386,880 (past 16 and 24 bits a lane) */
        static uint8_t big[1 << 20];
        static const uint8_t m1[] = {0, 5, 0, 255, 1, 0}, m2[] = {0, 0, 7, 255, 0, 0};
        static const uint8_t m3[] = {9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}; /* bits 0, 9 and 10 */
        uint8_t ramp[100], bits[16] = {0};
        for (int i = 0; i < 100; i++)
            ramp[i] = (uint8_t)(i + 1);
        memset(big, 255, sizeof(big));
        ASSERT_EQ(hy__byte_sum_ref(ramp, 100), 5050);
        ASSERT_EQ(hy__byte_sum_ref(big, sizeof(big)), 267386880);
        for (int l = 0; l < nl; l++) {
            hy__kernels k;
            hy__kernels_init(&k, lv[l].flags);
            ASSERT_EQ(k.byte_sum(big, sizeof(big)), 267386880);
        }
        /* m2 packs to 0b1100 (bits 2 and 3); m1 differs from it at 1, 2 and 4 (5 vs 0, 0 vs 7,
         * 1 vs 0); m3 packs to 0x01, 0x06; its bits 9 and 10 against m1's first two bytes
         * (x0 = 9): 0 vs 1, 5 vs 1: one change */
        hy__mask_pack_ref(m2, 6, bits);
        ASSERT_EQ(bits[0], 12);
        ASSERT_EQ(hy__mask_changes_ref(m1, bits, 0, 6), 3);
        hy__mask_pack_ref(m3, 11, bits);
        ASSERT_TRUE(bits[0] == 1 && bits[1] == 6);
        ASSERT_EQ(hy__mask_changes_ref(m1, bits, 9, 2), 1);
    }
}

/* The smoke detector's per-pixel step: each version against the reference, bit for bit in
 * every output (the mask, the luma, both backgrounds and the thresholds, compared as bytes),
 * with random pixels and models (backgrounds 0..255, thresholds 0..60; some pixels equal to
 * their background, so that d = 0 and sep = 0 occur), both colour tests, slow updates on and
 * off, greyness limits 0.8 and random, every length 1..257 from misaligned pointers, and
 * canaries around every output; and without the luma (cur NULL), both versions give the same
 * mask and models. */
static void test_smoke(void)
{
    level lv[2];
    int nl = levels(lv);
    static uint8_t r[MAXN + PAD], g[MAXN + PAD], b[MAXN + PAD], mref[MAXN + PAD], mgot[MAXN + PAD];
    static float in[3][MAXN + PAD], fref[4][MAXN + PAD], fgot[4][MAXN + PAD];
    int mismatches = 0, nocur = 0, set = 0, moved = 0;
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 8; round++) {
            const hy__smoke_params p = {.toreyin = round & 1,
                                        .slow = (round >> 1) & 1,
                                        .min_greyness = round < 4
                                                            ? hy__smoke_greyness(0.8)
                                                            : (float)(next() % 1000) / 1000.0f};
            for (size_t n = 1; n <= 257; n++) {
                const size_t off = next() % 4;
                for (size_t i = 0; i < n + off; i++) {
                    const uint8_t grey = (uint8_t)next();
                    const int tint = next() % 3 == 0;
                    r[i] = tint ? (uint8_t)next() : grey;
                    g[i] = tint ? (uint8_t)next() : grey;
                    b[i] = tint ? (uint8_t)next() : (uint8_t)(grey - next() % 8);
                    in[0][i] = next() % 4 == 0 ? 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i]
                                               : (float)(next() % 25600) / 100.0f;
                    in[1][i] = next() % 4 == 0 ? in[0][i] : (float)(next() % 25600) / 100.0f;
                    in[2][i] = (float)(next() % 6000) / 100.0f;
                }
                for (int a = 0; a < 3; a++) {
                    memcpy(fref[a], in[a], sizeof(in[a]));
                    memcpy(fgot[a], in[a], sizeof(in[a]));
                }
                for (size_t i = 0; i < MAXN + PAD; i++)
                    fref[3][i] = fgot[3][i] = -1;
                memset(mref, CANARY, sizeof(mref));
                memset(mgot, CANARY, sizeof(mgot));
                hy__smoke_ref(r + off, g + off, b + off, fref[0] + off, fref[1] + off,
                              fref[2] + off, fref[3] + off, mref + off, &p, n);
                k.smoke(r + off, g + off, b + off, fgot[0] + off, fgot[1] + off, fgot[2] + off,
                        fgot[3] + off, mgot + off, &p, n);
                mismatches += memcmp(mref, mgot, sizeof(mref)) != 0;
                for (int a = 0; a < 4; a++)
                    mismatches += memcmp(fref[a], fgot[a], sizeof(fref[a])) != 0;
                /* without cur (NULL: the luma not kept), the same mask and models, from the
                 * reference and from this version */
                for (int v = 0; v < 2; v++) {
                    for (int a = 0; a < 3; a++)
                        memcpy(fgot[a], in[a], sizeof(in[a]));
                    memset(mgot, CANARY, sizeof(mgot));
                    (v ? k.smoke : hy__smoke_ref)(r + off, g + off, b + off, fgot[0] + off,
                                                  fgot[1] + off, fgot[2] + off, NULL, mgot + off,
                                                  &p, n);
                    nocur += memcmp(mref, mgot, sizeof(mref)) != 0;
                    for (int a = 0; a < 3; a++)
                        nocur += memcmp(fref[a], fgot[a], sizeof(fref[a])) != 0;
                }
                for (size_t i = off; i < n + off; i++) {
                    set += mref[i] == 255;
                    moved += fref[2][i] == in[2][i]; /* a moving pixel keeps its threshold */
                }
            }
        }
        printf("\n    smoke %s: compared ", lv[l].name);
    }
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(nocur, 0);
    if (nl > 0)
        ASSERT_TRUE(set > 1000 && moved > 1000); /* both outcomes of each test */
}

/* The smoke step's reference on pixels worked by hand (Genovese et al.'s rules):
 * 0: grey 200 over backgrounds fast 74, slow 38, threshold 6: Y 200, U = V = 128, greyness 1;
 *    d 126 > 6 moves; sep 36 > 30 votes +1; Y - U = Y - V = 72 > 40: smoke (255). Moving, so
 *    the threshold stays 6; fast 0.7 x 74 + 0.3 x 200 = 111.8; slow 0.9 x 38 + 0.1 x 200 = 54.2.
 * 1: grey 200 over 200 and 195: d 0, sep 5 < 10 votes -1: not smoke; threshold 0.7 x 6 + 1.5 x 0
 *    = 4.2; fast 200; slow 0.9 x 195 + 20 = 195.5.
 * 2: orange (220, 120, 40) over 0 and 100: Y 140.78, U 128 + 0.492 (40 - 140.78) = 78.42,
 *    V 128 + 0.877 (220 - 140.78) = 197.48, greyness 1 - (49.58 + 69.48) / 128 = 0.07 < 0.8:
 *    not smoke, though it moves and votes +1.
 * 3: grey 120 over 40 and 0: moves, votes +1, greyness 1, but Y - U = -8: not smoke by
 *    Genovese's test; Y 120 > 100: smoke by Toreyin's. */
static void test_smoke_reference(void)
{
    static const uint8_t r[4] = {200, 200, 220, 120}, g[4] = {200, 200, 120, 120},
                         b[4] = {200, 200, 40, 120};
    static const float want_bf[4] = {111.8f, 200, 0.3f * 140.78f, 0.7f * 40 + 0.3f * 120};
    float bf[4] = {74, 200, 0, 40}, bs[4] = {38, 195, 100, 0}, thr[4] = {6, 6, 6, 6}, cur[4];
    uint8_t mask[4];
    hy__smoke_params p = {.toreyin = 0, .slow = 1, .min_greyness = hy__smoke_greyness(0.8)};
    hy__smoke_ref(r, g, b, bf, bs, thr, cur, mask, &p, 4);
    ASSERT_EQ(mask[0], 255);
    ASSERT_EQ(mask[1], 0);
    ASSERT_EQ(mask[2], 0);
    ASSERT_EQ(mask[3], 0);
    ASSERT_NEAR(cur[0], 200, 1e-3);
    ASSERT_NEAR(cur[2], 140.78, 1e-3);
    ASSERT_NEAR(thr[0], 6, 1e-6);
    ASSERT_NEAR(thr[1], 4.2, 1e-5);
    ASSERT_NEAR(bs[0], 54.2, 1e-4);
    ASSERT_NEAR(bs[1], 195.5, 1e-4);
    for (int i = 0; i < 4; i++)
        ASSERT_NEAR(bf[i], want_bf[i], 1e-3);
    /* Toreyin's test passes pixel 3 (its models start again as they were) */
    p.toreyin = 1;
    bf[3] = 40, bs[3] = 0, thr[3] = 6;
    hy__smoke_ref(r + 3, g + 3, b + 3, bf + 3, bs + 3, thr + 3, cur + 3, mask + 3, &p, 1);
    ASSERT_EQ(mask[3], 255);
    /* the greyness limit as a float: 0.8 is not a float; the nearest above it is */
    ASSERT_TRUE((double)hy__smoke_greyness(0.8) >= 0.8);
    ASSERT_TRUE((double)nextafterf(hy__smoke_greyness(0.8), 0) < 0.8);
    ASSERT_TRUE(hy__smoke_greyness(0.5) == 0.5f);
}

/* Celik & Demirel's YCbCr rules: the AVX2 kernel against the reference, with thresholds from
 * random frame means and tau 0, 40 and 255, masks with runs of cleared pixels (which the
 * kernel skips), every length 1..257, misaligned pointers and canaries. */
static void test_celik(void)
{
    level lv[2];
    int nl = levels(lv);
    static uint8_t r[MAXN + PAD], g[MAXN + PAD], b[MAXN + PAD], m[MAXN + PAD], ref[MAXN + PAD],
        got[MAXN + PAD];
    int mismatches = 0, canary_hits = 0, kept = 0, cleared = 0;
    for (int l = 0; l < nl; l++) {
        hy__kernels k;
        hy__kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 9; round++) {
            const uint64_t npx = 640 * 360;
            const uint64_t sum[3] = {npx * (next() % 256), npx * (next() % 256) + next() % npx,
                                     npx * (next() % 256) + next() % npx};
            hy__celik t;
            hy__celik_init(&t, sum, npx, round % 3 == 0 ? 0 : round % 3 == 1 ? 40 : 255);
            for (size_t n = 1; n <= 257; n++) {
                size_t off = next() % 4;
                flame_like(r, g, b, n + off);
                for (size_t i = 0; i < n + off; i++) /* runs of 8 cleared pixels, and any */
                    m[i] = (i / 8) % 3 == 1 ? 0 : next() % 4 ? 255 : 0;
                memset(ref, CANARY, sizeof(ref));
                memset(got, CANARY, sizeof(got));
                memcpy(ref + off, m + off, n);
                memcpy(got + off, m + off, n);
                hy__celik_ref(r + off, g + off, b + off, &t, ref + off, n);
                k.celik(r + off, g + off, b + off, &t, got + off, n);
                if (memcmp(ref, got, sizeof(ref)) != 0)
                    mismatches++;
                for (size_t i = 0; i < MAXN + PAD; i++)
                    if (i < off || i >= n + off)
                        canary_hits += got[i] != CANARY;
                for (size_t i = off; i < n + off; i++) {
                    kept += ref[i] == 255;
                    cleared += m[i] == 255 && ref[i] == 0;
                }
            }
        }
        printf("\n    celik %s: compared ", lv[l].name);
    }
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(canary_hits, 0);
    if (nl > 0)
        ASSERT_TRUE(kept > 1000 && cleared > 1000); /* both outcomes */
}

/* The reference's integer rules against Celik & Demirel 2009's formulas in doubles (as the flame
 * detector computed them until 2026-11-30: Y = 0.299 R + 0.587 G + 0.114 B, Cb = 128 +
 * 0.564 (B - Y), Cr = 128 + 0.713 (R - Y), the means likewise from the channel means), for every
 * R 126..255 (the colour rule's R > 125), G and B, on three frames: they must agree except where
 * a rule's two sides are exactly equal, a tie the doubles' rounding decides either way. */
static void test_celik_reference(void)
{
    static const int means[3][3] = {{60, 70, 80}, {128, 128, 128}, {200, 150, 101}};
    const uint64_t npx = 640 * 360;
    long differ = 0, explained = 0, pass = 0;
    {
        /* thresholds by hand: 4 pixels summing to R 801, G 600, B 403 (means 200.25, 150,
         * 100.75): 1000 mean Y = (299 801 + 587 600 + 114 403) / 4 = 637641 / 4 = 159410.25;
         * 1000 (mean B - mean Y) = (403000 - 637641) / 4 = -58660.25; 1000 (mean R - mean Y) =
         * (801000 - 637641) / 4 = 40839.75 */
        const uint64_t sum[3] = {801, 600, 403};
        hy__celik t;
        hy__celik_init(&t, sum, 4, 40);
        ASSERT_EQ(t.y, 159411);
        ASSERT_EQ(t.cb, -58661);
        ASSERT_EQ(t.cr, 40840);
        ASSERT_EQ(t.tau6, 40000000);
    }
    for (int s = 0; s < 3; s++) {
        const uint64_t sum[3] = {npx * (uint64_t)means[s][0] + 7, npx * (uint64_t)means[s][1],
                                 npx * (uint64_t)means[s][2] + 100000};
        const double mr = (double)sum[0] / (double)npx, mb = (double)sum[2] / (double)npx;
        const double my = 0.299 * mr + 0.587 * ((double)sum[1] / (double)npx) + 0.114 * mb;
        const double mcb = 128 + 0.564 * (mb - my), mcr = 128 + 0.713 * (mr - my);
        const int64_t num = 299 * (int64_t)sum[0] + 587 * (int64_t)sum[1] + 114 * (int64_t)sum[2];
        const int tau = 40;
        hy__celik t;
        hy__celik_init(&t, sum, npx, tau);
        for (int R = 126; R < 256; R++)
            for (int G = 0; G < 256; G++)
                for (int B = 0; B < 256; B++) {
                    const double yy = 0.299 * R + 0.587 * G + 0.114 * B;
                    const double cb = 128 + 0.564 * (B - yy), cr = 128 + 0.713 * (R - yy);
                    const int d = yy >= cb && cr >= cb && yy >= my && cb <= mcb && cr >= mcr &&
                                  (cr - cb >= tau || cb - cr >= tau);
                    const int i = hy__celik_px(&t, R, G, B);
                    pass += i;
                    if (d != i) {
                        const int64_t y = 299 * R + 587 * G + 114 * B, db = 1000 * B - y,
                                      dr = 1000 * R - y, dd = 564 * db - 713 * dr;
                        differ++;
                        explained += 1564 * y - 564000 * B == 128000000 || 713 * dr == 564 * db ||
                                     dd == 1000000 * tau || -dd == 1000000 * tau ||
                                     y * (int64_t)npx == num ||
                                     db * (int64_t)npx == 1000 * (int64_t)sum[2] - num ||
                                     dr * (int64_t)npx == 1000 * (int64_t)sum[0] - num;
                    }
                }
    }
    printf("\n    celik reference: %ld pass of %ld, %ld differ from the doubles, all at ties ",
           pass, 3L * 130 * 256 * 256, differ);
    ASSERT_EQ(explained, differ);
    ASSERT_TRUE(pass > 100000);
}

/* The box downscale of 4:2:0 with its colour conversion: random and edge planes (the range
 * limits 0, 16, 235, 240, 255), every factor 1..6 and some larger, output widths 1..70 (the
 * 16-pixel blocks and every tail), odd strides, misaligned planes, canaries around the output,
 * both ranges. */
static void test_box420(void)
{
    enum { MW = 70, MH = 3, MF = 16, SW = MF * MW + 40, SH = MF * MH, DS = MW + 2 * PAD };
    static const uint8_t edges[] = {0, 1, 15, 16, 17, 127, 128, 129, 234, 235, 236, 239, 240, 255};
    level lv[2];
    int nl = levels(lv), mismatches = 0, canary_hits = 0, cases = 0;
    static uint8_t y[SH * SW + 64], u[SH * SW / 2 + 64], v[SH * SW / 2 + 64];
    static uint8_t ref[3][MH * DS], got[3][MH * DS];
    void *scratch = calloc(1, hy__box420_scratch_size(MF, MW) + 32);
    ASSERT_TRUE(scratch != NULL);
    for (int l = 0; l < nl && scratch; l++) {
        hy__ingest_kernels k;
        hy__ingest_kernels_init(&k, lv[l].flags);
        for (int round = 0; round < 600; round++) {
            const int f = round < 500 ? 1 + round % 6 : 7 + (int)(next() % 10);
            const int w = 1 + (int)(next() % (f > 6 ? 20 : MW)), h = 1 + (int)(next() % MH);
            const int off = (int)(next() % 5), edge = round % 3 == 0;
            const ptrdiff_t ss[3] = {f * w + (int)(next() % 9), (f * w + 1) / 2 + (int)(next() % 9),
                                     (f * w + 1) / 2 + (int)(next() % 9)};
            const uint8_t *src[3] = {y + off, u + off, v + off};
            const ptrdiff_t ds[3] = {DS, DS, DS};
            uint8_t *dr[3], *dg[3];
            hy__yuv_coef c;
            hy__yuv_coef_bt601(&c, round % 2);
            for (size_t i = 0; i < sizeof(y); i++)
                y[i] = edge ? edges[next() % sizeof(edges)] : (uint8_t)next();
            for (size_t i = 0; i < sizeof(u); i++) {
                u[i] = edge ? edges[next() % sizeof(edges)] : (uint8_t)next();
                v[i] = edge ? edges[next() % sizeof(edges)] : (uint8_t)next();
            }
            memset(ref, CANARY, sizeof(ref));
            memset(got, CANARY, sizeof(got));
            for (int p = 0; p < 3; p++) {
                dr[p] = ref[p] + PAD;
                dg[p] = got[p] + PAD;
            }
            hy__box420_ref(src, ss, f, w, h, &c, dr, ds, NULL);
            k.box420(src, ss, f, w, h, &c, dg, ds, (uint8_t *)scratch + (round % 2) * 32);
            cases++;
            for (int p = 0; p < 3; p++) {
                if (memcmp(ref[p], got[p], sizeof(ref[p])) != 0)
                    mismatches++;
                for (int r = 0; r < MH; r++)
                    for (int x = 0; x < DS; x++)
                        canary_hits +=
                            (r >= h || x < PAD || x >= PAD + w) && got[p][r * DS + x] != CANARY;
            }
        }
        printf("\n    box420 %s: compared ", lv[l].name);
    }
    free(scratch);
    ASSERT_EQ(mismatches, 0);
    ASSERT_EQ(canary_hits, 0);
    if (nl > 0)
        ASSERT_EQ(cases, 600 * nl);
}

/* The reference on pixels worked by hand, and against libswscale's BT.601 conversion (a
 * second implementation) on flat frames, where the box changes nothing. */
static void test_box420_reference(void)
{
    hy__yuv_coef lim, full;
    hy__yuv_coef_bt601(&lim, 0);
    hy__yuv_coef_bt601(&full, 1);
    {
        /* f = 3, two output pixels from a 6x3 luma block and 3x2 chroma. Output 0's luma
         * samples are 0..8 in a 3x3 block (mean 4); its chroma, nearest-neighbour, weighs the
         * 2x2 chroma block a:4 b:2 c:2 d:1, so U = (4 100 + 2 160 + 2 40 + 250) / 9 = 116.7 -> 117
         * and V = 128. Full range, Y 4: R = 4 + 1.402 (0) = 4, G = 4 - 0.344136 (-11) = 7.8 -> 8,
         * B = 4 + 1.772 (-11) = -15.5 -> 0. */
        static const uint8_t Y[3][6] = {{0, 1, 2, 9, 9, 9}, {3, 4, 5, 9, 9, 9}, {6, 7, 8, 9, 9, 9}};
        static const uint8_t U[2][3] = {{100, 160, 0}, {40, 250, 0}};
        static const uint8_t V[2][3] = {{128, 128, 128}, {128, 128, 128}};
        const uint8_t *src[3] = {&Y[0][0], &U[0][0], &V[0][0]};
        const ptrdiff_t ss[3] = {6, 3, 3}, ds[3] = {2, 2, 2};
        uint8_t r[2], g[2], b[2], *dst[3] = {r, g, b};
        hy__box420_ref(src, ss, 3, 2, 1, &full, dst, ds, NULL);
        ASSERT_EQ(r[0], 4);
        ASSERT_EQ(g[0], 8);
        ASSERT_EQ(b[0], 0);
        /* output 1: luma all 9; chroma b:2 0:4 250:1 0:2 -> (320 + 250) / 9 = 63.3 -> 63:
         * G = 9 + 0.344136 (65) = 31.4 -> 31 */
        ASSERT_EQ(r[1], 9);
        ASSERT_EQ(g[1], 31);
        ASSERT_EQ(b[1], 0);
    }
    {
        /* limited range: black (16) and white (235) grey, and a red; full range grey 100 */
        static const uint8_t tri[][3] = {{16, 128, 128}, {235, 128, 128}, {81, 90, 240}};
        /* the red: R = 1.164384 (65) + 1.596027 (112) = 254.4, G = 75.7 + 0.391762 (38) -
         * 0.812968 (112) = -0.5, B = 75.7 - 2.017232 (38) = -1.0 */
        static const uint8_t want[][3] = {{0, 0, 0}, {255, 255, 255}, {254, 0, 0}};
        for (int i = 0; i < 3; i++) {
            const uint8_t *src[3] = {&tri[i][0], &tri[i][1], &tri[i][2]};
            const ptrdiff_t ss[3] = {1, 1, 1}, ds[3] = {1, 1, 1};
            uint8_t r, g, b, *dst[3] = {&r, &g, &b};
            hy__box420_ref(src, ss, 1, 1, 1, &lim, dst, ds, NULL);
            hy_test_check(r == want[i][0] && g == want[i][1] && b == want[i][2], __LINE__, __FILE__,
                          "YUV %d %d %d: RGB %d %d %d", tri[i][0], tri[i][1], tri[i][2], r, g, b);
        }
    }
    {
        /* libswscale, 16x16 flat frames, point sampling: the same colours within one level,
         * for colours inside the RGB cube (libswscale's bit-exact path wraps far outside it:
         * Y 247 U 253 V 0 comes out blue 0) */
        int worst = 0, compared = 0;
        for (int range = 0; range < 2; range++) {
            struct SwsContext *sws =
                sws_getContext(16, 16, AV_PIX_FMT_YUV420P, 16, 16, AV_PIX_FMT_GBRP,
                               SWS_POINT | SWS_BITEXACT | SWS_ACCURATE_RND, NULL, NULL, NULL);
            const int *coef = sws_getCoefficients(SWS_CS_DEFAULT);
            ASSERT_TRUE(sws != NULL);
            if (!sws)
                return;
            sws_setColorspaceDetails(sws, coef, range, coef, 1, 0, 1 << 16, 1 << 16);
            for (int t = 0; t < 2000; t++) {
                static uint8_t Y[256], U[64], V[64], G[256], B[256], R[256];
                const uint8_t yv = (uint8_t)next(), uv = (uint8_t)next(), vv = (uint8_t)next();
                const uint8_t *src[3] = {Y, U, V};
                const int ss[3] = {16, 8, 8}, ds[3] = {16, 16, 16};
                uint8_t *dst[3] = {G, B, R}, r, g, b;
                const ptrdiff_t ps[3] = {16, 8, 8}, pd[3] = {1, 1, 1};
                uint8_t *pdst[3] = {&r, &g, &b};
                {
                    const double ly = range ? yv : (yv - 16) * 255.0 / 219;
                    const double lu = range ? uv - 128 : (uv - 128) * 255.0 / 224;
                    const double lv = range ? vv - 128 : (vv - 128) * 255.0 / 224;
                    const double er = ly + 1.402 * lv, eb = ly + 1.772 * lu;
                    const double eg = ly - 0.344136 * lu - 0.714136 * lv;
                    if (er < 0 || er > 255 || eg < 0 || eg > 255 || eb < 0 || eb > 255)
                        continue;
                }
                memset(Y, yv, sizeof(Y));
                memset(U, uv, sizeof(U));
                memset(V, vv, sizeof(V));
                sws_scale(sws, src, ss, 0, 16, dst, ds);
                hy__box420_ref(src, ps, 1, 1, 1, range ? &full : &lim, pdst, pd, NULL);
                for (int k = 0; k < 3; k++) {
                    const int d = abs((k == 0   ? r
                                       : k == 1 ? g
                                                : b) -
                                      (k == 0   ? R[136]
                                       : k == 1 ? G[136]
                                                : B[136]));
                    worst = d > worst ? d : worst;
                }
                compared++;
            }
            sws_freeContext(sws);
        }
        printf("\n    against libswscale: %d colours, largest difference %d ", compared, worst);
        ASSERT_TRUE(compared > 300);
        ASSERT_TRUE(worst <= 1);
    }
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"fire_oli", test_fire_oli},
                                    {"flame_rgb", test_flame_rgb},
                                    {"bare", test_bare},
                                    {"flame_rgb_reference", test_flame_rgb_reference},
                                    {"celik", test_celik},
                                    {"bytes", test_bytes},
                                    {"smoke", test_smoke},
                                    {"smoke_reference", test_smoke_reference},
                                    {"celik_reference", test_celik_reference},
                                    {"box420", test_box420},
                                    {"box420_reference", test_box420_reference},
                                    {NULL, NULL}};
    return hy_test_main("kernels", tests, argc, argv);
}
