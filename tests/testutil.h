/* tests/testutil.h - CUnit helpers: assertions that print both values, a context whose log
 * the test can read, temporary folders, and the paths of the real data. */
#ifndef HY_TESTUTIL_H
#define HY_TESTUTIL_H

#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"

#define HY_DATA(rel) HY_SHARED_DATA_DIR "/" rel

/* Record a pass or a failure with a message carrying the values. */
void hy_test_check(int ok, int line, const char *file, const char *fmt, ...) HY_PRINTF(4, 5);

#define ASSERT_TRUE(c) hy_test_check(!!(c), __LINE__, __FILE__, "%s", #c)
#define ASSERT_EQ(a, b)                                                                            \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        hy_test_check(a_ == b_, __LINE__, __FILE__, "%s == %s (%lld vs %lld)", #a, #b, a_, b_);    \
    } while (0)
#define ASSERT_NEAR(a, b, tol)                                                                     \
    do {                                                                                           \
        double a_ = (double)(a), b_ = (double)(b);                                                 \
        hy_test_check(fabs(a_ - b_) <= (tol), __LINE__, __FILE__,                                  \
                      "%s ~= %s (%.9g vs %.9g, tol %g)", #a, #b, a_, b_, (double)(tol));           \
    } while (0)
#define ASSERT_STR_EQ(a, b)                                                                        \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        hy_test_check(a_ &&b_ &&strcmp(a_, b_) == 0, __LINE__, __FILE__,                           \
                      "%s == %s (\"%s\" vs \"%s\")", #a, #b, a_ ? a_ : "(null)",                   \
                      b_ ? b_ : "(null)");                                                         \
    } while (0)
#define ASSERT_CONTAINS(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        hy_test_check(h_ &&strstr(h_, n_) != NULL, __LINE__, __FILE__, "\"%s\" contains \"%s\"",   \
                      h_ ? h_ : "(null)", n_);                                                     \
    } while (0)
/* Stop the test (return) when a precondition fails. */
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            hy_test_check(0, __LINE__, __FILE__, "required: %s", #c);                              \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/** A context logging into a buffer (hy_test_log()) and to stderr when HY_TEST_VERBOSE set. */
hy_ctx *hy_test_ctx(void);
/** Everything logged since the last hy_test_log_clear(). */
const char *hy_test_log(void);
void hy_test_log_clear(void);
/** A fresh temporary folder under the build tree, unique per call; path valid until exit. */
const char *hy_test_tmpdir(const char *name);
/** The synthetic samples, generated once per process into a temporary folder. */
const char *hy_test_samples(void);

typedef struct hy_test {
    const char *name;
    void (*fn)(void);
} hy_test;

/** Run one suite; returns the process exit code (0 when every assertion passed). */
int hy_test_main(const char *suite, const hy_test *tests, int argc, char **argv);

#include "samples/samples.h"

/** A swath granule under construction: every plane w x h, owned. Initialised to a quiet
 *  daytime land background (BT4 300 K, BT11 290 K, BT12 288 K with +-1 K of fixed texture,
 *  reflectances red 0.08, NIR 0.20, SWIR 0.15; sun zenith 40, view zenith 20, azimuths 150
 *  and 60 (glint angle 43.96 deg); latitude 34.5 + 0.0034 y, longitude 113.5 + 0.0041 x). */
typedef struct hy_test_granule {
    int w, h;
    float *bt4, *bt11, *bt12, *red, *nir, *swir, *sza, *vza, *saa, *vaa, *lat, *lon;
    uint8_t *landwater, *sat4;
    hy_sample_granule s;
} hy_test_granule;

void hy_test_granule_init(hy_test_granule *g, int sensor, int w, int h);
/** Set one pixel's temperatures (NAN leaves one as it is). */
void hy_test_granule_set(hy_test_granule *g, int x, int y, float bt4, float bt11, float bt12);
/** Write it into dir (pass "A2026150.0530"); paths back in l1, geo. 0 on success. */
int hy_test_granule_write(hy_test_granule *g, const char *dir, char *l1, char *geo, size_t size);
void hy_test_granule_free(hy_test_granule *g);

#endif
