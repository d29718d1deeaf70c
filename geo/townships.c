/* geo/townships.c - township polygons from any OGR source, and point lookups through a
 * uniform grid of candidate lists over the polygons' bounding boxes. */
#include "geo/geo_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#define GRID_MAX 512

typedef struct ring {
    size_t first, count; /* into pts (x, y pairs) */
} ring;

typedef struct town {
    hy_township info;
    double x0, y0, x1, y1; /* bounding box */
    size_t first_ring, nrings;
} town;

struct hy_townships {
    const hy_ctx *ctx;
    town *towns;
    size_t ntowns;
    ring *rings;
    size_t nrings, cap_rings;
    double *pts; /* x0, y0, x1, y1, ... */
    size_t npts, cap_pts;
    /* grid index: cell (i, j) lists towns whose box meets it */
    int gw, gh;
    double gx0, gy0, gdx, gdy;
    uint32_t *cell_start; /* gw*gh + 1 */
    uint32_t *cell_towns;
};

void hy_townships_config_init(hy_townships_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->code_field = "code";
    cfg->name_field = "name";
    cfg->county_field = "county";
}

static int add_ring(hy_townships *tw, OGRGeometryH r, town *t)
{
    int n = OGR_G_GetPointCount(r);
    if (n < 4)
        return 0; /* degenerate ring: nothing to contain */
    ring *rv = hy__grow(tw->ctx, tw->rings, &tw->cap_rings, tw->nrings + 1, sizeof(*rv));
    double *pv;
    if (!rv)
        return -1;
    tw->rings = rv;
    pv = hy__grow(tw->ctx, tw->pts, &tw->cap_pts, tw->npts + (size_t)n, 2 * sizeof(*pv));
    if (!pv)
        return -1;
    tw->pts = pv;
    tw->rings[tw->nrings].first = tw->npts;
    tw->rings[tw->nrings].count = (size_t)n;
    tw->nrings++;
    for (int i = 0; i < n; i++) {
        const double x = OGR_G_GetX(r, i), y = OGR_G_GetY(r, i);
        tw->pts[2 * tw->npts] = x;
        tw->pts[2 * tw->npts + 1] = y;
        tw->npts++;
        if (x < t->x0)
            t->x0 = x;
        if (x > t->x1)
            t->x1 = x;
        if (y < t->y0)
            t->y0 = y;
        if (y > t->y1)
            t->y1 = y;
    }
    t->nrings++;
    return 0;
}

/* Add every ring of a polygon or multipolygon (or collection of them). */
static int add_geometry(hy_townships *tw, OGRGeometryH g, town *t)
{
    OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbPolygon) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (add_ring(tw, OGR_G_GetGeometryRef(g, i), t) < 0)
                return -1;
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (add_geometry(tw, OGR_G_GetGeometryRef(g, i), t) < 0)
                return -1;
    }
    return 0;
}

static int field_index(OGRFeatureDefnH defn, const char *name, char *err, size_t err_size,
                       const char *path, const char *role)
{
    int i = OGR_FD_GetFieldIndex(defn, name);
    if (i < 0) {
        size_t len = 0;
        len += (size_t)snprintf(err, err_size, "%s: no %s field \"%s\"; fields are:", path, role,
                                name);
        for (int f = 0; f < OGR_FD_GetFieldCount(defn) && len < err_size; f++)
            len += (size_t)snprintf(err + len, err_size - len, " %s",
                                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, f)));
    }
    return i;
}

