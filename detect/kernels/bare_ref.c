/* detect/kernels/bare_ref.c - the bare-soil classifier, the plain-C specification: the dot
 * product of the six reflectances with each folded library row, summed in order (IEEE
 * float32, no contraction); the largest bare and other products ("d > best": a NaN never
 * wins); the squared length of the 11-vector (reflectances, then the five steps) summed in
 * order; (B - O) / sqrt(|v|^2) >= tau (a NaN fails); and the clear-sky test the two-date
 * comparison needs. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <math.h>

/* The largest dot product of x with rows lib[0..n). */
static float best_dot(const float x[HY__BARE_BANDS], const float (*lib)[HY__BARE_BANDS], size_t n)
{
    float best = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        float d = x[0] * lib[k][0];
        for (int j = 1; j < HY__BARE_BANDS; j++)
            d = d + x[j] * lib[k][j];
        best = d > best ? d : best;
    }
    return best;
}

void hy__bare_ref(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                  uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float x[HY__BARE_BANDS] = {band[0][i], band[1][i], band[2][i],
                                         band[3][i], band[4][i], band[5][i]};
        float nv2 = x[0] * x[0], m;
        int clear;
        if (!valid[i]) {
            out[i] = 0;
            continue;
        }
        for (int j = 1; j < HY__BARE_BANDS; j++)
            nv2 = nv2 + x[j] * x[j];
        for (int j = 0; j + 1 < HY__BARE_BANDS; j++) {
            const float step = x[j + 1] - x[j];
            nv2 = nv2 + step * step;
        }
        m = (best_dot(x, model->bare, model->n_bare) - best_dot(x, model->other, model->n_other)) /
            sqrtf(nv2);
        clear = x[0] <= HY_BARE_CLOUD_BLUE &&
                !(x[3] < HY_BARE_SHADOW_NIR && x[4] < HY_BARE_SHADOW_SWIR1);
        out[i] = (uint8_t)((m >= model->tau ? HY_BARE_SOIL : 0) | (clear ? HY_BARE_CLEAR : 0));
    }
}
