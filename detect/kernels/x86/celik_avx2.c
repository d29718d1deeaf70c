/* detect/kernels/x86/celik_avx2.c - Celik & Demirel 2009's YCbCr flame rules, 8 pixels at a
 * time in 32-bit lanes: the same integer arithmetic as celik_ref.c. Runs of 8 pixels the mask
 * has already cleared are skipped. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

static __m256i load8(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(v));
}

void hy__celik_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, const hy__celik *t,
                    uint8_t *mask, size_t n)
{
    const __m256i k299 = _mm256_set1_epi32(299), k587 = _mm256_set1_epi32(587);
    const __m256i k114 = _mm256_set1_epi32(114), k1000 = _mm256_set1_epi32(1000);
    const __m256i k1564 = _mm256_set1_epi32(1564), k564000 = _mm256_set1_epi32(564000);
    const __m256i k564 = _mm256_set1_epi32(564), k713 = _mm256_set1_epi32(713);
    const __m256i ycb = _mm256_set1_epi32(128000000 - 1), tau = _mm256_set1_epi32(t->tau6 - 1);
    const __m256i ty = _mm256_set1_epi32(t->y - 1), tcb = _mm256_set1_epi32(t->cb);
    const __m256i tcr = _mm256_set1_epi32(t->cr - 1);
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        int64_t m;
        memcpy(&m, mask + i, 8);
        if (m == 0)
            continue;
        {
            const __m256i R = load8(r + i), G = load8(g + i), B = load8(b + i);
            const __m256i Y = _mm256_add_epi32(
                _mm256_add_epi32(_mm256_mullo_epi32(R, k299), _mm256_mullo_epi32(G, k587)),
                _mm256_mullo_epi32(B, k114));
            const __m256i DB = _mm256_sub_epi32(_mm256_mullo_epi32(B, k1000), Y);
            const __m256i DR = _mm256_sub_epi32(_mm256_mullo_epi32(R, k1000), Y);
            const __m256i db = _mm256_mullo_epi32(DB, k564), dr = _mm256_mullo_epi32(DR, k713);
            /* Y >= Cb; Cr >= Cb is !(db > dr); |db - dr| >= tau6 */
            __m256i ok = _mm256_cmpgt_epi32(
                _mm256_sub_epi32(_mm256_mullo_epi32(Y, k1564), _mm256_mullo_epi32(B, k564000)),
                ycb);
            ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(db, dr), ok);
            ok = _mm256_and_si256(
                ok, _mm256_cmpgt_epi32(_mm256_abs_epi32(_mm256_sub_epi32(db, dr)), tau));
            /* the frame's means: Y1000 >= y, DB <= cb is !(DB > cb), DR >= cr */
            ok = _mm256_and_si256(ok, _mm256_cmpgt_epi32(Y, ty));
            ok = _mm256_andnot_si256(_mm256_cmpgt_epi32(DB, tcb), ok);
            ok = _mm256_and_si256(ok, _mm256_cmpgt_epi32(DR, tcr));
            {
                const __m128i w =
                    _mm_packs_epi32(_mm256_castsi256_si128(ok), _mm256_extracti128_si256(ok, 1));
                const __m128i keep = _mm_and_si128(_mm_packs_epi16(w, w), _mm_cvtsi64_si128(m));
                _mm_storel_epi64((__m128i *)(void *)(mask + i), keep);
            }
        }
    }
    if (i < n)
        hy__celik_ref(r + i, g + i, b + i, t, mask + i, n - i);
}
