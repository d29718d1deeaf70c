/* detect/exclude.c - a camera's exclusion polygons (image pixels of the full-resolution
 * picture) as a mask at the detector's analysis size: a pixel is excluded when its centre,
 * scaled to full resolution, is inside a polygon. Flame and smoke detectors clear their masks
 * there before regions are formed, so a chimney, a lamp or a road in the view never alarms. */
#include "detect/detect_internal.h"

#include <string.h>

hy_status hy__exclusion_init(const hy_ctx *ctx, hy__exclusion *ex, const hy_polygon *p, unsigned n)
{
    memset(ex, 0, sizeof(*ex));
    ex->ctx = ctx;
    if (n == 0)
        return HY_OK;
    if (!p)
        return HY_EINVAL;
    ex->poly = hy__calloc(ctx, n, sizeof(*ex->poly));
    if (!ex->poly)
        return HY_ENOMEM;
    ex->n = n; /* every xy NULL until copied: hy__exclusion_free can run at any point */
    for (unsigned k = 0; k < n; k++) {
        if (p[k].n < 3 || !p[k].xy) {
            hy__exclusion_free(ex);
            return HY_EINVAL;
        }
        ex->poly[k].xy = hy__malloc(ctx, 2 * p[k].n * sizeof(double));
        if (!ex->poly[k].xy) {
            hy__exclusion_free(ex);
            return HY_ENOMEM;
        }
        memcpy(ex->poly[k].xy, p[k].xy, 2 * p[k].n * sizeof(double));
        ex->poly[k].n = p[k].n;
    }
    return HY_OK;
}

hy_status hy__exclusion_apply(hy__exclusion *ex, const hy_frame *frame, hy_image *mask)
{
    const int w = mask->width, h = mask->height;
    if (ex->n == 0)
        return HY_OK;
    if (!ex->raster || ex->w != w || ex->h != h || ex->src_w != frame->src_width ||
        ex->src_h != frame->src_height) {
        const double sx = (double)frame->src_width / w, sy = (double)frame->src_height / h;
        hy__free(ex->ctx, ex->raster);
        ex->raster = hy__malloc(ex->ctx, (size_t)w * (size_t)h);
        if (!ex->raster)
            return HY_ENOMEM;
        ex->w = w, ex->h = h, ex->src_w = frame->src_width, ex->src_h = frame->src_height;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                ex->raster[(size_t)y * w + x] =
                    (uint8_t)hy_polygons_contain(ex->poly, ex->n, (x + 0.5) * sx, (y + 0.5) * sy);
    }
    for (int y = 0; y < h; y++) {
        uint8_t *m = hy_image_at(mask, 0, 0, y);
        const uint8_t *e = ex->raster + (size_t)y * w;
        for (int x = 0; x < w; x++)
            if (e[x])
                m[x] = 0;
    }
    return HY_OK;
}

void hy__exclusion_free(hy__exclusion *ex)
{
    for (unsigned k = 0; ex->poly && k < ex->n; k++)
        hy__free(ex->ctx, ex->poly[k].xy);
    hy__free(ex->ctx, ex->poly);
    hy__free(ex->ctx, ex->raster);
    memset(ex, 0, sizeof(*ex));
}
