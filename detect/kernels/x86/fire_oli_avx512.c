/* detect/kernels/x86/fire_oli_avx512.c - the OLI fire tests, 16 pixels at a time with mask
 * registers. Same operations as fire_oli_ref.c; the tail goes to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>

void hy__fire_oli_avx512(const float *rho1, const float *rho5, const float *rho6, const float *rho7,
                         const uint8_t *valid, uint8_t *out, size_t n)
{
    const __m512 k2_5 = _mm512_set1_ps(2.5f), k0_3 = _mm512_set1_ps(0.3f);
    const __m512 k0_5 = _mm512_set1_ps(0.5f), k0_8 = _mm512_set1_ps(0.8f);
    const __m512 k0_2 = _mm512_set1_ps(0.2f), k0_4 = _mm512_set1_ps(0.4f);
    const __m512 k0_1 = _mm512_set1_ps(0.1f), k1_8 = _mm512_set1_ps(1.8f);
    const __m512 k0_17 = _mm512_set1_ps(0.17f), k1_6 = _mm512_set1_ps(1.6f);
    size_t i = 0;

    for (; i + 16 <= n; i += 16) {
        const __m512 r1 = _mm512_loadu_ps(rho1 + i), r5 = _mm512_loadu_ps(rho5 + i);
        const __m512 r6 = _mm512_loadu_ps(rho6 + i), r7 = _mm512_loadu_ps(rho7 + i);
        const __m512 r75 = _mm512_div_ps(r7, r5), r76 = _mm512_div_ps(r7, r6);
        const __m512 d75 = _mm512_sub_ps(r7, r5);
        const __m128i v = _mm_loadu_si128((const __m128i *)(valid + i));
        const __mmask16 ok = _mm_test_epi8_mask(v, v);
        const __mmask16 u1 = _mm512_cmp_ps_mask(r75, k2_5, _CMP_GT_OQ) &
                             _mm512_cmp_ps_mask(d75, k0_3, _CMP_GT_OQ) &
                             _mm512_cmp_ps_mask(r7, k0_5, _CMP_GT_OQ);
        const __mmask16 u2 =
            _mm512_cmp_ps_mask(r6, k0_8, _CMP_GT_OQ) & _mm512_cmp_ps_mask(r1, k0_2, _CMP_LT_OQ) &
            (_mm512_cmp_ps_mask(r5, k0_4, _CMP_GT_OQ) | _mm512_cmp_ps_mask(r7, k0_1, _CMP_LT_OQ));
        const __mmask16 c = _mm512_cmp_ps_mask(r75, k1_8, _CMP_GT_OQ) &
                            _mm512_cmp_ps_mask(d75, k0_17, _CMP_GT_OQ) &
                            _mm512_cmp_ps_mask(r76, k1_6, _CMP_GT_OQ);
        __m128i o = _mm_maskz_set1_epi8(c & ok, (char)HY_FIRE_CANDIDATE);
        o = _mm_or_si128(o, _mm_maskz_set1_epi8(u1 & ok, (char)HY_FIRE_UNAMBIGUOUS1));
        o = _mm_or_si128(o, _mm_maskz_set1_epi8(u2 & ok, (char)HY_FIRE_UNAMBIGUOUS2));
        _mm_storeu_si128((__m128i *)(out + i), o);
    }
    if (i < n)
        hy__fire_oli_ref(rho1 + i, rho5 + i, rho6 + i, rho7 + i, valid + i, out + i, n - i);
}
