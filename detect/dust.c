/* detect/dust.c - the camera dust detector (construction sites, dirt roads), first version:
 * brown or grey haze near the ground. A pixel is hazy when it is
 * - weakly saturated, (max - min) / max < max_saturation (dust is a desaturated veil);
 * - warm or neutral: R >= B and R - B <= max_warmth (brown to grey; blue sky is not);
 * - bright but not blown out: min_value <= max(R, G, B) <= max_value;
 * - smooth: the luma's standard deviation over 9 x 9 pixels below max_texture (a veil hides
 *   the texture behind it);
 * - veiled: its dark channel, the least of R, G and B over 7 x 7 pixels, at least min_dark
 *   (He et al. 2009: haze lifts the dark channel; clear ground has dark pixels everywhere).
 * A frame holds dust when the hazy share of its lower two thirds is at least min_lower and that
 * of its upper third at most max_upper (fog and low cloud veil the whole frame). On video
 * (motion on) the haze must also move: at least min_moving of the hazy pixels below differ from
 * a running background by more than 8 grey levels, so a grey yard or road that is always there
 * does not alarm. Confirmed by persistence (k of the last n analysed frames) as smoke and flame
 * are, and reported again every repeat_s while it lasts; the box is the hazy pixels' extent
 * below. Grey (infrared / night) frames pause it. Thresholds and their reasons: docs/camera.md. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXTURE_R 4 /* 9 x 9 */
#define DARK_R    3 /* 7 x 7 */
#define MOVE_DIFF 8.0f

struct hy_dust {
    const hy_ctx *ctx;
    hy_dust_config cfg;
    char camera_id[96];
    int w, h;
    float *luma, *bg;   /* this frame's luma, the running background */
    double *sum, *sum2; /* summed-area tables of luma and luma^2, (w + 1) x (h + 1) */
    uint8_t *mn, *dark; /* min(R, G, B), and its 7 x 7 minimum */
    hy_image mask;
    hy__exclusion exclude;
    hy__view view;
    int started, ir;
    unsigned history;
    hy__confirm confirm; /* confirmed until hazy in fewer than hold_k of the window */
    double last_report_s;
};

void hy_dust_config_init(hy_dust_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_saturation = 0.35;
    cfg->max_warmth = 60;
    cfg->min_value = 90;
    cfg->max_value = 235;
    cfg->max_texture = 10;
    cfg->min_dark = 70;
    cfg->min_lower = 0.20;
    cfg->max_upper = 0.10;
    cfg->motion = 1;
    cfg->min_moving = 0.05;
    cfg->view_change = 0.5; /* as the smoke detector's */
    cfg->persist_k = 3;
    cfg->persist_n = 5;
    cfg->repeat_s = 10;
}

hy_status hy_dust_create(const hy_ctx *ctx, const hy_dust_config *cfg, hy_dust **out)
{
    hy_dust *s;
    hy_status st;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !(cfg->max_saturation > 0 && cfg->max_saturation <= 1) ||
        cfg->max_warmth < 0 || cfg->min_value < 0 || cfg->max_value > 255 ||
        cfg->min_value > cfg->max_value || !(cfg->max_texture > 0) || cfg->min_dark < 0 ||
        cfg->min_dark > 255 || !(cfg->min_lower > 0 && cfg->min_lower <= 1) ||
        !(cfg->max_upper >= 0 && cfg->max_upper <= 1) ||
        !(cfg->min_moving >= 0 && cfg->min_moving <= 1) ||
        !(cfg->view_change >= 0 && cfg->view_change <= 1) || cfg->persist_n < 1 ||
        cfg->persist_n > 32 || cfg->persist_k < 1 || cfg->persist_k > cfg->persist_n ||
        cfg->hold_k < 0 || cfg->hold_k > cfg->persist_k || !(cfg->repeat_s >= 0))
        return HY_EINVAL;
    s = hy__calloc(ctx, 1, sizeof(*s));
    if (!s)
        return HY_ENOMEM;
    s->ctx = ctx;
    s->cfg = *cfg;
    snprintf(s->camera_id, sizeof(s->camera_id), "%s", cfg->camera_id ? cfg->camera_id : "");
    s->cfg.camera_id = s->camera_id;
    s->cfg.hold_k = hy__hold_k(cfg->persist_k, cfg->hold_k);
    if ((st = hy__exclusion_init(ctx, &s->exclude, cfg->exclude, cfg->exclude_count)) != HY_OK) {
        hy__free(ctx, s);
        return st;
    }
    s->cfg.exclude = NULL; /* the copy in s->exclude */
    s->last_report_s = -1;
    *out = s;
    return HY_OK;
}

