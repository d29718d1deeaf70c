/* detect/kernels/kernels.h - the kernel table (private to detect/ and its tests). Each kernel
 * has a plain-C reference (*_ref.c, the specification) and x86 versions that give identical
 * output; hy__kernels_init picks per CPU flags, as FFmpeg's init functions do. */
#ifndef HY_DETECT_KERNELS_H
#define HY_DETECT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

typedef void (*hy__fire_oli_fn)(const float *rho1, const float *rho5, const float *rho6,
                                const float *rho7, const uint8_t *valid, uint8_t *out, size_t n);
typedef void (*hy__flame_rgb_fn)(const uint8_t *r, const uint8_t *g, const uint8_t *b,
                                 int red_threshold, int sat_threshold, uint8_t *out, size_t n);

/* Celik & Demirel 2009 in YCbCr (BT.601 full range): Y >= Cb, Cr >= Cb, |Cb - Cr| >= tau and,
 * against the frame's means, Y >= mean Y, Cb <= mean Cb, Cr >= mean Cr. With
 * Y1000 = 299 R + 587 G + 114 B (1000 Y), DB = 1000 B - Y1000 and DR = 1000 R - Y1000
 * (Cb = 128 + 0.564 DB / 1000, Cr = 128 + 0.713 DR / 1000), exactly and in integers:
 *   Y >= Cb             1564 Y1000 - 564000 B >= 128000000
 *   Cr >= Cb            713 DR >= 564 DB
 *   |Cb - Cr| >= tau    |564 DB - 713 DR| >= tau6 = 10^6 tau
 *   Y >= mean Y         Y1000 >= y  = ceil(1000 mean Y)
 *   Cb <= mean Cb       DB <= cb    = floor(1000 (mean B - mean Y))
 *   Cr >= mean Cr       DR >= cr    = ceil(1000 (mean R - mean Y))
 * (hy__celik_means makes y, cb and cr from the frame's channel sums, also exactly). */
typedef struct hy__celik {
    int32_t y, cb, cr, tau6;
} hy__celik;
/* mask[i] (0 or 255) is cleared where pixel i fails a rule; pixels already 0 stay 0. */
typedef void (*hy__celik_fn)(const uint8_t *r, const uint8_t *g, const uint8_t *b,
                             const hy__celik *t, uint8_t *mask, size_t n);
/** The thresholds for a frame of npx pixels whose R, G and B sum to sum[0..2], and tau (0..255). */
void hy__celik_init(hy__celik *t, const uint64_t sum[3], uint64_t npx, int tau);
/** 1 when pixel R, G, B passes every rule (the reference's arithmetic). */
int hy__celik_px(const hy__celik *t, int32_t R, int32_t G, int32_t B);

/* The bare-soil classifier (models/baresoil/nearest.py): a pixel's 11-vector v (blue, green,
 * red, NIR, SWIR1, SWIR2 x and the five steps green - blue, ..., SWIR2 - SWIR1) against a
 * library of unit vectors e of labelled spectra, stored folded to the six reflectances
 * (v . e = x . w). With B the largest x . w of a bare-soil entry and O the largest of any
 * other, the pixel is bare when (B - O) / |v| >= tau. float32 throughout: each x . w summed
 * over the six reflectances in order, |v|^2 over the 11 components in order, no contraction. */
#define HY__BARE_BANDS 6
typedef struct hy__bare_model {
    const float (*bare)[HY__BARE_BANDS]; /* folded unit vectors of bare-soil spectra */
    size_t n_bare;
    const float (*other)[HY__BARE_BANDS]; /* of every other class */
    size_t n_other;
    float tau;
} hy__bare_model;
/* band[0..5]: blue, green, red, NIR, SWIR1, SWIR2 reflectance. out: HY_BARE_* bits (0 where
 * not valid). */
typedef void (*hy__bare_fn)(const hy__bare_model *model, const float *const band[6],
                            const uint8_t *valid, uint8_t *out, size_t n);

/* The sum of n bytes (n < 2^56). */
typedef uint64_t (*hy__byte_sum_fn)(const uint8_t *p, size_t n);
/* A mask row of n bytes packed to bits: bit i % 8 of bits[i / 8] set where m[i] is (non-zero);
 * writes the (n + 7) / 8 bytes, the last one's bits past n clear. (A flame mask kept for the
 * next frame's flicker: an eighth of the memory to fetch again.) */