static hy_status build_grid(hy_townships *tw)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    size_t ncells, total = 0;
    uint32_t *fill = NULL;

    for (size_t i = 0; i < tw->ntowns; i++) {
        const town *t = &tw->towns[i];
        x0 = fmin(x0, t->x0);
        y0 = fmin(y0, t->y0);
        x1 = fmax(x1, t->x1);
        y1 = fmax(y1, t->y1);
    }
    /* About one town per cell, capped. */
    tw->gw = tw->gh = (int)fmin(GRID_MAX, fmax(1, ceil(sqrt((double)tw->ntowns)) * 2));
    tw->gx0 = x0;
    tw->gy0 = y0;
    tw->gdx = (x1 - x0) / tw->gw;
    tw->gdy = (y1 - y0) / tw->gh;
    if (!(tw->gdx > 0))
        tw->gdx = 1;
    if (!(tw->gdy > 0))
        tw->gdy = 1;
    ncells = (size_t)tw->gw * (size_t)tw->gh;
    tw->cell_start = hy__calloc(tw->ctx, ncells + 1, sizeof(uint32_t));
    if (!tw->cell_start)
        return HY_ENOMEM;
    /* Two passes: count, then fill (compressed rows). */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < tw->ntowns; i++) {
            const town *t = &tw->towns[i];
            int cx0 = (int)floor((t->x0 - tw->gx0) / tw->gdx),
                cx1 = (int)floor((t->x1 - tw->gx0) / tw->gdx);
            int cy0 = (int)floor((t->y0 - tw->gy0) / tw->gdy),
                cy1 = (int)floor((t->y1 - tw->gy0) / tw->gdy);
            cx0 = cx0 < 0 ? 0 : cx0;
            cy0 = cy0 < 0 ? 0 : cy0;
            cx1 = cx1 >= tw->gw ? tw->gw - 1 : cx1;
            cy1 = cy1 >= tw->gh ? tw->gh - 1 : cy1;
            for (int cy = cy0; cy <= cy1; cy++)
                for (int cx = cx0; cx <= cx1; cx++) {
                    size_t c = (size_t)cy * tw->gw + cx;
                    if (pass == 0)
                        tw->cell_start[c + 1]++;
                    else
                        tw->cell_towns[fill[c]++] = (uint32_t)i;
                }
        }
        if (pass == 0) {
            for (size_t c = 0; c < ncells; c++)
                tw->cell_start[c + 1] += tw->cell_start[c];
            total = tw->cell_start[ncells];
            tw->cell_towns = hy__calloc(tw->ctx, total ? total : 1, sizeof(uint32_t));
            fill = hy__malloc(tw->ctx, ncells * sizeof(uint32_t));
            if (!tw->cell_towns || !fill) {
                hy__free(tw->ctx, fill);
                return HY_ENOMEM;
            }
            memcpy(fill, tw->cell_start, ncells * sizeof(uint32_t));
        }
    }
    hy__free(tw->ctx, fill);
    return HY_OK;
}