static void release(hy_dust *s)
{
    hy__free(s->ctx, s->luma);
    hy__free(s->ctx, s->sum);
    hy__free(s->ctx, s->mn);
    hy_image_free(s->ctx, &s->mask);
    s->luma = NULL;
    s->sum = NULL;
    s->mn = NULL;
}

void hy_dust_destroy(hy_dust *s)
{
    if (!s)
        return;
    release(s);
    hy__view_free(s->ctx, &s->view);
    hy__exclusion_free(&s->exclude);
    hy__free(s->ctx, s);
}

static hy_status restart(hy_dust *s, int w, int h)
{
    const size_t n = (size_t)w * (size_t)h, ns = (size_t)(w + 1) * (size_t)(h + 1);
    release(s);
    s->luma = hy__malloc(s->ctx, 2 * n * sizeof(float));
    s->sum = hy__malloc(s->ctx, 2 * ns * sizeof(double));
    s->mn = hy__malloc(s->ctx, 3 * n);
    if (!s->luma || !s->sum || !s->mn) {
        release(s);
        return HY_ENOMEM;
    }
    s->bg = s->luma + n;
    s->sum2 = s->sum + ns;
    s->dark = s->mn + n;
    s->w = w;
    s->h = h;
    s->started = 0;
    s->history = 0;
    s->confirm.open = 0;
    return hy_image_alloc(s->ctx, w, h, HY_PIX_GRAY8, &s->mask);
}

/* The 7 x 7 minimum of s->mn into s->dark: separable, windows clipped at the edges, each pass a
 * running minimum over whole rows (loops the compiler vectorises). */
static void dark_channel(hy_dust *s)
{
    const int w = s->w, h = s->h;
    uint8_t *tmp = s->mn + 2 * (size_t)w * (size_t)h;
    for (int y = 0; y < h; y++) {
        const uint8_t *restrict row = s->mn + (size_t)y * w;
        uint8_t *restrict out = tmp + (size_t)y * w;
        memcpy(out, row, (size_t)w);
        for (int d = 1; d <= DARK_R; d++) {
            for (int x = 0; x + d < w; x++) /* the right neighbour d away */
                out[x] = row[x + d] < out[x] ? row[x + d] : out[x];
            for (int x = d; x < w; x++) /* the left one */
                out[x] = row[x - d] < out[x] ? row[x - d] : out[x];
        }
    }
    for (int y = 0; y < h; y++) {
        const int y0 = y - DARK_R < 0 ? 0 : y - DARK_R;
        const int y1 = y + DARK_R >= h ? h - 1 : y + DARK_R;
        uint8_t *restrict out = s->dark + (size_t)y * w;
        memcpy(out, tmp + (size_t)y0 * w, (size_t)w);
        for (int yy = y0 + 1; yy <= y1; yy++) {
            const uint8_t *restrict in = tmp + (size_t)yy * w;
            for (int x = 0; x < w; x++)
                out[x] = in[x] < out[x] ? in[x] : out[x];
        }
    }
}

/* The summed-area tables of s->luma and its square, in double, row by row. */
static void summed_areas(hy_dust *s)
{
    const int w = s->w, h = s->h;
    memset(s->sum, 0, (size_t)(w + 1) * sizeof(double));
    memset(s->sum2, 0, (size_t)(w + 1) * sizeof(double));
    for (int y = 0; y < h; y++) {
        const float *l = s->luma + (size_t)y * w;
        double run = 0, run2 = 0;
        double *row = s->sum + (size_t)(y + 1) * (w + 1),
               *row2 = s->sum2 + (size_t)(y + 1) * (w + 1);
        const double *up = row - (w + 1), *up2 = row2 - (w + 1);
        row[0] = row2[0] = 0;
        for (int x = 0; x < w; x++) {
            run += l[x];
            run2 += (double)l[x] * l[x];
            row[x + 1] = up[x + 1] + run;
            row2[x + 1] = up2[x + 1] + run2;
        }
    }
}

