/* bench/bench_kernels.c - each kernel's best version against its plain-C reference, on the
 * same data in the same process: prints the time per megapixel and the ratio. The baseline
 * is named: "ref" is the reference kernel compiled with this build's flags. The video reader's
 * box kernel is also timed against libswscale doing the same job (a 1080p 4:2:0 frame to
 * 640x360 planar RGB, with the reader's former flags: bilinear, bit-exact, accurate rounding).
 * On a 640x360 flame mask (blobs over a sixth of it, as testsrc2's): the flicker count against
 * the last frame's mask packed to bits, against the reference; and the 3 x 3 closing, as built
 * for the baseline CPU and for AVX2, in one pass through a ring of rows, against a dilation
 * then an erosion (the two passes over an image-sized scratch it replaced) and OpenCV's
 * morphologyEx. */
#include "core/core.h"
#include "cv/cv.h"
#include "detect/detect_internal.h"
#include "detect/kernels/kernels.h"
#include "ingest/kernels/kernels.h"

#include <libswscale/swscale.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>

#define NPIX   (7811 * 64) /* 64 rows of a full Landsat scene */
#define REPEAT 7
#define NBARE  (7811 * 2) /* the bare-soil classifier costs ~100x the rules per pixel */

static float *rho[6];
static uint8_t *valid, *out, *rgb[3];

static double time_fire(hy__fire_oli_fn fn)
{
    double best = 1e9;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++)
            fn(rho[0], rho[1], rho[2], rho[3], valid, out, NPIX);
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return best;
}

static double time_flame(hy__flame_rgb_fn fn)
{
    double best = 1e9;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++)
            fn(rgb[0], rgb[1], rgb[2], 125, 60, out, NPIX);
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return best;
}

/* Celik's rules on every pixel (a mask all set: the worst case, nothing skipped), thresholds
 * from the random frame's own means */
static double time_celik(hy__celik_fn fn)
{
    double best = 1e9;
    uint64_t sum[3] = {0, 0, 0};
    hy__celik t;
    for (int c = 0; c < 3; c++)
        for (size_t i = 0; i < NPIX; i++)
            sum[c] += rgb[c][i];
    hy__celik_init(&t, sum, NPIX, 40);
    for (int r = 0; r < REPEAT; r++) {
        double sum_s = 0;
        for (int k = 0; k < 8; k++) {
            double t0;
            memset(out, 255, NPIX);
            t0 = hy_time_mono();
            fn(rgb[0], rgb[1], rgb[2], &t, out, NPIX);
            sum_s += hy_time_mono() - t0;
        }
        best = fmin(best, sum_s / 8);
    }
    return best;
}

static double time_bare(hy__bare_fn fn)
{
    double best = 1e9;
    const float *const band[6] = {rho[0], rho[1], rho[2], rho[3], rho[4], rho[5]};
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        fn(hy__bare_model_for(HY_SENSOR_LANDSAT8), band, valid, out, NBARE);
        best = fmin(best, hy_time_mono() - t0);
    }
    return best;
}

/* The smoke detector's per-pixel step (Genovese's colour test, slow update on: the most work),
 * with models that start as the random frame's own luma and evolve over the repeats */
static double time_smoke(hy__smoke_fn fn, float *models)
{
    double best = 1e9;
    const hy__smoke_params p = {.toreyin = 0, .slow = 1, .min_greyness = hy__smoke_greyness(0.8)};
    for (size_t i = 0; i < 3 * (size_t)NPIX; i++)
        models[i] = i < 2 * (size_t)NPIX ? (float)rgb[1][i % NPIX] : 6;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++)
            fn(rgb[0], rgb[1], rgb[2], models, models + NPIX, models + 2 * NPIX, models + 3 * NPIX,
               out, &p, NPIX);
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return best;
}

