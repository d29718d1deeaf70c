/* bench/bench_kernels.c - each kernel's best version against its plain-C reference, on the
 * same data in the same process: prints the time per megapixel and the ratio. The baseline
 * is named: "ref" is the reference kernel compiled with this build's flags. */
#include "core/core.h"
#include "detect/detect_internal.h"
#include "detect/kernels/kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#define NPIX   (7811 * 64) /* 64 rows of a full Landsat scene */
#define REPEAT 7
#define NBARE  (7811 * 2) /* the bare-soil classifier costs ~100x the rules per pixel */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static float *rho[6];
static uint8_t *valid, *out, *rgb[3];

static double time_fire(hy__fire_oli_fn fn)
{
    double best = 1e9;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now_s();
        for (int k = 0; k < 8; k++)
            fn(rho[0], rho[1], rho[2], rho[3], valid, out, NPIX);
        best = fmin(best, (now_s() - t0) / 8);
    }
    return best;
}

static double time_flame(hy__flame_rgb_fn fn)
{
    double best = 1e9;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now_s();
        for (int k = 0; k < 8; k++)
            fn(rgb[0], rgb[1], rgb[2], 125, 60, out, NPIX);
        best = fmin(best, (now_s() - t0) / 8);
    }
    return best;
}

static double time_bare(hy__bare_fn fn)
{
    double best = 1e9;
    const float *const band[6] = {rho[0], rho[1], rho[2], rho[3], rho[4], rho[5]};
    for (int r = 0; r < REPEAT; r++) {
        double t0 = now_s();
        fn(hy__bare_model_for(HY_SENSOR_LANDSAT8), band, valid, out, NBARE);
        best = fmin(best, now_s() - t0);
    }
    return best;
}

int main(void)
{
    hy_ctx *ctx;
    hy__kernels best;
    uint32_t s = 1;
    double tr, tb;
    hy_ctx_config cfg;
    const char *cpu = getenv("HY_CPU");
    hy_ctx_config_init(&cfg);
    if (cpu && hy_cpu_level_parse(cpu, &cfg.cpu_level) != HY_OK) {
        fprintf(stderr, "HY_CPU=%s: expected auto, scalar, avx2 or avx512\n", cpu);
        return 2;
    }
    if (hy_ctx_create(&cfg, &ctx) != HY_OK)
        return 1;
    hy__kernels_init(&best, hy_ctx_cpu_flags(ctx));
    for (int b = 0; b < 6; b++)
        rho[b] = malloc(NPIX * sizeof(float));
    valid = malloc(NPIX);
    out = malloc(NPIX);
    for (int c = 0; c < 3; c++)
        rgb[c] = malloc(NPIX);
    for (size_t i = 0; i < NPIX; i++) {
        for (int b = 0; b < 6; b++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            rho[b][i] = (s >> 8) / 16777216.0f;
        }
        valid[i] = 1;
        for (int c = 0; c < 3; c++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            rgb[c][i] = (uint8_t)s;
        }
    }
    printf("cpu flags: %s%s\n", hy_ctx_cpu_flags(ctx) & HY_CPU_AVX2 ? "avx2 " : "scalar ",
           hy_ctx_cpu_flags(ctx) & HY_CPU_AVX512 ? "avx512" : "");
    tr = time_fire(hy__fire_oli_ref);
    tb = time_fire(best.fire_oli);
    printf("fire_oli   ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
           tr * 1e3 / (NPIX / 1e6), tb * 1e3 / (NPIX / 1e6), tr / tb);
    tr = time_flame(hy__flame_rgb_ref);
    tb = time_flame(best.flame_rgb);
    printf("flame_rgb  ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
           tr * 1e3 / (NPIX / 1e6), tb * 1e3 / (NPIX / 1e6), tr / tb);
    tr = time_bare(hy__bare_ref);
    tb = time_bare(best.bare);
    printf("bare       ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
           tr * 1e3 / (NBARE / 1e6), tb * 1e3 / (NBARE / 1e6), tr / tb);
    for (int b = 0; b < 6; b++)
        free(rho[b]);
    for (int c = 0; c < 3; c++)
        free(rgb[c]);
    free(valid);
    free(out);
    hy_ctx_destroy(ctx);
    return 0;
}
