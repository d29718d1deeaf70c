/* detect/fire_landsat.c - Landsat-8/9 OLI active fire after Schroeder et al. 2016 (RSE 185,
 * "Active fire detection using Landsat-8/OLI data"): unambiguous fires (eq. 1), candidates
 * (eq. 2), and the contextual test that confirms candidates against their 61 x 61 background
 * (section 3.2, as transcribed in ../shared/REFERENCES.md). The scene is read in square blocks
 * with a 30-pixel halo, in parallel; window statistics come from summed-area tables. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void hy_fire_oli_config_init(hy_fire_oli_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->algorithm = HY_FIRE_OLI_AUTO;
    cfg->biome = HY_BIOME_SAVANNA;
    cfg->tile_size = 512;
    cfg->min_pixels = 1;
    cfg->context = 1;
}

void hy_fire_oli_classify(const hy_ctx *ctx, const float *rho1, const float *rho5,
                          const float *rho6, const float *rho7, const uint8_t *valid, uint8_t *out,
                          size_t n)
{
    hy__kernels k;
    hy__kernels_init(&k, hy_ctx_cpu_flags(ctx));
    k.fire_oli(rho1, rho5, rho6, rho7, valid, out, n);
}

/* ---- per-block work ---- */

typedef hy__pixel_list pixel_list;

