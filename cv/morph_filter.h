/* cv/morph_filter.h - the 3 x 3 morphology's row and column passes, plain C loops the compiler
 * vectorises: included once by cv/morph.c (built for the baseline CPU) and once by
 * cv/x86/morph_avx2.c (built for AVX2), so both are the same source. Not a header to include
 * anywhere else: it defines static functions and has no include guard on purpose. */
#include <stddef.h>
#include <stdint.h>

static uint8_t max2(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
}

static uint8_t min2(uint8_t a, uint8_t b)
{
    return a < b ? a : b;
}

/* t = the maximum (mx) or minimum of each pixel of row a and its neighbours x - 1 and x + 1
 * within [0, w) */
static void row3(const uint8_t *a, uint8_t *t, int w, int mx)
{
    if (w == 1) {
        t[0] = a[0];
        return;
    }
    if (mx) {
        t[0] = max2(a[0], a[1]);
        for (int x = 1; x < w - 1; x++)
            t[x] = max2(max2(a[x - 1], a[x]), a[x + 1]);
        t[w - 1] = max2(a[w - 2], a[w - 1]);
    } else {
        t[0] = min2(a[0], a[1]);
        for (int x = 1; x < w - 1; x++)
            t[x] = min2(min2(a[x - 1], a[x]), a[x + 1]);
        t[w - 1] = min2(a[w - 2], a[w - 1]);
    }
}

/* o = the maximum (mx) or minimum of rows u, c and d */
static void col3(const uint8_t *u, const uint8_t *c, const uint8_t *d, uint8_t *o, int w, int mx)
{
    if (mx)
        for (int x = 0; x < w; x++)
            o[x] = max2(max2(u[x], c[x]), d[x]);
    else
        for (int x = 0; x < w; x++)
            o[x] = min2(min2(u[x], c[x]), d[x]);
}

/* out = the 3 x 3 maximum (mx) or minimum of in, both w x h with strides; tmp: w x h bytes.
 * Rows first, then columns: rows y - 1, y, y + 1 within [0, h). */
static void filter(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h, int mx,
                   uint8_t *tmp)
{
    const size_t W = (size_t)w;
    for (int y = 0; y < h; y++)
        row3(in + (size_t)y * is, tmp + (size_t)y * W, w, mx);
    for (int y = 0; y < h; y++)
        col3(tmp + (size_t)(y > 0 ? y - 1 : y) * W, tmp + (size_t)y * W,
             tmp + (size_t)(y < h - 1 ? y + 1 : y) * W, out + (size_t)y * os, w, mx);
}

/* out = the 3 x 3 filter mx2 of the 3 x 3 filter mx1 of in (a closing: maximum, then minimum;
 * an opening the other way), in one pass down the rows through rings of rows: in's rows
 * filtered along the row (h1), a row of the first filter, and those filtered along the row
 * again (h2). The rows stay in the core's first-level cache instead of two passes of two
 * sweeps over a scratch the size of the image. ring: 7 w bytes. Row j of out is written after
 * row j + 2 of in was read, so in and out may be the same image. */
static void filter2(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h, int mx1,
                    int mx2, uint8_t *ring)
{
    const size_t W = (size_t)w;
    uint8_t *h1[3] = {ring, ring + W, ring + 2 * W},
            *h2[3] = {ring + 3 * W, ring + 4 * W, ring + 5 * W};
    uint8_t *s1 = ring + 6 * W;
    for (int i = 0; i <= h; i++) {
        const int k = i - 1; /* the first filter's row k needs in's rows k - 1 .. k + 1 */
        if (i < h)
            row3(in + (size_t)i * is, h1[i % 3], w, mx1);
        if (k < 0)
            continue;
        col3(h1[(k > 0 ? k - 1 : k) % 3], h1[k % 3], h1[(k < h - 1 ? k + 1 : k) % 3], s1, w, mx1);
        row3(s1, h2[k % 3], w, mx2);
        if (k >= 1) { /* out's row k - 1 needs the first filter's rows k - 2 .. k */
            const int j = k - 1;
            col3(h2[(j > 0 ? j - 1 : j) % 3], h2[j % 3], h2[(j + 1) % 3], out + (size_t)j * os, w,
                 mx2);
        }
    }
    col3(h2[(h > 1 ? h - 2 : 0) % 3], h2[(h - 1) % 3], h2[(h - 1) % 3], out + (size_t)(h - 1) * os,
         w, mx2);
}
