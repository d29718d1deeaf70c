/* core/image.c - 8-bit planar images and float band tiles. */
#include "core.h"

#include <string.h>

#define ALIGN 64

static size_t align_up(size_t n)
{
    return (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

/* The allocator gives no alignment promise beyond malloc's, so over-allocate and align the
 * first plane by hand; owner keeps the pointer to free. */
static uint8_t *aligned_block(const hy_ctx *ctx, size_t size, void **owner)
{
    uint8_t *raw = hy__calloc(ctx, 1, size + ALIGN);
    if (!raw)
        return NULL;
    *owner = raw;
    return (uint8_t *)(((uintptr_t)raw + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1));
}

int hy_pixfmt_planes(hy_pixfmt fmt)
{
    return fmt == HY_PIX_GRAY8 ? 1 : 3;
}

hy_status hy_image_alloc(const hy_ctx *ctx, int width, int height, hy_pixfmt fmt, hy_image *img)
{
    size_t stride, plane_size;
    uint8_t *base;

    if (!img)
        return HY_EINVAL;
    memset(img, 0, sizeof(*img));
    if (!ctx || width <= 0 || height <= 0 || width > 65536 || height > 65536 ||
        fmt < HY_PIX_GRAY8 || fmt > HY_PIX_HSVP)
        return HY_EINVAL;
    stride = align_up((size_t)width);
    plane_size = stride * (size_t)height;
    img->nplanes = hy_pixfmt_planes(fmt);
    base = aligned_block(ctx, plane_size * (size_t)img->nplanes, &img->owner);
    if (!base) {
        memset(img, 0, sizeof(*img));
        return HY_ENOMEM;
    }
    img->width = width;
    img->height = height;
    img->fmt = fmt;
    for (int p = 0; p < img->nplanes; p++) {
        img->plane[p] = base + (size_t)p * plane_size;
        img->stride[p] = (ptrdiff_t)stride;
    }
    return HY_OK;
}

void hy_image_free(const hy_ctx *ctx, hy_image *img)
{
    if (!img)
        return;
    if (img->owner)
        hy__free(ctx, img->owner);
    memset(img, 0, sizeof(*img));
}

const char *hy_band_name(hy_band b)
{
    static const char *const names[HY_BAND_COUNT] = {"coastal", "blue",  "green", "red",
                                                     "nir",     "swir1", "swir2", "water_vapour"};
    return (unsigned)b < HY_BAND_COUNT ? names[b] : "unknown";
}

hy_status hy_tile_alloc(const hy_ctx *ctx, int width, int height, unsigned band_mask, hy_tile *t)
{
    size_t stride, nplanes = 0, fsize, vsize;
    uint8_t *base;

    if (!t)
        return HY_EINVAL;
    memset(t, 0, sizeof(*t));
    if (!ctx || width <= 0 || height <= 0 || width > 1 << 20 || height > 1 << 20 ||
        band_mask >> HY_BAND_COUNT)
        return HY_EINVAL;
    for (int b = 0; b < HY_BAND_COUNT; b++)
        nplanes += (band_mask >> b) & 1;
    stride = align_up((size_t)width * sizeof(float)) / sizeof(float);
    fsize = stride * sizeof(float) * (size_t)height;
    vsize = align_up(stride * (size_t)height);
    base = aligned_block(ctx, fsize * nplanes + vsize, &t->block);
    if (!base)
        return HY_ENOMEM;
    t->width = width;
    t->height = height;
    t->stride = (ptrdiff_t)stride;
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        if ((band_mask >> b) & 1) {
            t->band[b] = (float *)base;
            base += fsize;
        }
    }
    t->valid = base;
    return HY_OK;
}

void hy_tile_free(const hy_ctx *ctx, hy_tile *t)
{
    if (!t)
        return;
    if (t->block)
        hy__free(ctx, t->block);
    if (t->crs_wkt)
        hy__free(ctx, t->crs_wkt);
    memset(t, 0, sizeof(*t));
}
