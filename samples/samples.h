/* samples/samples.h - deterministic synthetic samples for the demo and the tests. Everything
 * written is labelled synthetic. */
#ifndef HY_SAMPLES_H
#define HY_SAMPLES_H

#include "core/core.h"

/* The planted truth, shared with the tests that check the pipeline finds it. */
#define HY_SAMPLE_SCENE_ID    "LC08_L1TP_124036_20260530_20260530_02_T1_SYNTHETIC"
#define HY_SAMPLE_SCENE_W     400
#define HY_SAMPLE_SCENE_H     400
#define HY_SAMPLE_UL_E        758000.0 /* UTM 49N (EPSG:32649), pixel corner */
#define HY_SAMPLE_UL_N        3855000.0
#define HY_SAMPLE_CELL        30.0
#define HY_SAMPLE_SUN_ELEV    50.0
#define HY_SAMPLE_CLIP_W      320
#define HY_SAMPLE_CLIP_H      240
#define HY_SAMPLE_CLIP_FPS    25
#define HY_SAMPLE_CLIP_FRAMES 100

/* The Sentinel-2-like stack (sentinel2/S2_SYNTHETIC_20260530_stack.tif): 200 x 200 px of
 * 20 m from this corner; a 2 x 2 fire at column 50, row 50 and a saturated pixel at 51, 52. */
#define HY_SAMPLE_S2_UL_E 760000.0
#define HY_SAMPLE_S2_UL_N 3853000.0
#define HY_SAMPLE_S2_SIZE 200

typedef struct hy_sample_fire {
    int x, y, w, h; /* scene pixels */
    float rho5, rho6, rho7;
    const char *township_code;
} hy_sample_fire;

/* The decoy candidate the contextual test must reject (scene pixel). */
#define HY_SAMPLE_DECOY_X 330
#define HY_SAMPLE_DECOY_Y 250

/** The planted fires (count in *n). */
const hy_sample_fire *hy_samples_fires(int *n);

/** Write only the synthetic Landsat-8 scene (B1..B7 + MTL) into dir, at any size from 64 to
 *  20000 pixels a side (a full scene is about 7800 x 7900); the planted fires keep their
 *  places near the top-left corner, the rest is crop texture. For benchmarks. */
HY_NODISCARD hy_status hy_samples_scene(const hy_ctx *ctx, const char *dir, int width, int height,
                                        char *err, size_t err_size);

/** Write the samples into dir (created if missing): landsat/ (B1..B7 GeoTIFFs + MTL),
 *  sentinel2/ (a B8A/B11/B12 stack), camera/clip.mp4 (H.264), townships.geojson,
 *  huoyan.yaml. err gets the reason on failure. */
HY_NODISCARD hy_status hy_samples_generate(const hy_ctx *ctx, const char *dir, char *err,
                                           size_t err_size);

#endif
