/* ingest/kernels/box420_ref.c - the box downscale of 8-bit 4:2:0 Y'CbCr by a whole factor and
 * its conversion to planar R'G'B', the reference: every output pixel summed straight from its
 * definition in kernels.h. */
#include "ingest/kernels/kernels.h"

void hy__yuv_coef_bt601(hy__yuv_coef *c, int full_range)
{
    /* Q13 of 255/219 (limited range), 1.402, 0.344136, 0.714136, 1.772 (scaled by 255/224 for
     * limited-range chroma) */
    if (full_range)
        *c = (hy__yuv_coef){0, 8192, 11485, 2819, 5850, 14516};
    else
        *c = (hy__yuv_coef){16, 9539, 13075, 3209, 6660, 16525};
}

size_t hy__box420_scratch_size(int f, int w)
{
    /* the x86 versions' row sums: 3 rows of f w + 64 and 2 of f w / 2 + 64 16-bit sums, 3 of
     * w + 64, each rounded up to 32 bytes */
    const size_t W = (size_t)f * (size_t)w;
    return (3 * (W + 64) + 2 * ((W + 1) / 2 + 64) + 3 * ((size_t)w + 64)) * 2 + 8 * 32;
}

void hy__box420_ref(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f, int w, int h,
                    const hy__yuv_coef *c, uint8_t *const dst[3], const ptrdiff_t dst_stride[3],
                    void *scratch)
{
    const uint32_t m = hy__box_mul(f);
    (void)scratch;
    for (int y = 0; y < h; y++) {
        uint8_t *r = dst[0] + y * dst_stride[0], *g = dst[1] + y * dst_stride[1];
        uint8_t *b = dst[2] + y * dst_stride[2];
        for (int x = 0; x < w; x++) {
            uint32_t sy = 0, su = 0, sv = 0;
            for (int i = 0; i < f; i++) {
                const int ly = f * y + i, cy = ly >> 1;
                for (int j = 0; j < f; j++) {
                    const int lx = f * x + j, cx = lx >> 1;
                    sy += src[0][ly * src_stride[0] + lx];
                    su += src[1][cy * src_stride[1] + cx];
                    sv += src[2][cy * src_stride[2] + cx];
                }
            }
            hy__yuv_px(c, (int)((sy * m + 32768) >> 16), (int)((su * m + 32768) >> 16),
                       (int)((sv * m + 32768) >> 16), &r[x], &g[x], &b[x]);
        }
    }
}
