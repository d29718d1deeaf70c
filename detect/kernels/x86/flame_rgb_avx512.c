/* detect/kernels/x86/flame_rgb_avx512.c - Chen et al. 2004 flame colour, 16 pixels at a time
 * in 32-bit lanes with mask registers: the same integer arithmetic as flame_rgb_ref.c. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>

void hy__flame_rgb_avx512(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                          int sat_threshold, uint8_t *out, size_t n)
{
    const __m512i rt = _mm512_set1_epi32(red_threshold);
    const __m512i k255_rt = _mm512_set1_epi32(255 * red_threshold);
    const __m512i st = _mm512_set1_epi32(sat_threshold);
    const __m512i k255 = _mm512_set1_epi32(255);
    size_t i = 0;

    for (; i + 16 <= n; i += 16) {
        const __m512i R = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(r + i)));
        const __m512i G = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(g + i)));
        const __m512i B = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(b + i)));
        const __m512i lhs = _mm512_mullo_epi32(_mm512_sub_epi32(R, B), k255_rt);
        const __m512i rhs =
            _mm512_mullo_epi32(_mm512_mullo_epi32(_mm512_sub_epi32(k255, R), st), R);
        const __mmask16 ok = _mm512_cmpgt_epi32_mask(R, rt) & _mm512_cmpge_epi32_mask(R, G) &
                             _mm512_cmpgt_epi32_mask(G, B) & _mm512_cmpge_epi32_mask(lhs, rhs);
        _mm_storeu_si128((__m128i *)(out + i), _mm_maskz_set1_epi8(ok, (char)255));
    }
    if (i < n)
        hy__flame_rgb_ref(r + i, g + i, b + i, red_threshold, sat_threshold, out + i, n - i);
}
