/* detect/kernels/bare_ref.c - the bare-soil rule, the plain-C specification: ten features in
 * float32 in a fixed order (IEEE division and addition, no contraction), then the rule's
 * clauses with ordered comparisons (a NaN feature fails every clause), and the clear-sky test
 * the two-date comparison needs. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

void hy__bare_ref(const hy__bare_rule *rule, const float *const band[6], const uint8_t *valid,
                  uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float b = band[0][i], g = band[1][i], r = band[2][i];
        const float nir = band[3][i], s1 = band[4][i], s2 = band[5][i];
        const float sr = s1 + r, nb = nir + b;
        float f[HY__BF_COUNT];
        int bare = 1, clear;
        if (!valid[i]) {
            out[i] = 0;
            continue;
        }
        f[HY__BF_NDVI] = (nir - r) / (nir + r);
        f[HY__BF_BSI] = (sr - nb) / (sr + nb);
        f[HY__BF_NDBI] = (s1 - nir) / (s1 + nir);
        f[HY__BF_MNDWI] = (g - s1) / (g + s1);
        f[HY__BF_NBR] = (nir - s2) / (nir + s2);
        f[HY__BF_MBI] = ((s1 - s2) - nir) / ((s1 + s2) + nir) + 0.5f;
        f[HY__BF_RED_GREEN] = r / g;
        f[HY__BF_RED_BLUE] = r / b;
        f[HY__BF_SWIR2_SWIR1] = s2 / s1;
        f[HY__BF_SWIR1_NIR] = s1 / nir;
        for (int k = 0; k < rule->n; k++) {
            const float v = f[rule->feature[k]], t = rule->threshold[k];
            bare &= rule->greater[k] ? v > t : v < t;
        }
        clear = b <= HY_BARE_CLOUD_BLUE && !(nir < HY_BARE_SHADOW_NIR && s1 < HY_BARE_SHADOW_SWIR1);
        out[i] = (uint8_t)((bare ? HY_BARE_SOIL : 0) | (clear ? HY_BARE_CLEAR : 0));
    }
}