typedef void (*hy__mask_pack_fn)(const uint8_t *m, size_t n, uint8_t *bits);
/* The number of i < n where a[i] is set (non-zero) and bit x0 + i of bits (as packed above) is
 * not, or the other way. Reads bits up to 8 bytes past bit x0 + n: rows of packed bits need
 * that slack. */
typedef size_t (*hy__mask_changes_fn)(const uint8_t *a, const uint8_t *bits, size_t x0, size_t n);

/* The smoke detector's per-pixel step over n pixels (detect/kernels/smoke_ref.c): the luma
 * into cur (unless cur is NULL), the candidate mask (255 or 0), and the fast and slow
 * backgrounds bf, bs and the thresholds thr updated, bs only when slow. float32 throughout, in
 * the reference's order. */
typedef struct hy__smoke_params {
    int toreyin;        /* the colour test: Y > 100 (1), or Y - U > 40, Y - V > 40, Y > 30 (0) */
    int slow;           /* the slow background is updated in this frame */
    float min_greyness; /* a pixel's greyness must be at least this (hy__smoke_greyness) */
} hy__smoke_params;
typedef void (*hy__smoke_fn)(const uint8_t *r, const uint8_t *g, const uint8_t *b, float *bf,
                             float *bs, float *thr, float *cur, uint8_t *mask,
                             const hy__smoke_params *p, size_t n);
/** The smallest float at least t: for every float x, x >= it exactly when x >= t. */
float hy__smoke_greyness(double t);

typedef struct hy__kernels {
    hy__fire_oli_fn fire_oli;
    hy__flame_rgb_fn flame_rgb;
    hy__celik_fn celik;
    hy__bare_fn bare;
    hy__byte_sum_fn byte_sum;
    hy__mask_pack_fn mask_pack;
    hy__mask_changes_fn mask_changes;
    hy__smoke_fn smoke;
} hy__kernels;

/** Fill k with the reference kernels, then override them with the best versions that
 *  cpu_flags (HY_CPU_*) allow. */
void hy__kernels_init(hy__kernels *k, unsigned cpu_flags);

void hy__fire_oli_ref(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                      const uint8_t *valid, uint8_t *out, size_t n);
void hy__flame_rgb_ref(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                       int sat_threshold, uint8_t *out, size_t n);
void hy__celik_ref(const uint8_t *r, const uint8_t *g, const uint8_t *b, const hy__celik *t,
                   uint8_t *mask, size_t n);
void hy__bare_ref(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                  uint8_t *out, size_t n);
uint64_t hy__byte_sum_ref(const uint8_t *p, size_t n);
void hy__mask_pack_ref(const uint8_t *m, size_t n, uint8_t *bits);
size_t hy__mask_changes_ref(const uint8_t *a, const uint8_t *bits, size_t x0, size_t n);
void hy__smoke_ref(const uint8_t *r, const uint8_t *g, const uint8_t *b, float *bf, float *bs,
                   float *thr, float *cur, uint8_t *mask, const hy__smoke_params *p, size_t n);

#if defined(__x86_64__) || defined(_M_X64)
void hy__fire_oli_avx2(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                       const uint8_t *valid, uint8_t *out, size_t n);
void hy__fire_oli_avx512(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                         const uint8_t *valid, uint8_t *out, size_t n);
void hy__flame_rgb_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                        int sat_threshold, uint8_t *out, size_t n);
void hy__flame_rgb_avx512(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                          int sat_threshold, uint8_t *out, size_t n);
void hy__celik_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, const hy__celik *t,
                    uint8_t *mask, size_t n);
void hy__bare_avx2(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                   uint8_t *out, size_t n);
void hy__bare_avx512(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                     uint8_t *out, size_t n);
uint64_t hy__byte_sum_avx2(const uint8_t *p, size_t n);
void hy__mask_pack_avx2(const uint8_t *m, size_t n, uint8_t *bits);
size_t hy__mask_changes_avx2(const uint8_t *a, const uint8_t *bits, size_t x0, size_t n);
void hy__smoke_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, float *bf, float *bs,
                    float *thr, float *cur, uint8_t *mask, const hy__smoke_params *p, size_t n);
#endif

#endif
