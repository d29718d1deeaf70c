/* detect/fire_landsat.c - Landsat-8/9 OLI active fire, after Schroeder et al. 2016 (RSE 185,
 * "Active fire detection using Landsat-8/OLI data"). This first version applies the
 * unambiguous (eq. 1) and candidate (eq. 2) tests; the contextual test of section 3.2 that
 * confirms candidates comes with the full satellite detector. Until then a cluster made only
 * of candidates is reported with a low confidence, never dropped silently. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void hy_fire_oli_config_init(hy_fire_oli_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->tile_rows = 512;
    cfg->min_pixels = 1;
}

void hy_fire_oli_classify(const hy_ctx *ctx, const float *rho1, const float *rho5,
                          const float *rho6, const float *rho7, const uint8_t *valid, uint8_t *out,
                          size_t n)
{
    hy__kernels k;
    hy__kernels_init(&k, hy_ctx_cpu_flags(ctx));
    k.fire_oli(rho1, rho5, rho6, rho7, valid, out, n);
}

typedef struct pixel_list {
    hy__pixel *v;
    size_t n, cap;
} pixel_list;

static hy_status push_pixel(const hy_ctx *ctx, pixel_list *l, int x, int y, unsigned bits)
{
    hy__pixel *v = hy__grow(ctx, l->v, &l->cap, l->n + 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    l->v = v;
    l->v[l->n].x = x;
    l->v[l->n].y = y;
    l->v[l->n].bits = bits;
    l->n++;
    return HY_OK;
}

typedef struct cluster_acc {
    int x0, y0, x1, y1, pixels;
    double sx, sy;
    unsigned bits;
} cluster_acc;

/* Confidence of a cluster from the strongest test any of its pixels passed. Provisional
 * figures until the contextual test (section 3.2) and validation against reference data:
 * an unambiguous first clause is the paper's high-confidence class; the second clause relies
 * on rho1, so it is lower when B2 stands in for B1; candidates alone are unconfirmed. */
static double cluster_confidence(unsigned bits, int coastal_standin)
{
    if (bits & HY_FIRE_UNAMBIGUOUS1)
        return 0.9;
    if (bits & HY_FIRE_UNAMBIGUOUS2)
        return coastal_standin ? 0.6 : 0.8;
    return 0.5;
}

