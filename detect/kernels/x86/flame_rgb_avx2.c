/* detect/kernels/x86/flame_rgb_avx2.c - Chen et al. 2004 flame colour, 16 pixels at a time in
 * 16-bit lanes, 32 to a store: the same integer arithmetic as flame_rgb_ref.c. The saturation
 * rule's two sides, (R - B) 255 R_T and ((255 - R) S_T) R, are products of two factors below
 * 2^16 and below 2^24 themselves; each is taken as its high and low 16 bits (mulhi_epu16 and
 * mullo_epi16) and the two compared by those: the high halves, below 2^8, by a signed compare,
 * the low ones unsigned (their top bits flipped for the signed compare). */
#include "detect/kernels/kernels.h"

#include <immintrin.h>

static __m256i load16(const uint8_t *p)
{
    return _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)p));
}

typedef struct consts {
    __m256i rt, k255_rt, st, k255, bias;
} consts;

/* all ones in the 16-bit lanes of the 16 pixels at i that pass */
static __m256i test16(const uint8_t *r, const uint8_t *g, const uint8_t *b, const consts *k)
{
    const __m256i R = load16(r), G = load16(g), B = load16(b);
    /* R > rt; R >= G is !(G > R); G > B (which makes R - B positive where it matters) */
    __m256i ok = _mm256_cmpgt_epi16(R, k->rt);
    ok = _mm256_andnot_si256(_mm256_cmpgt_epi16(G, R), ok);
    ok = _mm256_and_si256(ok, _mm256_cmpgt_epi16(G, B));
    {
        const __m256i d = _mm256_sub_epi16(R, B);
        const __m256i s = _mm256_mullo_epi16(_mm256_sub_epi16(k->k255, R), k->st); /* <= 65025 */
        const __m256i lh = _mm256_mulhi_epu16(d, k->k255_rt),
                      ll = _mm256_mullo_epi16(d, k->k255_rt);
        const __m256i rh = _mm256_mulhi_epu16(s, R), rl = _mm256_mullo_epi16(s, R);
        /* lhs >= rhs: lh > rh, or lh == rh and not rl > ll (unsigned) */
        const __m256i rl_gt =
            _mm256_cmpgt_epi16(_mm256_xor_si256(rl, k->bias), _mm256_xor_si256(ll, k->bias));
        ok = _mm256_and_si256(
            ok, _mm256_or_si256(_mm256_cmpgt_epi16(lh, rh),
                                _mm256_andnot_si256(rl_gt, _mm256_cmpeq_epi16(lh, rh))));
    }
    return ok;
}

void hy__flame_rgb_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, int red_threshold,
                        int sat_threshold, uint8_t *out, size_t n)
{
    const consts k = {_mm256_set1_epi16((short)red_threshold),
                      _mm256_set1_epi16((short)(uint16_t)(255 * red_threshold)),
                      _mm256_set1_epi16((short)sat_threshold), _mm256_set1_epi16(255),
                      _mm256_set1_epi16((short)0x8000)};
    size_t i = 0;

    /* packing works within 128-bit lanes: the 64-bit groups come out as pixels 0-7, 16-23,
     * 8-15, 24-31, put back in order by the permute */
    for (; i + 32 <= n; i += 32) {
        const __m256i a = test16(r + i, g + i, b + i, &k);
        const __m256i c = test16(r + i + 16, g + i + 16, b + i + 16, &k);
        _mm256_storeu_si256((__m256i *)(void *)(out + i),
                            _mm256_permute4x64_epi64(_mm256_packs_epi16(a, c), 0xD8));
    }
    for (; i + 16 <= n; i += 16) {
        const __m256i a = test16(r + i, g + i, b + i, &k);
        _mm_storeu_si128(
            (__m128i *)(void *)(out + i),
            _mm256_castsi256_si128(_mm256_permute4x64_epi64(_mm256_packs_epi16(a, a), 0xD8)));
    }
    if (i < n)
        hy__flame_rgb_ref(r + i, g + i, b + i, red_threshold, sat_threshold, out + i, n - i);
}
