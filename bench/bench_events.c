/* bench/bench_events.c - events stored and delivered per second.
 *
 * Storing: N fire detections (random places in a 60 km square around Zhengzhou, random times
 * over a day, batches of 100 as a scene gives them) through hy_store_add, which also merges
 * them into events, writes their history and queues each change for 2 sinks, all in the
 * batch's transaction. Baseline, in the same process: the same rows inserted into a plain
 * SQLite table of the same 35 columns, in the same batches, with the same WAL and
 * synchronous=FULL settings: storing detections and nothing else.
 *
 * Delivering: every queued item through hy_outbox_run with a sink that takes everything at
 * once, so the figure is the outbox's own cost (read, record each outcome durably). Baseline:
 * the same number of one-row UPDATE commits on the plain table, the least a per-item durable
 * outcome costs.
 *
 * Usage: bench_events [N] (default 20000). Files go to /tmp. */
#include "alerts/alerts.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH 100

static unsigned rng = 12345;
static double unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng / 4294967296.0;
}

static int take(void *user, const hy_outbox_item *it, char *err, size_t err_size)
{
    (void)it, (void)err, (void)err_size;
    ++*(int64_t *)user;
    return 0;
}

static void rm_db(const char *path)
{
    char p[300];
    remove(path);
    snprintf(p, sizeof(p), "%s-wal", path);
    remove(p);
    snprintf(p, sizeof(p), "%s-shm", path);
    remove(p);
}

