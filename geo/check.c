/* geo/check.c - checking a township layer before it is trusted with alerts: invalid rings,
 * townships that overlap (a fire in both would go to two officers) and gaps (a fire there goes
 * to nobody). GEOS does the geometry, through OGR. */
#include "geo/geo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_error.h>

typedef struct feature {
    OGRGeometryH g; /* WGS84, valid (repaired where GEOS could) */
    OGREnvelope env;
    char code[16];
} feature;

/* Area in m2 of a lon/lat geometry, by the local scale at its centroid (fine for township
 * sizes: the error is the cos(latitude) change across it). */
static double area_m2(OGRGeometryH g, double *lon, double *lat)
{
    OGRGeometryH c = OGR_G_CreateGeometry(wkbPoint);
    double a = OGR_G_Area(g);
    OGR_G_Centroid(g, c);
    *lon = OGR_G_GetX(c, 0);
    *lat = OGR_G_GetY(c, 0);
    OGR_G_DestroyGeometry(c);
    return a * HY__M_PER_DEG_LON_0 * cos(*lat * HY__DEG) * HY__M_PER_DEG_LAT;
}

hy_status hy_townships_check(const hy_ctx *ctx, const hy_townships_config *cfg, double min_area_m2,
                             void (*fn)(void *user, const hy_townships_issue *i), void *user,
                             size_t *n_issues, char *err, size_t err_size)
{
    hy__vector vec;
    feature *f = NULL;
    size_t n = 0, cap = 0, issues = 0, fid = 0;
    OGRFeatureH feat;
    OGRGeometryH all = NULL, un = NULL;
    int fcode;
    hy_status st;

    *n_issues = 0;
    if (!ctx || !cfg || !cfg->path || !fn || !(min_area_m2 >= 0))
        return HY_EINVAL;
    if ((st = hy__vector_open(cfg->path, cfg->layer, NULL, &vec, err, err_size)) != HY_OK)
        return st;
    fcode = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(vec.layer), cfg->code_field);
    if (fcode < 0) {
        snprintf(err, err_size, "%s: no code field \"%s\"", cfg->path, cfg->code_field);
        hy__vector_close(&vec);
        return HY_EFORMAT;
    }
    all = OGR_G_CreateGeometry(wkbMultiPolygon);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    while ((feat = OGR_L_GetNextFeature(vec.layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat), fixed;
        feature *v;
        int invalid;
        fid++;
        if (!g || OGR_G_IsEmpty(g) || (vec.to_wgs84 && OGR_G_Transform(g, vec.to_wgs84))) {
            OGR_F_Destroy(feat);
            continue;
        }
        if (!(v = hy__grow(ctx, f, &cap, n + 1, sizeof(*f)))) {
            OGR_F_Destroy(feat);
            st = HY_ENOMEM;
            goto done;
        }
        f = v;
        memset(&f[n], 0, sizeof(f[n]));
        snprintf(f[n].code, sizeof(f[n].code), "%s", OGR_F_GetFieldAsString(feat, fcode));
        g = OGR_G_Clone(g);
        if (cfg->gcj02)
            hy__gcj02_geometry_to_wgs84(g);
        fixed = hy__make_valid(g, &invalid);
        if (invalid) {
            hy_townships_issue is = {"invalid", f[n].code, "", NAN, NAN, NAN, fixed != NULL};
            {
                OGREnvelope e;
                OGR_G_GetEnvelope(g, &e);
                is.lon = (e.MinX + e.MaxX) / 2;
                is.lat = (e.MinY + e.MaxY) / 2;
            }
            fn(user, &is);
            issues++;
            if (fixed) {
                OGR_G_DestroyGeometry(g);
                g = fixed;
            }
        }
        f[n].g = g;
        OGR_G_GetEnvelope(g, &f[n].env);
        n++;
        OGR_F_Destroy(feat);
    }
    /* overlaps: every pair whose envelopes meet */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            OGRGeometryH x;
            if (f[i].env.MaxX < f[j].env.MinX || f[j].env.MaxX < f[i].env.MinX ||
                f[i].env.MaxY < f[j].env.MinY || f[j].env.MaxY < f[i].env.MinY)
                continue;
            x = OGR_G_Intersection(f[i].g, f[j].g);
            if (x && !OGR_G_IsEmpty(x)) {
                hy_townships_issue is = {"overlap", f[i].code, f[j].code, 0, 0, 0, 0};
                is.area_m2 = area_m2(x, &is.lon, &is.lat);
                if (is.area_m2 > min_area_m2) {
                    fn(user, &is);
                    issues++;
                }
            }
            if (x)
                OGR_G_DestroyGeometry(x);
        }
    }
    /* gaps: the holes of the union of all townships */
    for (size_t i = 0; i < n; i++) {
        /* a multipolygon (or a repaired polygon that became one) goes in part by part */
        const OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(f[i].g));
        if (t == wkbPolygon)
            OGR_G_AddGeometry(all, f[i].g);
        else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
            for (int k = 0; k < OGR_G_GetGeometryCount(f[i].g); k++) {
                OGRGeometryH part = OGR_G_GetGeometryRef(f[i].g, k);
                if (wkbFlatten(OGR_G_GetGeometryType(part)) == wkbPolygon)
                    OGR_G_AddGeometry(all, part);
            }
    }
    un = OGR_G_UnionCascaded(all);
    if (un) {
        const int multi = wkbFlatten(OGR_G_GetGeometryType(un)) == wkbMultiPolygon;
        const int parts = multi ? OGR_G_GetGeometryCount(un) : 1;
        for (int p = 0; p < parts; p++) {
            OGRGeometryH poly = multi ? OGR_G_GetGeometryRef(un, p) : un;
            for (int r = 1; r < OGR_G_GetGeometryCount(poly); r++) {
                OGRGeometryH hole = OGR_G_CreateGeometry(wkbPolygon);
                hy_townships_issue is = {"gap", "", "", 0, 0, 0, 0};
                OGR_G_AddGeometry(hole, OGR_G_GetGeometryRef(poly, r));
                is.area_m2 = area_m2(hole, &is.lon, &is.lat);
                if (is.area_m2 > min_area_m2) {
                    fn(user, &is);
                    issues++;
                }
                OGR_G_DestroyGeometry(hole);
            }
        }
    }
    st = HY_OK;
    *n_issues = issues;
done:
    CPLPopErrorHandler();
    if (un)
        OGR_G_DestroyGeometry(un);
    if (all)
        OGR_G_DestroyGeometry(all);
    for (size_t i = 0; i < n; i++)
        OGR_G_DestroyGeometry(f[i].g);
    hy__free(ctx, f);
    hy__vector_close(&vec);
    return st;
}
