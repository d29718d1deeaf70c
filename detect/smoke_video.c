/* detect/smoke_video.c - the camera smoke detector, after Genovese et al. 2011 (wildfire smoke,
 * 240 x 320 frames; parameters as REFERENCES.md gives them):
 * - a fast background (alpha 0.7, every frame) and a slow one (alpha 0.9, once a second);
 * - an adaptive per-pixel threshold T <- alpha T + (1 - alpha) 5 |I - B| from 6, updated
 *   where nothing moves; a pixel moves when |I - B_fast| > T;
 * - a slow-motion vote: |B_fast - B_slow| < 10 -> -1, > 30 -> +1 (smoke builds up slowly);
 * - smoke colour in YUV (U, V centred on 128): greyness 1 - (|U - 128| + |V - 128|) / 128 of
 *   at least 0.8, and either Y - U > 40, Y - V > 40, Y > 30 (Genovese et al.; the default) or
 *   Y > 100 (Toreyin's thesis, 2009, eq. 6.3, the rule Genovese et al.'s code cites);
 * - regions of at least 20 pixels that grow and rise over 5 analysed frames, confirmed by
 *   persistence as the flame detector's are (k of the last n analysed frames).
 * Grey (infrared / night) frames pause it as they pause the flame detector. When the view
 * changes (detect/view.c), the models restart from the new picture. */
#include "detect/detect_internal.h"

#include "cv/cv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRACKS 64
#define RISE_N     5 /* frames over which a region must grow and rise */

typedef struct track {
    int x, y, w, h;
    unsigned history;
    int pixels;
    int area[RISE_N], top[RISE_N]; /* the last RISE_N sightings, newest first */
    int seen;                      /* sightings recorded (up to RISE_N) */
    hy__confirm confirm;           /* confirmed until seen in fewer than hold_k of the window */
    double last_report_s;
} track;

struct hy_smoke {
    const hy_ctx *ctx;
    hy_smoke_config cfg;
    char camera_id[96];
    int w, h;
    float *bf, *bs, *thr; /* fast and slow backgrounds, thresholds */
    float *cur;           /* this frame's luma (written only when needed, see below) */
    double last_slow_s;   /* stream time of the last slow update */
    hy_image mask;
    hy__exclusion exclude;
    hy__regions regions;
    hy__view view;
    hy__kernels k;
    float min_greyness; /* cfg.min_greyness as a float threshold (hy__smoke_greyness) */
    int started, ir;
    track tracks[MAX_TRACKS];
    int ntracks;
};

void hy_smoke_config_init(hy_smoke_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->min_pixels = 20; /* Genovese et al. */
    cfg->persist_k = 3;
    cfg->persist_n = 5;
    cfg->repeat_s = 10;
    cfg->min_greyness = 0.8;
    cfg->colour = HY_SMOKE_COLOUR_GENOVESE; /* docs/camera.md: Toreyin's finds smoke3 earlier
                                               and passes pale stubble too */
    cfg->soft_edge = -1; /* off: measured in docs/camera.md, it loses smoke3 and a smoke clip
                            before it spares a negative one */
    cfg->edge_floor = 2;
    cfg->view_change = 0.5; /* docs/camera.md: a turn to another view changed 0.60-0.98 of the
                               blocks, a fixed camera's own frames at most 0.51 */
}

hy_status hy_smoke_create(const hy_ctx *ctx, const hy_smoke_config *cfg, hy_smoke **out)
{
    hy_smoke *s;
    hy_status st;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || cfg->min_pixels < 1 || cfg->persist_n < 1 || cfg->persist_n > 32 ||
        cfg->persist_k < 1 || cfg->persist_k > cfg->persist_n || cfg->hold_k < 0 ||
        cfg->hold_k > cfg->persist_k || cfg->repeat_s < 0 ||
        !(cfg->min_greyness >= 0 && cfg->min_greyness <= 1) || !(cfg->soft_edge <= 1) ||
        !(cfg->edge_floor >= 0) || !(cfg->view_change >= 0 && cfg->view_change <= 1) ||
        (cfg->colour != HY_SMOKE_COLOUR_TOREYIN && cfg->colour != HY_SMOKE_COLOUR_GENOVESE))
        return HY_EINVAL;
    s = hy__calloc(ctx, 1, sizeof(*s));
    if (!s)
        return HY_ENOMEM;
    s->ctx = ctx;
    s->cfg = *cfg;
    snprintf(s->camera_id, sizeof(s->camera_id), "%s", cfg->camera_id ? cfg->camera_id : "");
    s->cfg.camera_id = s->camera_id;
    s->cfg.hold_k = hy__hold_k(cfg->persist_k, cfg->hold_k);
    s->min_greyness = hy__smoke_greyness(cfg->min_greyness);
    hy__kernels_init(&s->k, hy_ctx_cpu_flags(ctx));
    if ((st = hy__exclusion_init(ctx, &s->exclude, cfg->exclude, cfg->exclude_count)) != HY_OK) {
        hy__free(ctx, s);
        return st;
    }
    s->cfg.exclude = NULL; /* the copy in s->exclude */
    *out = s;
    return HY_OK;
}