int main(int argc, char **argv)
{
    const int n = argc > 1 ? atoi(argv[1]) : 20000;
    const char *const only[] = {"410122105"};
    const hy_sink_route sinks[] = {{"webhook:bench", NULL, 0, 0}, {"cap:bench", only, 1, 1}};
    char path[256], plain[256], err[512];
    hy_detection *d;
    hy_ctx *ctx;
    hy_store *st;
    sqlite3 *db;
    sqlite3_stmt *q;
    double t0, t_store, t_plain, t_deliver, t_update;
    int64_t events = 0, items = 0, taken = 0;
    hy_outbox_policy p;
    hy_outbox_stats s;

    if (n < BATCH || hy_ctx_create(NULL, &ctx) != HY_OK)
        return 1;
    snprintf(path, sizeof(path), "/tmp/bench_events_%d.db", (int)getpid());
    snprintf(plain, sizeof(plain), "/tmp/bench_events_plain_%d.db", (int)getpid());
    d = calloc((size_t)n, sizeof(*d));
    if (!d)
        return 1;
    for (int i = 0; i < n; i++) {
        hy_detection_init(&d[i]);
        d[i].kind = HY_KIND_FIRE;
        d[i].source_type = HY_SOURCE_SATELLITE;
        d[i].sensor = HY_SENSOR_LANDSAT8;
        snprintf(d[i].source_id, sizeof(d[i].source_id), "scene-%d", i / BATCH);
        d[i].time = 1780110764000000LL + (int64_t)(unit() * 86400e6);
        d[i].lon = 113.3 + unit() * 0.65; /* 60 km */
        d[i].lat = 34.5 + unit() * 0.54;
        d[i].bbox[2] = d[i].bbox[3] = 1;
        d[i].pixels = 1;
        d[i].confidence = 0.8;
        snprintf(d[i].township_code, sizeof(d[i].township_code), "%s",
                 i % 10 ? "410122999" : "410122105");
    }

    /* storing, with events and the outbox */
    rm_db(path);
    if (hy_store_open(ctx, path, &st, err, sizeof(err)) != HY_OK ||
        hy_store_set_sinks(st, sinks, 2) != HY_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    t0 = hy_time_mono();
    for (int i = 0; i < n; i += BATCH)
        if (hy_store_add(st, d + i, BATCH, NULL) != HY_OK) {
            fprintf(stderr, "%s\n", hy_store_errmsg(st));
            return 1;
        }
    t_store = hy_time_mono() - t0;

    /* the baseline: the same rows into a plain table */
    rm_db(plain);
    if (sqlite3_open(plain, &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (id "
                     "INTEGER PRIMARY KEY, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, "
                     "c14, c15, c16, c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, "
                     "c29, c30, c31, c32, c33, c34, c35, state TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO t VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                           "?,?,?,?,?,?,?,?,?,?,?,?,?,'pending')",
                           -1, &q, NULL) != SQLITE_OK)
        return 1;
    t0 = hy_time_mono();
    for (int i = 0; i < n; i += BATCH) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        for (int k = i; k < i + BATCH; k++) {
            sqlite3_reset(q);
            sqlite3_bind_text(q, 1, "fire", -1, SQLITE_STATIC);
            sqlite3_bind_text(q, 2, d[k].source_id, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(q, 3, d[k].time);
            for (int c = 4; c <= 35; c++)
                sqlite3_bind_double(q, c, d[k].lon + c);
            if (sqlite3_step(q) != SQLITE_DONE)
                return 1;
        }
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    }
    t_plain = hy_time_mono() - t0;
    sqlite3_finalize(q);
    sqlite3_close(db); /* the handle is reused below for the store's file */
    db = NULL;

    /* delivering everything queued */
    if (hy_outbox_counts(st, &items, NULL, NULL, NULL) != HY_OK)
        return 1;
    {
        sqlite3_stmt *c;
        if (sqlite3_open(path, &db) == SQLITE_OK &&
            sqlite3_prepare_v2(db, "SELECT count(*) FROM events", -1, &c, NULL) == SQLITE_OK) {
            if (sqlite3_step(c) == SQLITE_ROW)
                events = sqlite3_column_int64(c, 0);
            sqlite3_finalize(c);
        }
    }
    hy_outbox_policy_init(&p);
    t0 = hy_time_mono();
    do {
        if (hy_outbox_run(st, hy_time_now(), &p, 1000, take, &taken, &s) != HY_OK)
            return 1;
    } while (s.delivered > 0);
    t_deliver = hy_time_mono() - t0;

    /* the baseline: as many one-row durable updates */
    {
        sqlite3 *pdb;
        if (sqlite3_open(plain, &pdb) != SQLITE_OK ||
            sqlite3_exec(pdb, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_prepare_v2(pdb, "UPDATE t SET state = 'delivered' WHERE id = ?", -1, &q,
                               NULL) != SQLITE_OK)
            return 1;
        t0 = hy_time_mono();
        for (int64_t i = 0; i < taken; i++) {
            sqlite3_reset(q);
            sqlite3_bind_int64(q, 1, 1 + i % n);
            if (sqlite3_step(q) != SQLITE_DONE)
                return 1;
        }
        t_update = hy_time_mono() - t0;
        sqlite3_finalize(q);
        sqlite3_close(pdb);
    }

    printf("events: %d detections in batches of %d -> %lld events, %lld queued deliveries "
           "(2 sinks, one routed to 1 township in 10)\n",
           n, BATCH, (long long)events, (long long)items);
    printf("store (detections + events + history + outbox): %.3f s, %.0f detections/s\n", t_store,
           n / t_store);
    printf("baseline plain SQLite insert, same batches:      %.3f s, %.0f detections/s\n", t_plain,
           n / t_plain);
    printf("ratio store / plain insert: %.2f\n", t_store / t_plain);
    printf("deliver %lld items (sink takes all): %.3f s, %.0f items/s\n", (long long)taken,
           t_deliver, taken / t_deliver);
    printf("baseline one-row durable UPDATEs:    %.3f s, %.0f items/s\n", t_update,
           taken / t_update);
    printf("ratio deliver / durable update: %.2f\n", t_deliver / t_update);
    sqlite3_close(db);
    hy_store_close(st);
    hy_ctx_destroy(ctx);
    free(d);
    rm_db(path);
    rm_db(plain);
    return taken == items ? 0 : 1;
}