hy_status hy_townships_load(const hy_ctx *ctx, const hy_townships_config *cfg, hy_townships **out,
                            char *err, size_t err_size)
{
    char dummy[8];
    hy_townships *tw = NULL;
    hy__vector vec;
    OGRLayerH layer;
    OGRFeatureDefnH defn;
    OGRCoordinateTransformationH ct;
    OGRFeatureH feat;
    int fcode, fname, fcounty;
    size_t cap = 0, fid = 0;
    hy_status st = HY_EFORMAT;

    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !cfg->path || !cfg->code_field || !cfg->name_field || !cfg->county_field) {
        snprintf(err, err_size, "hy_townships_load: no path or field names");
        return HY_EINVAL;
    }
    if ((st = hy__vector_open(cfg->path, cfg->layer, NULL, &vec, err, err_size)) != HY_OK)
        return st;
    st = HY_EFORMAT;
    layer = vec.layer;
    ct = vec.to_wgs84;
    defn = OGR_L_GetLayerDefn(layer);
    if ((fcode = field_index(defn, cfg->code_field, err, err_size, cfg->path, "code")) < 0 ||
        (fname = field_index(defn, cfg->name_field, err, err_size, cfg->path, "name")) < 0 ||
        (fcounty = field_index(defn, cfg->county_field, err, err_size, cfg->path, "county")) < 0)
        goto fail;
    tw = hy__calloc(ctx, 1, sizeof(*tw));
    if (!tw) {
        st = HY_ENOMEM;
        goto fail;
    }
    tw->ctx = ctx;
    OGR_L_ResetReading(layer);
    while ((feat = OGR_L_GetNextFeature(layer))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(feat);
        town *t;
        fid++;
        if (!g || OGR_G_IsEmpty(g)) {
            hy__log(ctx, HY_LOG_WARN, "%s: feature %zu has no geometry; skipped", cfg->path, fid);
            OGR_F_Destroy(feat);
            continue;
        }
        if (ct && OGR_G_Transform(g, ct) != OGRERR_NONE) {
            snprintf(err, err_size, "%s: feature %zu cannot be transformed to WGS84", cfg->path,
                     fid);
            OGR_F_Destroy(feat);
            goto fail;
        }
        if (cfg->gcj02)
            hy__gcj02_geometry_to_wgs84(g);
        /* Invalid geometry (self-intersecting rings, from digitising or simplification) is
         * repaired where GEOS can, and said so; otherwise it is kept as it is. */
        {
            int invalid;
            OGRGeometryH fixed = hy__make_valid(g, &invalid);
            if (fixed) {
                OGR_F_SetGeometryDirectly(feat, fixed);
                g = OGR_F_GetGeometryRef(feat);
            }
            if (invalid)
                hy__log(ctx, HY_LOG_WARN, "%s: feature %zu (%s): invalid geometry%s", cfg->path,
                        fid, OGR_F_GetFieldAsString(feat, fcode),
                        fixed ? " repaired" : ", kept as it is");
        }
        {
            town *v = hy__grow(ctx, tw->towns, &cap, tw->ntowns + 1, sizeof(*v));
            if (!v) {
                OGR_F_Destroy(feat);
                st = HY_ENOMEM;
                goto fail;
            }
            tw->towns = v;
        }
        t = &tw->towns[tw->ntowns];
        memset(t, 0, sizeof(*t));
        t->x0 = t->y0 = INFINITY;
        t->x1 = t->y1 = -INFINITY;
        t->first_ring = tw->nrings;
        snprintf(t->info.code, sizeof(t->info.code), "%s", OGR_F_GetFieldAsString(feat, fcode));
        snprintf(t->info.name, sizeof(t->info.name), "%s", OGR_F_GetFieldAsString(feat, fname));
        snprintf(t->info.county, sizeof(t->info.county), "%s",
                 OGR_F_GetFieldAsString(feat, fcounty));
        if (add_geometry(tw, g, t) < 0) {
            OGR_F_Destroy(feat);
            st = HY_ENOMEM;
            goto fail;
        }
        OGR_F_Destroy(feat);
        if (t->nrings == 0) {
            hy__log(ctx, HY_LOG_WARN, "%s: feature %zu (%s) has no polygon; skipped", cfg->path,
                    fid, t->info.code);
            continue;
        }
        tw->ntowns++;
    }
    if (tw->ntowns == 0) {
        snprintf(err, err_size, "%s: no township polygons in %zu features", cfg->path, fid);
        goto fail;
    }
    if ((st = build_grid(tw)) != HY_OK) {
        snprintf(err, err_size, "%s: out of memory", cfg->path);
        goto fail;
    }
    hy__vector_close(&vec);
    *out = tw;
    return HY_OK;
fail:
    hy__vector_close(&vec);
    hy_townships_destroy(tw);
    return st == HY_OK ? HY_EFORMAT : st;
}

/* Even-odd crossing test over every ring of t (W. R. Franklin's pnpoly). */
static int contains(const hy_townships *tw, const town *t, double x, double y)
{
    int inside = 0;
    for (size_t r = t->first_ring; r < t->first_ring + t->nrings; r++) {
        const double *p = tw->pts + 2 * tw->rings[r].first;
        size_t n = tw->rings[r].count;
        for (size_t i = 0, j = n - 1; i < n; j = i++) {
            double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                inside = !inside;
        }
    }
    return inside;
}

