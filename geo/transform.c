/* geo/transform.c - grid pixels to WGS84 through OSR, with the traditional GIS axis order
 * (x = longitude, y = latitude) whatever the CRS's own axis order. */
#include "geo/geo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <ogr_srs_api.h>

struct hy_geo_transform {
    const hy_ctx *ctx;
    double gt[6];
    OGRSpatialReferenceH src, dst;
    OGRCoordinateTransformationH ct; /* NULL when the grid is already WGS84 */
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
    t->dst = OSRNewSpatialReference(NULL);
    if (!t->src || !t->dst)
        goto fail;
    if (OSRSetFromUserInput(t->src, crs) != OGRERR_NONE) {
        hy__log(ctx, HY_LOG_ERROR, "grid CRS not understood: %.120s", crs);
        hy_geo_transform_destroy(t);
        return HY_EFORMAT;
    }
    OSRImportFromEPSG(t->dst, 4326);
    OSRSetAxisMappingStrategy(t->src, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(t->dst, OAMS_TRADITIONAL_GIS_ORDER);
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

hy_status hy_geo_pixel_to_lonlat(hy_geo_transform *t, double col, double row, double *lon,
                                 double *lat)
{
    double x, y;
    if (!t || !lon || !lat)
        return HY_EINVAL;
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
    hy__free(t->ctx, t);
}

void hy_geo_set_township(hy_detection *d, const hy_township *tp)
{
    snprintf(d->township_code, sizeof(d->township_code), "%s", tp ? tp->code : "");
    snprintf(d->township_name, sizeof(d->township_name), "%s", tp ? tp->name : "");
    snprintf(d->township_county, sizeof(d->township_county), "%s", tp ? tp->county : "");
}

hy_status hy_geo_place(hy_geo_transform *t, const hy_townships *tw, hy_detection *d)
{
    hy_status st;
    if (!t || !d || isnan(d->px) || isnan(d->py))
        return HY_EINVAL;
    if ((st = hy_geo_pixel_to_lonlat(t, d->px, d->py, &d->lon, &d->lat)) != HY_OK)
        return st;
    hy_geo_set_township(d, tw ? hy_townships_lookup(tw, d->lon, d->lat) : NULL);
    return HY_OK;
}
