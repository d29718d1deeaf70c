/* detect/kernels/x86/bytes_avx2.c - bytes_ref.c's counts, 32 bytes at a time: vpsadbw against
 * zero sums each 8 bytes into a 64-bit lane. A mask's set bytes (any non-zero value) become
 * 0xff by comparing with zero twice, so each difference adds 255 to the sum, divided out at the
 * end. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>

static uint64_t lanes(__m256i acc)
{
    const __m128i s = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    return (uint64_t)_mm_cvtsi128_si64(s) + (uint64_t)_mm_extract_epi64(s, 1);
}

uint64_t hy__byte_sum_avx2(const uint8_t *p, size_t n)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i acc = zero;
    size_t i = 0;
    uint64_t s;
    for (; i + 32 <= n; i += 32)
        acc = _mm256_add_epi64(acc,
                               _mm256_sad_epu8(_mm256_loadu_si256((const __m256i *)(p + i)), zero));
    s = lanes(acc);
    for (; i < n; i++)
        s += p[i];
    return s;
}

size_t hy__mask_changes_avx2(const uint8_t *a, const uint8_t *b, size_t n)
{
    const __m256i zero = _mm256_setzero_si256();
    __m256i acc = zero;
    size_t i = 0, c;
    for (; i + 32 <= n; i += 32) {
        const __m256i za = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(a + i)), zero);
        const __m256i zb = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(b + i)), zero);
        acc = _mm256_add_epi64(acc, _mm256_sad_epu8(_mm256_xor_si256(za, zb), zero));
    }
    c = (size_t)(lanes(acc) / 255);
    for (; i < n; i++)
        c += (a[i] != 0) != (b[i] != 0);
    return c;
}
