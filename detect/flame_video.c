/* detect/flame_video.c - the camera flame detector: Chen et al. 2004 flame colour (RGB, the
 * kernel) and Celik & Demirel 2009's YCbCr tests against the frame's means per pixel; regions
 * by connected components, those wider than 0.4 of the frame dropped (pyronear); flicker
 * (Toreyin et al. 2006: flames flicker, lamps, sunsets and red paint do not) as the share of a
 * region's box whose flame state changed since the last analysed frame; area changes (Chen et
 * al. 2004's growth, Borges & Izquierdo 2010's area variation) as a change of a region's pixel
 * count against its last sighting; and confirmation by persistence as pyronear does (a region
 * counts when regions overlapping it were seen in k of the last n analysed frames, flickering
 * in at least flicker_k of them and changing area in at least area_k). */
#include "detect/detect_internal.h"

#include "cv/cv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TRACKS 64

typedef struct track {
    int x, y, w, h;   /* latest box, analysis pixels */
    unsigned history; /* bit 0 = latest analysed frame */
    unsigned flicker; /* bit 0: it flickered in the latest analysed frame */
    unsigned area;    /* bit 0: its area changed since its last sighting, in the latest frame */
    int pixels;
    hy__confirm confirm;  /* confirmed until seen in fewer than hold_k of the window */
    double last_report_s; /* stream time of the last report; < 0 never */
} track;

struct hy_flame {
    const hy_ctx *ctx;
    hy_flame_config cfg;
    char camera_id[96];
    hy__kernels k;
    hy_image mask;      /* this frame's flame pixels */
    uint8_t *prev;      /* the last analysed frame's, packed to bits (mask_pack) */
    size_t prev_stride; /* bytes a row of prev: (width + 7) / 8 and 8 of slack, rounded */
    int prev_any;       /* prev has a set bit */
    hy__exclusion exclude;
    hy__regions regions;
    int have_prev;
    int ir; /* the last frame was grey: infrared / night mode */
    track tracks[MAX_TRACKS];
    int ntracks;
};

void hy_flame_config_init(hy_flame_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->red_threshold = 125; /* Chen et al. 2004: R_T in 115..135 */
    cfg->sat_threshold = 60;  /* Chen et al. 2004: S_T in 55..65 */
    cfg->min_pixels = 12;
    cfg->persist_k = 3;
    cfg->persist_n = 5;
    cfg->repeat_s = 10;
    cfg->ycbcr_tau = 40;    /* Celik & Demirel 2009 */
    cfg->flicker = 0.05;    /* 5 % of the box changing state between frames */
    cfg->flicker_k = 0;     /* off by default: measured in docs/camera.md, it costs furg_house6
                               recall (0.98 -> 0.83) and spares no negative clip */
    cfg->max_width = 0.4;   /* pyronear */
    cfg->area_change = 0.1; /* a tenth of the region's pixels */
    cfg->area_k = 0;        /* off by default: measured in docs/camera.md, it costs furg_house6
                               recall (0.98 -> 0.84 at k = 1) and spares no negative clip */
}

