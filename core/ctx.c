/* core/ctx.c - the context: logger, allocator, CPU flags, thread count. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct hy_ctx {
    hy_log_fn log;
    void *log_user;
    hy_log_level log_level;
    hy_allocator alloc;
    unsigned cpu_flags;
    int threads;
};

static void *libc_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static unsigned detect_cpu(void)
{
    unsigned flags = 0;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("popcnt"))
        flags |= HY_CPU_AVX2;
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        flags |= HY_CPU_AVX512;
#endif
    return flags;
}

void hy_ctx_config_init(hy_ctx_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->log_level = HY_LOG_INFO;
    cfg->cpu_level = HY_CPU_LEVEL_AUTO;
    cfg->threads = 0;
}

hy_status hy_ctx_create(const hy_ctx_config *cfg, hy_ctx **out)
{
    hy_ctx_config def;
    hy_ctx *ctx;
    hy_allocator alloc = {libc_malloc, libc_realloc, libc_free, NULL};

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!cfg) {
        hy_ctx_config_init(&def);
        cfg = &def;
    }
    if (cfg->threads < 0 || cfg->threads > 256)
        return HY_EINVAL;
    if (cfg->cpu_level < HY_CPU_LEVEL_AUTO || cfg->cpu_level > HY_CPU_LEVEL_AVX512)
        return HY_EINVAL;
    if (cfg->allocator) {
        if (!cfg->allocator->malloc_fn || !cfg->allocator->realloc_fn || !cfg->allocator->free_fn)
            return HY_EINVAL;
        alloc = *cfg->allocator;
    }
    ctx = alloc.malloc_fn(alloc.user, sizeof(*ctx));
    if (!ctx)
        return HY_ENOMEM;
    memset(ctx, 0, sizeof(*ctx));
    ctx->log = cfg->log;
    ctx->log_user = cfg->log_user;
    ctx->log_level = cfg->log_level;
    ctx->alloc = alloc;
    ctx->cpu_flags = detect_cpu();
    switch (cfg->cpu_level) {
    case HY_CPU_LEVEL_SCALAR:
        ctx->cpu_flags = 0;
        break;
    case HY_CPU_LEVEL_AVX2:
        ctx->cpu_flags &= HY_CPU_AVX2;
        break;
    default:
        break;
    }
    ctx->threads = cfg->threads;
    if (ctx->threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        ctx->threads = n < 1 ? 1 : n > 256 ? 256 : (int)n;
    }
    *out = ctx;
    return HY_OK;
}

void hy_ctx_destroy(hy_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->alloc.free_fn(ctx->alloc.user, ctx);
}

unsigned hy_ctx_cpu_flags(const hy_ctx *ctx)
{
    return ctx->cpu_flags;
}

int hy_ctx_threads(const hy_ctx *ctx)
{
    return ctx->threads;
}

hy_status hy_cpu_level_parse(const char *s, hy_cpu_level *out)
{
    static const struct {
        const char *name;
        hy_cpu_level level;
    } levels[] = {{"auto", HY_CPU_LEVEL_AUTO},
                  {"scalar", HY_CPU_LEVEL_SCALAR},
                  {"avx2", HY_CPU_LEVEL_AVX2},
                  {"avx512", HY_CPU_LEVEL_AVX512}};
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        if (s && strcmp(s, levels[i].name) == 0) {
            *out = levels[i].level;
            return HY_OK;
        }
    }
    return HY_EINVAL;
}

void hy__log(const hy_ctx *ctx, hy_log_level level, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (!ctx || !ctx->log || level > ctx->log_level)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, msg);
}

void *hy__malloc(const hy_ctx *ctx, size_t size)
{
    return ctx->alloc.malloc_fn(ctx->alloc.user, size ? size : 1);
}

void *hy__calloc(const hy_ctx *ctx, size_t n, size_t size)
{
    void *p;
    if (size && n > SIZE_MAX / size)
        return NULL;
    p = hy__malloc(ctx, n * size);
    if (p)
        memset(p, 0, n * size > 0 ? n * size : 1);
    return p;
}

void *hy__realloc(const hy_ctx *ctx, void *ptr, size_t size)
{
    return ctx->alloc.realloc_fn(ctx->alloc.user, ptr, size ? size : 1);
}

void hy__free(const hy_ctx *ctx, void *ptr)
{
    if (ptr)
        ctx->alloc.free_fn(ctx->alloc.user, ptr);
}

void *hy__grow(const hy_ctx *ctx, void *v, size_t *cap, size_t need, size_t size)
{
    size_t ncap = *cap ? *cap : 16;
    void *nv;
    if (need <= *cap)
        return v;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return NULL;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / size)
        return NULL;
    nv = hy__realloc(ctx, v, ncap * size);
    if (nv)
        *cap = ncap;
    return nv;
}

char *hy__strdup(const hy_ctx *ctx, const char *s)
{
    size_t n;
    char *d;
    if (!s)
        return NULL;
    n = strlen(s) + 1;
    d = hy__malloc(ctx, n);
    if (d)
        memcpy(d, s, n);
    return d;
}
