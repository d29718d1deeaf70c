/* tests/testutil.c - see testutil.h. */
#include "tests/testutil.h"
#include "samples/samples.h"

#include <CUnit/Basic.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char log_buf[65536];
static size_t log_len;
static hy_ctx *test_ctx;

void hy_test_check(int ok, int line, const char *file, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (!ok)
        fprintf(stderr, "  FAILED %s:%d: %s\n", file, line, msg);
    /* CUnit copies the condition text into its failure record. */
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, (unsigned)line, msg, file, "", CU_FALSE);
}

static void log_to_buffer(void *user, hy_log_level level, const char *msg)
{
    (void)user;
    if (getenv("HY_TEST_VERBOSE"))
        fprintf(stderr, "log %d: %s\n", (int)level, msg);
    if (log_len + strlen(msg) + 2 < sizeof(log_buf)) {
        memcpy(log_buf + log_len, msg, strlen(msg));
        log_len += strlen(msg);
        log_buf[log_len++] = '\n';
        log_buf[log_len] = '\0';
    }
}

hy_ctx *hy_test_ctx(void)
{
    if (!test_ctx) {
        hy_ctx_config cfg;
        hy_ctx_config_init(&cfg);
        cfg.log = log_to_buffer;
        cfg.log_level = HY_LOG_DEBUG;
        if (hy_ctx_create(&cfg, &test_ctx) != HY_OK) {
            fprintf(stderr, "cannot create a test context\n");
            exit(1);
        }
    }
    return test_ctx;
}

const char *hy_test_log(void)
{
    return log_buf;
}

void hy_test_log_clear(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

const char *hy_test_tmpdir(const char *name)
{
    static char paths[64][512];
    static int n;
    char *p;
    if (n == 64) {
        fprintf(stderr, "too many temporary folders\n");
        exit(1);
    }
    p = paths[n++];
    snprintf(p, sizeof(paths[0]), "%s/tmp", HY_BINARY_DIR);
    mkdir(p, 0755);
    snprintf(p, sizeof(paths[0]), "%s/tmp/%s-%ld-%d", HY_BINARY_DIR, name, (long)getpid(), n);
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s\n", p);
        exit(1);
    }
    return p;
}

const char *hy_test_samples(void)
{
    static const char *dir;
    char err[1024];
    if (!dir) {
        dir = hy_test_tmpdir("samples");
        if (hy_samples_generate(hy_test_ctx(), dir, err, sizeof(err)) != HY_OK) {
            fprintf(stderr, "cannot generate samples: %s\n", err);
            exit(1);
        }
    }
    return dir;
}

int hy_test_main(const char *suite, const hy_test *tests, int argc, char **argv)
{
    CU_pSuite s;
    unsigned failed;
    const char *only = argc > 1 ? argv[1] : NULL;

    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite(suite, NULL, NULL);
    for (const hy_test *t = tests; t->name; t++)
        if (!only || strcmp(only, t->name) == 0)
            CU_add_test(s, t->name, t->fn);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    if (CU_get_number_of_tests_run() == 0) {
        fprintf(stderr, "no test ran\n");
        failed = 1;
    }
    CU_cleanup_registry();
    hy_ctx_destroy(test_ctx);
    test_ctx = NULL;
    return failed ? 1 : 0;
}

/* ---- swath granules ---- */

void hy_test_granule_init(hy_test_granule *g, int sensor, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    float **planes[] = {&g->bt4, &g->bt11, &g->bt12, &g->red, &g->nir, &g->swir,
                        &g->sza, &g->vza,  &g->saa,  &g->vaa, &g->lat, &g->lon};
    memset(g, 0, sizeof(*g));
    g->w = w;
    g->h = h;
    for (size_t k = 0; k < sizeof(planes) / sizeof(planes[0]); k++) {
        *planes[k] = calloc(n, sizeof(float));
        if (!*planes[k]) {
            fprintf(stderr, "out of memory\n");
            exit(1);
        }
    }
    g->landwater = malloc(n);
    g->sat4 = calloc(n, 1);
    if (!g->landwater || !g->sat4)
        exit(1);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * (size_t)w + (size_t)x;
            /* fixed texture in -1..1 K, different per plane */
            float t = (float)(((x * 7 + y * 13) % 11) - 5) / 5.0f;
            float u = (float)(((x * 5 + y * 3) % 7) - 3) / 3.0f;
            g->bt4[i] = 300.0f + t;
            g->bt11[i] = 290.0f + u;
            g->bt12[i] = 288.0f + u;
            g->red[i] = 0.08f;
            g->nir[i] = 0.20f;
            g->swir[i] = 0.15f;
            g->sza[i] = 40;
            g->vza[i] = 20;
            g->saa[i] = 150;
            g->vaa[i] = 60;
            g->lat[i] = 34.5f + 0.0034f * (float)y;
            g->lon[i] = 113.5f + 0.0041f * (float)x;
            g->landwater[i] = 1;
        }
    g->s.sensor = sensor;
    g->s.width = w;
    g->s.height = h;
    g->s.pass = "A2026150.0530";
}

void hy_test_granule_set(hy_test_granule *g, int x, int y, float bt4, float bt11, float bt12)
{
    size_t i = (size_t)y * (size_t)g->w + (size_t)x;
    if (bt4 == bt4)
        g->bt4[i] = bt4;
    if (bt11 == bt11)
        g->bt11[i] = bt11;
    if (bt12 == bt12)
        g->bt12[i] = bt12;
}

int hy_test_granule_write(hy_test_granule *g, const char *dir, char *l1, char *geo, size_t size)
{
    char err[1024];
    g->s.bt4 = g->bt4;
    g->s.bt11 = g->bt11;
    g->s.bt12 = g->bt12;
    g->s.red = g->red;
    g->s.nir = g->nir;
    g->s.swir = g->swir;
    g->s.sza = g->sza;
    g->s.vza = g->vza;
    g->s.saa = g->saa;
    g->s.vaa = g->vaa;
    g->s.lat = g->lat;
    g->s.lon = g->lon;
    g->s.landwater = g->landwater;
    g->s.sat4 = g->sat4;
    if (hy_samples_granule(&g->s, dir, l1, geo, size, err, sizeof(err)) != HY_OK) {
        fprintf(stderr, "cannot write the granule: %s\n", err);
        return -1;
    }
    return 0;
}

void hy_test_granule_free(hy_test_granule *g)
{
    float *planes[] = {g->bt4, g->bt11, g->bt12, g->red, g->nir, g->swir,
                       g->sza, g->vza,  g->saa,  g->vaa, g->lat, g->lon};
    for (size_t k = 0; k < sizeof(planes) / sizeof(planes[0]); k++)
        free(planes[k]);
    free(g->landwater);
    free(g->sat4);
    memset(g, 0, sizeof(*g));
}
