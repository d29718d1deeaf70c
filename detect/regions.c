/* detect/regions.c - the camera detectors' regions: a candidate mask's set pixels' box, and its
 * regions after a 3 x 3 closing, worked out only within that box. */
#include "detect/detect_internal.h"

#include "cv/cv.h"

#include <string.h>

/* The end of the last non-zero byte of p[a, b), or a: 8 bytes at a time over the zeros, which
 * are nearly all of a candidate mask (hy__next_nonzero the other way). */
static int last_set(const uint8_t *p, int a, int b)
{
    uint64_t w;
    while (b - 8 >= a && (memcpy(&w, p + b - 8, 8), w == 0))
        b -= 8;
    while (b > a && !p[b - 1])
        b--;
    return b;
}

int hy__mask_box(const hy_image *m, int *x0, int *y0, int *x1, int *y1)
{
    int bx0 = *x1, by0 = *y1, bx1 = *x0, by1 = *y0;
    for (int y = *y0; y < *y1; y++) {
        const uint8_t *row = hy_image_at(m, 0, 0, y);
        const int a = hy__next_nonzero(row, *x0, *x1);
        int b;
        if (a == *x1)
            continue;
        b = last_set(row, a, *x1);
        bx0 = a < bx0 ? a : bx0;
        bx1 = b > bx1 ? b : bx1;
        by0 = y < by0 ? y : by0;
        by1 = y + 1;
    }
    *x0 = bx0, *y0 = by0, *x1 = bx1, *y1 = by1;
    return bx1 > bx0;
}

void hy__regions_free(const hy_ctx *ctx, hy__regions *scratch)
{
    hy__free(ctx, scratch->buf);
    scratch->buf = NULL;
    scratch->cap = 0;
}

hy_status hy__mask_regions(const hy_ctx *ctx, hy__regions *scratch, const hy_image *mask, int x0,
                           int y0, int x1, int y1, hy_cv_component **comps, int *ncomps)
{
    hy_image roi = *mask, closed;
    size_t n;
    hy_status st;
    *comps = NULL;
    *ncomps = 0;
    if (!hy__mask_box(mask, &x0, &y0, &x1, &y1))
        return HY_OK;
    /* a 3 x 3 closing reaches 1 pixel out and back; OpenCV numbers regions by 2 x 2 blocks */
    x0 = (x0 - 2 > 0 ? x0 - 2 : 0) & ~1, y0 = (y0 - 2 > 0 ? y0 - 2 : 0) & ~1;
    x1 = x1 + 2 < mask->width ? x1 + 2 : mask->width;
    y1 = y1 + 2 < mask->height ? y1 + 2 : mask->height;
    roi.plane[0] = hy_image_at(mask, 0, x0, y0);
    roi.width = x1 - x0, roi.height = y1 - y0;
    roi.owner = NULL;
    n = (size_t)roi.width * (size_t)roi.height;
    if (scratch->cap < 2 * n) { /* the closing's output, then its scratch rows */
        hy__free(ctx, scratch->buf);
        scratch->cap = 0;
        if (!(scratch->buf = hy__malloc(ctx, 2 * n)))
            return HY_ENOMEM;
        scratch->cap = 2 * n;
    }
    closed = roi;
    closed.plane[0] = scratch->buf;
    closed.stride[0] = roi.width;
    hy__cv_morph3_into(&roi, HY_CV_CLOSE, &closed, scratch->buf + n, hy_ctx_cpu_flags(ctx));
    if ((st = hy_cv_components(ctx, &closed, comps, ncomps, NULL)) != HY_OK)
        return st;
    for (int c = 0; c < *ncomps; c++) {
        (*comps)[c].x += x0, (*comps)[c].y += y0;
        (*comps)[c].cx += x0, (*comps)[c].cy += y0;
    }
    return HY_OK;
}
