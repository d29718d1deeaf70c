/* detect/kernels/bare_ref.c - the bare-soil classifier, the plain-C specification: the pixel's
 * 11-vector, its squared length and its dot product with each library entry summed over the
 * components in order (IEEE float32, no contraction), the largest bare and other products
 * ("d > best": a NaN never wins), (B - O) / sqrt(|v|^2) >= tau (a NaN fails), and the
 * clear-sky test the two-date comparison needs. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <math.h>

/* The largest dot product of v with rows lib[0..n). */
static float best_dot(const float v[HY__BARE_DIM], const float (*lib)[HY__BARE_DIM], size_t n)
{
    float best = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        float d = v[0] * lib[k][0];
        for (int j = 1; j < HY__BARE_DIM; j++)
            d = d + v[j] * lib[k][j];
        best = d > best ? d : best;
    }
    return best;
}

void hy__bare_ref(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                  uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float b = band[0][i], g = band[1][i], r = band[2][i];
        const float nir = band[3][i], s1 = band[4][i], s2 = band[5][i];
        const float v[HY__BARE_DIM] = {b,     g,     r,       nir,      s1,     s2,
                                       g - b, r - g, nir - r, s1 - nir, s2 - s1};
        float nv2 = v[0] * v[0], m;
        int clear;
        if (!valid[i]) {
            out[i] = 0;
            continue;
        }
        for (int j = 1; j < HY__BARE_DIM; j++)
            nv2 = nv2 + v[j] * v[j];
        m = (best_dot(v, model->bare, model->n_bare) - best_dot(v, model->other, model->n_other)) /
            sqrtf(nv2);
        clear = b <= HY_BARE_CLOUD_BLUE && !(nir < HY_BARE_SHADOW_NIR && s1 < HY_BARE_SHADOW_SWIR1);
        out[i] = (uint8_t)((m >= model->tau ? HY_BARE_SOIL : 0) | (clear ? HY_BARE_CLEAR : 0));
    }
}
