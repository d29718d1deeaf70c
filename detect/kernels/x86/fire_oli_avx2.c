/* detect/kernels/x86/fire_oli_avx2.c - the OLI fire tests, 8 pixels at a time. Same
 * operations as fire_oli_ref.c (IEEE division, subtraction, ordered strict compares);
 * the tail goes to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>

void hy__fire_oli_avx2(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                       const uint8_t *valid, uint8_t *out, size_t n)
{
    const __m256 k2_5 = _mm256_set1_ps(2.5f), k0_3 = _mm256_set1_ps(0.3f);
    const __m256 k0_5 = _mm256_set1_ps(0.5f), k0_8 = _mm256_set1_ps(0.8f);
    const __m256 k0_2 = _mm256_set1_ps(0.2f), k0_4 = _mm256_set1_ps(0.4f);
    const __m256 k0_1 = _mm256_set1_ps(0.1f), k1_8 = _mm256_set1_ps(1.8f);
    const __m256 k0_17 = _mm256_set1_ps(0.17f), k1_6 = _mm256_set1_ps(1.6f);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        const __m256 r1 = _mm256_loadu_ps(rho1 + i), r5 = _mm256_loadu_ps(rho5 + i);
        const __m256 r6 = _mm256_loadu_ps(rho6 + i), r7 = _mm256_loadu_ps(rho7 + i);
        const __m256 r75 = _mm256_div_ps(r7, r5), r76 = _mm256_div_ps(r7, r6);
        const __m256 d75 = _mm256_sub_ps(r7, r5);
        const __m256 u1 = _mm256_and_ps(_mm256_and_ps(_mm256_cmp_ps(r75, k2_5, _CMP_GT_OQ),
                                                      _mm256_cmp_ps(d75, k0_3, _CMP_GT_OQ)),
                                        _mm256_cmp_ps(r7, k0_5, _CMP_GT_OQ));
        const __m256 u2 = _mm256_and_ps(
            _mm256_and_ps(_mm256_cmp_ps(r6, k0_8, _CMP_GT_OQ), _mm256_cmp_ps(r1, k0_2, _CMP_LT_OQ)),
            _mm256_or_ps(_mm256_cmp_ps(r5, k0_4, _CMP_GT_OQ), _mm256_cmp_ps(r7, k0_1, _CMP_LT_OQ)));
        const __m256 c = _mm256_and_ps(_mm256_and_ps(_mm256_cmp_ps(r75, k1_8, _CMP_GT_OQ),
                                                     _mm256_cmp_ps(d75, k0_17, _CMP_GT_OQ)),
                                       _mm256_cmp_ps(r76, k1_6, _CMP_GT_OQ));
        const unsigned mu1 = (unsigned)_mm256_movemask_ps(u1);
        const unsigned mu2 = (unsigned)_mm256_movemask_ps(u2);
        const unsigned mc = (unsigned)_mm256_movemask_ps(c);
        for (int j = 0; j < 8; j++) {
            unsigned m = ((mc >> j) & 1u) * HY_FIRE_CANDIDATE |
                         ((mu1 >> j) & 1u) * HY_FIRE_UNAMBIGUOUS1 |
                         ((mu2 >> j) & 1u) * HY_FIRE_UNAMBIGUOUS2;
            out[i + j] = valid[i + j] ? (uint8_t)m : 0;
        }
    }
    if (i < n)
        hy__fire_oli_ref(rho1 + i, rho5 + i, rho6 + i, rho7 + i, valid + i, out + i, n - i);
}
