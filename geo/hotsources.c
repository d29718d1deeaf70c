/* geo/hotsources.c - the static hot-source mask: steel, coke, power and cement plants that
 * show up as fire every pass. Built from a vector file of points (with a radius) and polygons,
 * or from FIRMS archive rows of type 2 ("static land source"). A detection inside the mask is
 * kept and flagged, not alerted. */
#include "geo/geo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

typedef struct hot_point {
    double lon, lat, radius_m;
} hot_point;

struct hy_hotsources {
    const hy_ctx *ctx;
    hot_point *points;
    size_t npoints, cap_points;
    OGRGeometryH *polygons; /* WGS84, lon/lat order */
    size_t npolygons, cap_polygons;
};

void hy_hotsources_config_init(hy_hotsources_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->radius_m = 1000;
}

double hy_geo_distance_m(double lon1, double lat1, double lon2, double lat2)
{
    const double k = M_PI / 180, r = 6371008.8;
    const double x = (lon2 - lon1) * k * cos((lat1 + lat2) / 2 * k), y = (lat2 - lat1) * k;
    return r * sqrt(x * x + y * y);
}

static int add_point(hy_hotsources *hs, double lon, double lat, double radius_m)
{
    hot_point *v = hy__grow(hs->ctx, hs->points, &hs->cap_points, hs->npoints + 1, sizeof(*v));
    if (!v)
        return -1;
    hs->points = v;
    v[hs->npoints].lon = lon;
    v[hs->npoints].lat = lat;
    v[hs->npoints].radius_m = radius_m;
    hs->npoints++;
    return 0;
}

static int add_polygon(hy_hotsources *hs, OGRGeometryH g)
{
    OGRGeometryH *v =
        hy__grow(hs->ctx, hs->polygons, &hs->cap_polygons, hs->npolygons + 1, sizeof(*v));
    if (!v)
        return -1;
    hs->polygons = v;
    v[hs->npolygons++] = g;
    return 0;
}

hy_status hy_hotsources_load(const hy_ctx *ctx, const hy_hotsources_config *cfg,
                             hy_hotsources **out, char *err, size_t err_size)
{
    /* FIRMS CSVs name their coordinate columns latitude/longitude; other CSVs may too. */
    static const char *const csv_options[] = {"X_POSSIBLE_NAMES=longitude,lon,x",
                                              "Y_POSSIBLE_NAMES=latitude,lat,y",
                                              "KEEP_GEOM_COLUMNS=NO", NULL};
    char dummy[8];
    hy_hotsources *hs = NULL;
    hy__vector vec;
    OGRLayerH layer;
    OGRFeatureH f;
    OGRCoordinateTransformationH ct;
    int ftype, fradius;
    size_t features = 0, skipped = 0;
    hy_status st = HY_EFORMAT;

    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !cfg->path || !(cfg->radius_m > 0 && cfg->radius_m <= 50000)) {
        snprintf(err, err_size, "hot sources: need a path and a radius in (0, 50000] m");
        return HY_EINVAL;
    }
    if ((st = hy__vector_open(cfg->path, NULL, csv_options, &vec, err, err_size)) != HY_OK)
        return st;
    st = HY_EFORMAT;
    layer = vec.layer;
    ct = vec.to_wgs84;
    /* A FIRMS archive: its `type` column says which rows are static land sources (2). */
    ftype = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "type");
    fradius = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "radius_m");
    hs = hy__calloc(ctx, 1, sizeof(*hs));
    if (!hs) {
        st = HY_ENOMEM;
        goto fail;
    }
    hs->ctx = ctx;
    while ((f = OGR_L_GetNextFeature(layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType t;
        int bad = 0;
        features++;
        if (ftype >= 0 &&
            (OGR_F_IsFieldSetAndNotNull(f, ftype) == 0 || OGR_F_GetFieldAsInteger(f, ftype) != 2)) {
            OGR_F_Destroy(f);
            continue; /* FIRMS: vegetation fire, volcano or offshore */
        }
        if (!g || OGR_G_IsEmpty(g) || (ct && OGR_G_Transform(g, ct) != OGRERR_NONE)) {
            skipped++;
            OGR_F_Destroy(f);
            continue;
        }
        t = wkbFlatten(OGR_G_GetGeometryType(g));
        if (t == wkbPoint) {
            double r = fradius >= 0 && OGR_F_IsFieldSetAndNotNull(f, fradius)
                           ? OGR_F_GetFieldAsDouble(f, fradius)
                           : cfg->radius_m;
            if (!(r > 0 && r <= 50000)) {
                snprintf(err, err_size, "%s: feature %zu: radius_m = %g, want (0, 50000]",
                         cfg->path, features, r);
                OGR_F_Destroy(f);
                goto fail;
            }
            bad = add_point(hs, OGR_G_GetX(g, 0), OGR_G_GetY(g, 0), r);
        } else if (t == wkbPolygon || t == wkbMultiPolygon) {
            OGRGeometryH copy = OGR_G_Clone(g);
            bad = !copy || add_polygon(hs, copy);
            if (bad && copy)
                OGR_G_DestroyGeometry(copy);
        } else {
            skipped++;
        }
        OGR_F_Destroy(f);
        if (bad) {
            st = HY_ENOMEM;
            snprintf(err, err_size, "%s: out of memory", cfg->path);
            goto fail;
        }
    }
    if (skipped)
        hy__log(ctx, HY_LOG_WARN, "%s: %zu features without a point or polygon skipped", cfg->path,
                skipped);
    hy__log(ctx, HY_LOG_INFO,
            "%s: %zu static hot sources (%zu points, %zu polygons) from %zu "
            "features",
            cfg->path, hs->npoints + hs->npolygons, hs->npoints, hs->npolygons, features);
    hy__vector_close(&vec);
    *out = hs;
    return HY_OK;
fail:
    hy__vector_close(&vec);
    hy_hotsources_destroy(hs);
    return st;
}

size_t hy_hotsources_count(const hy_hotsources *hs)
{
    return hs ? hs->npoints + hs->npolygons : 0;
}

int hy_hotsources_contains(const hy_hotsources *hs, double lon, double lat)
{
    if (!hs || isnan(lon) || isnan(lat))
        return 0;
    for (size_t i = 0; i < hs->npoints; i++) {
        const hot_point *p = &hs->points[i];
        /* cheap box first: 1 degree of latitude is at least 110.5 km */
        if (fabs(p->lat - lat) * 110500 > p->radius_m)
            continue;
        if (hy_geo_distance_m(p->lon, p->lat, lon, lat) <= p->radius_m)
            return 1;
    }
    if (hs->npolygons) {
        int in = 0;
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(pt, 0, lon, lat);
        for (size_t i = 0; i < hs->npolygons && !in; i++)
            in = OGR_G_Contains(hs->polygons[i], pt);
        OGR_G_DestroyGeometry(pt);
        return in;
    }
    return 0;
}

void hy_hotsources_destroy(hy_hotsources *hs)
{
    if (!hs)
        return;
    for (size_t i = 0; i < hs->npolygons; i++)
        OGR_G_DestroyGeometry(hs->polygons[i]);
    hy__free(hs->ctx, hs->polygons);
    hy__free(hs->ctx, hs->points);
    hy__free(hs->ctx, hs);
}
