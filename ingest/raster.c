/* ingest/raster.c - reading scene windows with GDAL into float tiles of physical units. */
#include "ingest/ingest_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_error.h>

const char *hy_sensor_name(hy_sensor s)
{
    static const char *const names[] = {"unknown", "landsat8", "landsat9", "sentinel2",
                                        "viirs",   "modis",    "camera"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

void hy_scene_set_cache(size_t bytes)
{
    GDALSetCacheMax64((GIntBig)bytes);
}

hy_status hy_scene_read(hy_scene *s, int x, int y, int w, int h, int halo, hy_tile *tile)
{
    int rx0, ry0, rx1, ry1, rw, rh;
    unsigned read_mask = 0;
    CPLErr err;
    hy_status st;

    if (!tile)
        return HY_EINVAL;
    memset(tile, 0, sizeof(*tile));
    if (!s)
        return HY_EINVAL;
    if (w <= 0 || h <= 0 || halo < 0 || x < 0 || y < 0 || x + w > s->info.width ||
        y + h > s->info.height) {
        snprintf(s->err, sizeof(s->err),
                 "%s: window %d,%d %dx%d (halo %d) is outside the %dx%d scene", s->path, x, y, w, h,
                 halo, s->info.width, s->info.height);
        return HY_EINVAL;
    }
    rx0 = x - halo < 0 ? 0 : x - halo;
    ry0 = y - halo < 0 ? 0 : y - halo;
    rx1 = x + w + halo > s->info.width ? s->info.width : x + w + halo;
    ry1 = y + h + halo > s->info.height ? s->info.height : y + h + halo;
    rw = rx1 - rx0;
    rh = ry1 - ry0;
    for (int b = 0; b < HY_BAND_COUNT; b++)
        if (s->ds[b])
            read_mask |= 1u << b;
    st = hy_tile_alloc(s->ctx, rw, rh, s->info.band_mask, tile);
    if (st != HY_OK) {
        snprintf(s->err, sizeof(s->err), "%s: cannot allocate a %dx%d tile", s->path, rw, rh);
        return st;
    }
    tile->x0 = rx0;
    tile->y0 = ry0;
    tile->halo_left = x - rx0;
    tile->halo_top = y - ry0;
    tile->halo_right = rx1 - (x + w);
    tile->halo_bottom = ry1 - (y + h);
    memcpy(tile->geotransform, s->info.geotransform, sizeof(tile->geotransform));
    tile->crs_wkt = hy__strdup(s->ctx, s->crs_wkt);
    if (!tile->crs_wkt) {
        hy_tile_free(s->ctx, tile);
        return HY_ENOMEM;
    }
    memset(tile->valid, 1, (size_t)tile->stride * (size_t)rh);

    for (int b = 0; b < HY_BAND_COUNT; b++) {
        float *plane = tile->band[b];
        double mult = s->mult[b], add = s->add[b];
        if (!(read_mask >> b & 1))
            continue;
        CPLErrorReset();
        CPLPushErrorHandler(CPLQuietErrorHandler); /* the message goes into s->err */
        if (s->res_ratio[b] == 1 && s->off_x[b] == 0 && s->off_y[b] == 0) {
            err = GDALRasterIO(GDALGetRasterBand(s->ds[b], s->band_index[b]), GF_Read, rx0, ry0, rw,
                               rh, plane, rw, rh, GDT_Float32, 0,
                               (int)(tile->stride * (ptrdiff_t)sizeof(float)));
        } else {
            /* Another resolution or origin (Sentinel-2's 10 m and 60 m bands on the 20 m grid,
             * crops cut band by band): the window in the band's own pixels, resampled to the
             * grid by GDAL, nearest neighbour up (60 m: each pixel repeated 3 x 3) and average
             * down (10 m). */
            GDALRasterIOExtraArg extra;
            const double r = s->res_ratio[b];
            const double fx0 = s->off_x[b] + rx0 / r, fy0 = s->off_y[b] + ry0 / r;
            const double fw = rw / r, fh = rh / r;
            const int ix0 = (int)floor(fx0), iy0 = (int)floor(fy0);
            const int ix1 = (int)ceil(fx0 + fw), iy1 = (int)ceil(fy0 + fh);
            INIT_RASTERIO_EXTRA_ARG(extra);
            extra.eResampleAlg = r < 1 ? GRIORA_Average : GRIORA_NearestNeighbour;
            extra.bFloatingPointWindowValidity = TRUE;
            extra.dfXOff = fx0;
            extra.dfYOff = fy0;
            extra.dfXSize = fw;
            extra.dfYSize = fh;
            err = GDALRasterIOEx(GDALGetRasterBand(s->ds[b], s->band_index[b]), GF_Read, ix0, iy0,
                                 ix1 - ix0, iy1 - iy0, plane, rw, rh, GDT_Float32, 0,
                                 (GSpacing)(tile->stride * (ptrdiff_t)sizeof(float)), &extra);
        }
        CPLPopErrorHandler();
        if (err != CE_None) {
            snprintf(s->err, sizeof(s->err), "%s: %s band (%s): reading rows %d..%d failed: %s",
                     s->path, hy_band_name((hy_band)b), s->band_path[b] ? s->band_path[b] : "?",
                     ry0, ry1 - 1, CPLGetLastErrorMsg());
            hy_tile_free(s->ctx, tile);
            return HY_EIO;
        }
        for (int r = 0; r < rh; r++) {
            float *row = plane + (ptrdiff_t)r * tile->stride;
            uint8_t *valid = tile->valid + (ptrdiff_t)r * tile->stride;
            for (int c = 0; c < rw; c++) {
                if (row[c] == 0.0f) /* DN 0 is fill */
                    valid[c] = 0;
                row[c] = (float)((mult * row[c] + add) * s->sun_factor);
            }
        }
    }
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        int from = s->standin_for[b];
        if (from >= 0 && tile->band[b] && tile->band[from])
            memcpy(tile->band[b], tile->band[from],
                   (size_t)tile->stride * (size_t)rh * sizeof(float));
    }
    return HY_OK;
}
