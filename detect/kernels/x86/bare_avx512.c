/* detect/kernels/x86/bare_avx512.c - the bare-soil rule, 16 pixels at a time: the same
 * operations in the same order as bare_ref.c, ordered compares into mask registers; the tail
 * goes to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>

void hy__bare_avx512(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
                     uint8_t *out, size_t n)
{
    const __m512 half = _mm512_set1_ps(0.5f), cloud = _mm512_set1_ps(HY_BARE_CLOUD_BLUE);
    const __m512 snir = _mm512_set1_ps(HY_BARE_SHADOW_NIR);
    const __m512 sswir = _mm512_set1_ps(HY_BARE_SHADOW_SWIR1);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 b = _mm512_loadu_ps(band[0] + i), g = _mm512_loadu_ps(band[1] + i);
        const __m512 r = _mm512_loadu_ps(band[2] + i), nir = _mm512_loadu_ps(band[3] + i);
        const __m512 s1 = _mm512_loadu_ps(band[4] + i), s2 = _mm512_loadu_ps(band[5] + i);
        const __m512 sr = _mm512_add_ps(s1, r), nb = _mm512_add_ps(nir, b);
        const __m128i v = _mm_loadu_si128((const __m128i *)(valid + i));
        const __mmask16 mv = _mm_cmpneq_epi8_mask(v, _mm_setzero_si128());
        __m512 f[HY__BF_COUNT];
        __mmask16 bare = 0xffff, clear;
        f[HY__BF_NDVI] = _mm512_div_ps(_mm512_sub_ps(nir, r), _mm512_add_ps(nir, r));
        f[HY__BF_BSI] = _mm512_div_ps(_mm512_sub_ps(sr, nb), _mm512_add_ps(sr, nb));
        f[HY__BF_NDBI] = _mm512_div_ps(_mm512_sub_ps(s1, nir), _mm512_add_ps(s1, nir));
        f[HY__BF_MNDWI] = _mm512_div_ps(_mm512_sub_ps(g, s1), _mm512_add_ps(g, s1));
        f[HY__BF_NBR] = _mm512_div_ps(_mm512_sub_ps(nir, s2), _mm512_add_ps(nir, s2));
        f[HY__BF_MBI] = _mm512_add_ps(_mm512_div_ps(_mm512_sub_ps(_mm512_sub_ps(s1, s2), nir),
                                                    _mm512_add_ps(_mm512_add_ps(s1, s2), nir)),
                                      half);
        f[HY__BF_RED_GREEN] = _mm512_div_ps(r, g);
        f[HY__BF_RED_BLUE] = _mm512_div_ps(r, b);
        f[HY__BF_SWIR2_SWIR1] = _mm512_div_ps(s2, s1);
        f[HY__BF_SWIR1_NIR] = _mm512_div_ps(s1, nir);
        for (int k = 0; k < rule->n; k++) {
            const __m512 t = _mm512_set1_ps(rule->threshold[k]), x = f[rule->feature[k]];
            bare &= rule->greater[k] ? _mm512_cmp_ps_mask(x, t, _CMP_GT_OQ)
                                     : _mm512_cmp_ps_mask(x, t, _CMP_LT_OQ);
        }
        clear = (__mmask16)(_mm512_cmp_ps_mask(b, cloud, _CMP_LE_OQ) &
                            ~(_mm512_cmp_ps_mask(nir, snir, _CMP_LT_OQ) &
                              _mm512_cmp_ps_mask(s1, sswir, _CMP_LT_OQ)));
        {
            const __m128i ob = _mm_maskz_set1_epi8((__mmask16)(bare & mv), (char)HY_BARE_SOIL);
            const __m128i oc = _mm_maskz_set1_epi8((__mmask16)(clear & mv), (char)HY_BARE_CLEAR);
            _mm_storeu_si128((__m128i *)(out + i), _mm_or_si128(ob, oc));
        }
    }
    if (i < n) {
        const float *const tail[6] = {band[0] + i, band[1] + i, band[2] + i,
                                      band[3] + i, band[4] + i, band[5] + i};
        hy__bare_ref(rule, tail, valid + i, out + i, n - i);
    }
}
