/* ingest/kernels/x86/box420_avx2.c - the box downscale of 4:2:0 and its conversion to R'G'B'
 * with AVX2, row by row and separably: the f luma (and their chroma) rows summed into 16-bit
 * column sums, chroma widened to luma columns, the column sums summed f at a time (shuffles for
 * f = 2 and 3), then the means and the colour conversion 8 pixels at a time in 32-bit lanes.
 * Sums are exact integers, so the order does not matter: the output is box420_ref.c's. */
#include "ingest/kernels/kernels.h"

#include <immintrin.h>

#define PAD 64 /* 16-bit elements past each scratch row's end, read by the shuffles */

static uint16_t *take(uint8_t **p, size_t n)
{
    uint16_t *r = (uint16_t *)(void *)*p;
    *p += ((n * 2 + 31) & ~(size_t)31);
    return r;
}

/* acc[X] = sum of rows[i][X], i < n, X < W */
static void vsum(const uint8_t *const *rows, int n, int W, uint16_t *acc)
{
    int X = 0;
    for (; X + 32 <= W; X += 32) {
        __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
        for (int i = 0; i < n; i++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(rows[i] + X));
            lo = _mm256_add_epi16(lo, _mm256_cvtepu8_epi16(_mm256_castsi256_si128(v)));
            hi = _mm256_add_epi16(hi, _mm256_cvtepu8_epi16(_mm256_extracti128_si256(v, 1)));
        }
        _mm256_storeu_si256((__m256i *)(void *)(acc + X), lo);
        _mm256_storeu_si256((__m256i *)(void *)(acc + X + 16), hi);
    }
    for (; X < W; X++) {
        unsigned s = 0;
        for (int i = 0; i < n; i++)
            s += rows[i][X];
        acc[X] = (uint16_t)s;
    }
}

/* out[X] = in[X / 2], X < W (in holds (W + 1) / 2) */
static void widen(const uint16_t *in, int W, uint16_t *out)
{
    int X = 0;
    for (; X + 32 <= W; X += 32) {
        const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(in + X / 2));
        const __m256i lo = _mm256_unpacklo_epi16(a, a), hi = _mm256_unpackhi_epi16(a, a);
        _mm256_storeu_si256((__m256i *)(void *)(out + X), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(out + X + 16),
                            _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; X < W; X++)
        out[X] = in[X / 2];
}

/* out[x] = sum of in[f x + j], j < f, x < w; in has PAD readable elements past f w */
static void hsum(const uint16_t *in, int f, int w, uint16_t *tmp, uint16_t *out)
{
    int x = 0;
    if (f == 1) {
        for (; x < w; x++)
            out[x] = in[x];
    } else if (f == 2) {
        for (; x + 16 <= w; x += 16) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(in + 2 * x));
            const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(in + 2 * x + 16));
            _mm256_storeu_si256((__m256i *)(void *)(out + x),
                                _mm256_permute4x64_epi64(_mm256_hadd_epi16(a, b), 0xD8));
        }
    } else if (f == 3) {
        /* t[X] = in[X] + in[X + 1] + in[X + 2], then every third t: in each 128-bit lane, 8
         * outputs from 24 t (three 8-element pieces: elements 0 3 6 | 1 4 7 | 2 5) */
        const __m256i s0 =
            _mm256_setr_epi8(0, 1, 6, 7, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 6, 7,
                             12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m256i s1 =
            _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, 2, 3, 8, 9, 14, 15, -1, -1, -1, -1, -1, -1, -1,
                             -1, -1, -1, 2, 3, 8, 9, 14, 15, -1, -1, -1, -1);
        const __m256i s2 =
            _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 4, 5, 10, 11, -1, -1,
                             -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 4, 5, 10, 11);
        const int W = 3 * w;
        for (int X = 0; X < W; X += 16) {
            const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(in + X));
            const __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(in + X + 1));
            const __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(in + X + 2));
            _mm256_storeu_si256((__m256i *)(void *)(tmp + X),
                                _mm256_add_epi16(_mm256_add_epi16(a, b), c));
        }
        for (; x + 16 <= w; x += 16) {
            const uint16_t *t = tmp + 3 * x;
            const __m256i p0 = _mm256_loadu2_m128i((const __m128i *)(const void *)(t + 24),
                                                   (const __m128i *)(const void *)t);
            const __m256i p1 = _mm256_loadu2_m128i((const __m128i *)(const void *)(t + 32),
                                                   (const __m128i *)(const void *)(t + 8));
            const __m256i p2 = _mm256_loadu2_m128i((const __m128i *)(const void *)(t + 40),
                                                   (const __m128i *)(const void *)(t + 16));
            const __m256i o = _mm256_or_si256(
                _mm256_or_si256(_mm256_shuffle_epi8(p0, s0), _mm256_shuffle_epi8(p1, s1)),
                _mm256_shuffle_epi8(p2, s2));
            _mm256_storeu_si256((__m256i *)(void *)(out + x), o);
        }
    }
    for (; x < w; x++) {
        unsigned s = 0;
        for (int j = 0; j < f; j++)
            s += in[f * x + j];
        out[x] = (uint16_t)s;
    }
}

