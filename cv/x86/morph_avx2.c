/* cv/x86/morph_avx2.c - the 3 x 3 morphology's passes built for AVX2: cv/morph_filter.h's
 * loops, the same source as cv/morph.c's, which the compiler vectorises 32 bytes at a time here
 * instead of 16. Minimum and maximum of bytes, so the output is the same bit for bit
 * (tests/test_cv.c holds both to OpenCV). */
#include "cv/cv.h"

#include "cv/morph_filter.h"

void hy__cv_filter3_avx2(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h,
                         int mx, uint8_t *tmp)
{
    filter(in, is, out, os, w, h, mx, tmp);
}

void hy__cv_filter3x2_avx2(const uint8_t *in, size_t is, uint8_t *out, size_t os, int w, int h,
                           int mx1, int mx2, uint8_t *ring)
{
    filter2(in, is, out, os, w, h, mx1, mx2, ring);
}
