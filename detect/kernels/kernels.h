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

/* The bare-soil rule: a conjunction of clauses "feature > t" or "feature < t" over ten
 * features computed in float32 in a fixed order (models/baresoil/derive.py computes them the
 * same way): */
enum {
    HY__BF_NDVI = 0,    /* (N - R) / (N + R) */
    HY__BF_BSI,         /* ((S1 + R) - (N + B)) / ((S1 + R) + (N + B)) */
    HY__BF_NDBI,        /* (S1 - N) / (S1 + N) */
    HY__BF_MNDWI,       /* (G - S1) / (G + S1) */
    HY__BF_NBR,         /* (N - S2) / (N + S2) */
    HY__BF_MBI,         /* ((S1 - S2) - N) / ((S1 + S2) + N) + 0.5 */
    HY__BF_RED_GREEN,   /* R / G */
    HY__BF_RED_BLUE,    /* R / B */
    HY__BF_SWIR2_SWIR1, /* S2 / S1 */
    HY__BF_SWIR1_NIR,   /* S1 / N */
    HY__BF_COUNT
};
#define HY__BARE_MAX_CLAUSES 8
typedef struct hy__bare_rule {
    int n;
    uint8_t feature[HY__BARE_MAX_CLAUSES]; /* HY__BF_* */
    uint8_t greater[HY__BARE_MAX_CLAUSES]; /* 1: feature > t; 0: feature < t */
    float threshold[HY__BARE_MAX_CLAUSES];
} hy__bare_rule;
/* band[0..5]: blue, green, red, NIR, SWIR1, SWIR2 reflectance. out: HY_BARE_* bits (0 where
 * not valid). */
typedef void (*hy__bare_fn)(const hy__bare_rule *rule, const float *const band[6],
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
void hy__bare_ref(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
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
void hy__bare_avx2(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
                   uint8_t *out, size_t n);
void hy__bare_avx512(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
                     uint8_t *out, size_t n);
#endif

#endif
