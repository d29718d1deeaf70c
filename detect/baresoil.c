/* detect/baresoil.c - bare soil (uncovered land) from Landsat-8/9 and Sentinel-2: the nearest
 * labelled spectrum by shape, against the library models/baresoil/nearest.py writes (checked
 * against library.json by tests/test_baresoil.c), one or two dates, 8-connected patches with a
 * minimum area. The scene is read in square blocks in parallel like the fire path; only the bare
 * pixels are kept, so memory follows the bare land, not the scene. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* models/baresoil/library.json, written out by nearest.py */
#include "detect/baresoil_library.h"

static const hy__bare_model model_sentinel2 = {
    lib_sentinel2_bare, sizeof(lib_sentinel2_bare) / sizeof(lib_sentinel2_bare[0]),
    lib_sentinel2_other, sizeof(lib_sentinel2_other) / sizeof(lib_sentinel2_other[0]),
    LIB_SENTINEL2_TAU};
static const hy__bare_model model_landsat = {
    lib_landsat_bare, sizeof(lib_landsat_bare) / sizeof(lib_landsat_bare[0]), lib_landsat_other,
    sizeof(lib_landsat_other) / sizeof(lib_landsat_other[0]), LIB_LANDSAT_TAU};

const hy__bare_model *hy__bare_model_for(hy_sensor sensor)
{
    return sensor == HY_SENSOR_SENTINEL2 ? &model_sentinel2 : &model_landsat;
}

const char *hy_bare_class_name(hy_bare_class c)
{
    return c == HY_BARE_CLASS_NEW ? "new" : c == HY_BARE_CLASS_PERSISTENT ? "persistent" : "bare";
}

void hy_bare_config_init(hy_bare_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->min_area_m2 = 5000;
    cfg->tile_size = 512;
}

void hy_bare_patches_free(const hy_ctx *ctx, hy_bare_patches *p)
{
    if (!p)
        return;
    hy__free(ctx, p->xy);
    hy__free(ctx, p->start);
    hy__free(ctx, p->cls);
    memset(p, 0, sizeof(*p));
}

void hy_bare_classify(const hy_ctx *ctx, hy_sensor sensor, const float *const band[6],
                      const uint8_t *valid, uint8_t *out, size_t n)
{
    hy__kernels k;
    hy__kernels_init(&k, hy_ctx_cpu_flags(ctx));
    k.bare(hy__bare_model_for(sensor), band, valid, out, n);
}

/* ---- blocks ---- */

typedef struct job {
    const hy_ctx *ctx;
    const hy_bare_config *cfg;
    hy__kernels k;
    const hy__bare_model *model;
    hy_scene **scenes, **befores; /* one handle each per worker */
    int dx, dy;                   /* after pixel (x, y) is before pixel (x + dx, y + dy) */
    int tiles_x, tiles_y;
    hy__pixel_list *found; /* per block */
    hy_status *status;
} job;

/* Classify a tile into bits (w x h). A cloud (blue above HY_BARE_CLOUD_BLUE) is never bare:
 * the library has no clouds, and a bright white pixel can lie nearest a pale soil. */
static void classify_tile(const job *j, const hy_tile *t, uint8_t *bits)
{
    static const hy_band order[6] = {HY_BAND_BLUE, HY_BAND_GREEN, HY_BAND_RED,
                                     HY_BAND_NIR,  HY_BAND_SWIR1, HY_BAND_SWIR2};
    for (int r = 0; r < t->height; r++) {
        const ptrdiff_t o = (ptrdiff_t)r * t->stride;
        const float *band[6];
        uint8_t *row = bits + (size_t)r * (size_t)t->width;
        for (int b = 0; b < 6; b++)
            band[b] = t->band[order[b]] + o;
        j->k.bare(j->model, band, t->valid + o, row, (size_t)t->width);
        for (int c = 0; c < t->width; c++)
            if (band[0][c] > HY_BARE_CLOUD_BLUE)
                row[c] &= (uint8_t)~HY_BARE_SOIL;
    }
}

