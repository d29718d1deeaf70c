/* detect/kernels/celik_ref.c - Celik & Demirel 2009's YCbCr flame rules, the reference: in
 * integers scaled by 1000 (Y1000 = 299 R + 587 G + 114 B, BT.601 full range as OpenCV), so
 * that every version computes exactly the same thing (kernels.h gives each rule's form). */
#include "detect/kernels/kernels.h"

int hy__celik_px(const hy__celik *t, int32_t R, int32_t G, int32_t B)
{
    const int32_t y = 299 * R + 587 * G + 114 * B;
    const int32_t db = 1000 * B - y, dr = 1000 * R - y; /* (Cb - 128) / 0.564, (Cr - 128) / 0.713,
                                                            times 1000 */
    const int32_t d = 564 * db - 713 * dr;              /* (Cb - Cr) times 10^6 */
    return 1564 * y - 564000 * B >= 128000000 && 713 * dr >= 564 * db &&
           (d >= t->tau6 || -d >= t->tau6) && y >= t->y && db <= t->cb && dr >= t->cr;
}

void hy__celik_ref(const uint8_t *restrict r, const uint8_t *restrict g, const uint8_t *restrict b,
                   const hy__celik *t, uint8_t *restrict mask, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mask[i] && !hy__celik_px(t, r[i], g[i], b[i]))
            mask[i] = 0;
}

/* floor(a / b) for b > 0 */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

void hy__celik_init(hy__celik *t, const uint64_t sum[3], uint64_t npx, int tau)
{
    /* 1000 mean Y = num / npx; 1000 (mean B - mean Y) = (1000 sum B - num) / npx; likewise R */
    const int64_t num = 299 * (int64_t)sum[0] + 587 * (int64_t)sum[1] + 114 * (int64_t)sum[2];
    const int64_t n = npx > 0 ? (int64_t)npx : 1;
    t->y = (int32_t)-floor_div(-num, n);
    t->cb = (int32_t)floor_div(1000 * (int64_t)sum[2] - num, n);
    t->cr = (int32_t)-floor_div(-(1000 * (int64_t)sum[0] - num), n);
    t->tau6 = 1000000 * tau;
}