/* ms per 1080p frame of fn (NULL: libswscale) */
static double time_box(hy__box420_fn fn, struct SwsContext *sws, uint8_t *const yuv[3],
                       uint8_t *const planes[3], void *scratch)
{
    const ptrdiff_t ss[3] = {1920, 960, 960}, ds[3] = {640, 640, 640};
    const int iss[3] = {1920, 960, 960}, ids[3] = {640, 640, 640};
    uint8_t *gbr[3] = {planes[1], planes[2], planes[0]};
    hy__yuv_coef c;
    double best = 1e9;
    hy__yuv_coef_bt601(&c, 0);
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++) {
            if (fn)
                fn((const uint8_t *const *)yuv, ss, 3, 640, 360, &c, planes, ds, scratch);
            else
                sws_scale(sws, (const uint8_t *const *)yuv, iss, 0, 1080, gbr, ids);
        }
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return best * 1e3;
}

enum { MW = 640, MH = 360 };

/* the count of changed pixels over the whole 640x360 mask pair, ms a frame (best of 7) */
static double time_changes(hy__mask_changes_fn fn, const uint8_t *m, const uint8_t *bits,
                           size_t bstride)
{
    double best = 1e9;
    size_t sink = 0;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++)
            for (int y = 0; y < MH; y++)
                sink += fn(m + (size_t)y * MW, bits + (size_t)y * bstride, 0, MW);
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return sink ? best * 1e3 : -1;
}

/* a 640x360 closing: op 0 the ring (hy__cv_morph3_into with cpu_flags), 1 a dilation then an
 * erosion (the same flags), 2 OpenCV's morphologyEx; ms a frame (best of 7) */
