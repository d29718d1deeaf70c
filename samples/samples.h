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

/** A swath granule to write in the L1B formats (samples/granule.c): physical values per pixel,
 *  width x height, row-major. */
typedef struct hy_sample_granule {
    int sensor; /* HY_SENSOR_VIIRS or HY_SENSOR_MODIS (ingest/ingest.h) */
    int width, height;
    const char *pass;              /* "A2026150.0530": the files' pass key */
    const float *bt4, *bt11;       /* K: VIIRS I4, I5; MODIS band 21/22 (one temperature), 31 */
    const float *bt12;             /* MODIS band 32, K; VIIRS: unused */
    const float *red, *nir, *swir; /* reflectance: I1, I2, I3 / bands 1, 2, 7 */
    const float *sza, *vza, *saa, *vaa; /* degrees */
    const float *lat, *lon;
    const uint8_t *landwater; /* the products' land/water codes (1 land, 7 deep ocean, ...);
                                 NULL: all land */
    const uint8_t *sat4;      /* 1: mid-infrared saturated (VIIRS quality flag, MODIS band 22
                                 count 65533); NULL: none. MODIS band 22 also saturates above
                                 331 K by itself */
} hy_sample_granule;

/* The demo's granules (samples/viirs, samples/modis): daytime passes over the sample scene
 * with a fire at the pixel nearest each of the first N planted Landsat fires. */
#define HY_SAMPLE_VIIRS_PASS  "A2026150.0530"
#define HY_SAMPLE_VIIRS_FIRES 2
#define HY_SAMPLE_MODIS_PASS  "A2026150.0305"
#define HY_SAMPLE_MODIS_FIRES 1

/** Write the demo's VIIRS and MODIS granules into dir/viirs and dir/modis. */
HY_NODISCARD hy_status hy__samples_thermal(const char *dir, char *err, size_t err_size);

/** Write a VIIRS VNP02IMG + VNP03IMG pair (NetCDF4) or a MODIS MOD021KM + MOD03 pair (HDF4)
 *  into the existing folder dir; the two paths come back in l1_path and geo_path. */
HY_NODISCARD hy_status hy_samples_granule(const hy_sample_granule *g, const char *dir,
                                          char *l1_path, char *geo_path, size_t path_size,
                                          char *err, size_t err_size);

#endif
