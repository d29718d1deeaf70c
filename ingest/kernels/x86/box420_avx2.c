/* ingest/kernels/x86/box420_avx2.c - the box downscale of 4:2:0 and its conversion to R'G'B'
 * with AVX2, row by row and separably: the f luma (and their chroma) rows summed into 16-bit
 * column sums (for f = 2 and 3 by _mm256_maddubs_epi16 on two rows' interleaved bytes; f = 2's
 * chroma row taken twice), the luma column sums summed f at a time (shuffles for
 * f = 2 and 3), the chroma ones straight from the chroma columns for even f, and for f = 3
 * straight from the bytes of its two chroma rows (chroma3; widened to luma columns first for
 * the other factors), then the means and the colour conversion 16 pixels at a time in 16-bit
 * lanes (madd pairs). Sums are exact integers, so the order does not matter: the output is
 * box420_ref.c's. */
#include "ingest/kernels/kernels.h"

#include <immintrin.h>

#define PAD 64 /* 16-bit elements of slack past each scratch row's end */

static uint16_t *take(uint8_t **p, size_t n)
{
    uint16_t *r = (uint16_t *)(void *)*p;
    *p += ((n * 2 + 31) & ~(size_t)31);
    return r;
}

/* acc[X] = sum of rows[i][X], i < n, X < W */
static void vsum(const uint8_t *const *rows, int n, int W, uint16_t *acc)
{
    const __m256i zero = _mm256_setzero_si256();
    int X = 0;
    for (; X + 32 <= W; X += 32) {
        /* widened within lanes (columns 0-7 and 16-23 in lo, 8-15 and 24-31 in hi), put back
         * in order once the rows are summed */
        __m256i lo = zero, hi = zero;
        for (int i = 0; i < n; i++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(rows[i] + X));
            lo = _mm256_add_epi16(lo, _mm256_unpacklo_epi8(v, zero));
            hi = _mm256_add_epi16(hi, _mm256_unpackhi_epi8(v, zero));
        }
        _mm256_storeu_si256((__m256i *)(void *)(acc + X), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(acc + X + 16),
                            _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; X < W; X++) {
        unsigned s = 0;
        for (int i = 0; i < n; i++)
            s += rows[i][X];
        acc[X] = (uint16_t)s;
    }
}

/* acc[X] = a[X] + b[X], X < W: the two rows' bytes interleaved, then _mm256_maddubs_epi16 with
 * weights of 1 (sums of two bytes: exact) */
static void vsum2(const uint8_t *a, const uint8_t *b, int W, uint16_t *acc)
{
    const __m256i ones = _mm256_set1_epi8(1);
    int X = 0;
    for (; X + 32 <= W; X += 32) {
        const __m256i va = _mm256_loadu_si256((const __m256i *)(const void *)(a + X));
        const __m256i vb = _mm256_loadu_si256((const __m256i *)(const void *)(b + X));
        const __m256i lo = _mm256_maddubs_epi16(_mm256_unpacklo_epi8(va, vb), ones);
        const __m256i hi = _mm256_maddubs_epi16(_mm256_unpackhi_epi8(va, vb), ones);
        _mm256_storeu_si256((__m256i *)(void *)(acc + X), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(acc + X + 16),
                            _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; X < W; X++)
        acc[X] = (uint16_t)(a[X] + b[X]);
}

/* acc[X] = a[X] + b[X] + c[X], X < W (f = 3's luma rows): vsum2's pair sum plus the third */
static void vsum3(const uint8_t *a, const uint8_t *b, const uint8_t *c, int W, uint16_t *acc)
{
    const __m256i ones = _mm256_set1_epi8(1), zero = _mm256_setzero_si256();
    int X = 0;
    for (; X + 32 <= W; X += 32) {
        const __m256i va = _mm256_loadu_si256((const __m256i *)(const void *)(a + X));
        const __m256i vb = _mm256_loadu_si256((const __m256i *)(const void *)(b + X));
        const __m256i vc = _mm256_loadu_si256((const __m256i *)(const void *)(c + X));
        const __m256i lo =
            _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_unpacklo_epi8(va, vb), ones),
                             _mm256_unpacklo_epi8(vc, zero));
        const __m256i hi =
            _mm256_add_epi16(_mm256_maddubs_epi16(_mm256_unpackhi_epi8(va, vb), ones),
                             _mm256_unpackhi_epi8(vc, zero));
        _mm256_storeu_si256((__m256i *)(void *)(acc + X), _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(acc + X + 16),
                            _mm256_permute2x128_si256(lo, hi, 0x31));
    }
    for (; X < W; X++)
        acc[X] = (uint16_t)(a[X] + b[X] + c[X]);
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

