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
