/* detect/kernels/x86/bytes_avx2.c - bytes_ref.c's work, 32 bytes at a time: vpsadbw against
 * zero sums each 8 bytes into a 64-bit lane; a mask's 32 bytes become 32 bits by comparing with
 * zero and vpmovmskb (little-endian: byte i's bit lands at bit i % 8 of byte i / 8, as the
 * reference packs it), and the differences with 32 packed bits, loaded from any bit, are
 * counted by popcnt. */
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

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

/* the mask's 32 bytes from p as bits, set where a byte is non-zero */
static uint32_t set_bits(const uint8_t *p)
{
    const __m256i z = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(const void *)p),
                                        _mm256_setzero_si256());
    return ~(uint32_t)_mm256_movemask_epi8(z);
}

void hy__mask_pack_avx2(const uint8_t *m, size_t n, uint8_t *bits)
{
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const uint32_t v = set_bits(m + i);
        memcpy(bits + i / 8, &v, 4);
    }
    if (i < n)
        hy__mask_pack_ref(m + i, n - i, bits + i / 8);
}

size_t hy__mask_changes_avx2(const uint8_t *a, const uint8_t *bits, size_t x0, size_t n)
{
    size_t i = 0, c = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w; /* bits x0 + i .. x0 + i + 31 within the 8 bytes from (x0 + i) / 8 */
        memcpy(&w, bits + (x0 + i) / 8, 8);
        c += (size_t)_mm_popcnt_u32(set_bits(a + i) ^ (uint32_t)(w >> ((x0 + i) % 8)));
    }
    if (i < n)
        c += hy__mask_changes_ref(a + i, bits, x0 + i, n - i);
    return c;
}