void hy_smoke_destroy(hy_smoke *s)
{
    if (!s)
        return;
    hy__free(s->ctx, s->bf);
    hy_image_free(s->ctx, &s->mask);
    hy__regions_free(s->ctx, &s->regions);
    hy__view_free(s->ctx, &s->view);
    hy__exclusion_free(&s->exclude);
    hy__free(s->ctx, s);
}

static int overlaps(const track *t, const hy_cv_component *c)
{
    return c->x < t->x + t->w && t->x < c->x + c->w && c->y < t->y + t->h && t->y < c->y + c->h;
}

double hy__detail_energy(const float *p, int w, int x0, int y0, int bw, int bh, int *blocks)
{
    double e = 0;
    int nb = 0;
    for (int y = y0; y + 1 < y0 + bh; y += 2)
        for (int x = x0; x + 1 < x0 + bw; x += 2) {
            const float *r0 = p + (size_t)y * w + x, *r1 = r0 + w;
            const float a = r0[0], b = r0[1], c = r1[0], d = r1[1];
            e += fabsf(a - b + c - d) + fabsf(a + b - c - d) + fabsf(a - b - c + d);
            nb++;
        }
    *blocks = nb;
    return e;
}

/* Toreyin et al. 2006: smoke blurs what is behind it, so the detail energy in a smoke region
 * falls against the background's; a waving branch or a walker brings its own edges. 1 when the
 * region passes (or the background is too flat to tell). */
static int soft_edges(const hy_smoke *s, const hy_cv_component *cc)
{
    int nb;
    double ec, eb;
    if (s->cfg.soft_edge < 0)
        return 1;
    eb = hy__detail_energy(s->bs, s->w, cc->x, cc->y, cc->w, cc->h, &nb);
    if (nb == 0 || eb < s->cfg.edge_floor * 4.0 * nb)
        return 1;
    ec = hy__detail_energy(s->cur, s->w, cc->x, cc->y, cc->w, cc->h, &nb);
    return ec <= s->cfg.soft_edge * eb;
}

/* (Re)start the models on a frame of w x h. */
static hy_status restart(hy_smoke *s, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    hy__free(s->ctx, s->bf);
    hy_image_free(s->ctx, &s->mask);
    s->bf = hy__calloc(s->ctx, 4 * n, sizeof(float)); /* defined before the first frame */
    if (!s->bf)
        return HY_ENOMEM;
    s->bs = s->bf + n;
    s->thr = s->bs + n;
    s->cur = s->thr + n;
    s->w = w;
    s->h = h;
    s->started = 0;
    s->ntracks = 0;
    return hy_image_alloc(s->ctx, w, h, HY_PIX_GRAY8, &s->mask);
}