const hy_township *hy_townships_lookup(const hy_townships *tw, double lon, double lat)
{
    int cx, cy;
    size_t c;
    if (!tw || isnan(lon) || isnan(lat))
        return NULL;
    cx = (int)floor((lon - tw->gx0) / tw->gdx);
    cy = (int)floor((lat - tw->gy0) / tw->gdy);
    if (cx == tw->gw)
        cx--; /* the extent's far edge */
    if (cy == tw->gh)
        cy--;
    if (cx < 0 || cy < 0 || cx >= tw->gw || cy >= tw->gh)
        return NULL;
    c = (size_t)cy * tw->gw + cx;
    for (uint32_t k = tw->cell_start[c]; k < tw->cell_start[c + 1]; k++) {
        const town *t = &tw->towns[tw->cell_towns[k]];
        if (lon >= t->x0 && lon <= t->x1 && lat >= t->y0 && lat <= t->y1 &&
            contains(tw, t, lon, lat))
            return &t->info;
    }
    return NULL;
}

/* Distance in metres from (px, py) to the segment a-b, all in a local equirectangular frame
 * around the point (kx, ky metres per degree): fine for the few kilometres this is used at. */
static double segment_m(double px, double py, double ax, double ay, double bx, double by, double kx,
                        double ky)
{
    const double ux = (bx - ax) * kx, uy = (by - ay) * ky;
    const double vx = (px - ax) * kx, vy = (py - ay) * ky;
    const double len2 = ux * ux + uy * uy;
    double t = len2 > 0 ? (vx * ux + vy * uy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return hypot(vx - t * ux, vy - t * uy);
}

const hy_township *hy_townships_nearest(const hy_townships *tw, double lon, double lat,
                                        double max_m, double *dist_m)
{
    const hy_township *in = hy_townships_lookup(tw, lon, lat);
    const double ky = HY__M_PER_DEG_LAT, kx = HY__M_PER_DEG_LON_0 * cos(lat * HY__DEG);
    const town *best = NULL;
    double best_m = max_m;
    if (dist_m)
        *dist_m = in ? 0 : NAN;
    if (in || !tw || isnan(lon) || isnan(lat) || !(max_m > 0))
        return in;
    for (size_t i = 0; i < tw->ntowns; i++) {
        const town *t = &tw->towns[i];
        /* skip towns whose box is farther than the best so far */
        const double dx = lon < t->x0 ? t->x0 - lon : lon > t->x1 ? lon - t->x1 : 0;
        const double dy = lat < t->y0 ? t->y0 - lat : lat > t->y1 ? lat - t->y1 : 0;
        if (hypot(dx * kx, dy * ky) > best_m)
            continue;
        for (size_t r = t->first_ring; r < t->first_ring + t->nrings; r++) {
            const double *p = tw->pts + 2 * tw->rings[r].first;
            for (size_t k = 0; k + 1 < tw->rings[r].count; k++) {
                const double d =
                    segment_m(lon, lat, p[2 * k], p[2 * k + 1], p[2 * k + 2], p[2 * k + 3], kx, ky);
                if (d <= best_m) {
                    best_m = d;
                    best = t;
                }
            }
        }
    }
    if (best && dist_m)
        *dist_m = best_m;
    return best ? &best->info : NULL;
}

size_t hy_townships_count(const hy_townships *tw)
{
    return tw ? tw->ntowns : 0;
}

void hy_townships_destroy(hy_townships *tw)
{
    if (!tw)
        return;
    hy__free(tw->ctx, tw->towns);
    hy__free(tw->ctx, tw->rings);
    hy__free(tw->ctx, tw->pts);
    hy__free(tw->ctx, tw->cell_start);
    hy__free(tw->ctx, tw->cell_towns);
    hy__free(tw->ctx, tw);
}

hy_status hy_townships_rings(const hy_townships *tw, const char *code,
                             int (*fn)(void *user, const double *lonlat, size_t n), void *user)
{
    int found = 0;
    if (!tw || !code || !fn)
        return HY_EINVAL;
    for (size_t i = 0; i < tw->ntowns; i++) {
        const town *t = &tw->towns[i];
        if (strcmp(t->info.code, code) != 0)
            continue;
        found = 1;
        for (size_t r = t->first_ring; r < t->first_ring + t->nrings; r++)
            if (fn(user, tw->pts + 2 * tw->rings[r].first, tw->rings[r].count))
                return HY_OK;
    }
    return found ? HY_OK : HY_ENOTFOUND;
}
