/* detect/kernels/x86/flame_rgb_avx2.c - Chen et al. 2004 flame colour, 8 pixels at a time in
 * 32-bit lanes: the same integer arithmetic as flame_rgb_ref.c. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

static __m256i load8(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(v));
}

void hy__flame_rgb_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                        int sat_threshold, uint8_t *out, size_t n)
{
    const __m256i rt = _mm256_set1_epi32(red_threshold);
    const __m256i k255_rt = _mm256_set1_epi32(255 * red_threshold);
    const __m256i st = _mm256_set1_epi32(sat_threshold);
    const __m256i k255 = _mm256_set1_epi32(255);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        const __m256i R = load8(r + i), G = load8(g + i), B = load8(b + i);
        /* R > rt; R >= G is !(G > R); G > B */
        __m256i ok = _mm256_cmpgt_epi32(R, rt);
        ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(G, R), ok);
        ok = _mm256_and_si256(ok, _mm256_cmpgt_epi32(G, B));
        {
            const __m256i lhs = _mm256_mullo_epi32(_mm256_sub_epi32(R, B), k255_rt);
            const __m256i rhs =
                _mm256_mullo_epi32(_mm256_mullo_epi32(_mm256_sub_epi32(k255, R), st), R);
            /* lhs >= rhs is !(rhs > lhs) */
            ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(rhs, lhs), ok);
        }
        {
            const unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(ok));
            for (int j = 0; j < 8; j++)
                out[i + j] = (m >> j) & 1u ? 255 : 0;
        }
    }
    if (i < n)
        hy__flame_rgb_ref(r + i, g + i, b + i, red_threshold, sat_threshold, out + i, n - i);
}