/* Variance of the luma over the 9 x 9 window at x, y (clipped at the edges). */
static double texture_var(const hy_dust *s, int x, int y)
{
    const int w1 = s->w + 1;
    const int x0 = x - TEXTURE_R < 0 ? 0 : x - TEXTURE_R,
              y0 = y - TEXTURE_R < 0 ? 0 : y - TEXTURE_R;
    const int x1 = x + TEXTURE_R + 1 > s->w ? s->w : x + TEXTURE_R + 1;
    const int y1 = y + TEXTURE_R + 1 > s->h ? s->h : y + TEXTURE_R + 1;
    const double n = (double)(x1 - x0) * (y1 - y0);
    const double a =
        s->sum[y1 * w1 + x1] - s->sum[y0 * w1 + x1] - s->sum[y1 * w1 + x0] + s->sum[y0 * w1 + x0];
    const double b = s->sum2[y1 * w1 + x1] - s->sum2[y0 * w1 + x1] - s->sum2[y1 * w1 + x0] +
                     s->sum2[y0 * w1 + x0];
    return b / n - (a / n) * (a / n);
}

hy_status hy_dust_process(hy_dust *s, const hy_frame *frame, hy_detections *out)
{
    const hy_image *img;
    const int motion = s && s->cfg.motion;
    int grey, w, h, top, hit, seen;
    int64_t lower = 0, upper = 0, moving = 0, candidates = 0;
    int bx0, by0, bx1, by1;
    double max_var;
    hy_status st;
    if (!s || !frame || !out || frame->image.fmt != HY_PIX_RGBP)
        return HY_EINVAL;
    img = &frame->image;
    if ((img->width != s->w || img->height != s->h) &&
        (st = restart(s, img->width, img->height)) != HY_OK)
        return st;
    w = s->w;
    h = s->h;
    grey = hy__image_grey(img);
    if (grey != s->ir) {
        hy__log(s->ctx, HY_LOG_INFO, "%s: frame %lld: %s", s->camera_id, (long long)frame->index,
                grey ? "infrared/night (grey) frames: dust tests paused"
                     : "colour frames again: dust tests resumed");
        s->ir = grey;
        s->started = 0;
        s->history = 0;
        s->confirm.open = 0;
        hy__view_forget(&s->view);
    }
    if (grey)
        return HY_OK;
    if (motion) { /* the view changed: the background restarts from this frame */
        int turned;
        if ((st = hy__view_turned(s->ctx, &s->view, frame, s->cfg.view_change, s->started,
                                  s->camera_id, "dust background", &turned)) != HY_OK)
            return st;
        if (turned) {
            s->started = 0;
            s->history = 0;
            s->confirm.open = 0;
        }
    }
    /* luma and min(R, G, B) */
    for (int y = 0; y < h; y++) {
        const uint8_t *r = hy_image_at(img, 0, 0, y), *g = hy_image_at(img, 1, 0, y);
        const uint8_t *b = hy_image_at(img, 2, 0, y);
        float *l = s->luma + (size_t)y * w;
        uint8_t *mn = s->mn + (size_t)y * w;
        for (int x = 0; x < w; x++) {
            l[x] = 0.299f * r[x] + 0.587f * g[x] + 0.114f * b[x];
            mn[x] = r[x] < g[x] ? (r[x] < b[x] ? r[x] : b[x]) : (g[x] < b[x] ? g[x] : b[x]);
        }
    }
    dark_channel(s);
    /* every test but the texture; the texture (and its summed-area tables) only where needed */
    for (int y = 0; y < h; y++) {
        const uint8_t *r = hy_image_at(img, 0, 0, y), *g = hy_image_at(img, 1, 0, y);
        const uint8_t *b = hy_image_at(img, 2, 0, y);
        const uint8_t *mnr = s->mn + (size_t)y * w, *dk = s->dark + (size_t)y * w;
        uint8_t *m = hy_image_at(&s->mask, 0, 0, y);
        for (int x = 0; x < w; x++) {
            const int mx = r[x] > g[x] ? (r[x] > b[x] ? r[x] : b[x]) : (g[x] > b[x] ? g[x] : b[x]);
            m[x] = mx >= s->cfg.min_value && mx <= s->cfg.max_value &&
                           (double)(mx - mnr[x]) < s->cfg.max_saturation * mx && r[x] >= b[x] &&
                           r[x] - b[x] <= s->cfg.max_warmth && dk[x] >= s->cfg.min_dark
                       ? 255
                       : 0;
            candidates += m[x] != 0;
        }
    }
    if (candidates) {
        max_var = s->cfg.max_texture * s->cfg.max_texture; /* the deviation below max_texture */
        summed_areas(s);
        for (int y = 0; y < h; y++) {
            uint8_t *m = hy_image_at(&s->mask, 0, 0, y);
            for (int x = hy__next_nonzero(m, 0, w); x < w; x = hy__next_nonzero(m, x + 1, w))
                if (!(texture_var(s, x, y) < max_var))
                    m[x] = 0;
        }
    }
    if ((st = hy__exclusion_apply(&s->exclude, frame, &s->mask)) != HY_OK)
        return st;
    top = h / 3;
    bx0 = w, by0 = h, bx1 = -1, by1 = -1;
    for (int y = 0; y < h; y++) {
        const uint8_t *m = hy_image_at(&s->mask, 0, 0, y);
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            if (m[x] && y < top) {
                upper++;
            } else if (m[x]) {
                lower++;
                moving += s->started && fabsf(s->luma[i] - s->bg[i]) > MOVE_DIFF;
                bx0 = x < bx0 ? x : bx0;
                bx1 = x > bx1 ? x : bx1;
                by0 = y < by0 ? y : by0;
                by1 = y > by1 ? y : by1;
            }
            s->bg[i] = s->started ? 0.9f * s->bg[i] + 0.1f * s->luma[i] : s->luma[i];
        }
    }
    if (motion && !s->started) {
        s->started = 1;
        return HY_OK; /* the background starts */
    }
    s->started = 1;
    hit = (double)lower >= s->cfg.min_lower * (double)w * (h - top) &&
          (double)upper <= s->cfg.max_upper * (double)w * (top > 0 ? top : 1) &&
          (!motion || (double)moving >= s->cfg.min_moving * (double)lower);
    s->history = ((s->history << 1) | (unsigned)hit) &
                 (s->cfg.persist_n >= 32 ? ~0u : (1u << s->cfg.persist_n) - 1);
    seen = hy__popcount(s->history);
    hy__confirm_step(s->ctx, s->camera_id, "dust", frame->index, s->history, 1, s->cfg.persist_k,
                     s->cfg.hold_k, s->cfg.persist_n, &s->confirm);
    if (!hit)
        return HY_OK;
    if (s->confirm.open &&
        (s->last_report_s < 0 || frame->pts_s - s->last_report_s >= s->cfg.repeat_s)) {
        hy_detection d;
        hy__camera_detection(&d, HY_KIND_DUST, s->camera_id, frame, bx0, by0, bx1 + 1 - bx0,
                             by1 + 1 - by0, (double)lower, seen, s->cfg.persist_k,
                             s->cfg.persist_n);
        snprintf(d.tests, sizeof(d.tests), "haze_%.2f,upper_%.2f%s,persist_%d_of_%d",
                 (double)lower / ((double)w * (h - top)),
                 (double)upper / ((double)w * (top > 0 ? top : 1)), motion ? ",moving" : "", seen,
                 s->cfg.persist_n);
        if ((st = hy_detections_push(s->ctx, out, &d)) != HY_OK)
            return st;
        s->last_report_s = frame->pts_s;
    }
    return HY_OK;
}
