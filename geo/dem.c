/* geo/dem.c - a digital elevation model read whole with GDAL, sampled at WGS84 points.
 * Town-scale DEMs (a 35 km camera radius at 30 m is 2,400 x 2,400 cells, 23 MB) fit in memory,
 * so sampling is a bilinear interpolation in an array, not a GDAL read per step. */
#include "geo/geo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_srs_api.h>

struct hy_dem {
    const hy_ctx *ctx;
    int w, h;
    float *z;                                /* w x h, NAN where the DEM has no data */
    double gt[6];                            /* GDAL geotransform */
    double inv[6];                           /* its inverse */
    double cell_m;                           /* the smaller cell side in metres */
    OGRCoordinateTransformationH from_wgs84; /* NULL when the DEM is in WGS84 */
};

hy_status hy_dem_open(const hy_ctx *ctx, const char *path, hy_dem **out, char *err, size_t err_size)
{
    GDALDatasetH ds;
    GDALRasterBandH b;
    hy_dem *d;
    int has_nodata = 0;
    double nodata;
    const char *wkt;

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !path)
        return HY_EINVAL;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpen(path, GA_ReadOnly);
    CPLPopErrorHandler();
    if (!ds) {
        snprintf(err, err_size, "%s: cannot open as a raster", path);
        return HY_EIO;
    }
    d = hy__calloc(ctx, 1, sizeof(*d));
    if (!d) {
        GDALClose(ds);
        return HY_ENOMEM;
    }
    d->ctx = ctx;
    d->w = GDALGetRasterXSize(ds);
    d->h = GDALGetRasterYSize(ds);
    wkt = GDALGetProjectionRef(ds);
    if (GDALGetRasterCount(ds) < 1 || GDALGetGeoTransform(ds, d->gt) != CE_None || !wkt || !*wkt ||
        !GDALInvGeoTransform(d->gt, d->inv) || d->w < 2 || d->h < 2) {
        snprintf(err, err_size,
                 "%s: expected a georeferenced raster (geotransform and CRS) of at "
                 "least 2 x 2 cells",
                 path);
        goto fail_format;
    }
    {
        OGRSpatialReferenceH src = OSRNewSpatialReference(wkt), wgs = hy__wgs84_new();
        OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        const int same = OSRIsSame(src, wgs);
        if (!same)
            d->from_wgs84 = OCTNewCoordinateTransformation(wgs, src);
        if (OSRIsGeographic(src)) {
            /* degrees: the east-west side is shortest at the edge furthest from the equator */
            const double lat = fmin(fmax(fabs(d->gt[3]), fabs(d->gt[3] + d->h * d->gt[5])), 89.0);
            d->cell_m = fmin(fabs(d->gt[1]) * HY__M_PER_DEG_LON_0 * cos(lat * HY__DEG),
                             fabs(d->gt[5]) * HY__M_PER_DEG_LAT);
        } else {
            d->cell_m = fmin(fabs(d->gt[1]), fabs(d->gt[5])) * OSRGetLinearUnits(src, NULL);
        }
        OSRDestroySpatialReference(src);
        OSRDestroySpatialReference(wgs);
        if (!same && !d->from_wgs84) {
            snprintf(err, err_size, "%s: no transformation from WGS84 to the DEM's CRS", path);
            goto fail_format;
        }
    }
    d->z = hy__malloc(ctx, (size_t)d->w * (size_t)d->h * sizeof(float));
    if (!d->z) {
        GDALClose(ds);
        hy_dem_destroy(d);
        return HY_ENOMEM;
    }
    b = GDALGetRasterBand(ds, 1);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (GDALRasterIO(b, GF_Read, 0, 0, d->w, d->h, d->z, d->w, d->h, GDT_Float32, 0, 0) !=
        CE_None) {
        CPLPopErrorHandler();
        snprintf(err, err_size, "%s: cannot read the elevations: %s", path, CPLGetLastErrorMsg());
        GDALClose(ds);
        hy_dem_destroy(d);
        return HY_EIO;
    }
    CPLPopErrorHandler();
    nodata = GDALGetRasterNoDataValue(b, &has_nodata);
    for (size_t i = 0; i < (size_t)d->w * (size_t)d->h; i++)
        if ((has_nodata && d->z[i] == (float)nodata) || !isfinite(d->z[i]))
            d->z[i] = NAN;
    GDALClose(ds);
    *out = d;
    return HY_OK;
fail_format:
    GDALClose(ds);
    hy_dem_destroy(d);
    return HY_EFORMAT;
}

double hy_dem_cell_m(const hy_dem *d)
{
    return d ? d->cell_m : NAN;
}

hy_status hy_dem_height(const hy_dem *d, double lon, double lat, double *z)
{
    double x = lon, y = lat, col, row, fx, fy;
    int c0, r0;
    const float *p;
    if (!d || !z)
        return HY_EINVAL;
    if (d->from_wgs84 && !OCTTransform(d->from_wgs84, 1, &x, &y, NULL))
        return HY_ENOTFOUND;
    /* cell centres are at +0.5: interpolate between the four around the point */
    col = d->inv[0] + x * d->inv[1] + y * d->inv[2] - 0.5;
    row = d->inv[3] + x * d->inv[4] + y * d->inv[5] - 0.5;
    if (!(col >= 0 && row >= 0 && col <= d->w - 1 && row <= d->h - 1))
        return HY_ENOTFOUND;
    c0 = (int)fmin(col, d->w - 2);
    r0 = (int)fmin(row, d->h - 2);
    fx = col - c0;
    fy = row - r0;
    p = d->z + (size_t)r0 * (size_t)d->w + (size_t)c0;
    *z = (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) + fy * ((1 - fx) * p[d->w] + fx * p[d->w + 1]);
    return isnan(*z) ? HY_ENOTFOUND : HY_OK;
}

void hy_dem_destroy(hy_dem *d)
{
    if (!d)
        return;
    if (d->from_wgs84)
        OCTDestroyCoordinateTransformation(d->from_wgs84);
    hy__free(d->ctx, d->z);
    hy__free(d->ctx, d);
}
