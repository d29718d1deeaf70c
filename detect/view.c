/* detect/view.c - has the camera's view changed since the last analysed frame? A PTZ tower
 * camera turns from preset to preset on its patrol, a camera is knocked or zoomed, exposure
 * jumps: then what the detectors remember (backgrounds, tracks, flicker) describes another
 * picture. The test compares a small picture of block means with the last frame's: the view
 * changed when most blocks changed a lot at once, which neither smoke nor a flame nor a
 * passing truck does to most of a frame in one step. */
#include "detect/detect_internal.h"

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
        for (size_t i = 0; i < n; i++)
            moved += (size_t)abs((int)cur[i] - (int)prev[i]) > HY__VIEW_LEVELS * 64;
        v->cur ^= 1;
        v->share = (double)moved / (double)n;
        *changed = v->share >= share;
    }
    v->have = 1;
    return HY_OK;
}

void hy__view_forget(hy__view *v)
{
    v->have = 0;
}
