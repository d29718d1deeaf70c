/* detect/detect_internal.h - shared inside detect/ only. */
#ifndef HY_DETECT_INTERNAL_H
#define HY_DETECT_INTERNAL_H

#include "detect/detect.h"
#include "detect/kernels/kernels.h"

/** A flagged pixel: scene column and row, and the kernel's bits. */
typedef struct hy__pixel {
    int32_t x, y;
    uint32_t bits;
} hy__pixel;

/** Group pixels into 8-connected clusters. px must be sorted by (y, x) without duplicates.
 *  label[i] receives the 0-based cluster of px[i], clusters numbered in order of their first
 *  pixel; *nclusters their count. Memory O(n). */
HY_NODISCARD hy_status hy__cluster_pixels(const hy_ctx *ctx, const hy__pixel *px, size_t n,
                                          uint32_t *label, size_t *nclusters);

#endif
