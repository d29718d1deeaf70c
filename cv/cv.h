/*
 * cv/cv.h - what huoyan uses from OpenCV, behind a C interface. One C++ file implements it;
 * no C++ exception crosses this header: each becomes a hy_status, with OpenCV's message
 * logged on the ctx and kept on the handle where there is one.
 *
 * Images are core's 8-bit planar hy_image. Functions without a handle are reentrant.
 */
#ifndef HY_CV_H
#define HY_CV_H

#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Convert src (HY_PIX_RGBP) into dst, allocated here with the format `to`
 *  (HY_PIX_GRAY8, HY_PIX_YCRCBP or HY_PIX_HSVP), as OpenCV's cvtColor. dst is zeroed on
 *  failure; free it with hy_image_free. */
HY_NODISCARD hy_status hy_cv_convert(const hy_ctx *ctx, const hy_image *src, hy_pixfmt to,
                                     hy_image *dst);

typedef enum hy_cv_interp {
    HY_CV_INTER_NEAREST = 0,
    HY_CV_INTER_LINEAR,
    HY_CV_INTER_AREA
} hy_cv_interp;

/** Resize every plane of src into dst, allocated here width x height with src's format. */
HY_NODISCARD hy_status hy_cv_resize(const hy_ctx *ctx, const hy_image *src, int width, int height,
                                    hy_cv_interp interp, hy_image *dst);

/** Box blur (ksize x ksize, odd) or, with sigma > 0, Gaussian blur of every plane of src into
 *  dst, allocated here. Borders replicate the edge (BORDER_REPLICATE). */
HY_NODISCARD hy_status hy_cv_blur(const hy_ctx *ctx, const hy_image *src, int ksize, double sigma,
                                  hy_image *dst);

typedef enum hy_cv_morph_op {
    HY_CV_ERODE = 0,
    HY_CV_DILATE,
    HY_CV_OPEN,
    HY_CV_CLOSE
} hy_cv_morph_op;

/** Morphology with a ksize x ksize rectangle on a one-plane image, into dst allocated here.
 *  Pixels outside the image do not take part (as OpenCV's default border for morphology). */
HY_NODISCARD hy_status hy_cv_morph(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op,
                                   int ksize, hy_image *dst);
/** The same by OpenCV's morphologyEx: what hy_cv_morph does for other sizes, and the reference
 *  tests/test_cv.c holds its 3 x 3 version (cv/morph.c, hy__cv_morph3: src valid, one plane)
 *  to. */
HY_NODISCARD hy_status hy__cv_morph_opencv(const hy_ctx *ctx, const hy_image *src,
                                           hy_cv_morph_op op, int ksize, hy_image *dst);
HY_NODISCARD hy_status hy__cv_morph3(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op,
                                     hy_image *dst);
/** hy__cv_morph3 into the caller's buffers, allocating nothing: dst one plane of src's size
 *  (every pixel written), tmp width x height bytes. cpu_flags (HY_CPU_*, hy_ctx_cpu_flags)
 *  picks the passes built for AVX2 or for the baseline: the same source, the same output. */
void hy__cv_morph3_into(const hy_image *src, hy_cv_morph_op op, hy_image *dst, uint8_t *tmp,
                        unsigned cpu_flags);
#if defined(__x86_64__) || defined(_M_X64)
void hy__cv_filter3_avx2(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h,
                         int mx, uint8_t *tmp);
void hy__cv_filter3x2_avx2(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h,
                           int mx1, int mx2, uint8_t *ring);
#endif

/** One connected component: bounding box, area in pixels and centroid (pixel units). */
typedef struct hy_cv_component {
    int x, y, w, h;
    int area;
    double cx, cy;
} hy_cv_component;

/** Connected components (8-connectivity) of the non-zero pixels of a one-plane image, by runs
 *  (cv/components.c). *comps (allocated with the ctx allocator; free with hy__free or
 *  hy_cv_components_free) gets *n components, background excluded, in OpenCV's order: by the
 *  first 2x2 block (rows 2k and 2k + 1, columns 2j and 2j + 1) holding one of their pixels, in
 *  raster order. labels, when not NULL, receives width*height int32 labels (0 = background,
 *  k = comps[k-1]) with row stride `width`; the caller allocates it. */
HY_NODISCARD hy_status hy_cv_components(const hy_ctx *ctx, const hy_image *mask,
                                        hy_cv_component **comps, int *n, int32_t *labels);
/** The same through OpenCV's connectedComponentsWithStats: the reference tests/test_cv.c holds
 *  hy_cv_components to. */
HY_NODISCARD hy_status hy__cv_components_opencv(const hy_ctx *ctx, const hy_image *mask,
                                                hy_cv_component **comps, int *n, int32_t *labels);
/** Free what hy_cv_components returned. */
void hy_cv_components_free(const hy_ctx *ctx, hy_cv_component *comps);

/* ---- background subtraction (OpenCV MOG2) ---- */

typedef struct hy_cv_bgsub hy_cv_bgsub;

/** Create a MOG2 background subtractor: history in frames, var_threshold (squared
 *  Mahalanobis distance, OpenCV's default 16), shadows off. */
HY_NODISCARD hy_status hy_cv_bgsub_create(const hy_ctx *ctx, int history, double var_threshold,
                                          hy_cv_bgsub **out);
/** Feed one frame (GRAY8 or RGBP, always the same size and format) and write the foreground
 *  mask (0 or 255) into fg, allocated here on the first call and reused after (same size).
 *  learning_rate < 0 picks OpenCV's automatic rate. */
HY_NODISCARD hy_status hy_cv_bgsub_apply(hy_cv_bgsub *b, const hy_image *frame,
                                         double learning_rate, hy_image *fg);
/** Last error message on b. Valid until the next call on b. */
const char *hy_cv_bgsub_errmsg(const hy_cv_bgsub *b);
/** Destroy; NULL is a no-op. */
void hy_cv_bgsub_destroy(hy_cv_bgsub *b);

/* ---- cv::dnn networks ---- */

typedef struct hy_cv_net hy_cv_net;

/** Load a network with cv::dnn::readNet(model, config): ONNX (.onnx), Darknet (.weights with
 *  its .cfg), Caffe, TensorFlow. config may be NULL for single-file formats. */
HY_NODISCARD hy_status hy_cv_net_load(const hy_ctx *ctx, const char *model, const char *config,
                                      hy_cv_net **out);
/** Run the network on one image: it is resized to in_w x in_h, scaled by `scale` after
 *  subtracting `mean` (per channel, in the image's channel order), as
 *  cv::dnn::blobFromImage. RGBP goes in as R, G, B channels, GRAY8 as one. Writes at most
 *  `cap` floats of the first output into out and its element count into *n (which may exceed
 *  cap: then only cap were written). */
HY_NODISCARD hy_status hy_cv_net_forward(hy_cv_net *net, const hy_image *img, int in_w, int in_h,
                                         double scale, const double mean[3], float *out, size_t cap,
                                         size_t *n);
/** Last error message on net. Valid until the next call on net. */
const char *hy_cv_net_errmsg(const hy_cv_net *net);
/** Destroy; NULL is a no-op. */
void hy_cv_net_destroy(hy_cv_net *net);

#ifdef __cplusplus
}
#endif
#endif
