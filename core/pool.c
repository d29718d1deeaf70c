/* core/pool.c - a small parallel-for thread pool. Workers sleep on a condition variable and
 * take work items from a shared counter; the calling thread works too. */
#include "core.h"

#include <pthread.h>
#include <string.h>

struct hy_pool {
    const hy_ctx *ctx;
    int nworkers;
    pthread_t *threads;
    struct worker_arg *args;
    pthread_mutex_t lock;
    pthread_cond_t work_cv, done_cv;
    /* current job, guarded by lock */
    hy_pool_fn fn;
    void *user;
    size_t n, next, finished;
    unsigned generation;
    int stop;
};

/* Take and run items until none are left. Called with the lock held; returns with it held. */
static void drain(hy_pool *pool, int worker)
{
    while (pool->next < pool->n) {
        size_t i = pool->next++;
        hy_pool_fn fn = pool->fn;
        void *user = pool->user;
        pthread_mutex_unlock(&pool->lock);
        fn(user, i, worker);
        pthread_mutex_lock(&pool->lock);
        if (++pool->finished == pool->n)
            pthread_cond_broadcast(&pool->done_cv);
    }
}

typedef struct worker_arg {
    hy_pool *pool;
    int index;
} worker_arg;

static void *worker(void *arg)
{
    hy_pool *pool = ((worker_arg *)arg)->pool;
    int index = ((worker_arg *)arg)->index;
    unsigned seen = 0;

    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->stop && pool->generation == seen)
            pthread_cond_wait(&pool->work_cv, &pool->lock);
        if (pool->stop)
            break;
        seen = pool->generation;
        drain(pool, index);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

hy_status hy_pool_create(const hy_ctx *ctx, hy_pool **out)
{
    hy_pool *pool;
    int n;

    if (!out || !ctx)
        return HY_EINVAL;
    *out = NULL;
    pool = hy__calloc(ctx, 1, sizeof(*pool));
    if (!pool)
        return HY_ENOMEM;
    pool->ctx = ctx;
    n = hy_ctx_threads(ctx) - 1;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->work_cv, NULL);
    pthread_cond_init(&pool->done_cv, NULL);
    if (n > 0) {
        pool->threads = hy__calloc(ctx, (size_t)n, sizeof(pthread_t));
        pool->args = hy__calloc(ctx, (size_t)n, sizeof(*pool->args));
        if (!pool->threads || !pool->args)
            goto fail;
        for (; pool->nworkers < n; pool->nworkers++) {
            pool->args[pool->nworkers].pool = pool;
            pool->args[pool->nworkers].index = pool->nworkers + 1;
            if (pthread_create(&pool->threads[pool->nworkers], NULL, worker,
                               &pool->args[pool->nworkers]) != 0)
                goto fail;
        }
    }
    *out = pool;
    return HY_OK;
fail:
    hy_pool_destroy(pool);
    return HY_ENOMEM;
}

void hy_pool_run(hy_pool *pool, size_t n, hy_pool_fn fn, void *user)
{
    if (n == 0)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->user = user;
    pool->n = n;
    pool->next = 0;
    pool->finished = 0;
    pool->generation++;
    pthread_cond_broadcast(&pool->work_cv);
    drain(pool, 0); /* the caller is worker 0 */
    while (pool->finished < pool->n)
        pthread_cond_wait(&pool->done_cv, &pool->lock);
    pool->n = 0;
    pool->next = 0;
    pthread_mutex_unlock(&pool->lock);
}

void hy_pool_destroy(hy_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->stop = 1;
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < pool->nworkers; i++)
        pthread_join(pool->threads[i], NULL);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->work_cv);
    pthread_cond_destroy(&pool->done_cv);
    hy__free(pool->ctx, pool->threads);
    hy__free(pool->ctx, pool->args);
    hy__free(pool->ctx, pool);
}

int hy_pool_workers(const hy_pool *pool)
{
    return pool->nworkers + 1;
}
