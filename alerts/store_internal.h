/* alerts/store_internal.h - the store's insides, shared by alerts/store.c and alerts/events.c
 * only. */
#ifndef HY_STORE_INTERNAL_H
#define HY_STORE_INTERNAL_H

#include "alerts/alerts.h"

#include <sqlite3.h>

struct hy_store {
    const hy_ctx *ctx;
    sqlite3 *db;
    sqlite3_stmt *insert;
    int version;
    hy_event_rules rules;
    struct hy__sink *sinks; /* where event changes are queued (hy_store_set_sinks) */
    unsigned nsinks;
    char path[1024];
    char err[1024];
};

/** st->err = "PATH: what: SQLite's message", logged; HY_EDB. */
hy_status hy__db_fail(hy_store *st, const char *what);
/** Run SQL; on failure st->err names the file and what. */
hy_status hy__exec(hy_store *st, const char *sql, const char *what);
void hy__bind_real(sqlite3_stmt *q, int i, double v);                 /* NaN -> NULL */
double hy__column_real(sqlite3_stmt *q, int i);                       /* NULL -> NaN */
void hy__column_text(sqlite3_stmt *q, int i, char *dst, size_t size); /* NULL -> "" */

typedef struct hy__sink {
    char *name;
    int cap;
    char **townships;
    unsigned ntownships;
} hy__sink;

void hy__sinks_free(hy_store *st);
/** Queue the change (event_history row change_id) of event ev for every sink it routes to. */
hy_status hy__outbox_queue(hy_store *st, int64_t change_id, const hy_event *ev,
                           const hy_event_change *c, int64_t now);

/** Put the stored detection det_id (x) into an event: the nearest open one of its kind within
 *  the rules, or a new one. Runs inside hy_store_add's transaction. */
hy_status hy__event_assign(hy_store *st, int64_t det_id, const hy_detection *x, int64_t now);

#endif
