/* detect/kernels/x86/smoke_avx2.c - smoke_ref.c, 8 pixels at a time: the same float32 operations
 * in the same order (no fused multiply-add), ordered compares; the tail goes to the reference. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

static __m256 load8(const uint8_t *p)
{
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_cvtsi64_si128(v)));
}

static __m256 absf(__m256 x)
{
    return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
}

void hy__smoke_avx2(const uint8_t *r, const uint8_t *g, const uint8_t *b, float *bf, float *bs,
                    float *thr, float *cur, uint8_t *mask, const hy__smoke_params *p, size_t n)
{
    const __m256 k299 = _mm256_set1_ps(0.299f), k587 = _mm256_set1_ps(0.587f);
    const __m256 k114 = _mm256_set1_ps(0.114f), k492 = _mm256_set1_ps(0.492f);
    const __m256 k877 = _mm256_set1_ps(0.877f), k128 = _mm256_set1_ps(128);
    const __m256 one = _mm256_set1_ps(1), k10 = _mm256_set1_ps(10), k30 = _mm256_set1_ps(30);
    const __m256 k40 = _mm256_set1_ps(40), k100 = _mm256_set1_ps(100);
    const __m256 grey = _mm256_set1_ps(p->min_greyness);
    const __m256 k07 = _mm256_set1_ps(0.7f), k03 = _mm256_set1_ps(0.3f);
    const __m256 k15 = _mm256_set1_ps(0.3f * 5), k09 = _mm256_set1_ps(0.9f);
    const __m256 k01 = _mm256_set1_ps(0.1f);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 R = load8(r + i), G = load8(g + i), B = load8(b + i);
        const __m256 yy = _mm256_add_ps(
            _mm256_add_ps(_mm256_mul_ps(k299, R), _mm256_mul_ps(k587, G)), _mm256_mul_ps(k114, B));
        const __m256 u = _mm256_add_ps(k128, _mm256_mul_ps(k492, _mm256_sub_ps(B, yy)));
        const __m256 v = _mm256_add_ps(k128, _mm256_mul_ps(k877, _mm256_sub_ps(R, yy)));
        const __m256 F = _mm256_loadu_ps(bf + i), S = _mm256_loadu_ps(bs + i);
        const __m256 T = _mm256_loadu_ps(thr + i);
        const __m256 d = absf(_mm256_sub_ps(yy, F)), sep = absf(_mm256_sub_ps(F, S));
        const __m256 greyness = _mm256_sub_ps(
            one,
            _mm256_div_ps(_mm256_add_ps(absf(_mm256_sub_ps(u, k128)), absf(_mm256_sub_ps(v, k128))),
                          k128));
        const __m256 moving = _mm256_cmp_ps(d, T, _CMP_GT_OQ);
        const __m256 colour = _mm256_and_ps(
            p->toreyin
                ? _mm256_cmp_ps(yy, k100, _CMP_GT_OQ)
                : _mm256_and_ps(_mm256_and_ps(_mm256_cmp_ps(_mm256_sub_ps(yy, u), k40, _CMP_GT_OQ),
                                              _mm256_cmp_ps(_mm256_sub_ps(yy, v), k40, _CMP_GT_OQ)),
                                _mm256_cmp_ps(yy, _mm256_set1_ps(30), _CMP_GT_OQ)),
            _mm256_cmp_ps(greyness, grey, _CMP_GE_OQ));
        /* vote >= 0: not sep < 10; vote > 0: sep > 30 */
        const __m256 m = _mm256_and_ps(_mm256_and_ps(colour, _mm256_cmp_ps(sep, k10, _CMP_NLT_UQ)),
                                       _mm256_or_ps(moving, _mm256_cmp_ps(sep, k30, _CMP_GT_OQ)));
        const __m256i m32 = _mm256_castps_si256(m);
        const __m128i m16 =
            _mm_packs_epi32(_mm256_castsi256_si128(m32), _mm256_extracti128_si256(m32, 1));
        const __m128i m8 = _mm_packs_epi16(m16, m16);
        const __m256 T2 = _mm256_add_ps(_mm256_mul_ps(k07, T), _mm256_mul_ps(k15, d));
        _mm_storel_epi64((__m128i *)(mask + i), m8);
        if (cur)
            _mm256_storeu_ps(cur + i, yy);
        _mm256_storeu_ps(thr + i, _mm256_blendv_ps(T2, T, moving));
        _mm256_storeu_ps(bf + i, _mm256_add_ps(_mm256_mul_ps(k07, F), _mm256_mul_ps(k03, yy)));
        if (p->slow)
            _mm256_storeu_ps(bs + i, _mm256_add_ps(_mm256_mul_ps(k09, S), _mm256_mul_ps(k01, yy)));
    }
    if (i < n)
        hy__smoke_ref(r + i, g + i, b + i, bf + i, bs + i, thr + i, cur ? cur + i : NULL, mask + i,
                      p, n - i);
}