hy_status hy_flame_create(const hy_ctx *ctx, const hy_flame_config *cfg, hy_flame **out)
{
    hy_flame *f;
    hy_status st;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || cfg->red_threshold < 0 || cfg->red_threshold > 254 ||
        cfg->sat_threshold < 0 || cfg->sat_threshold > 255 || cfg->min_pixels < 1 ||
        cfg->persist_n < 1 || cfg->persist_n > 32 || cfg->persist_k < 1 ||
        cfg->persist_k > cfg->persist_n || cfg->hold_k < 0 || cfg->hold_k > cfg->persist_k ||
        cfg->repeat_s < 0 || cfg->ycbcr_tau > 255 || !(cfg->flicker >= 0 && cfg->flicker <= 1) ||
        cfg->flicker_k < 0 || cfg->flicker_k > cfg->persist_n ||
        !(cfg->max_width >= 0 && cfg->max_width <= 1) ||
        !(cfg->area_change >= 0 && cfg->area_change <= 1) || cfg->area_k < 0 ||
        cfg->area_k > cfg->persist_n)
        return HY_EINVAL;
    f = hy__calloc(ctx, 1, sizeof(*f));
    if (!f)
        return HY_ENOMEM;
    f->ctx = ctx;
    f->cfg = *cfg;
    snprintf(f->camera_id, sizeof(f->camera_id), "%s", cfg->camera_id ? cfg->camera_id : "");
    f->cfg.camera_id = f->camera_id;
    f->cfg.hold_k = hy__hold_k(cfg->persist_k, cfg->hold_k);
    hy__kernels_init(&f->k, hy_ctx_cpu_flags(ctx));
    if ((st = hy__exclusion_init(ctx, &f->exclude, cfg->exclude, cfg->exclude_count)) != HY_OK) {
        hy__free(ctx, f);
        return st;
    }
    f->cfg.exclude = NULL; /* the copy in f->exclude */
    *out = f;
    return HY_OK;
}

static int overlaps(const track *t, const hy_cv_component *c)
{
    return c->x < t->x + t->w && t->x < c->x + c->w && c->y < t->y + t->h && t->y < c->y + c->h;
}

