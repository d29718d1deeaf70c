/* detect/kernels/x86/bare_avx512.c - the bare-soil classifier, 16 pixels at a time: the same
 * operations in the same order as bare_ref.c (no fused multiply-add; max_ps(d, best) is
 * "d > best ? d : best", NaN included), ordered compares into mask registers; the tail goes
 * to the reference. */
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

#include <immintrin.h>

static __m512 best_dot(const __m512 x[HY__BARE_BANDS], const float (*lib)[HY__BARE_BANDS], size_t n)
{
    __m512 best = _mm512_set1_ps(-__builtin_inff());
    for (size_t k = 0; k < n; k++) {
        __m512 d = _mm512_mul_ps(x[0], _mm512_set1_ps(lib[k][0]));
        for (int j = 1; j < HY__BARE_BANDS; j++)
            d = _mm512_add_ps(d, _mm512_mul_ps(x[j], _mm512_set1_ps(lib[k][j])));
        best = _mm512_max_ps(d, best);
    }
    return best;
}

void hy__bare_avx512(const hy__bare_model *model, const float *const band[6], const uint8_t *valid,
                     uint8_t *out, size_t n)
{
    const __m512 cloud = _mm512_set1_ps(HY_BARE_CLOUD_BLUE);
    const __m512 snir = _mm512_set1_ps(HY_BARE_SHADOW_NIR);
    const __m512 sswir = _mm512_set1_ps(HY_BARE_SHADOW_SWIR1);
    const __m512 tau = _mm512_set1_ps(model->tau);
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i vv = _mm_loadu_si128((const __m128i *)(const void *)(valid + i));
        const __mmask16 mv = _mm_cmpneq_epi8_mask(vv, _mm_setzero_si128());
        __m512 x[HY__BARE_BANDS], nv2, m;
        __mmask16 bare, clear;
        if (!mv) { /* nothing valid here: a scene's no-data border */
            _mm_storeu_si128((__m128i *)(void *)(out + i), _mm_setzero_si128());
            continue;
        }
        for (int j = 0; j < HY__BARE_BANDS; j++)
            x[j] = _mm512_loadu_ps(band[j] + i);
        nv2 = _mm512_mul_ps(x[0], x[0]);
        for (int j = 1; j < HY__BARE_BANDS; j++)
            nv2 = _mm512_add_ps(nv2, _mm512_mul_ps(x[j], x[j]));
        for (int j = 0; j + 1 < HY__BARE_BANDS; j++) {
            const __m512 step = _mm512_sub_ps(x[j + 1], x[j]);
            nv2 = _mm512_add_ps(nv2, _mm512_mul_ps(step, step));
        }
        m = _mm512_div_ps(_mm512_sub_ps(best_dot(x, model->bare, model->n_bare),
                                        best_dot(x, model->other, model->n_other)),
                          _mm512_sqrt_ps(nv2));
        bare = _mm512_cmp_ps_mask(m, tau, _CMP_GE_OQ) & mv;
        clear = _mm512_cmp_ps_mask(x[0], cloud, _CMP_LE_OQ) &
                (__mmask16) ~(_mm512_cmp_ps_mask(x[3], snir, _CMP_LT_OQ) &
                              _mm512_cmp_ps_mask(x[4], sswir, _CMP_LT_OQ)) &
                mv;
        _mm_storeu_si128((__m128i *)(void *)(out + i),
                         _mm_or_si128(_mm_maskz_set1_epi8(bare, (char)HY_BARE_SOIL),
                                      _mm_maskz_set1_epi8(clear, (char)HY_BARE_CLEAR)));
    }
    if (i < n) {
        const float *const tail[6] = {band[0] + i, band[1] + i, band[2] + i,
                                      band[3] + i, band[4] + i, band[5] + i};
        hy__bare_ref(model, tail, valid + i, out + i, n - i);
    }
}
