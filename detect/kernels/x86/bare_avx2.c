/* detect/kernels/x86/bare_avx2.c - the bare-soil classifier, 8 pixels at a time: the same
 * operations in the same order as bare_ref.c (no fused multiply-add; max_ps(d, best) is
 * "d > best ? d : best", NaN included), ordered compares; the tail goes to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>
#include <string.h>

static __m256 best_dot(const __m256 x[HY__BARE_BANDS], const float (*lib)[HY__BARE_BANDS], size_t n)
{
    __m256 best = _mm256_set1_ps(-__builtin_inff());
    for (size_t k = 0; k < n; k++) {
        __m256 d = _mm256_mul_ps(x[0], _mm256_broadcast_ss(&lib[k][0]));
        for (int j = 1; j < HY__BARE_BANDS; j++)
            d = _mm256_add_ps(d, _mm256_mul_ps(x[j], _mm256_broadcast_ss(&lib[k][j])));
        best = _mm256_max_ps(d, best);
    }
    return best;
}

void hy__bare_avx2(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                   uint8_t *out, size_t n)
{
    const __m256 cloud = _mm256_set1_ps(HY_BARE_CLOUD_BLUE);
    const __m256 snir = _mm256_set1_ps(HY_BARE_SHADOW_NIR);
    const __m256 sswir = _mm256_set1_ps(HY_BARE_SHADOW_SWIR1);
    const __m256 tau = _mm256_set1_ps(model->tau);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 x[HY__BARE_BANDS], nv2, m, clear;
        unsigned mb, mc;
        uint64_t any;
        memcpy(&any, valid + i, sizeof(any));
        if (!any) { /* nothing valid here: a scene's no-data border */
            memset(out + i, 0, 8);
            continue;
        }
        for (int j = 0; j < HY__BARE_BANDS; j++)
            x[j] = _mm256_loadu_ps(band[j] + i);
        nv2 = _mm256_mul_ps(x[0], x[0]);
        for (int j = 1; j < HY__BARE_BANDS; j++)
            nv2 = _mm256_add_ps(nv2, _mm256_mul_ps(x[j], x[j]));
        for (int j = 0; j + 1 < HY__BARE_BANDS; j++) {
            const __m256 step = _mm256_sub_ps(x[j + 1], x[j]);
            nv2 = _mm256_add_ps(nv2, _mm256_mul_ps(step, step));
        }
        m = _mm256_div_ps(_mm256_sub_ps(best_dot(x, model->bare, model->n_bare),
                                        best_dot(x, model->other, model->n_other)),
                          _mm256_sqrt_ps(nv2));
        clear = _mm256_andnot_ps(_mm256_and_ps(_mm256_cmp_ps(x[3], snir, _CMP_LT_OQ),
                                               _mm256_cmp_ps(x[4], sswir, _CMP_LT_OQ)),
                                 _mm256_cmp_ps(x[0], cloud, _CMP_LE_OQ));
        mb = (unsigned)_mm256_movemask_ps(_mm256_cmp_ps(m, tau, _CMP_GE_OQ));
        mc = (unsigned)_mm256_movemask_ps(clear);
        for (int j = 0; j < 8; j++)
            out[i + j] =
                valid[i + j]
                    ? (uint8_t)(((mb >> j) & 1u) * HY_BARE_SOIL | ((mc >> j) & 1u) * HY_BARE_CLEAR)
                    : 0;
    }
    if (i < n) {
        const float *const tail[6] = {band[0] + i, band[1] + i, band[2] + i,
                                      band[3] + i, band[4] + i, band[5] + i};
        hy__bare_ref(model, tail, valid + i, out + i, n - i);
    }
}
