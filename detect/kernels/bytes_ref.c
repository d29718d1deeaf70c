/* detect/kernels/bytes_ref.c - byte counts over a row, the reference: the sum of its bytes (a
 * frame's channel sums, for Celik & Demirel's means), a mask packed to bits, and the number of
 * places where a mask and a packed one differ in being set (the flame's flicker). */
#include "detect/kernels/kernels.h"

uint64_t hy__byte_sum_ref(const uint8_t *p, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

void hy__mask_pack_ref(const uint8_t *m, size_t n, uint8_t *bits)
{
    for (size_t j = 0; j < (n + 7) / 8; j++) {
        unsigned v = 0;
        for (size_t k = 0; k < 8 && 8 * j + k < n; k++)
            v |= (unsigned)(m[8 * j + k] != 0) << k;
        bits[j] = (uint8_t)v;
    }
}

size_t hy__mask_changes_ref(const uint8_t *a, const uint8_t *bits, size_t x0, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (a[i] != 0) != ((bits[(x0 + i) / 8] >> ((x0 + i) % 8)) & 1);
    return c;
}