hy_status hy_smoke_process(hy_smoke *s, const hy_frame *frame, hy_detections *out)
{
    const hy_image *img;
    hy_cv_component *comps = NULL;
    int ncomps = 0, slow, grey;
    unsigned window;
    hy_status st;
    if (!s || !frame || !out || frame->image.fmt != HY_PIX_RGBP)
        return HY_EINVAL;
    img = &frame->image;
    if ((img->width != s->w || img->height != s->h) &&
        (st = restart(s, img->width, img->height)) != HY_OK)
        return st;
    grey = hy__image_grey(img);
    if (grey != s->ir) {
        hy__log(s->ctx, HY_LOG_INFO, "%s: frame %lld: %s", s->camera_id, (long long)frame->index,
                grey ? "infrared/night (grey) frames: smoke tests paused"
                     : "colour frames again: smoke tests resumed");
        s->ir = grey;
        s->started = 0;
        s->ntracks = 0;
        hy__view_forget(&s->view);
    }
    if (grey)
        return HY_OK;
    {
        /* the view changed: the backgrounds and thresholds describe another picture, and every
         * pixel would move against them; they restart from this frame */
        int turned;
        if ((st = hy__view_turned(s->ctx, &s->view, frame, s->cfg.view_change, s->started,
                                  s->camera_id, "smoke models", &turned)) != HY_OK)
            return st;
        if (turned) {
            s->started = 0;
            s->ntracks = 0;
        }
    }
    slow = !s->started || frame->pts_s - s->last_slow_s >= 1.0;
    if (slow)
        s->last_slow_s = frame->pts_s;
    {
        const hy__smoke_params p = {.toreyin = s->cfg.colour == HY_SMOKE_COLOUR_TOREYIN,
                                    .slow = slow,
                                    .min_greyness = s->min_greyness};
        const size_t w = (size_t)img->width;
        /* the frame's luma is kept for the first frame (it starts the models) and for the
         * soft-edge test; otherwise not written, a quarter less memory traffic per frame */
        const int keep = !s->started || s->cfg.soft_edge >= 0;
        for (int y = 0; y < img->height; y++) {
            const size_t i = (size_t)y * w;
            s->k.smoke(hy_image_at(img, 0, 0, y), hy_image_at(img, 1, 0, y),
                       hy_image_at(img, 2, 0, y), s->bf + i, s->bs + i, s->thr + i,
                       keep ? s->cur + i : NULL, hy_image_at(&s->mask, 0, 0, y), &p, w);
        }
    }
    if (!s->started) { /* the first frame starts the models: its own luma, no candidate */
        const size_t n = (size_t)img->width * (size_t)img->height;
        memcpy(s->bf, s->cur, n * sizeof(float));
        memcpy(s->bs, s->cur, n * sizeof(float));
        for (size_t i = 0; i < n; i++)
            s->thr[i] = 6;
        s->started = 1;
        return HY_OK;
    }
    if ((st = hy__exclusion_apply(&s->exclude, frame, &s->mask)) != HY_OK)
        return st;
    if ((st = hy__mask_regions(s->ctx, &s->regions, &s->mask, 0, 0, s->w, s->h, &comps, &ncomps)) !=
        HY_OK)
        return st;
    window = s->cfg.persist_n >= 32 ? ~0u : (1u << s->cfg.persist_n) - 1;
    for (int t = 0; t < s->ntracks; t++)
        s->tracks[t].history = (s->tracks[t].history << 1) & window;
    for (int c = 0; c < ncomps; c++) {
        const hy_cv_component *cc = &comps[c];
        track *tr = NULL;
        if (cc->area < s->cfg.min_pixels || !soft_edges(s, cc))
            continue;
        for (int t = 0; t < s->ntracks && !tr; t++)
            if (overlaps(&s->tracks[t], cc))
                tr = &s->tracks[t];
        if (!tr) {
            if (s->ntracks == MAX_TRACKS)
                continue;
            tr = &s->tracks[s->ntracks++];
            memset(tr, 0, sizeof(*tr));
            tr->last_report_s = -1;
        } else if (tr->history & 1) {
            /* a second region on the same track this frame: keep the larger */
            if (cc->area <= tr->pixels)
                continue;
            tr->seen--;
            memmove(tr->area, tr->area + 1, (RISE_N - 1) * sizeof(int));
            memmove(tr->top, tr->top + 1, (RISE_N - 1) * sizeof(int));
        }
        memmove(tr->area + 1, tr->area, (RISE_N - 1) * sizeof(int));
        memmove(tr->top + 1, tr->top, (RISE_N - 1) * sizeof(int));
        tr->area[0] = cc->area;
        tr->top[0] = cc->y;
        tr->seen = tr->seen < RISE_N ? tr->seen + 1 : RISE_N;
        tr->history |= 1;
        tr->x = cc->x, tr->y = cc->y, tr->w = cc->w, tr->h = cc->h;
        tr->pixels = cc->area;
    }
    hy_cv_components_free(s->ctx, comps);
    for (int t = 0; t < s->ntracks;) {
        track *tr = &s->tracks[t];
        const int seen = hy__popcount(tr->history);
        /* opens when it grows and rises: larger, and its top higher, than RISE_N - 1 sightings
         * ago; stays open on sightings alone (smoke that has risen may stall or thin) */
        hy__confirm_step(s->ctx, s->camera_id, "smoke", frame->index, tr->history,
                         tr->seen == RISE_N && tr->area[0] > tr->area[RISE_N - 1] &&
                             tr->top[0] < tr->top[RISE_N - 1],
                         s->cfg.persist_k, s->cfg.hold_k, s->cfg.persist_n, &tr->confirm);
        if (tr->history == 0) {
            s->tracks[t] = s->tracks[--s->ntracks];
            continue;
        }
        if (tr->confirm.open && (tr->history & 1) &&
            (tr->last_report_s < 0 || frame->pts_s - tr->last_report_s >= s->cfg.repeat_s)) {
            hy_detection d;
            hy__camera_detection(&d, HY_KIND_SMOKE, s->camera_id, frame, tr->x, tr->y, tr->w, tr->h,
                                 tr->pixels, seen, s->cfg.persist_k, s->cfg.persist_n);
            snprintf(d.tests, sizeof(d.tests), "%s_yuv,slow_motion,grows_rises,persist_%d_of_%d",
                     s->cfg.colour == HY_SMOKE_COLOUR_TOREYIN ? "toreyin" : "genovese", seen,
                     s->cfg.persist_n);
            if ((st = hy_detections_push(s->ctx, out, &d)) != HY_OK)
                return st;
            tr->last_report_s = frame->pts_s;
        }
        t++;
    }
    return HY_OK;
}
