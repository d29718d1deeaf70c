/* ingest/kernels/kernels.h - the ingest stage's kernel table (private to ingest/ and its tests),
 * built like detect/kernels: a plain-C reference (*_ref.c, the specification) and x86 versions
 * that give identical output, picked per CPU flags by hy__ingest_kernels_init. */
#ifndef HY_INGEST_KERNELS_H
#define HY_INGEST_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Y'CbCr to R'G'B' (ITU-R BT.601, as libswscale's default) in Q13 fixed point:
 *   y' = cy (Y - yoff), R = y' + crv (V - 128), G = y' - cgu (U - 128) - cgv (V - 128),
 *   B = y' + cbu (U - 128), each (x + 4096) >> 13 clamped to 0..255. */
typedef struct hy__yuv_coef {
    int32_t yoff, cy, crv, cgu, cgv, cbu;
} hy__yuv_coef;

/** BT.601 coefficients for limited range (Y 16..235) or full range (JPEG, Y 0..255). */
void hy__yuv_coef_bt601(hy__yuv_coef *c, int full_range);

/* One pixel's conversion, shared by every version (the reference's arithmetic). */
static inline uint8_t hy__q13_clamp(int32_t x)
{
    x += 1 << 12;
    return x < 0 ? 0 : x >> 13 > 255 ? 255 : (uint8_t)(x >> 13);
}
static inline void hy__yuv_px(const hy__yuv_coef *c, int Y, int U, int V, uint8_t *r, uint8_t *g,
                              uint8_t *b)
{
    const int32_t y = c->cy * (Y - c->yoff), u = U - 128, v = V - 128;
    *r = hy__q13_clamp(y + c->crv * v);
    *g = hy__q13_clamp(y - c->cgu * u - c->cgv * v);
    *b = hy__q13_clamp(y + c->cbu * u);
}

/* The mean of a box of n = f * f samples from their sum s: (s M + 2^15) >> 16 with
 * M = round(2^16 / n); exact for f = 1, 2, 4, 8, within one level otherwise. */
static inline uint32_t hy__box_mul(int f)
{
    return (65536u + (uint32_t)(f * f) / 2) / (uint32_t)(f * f);
}

/* The analysis picture of an 8-bit 4:2:0 frame whose size is f times the output's: every
 * output pixel (x, y) is the mean of the f x f luma samples (f x + j, f y + i) and of the chroma
 * samples those luma samples use ((f x + j) / 2, (f y + i) / 2: nearest-neighbour chroma, then
 * the same box), converted to R'G'B'. src: Y, U, V planes (Y at least f w x f h); dst: R, G, B
 * planes of w x h. scratch: hy__box420_scratch_size(f, w) bytes, 32-byte aligned. 1 <= f <= 16. */
typedef void (*hy__box420_fn)(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f,
                              int w, int h, const hy__yuv_coef *c, uint8_t *const dst[3],
                              const ptrdiff_t dst_stride[3], void *scratch);
size_t hy__box420_scratch_size(int f, int w);

typedef struct hy__ingest_kernels {
    hy__box420_fn box420;
} hy__ingest_kernels;

/** Fill k with the reference kernels, then the best versions cpu_flags (HY_CPU_*) allow. */
void hy__ingest_kernels_init(hy__ingest_kernels *k, unsigned cpu_flags);

void hy__box420_ref(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f, int w, int h,
                    const hy__yuv_coef *c, uint8_t *const dst[3], const ptrdiff_t dst_stride[3],
                    void *scratch);
#if defined(__x86_64__) || defined(_M_X64)
void hy__box420_avx2(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f, int w,
                     int h, const hy__yuv_coef *c, uint8_t *const dst[3],
                     const ptrdiff_t dst_stride[3], void *scratch);
#endif

#endif
