/* ingest/ingest_internal.h - shared inside ingest/ only. */
#ifndef HY_INGEST_INTERNAL_H
#define HY_INGEST_INTERNAL_H

#include "ingest/ingest.h"

#include <gdal.h>

/* ---- MTL (Landsat metadata, ODL "KEY = value" lines in GROUPs) ---- */

typedef struct hy__mtl hy__mtl;

/** Parse an MTL file. NULL on failure with the reason in err. */
hy__mtl *hy__mtl_load(const hy_ctx *ctx, const char *path, char *err, size_t err_size);
/** Parse MTL text of len bytes (any bytes; name is for messages). */
hy__mtl *hy__mtl_parse(const hy_ctx *ctx, const char *data, size_t len, const char *name, char *err,
                       size_t err_size);
/** The value of the first KEY in the file, quotes removed; NULL if absent. Valid while m lives. */
const char *hy__mtl_get(const hy__mtl *m, const char *key);
/** The value of KEY inside GROUP (the innermost group, e.g.
 *  "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS"); NULL if absent. */
const char *hy__mtl_get_in(const hy__mtl *m, const char *group, const char *key);
/** hy__mtl_num within a group (NULL: anywhere). */
double hy__mtl_num_in(const hy__mtl *m, const char *group, const char *key, int *ok);
/** The value of KEY as a number; 0 and *ok = 0 if absent or not a number. */
double hy__mtl_num(const hy__mtl *m, const char *key, int *ok);
void hy__mtl_free(hy__mtl *m);

/* ---- video ---- */

/** Analysed frames of v whose rows were scaled as the decoder finished them (draw_horiz_band),
 *  not after: for tests. */
int64_t hy__video_band_frames(const hy_video *v);

/* ---- scenes ---- */

/* Landsat OLI band number behind each role (B1..B7). */
#define HY__OLI_BANDS 7

struct hy_scene {
    const hy_ctx *ctx;
    hy_scene_info info;
    char *crs_wkt;
    GDALDatasetH ds[HY_BAND_COUNT];  /* NULL: role absent or a stand-in */
    char *band_path[HY_BAND_COUNT];  /* the file behind ds[b] */
    int band_index[HY_BAND_COUNT];   /* 1-based band of ds[b] */
    double res_ratio[HY_BAND_COUNT]; /* ds[b]'s pixel size / the scene grid's (1, 0.5, 3) */
    double off_x[HY_BAND_COUNT], off_y[HY_BAND_COUNT]; /* grid pixel (0, 0)'s corner in ds[b]'s
                                                          pixels (0 for Landsat) */
    int standin_for[HY_BAND_COUNT];                    /* role read in place of this one, or -1 */
    double mult[HY_BAND_COUNT], add[HY_BAND_COUNT];
    double sun_factor; /* 1 / sin(sun elevation) */
    char path[4096];
    char err[1024];
};

/** Open a Sentinel-2 scene into s (ctx, path and standin_for set): a folder of per-band
 *  rasters named ..B01.., ..B8A.., ..B12.. (GeoTIFF or JP2) or one stacked raster whose band
 *  descriptions name the bands. On failure s->err says why. */
hy_status hy__sentinel2_open(hy_scene *s, const char *path);
/** Open any georeferenced stacked raster with the role map and scaling of opt. */
hy_status hy__stack_open(hy_scene *s, const char *path, const hy_scene_options *opt);
/** 1 when path is a SAFE product folder (or its MTD_MSIL1C/2A.xml). */
int hy__sentinel2_safe(const char *path);
/** 1 when the folder holds per-band Sentinel-2 rasters (a file naming B11 or B12). */
int hy__sentinel2_folder(const char *path);

#endif
