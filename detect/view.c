/* detect/view.c - what a camera's picture does from one analysed frame to the next, from a small
 * picture of its 8 x 8 blocks' mean grey levels:
 * - has the view changed? A PTZ tower camera turns from preset to preset on its patrol, a
 *   camera is knocked or zoomed, the exposure jumps: then what the smoke and dust detectors
 *   remember (backgrounds, thresholds, regions) describes another picture. The view changed when
 *   most blocks changed a lot at once, which neither smoke nor a flame nor a passing truck does
 *   to most of a frame in one step.
 * - is the picture still live? The same picture block for block for a while (a hung camera or
 *   encoder behind a stream that runs on), or a featureless one (a covered, blinded or dead
 *   camera), can show no fire, and the centre must hear of it. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Block b = (bx, by) covers pixels [8 bx, 8 bx + 8) x [8 by, 8 by + 8); its value is the sum of
 * (R + 2 G + B) over the block's rows 2 and 5 (16 pixels: a quarter of the rows read), 0..16320,
 * so a mean grey level g gives 64 g. Blocks that do not fit whole are left out. */
#define VIEW_BLOCK 8

void hy__view_free(const hy_ctx *ctx, hy__view *v)
{
    hy__free(ctx, v->blocks);
    memset(v, 0, sizeof(*v));
}

/* The block sums of one row of blocks: the two rows' R + 2 G + B summed column by column into
 * row (whole-row loops the compiler vectorises), then in eights. */
static void block_sums(const hy_image *img, int bw, int bh, uint16_t *restrict row,
                       uint16_t *restrict out)
{
    const int w = bw * VIEW_BLOCK;
    for (int by = 0; by < bh; by++) {
        const int y0 = by * VIEW_BLOCK + 2, y1 = by * VIEW_BLOCK + 5;
        const uint8_t *restrict r0 = hy_image_at(img, 0, 0, y0),
                                *restrict g0 = hy_image_at(img, 1, 0, y0),
                                *restrict b0 = hy_image_at(img, 2, 0, y0),
                                *restrict r1 = hy_image_at(img, 0, 0, y1),
                                *restrict g1 = hy_image_at(img, 1, 0, y1),
                                *restrict b1 = hy_image_at(img, 2, 0, y1);
        uint16_t *o = out + (size_t)by * (size_t)bw;
        for (int x = 0; x < w; x++) /* at most 2 x 4 x 255 */
            row[x] = (uint16_t)(r0[x] + r1[x] + 2 * (g0[x] + g1[x]) + b0[x] + b1[x]);
        for (int bx = 0; bx < bw; bx++) {
            const uint16_t *q = row + bx * VIEW_BLOCK;
            o[bx] = (uint16_t)(q[0] + q[1] + q[2] + q[3] + q[4] + q[5] + q[6] + q[7]);
        }
    }
}

hy_status hy__view_step(const hy_ctx *ctx, hy__view *v, const hy_image *img, double share,
                        int *changed)
{
    const int bw = img->width / VIEW_BLOCK, bh = img->height / VIEW_BLOCK;
    const size_t n = (size_t)bw * (size_t)bh;
    uint16_t *cur;
    size_t moved = 0;
    *changed = 0;
    v->share = 0;
    v->identical = 0;
    if (share <= 0 || n == 0)
        return HY_OK;
    if (bw != v->bw || bh != v->bh) {
        hy__view_free(ctx, v);
        if (!(v->blocks = hy__malloc(ctx, (2 * n + (size_t)bw * VIEW_BLOCK) * sizeof(*v->blocks))))
            return HY_ENOMEM;
        v->bw = bw, v->bh = bh;
    }
    cur = v->blocks + (v->have ? (v->cur ^ 1) : v->cur) * n;
    block_sums(img, bw, bh, v->blocks + 2 * n, cur);
    if (v->have) {
        const uint16_t *prev = v->blocks + v->cur * n;
        size_t same = 0;
        for (size_t i = 0; i < n; i++) {
            moved += (size_t)abs((int)cur[i] - (int)prev[i]) > HY__VIEW_LEVELS * 64;
            same += cur[i] == prev[i];
        }
        v->identical = same == n;
        v->cur ^= 1;
        v->share = (double)moved / (double)n;
        *changed = v->share >= share;
    }
    v->have = 1;
    return HY_OK;
}

hy_status hy__view_turned(const hy_ctx *ctx, hy__view *v, const hy_frame *frame, double share,
                          int started, const char *camera_id, const char *what, int *turned)
{
    int changed;
    const hy_status st = hy__view_step(ctx, v, &frame->image, share, &changed);
    *turned = st == HY_OK && changed && started;
    if (*turned)
        hy__log(ctx, HY_LOG_INFO,
                "%s: frame %lld: the view changed (%.0f %% of the picture): %s "
                "restarted",
                camera_id, (long long)frame->index, 100 * v->share, what);
    return st;
}

