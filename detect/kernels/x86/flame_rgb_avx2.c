/* detect/kernels/x86/flame_rgb_avx2.c - Chen et al. 2004 flame colour, 8 pixels at a time in
 * 32-bit lanes, 32 to a store: the same integer arithmetic as flame_rgb_ref.c. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

static __m256i load8(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(v));
}

typedef struct consts {
    __m256i rt, k255_rt, st, k255;
} consts;

/* all ones in the lanes of the 8 pixels at i that pass */
static __m256i test8(const uint8_t *r, const uint8_t *g, const uint8_t *b, const consts *k)
{
    const __m256i R = load8(r), G = load8(g), B = load8(b);
    /* R > rt; R >= G is !(G > R); G > B */
    __m256i ok = _mm256_cmpgt_epi32(R, k->rt);
    ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(G, R), ok);
    ok = _mm256_and_si256(ok, _mm256_cmpgt_epi32(G, B));
    {
        const __m256i lhs = _mm256_mullo_epi32(_mm256_sub_epi32(R, B), k->k255_rt);
        const __m256i rhs =
            _mm256_mullo_epi32(_mm256_mullo_epi32(_mm256_sub_epi32(k->k255, R), k->st), R);
        /* lhs >= rhs is !(rhs > lhs) */
        ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(rhs, lhs), ok);
    }
    return ok;
}

void hy__flame_rgb_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                        int sat_threshold, uint8_t *out, size_t n)
{
    const consts k = {_mm256_set1_epi32(red_threshold), _mm256_set1_epi32(255 * red_threshold),
                      _mm256_set1_epi32(sat_threshold), _mm256_set1_epi32(255)};
    /* after two packs, 4-byte groups of the four tests' pixels 0-3 then 4-7: back in order */
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    size_t i = 0;

    for (; i + 32 <= n; i += 32) {
        const __m256i a = _mm256_packs_epi32(test8(r + i, g + i, b + i, &k),
                                             test8(r + i + 8, g + i + 8, b + i + 8, &k));
        const __m256i c = _mm256_packs_epi32(test8(r + i + 16, g + i + 16, b + i + 16, &k),
                                             test8(r + i + 24, g + i + 24, b + i + 24, &k));
        _mm256_storeu_si256((__m256i *)(void *)(out + i),
                            _mm256_permutevar8x32_epi32(_mm256_packs_epi16(a, c), order));
    }
    for (; i + 8 <= n; i += 8) {
        const __m256i ok = test8(r + i, g + i, b + i, &k);
        const __m128i w =
            _mm_packs_epi32(_mm256_castsi256_si128(ok), _mm256_extracti128_si256(ok, 1));
        _mm_storel_epi64((__m128i *)(void *)(out + i), _mm_packs_epi16(w, w));
    }
    if (i < n)
        hy__flame_rgb_ref(r + i, g + i, b + i, red_threshold, sat_threshold, out + i, n - i);
}
