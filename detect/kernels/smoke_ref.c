/* detect/kernels/smoke_ref.c - the smoke detector's per-pixel step (Genovese et al. 2011; what
 * each test is for: detect/smoke_video.c), the reference: float32, each expression in the order
 * written here, no contraction (CMakeLists.txt builds the kernels with -ffp-contract=off). */
#include "detect/kernels/kernels.h"

#include <math.h>

float hy__smoke_greyness(double t)
{
    float f = (float)t;
    if ((double)f < t)
        f = nextafterf(f, INFINITY);
    return f;
}

void hy__smoke_ref(const uint8_t *restrict r, const uint8_t *restrict g, const uint8_t *restrict b,
                   float *restrict bf, float *restrict bs, float *restrict thr, float *restrict cur,
                   uint8_t *restrict mask, const hy__smoke_params *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float yy = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
        const float u = 128 + 0.492f * (b[i] - yy), v = 128 + 0.877f * (r[i] - yy);
        const float d = fabsf(yy - bf[i]), sep = fabsf(bf[i] - bs[i]);
        const float greyness = 1 - (fabsf(u - 128) + fabsf(v - 128)) / 128;
        const int moving = d > thr[i];
        /* the slow-motion vote: -1 below 10 (fails), +1 above 30 (passes without motion) */
        const int vote = sep > 30 ? 1 : sep < 10 ? -1 : 0;
        const int colour = (p->toreyin ? yy > 100 : yy - u > 40 && yy - v > 40 && yy > 30) &&
                           greyness >= p->min_greyness;
        if (cur)
            cur[i] = yy;
        mask[i] = colour && vote >= 0 && (moving || vote > 0) ? 255 : 0;
        if (!moving) /* the threshold follows the stationary pixels' noise */
            thr[i] = 0.7f * thr[i] + 0.3f * 5 * d;
        bf[i] = 0.7f * bf[i] + 0.3f * yy;
        if (p->slow)
            bs[i] = 0.9f * bs[i] + 0.1f * yy;
    }
}
