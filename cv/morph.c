/* cv/morph.c - 3 x 3 morphology (erode, dilate, open, close) of a one-plane 8-bit image,
 * separably: the minimum or maximum of each pixel's row neighbours, then of three rows. Pixels
 * outside the image do not take part, as with OpenCV's default border for morphology, so the
 * output is OpenCV's (hy__cv_morph_opencv, the reference in tests/test_cv.c). Plain C loops the
 * compiler vectorises; OpenCV's morphologyEx copies the image into a bordered buffer and
 * allocates per call, which cost more than the filter on a 640 x 360 mask. */
#include "cv/cv.h"

#include <string.h>

static uint8_t max2(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
}

static uint8_t min2(uint8_t a, uint8_t b)
{
    return a < b ? a : b;
}

/* out = the 3 x 3 maximum (mx) or minimum of in, both w x h with strides; tmp: w x h bytes */
static void filter(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h, int mx,
                   uint8_t *tmp)
{
    for (int y = 0; y < h; y++) { /* rows: neighbours x - 1, x, x + 1 within [0, w) */
        const uint8_t *a = in + (size_t)y * is;
        uint8_t *t = tmp + (size_t)y * (size_t)w;
        if (w == 1) {
            t[0] = a[0];
            continue;
        }
        if (mx) {
            t[0] = max2(a[0], a[1]);
            for (int x = 1; x < w - 1; x++)
                t[x] = max2(max2(a[x - 1], a[x]), a[x + 1]);
            t[w - 1] = max2(a[w - 2], a[w - 1]);
        } else {
            t[0] = min2(a[0], a[1]);
            for (int x = 1; x < w - 1; x++)
                t[x] = min2(min2(a[x - 1], a[x]), a[x + 1]);
            t[w - 1] = min2(a[w - 2], a[w - 1]);
        }
    }
    for (int y = 0; y < h; y++) { /* columns: rows y - 1, y, y + 1 within [0, h) */
        const uint8_t *u = tmp + (size_t)(y > 0 ? y - 1 : y) * (size_t)w;
        const uint8_t *c = tmp + (size_t)y * (size_t)w;
        const uint8_t *d = tmp + (size_t)(y < h - 1 ? y + 1 : y) * (size_t)w;
        uint8_t *o = out + (size_t)y * os;
        if (mx)
            for (int x = 0; x < w; x++)
                o[x] = max2(max2(u[x], c[x]), d[x]);
        else
            for (int x = 0; x < w; x++)
                o[x] = min2(min2(u[x], c[x]), d[x]);
    }
}

hy_status hy__cv_morph3(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op, hy_image *dst)
{
    uint8_t *tmp;
    hy_status st;
    if ((st = hy_image_alloc(ctx, src->width, src->height, src->fmt, dst)) != HY_OK)
        return st;
    tmp = hy__malloc(ctx, (size_t)src->width * (size_t)src->height);
    if (!tmp) {
        hy_image_free(ctx, dst);
        return HY_ENOMEM;
    }
    hy__cv_morph3_into(src, op, dst, tmp);
    hy__free(ctx, tmp);
    return HY_OK;
}

void hy__cv_morph3_into(const hy_image *src, hy_cv_morph_op op, hy_image *dst, uint8_t *tmp)
{
    const int w = src->width, h = src->height;
    switch (op) {
    case HY_CV_ERODE:
    case HY_CV_DILATE:
        filter(src->plane[0], src->stride[0], dst->plane[0], dst->stride[0], w, h,
               op == HY_CV_DILATE, tmp);
        break;
    case HY_CV_OPEN: /* erode, then dilate the result in place (rows read before written) */
    case HY_CV_CLOSE:
        filter(src->plane[0], src->stride[0], dst->plane[0], dst->stride[0], w, h,
               op == HY_CV_CLOSE, tmp);
        filter(dst->plane[0], dst->stride[0], dst->plane[0], dst->stride[0], w, h, op == HY_CV_OPEN,
               tmp);
        break;
    }
}