/* out[x] = sum of in[f x + j], j < f, x < w (reads in[0 .. f w - 1] only) */
static void hsum(const uint16_t *in, int f, int w, uint16_t *out)
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
        /* in each 128-bit lane, 8 outputs from 24 sums e0 .. e23, loaded as A = e0 .. e7,
         * B = e8 .. e15, C = e16 .. e23: output i is e(3i) + e(3i + 1) + e(3i + 2), gathered into
         * place by nine shuffles, one per piece and term, and added */
#define L(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
        const __m256i a0 = L(0, 1, 6, 7, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m256i a1 = L(2, 3, 8, 9, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m256i a2 = L(4, 5, 10, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m256i b0 = L(-1, -1, -1, -1, -1, -1, 2, 3, 8, 9, 14, 15, -1, -1, -1, -1);
        const __m256i b1 = L(-1, -1, -1, -1, -1, -1, 4, 5, 10, 11, -1, -1, -1, -1, -1, -1);
        const __m256i b2 = L(-1, -1, -1, -1, 0, 1, 6, 7, 12, 13, -1, -1, -1, -1, -1, -1);
        const __m256i c0 = L(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 4, 5, 10, 11);
        const __m256i c1 = L(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 1, 6, 7, 12, 13);
        const __m256i c2 = L(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 3, 8, 9, 14, 15);
#undef L
        for (; x + 16 <= w; x += 16) {
            const uint16_t *e = in + 3 * x;
            const __m256i A = _mm256_loadu2_m128i((const __m128i *)(const void *)(e + 24),
                                                  (const __m128i *)(const void *)e);
            const __m256i B = _mm256_loadu2_m128i((const __m128i *)(const void *)(e + 32),
                                                  (const __m128i *)(const void *)(e + 8));
            const __m256i C = _mm256_loadu2_m128i((const __m128i *)(const void *)(e + 40),
                                                  (const __m128i *)(const void *)(e + 16));
            const __m256i t0 = _mm256_or_si256(
                _mm256_or_si256(_mm256_shuffle_epi8(A, a0), _mm256_shuffle_epi8(B, b0)),
                _mm256_shuffle_epi8(C, c0));
            const __m256i t1 = _mm256_or_si256(
                _mm256_or_si256(_mm256_shuffle_epi8(A, a1), _mm256_shuffle_epi8(B, b1)),
                _mm256_shuffle_epi8(C, c1));
            const __m256i t2 = _mm256_or_si256(
                _mm256_or_si256(_mm256_shuffle_epi8(A, a2), _mm256_shuffle_epi8(B, b2)),
                _mm256_shuffle_epi8(C, c2));
            _mm256_storeu_si256((__m256i *)(void *)(out + x),
                                _mm256_add_epi16(_mm256_add_epi16(t0, t1), t2));
        }
    }
    for (; x < w; x++) {
        unsigned s = 0;
        for (int j = 0; j < f; j++)
            s += in[f * x + j];
        out[x] = (uint16_t)s;
    }
}

/* f = 3's chroma box sums straight from the two chroma rows its box uses, a weighted wa and b
 * 3 - wa (wa 1 or 2): out[x] = wa h_a[x] + (3 - wa) h_b[x], where over a row's chroma columns
 * c, h[2 k] = 2 c[3 k] + c[3 k + 1] and h[2 k + 1] = c[3 k + 1] + 2 c[3 k + 2] (luma columns
 * 6 k .. 6 k + 5 use chroma 3 k, 3 k, 3 k + 1, 3 k + 1, 3 k + 2, 3 k + 2), x < w; for U (ua, ub
 * into su) and V (va, vb into sv) at once. Reads the rows' first cw bytes only. */
static inline __attribute__((always_inline)) __m256i chroma3_row(const uint8_t *p, __m256i pick,
                                                                 __m256i wts)
{
    return _mm256_maddubs_epi16(
        _mm256_shuffle_epi8(_mm256_loadu2_m128i((const __m128i *)(const void *)(p + 12),
                                                (const __m128i *)(const void *)p),
                            pick),
        wts);
}

static void chroma3(const uint8_t *ua, const uint8_t *ub, const uint8_t *va, const uint8_t *vb,
                    int wa, int w, int cw, uint16_t *su, uint16_t *sv)
{
    /* in each 128-bit lane, 8 outputs from 12 chroma bytes c0 .. c11: the pairs (c0 c1) (c1 c2)
     * (c3 c4) (c4 c5) ... gathered by one shuffle, then weighted (2 1) and (1 2) times the row's
     * weight by maddubs (at most 6 x 255 a row: exact) */
#define L(a, b)                                                                                    \
    _mm256_setr_epi8(a, b, b, a, a, b, b, a, a, b, b, a, a, b, b, a, a, b, b, a, a, b, b, a, a, b, \
                     b, a, a, b, b, a)
    const __m256i pick = _mm256_setr_epi8(0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11, 0, 1,
                                          1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11);
    const int wb = 3 - wa;
    const __m256i wta = L((char)(2 * wa), (char)wa), wtb = L((char)(2 * wb), (char)wb);
#undef L
    /* 16 outputs from x (even) read chroma bytes 3 x / 2 .. 3 x / 2 + 27: the last such x, at
     * most w - 16, does the row's end again from there (the same sums), -1 if none */
    const int lim = cw >= 28 ? 2 * (cw - 28) / 3 : -1;
    const int last = w < 16 || lim < 0 ? -1 : (w - 16 < lim ? w - 16 : lim) & ~1;
    for (int x = 0; last >= 0; x += 16) {
        size_t c;
        if (x > last)
            x = last;
        c = (size_t)(3 * x / 2);
        _mm256_storeu_si256(
            (__m256i *)(void *)(su + x),
            _mm256_add_epi16(chroma3_row(ua + c, pick, wta), chroma3_row(ub + c, pick, wtb)));
        _mm256_storeu_si256(
            (__m256i *)(void *)(sv + x),
            _mm256_add_epi16(chroma3_row(va + c, pick, wta), chroma3_row(vb + c, pick, wtb)));
        if (x == last)
            break;
    }
    for (int x = last >= 0 ? last + 16 : 0; x < w; x++) {
        const int k = 3 * x / 2; /* 3 k' for x = 2 k', 3 k' + 1 for x = 2 k' + 1 */
        const int i = x % 2, j = 1 - i;
        su[x] = (uint16_t)(wa * ((1 + j) * ua[k] + (1 + i) * ua[k + 1]) +
                           wb * ((1 + j) * ub[k] + (1 + i) * ub[k + 1]));
        sv[x] = (uint16_t)(wa * ((1 + j) * va[k] + (1 + i) * va[k + 1]) +
                           wb * ((1 + j) * vb[k] + (1 + i) * vb[k + 1]));
    }
}

/* (s M + 2^15) >> 16 for 16 sums s < 2^16, M < 2^16: the high half of s M, plus 1 where the low
 * half is at least 2^15 */
static __m256i mean16(__m256i s, __m256i m)
{
    return _mm256_add_epi16(_mm256_mulhi_epu16(s, m),
                            _mm256_srli_epi16(_mm256_mullo_epi16(s, m), 15));
}

/* (x + 4096) >> 13 for 2 x 8 values (elements 0-3 and 8-11, then 4-7 and 12-15, as unpacking
 * left them), clamped to 0..255, stored in order as 16 bytes */
static void store16(uint8_t *p, __m256i lo, __m256i hi)
{
    const __m256i k = _mm256_set1_epi32(4096);
    __m256i v = _mm256_packs_epi32(_mm256_srai_epi32(_mm256_add_epi32(lo, k), 13),
                                   _mm256_srai_epi32(_mm256_add_epi32(hi, k), 13));
    v = _mm256_packus_epi16(v, v);
    v = _mm256_permute4x64_epi64(v, 0x08);
    _mm_storeu_si128((__m128i *)(void *)p, _mm256_castsi256_si128(v));
}

/* The colour conversion of one row's box sums, 16 pixels at a time: sy luma, cu and cv chroma
 * (halved, for even f: shifted left dbl). kind: 0 the sums are the means (f = 1); 1 mean =
 * (s (M / 2) 2 + 2^14) >> 15 by _mm256_mulhrs_epi16 (M even, sums below 2^15: f <= 11); 2
 * mean16. Written to be inlined with constant kind and dbl. Returns the pixels done. */
static inline __attribute__((always_inline)) int convert_row(const uint16_t *sy, const uint16_t *cu,
                                                             const uint16_t *cv, int w, int kind,
                                                             int dbl, __m256i m, __m256i yoff,
                                                             __m256i kr, __m256i kb, __m256i kg,
                                                             uint8_t *r, uint8_t *g, uint8_t *b)
{
    const __m256i k128 = _mm256_set1_epi16(128);
    int x = 0;
    for (; x + 16 <= w; x += 16) {
        __m256i Y = _mm256_loadu_si256((const __m256i *)(const void *)(sy + x));
        __m256i U = _mm256_loadu_si256((const __m256i *)(const void *)(cu + x));
        __m256i V = _mm256_loadu_si256((const __m256i *)(const void *)(cv + x));
        __m256i R[2], G[2], B[2];
        if (dbl)
            U = _mm256_slli_epi16(U, 1), V = _mm256_slli_epi16(V, 1);
        if (kind == 1)
            Y = _mm256_mulhrs_epi16(Y, m), U = _mm256_mulhrs_epi16(U, m),
            V = _mm256_mulhrs_epi16(V, m);
        else if (kind == 2)
            Y = mean16(Y, m), U = mean16(U, m), V = mean16(V, m);
        Y = _mm256_sub_epi16(Y, yoff);
        U = _mm256_sub_epi16(U, k128);
        V = _mm256_sub_epi16(V, k128);
        R[0] = _mm256_madd_epi16(_mm256_unpacklo_epi16(Y, V), kr);
        R[1] = _mm256_madd_epi16(_mm256_unpackhi_epi16(Y, V), kr);
        B[0] = _mm256_madd_epi16(_mm256_unpacklo_epi16(Y, U), kb);
        B[1] = _mm256_madd_epi16(_mm256_unpackhi_epi16(Y, U), kb);
        G[0] = _mm256_add_epi32(R[0], _mm256_madd_epi16(_mm256_unpacklo_epi16(U, V), kg));
        G[1] = _mm256_add_epi32(R[1], _mm256_madd_epi16(_mm256_unpackhi_epi16(U, V), kg));
        store16(r + x, R[0], R[1]);
        store16(g + x, G[0], G[1]);
        store16(b + x, B[0], B[1]);
    }
    return x;
}

/* 16-bit pairs (lo, hi) for _mm256_madd_epi16 */
static __m256i pair(int32_t lo, int32_t hi)
{
    return _mm256_set1_epi32((int32_t)((uint32_t)(uint16_t)lo | (uint32_t)(uint16_t)hi << 16));
}

void hy__box420_avx2(const uint8_t *const src[3], const ptrdiff_t src_stride[3], int f, int w,
                     int h, const hy__yuv_coef *c, uint8_t *const dst[3],
                     const ptrdiff_t dst_stride[3], void *scratch)
{
    const int W = f * w, CW = (W + 1) / 2, even = f % 2 == 0;
    uint8_t *p = scratch;
    uint16_t *vy = take(&p, (size_t)W + PAD), *wu = take(&p, (size_t)W + PAD);
    uint16_t *wv = take(&p, (size_t)W + PAD);
    uint16_t *vu = take(&p, (size_t)CW + PAD), *vv = take(&p, (size_t)CW + PAD);
    uint16_t *sy = take(&p, (size_t)w + PAD), *su = take(&p, (size_t)w + PAD);
    uint16_t *sv = take(&p, (size_t)w + PAD);
    const uint8_t *rows[16];
    const uint32_t mul = hy__box_mul(f);
    /* the means' multiplier: M / 2 for mulhrs, M for mean16 (f = 1: no mean, M = 2^16) */
    const int kind = f == 1 ? 0 : mul % 2 == 0 && f <= 11 ? 1 : 2;
    const __m256i m = _mm256_set1_epi16((short)(uint16_t)(kind == 1 ? mul / 2 : mul));
    const __m256i yoff = _mm256_set1_epi16((short)c->yoff);
    /* R = cy Y' + crv V', B = cy Y' + cbu U', G = R - cgu U' - (crv + cgv) V': madd pairs */
    const __m256i kr = pair(c->cy, c->crv), kb = pair(c->cy, c->cbu);
    const __m256i kg = pair(-c->cgu, -(c->crv + c->cgv));

    for (int y = 0; y < h; y++) {
        uint8_t *r = dst[0] + y * dst_stride[0], *g = dst[1] + y * dst_stride[1];
        uint8_t *b = dst[2] + y * dst_stride[2];
        const uint16_t *cu = su, *cv = sv; /* the chroma box sums (halved for even f) */
        int x;
        for (int i = 0; i < f; i++)
            rows[i] = src[0] + (ptrdiff_t)(f * y + i) * src_stride[0];
        if (f == 3)
            vsum3(rows[0], rows[1], rows[2], W, vy);
        else if (f == 2)
            vsum2(rows[0], rows[1], W, vy);
        else
            vsum(rows, f, W, vy);
        if (f == 3) {
            /* the chroma rows (3 y + i) / 2: k, k, k + 1 when 3 y is even (k = 3 y / 2), else
             * k, k + 1, k + 1 (k = (3 y - 1) / 2); summed with the columns, below */
        } else if (f == 2) { /* the chroma rows (2 y + i) / 2: one row, twice */
            const uint8_t *cu_row = src[1] + (ptrdiff_t)y * src_stride[1];
            const uint8_t *cv_row = src[2] + (ptrdiff_t)y * src_stride[2];
            vsum2(cu_row, cu_row, CW, vu);
            vsum2(cv_row, cv_row, CW, vv);
        } else {
            for (int i = 0; i < f; i++)
                rows[i] = src[1] + (ptrdiff_t)((f * y + i) >> 1) * src_stride[1];
            vsum(rows, f, CW, vu);
            for (int i = 0; i < f; i++)
                rows[i] = src[2] + (ptrdiff_t)((f * y + i) >> 1) * src_stride[2];
            vsum(rows, f, CW, vv);
        }
        hsum(vy, f, w, sy);
        if (f == 2) { /* luma columns 2 x, 2 x + 1 both use chroma column x */
            cu = vu, cv = vv;
        } else if (even) { /* f x + j uses chroma f x / 2 + j / 2: each twice */
            hsum(vu, f / 2, w, su);
            hsum(vv, f / 2, w, sv);
        } else if (f == 3) {
            const int k = (3 * y) >> 1, wa = (3 * y) % 2 == 0 ? 2 : 1;
            chroma3(src[1] + (ptrdiff_t)k * src_stride[1],
                    src[1] + (ptrdiff_t)(k + 1) * src_stride[1],
                    src[2] + (ptrdiff_t)k * src_stride[2],
                    src[2] + (ptrdiff_t)(k + 1) * src_stride[2], wa, w, CW, su, sv);
        } else {
            widen(vu, W, wu);
            widen(vv, W, wv);
            hsum(wu, f, w, su);
            hsum(wv, f, w, sv);
        }
        if (f == 3) /* 1080p: the common case, its own loop */
            x = convert_row(sy, cu, cv, w, 1, 0, m, yoff, kr, kb, kg, r, g, b);
        else if (f == 2)
            x = convert_row(sy, cu, cv, w, 1, 1, m, yoff, kr, kb, kg, r, g, b);
        else
            x = convert_row(sy, cu, cv, w, kind, even, m, yoff, kr, kb, kg, r, g, b);
        for (; x < w; x++)
            hy__yuv_px(c, (int)((sy[x] * mul + 32768) >> 16),
                       (int)(((uint32_t)(cu[x] << even) * mul + 32768) >> 16),
                       (int)(((uint32_t)(cv[x] << even) * mul + 32768) >> 16), &r[x], &g[x], &b[x]);
    }
}
