/* detect/kernels/flame_rgb_ref.c - Chen et al. 2004 flame colour, the reference. The
 * saturation rule S >= (255 - R) S_T / R_T with S = 255 (R - B) / R is evaluated
 * cross-multiplied in integers (both sides are non-negative and R > 0 when it is reached),
 * so every version computes exactly the same thing. */
#include "detect/kernels/kernels.h"

void hy__flame_rgb_ref(const uint8_t *restrict r, const uint8_t *restrict g,
                       const uint8_t *restrict b, int red_threshold, int sat_threshold,
                       uint8_t *restrict out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const int32_t R = r[i], G = g[i], B = b[i];
        const int ok = R > red_threshold && R >= G && G > B &&
                       (R - B) * 255 * red_threshold >= (255 - R) * sat_threshold * R;
        out[i] = ok ? 255 : 0;
    }
}