static hy_status push_pixel(const hy_ctx *ctx, pixel_list *l, int x, int y, unsigned bits,
                            float swir2, float r75)
{
    hy__pixel *v = hy__grow(ctx, l->v, &l->cap, l->n + 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    l->v = v;
    l->v[l->n].x = x;
    l->v[l->n].y = y;
    l->v[l->n].bits = bits;
    l->v[l->n].swir2 = swir2;
    l->v[l->n].r75 = r75;
    l->v[l->n].cluster = -1;
    l->n++;
    return HY_OK;
}

/* Per-worker scratch, grown to the largest block and reused. */
typedef struct scratch {
    uint8_t *bits, *bg; /* classes and background mask, one byte a pixel */
    double *sat;        /* 5 summed-area tables: count, R75, R75^2, rho7, rho7^2 */
    float *tai;         /* TAI: the index, one float a pixel */
    size_t bits_cap, bg_cap, sat_cap, tai_cap;
} scratch;

typedef struct job {
    const hy_ctx *ctx;
    const hy_fire_oli_config *cfg;
    hy__kernels k;
    hy_scene **scenes; /* one handle per worker */
    scratch *scratch;  /* one per worker */
    int tiles_x, tiles_y;
    int bands;               /* contiguous bands of block rows, one per worker */
    pixel_list *found;       /* one list per block, in block order */
    hy_status *status;       /* one per block */
    double *read_s, *test_s; /* per worker: seconds reading (GDAL decode + rescale), testing */
} job;

#define SAT_TABLES 5

/* Build the summed-area tables of the background over the whole block (halo included):
 * S[t][(y+1)(w+1) + x+1] = sum over rows < y+1, columns < x+1. */
static void build_sat(const hy_tile *t, const uint8_t *bg, double *sat)
{
    const int w = t->width, h = t->height;
    const size_t plane = (size_t)(w + 1) * (size_t)(h + 1);
    memset(sat, 0, SAT_TABLES * plane * sizeof(double));
    for (int y = 0; y < h; y++) {
        double row[SAT_TABLES] = {0, 0, 0, 0, 0};
        const ptrdiff_t o = (ptrdiff_t)y * t->stride;
        for (int x = 0; x < w; x++) {
            const float r5 = t->band[HY_BAND_NIR][o + x], r7 = t->band[HY_BAND_SWIR2][o + x];
            const size_t at = (size_t)(y + 1) * (size_t)(w + 1) + (size_t)x + 1;
            const size_t up = at - (size_t)(w + 1);
            if (bg[(size_t)y * w + x]) {
                const double r75 = r7 / r5; /* the float ratio, as the kernel computes it */
                row[0] += 1;
                row[1] += r75;
                row[2] += r75 * r75;
                row[3] += r7;
                row[4] += (double)r7 * r7;
            }
            for (int k = 0; k < SAT_TABLES; k++)
                sat[k * plane + at] = sat[k * plane + up] + row[k];
        }
    }
}

/* Sum of table k over [x0, x1) x [y0, y1). */
static double window_sum(const double *sat, size_t plane, int w, int k, int x0, int y0, int x1,
                         int y1)
{
    const double *s = sat + (size_t)k * plane;
    const size_t W = (size_t)w + 1;
    return s[(size_t)y1 * W + x1] - s[(size_t)y0 * W + x1] - s[(size_t)y1 * W + x0] +
           s[(size_t)y0 * W + x0];
}

/* The two tests Schroeder et al. 2016 (section 3.2) and Kumar & Roy 2018 share:
 * R75 > mean(R75) + max(3 sd(R75), 0.8) and rho7 > mean(rho7) + max(3 sd(rho7), 0.08) over the
 * background of the window [x0, x1) x [y0, y1) (population sd; rounding can make a zero
 * variance slightly negative). */
static int context_pass(const hy_tile *t, const double *sat, int x0, int y0, int x1, int y1,
                        double n, float r5, float r7)
{
    const size_t plane = (size_t)(t->width + 1) * (size_t)(t->height + 1);
    const int w = t->width;
    const double m75 = window_sum(sat, plane, w, 1, x0, y0, x1, y1) / n;
    const double v75 = window_sum(sat, plane, w, 2, x0, y0, x1, y1) / n - m75 * m75;
    const double m7 = window_sum(sat, plane, w, 3, x0, y0, x1, y1) / n;
    const double v7 = window_sum(sat, plane, w, 4, x0, y0, x1, y1) / n - m7 * m7;
    return (double)(r7 / r5) > m75 + fmax(3 * sqrt(fmax(v75, 0)), 0.8) &&
           (double)r7 > m7 + fmax(3 * sqrt(fmax(v7, 0)), 0.08);
}

/* The candidate's window of half-width `half`, clipped at the block (= the scene's edges, as
 * the block carries a halo wider than any window). */
static void window_at(const hy_tile *t, int x, int y, int half, int *x0, int *y0, int *x1, int *y1)
{
    *x0 = x - half < 0 ? 0 : x - half;
    *y0 = y - half < 0 ? 0 : y - half;
    *x1 = x + half + 1 > t->width ? t->width : x + half + 1;
    *y1 = y + half + 1 > t->height ? t->height : y + half + 1;
}

/* Schroeder et al. 2016: the 61 x 61 window; no background at all: not confirmed. */
static int context_schroeder(const hy_tile *t, const double *sat, int x, int y, float r5, float r7)
{
    const size_t plane = (size_t)(t->width + 1) * (size_t)(t->height + 1);
    int x0, y0, x1, y1;
    double n;
    window_at(t, x, y, HY_FIRE_OLI_WINDOW_HALF, &x0, &y0, &x1, &y1);
    n = window_sum(sat, plane, t->width, 0, x0, y0, x1, y1);
    return n >= 1 && context_pass(t, sat, x0, y0, x1, y1, n, r5, r7);
}

/* Kumar & Roy 2018: the window grows 5 x 5, 7 x 7, ... 61 x 61 until at least 25 % of it (as
 * clipped to the scene) is background; never: not confirmed. */
static int context_kumar_roy(const hy_tile *t, const double *sat, int x, int y, float r5, float r7)
{
    const size_t plane = (size_t)(t->width + 1) * (size_t)(t->height + 1);
    for (int half = 2; half <= HY_FIRE_OLI_WINDOW_HALF; half++) {
        int x0, y0, x1, y1;
        double n;
        window_at(t, x, y, half, &x0, &y0, &x1, &y1);
        n = window_sum(sat, plane, t->width, 0, x0, y0, x1, y1);
        if (n >= 1 && 4 * n >= (double)(x1 - x0) * (y1 - y0))
            return context_pass(t, sat, x0, y0, x1, y1, n, r5, r7);
    }
    return 0;
}

static int grow_scratch(const hy_ctx *ctx, scratch *s, size_t bits, size_t sat)
{
    uint8_t *b = hy__grow(ctx, s->bits, &s->bits_cap, bits, 1);
    double *d;
    if (!b)
        return -1;
    s->bits = b;
    b = hy__grow(ctx, s->bg, &s->bg_cap, bits, 1);
    if (!b)
        return -1;
    s->bg = b;
    d = hy__grow(ctx, s->sat, &s->sat_cap, sat, sizeof(double));
    if (!d)
        return -1;
    s->sat = d;
    return 0;
}

/* The context a block must be read with: the largest window plus the erosion pixel for the
 * contextual tests; one pixel for the neighbour rules (Kumar & Roy, Murphy), so that a
 * neighbour across a block edge is seen; none for per-pixel rules alone. */
static int halo_for(const hy_fire_oli_config *cfg)
{
    const hy_fire_oli_algorithm a = cfg->algorithm;
    if (cfg->context && (a == HY_FIRE_OLI_SCHROEDER || a == HY_FIRE_OLI_KUMAR_ROY))
        return HY_FIRE_OLI_HALO;
    if (a == HY_FIRE_OLI_TAI) /* seeds 15 px away need their own 7 px of window: 22 */
        return HY_FIRE_OLI_HALO;
    return a == HY_FIRE_OLI_KUMAR_ROY || a == HY_FIRE_OLI_MURPHY ? 1 : 0;
}

static void process_block(job *j, size_t index, int worker)
{
    const hy_fire_oli_config *cfg = j->cfg;
    hy_scene *scene = j->scenes[worker];
    const hy_scene_info *info = hy_scene_info_get(scene);
    scratch *s = &j->scratch[worker];
    const int bx = (int)(index % (size_t)j->tiles_x), by = (int)(index / (size_t)j->tiles_x);
    const int x = bx * cfg->tile_size, y = by * cfg->tile_size;
    const int w = info->width - x < cfg->tile_size ? info->width - x : cfg->tile_size;
    const int h = info->height - y < cfg->tile_size ? info->height - y : cfg->tile_size;
    hy_status st;
    hy_tile t;
    double t0 = hy_time_mono(), t1;

    st = hy_scene_read(scene, x, y, w, h, halo_for(cfg), &t);
    t1 = hy_time_mono();
    j->read_s[worker] += t1 - t0;
    if (st != HY_OK) {
        hy__log(j->ctx, HY_LOG_ERROR, "%s", hy_scene_errmsg(scene));
        j->status[index] = st;
        return;
    }
    if (grow_scratch(j->ctx, s, (size_t)t.width * (size_t)t.height, 1) != 0) {
        j->status[index] = HY_ENOMEM;
        hy_tile_free(j->ctx, &t);
        return;
    }
    /* every pixel of the block, halo included: the background needs the halo's classes */
    switch (cfg->algorithm) {
    case HY_FIRE_OLI_SCHROEDER:
        for (int r = 0; r < t.height; r++) {
            const ptrdiff_t o = (ptrdiff_t)r * t.stride;
            j->k.fire_oli(t.band[HY_BAND_COASTAL] + o, t.band[HY_BAND_NIR] + o,
                          t.band[HY_BAND_SWIR1] + o, t.band[HY_BAND_SWIR2] + o, t.valid + o,
                          s->bits + (size_t)r * t.width, (size_t)t.width);
        }
        break;
    case HY_FIRE_OLI_KUMAR_ROY:
        hy__oli_classify_kumar_roy(&t, s->bits);
        break;
    case HY_FIRE_OLI_MURPHY:
        hy__oli_classify_murphy(&t, s->bits);
        break;
    case HY_FIRE_OLI_SAHM:
        hy__oli_classify_sahm(&t, s->bits);
        break;
    case HY_FIRE_OLI_CROPLAND:
        hy__oli_classify_cropland(&t, s->bits);
        break;
    case HY_FIRE_OLI_HU:
        hy__oli_classify_hu(&t, s->bits, cfg->biome);
        break;
    case HY_FIRE_OLI_TAI: {
        float *tai = hy__grow(j->ctx, s->tai, &s->tai_cap, (size_t)t.width * (size_t)t.height,
                              sizeof(float));
        if (tai)
            s->tai = tai;
        if (!tai ||
            grow_scratch(j->ctx, s, 1, 2 * (size_t)(t.width + 1) * (size_t)(t.height + 1))) {
            j->status[index] = HY_ENOMEM;
            hy_tile_free(j->ctx, &t);
            return;
        }
        hy__oli_classify_tai(&t, s->bits, s->tai, s->bg, s->sat);
        break;
    }
    case HY_FIRE_OLI_AUTO: /* resolved before the blocks run */
        break;
    }
    /* The background statistics are needed only around candidates that are not already
     * unambiguous; most blocks have none, and then no summed-area table is built. */
    if (cfg->context && halo_for(cfg) == HY_FIRE_OLI_HALO) {
        int need = 0;
        for (int r = t.halo_top; r < t.height - t.halo_bottom && !need; r++)
            for (int c = t.halo_left; c < t.width - t.halo_right && !need; c++)
                need = s->bits[(size_t)r * t.width + c] == HY_FIRE_CANDIDATE;
        if (need) {
            if (grow_scratch(j->ctx, s, 1,
                             SAT_TABLES * (size_t)(t.width + 1) * (size_t)(t.height + 1)) != 0) {
                j->status[index] = HY_ENOMEM;
                hy_tile_free(j->ctx, &t);
                return;
            }
            hy__oli_background(&t, s->bits, cfg->algorithm, s->bg);
            build_sat(&t, s->bg, s->sat);
        }
    }
    for (int r = t.halo_top; r < t.height - t.halo_bottom && st == HY_OK; r++) {
        for (int c = t.halo_left; c < t.width - t.halo_right && st == HY_OK; c++) {
            unsigned b = s->bits[(size_t)r * t.width + c];
            const ptrdiff_t o = (ptrdiff_t)r * t.stride + c;
            if (!b)
                continue;
            if (b == HY_FIRE_CANDIDATE && cfg->context &&
                (cfg->algorithm == HY_FIRE_OLI_KUMAR_ROY
                     ? context_kumar_roy(&t, s->sat, c, r, t.band[HY_BAND_NIR][o],
                                         t.band[HY_BAND_SWIR2][o])
                     : context_schroeder(&t, s->sat, c, r, t.band[HY_BAND_NIR][o],
                                         t.band[HY_BAND_SWIR2][o])))
                b |= HY_FIRE_CONTEXT;
            if (cfg->context && !(b & (HY_FIRE_UNAMBIGUOUS1 | HY_FIRE_UNAMBIGUOUS2 |
                                       HY_FIRE_NEIGHBOUR | HY_FIRE_CONTEXT)))
                continue; /* a candidate the context did not confirm */
            st = push_pixel(
                j->ctx, &j->found[index], t.x0 + c, t.y0 + r, b, t.band[HY_BAND_SWIR2][o],
                t.band[HY_BAND_NIR] ? t.band[HY_BAND_SWIR2][o] / t.band[HY_BAND_NIR][o] : NAN);
        }
    }
    j->status[index] = st;
    hy_tile_free(j->ctx, &t);
    j->test_s[worker] += hy_time_mono() - t1;
}

/* Each worker takes a contiguous band of block rows and walks it in raster order, so the
 * halo rows it shares with the block row above were decoded into GDAL's cache by the same
 * dataset a moment before (datasets do not share cached blocks). */
static void process_band(void *user, size_t band, int worker)
{
    job *j = user;
    const size_t first = band * (size_t)j->tiles_y / (size_t)j->bands;
    const size_t last = (band + 1) * (size_t)j->tiles_y / (size_t)j->bands;
    for (size_t by = first; by < last; by++)
        for (size_t bx = 0; bx < (size_t)j->tiles_x; bx++)
            process_block(j, by * (size_t)j->tiles_x + bx, worker);
}

/* ---- clusters ---- */

typedef struct cluster_acc {
    int x0, y0, x1, y1, pixels;
    double sx, sy;
    unsigned bits;
    double swir2_max, swir2_sum, r75_max;
    int32_t index; /* in out, or -1 */
} cluster_acc;

/* Confidence of a cluster from the strongest test any of its pixels passed. Provisional
 * figures until validation against reference data: the first unambiguous clause is the
 * paper's high-confidence class; the second relies on rho1, so it is lower when B2 stands in
 * for B1; a candidate confirmed by its context is next; unconfirmed candidates (context test
 * switched off) last. */
static double cluster_confidence(unsigned bits, int coastal_standin)
{
    if (bits & (HY_FIRE_UNAMBIGUOUS1 | HY_FIRE_NEIGHBOUR))
        return 0.9;
    if (bits & HY_FIRE_UNAMBIGUOUS2)
        return coastal_standin ? 0.6 : 0.8;
    if (bits & HY_FIRE_CONTEXT)
        return 0.7;
    return 0.5;
}

/* What fired, for analysts: Schroeder's names stay short (the Landsat default); the others say
 * whose rules they are ("murphy:unambiguous,neighbour", "sahm:index,saturated"). */
static void test_names(hy_fire_oli_algorithm a, unsigned bits, char *out, size_t size)
{
    const int sahm = a == HY_FIRE_OLI_SAHM || a == HY_FIRE_OLI_TAI || a == HY_FIRE_OLI_CROPLAND ||
                     a == HY_FIRE_OLI_HU;
    size_t n;
    snprintf(out, size, "%s%s%s%s%s%s%s",
             a == HY_FIRE_OLI_SCHROEDER ? "" : hy_fire_oli_algorithm_name(a),
             a == HY_FIRE_OLI_SCHROEDER ? "" : ":",
             bits & HY_FIRE_UNAMBIGUOUS1 ? (sahm                         ? "index,"
                                            : a == HY_FIRE_OLI_SCHROEDER ? "unambiguous1,"
                                                                         : "unambiguous,")
                                         : "",
             bits & HY_FIRE_UNAMBIGUOUS2 ? (sahm ? "saturated," : "unambiguous2,") : "",
             bits & HY_FIRE_NEIGHBOUR ? (sahm ? "saturated_neighbour," : "neighbour,") : "",
             bits & HY_FIRE_CONTEXT ? "context," : "",
             bits & HY_FIRE_CANDIDATE ? "candidate," : "");
    n = strlen(out);
    if (n && out[n - 1] == ',')
        out[n - 1] = '\0';
}

static hy_status emit_clusters(const hy_ctx *ctx, const hy_scene_info *info,
                               const hy_fire_oli_config *cfg, hy__pixel *px, size_t n,
                               hy_detections *out)
{
    uint32_t *label = hy__malloc(ctx, (n ? n : 1) * sizeof(*label));
    cluster_acc *acc = NULL;
    size_t nclusters = 0;
    hy_status st;
    const int coastal_standin = (info->standin_mask >> HY_BAND_COASTAL) & 1;

    if (!label)
        return HY_ENOMEM;
    if ((st = hy__cluster_pixels(ctx, px, n, label, &nclusters)) != HY_OK)
        goto done;
    acc = hy__calloc(ctx, nclusters ? nclusters : 1, sizeof(*acc));
    if (!acc) {
        st = HY_ENOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        cluster_acc *a = &acc[label[i]];
        const hy__pixel *p = &px[i];
        if (a->pixels == 0) {
            a->x0 = a->x1 = p->x;
            a->y0 = a->y1 = p->y;
            a->swir2_max = a->r75_max = -INFINITY;
        }
        a->swir2_max = fmax(a->swir2_max, p->swir2);
        a->swir2_sum += p->swir2;
        a->r75_max = fmax(a->r75_max, p->r75); /* fmax ignores a NaN */
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
        cluster_acc *a = &acc[c];
        hy_detection d;
        a->index = -1;
        if (a->pixels < cfg->min_pixels)
            continue;
        a->index = (int32_t)out->n;
        hy__scene_detection(&d, HY_KIND_FIRE, info, a->x0, a->y0, a->x1, a->y1, a->pixels, a->sx,
                            a->sy);
        d.confidence = cluster_confidence(a->bits, coastal_standin);
        d.swir2_max = a->swir2_max;
        d.swir2_mean = a->swir2_sum / a->pixels;
        d.r75_max = isinf(a->r75_max) ? NAN : a->r75_max;
        test_names(cfg->algorithm, a->bits, d.tests, sizeof(d.tests));
        if ((st = hy_detections_push(ctx, out, &d)) != HY_OK)
            goto done;
    }
    for (size_t i = 0; i < n; i++)
        px[i].cluster = acc[label[i]].index;
    hy__log(ctx, HY_LOG_INFO, "%s: %zu fire pixels in %zu clusters", info->product_id, n,
            nclusters);
done:
    hy__free(ctx, acc);
    hy__free(ctx, label);
    return st;
}

hy_status hy_fire_oli_detect(const hy_ctx *ctx, hy_scene *scene, const hy_fire_oli_config *cfg,
                             hy_detections *out)
{
    return hy_fire_oli_detect_pixels(ctx, scene, cfg, out, NULL, NULL);
}

void hy_fire_pixels_free(const hy_ctx *ctx, hy_fire_pixel *pixels)
{
    hy__free(ctx, pixels);
}

hy_status hy_fire_oli_detect_pixels(const hy_ctx *ctx, hy_scene *scene,
                                    const hy_fire_oli_config *cfg, hy_detections *out,
                                    hy_fire_pixel **pixels, size_t *npixels)
{
    const hy_scene_info *info;
    hy_fire_oli_config def;
    hy_pool *pool = NULL;
    job j;
    pixel_list all = {0};
    size_t nblocks = 0;
    int nworkers = 0;
    hy_status st = HY_OK;

    if (pixels)
        *pixels = NULL;
    if (npixels)
        *npixels = 0;
    if (!ctx || !scene || !out || !pixels != !npixels)
        return HY_EINVAL;
    if (!cfg) {
        hy_fire_oli_config_init(&def);
        cfg = &def;
    }
    if (cfg->tile_size < 2 * HY_FIRE_OLI_HALO || cfg->tile_size > 8192 || cfg->min_pixels < 1 ||
        cfg->algorithm < HY_FIRE_OLI_SCHROEDER || cfg->algorithm > HY_FIRE_OLI_AUTO ||
        cfg->biome < HY_BIOME_TROPICAL_MOIST || cfg->biome > HY_BIOME_BOREAL)
        return HY_EINVAL;
    info = hy_scene_info_get(scene);
    if (cfg->algorithm == HY_FIRE_OLI_AUTO) {
        def = *cfg;
        const int landsat =
            info->sensor == HY_SENSOR_LANDSAT8 || info->sensor == HY_SENSOR_LANDSAT9;
        const int nir = info->band_mask >> HY_BAND_NIR & 1;
        def.algorithm = landsat ? HY_FIRE_OLI_SCHROEDER
                        : info->sensor == HY_SENSOR_SENTINEL2
                            ? (nir ? HY_FIRE_OLI_MURPHY : HY_FIRE_OLI_SAHM)
                        : (info->band_mask & 0x7f) == 0x7f ? HY_FIRE_OLI_SCHROEDER
                        : nir                              ? HY_FIRE_OLI_MURPHY
                                                           : HY_FIRE_OLI_SAHM;
        cfg = &def;
        hy__log(ctx, HY_LOG_INFO, "%s: %s rules", info->product_id,
                hy_fire_oli_algorithm_name(cfg->algorithm));
    }
    {
        const unsigned need = hy_fire_oli_bands(cfg->algorithm);
        if ((info->band_mask & need) != need) {
            char missing[128] = "";
            for (int b = 0; b < HY_BAND_COUNT; b++)
                if ((need & ~info->band_mask) >> b & 1)
                    snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing), " %s",
                             hy_band_name((hy_band)b));
            hy__log(ctx, HY_LOG_ERROR, "%s: the %s rules need the%s band(s), which the scene lacks",
                    info->product_id, hy_fire_oli_algorithm_name(cfg->algorithm), missing);
            return HY_EFORMAT;
        }
    }
    if (info->surface_reflectance)
        hy__log(ctx, HY_LOG_WARN,
                "%s: Level-2 surface reflectance; Schroeder et al. 2016's thresholds are for "
                "top-of-atmosphere reflectance, so results are approximate",
                info->product_id);
    memset(&j, 0, sizeof(j));
    j.ctx = ctx;
    j.cfg = cfg;
    hy__kernels_init(&j.k, hy_ctx_cpu_flags(ctx));
    j.tiles_x = (info->width + cfg->tile_size - 1) / cfg->tile_size;
    j.tiles_y = (info->height + cfg->tile_size - 1) / cfg->tile_size;
    nblocks = (size_t)j.tiles_x * (size_t)j.tiles_y;
    if ((st = hy_pool_create(ctx, &pool)) != HY_OK)
        return st;
    nworkers = hy_pool_workers(pool);
    if (nworkers > j.tiles_y)
        nworkers = j.tiles_y;
    j.bands = nworkers;
    j.scenes = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(*j.scenes));
    j.scratch = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(*j.scratch));
    j.found = hy__calloc(ctx, nblocks, sizeof(*j.found));
    j.status = hy__calloc(ctx, nblocks, sizeof(*j.status));
    j.read_s = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(double));
    j.test_s = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(double));
    if (!j.scenes || !j.scratch || !j.found || !j.status || !j.read_s || !j.test_s) {
        st = HY_ENOMEM;
        goto done;
    }
    j.scenes[0] = scene;
    for (int w = 1; w < hy_pool_workers(pool); w++) {
        /* workers beyond the band count never run; they borrow handle 0 harmlessly */
        if (w >= nworkers) {
            j.scenes[w] = scene;
            continue;
        }
        if ((st = hy_scene_clone(scene, &j.scenes[w])) != HY_OK)
            goto done;
    }
    hy_pool_run(pool, (size_t)j.bands, process_band, &j);
    {
        double read = 0, test = 0;
        for (int w = 0; w < hy_pool_workers(pool); w++) {
            read += j.read_s[w];
            test += j.test_s[w];
        }
        /* thread-seconds: what reading and testing cost, whatever the thread count */
        hy__log(ctx, HY_LOG_INFO,
                "%s: %zu blocks in %d bands: reading %.3f s, fire tests %.3f s (%.1f %% of "
                "reading)",
                info->product_id, nblocks, nworkers, read, test, read > 0 ? 100 * test / read : 0);
    }
    for (size_t b = 0; b < nblocks && st == HY_OK; b++)
        st = j.status[b];
    if (st != HY_OK)
        goto done;
    /* gather in block order, then into raster order for clustering */
    if ((st = hy__pixels_gather(ctx, j.found, nblocks, &all)) != HY_OK)
        goto done;
    st = emit_clusters(ctx, info, cfg, all.v, all.n, out);
    if (st == HY_OK && pixels) { /* hand the list over */
        *pixels = all.v;
        *npixels = all.n;
        all.v = NULL;
    }
done:
    if (j.scenes)
        for (int w = 1; w < nworkers; w++)
            hy_scene_destroy(j.scenes[w]);
    if (j.scratch)
        for (int w = 0; w < hy_pool_workers(pool); w++) {
            hy__free(ctx, j.scratch[w].bits);
            hy__free(ctx, j.scratch[w].bg);
            hy__free(ctx, j.scratch[w].sat);
            hy__free(ctx, j.scratch[w].tai);
        }
    if (j.found)
        for (size_t b = 0; b < nblocks; b++)
            hy__free(ctx, j.found[b].v);
    hy__free(ctx, j.found);
    hy__free(ctx, j.status);
    hy__free(ctx, j.read_s);
    hy__free(ctx, j.test_s);
    hy__free(ctx, j.scratch);
    hy__free(ctx, j.scenes);
    hy__free(ctx, all.v);
    hy_pool_destroy(pool);
    return st;
}