static void process_block(void *user, size_t index, int worker)
{
    job *j = user;
    hy_scene *scene = j->scenes[worker];
    const hy_scene_info *info = hy_scene_info_get(scene);
    const int ts = j->cfg->tile_size;
    const int x = (int)(index % (size_t)j->tiles_x) * ts,
              y = (int)(index / (size_t)j->tiles_x) * ts;
    const int w = info->width - x < ts ? info->width - x : ts;
    const int h = info->height - y < ts ? info->height - y : ts;
    uint8_t *bits = NULL, *bits0 = NULL;
    int bx0 = 0, by0 = 0, bw = 0, bh = 0; /* the before window, in before pixels */
    hy_tile t;
    hy_status st = hy_scene_read(scene, x, y, w, h, 0, &t);
    hy__pixel_list *out = &j->found[index];
    if (st != HY_OK) {
        hy__log(j->ctx, HY_LOG_ERROR, "%s", hy_scene_errmsg(scene));
        j->status[index] = st;
        return;
    }
    bits = hy__malloc(j->ctx, (size_t)w * (size_t)h);
    if (!bits) {
        st = HY_ENOMEM;
        goto done;
    }
    classify_tile(j, &t, bits);
    hy_tile_free(j->ctx, &t);
    if (j->befores) {
        hy_scene *before = j->befores[worker];
        const hy_scene_info *bi = hy_scene_info_get(before);
        int x0 = x + j->dx, y0 = y + j->dy, x1 = x0 + w, y1 = y0 + h;
        x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
        x1 = x1 > bi->width ? bi->width : x1, y1 = y1 > bi->height ? bi->height : y1;
        if (x1 > x0 && y1 > y0) {
            bx0 = x0, by0 = y0, bw = x1 - x0, bh = y1 - y0;
            st = hy_scene_read(before, bx0, by0, bw, bh, 0, &t);
            if (st != HY_OK) {
                hy__log(j->ctx, HY_LOG_ERROR, "%s", hy_scene_errmsg(before));
                goto done;
            }
            bits0 = hy__malloc(j->ctx, (size_t)bw * (size_t)bh);
            if (!bits0) {
                hy_tile_free(j->ctx, &t);
                st = HY_ENOMEM;
                goto done;
            }
            classify_tile(j, &t, bits0);
            hy_tile_free(j->ctx, &t);
        }
    }
    for (int r = 0; r < h && st == HY_OK; r++)
        for (int c = 0; c < w; c++) {
            unsigned cls;
            hy__pixel *v;
            if (!(bits[(size_t)r * (size_t)w + (size_t)c] & HY_BARE_SOIL))
                continue;
            cls = HY_BARE_CLASS_BARE;
            if (bits0) {
                const int bx = x + c + j->dx - bx0, by = y + r + j->dy - by0;
                if (bx >= 0 && bx < bw && by >= 0 && by < bh) {
                    const uint8_t b0 = bits0[(size_t)by * (size_t)bw + (size_t)bx];
                    cls = b0 & HY_BARE_SOIL    ? HY_BARE_CLASS_PERSISTENT
                          : b0 & HY_BARE_CLEAR ? HY_BARE_CLASS_NEW
                                               : HY_BARE_CLASS_BARE;
                }
            }
            v = hy__grow(j->ctx, out->v, &out->cap, out->n + 1, sizeof(*v));
            if (!v) {
                st = HY_ENOMEM;
                break;
            }
            out->v = v;
            v[out->n].x = x + c;
            v[out->n].y = y + r;
            v[out->n].bits = cls;
            v[out->n].swir2 = v[out->n].r75 = NAN;
            v[out->n].cluster = -1;
            out->n++;
        }
done:
    hy__free(j->ctx, bits);
    hy__free(j->ctx, bits0);
    j->status[index] = st;
}

/* A patch found: its class's pixels [first, first + n) of that class's sorted list. */
typedef struct patch {
    int32_t y, x; /* first pixel, for raster order */
    uint8_t cls;
    const hy__pixel *px; /* the class's list */
    const uint32_t *label;
    uint32_t id;
    size_t first_index, count;
    int x0, y0, x1, y1;
    double sx, sy;
} patch;

