/* detect/kernels/bytes_ref.c - byte counts over a row, the reference: the sum of its bytes (a
 * frame's channel sums, for Celik & Demirel's means) and the number of places where two masks
 * differ in being set (the flame's flicker). */
#include "detect/kernels/kernels.h"

uint64_t hy__byte_sum_ref(const uint8_t *p, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

size_t hy__mask_changes_ref(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += (a[i] != 0) != (b[i] != 0);
    return c;
}
