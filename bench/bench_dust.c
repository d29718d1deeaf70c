/* bench/bench_dust.c - the camera detectors' cost per analysed frame at the usual analysis size
 * (640 x 360): the dust detector against the flame detector (the baseline, on by default) on
 * the same frames in the same process, each run 200 times. The frame is half haze (the dust
 * detector's candidates reach the texture test) and half noise. Prints milliseconds per frame
 * and the ratio. */
#include "detect/detect.h"
#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define W      640
#define H      360
#define FRAMES 200

int main(void)
{
    hy_ctx_config cc;
    hy_ctx *ctx = NULL;
    hy_dust_config dc;
    hy_flame_config fc;
    hy_dust *dust = NULL;
    hy_flame *flame = NULL;
    hy_detections out = {0};
    hy_frame f;
    double t0, t_dust, t_flame;
    unsigned seed = 1;
    hy_ctx_config_init(&cc);
    hy_dust_config_init(&dc);
    hy_flame_config_init(&fc);
    memset(&f, 0, sizeof(f));
    if (hy_ctx_create(&cc, &ctx) != HY_OK || hy_dust_create(ctx, &dc, &dust) != HY_OK ||
        hy_flame_create(ctx, &fc, &flame) != HY_OK ||
        hy_image_alloc(ctx, W, H, HY_PIX_RGBP, &f.image) != HY_OK) {
        fprintf(stderr, "bench_dust: cannot set up\n");
        return 1;
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            const int haze = y > H / 3 && x < W / 2;
            for (int p = 0; p < 3; p++) {
                seed = seed * 1103515245u + 12345u;
                *hy_image_at(&f.image, p, x, y) =
                    (uint8_t)(haze ? 180 - 15 * p + (int)(seed >> 16) % 6
                                   : (int)(seed >> 16) % 256);
            }
        }
    f.src_width = W;
    f.src_height = H;
    f.time = HY_TIME_NONE;
    t0 = (hy_time_mono() * 1e3);
    for (int i = 0; i < FRAMES; i++) {
        f.index = i;
        f.pts_s = i;
        out.n = 0;
        if (hy_dust_process(dust, &f, &out) != HY_OK)
            return 1;
    }
    t_dust = ((hy_time_mono() * 1e3) - t0) / FRAMES;
    t0 = (hy_time_mono() * 1e3);
    for (int i = 0; i < FRAMES; i++) {
        f.index = i;
        f.pts_s = i;
        out.n = 0;
        if (hy_flame_process(flame, &f, &out) != HY_OK)
            return 1;
    }
    t_flame = ((hy_time_mono() * 1e3) - t0) / FRAMES;
    printf("detectors at %dx%d, %d frames: dust %.3f ms/frame, flame (baseline) %.3f ms/frame, "
           "dust/flame %.2f\n",
           W, H, FRAMES, t_dust, t_flame, t_dust / t_flame);
    hy_detections_free(ctx, &out);
    hy_dust_destroy(dust);
    hy_flame_destroy(flame);
    hy_image_free(ctx, &f.image);
    hy_ctx_destroy(ctx);
    return 0;
}