void hy__view_forget(hy__view *v)
{
    v->have = 0;
}

/* ---- a camera's picture: frozen or blank ---- */

struct hy_picture {
    const hy_ctx *ctx;
    hy_picture_config cfg;
    char camera_id[96];
    hy__view view;
    hy_picture_state state;
    double new_s, blank_s; /* stream time of the last new picture; of the first blank
                              one in the present run (< 0: none) */
    double check_s;        /* of the last frame looked at (< 0: none yet) */
    long long new_frame, blank_frame;
};

void hy_picture_config_init(hy_picture_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->hold_s = 30;
    cfg->check_s = 10;
    cfg->blank_levels = 1.5; /* docs/camera.md: the foggiest labelled clip's blocks vary by 2.7 */
}

hy_status hy_picture_create(const hy_ctx *ctx, const hy_picture_config *cfg, hy_picture **out)
{
    hy_picture *p;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !(cfg->hold_s >= 0) || !(cfg->check_s >= 0) || !(cfg->blank_levels >= 0))
        return HY_EINVAL;
    if (!(p = hy__calloc(ctx, 1, sizeof(*p))))
        return HY_ENOMEM;
    p->ctx = ctx;
    p->cfg = *cfg;
    snprintf(p->camera_id, sizeof(p->camera_id), "%s", cfg->camera_id ? cfg->camera_id : "");
    p->cfg.camera_id = p->camera_id;
    p->blank_s = -1;
    p->check_s = -1;
    *out = p;
    return HY_OK;
}

const char *hy_picture_state_name(hy_picture_state s)
{
    return s == HY_PICTURE_FROZEN ? "frozen" : s == HY_PICTURE_BLANK ? "blank" : "live";
}

hy_status hy_picture_step(hy_picture *p, const hy_frame *frame, hy_picture_state *state)
{
    hy_picture_state now = HY_PICTURE_LIVE;
    double spread = 0;
    int changed;
    hy_status st;
    if (!p || !frame || !state || frame->image.fmt != HY_PIX_RGBP)
        return HY_EINVAL;
    if (p->check_s >= 0 && frame->pts_s >= p->check_s &&
        frame->pts_s - p->check_s < p->cfg.check_s) {
        *state = p->state; /* looked at not long ago */
        return HY_OK;
    }
    p->check_s = frame->pts_s;
    if ((st = hy__view_step(p->ctx, &p->view, &frame->image, 1, &changed)) != HY_OK)
        return st;
    if (!p->view.identical) { /* a new picture (the first, or another size, too) */
        p->new_s = frame->pts_s;
        p->new_frame = frame->index;
    }
    {
        /* the spread of the blocks' mean grey levels (block sums are 64 x the level) */
        const size_t n = (size_t)p->view.bw * (size_t)p->view.bh;
        const uint16_t *b = p->view.blocks + (size_t)p->view.cur * n;
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < n; i++) {
            const double g = b[i] / 64.0;
            sum += g;
            sum2 += g * g;
        }
        if (n > 0) {
            const double var = sum2 / (double)n - (sum / (double)n) * (sum / (double)n);
            spread = var > 0 ? sqrt(var) : 0;
        }
        if (n > 0 && spread < p->cfg.blank_levels) {
            if (p->blank_s < 0) {
                p->blank_s = frame->pts_s;
                p->blank_frame = frame->index;
            }
        } else {
            p->blank_s = -1;
        }
    }
    if (p->blank_s >= 0 && frame->pts_s - p->blank_s >= p->cfg.hold_s)
        now = HY_PICTURE_BLANK;
    else if (p->view.identical && frame->pts_s - p->new_s >= p->cfg.hold_s)
        now = HY_PICTURE_FROZEN;
    if (now != p->state) {
        if (now == HY_PICTURE_FROZEN)
            hy__log(p->ctx, HY_LOG_WARN,
                    "%s: frame %lld: picture frozen: the same picture since frame %lld (%.0f s); "
                    "nothing new can be seen",
                    p->camera_id, (long long)frame->index, p->new_frame, frame->pts_s - p->new_s);
        else if (now == HY_PICTURE_BLANK)
            hy__log(p->ctx, HY_LOG_WARN,
                    "%s: frame %lld: picture blank since frame %lld (%.0f s): its 8x8 blocks' grey "
                    "levels vary by %.1f; a covered, blinded or dead camera",
                    p->camera_id, (long long)frame->index, p->blank_frame,
                    frame->pts_s - p->blank_s, spread);
        else
            hy__log(p->ctx, HY_LOG_INFO, "%s: frame %lld: picture live again (it was %s)",
                    p->camera_id, (long long)frame->index, hy_picture_state_name(p->state));
        p->state = now;
    }
    *state = now;
    return HY_OK;
}

void hy_picture_destroy(hy_picture *p)
{
    if (!p)
        return;
    hy__view_free(p->ctx, &p->view);
    hy__free(p->ctx, p);
}