static double time_close(const hy_ctx *ctx, const hy_image *m, hy_image *o, hy_image *t,
                         uint8_t *tmp, int op, unsigned cpu_flags)
{
    double best = 1e9;
    for (int r = 0; r < REPEAT; r++) {
        double t0 = hy_time_mono();
        for (int k = 0; k < 8; k++) {
            if (op == 0) {
                hy__cv_morph3_into(m, HY_CV_CLOSE, o, tmp, cpu_flags);
            } else if (op == 1) {
                hy__cv_morph3_into(m, HY_CV_DILATE, t, tmp, cpu_flags);
                hy__cv_morph3_into(t, HY_CV_ERODE, o, tmp, cpu_flags);
            } else {
                hy_image c;
                if (hy__cv_morph_opencv(ctx, m, HY_CV_CLOSE, 3, &c) != HY_OK)
                    return -1;
                hy_image_free(ctx, &c);
            }
        }
        best = fmin(best, (hy_time_mono() - t0) / 8);
    }
    return best * 1e3;
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
    tr = time_celik(hy__celik_ref);
    tb = time_celik(best.celik);
    printf("celik      ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
           tr * 1e3 / (NPIX / 1e6), tb * 1e3 / (NPIX / 1e6), tr / tb);
    tr = time_bare(hy__bare_ref);
    tb = time_bare(best.bare);
    printf("bare       ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
           tr * 1e3 / (NBARE / 1e6), tb * 1e3 / (NBARE / 1e6), tr / tb);
    {
        float *models = malloc(4 * (size_t)NPIX * sizeof(float));
        tr = time_smoke(hy__smoke_ref, models);
        tb = time_smoke(best.smoke, models);
        printf("smoke      ref %.3f ms/Mpx  best %.3f ms/Mpx  speed-up vs ref %.2fx\n",
               tr * 1e3 / (NPIX / 1e6), tb * 1e3 / (NPIX / 1e6), tr / tb);
        free(models);
    }
    {
        uint8_t *yuv[3], *planes[3];
        void *scratch = malloc(hy__box420_scratch_size(3, 640));
        struct SwsContext *sws =
            sws_getContext(1920, 1080, AV_PIX_FMT_YUV420P, 640, 360, AV_PIX_FMT_GBRP,
                           SWS_BILINEAR | SWS_BITEXACT | SWS_ACCURATE_RND, NULL, NULL, NULL);
        hy__ingest_kernels ik;
        double tw;
        hy__ingest_kernels_init(&ik, hy_ctx_cpu_flags(ctx));
        yuv[0] = malloc(1920 * 1080);
        yuv[1] = malloc(960 * 540);
        yuv[2] = malloc(960 * 540);
        for (int c = 0; c < 3; c++)
            planes[c] = malloc(640 * 360);
        for (size_t i = 0; i < 1920 * 1080; i++) {
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            yuv[0][i] = (uint8_t)s;
            if (i < 960 * 540)
                yuv[1][i] = (uint8_t)(s >> 8), yuv[2][i] = (uint8_t)(s >> 16);
        }
        tr = time_box(hy__box420_ref, NULL, yuv, planes, scratch);
        tb = time_box(ik.box420, NULL, yuv, planes, scratch);
        tw = sws ? time_box(NULL, sws, yuv, planes, scratch) : 0;
        printf("box420     ref %.3f ms/frame  best %.3f ms/frame  speed-up vs ref %.2fx  "
               "libswscale %.3f ms/frame (%.2fx the best)\n",
               tr, tb, tr / tb, tw, tw / tb);
        sws_freeContext(sws);
        free(scratch);
        for (int c = 0; c < 3; c++)
            free(yuv[c]), free(planes[c]);
    }
    {
        /* a mask of blobs over about a sixth of the frame, and the last frame's: the same
         * blobs, a few moved */
        const size_t bstride = MW / 8 + 8;
        hy_image m, last, o, t;
        uint8_t *bits = calloc(MH, bstride), *tmp = malloc(MW * MH);
        double tc[3], tm[4];
        if (!bits || !tmp || hy_image_alloc(ctx, MW, MH, HY_PIX_GRAY8, &m) != HY_OK ||
            hy_image_alloc(ctx, MW, MH, HY_PIX_GRAY8, &last) != HY_OK ||
            hy_image_alloc(ctx, MW, MH, HY_PIX_GRAY8, &o) != HY_OK ||
            hy_image_alloc(ctx, MW, MH, HY_PIX_GRAY8, &t) != HY_OK)
            return 1;
        for (int k = 0; k < 400; k++) {
            int bx, by, bw, bh;
            s ^= s << 13, s ^= s >> 17, s ^= s << 5;
            bx = (int)(s % MW), by = (int)((s >> 10) % MH), bw = 4 + (int)((s >> 20) % 24);
            bh = 4 + (int)((s >> 25) % 20);
            for (int y = by; y < by + bh && y < MH; y++)
                for (int x = bx; x < bx + bw && x < MW; x++) {
                    *hy_image_at(&m, 0, x, y) = 255;
                    if (k % 7)
                        *hy_image_at(&last, 0, x, y) = 255;
                }
        }
        for (int y = 0; y < MH; y++)
            best.mask_pack(hy_image_at(&last, 0, 0, y), MW, bits + (size_t)y * bstride);
        tc[0] = time_changes(hy__mask_changes_ref, m.plane[0], bits, bstride);
        tc[1] = time_changes(best.mask_changes, m.plane[0], bits, bstride);
        printf("changes    ref %.3f ms/frame  best %.3f ms/frame  speed-up vs ref %.2fx  "
               "(640x360, against the last mask packed to bits)\n",
               tc[0], tc[1], tc[0] / tc[1]);
        tm[0] = time_close(ctx, &m, &o, &t, tmp, 0, 0);
        tm[1] = time_close(ctx, &m, &o, &t, tmp, 0, hy_ctx_cpu_flags(ctx));
        tm[2] = time_close(ctx, &m, &o, &t, tmp, 1, hy_ctx_cpu_flags(ctx));
        tm[3] = time_close(ctx, &m, &o, &t, tmp, 2, 0);
        printf("close3     baseline build %.3f ms/frame  best %.3f ms/frame  speed-up vs the "
               "baseline build %.2fx  dilate then erode %.3f ms/frame (%.2fx the best)  OpenCV "
               "%.3f ms/frame (%.2fx the best)\n",
               tm[0], tm[1], tm[0] / tm[1], tm[2], tm[2] / tm[1], tm[3], tm[3] / tm[1]);
        hy_image_free(ctx, &m);
        hy_image_free(ctx, &last);
        hy_image_free(ctx, &o);
        hy_image_free(ctx, &t);
        free(bits);
        free(tmp);
    }
    for (int b = 0; b < 6; b++)
        free(rho[b]);
    for (int c = 0; c < 3; c++)
        free(rgb[c]);
    free(valid);
    free(out);
    hy_ctx_destroy(ctx);
    return 0;
}
