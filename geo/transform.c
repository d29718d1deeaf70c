/* geo/transform.c - grid pixels to WGS84 through OSR, with the traditional GIS axis order
 * (x = longitude, y = latitude) whatever the CRS's own axis order. */
#include "geo/geo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <ogr_srs_api.h>

struct hy_geo_transform {
    const hy_ctx *ctx;
    double gt[6];
    OGRSpatialReferenceH src, dst;
    OGRCoordinateTransformationH ct; /* NULL when the grid is already WGS84 */
    /* a swath instead: per-pixel centre longitudes and latitudes, w x h */
    float *glon, *glat;
    int gw, gh;
};

hy_status hy_geo_transform_create(const hy_ctx *ctx, const char *crs, const double gt[6],
                                  hy_geo_transform **out)
{
    hy_geo_transform *t;

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !crs || !gt)
        return HY_EINVAL;
    t = hy__calloc(ctx, 1, sizeof(*t));
    if (!t)
        return HY_ENOMEM;
    t->ctx = ctx;
    memcpy(t->gt, gt, sizeof(t->gt));
    t->src = OSRNewSpatialReference(NULL);
    t->dst = hy__wgs84_new();
    if (!t->src || !t->dst)
        goto fail;
    if (OSRSetFromUserInput(t->src, crs) != OGRERR_NONE) {
        hy__log(ctx, HY_LOG_ERROR, "grid CRS not understood: %.120s", crs);
        hy_geo_transform_destroy(t);
        return HY_EFORMAT;
    }
    OSRSetAxisMappingStrategy(t->src, OAMS_TRADITIONAL_GIS_ORDER);
    if (!OSRIsSame(t->src, t->dst)) {
        t->ct = OCTNewCoordinateTransformation(t->src, t->dst);
        if (!t->ct) {
            hy__log(ctx, HY_LOG_ERROR, "no transformation from the grid CRS to WGS84");
            hy_geo_transform_destroy(t);
            return HY_EFORMAT;
        }
    }
    *out = t;
    return HY_OK;
fail:
    hy_geo_transform_destroy(t);
    return HY_ENOMEM;
}

hy_status hy_geo_transform_create_swath(const hy_ctx *ctx, const float *lon, const float *lat,
                                        int w, int h, hy_geo_transform **out)
{
    hy_geo_transform *t;
    const size_t n = (size_t)(w > 0 ? w : 0) * (size_t)(h > 0 ? h : 0);
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !lon || !lat || w < 2 || h < 2)
        return HY_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!(fabsf(lon[i]) <= 180 && fabsf(lat[i]) <= 90)) {
            hy__log(ctx, HY_LOG_ERROR,
                    "swath geolocation: pixel %zu, %zu: %g, %g is no longitude, "
                    "latitude",
                    i % (size_t)w, i / (size_t)w, lon[i], lat[i]);
            return HY_EFORMAT;
        }
    t = hy__calloc(ctx, 1, sizeof(*t));
    if (!t)
        return HY_ENOMEM;
    t->ctx = ctx;
    t->gw = w;
    t->gh = h;
    t->glon = hy__malloc(ctx, n * sizeof(float));
    t->glat = hy__malloc(ctx, n * sizeof(float));
    if (!t->glon || !t->glat) {
        hy_geo_transform_destroy(t);
        return HY_ENOMEM;
    }
    memcpy(t->glon, lon, n * sizeof(float));
    memcpy(t->glat, lat, n * sizeof(float));
    *out = t;
    return HY_OK;
}

/* Bilinear between the four pixel centres around (col, row), longitudes unwrapped around the
 * first so that a swath across the antimeridian interpolates the short way. */
