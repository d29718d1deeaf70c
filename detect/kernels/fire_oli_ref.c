/* detect/kernels/fire_oli_ref.c - the reference Landsat OLI fire tests, one pixel at a time.
 * This is the specification the SIMD versions must match bit for bit: float arithmetic, the
 * ratios as IEEE divisions (a zero or negative denominator makes the ratio tests false or
 * follows IEEE infinities exactly as the vector division does), comparisons strict. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

void hy__fire_oli_ref(const float *restrict rho1, const float *restrict rho5,
                      const float *restrict rho6, const float *restrict rho7,
                      const uint8_t *restrict valid, uint8_t *restrict out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float r1 = rho1[i], r5 = rho5[i], r6 = rho6[i], r7 = rho7[i];
        const float r75 = r7 / r5, r76 = r7 / r6, d75 = r7 - r5;
        unsigned m = 0;
        /* Schroeder et al. 2016, section 3.1, eq. 1: unambiguous fire, first clause. */
        if (r75 > 2.5f && d75 > 0.3f && r7 > 0.5f)
            m |= HY_FIRE_UNAMBIGUOUS1;
        /* Eq. 1, second clause: saturated or folded SWIR over a dark coastal band. */
        if (r6 > 0.8f && r1 < 0.2f && (r5 > 0.4f || r7 < 0.1f))
            m |= HY_FIRE_UNAMBIGUOUS2;
        /* Eq. 2: candidate fire, to be confirmed by the contextual test. */
        if (r75 > 1.8f && d75 > 0.17f && r76 > 1.6f)
            m |= HY_FIRE_CANDIDATE;
        out[i] = valid[i] ? (uint8_t)m : 0;
    }
}