static int patch_order(const void *a, const void *b)
{
    const patch *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

/* The patches of one class (pixels sorted by row, then column) that are large enough. */
static hy_status class_patches(const hy_ctx *ctx, const hy__pixel *px, size_t n, size_t min_px,
                               uint8_t cls, uint32_t **label_out, patch **list, size_t *nlist,
                               size_t *cap)
{
    uint32_t *label = NULL;
    size_t nc = 0;
    patch *p = NULL;
    hy_status st;
    *label_out = NULL;
    if (n == 0)
        return HY_OK;
    label = hy__malloc(ctx, n * sizeof(*label));
    if (!label)
        return HY_ENOMEM;
    if ((st = hy__cluster_pixels(ctx, px, n, label, &nc)) != HY_OK) {
        hy__free(ctx, label);
        return st;
    }
    p = hy__calloc(ctx, nc, sizeof(*p));
    if (!p) {
        hy__free(ctx, label);
        return HY_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        patch *c = &p[label[i]];
        if (c->count == 0) {
            c->x = c->x0 = c->x1 = px[i].x;
            c->y = c->y0 = c->y1 = px[i].y;
            c->first_index = i;
        }
        c->count++;
        c->x0 = px[i].x < c->x0 ? px[i].x : c->x0;
        c->x1 = px[i].x > c->x1 ? px[i].x : c->x1;
        c->y1 = px[i].y;
        c->sx += px[i].x + 0.5;
        c->sy += px[i].y + 0.5;
    }
    for (size_t k = 0; k < nc; k++) {
        patch *q;
        if (p[k].count < min_px)
            continue;
        q = hy__grow(ctx, *list, cap, *nlist + 1, sizeof(**list));
        if (!q) {
            hy__free(ctx, p);
            hy__free(ctx, label);
            return HY_ENOMEM;
        }
        *list = q;
        p[k].cls = cls;
        p[k].px = px;
        p[k].label = label;
        p[k].id = (uint32_t)k;
        q[(*nlist)++] = p[k];
    }
    hy__free(ctx, p);
    *label_out = label;
    return HY_OK;
}

hy_status hy_bare_detect(const hy_ctx *ctx, hy_scene *scene, hy_scene *before,
                         const hy_bare_config *cfg, hy_detections *out, hy_bare_patches *patches)
{
    const hy_scene_info *info, *bi = NULL;
    hy_bare_config def;
    hy_pool *pool = NULL;
    job j;
    hy__pixel_list all = {0}, by_class[4] = {{0}};
    uint32_t *labels[4] = {NULL, NULL, NULL, NULL};
    patch *list = NULL;
    size_t nlist = 0, cap = 0, nblocks, min_px;
    int nworkers = 0;
    hy_status st = HY_OK;
    const unsigned need = 1u << HY_BAND_BLUE | 1u << HY_BAND_GREEN | 1u << HY_BAND_RED |
                          1u << HY_BAND_NIR | 1u << HY_BAND_SWIR1 | 1u << HY_BAND_SWIR2;

    if (patches)
        memset(patches, 0, sizeof(*patches));
    if (!ctx || !scene || !out)
        return HY_EINVAL;
    if (!cfg) {
        hy_bare_config_init(&def);
        cfg = &def;
    }
    if (cfg->tile_size < 16 || cfg->tile_size > 8192 || !(cfg->min_area_m2 >= 0))
        return HY_EINVAL;
    info = hy_scene_info_get(scene);
    if ((info->band_mask & need) != need) {
        hy__log(ctx, HY_LOG_ERROR,
                "%s: bare soil needs the blue, green, red, NIR, SWIR1 and SWIR2 bands, which "
                "the scene lacks some of",
                info->product_id);
        return HY_EFORMAT;
    }
    memset(&j, 0, sizeof(j));
    if (before) {
        double px;
        bi = hy_scene_info_get(before);
        px = info->geotransform[1];
        if ((bi->band_mask & need) != need) {
            hy__log(ctx, HY_LOG_ERROR, "%s: the earlier scene lacks bands bare soil needs",
                    bi->product_id);
            return HY_EFORMAT;
        }
        if (!info->crs_wkt || !bi->crs_wkt || strcmp(info->crs_wkt, bi->crs_wkt) != 0 ||
            fabs(bi->geotransform[1] - px) > 1e-9 * fabs(px) ||
            fabs(bi->geotransform[5] - info->geotransform[5]) > 1e-9 * fabs(px) ||
            info->geotransform[2] != 0 || info->geotransform[4] != 0 || bi->geotransform[2] != 0 ||
            bi->geotransform[4] != 0) {
            hy__log(ctx, HY_LOG_ERROR,
                    "%s and %s: the two dates are not on the same grid (CRS or pixel size "
                    "differ); resample one onto the other first",
                    info->product_id, bi->product_id);
            return HY_EINVAL;
        }
        {
            const double fx = (info->geotransform[0] - bi->geotransform[0]) / px;
            const double fy = (info->geotransform[3] - bi->geotransform[3]) / info->geotransform[5];
            if (fabs(fx - round(fx)) > 1e-6 || fabs(fy - round(fy)) > 1e-6 || fabs(fx) > 1e6 ||
                fabs(fy) > 1e6) {
                hy__log(ctx, HY_LOG_ERROR,
                        "%s and %s: the grids are offset by %.3f, %.3f pixels, not a whole "
                        "number; resample one onto the other first",
                        info->product_id, bi->product_id, fx, fy);
                return HY_EINVAL;
            }
            j.dx = (int)lround(fx);
            j.dy = (int)lround(fy);
        }
    }
    if (!info->surface_reflectance)
        hy__log(ctx, HY_LOG_WARN,
                "%s: top-of-atmosphere reflectance; the bare-soil library is of surface "
                "spectra, so haze shifts the pixels away from it (Level-2 products are better)",
                info->product_id);
    j.ctx = ctx;
    j.cfg = cfg;
    j.model = hy__bare_model_for(info->sensor);
    hy__kernels_init(&j.k, hy_ctx_cpu_flags(ctx));
    j.tiles_x = (info->width + cfg->tile_size - 1) / cfg->tile_size;
    j.tiles_y = (info->height + cfg->tile_size - 1) / cfg->tile_size;
    nblocks = (size_t)j.tiles_x * (size_t)j.tiles_y;
    if ((st = hy_pool_create(ctx, &pool)) != HY_OK)
        return st;
    nworkers = hy_pool_workers(pool);
    if ((size_t)nworkers > nblocks)
        nworkers = (int)nblocks;
    j.scenes = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(*j.scenes));
    j.befores = before ? hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(*j.befores)) : NULL;
    j.found = hy__calloc(ctx, nblocks, sizeof(*j.found));
    j.status = hy__calloc(ctx, nblocks, sizeof(*j.status));
    if (!j.scenes || (before && !j.befores) || !j.found || !j.status) {
        st = HY_ENOMEM;
        goto done;
    }
    j.scenes[0] = scene;
    if (before)
        j.befores[0] = before;
    for (int w = 1; w < hy_pool_workers(pool) && st == HY_OK; w++) {
        if (w >= nworkers) { /* never runs: fewer blocks than workers is handled below */
            j.scenes[w] = scene;
            if (before)
                j.befores[w] = before;
            continue;
        }
        if ((st = hy_scene_clone(scene, &j.scenes[w])) == HY_OK && before)
            st = hy_scene_clone(before, &j.befores[w]);
    }
    if (st != HY_OK)
        goto done;
    if (nworkers < hy_pool_workers(pool))
        for (size_t b = 0; b < nblocks; b++)
            process_block(&j, b, 0);
    else
        hy_pool_run(pool, nblocks, process_block, &j);
    for (size_t b = 0; b < nblocks && st == HY_OK; b++)
        st = j.status[b];
    if (st != HY_OK)
        goto done;
    /* gather, sort into raster order, split by class */
    if ((st = hy__pixels_gather(ctx, j.found, nblocks, &all)) != HY_OK)
        goto done;
    for (size_t i = 0; i < all.n; i++) {
        hy__pixel_list *c = &by_class[all.v[i].bits & 3];
        hy__pixel *v = hy__grow(ctx, c->v, &c->cap, c->n + 1, sizeof(*v));
        if (!v) {
            st = HY_ENOMEM;
            goto done;
        }
        c->v = v;
        c->v[c->n++] = all.v[i];
    }
    hy__free(ctx, all.v);
    all.v = NULL;
    min_px = (size_t)ceil(cfg->min_area_m2 / info->pixel_area_m2 - 1e-9);
    if (min_px < 1)
        min_px = 1;
    for (uint8_t c = 1; c <= 3 && st == HY_OK; c++)
        st = class_patches(ctx, by_class[c].v, by_class[c].n, min_px, c, &labels[c], &list, &nlist,
                           &cap);
    if (st != HY_OK)
        goto done;
    if (nlist > 1)
        qsort(list, nlist, sizeof(*list), patch_order);
    if (patches && nlist) {
        size_t total = 0;
        for (size_t k = 0; k < nlist; k++)
            total += list[k].count;
        patches->xy = hy__malloc(ctx, 2 * total * sizeof(int32_t));
        patches->start = hy__malloc(ctx, (nlist + 1) * sizeof(size_t));
        patches->cls = hy__malloc(ctx, nlist);
        if (!patches->xy || !patches->start || !patches->cls) {
            st = HY_ENOMEM;
            goto done;
        }
    }
    for (size_t k = 0, at = 0; k < nlist && st == HY_OK; k++) {
        const patch *p = &list[k];
        hy_detection d;
        hy__scene_detection(&d, HY_KIND_BARE_SOIL, info, p->x0, p->y0, p->x1, p->y1, (int)p->count,
                            p->sx, p->sy);
        d.confidence = p->cls == HY_BARE_CLASS_NEW          ? 0.8
                       : p->cls == HY_BARE_CLASS_PERSISTENT ? 0.7
                                                            : 0.6;
        snprintf(d.tests, sizeof(d.tests), "%s",
                 p->cls == HY_BARE_CLASS_NEW          ? "bare,new"
                 : p->cls == HY_BARE_CLASS_PERSISTENT ? "bare,persistent"
                                                      : "bare");
        st = hy_detections_push(ctx, out, &d);
        if (st == HY_OK && patches) {
            patches->start[k] = at;
            patches->cls[k] = p->cls;
            for (size_t i = p->first_index, m = 0; m < p->count; i++)
                if (p->label[i] == p->id) {
                    patches->xy[2 * at] = p->px[i].x;
                    patches->xy[2 * at + 1] = p->px[i].y;
                    at++;
                    m++;
                }
            patches->start[k + 1] = at;
            patches->n = k + 1;
        }
    }
    hy__log(ctx, HY_LOG_INFO, "%s: %zu bare-soil patches of at least %.0f m2%s", info->product_id,
            nlist, cfg->min_area_m2, before ? " (two dates)" : "");
done:
    if (st != HY_OK && patches)
        hy_bare_patches_free(ctx, patches);
    if (j.scenes)
        for (int w = 1; w < nworkers; w++)
            hy_scene_destroy(j.scenes[w]);
    if (j.befores)
        for (int w = 1; w < nworkers; w++)
            hy_scene_destroy(j.befores[w]);
    hy__free(ctx, j.scenes);
    hy__free(ctx, j.befores);
    if (j.found)
        for (size_t b = 0; b < nblocks; b++)
            hy__free(ctx, j.found[b].v);
    hy__free(ctx, j.found);
    hy__free(ctx, j.status);
    hy__free(ctx, all.v);
    for (int c = 0; c < 4; c++) {
        hy__free(ctx, by_class[c].v);
        hy__free(ctx, labels[c]);
    }
    hy__free(ctx, list);
    hy_pool_destroy(pool);
    return st;
}