hy_status hy_flame_process(hy_flame *f, const hy_frame *frame, hy_detections *out)
{
    const hy_image *img;
    hy_cv_component *comps = NULL;
    int ncomps = 0;
    unsigned window;
    int any, bx0, by0, bx1, by1; /* the flame pixels' box [bx0, bx1) x [by0, by1), if any */
    hy_status st;

    if (!f || !frame || !out || frame->image.fmt != HY_PIX_RGBP)
        return HY_EINVAL;
    img = &frame->image;
    /* Infrared / night frames are grey (pyronear: max(R - G) = 0): no colour test can find a
     * flame in them, and the switch at dusk or dawn is a classic false alarm. A switch ends
     * every track; it is logged once. */
    {
        const int grey = hy__image_grey(img);
        if (grey != f->ir) {
            hy__log(f->ctx, HY_LOG_INFO, "%s: frame %lld: %s", f->camera_id,
                    (long long)frame->index,
                    grey ? "infrared/night (grey) frames: flame colour tests paused"
                         : "colour frames again: flame colour tests resumed");
            f->ir = grey;
            f->ntracks = 0;
            f->have_prev = 0;
        }
        if (grey)
            return HY_OK;
    }
    if (f->mask.plane[0] && (f->mask.width != img->width || f->mask.height != img->height)) {
        hy_image_free(f->ctx, &f->mask); /* a new size: start afresh */
        hy__free(f->ctx, f->prev);
        f->prev = NULL;
        f->have_prev = 0;
        f->ntracks = 0;
    }
    if (!f->mask.plane[0]) {
        f->prev_stride = ((size_t)img->width / 8 + 1 + 8 + 7) & ~(size_t)7;
        f->prev = hy__calloc(f->ctx, (size_t)img->height, f->prev_stride);
        f->prev_any = 0;
        if (!f->prev)
            return HY_ENOMEM;
        if ((st = hy_image_alloc(f->ctx, img->width, img->height, HY_PIX_GRAY8, &f->mask)) !=
            HY_OK) {
            hy__free(f->ctx, f->prev);
            f->prev = NULL;
            return st;
        }
    }
    for (int y = 0; y < img->height; y++)
        f->k.flame_rgb(hy_image_at(img, 0, 0, y), hy_image_at(img, 1, 0, y),
                       hy_image_at(img, 2, 0, y), f->cfg.red_threshold, f->cfg.sat_threshold,
                       hy_image_at(&f->mask, 0, 0, y), (size_t)img->width);
    /* Celik & Demirel 2009 in YCbCr (ITU-R BT.601 full range, as OpenCV): Y >= Cb, Cr >= Cb,
     * Y >= mean Y, Cb <= mean Cb, Cr >= mean Cr, |Cb - Cr| >= tau, the means over the frame.
     * The means are linear in R, G and B, so they come from the channels' integer sums; the
     * rules are tested in integers (detect/kernels/kernels.h) on the flame pixels' box. */
    bx0 = 0, by0 = 0, bx1 = img->width, by1 = img->height;
    any = hy__mask_box(&f->mask, &bx0, &by0, &bx1, &by1);
    if (any && f->cfg.ycbcr_tau >= 0) {
        uint64_t sum[3] = {0, 0, 0};
        hy__celik t;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < img->height; y++)
                sum[c] += f->k.byte_sum(hy_image_at(img, c, 0, y), (size_t)img->width);
        hy__celik_init(&t, sum, (uint64_t)img->width * (uint64_t)img->height, f->cfg.ycbcr_tau);
        for (int y = by0; y < by1; y++)
            f->k.celik(hy_image_at(img, 0, bx0, y), hy_image_at(img, 1, bx0, y),
                       hy_image_at(img, 2, bx0, y), &t, hy_image_at(&f->mask, 0, bx0, y),
                       (size_t)(bx1 - bx0));
    }
    if ((st = hy__exclusion_apply(&f->exclude, frame, &f->mask)) != HY_OK)
        return st;
    /* Close small gaps so one flame is one region; then the regions */
    if (any && (st = hy__mask_regions(f->ctx, &f->regions, &f->mask, bx0, by0, bx1, by1, &comps,
                                      &ncomps)) != HY_OK)
        return st;

    window = f->cfg.persist_n >= 32 ? ~0u : (1u << f->cfg.persist_n) - 1;
    for (int t = 0; t < f->ntracks; t++) {
        f->tracks[t].history = (f->tracks[t].history << 1) & window;
        f->tracks[t].flicker = (f->tracks[t].flicker << 1) & window;
        f->tracks[t].area = (f->tracks[t].area << 1) & window;
    }
    for (int c = 0; c < ncomps; c++) {
        const hy_cv_component *cc = &comps[c];
        track *tr = NULL;
        int matched = 0, flick = 0, grew = 0;
        if (cc->area < f->cfg.min_pixels)
            continue;
        if (f->cfg.max_width > 0 && cc->w > f->cfg.max_width * img->width)
            continue; /* sky glow, a sunset: not a flame (pyronear drops wide boxes) */
        for (int t = 0; t < f->ntracks && !tr; t++)
            if (overlaps(&f->tracks[t], cc))
                tr = &f->tracks[t];
        if (f->have_prev) {
            /* the share of the box (with the track's last box: a flame that shrinks changes
             * pixels outside its new box) whose flame state changed since the last frame */
            int x0 = cc->x, y0 = cc->y, x1 = cc->x + cc->w, y1 = cc->y + cc->h;
            long changed = 0;
            if (tr) {
                x0 = tr->x < x0 ? tr->x : x0;
                y0 = tr->y < y0 ? tr->y : y0;
                x1 = tr->x + tr->w > x1 ? tr->x + tr->w : x1;
                y1 = tr->y + tr->h > y1 ? tr->y + tr->h : y1;
            }
            for (int y = y0; y < y1; y++)
                changed += (long)f->k.mask_changes(hy_image_at(&f->mask, 0, x0, y),
                                                   f->prev + (size_t)y * f->prev_stride, (size_t)x0,
                                                   (size_t)(x1 - x0));
            flick = changed >= f->cfg.flicker * (double)(x1 - x0) * (y1 - y0);
        }
        if (tr) {
            /* Chen et al. 2004, Borges & Izquierdo 2010: a flame's area keeps changing; a lamp's,
             * a face's or a sunlit patch's stays */
            const int big = cc->area > tr->pixels ? cc->area : tr->pixels;
            grew = abs(cc->area - tr->pixels) >= f->cfg.area_change * big;
            tr->area |= (unsigned)grew;
            tr->history |= 1;
            tr->flicker |= (unsigned)flick;
            tr->x = cc->x;
            tr->y = cc->y;
            tr->w = cc->w;
            tr->h = cc->h;
            tr->pixels = cc->area;
            matched = 1;
        }
        if (!matched && f->ntracks < MAX_TRACKS) {
            track *nt = &f->tracks[f->ntracks++];
            nt->x = cc->x;
            nt->y = cc->y;
            nt->w = cc->w;
            nt->h = cc->h;
            nt->pixels = cc->area;
            nt->history = 1;
            nt->flicker = (unsigned)flick;
            nt->area = 0;
            nt->confirm.open = 0;
            nt->last_report_s = -1;
        }
    }
    hy_cv_components_free(f->ctx, comps);
    /* keep this frame's flame pixels, packed, for the next frame's flicker (a frame without
     * any leaves the bits clear) */
    if (any)
        for (int y = 0; y < img->height; y++)
            f->k.mask_pack(hy_image_at(&f->mask, 0, 0, y), (size_t)img->width,
                           f->prev + (size_t)y * f->prev_stride);
    else if (f->prev_any)
        memset(f->prev, 0, (size_t)img->height * f->prev_stride);
    f->prev_any = any;
    f->have_prev = 1;

    for (int t = 0; t < f->ntracks;) {
        track *tr = &f->tracks[t];
        const int seen = hy__popcount(tr->history);
        hy__confirm_step(f->ctx, f->camera_id, "flame", frame->index, tr->history,
                         hy__popcount(tr->flicker) >= f->cfg.flicker_k &&
                             hy__popcount(tr->area) >= f->cfg.area_k,
                         f->cfg.persist_k, f->cfg.hold_k, f->cfg.persist_n, &tr->confirm);
        if (tr->history == 0) { /* gone for n frames: forget it */
            f->tracks[t] = f->tracks[--f->ntracks];
            continue;
        }
        if (tr->confirm.open && (tr->history & 1) &&
            (tr->last_report_s < 0 || frame->pts_s - tr->last_report_s >= f->cfg.repeat_s)) {
            hy_detection d;
            hy__camera_detection(&d, HY_KIND_FIRE, f->camera_id, frame, tr->x, tr->y, tr->w, tr->h,
                                 tr->pixels, seen, f->cfg.persist_k, f->cfg.persist_n);
            snprintf(d.tests, sizeof(d.tests), "chen_rgb%s,flicker_%d,area_%d,persist_%d_of_%d",
                     f->cfg.ycbcr_tau >= 0 ? ",celik_ycbcr" : "", hy__popcount(tr->flicker),
                     hy__popcount(tr->area), seen, f->cfg.persist_n);
            if ((st = hy_detections_push(f->ctx, out, &d)) != HY_OK)
                return st;
            tr->last_report_s = frame->pts_s;
        }
        t++;
    }
    return HY_OK;
}

int hy_flame_ir(const hy_flame *f)
{
    return f ? f->ir : 0;
}

void hy_flame_destroy(hy_flame *f)
{
    if (!f)
        return;
    hy_image_free(f->ctx, &f->mask);
    hy__free(f->ctx, f->prev);
    hy__regions_free(f->ctx, &f->regions);
    hy__exclusion_free(&f->exclude);
    hy__free(f->ctx, f);
}

void hy_flame_rgb_classify(const hy_ctx *ctx, const uint8_t *r, const uint8_t *g, const uint8_t *b,
                           int red_threshold, int sat_threshold, uint8_t *out, size_t n)
{
    hy__kernels k;
    hy__kernels_init(&k, hy_ctx_cpu_flags(ctx));
    k.flame_rgb(r, g, b, red_threshold, sat_threshold, out, n);
}