hy_status hy_fire_oli_detect(const hy_ctx *ctx, hy_scene *scene, const hy_fire_oli_config *cfg,
                             hy_detections *out)
{
    const hy_scene_info *info;
    hy_fire_oli_config def;
    pixel_list px = {0};
    uint8_t *bits_row = NULL;
    uint32_t *label = NULL;
    cluster_acc *acc = NULL;
    size_t nclusters = 0;
    hy__kernels k;
    hy_status st = HY_OK;
    hy_tile tile;
    int coastal_standin;

    if (!ctx || !scene || !out)
        return HY_EINVAL;
    if (!cfg) {
        hy_fire_oli_config_init(&def);
        cfg = &def;
    }
    if (cfg->tile_rows < 1 || cfg->min_pixels < 1)
        return HY_EINVAL;
    info = hy_scene_info_get(scene);
    if ((info->band_mask & 0x7f) != 0x7f) {
        hy__log(ctx, HY_LOG_ERROR, "%s: the fire tests need bands B1 (or a stand-in) and B5-B7",
                info->product_id);
        return HY_EFORMAT;
    }
    coastal_standin = (info->standin_mask >> HY_BAND_COASTAL) & 1;
    hy__kernels_init(&k, hy_ctx_cpu_flags(ctx));
    bits_row = hy__malloc(ctx, (size_t)info->width);
    if (!bits_row)
        return HY_ENOMEM;

    for (int y = 0; y < info->height; y += cfg->tile_rows) {
        int rows = info->height - y < cfg->tile_rows ? info->height - y : cfg->tile_rows;
        st = hy_scene_read(scene, 0, y, info->width, rows, 0, &tile);
        if (st != HY_OK) {
            hy__log(ctx, HY_LOG_ERROR, "%s", hy_scene_errmsg(scene));
            goto done;
        }
        for (int r = 0; r < rows; r++) {
            ptrdiff_t off = (ptrdiff_t)r * tile.stride;
            k.fire_oli(tile.band[HY_BAND_COASTAL] + off, tile.band[HY_BAND_NIR] + off,
                       tile.band[HY_BAND_SWIR1] + off, tile.band[HY_BAND_SWIR2] + off,
                       tile.valid + off, bits_row, (size_t)info->width);
            for (int c = 0; c < info->width; c++) {
                if (bits_row[c] && (st = push_pixel(ctx, &px, c, y + r, bits_row[c])) != HY_OK) {
                    hy_tile_free(ctx, &tile);
                    goto done;
                }
            }
        }
        hy_tile_free(ctx, &tile);
        if (info->height > 2 * cfg->tile_rows)
            hy__log(ctx, HY_LOG_INFO, "%s: rows %d of %d read, %zu fire pixels so far",
                    info->product_id, y + rows, info->height, px.n);
    }

    label = hy__malloc(ctx, (px.n ? px.n : 1) * sizeof(*label));
    if (!label) {
        st = HY_ENOMEM;
        goto done;
    }
    if ((st = hy__cluster_pixels(ctx, px.v, px.n, label, &nclusters)) != HY_OK)
        goto done;
    acc = hy__calloc(ctx, nclusters ? nclusters : 1, sizeof(*acc));
    if (!acc) {
        st = HY_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < px.n; i++) {
        cluster_acc *a = &acc[label[i]];
        const hy__pixel *p = &px.v[i];
        if (a->pixels == 0) {
            a->x0 = a->x1 = p->x;
            a->y0 = a->y1 = p->y;
        }
        a->x0 = p->x < a->x0 ? p->x : a->x0;
        a->x1 = p->x > a->x1 ? p->x : a->x1;
        a->y0 = p->y < a->y0 ? p->y : a->y0;
        a->y1 = p->y > a->y1 ? p->y : a->y1;
        a->sx += p->x + 0.5;
        a->sy += p->y + 0.5;
        a->pixels++;
        a->bits |= p->bits;
    }
    for (size_t c = 0; c < nclusters; c++) {
        const cluster_acc *a = &acc[c];
        hy_detection d;
        if (a->pixels < cfg->min_pixels)
            continue;
        hy_detection_init(&d);
        d.kind = HY_KIND_FIRE;
        d.source_type = HY_SOURCE_SATELLITE;
        snprintf(d.source_id, sizeof(d.source_id), "%s", info->product_id);
        d.sensor = info->sensor;
        d.time = info->time;
        d.bbox[0] = a->x0;
        d.bbox[1] = a->y0;
        d.bbox[2] = a->x1 - a->x0 + 1;
        d.bbox[3] = a->y1 - a->y0 + 1;
        d.pixels = a->pixels;
        d.px = a->sx / a->pixels;
        d.py = a->sy / a->pixels;
        d.area_m2 = a->pixels * info->pixel_area_m2;
        d.confidence = cluster_confidence(a->bits, coastal_standin);
        snprintf(d.tests, sizeof(d.tests), "%s%s%s",
                 a->bits & HY_FIRE_UNAMBIGUOUS1 ? "unambiguous1," : "",
                 a->bits & HY_FIRE_UNAMBIGUOUS2 ? "unambiguous2," : "",
                 a->bits & HY_FIRE_CANDIDATE ? "candidate," : "");
        d.tests[strlen(d.tests) - 1] = '\0'; /* trailing comma; bits is never 0 */
        if ((st = hy_detections_push(ctx, out, &d)) != HY_OK)
            goto done;
    }
    hy__log(ctx, HY_LOG_INFO, "%s: %zu flagged pixels in %zu clusters", info->product_id, px.n,
            nclusters);
done:
    hy__free(ctx, acc);
    hy__free(ctx, label);
    hy__free(ctx, px.v);
    hy__free(ctx, bits_row);
    return st;
}