/* (s M + 2^15) >> 16 for 8 sums */
static __m256i mean8(const uint16_t *s, __m256i m)
{
    const __m256i v = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(const void *)s));
    return _mm256_srli_epi32(_mm256_add_epi32(_mm256_mullo_epi32(v, m), _mm256_set1_epi32(32768)),
                             16);
}

/* (x + 4096) >> 13 for 2 x 8 values, clamped to 0..255, stored as 16 bytes */
static void store16(uint8_t *p, __m256i lo, __m256i hi)
{
    const __m256i k = _mm256_set1_epi32(4096);
    __m256i v = _mm256_packs_epi32(_mm256_srai_epi32(_mm256_add_epi32(lo, k), 13),
                                   _mm256_srai_epi32(_mm256_add_epi32(hi, k), 13));
    v = _mm256_permute4x64_epi64(v, 0xD8);
    v = _mm256_packus_epi16(v, v);
    v = _mm256_permute4x64_epi64(v, 0x08);
    _mm_storeu_si128((__m128i *)(void *)p, _mm256_castsi256_si128(v));
}

void hy__box420_avx2(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f, int w,
                     int h, const hy__yuv_coef *c, uint8_t *const dst[3],
                     const ptrdiff_t dst_stride[3], void *scratch)
{
    const int W = f * w, CW = (W + 1) / 2;
    uint8_t *p = scratch;
    uint16_t *vy = take(&p, (size_t)W + PAD), *wu = take(&p, (size_t)W + PAD);
    uint16_t *wv = take(&p, (size_t)W + PAD), *tmp = take(&p, (size_t)W + PAD);
    uint16_t *vu = take(&p, (size_t)CW + PAD), *vv = take(&p, (size_t)CW + PAD);
    uint16_t *sy = take(&p, (size_t)w + PAD), *su = take(&p, (size_t)w + PAD);
    uint16_t *sv = take(&p, (size_t)w + PAD);
    const uint8_t *rows[16];
    const __m256i m = _mm256_set1_epi32((int)hy__box_mul(f)), yoff = _mm256_set1_epi32(c->yoff);
    const __m256i cy = _mm256_set1_epi32(c->cy), crv = _mm256_set1_epi32(c->crv);
    const __m256i cgu = _mm256_set1_epi32(c->cgu), cgv = _mm256_set1_epi32(c->cgv);
    const __m256i cbu = _mm256_set1_epi32(c->cbu), k128 = _mm256_set1_epi32(128);

    for (int y = 0; y < h; y++) {
        uint8_t *r = dst[0] + y * dst_stride[0], *g = dst[1] + y * dst_stride[1];
        uint8_t *b = dst[2] + y * dst_stride[2];
        int x = 0;
        for (int i = 0; i < f; i++)
            rows[i] = src[0] + (ptrdiff_t)(f * y + i) * src_stride[0];
        vsum(rows, f, W, vy);
        for (int i = 0; i < f; i++)
            rows[i] = src[1] + (ptrdiff_t)((f * y + i) >> 1) * src_stride[1];
        vsum(rows, f, CW, vu);
        for (int i = 0; i < f; i++)
            rows[i] = src[2] + (ptrdiff_t)((f * y + i) >> 1) * src_stride[2];
        vsum(rows, f, CW, vv);
        widen(vu, W, wu);
        widen(vv, W, wv);
        hsum(vy, f, w, tmp, sy);
        hsum(wu, f, w, tmp, su);
        hsum(wv, f, w, tmp, sv);
        for (; x + 16 <= w; x += 16) {
            __m256i R[2], G[2], B[2];
            for (int half = 0; half < 2; half++) {
                const int o = x + 8 * half;
                const __m256i Y = _mm256_mullo_epi32(_mm256_sub_epi32(mean8(sy + o, m), yoff), cy);
                const __m256i U = _mm256_sub_epi32(mean8(su + o, m), k128);
                const __m256i V = _mm256_sub_epi32(mean8(sv + o, m), k128);
                R[half] = _mm256_add_epi32(Y, _mm256_mullo_epi32(crv, V));
                G[half] = _mm256_sub_epi32(_mm256_sub_epi32(Y, _mm256_mullo_epi32(cgu, U)),
                                           _mm256_mullo_epi32(cgv, V));
                B[half] = _mm256_add_epi32(Y, _mm256_mullo_epi32(cbu, U));
            }
            store16(r + x, R[0], R[1]);
            store16(g + x, G[0], G[1]);
            store16(b + x, B[0], B[1]);
        }
        for (; x < w; x++)
            hy__yuv_px(c, (int)((sy[x] * (uint32_t)hy__box_mul(f) + 32768) >> 16),
                       (int)((su[x] * (uint32_t)hy__box_mul(f) + 32768) >> 16),
                       (int)((sv[x] * (uint32_t)hy__box_mul(f) + 32768) >> 16), &r[x], &g[x],
                       &b[x]);
    }
}
