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

typedef struct hy__kernels {
    hy__fire_oli_fn fire_oli;
    hy__flame_rgb_fn flame_rgb;
    hy__bare_fn bare;
} hy__kernels;

/** Fill k with the reference kernels, then override them with the best versions that
 *  cpu_flags (HY_CPU_*) allow. */
void hy__kernels_init(hy__kernels *k, unsigned cpu_flags);

void hy__fire_oli_ref(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                      const uint8_t *valid, uint8_t *out, size_t n);
void hy__flame_rgb_ref(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                       int sat_threshold, uint8_t *out, size_t n);
void hy__bare_ref(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                  uint8_t *out, size_t n);

#if defined(__x86_64__) || defined(_M_X64)
void hy__fire_oli_avx2(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                       const uint8_t *valid, uint8_t *out, size_t n);
void hy__fire_oli_avx512(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                         const uint8_t *valid, uint8_t *out, size_t n);
void hy__flame_rgb_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                        int sat_threshold, uint8_t *out, size_t n);
void hy__flame_rgb_avx512(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                          int sat_threshold, uint8_t *out, size_t n);
void hy__bare_avx2(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                   uint8_t *out, size_t n);
void hy__bare_avx512(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                     uint8_t *out, size_t n);
#endif

#endif
