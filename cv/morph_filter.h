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

/* out = the 3 x 3 maximum (mx) or minimum of in, both w x h with strides; tmp: w x h bytes */
static void filter(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h, int mx,
                   uint8_t *tmp)
{
    for (int y = 0; y < h; y++) { /* rows: neighbours x - 1, x, x + 1 within [0, w) */
        const uint8_t *a = in + (size_t)y * is;
        uint8_t *t = tmp + (size_t)y * (size_t)w;
        if (w == 1) {
            t[0] = a[0];
            continue;
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
    for (int y = 0; y < h; y++) { /* columns: rows y - 1, y, y + 1 within [0, h) */
        const uint8_t *u = tmp + (size_t)(y > 0 ? y - 1 : y) * (size_t)w;
        const uint8_t *c = tmp + (size_t)y * (size_t)w;
        const uint8_t *d = tmp + (size_t)(y < h - 1 ? y + 1 : y) * (size_t)w;
        uint8_t *o = out + (size_t)y * os;
        if (mx)
            for (int x = 0; x < w; x++)
                o[x] = max2(max2(u[x], c[x]), d[x]);
        else
            for (int x = 0; x < w; x++)
                o[x] = min2(min2(u[x], c[x]), d[x]);
    }
}
