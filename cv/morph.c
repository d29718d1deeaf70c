/* cv/morph.c - 3 x 3 morphology (erode, dilate, open, close) of a one-plane 8-bit image,
 * separably: the minimum or maximum of each pixel's row neighbours, then of three rows. Pixels
 * outside the image do not take part, as with OpenCV's default border for morphology, so the
 * output is OpenCV's (hy__cv_morph_opencv, the reference in tests/test_cv.c). An opening or a
 * closing runs down the rows once through a ring of 7 rows (cv/morph_filter.h). Plain C loops
 * the compiler vectorises, built here for the baseline CPU and in cv/x86/morph_avx2.c for AVX2;
 * OpenCV's morphologyEx copies the image into a bordered buffer and allocates per call, which
 * cost more than the filter on a 640 x 360 mask (bench_kernels, close3). */
#include "cv/cv.h"

#include <string.h>

#include "cv/morph_filter.h"

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
    hy__cv_morph3_into(src, op, dst, tmp, hy_ctx_cpu_flags(ctx));
    hy__free(ctx, tmp);
    return HY_OK;
}

void hy__cv_morph3_into(const hy_image *src, hy_cv_morph_op op, hy_image *dst, uint8_t *tmp,
                        unsigned cpu_flags)
{
    const int w = src->width, h = src->height;
    /* the passes as built here, for the baseline CPU, unless the CPU has AVX2 */
    void (*pass)(const uint8_t *, size_t, uint8_t *, size_t, int, int, int, uint8_t *) = filter;
    void (*pass2)(const uint8_t *, size_t, uint8_t *, size_t, int, int, int, int, uint8_t *) =
        filter2;
#if defined(__x86_64__) || defined(_M_X64)
    if (cpu_flags & HY_CPU_AVX2) {
        pass = hy__cv_filter3_avx2;
        pass2 = hy__cv_filter3x2_avx2;
    }
#else
    (void)cpu_flags;
#endif
    if (op == HY_CV_ERODE || op == HY_CV_DILATE) {
        pass(src->plane[0], (size_t)src->stride[0], dst->plane[0], (size_t)dst->stride[0], w, h,
             op == HY_CV_DILATE, tmp);
    } else if (h >= 7) { /* the ring's 7 rows fit in tmp's w x h bytes */
        pass2(src->plane[0], (size_t)src->stride[0], dst->plane[0], (size_t)dst->stride[0], w, h,
              op == HY_CV_CLOSE, op == HY_CV_OPEN, tmp);
    } else { /* two passes, the second in place (rows read before written) */
        pass(src->plane[0], (size_t)src->stride[0], dst->plane[0], (size_t)dst->stride[0], w, h,
             op == HY_CV_CLOSE, tmp);
        pass(dst->plane[0], (size_t)dst->stride[0], dst->plane[0], (size_t)dst->stride[0], w, h,
             op == HY_CV_OPEN, tmp);
    }
}