static hy_status swath_lonlat(const hy_geo_transform *t, double col, double row, double *lon,
                              double *lat)
{
    const double c = col - 0.5, r = row - 0.5;
    int c0, r0;
    double fx, fy, l[4], p[4], v;
    if (!(c >= 0 && r >= 0 && c <= t->gw - 1 && r <= t->gh - 1))
        return HY_ENOTFOUND;
    c0 = (int)fmin(c, t->gw - 2);
    r0 = (int)fmin(r, t->gh - 2);
    fx = c - c0;
    fy = r - r0;
    for (int k = 0; k < 4; k++) {
        const size_t i = (size_t)(r0 + k / 2) * (size_t)t->gw + (size_t)(c0 + k % 2);
        l[k] = t->glon[i];
        p[k] = t->glat[i];
        if (k > 0 && l[k] - l[0] > 180)
            l[k] -= 360;
        else if (k > 0 && l[k] - l[0] < -180)
            l[k] += 360;
    }
    v = (1 - fy) * ((1 - fx) * l[0] + fx * l[1]) + fy * ((1 - fx) * l[2] + fx * l[3]);
    *lon = v > 180 ? v - 360 : v < -180 ? v + 360 : v;
    *lat = (1 - fy) * ((1 - fx) * p[0] + fx * p[1]) + fy * ((1 - fx) * p[2] + fx * p[3]);
    return HY_OK;
}

hy_status hy_geo_pixels_centre(hy_geo_transform *t, const double *cols, const double *rows,
                               size_t n, double *lon, double *lat)
{
    double x = 0, y = 0, z = 0;
    if (!t || !cols || !rows || !n || !lon || !lat)
        return HY_EINVAL;
    for (size_t i = 0; i < n; i++) {
        double lo, la;
        hy_status st = hy_geo_pixel_to_lonlat(t, cols[i], rows[i], &lo, &la);
        if (st != HY_OK)
            return st;
        lo *= HY__DEG;
        la *= HY__DEG;
        x += cos(la) * cos(lo);
        y += cos(la) * sin(lo);
        z += sin(la);
    }
    *lon = atan2(y, x) / HY__DEG;
    *lat = atan2(z, hypot(x, y)) / HY__DEG;
    return HY_OK;
}

hy_status hy_geo_pixel_to_lonlat(hy_geo_transform *t, double col, double row, double *lon,
                                 double *lat)
{
    double x, y;
    if (!t || !lon || !lat)
        return HY_EINVAL;
    if (t->glon)
        return swath_lonlat(t, col, row, lon, lat);
    x = t->gt[0] + col * t->gt[1] + row * t->gt[2];
    y = t->gt[3] + col * t->gt[4] + row * t->gt[5];
    if (t->ct && !OCTTransform(t->ct, 1, &x, &y, NULL))
        return HY_EFORMAT;
    *lon = x;
    *lat = y;
    return HY_OK;
}

void hy_geo_transform_destroy(hy_geo_transform *t)
{
    if (!t)
        return;
    if (t->ct)
        OCTDestroyCoordinateTransformation(t->ct);
    if (t->src)
        OSRDestroySpatialReference(t->src);
    if (t->dst)
        OSRDestroySpatialReference(t->dst);
    hy__free(t->ctx, t->glon);
    hy__free(t->ctx, t->glat);
    hy__free(t->ctx, t);
}

void hy_geo_set_township(hy_detection *d, const hy_township *tp)
{
    snprintf(d->township_code, sizeof(d->township_code), "%s", tp ? tp->code : "");
    snprintf(d->township_name, sizeof(d->township_name), "%s", tp ? tp->name : "");
    snprintf(d->township_county, sizeof(d->township_county), "%s", tp ? tp->county : "");
}

void hy_geo_assign_township(const hy_townships *tw, double max_outside_m, hy_detection *d)
{
    double dist = 0;
    const hy_township *tp = tw && !isnan(d->lon) && !isnan(d->lat)
                                ? hy_townships_nearest(tw, d->lon, d->lat, max_outside_m, &dist)
                                : NULL;
    hy_geo_set_township(d, tp);
    d->township_outside_m = tp ? dist : 0;
}

hy_status hy_geo_place(hy_geo_transform *t, const hy_townships *tw, double max_outside_m,
                       hy_detection *d)
{
    hy_status st;
    if (!t || !d || isnan(d->px) || isnan(d->py))
        return HY_EINVAL;
    if ((st = hy_geo_pixel_to_lonlat(t, d->px, d->py, &d->lon, &d->lat)) != HY_OK)
        return st;
    hy_geo_assign_township(tw, max_outside_m, d);
    return HY_OK;
}
