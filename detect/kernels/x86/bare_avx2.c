/* detect/kernels/x86/bare_avx2.c - the bare-soil rule, 8 pixels at a time: the same operations
 * in the same order as bare_ref.c (IEEE division, no fused multiply-add), ordered compares;
 * the tail goes to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>

void hy__bare_avx2(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
                   uint8_t *out, size_t n)
{
    const __m256 half = _mm256_set1_ps(0.5f), cloud = _mm256_set1_ps(HY_BARE_CLOUD_BLUE);
    const __m256 snir = _mm256_set1_ps(HY_BARE_SHADOW_NIR);
    const __m256 sswir = _mm256_set1_ps(HY_BARE_SHADOW_SWIR1);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 b = _mm256_loadu_ps(band[0] + i), g = _mm256_loadu_ps(band[1] + i);
        const __m256 r = _mm256_loadu_ps(band[2] + i), nir = _mm256_loadu_ps(band[3] + i);
        const __m256 s1 = _mm256_loadu_ps(band[4] + i), s2 = _mm256_loadu_ps(band[5] + i);
        const __m256 sr = _mm256_add_ps(s1, r), nb = _mm256_add_ps(nir, b);
        __m256 f[HY__BF_COUNT], bare, clear;
        unsigned mb, mc;
        f[HY__BF_NDVI] = _mm256_div_ps(_mm256_sub_ps(nir, r), _mm256_add_ps(nir, r));
        f[HY__BF_BSI] = _mm256_div_ps(_mm256_sub_ps(sr, nb), _mm256_add_ps(sr, nb));
        f[HY__BF_NDBI] = _mm256_div_ps(_mm256_sub_ps(s1, nir), _mm256_add_ps(s1, nir));
        f[HY__BF_MNDWI] = _mm256_div_ps(_mm256_sub_ps(g, s1), _mm256_add_ps(g, s1));
        f[HY__BF_NBR] = _mm256_div_ps(_mm256_sub_ps(nir, s2), _mm256_add_ps(nir, s2));
        f[HY__BF_MBI] = _mm256_add_ps(_mm256_div_ps(_mm256_sub_ps(_mm256_sub_ps(s1, s2), nir),
                                                    _mm256_add_ps(_mm256_add_ps(s1, s2), nir)),
                                      half);
        f[HY__BF_RED_GREEN] = _mm256_div_ps(r, g);
        f[HY__BF_RED_BLUE] = _mm256_div_ps(r, b);
        f[HY__BF_SWIR2_SWIR1] = _mm256_div_ps(s2, s1);
        f[HY__BF_SWIR1_NIR] = _mm256_div_ps(s1, nir);
        bare = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
        for (int k = 0; k < rule->n; k++) {
            const __m256 t = _mm256_set1_ps(rule->threshold[k]), v = f[rule->feature[k]];
            bare = _mm256_and_ps(bare, rule->greater[k] ? _mm256_cmp_ps(v, t, _CMP_GT_OQ)
                                                        : _mm256_cmp_ps(v, t, _CMP_LT_OQ));
        }
        clear = _mm256_andnot_ps(_mm256_and_ps(_mm256_cmp_ps(nir, snir, _CMP_LT_OQ),
                                               _mm256_cmp_ps(s1, sswir, _CMP_LT_OQ)),
                                 _mm256_cmp_ps(b, cloud, _CMP_LE_OQ));
        mb = (unsigned)_mm256_movemask_ps(bare);
        mc = (unsigned)_mm256_movemask_ps(clear);
        for (int j = 0; j < 8; j++)
            out[i + j] =
                valid[i + j]
                    ? (uint8_t)(((mb >> j) & 1u) * HY_BARE_SOIL | ((mc >> j) & 1u) * HY_BARE_CLEAR)
                    : 0;
    }
    if (i < n) {
        const float *const tail[6] = {band[0] + i, band[1] + i, band[2] + i,
                                      band[3] + i, band[4] + i, band[5] + i};
        hy__bare_ref(rule, tail, valid + i, out + i, n - i);
    }
}
