/* alerts/mask.c - the fire mask of a scene as a Cloud-Optimised GeoTIFF: one byte a pixel on
 * the scene's grid, 0 where no fire, else the HY_FIRE_* bits of the tests the pixel passed, so
 * that an analyst in QGIS sees why each pixel fired. */
#include "alerts/alerts.h"

#include <stdio.h>
#include <string.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

hy_status hy_mask_write_cog(const char *path, int width, int height, const double gt[6],
                            const char *crs_wkt, const hy_fire_pixel *px, size_t n, char *err,
                            size_t err_size)
{
    static const char *const cog_options[] = {"COMPRESS=DEFLATE", "OVERVIEWS=NONE", "BLOCKSIZE=512",
                                              NULL};
    char dummy[8];
    GDALDriverH mem, cog;
    GDALDatasetH src = NULL, dst = NULL;
    GDALRasterBandH band;
    hy_status st = HY_EIO;

    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || width <= 0 || height <= 0 || !gt || (!px && n))
        return HY_EINVAL;
    GDALAllRegister();
    mem = GDALGetDriverByName("MEM");
    cog = GDALGetDriverByName("COG");
    if (!mem || !cog) {
        snprintf(err, err_size, "%s: this GDAL has no MEM or COG driver", path);
        return HY_EINVAL;
    }
    /* The mask is built in memory (one byte a pixel: 62 MB for a full Landsat scene) and
     * copied out as a COG, which GDAL can only write by copying. */
    src = GDALCreate(mem, "", width, height, 1, GDT_Byte, NULL);
    if (!src) {
        snprintf(err, err_size, "%s: cannot allocate a %dx%d mask", path, width, height);
        return HY_ENOMEM;
    }
    GDALSetGeoTransform(src, (double *)gt);
    if (crs_wkt)
        GDALSetProjection(src, crs_wkt);
    band = GDALGetRasterBand(src, 1);
    GDALSetRasterNoDataValue(band, 0);
    GDALSetDescription(band, "fire tests (bits: 1 candidate, 2 unambiguous 1, 4 unambiguous 2, "
                             "8 context, 16 neighbour)");
    for (size_t i = 0; i < n; i++) {
        GByte v = (GByte)px[i].bits;
        if (px[i].x < 0 || px[i].y < 0 || px[i].x >= width || px[i].y >= height)
            continue;
        if (GDALRasterIO(band, GF_Write, px[i].x, px[i].y, 1, 1, &v, 1, 1, GDT_Byte, 0, 0) !=
            CE_None) {
            snprintf(err, err_size, "%s: cannot set pixel %d,%d", path, px[i].x, px[i].y);
            goto done;
        }
    }
    remove(path);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    dst = GDALCreateCopy(cog, path, src, FALSE, (char **)cog_options, NULL, NULL);
    CPLPopErrorHandler();
    if (!dst) {
        snprintf(err, err_size, "%s: cannot write the COG: %s", path, CPLGetLastErrorMsg());
        goto done;
    }
    st = HY_OK;
done:
    if (dst)
        GDALClose(dst);
    GDALClose(src);
    return st;
}
