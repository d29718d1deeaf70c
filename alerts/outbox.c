/* alerts/outbox.c - the transactional outbox: each event change is queued for its sinks in
 * the change's own transaction, then tried until the sink takes it (at least once; the
 * idempotency key lets the receiver drop repeats), with exponential backoff and jitter, and
 * marked dead after the configured number of tries. */
#include "alerts/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hy__sinks_free(hy_store *st)
{
    for (unsigned i = 0; i < st->nsinks; i++) {
        for (unsigned k = 0; k < st->sinks[i].ntownships; k++)
            hy__free(st->ctx, st->sinks[i].townships[k]);
        hy__free(st->ctx, st->sinks[i].townships);
        hy__free(st->ctx, st->sinks[i].name);
    }
    hy__free(st->ctx, st->sinks);
    st->sinks = NULL;
    st->nsinks = 0;
}

static char *dup(const hy_ctx *ctx, const char *s)
{
    const size_t n = strlen(s) + 1;
    char *d = hy__malloc(ctx, n);
    if (d)
        memcpy(d, s, n);
    return d;
}

hy_status hy_store_set_sinks(hy_store *st, const hy_sink_route *r, unsigned n)
{
    if (!st || (n && !r))
        return HY_EINVAL;
    for (unsigned i = 0; i < n; i++)
        if (!r[i].name || !*r[i].name || (r[i].townships_count && !r[i].townships))
            return HY_EINVAL;
    hy__sinks_free(st);
    if (n == 0)
        return HY_OK;
    if (!(st->sinks = hy__calloc(st->ctx, n, sizeof(*st->sinks))))
        return HY_ENOMEM;
    st->nsinks = n; /* every pointer NULL until copied: hy__sinks_free can run at any point */
    for (unsigned i = 0; i < n; i++) {
        hy__sink *s = &st->sinks[i];
        s->cap = r[i].cap != 0;
        if (!(s->name = dup(st->ctx, r[i].name)))
            goto nomem;
        if (r[i].townships_count &&
            !(s->townships = hy__calloc(st->ctx, r[i].townships_count, sizeof(char *))))
            goto nomem;
        for (unsigned k = 0; k < r[i].townships_count; k++) {
            if (!(s->townships[k] = dup(st->ctx, r[i].townships[k])))
                goto nomem;
            s->ntownships = k + 1;
        }
    }
    return HY_OK;
nomem:
    hy__sinks_free(st);
    return HY_ENOMEM;
}

static int routes(const hy__sink *s, const char *township)
{
    if (s->ntownships == 0)
        return 1;
    for (unsigned k = 0; k < s->ntownships; k++)
        if (strcmp(s->townships[k], township) == 0)
            return 1;
    return 0;
}

hy_status hy__outbox_queue(hy_store *st, int64_t change_id, const hy_event *ev,
                           const hy_event_change *c, int64_t now)
{
    sqlite3_stmt *q = NULL;
    char key[64], first[64], *body, *cap = NULL;
    hy_status s = HY_OK;
    int need_cap = 0;
    snprintf(key, sizeof(key), "huoyan-%lld-%lld", (long long)ev->id, (long long)change_id);
    for (unsigned i = 0; i < st->nsinks; i++)
        need_cap |= st->sinks[i].cap && routes(&st->sinks[i], ev->township_code);
    if (need_cap) { /* CAP's updates refer to the event's first message */
        int64_t first_change = change_id;
        if (sqlite3_prepare_v2(st->db, "SELECT MIN(id) FROM event_history WHERE event_id = ?", -1,
                               &q, NULL) != SQLITE_OK)
            return hy__db_fail(st, "queueing a delivery");
        sqlite3_bind_int64(q, 1, ev->id);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_type(q, 0) != SQLITE_NULL)
            first_change = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
        q = NULL;
        snprintf(first, sizeof(first), "huoyan-%lld-%lld", (long long)ev->id,
                 (long long)first_change);
        if (!(cap = hy_event_cap(ev, c, key, first)))
            return HY_ENOMEM;
    }
    if (!(body = hy_event_change_json(ev, c, key))) {
        free(cap);
        return HY_ENOMEM;
    }
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO outbox (event_id, change_id, sink, idempotency_key, body, "
                           "next_attempt_us, created_at_us) VALUES (?,?,?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        s = hy__db_fail(st, "queueing a delivery");
    for (unsigned i = 0; s == HY_OK && i < st->nsinks; i++) {
        if (!routes(&st->sinks[i], ev->township_code))
            continue;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, ev->id);
        sqlite3_bind_int64(q, 2, change_id);
        sqlite3_bind_text(q, 3, st->sinks[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, st->sinks[i].cap ? cap : body, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 6, now);
        sqlite3_bind_int64(q, 7, now);
        if (sqlite3_step(q) != SQLITE_DONE)
            s = hy__db_fail(st, "queueing a delivery");
    }
    sqlite3_finalize(q);
    free(body);
    free(cap);
    return s;
}

void hy_outbox_policy_init(hy_outbox_policy *p)
{
    p->max_attempts = 10;
    p->backoff_s = 2;
    p->backoff_max_s = 600;
}

/* The wait after the n-th failure (n >= 1): backoff_s * 2^(n-1), at most backoff_max_s, times
 * a jitter in [0.8, 1.2) drawn from the item and n (repeatable, and different per item so
 * that a sink coming back is not hit by every item at once). */
static double retry_wait_s(const hy_outbox_policy *p, int64_t id, int n)
{
    double w = p->backoff_s;
    uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15ull ^ (uint64_t)n * 0xBF58476D1CE4E5B9ull;
    for (int i = 1; i < n && w < p->backoff_max_s; i++)
        w *= 2;
    if (w > p->backoff_max_s)
        w = p->backoff_max_s;
    h ^= h >> 31;
    h *= 0x94D049BB133111EBull;
    h ^= h >> 29;
    return w * (0.8 + 0.4 * (double)(h >> 11) / 9007199254740992.0);
}

typedef struct due {
    int64_t id, event_id;
    char *sink, *key, *body;
    int attempts;
} due;

hy_status hy_outbox_run(hy_store *st, int64_t now, const hy_outbox_policy *p, int64_t limit,
                        int (*send)(void *user, const hy_outbox_item *it, char *err,
                                    size_t err_size),
                        void *user, hy_outbox_stats *stats)
{
    hy_outbox_policy def;
    sqlite3_stmt *q;
    due *v = NULL;
    size_t n = 0, cap = 0;
    hy_status s = HY_OK;
    int rc;
    if (stats)
        memset(stats, 0, sizeof(*stats));
    if (!st || !send)
        return HY_EINVAL;
    if (!p) {
        hy_outbox_policy_init(&def);
        p = &def;
    }
    if (p->max_attempts < 1 || !(p->backoff_s > 0) || !(p->backoff_max_s >= p->backoff_s))
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, event_id, sink, idempotency_key, body, attempts FROM outbox "
                           "WHERE state = 'pending' AND next_attempt_us <= ? ORDER BY id LIMIT ?",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading the outbox");
    sqlite3_bind_int64(q, 1, now);
    sqlite3_bind_int64(q, 2, limit > 0 ? limit : 256);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        due *w = hy__grow(st->ctx, v, &cap, n + 1, sizeof(*v));
        if (!w) {
            s = HY_ENOMEM;
            break;
        }
        v = w;
        memset(&v[n], 0, sizeof(v[n]));
        v[n].id = sqlite3_column_int64(q, 0);
        v[n].event_id = sqlite3_column_int64(q, 1);
        v[n].attempts = sqlite3_column_int(q, 5);
        if (!(v[n].sink = dup(st->ctx, (const char *)sqlite3_column_text(q, 2))) ||
            !(v[n].key = dup(st->ctx, (const char *)sqlite3_column_text(q, 3))) ||
            !(v[n].body = dup(st->ctx, (const char *)sqlite3_column_text(q, 4)))) {
            n++;
            s = HY_ENOMEM;
            break;
        }
        n++;
    }
    sqlite3_finalize(q);
    if (s == HY_OK && rc != SQLITE_DONE)
        s = hy__db_fail(st, "reading the outbox");
    for (size_t i = 0; s == HY_OK && i < n; i++) {
        hy_outbox_item it = {v[i].id, v[i].event_id, v[i].sink, v[i].key, v[i].body, v[i].attempts};
        char err[512] = "";
        const int failed = send(user, &it, err, sizeof(err)) != 0;
        const int tries = v[i].attempts + 1, dead = failed && tries >= p->max_attempts;
        if (sqlite3_prepare_v2(st->db,
                               "UPDATE outbox SET attempts = ?2, state = ?3, last_error = ?4, "
                               "next_attempt_us = ?5, delivered_at_us = ?6 WHERE id = ?1",
                               -1, &q, NULL) != SQLITE_OK) {
            s = hy__db_fail(st, "recording a delivery");
            break;
        }
        sqlite3_bind_int64(q, 1, v[i].id);
        sqlite3_bind_int(q, 2, tries);
        sqlite3_bind_text(q, 3,
                          !failed ? "delivered"
                          : dead  ? "dead"
                                  : "pending",
                          -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, failed ? (err[0] ? err : "failed") : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 5,
                           failed ? now + (int64_t)(retry_wait_s(p, v[i].id, tries) * 1e6) : now);
        if (failed)
            sqlite3_bind_null(q, 6);
        else
            sqlite3_bind_int64(q, 6, now);
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) {
            s = hy__db_fail(st, "recording a delivery");
            break;
        }
        if (failed)
            hy__log(st->ctx, dead ? HY_LOG_ERROR : HY_LOG_WARN, "%s: event %lld, try %d: %s%s",
                    v[i].sink, (long long)v[i].event_id, tries, err[0] ? err : "failed",
                    dead ? ": given up (dead)" : "");
        if (stats) {
            stats->delivered += !failed;
            stats->failed += failed && !dead;
            stats->dead += dead;
        }
    }
    for (size_t i = 0; i < n; i++) {
        hy__free(st->ctx, v[i].sink);
        hy__free(st->ctx, v[i].key);
        hy__free(st->ctx, v[i].body);
    }
    hy__free(st->ctx, v);
    return s;
}

hy_status hy_outbox_counts(hy_store *st, int64_t *pending, int64_t *delivered, int64_t *dead,
                           int64_t *next_due)
{
    sqlite3_stmt *q;
    int rc;
    if (!st)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT COALESCE(SUM(state = 'pending'), 0), "
                           "COALESCE(SUM(state = 'delivered'), 0), COALESCE(SUM(state = 'dead'), "
                           "0), COALESCE(MIN(CASE WHEN state = 'pending' THEN next_attempt_us "
                           "END), 0) FROM outbox",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "counting the outbox");
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        if (pending)
            *pending = sqlite3_column_int64(q, 0);
        if (delivered)
            *delivered = sqlite3_column_int64(q, 1);
        if (dead)
            *dead = sqlite3_column_int64(q, 2);
        if (next_due)
            *next_due = sqlite3_column_int64(q, 3);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_ROW ? HY_OK : hy__db_fail(st, "counting the outbox");
}

hy_status hy_store_event_deliveries(hy_store *st, int64_t id,
                                    int (*fn)(void *user, const hy_delivery *d), void *user)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !fn)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, sink, idempotency_key, state, last_error, attempts FROM "
                           "outbox WHERE event_id = ? ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading an event's deliveries");
    sqlite3_bind_int64(q, 1, id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_delivery d;
        d.id = sqlite3_column_int64(q, 0);
        d.sink = (const char *)sqlite3_column_text(q, 1);
        d.key = (const char *)sqlite3_column_text(q, 2);
        d.state = (const char *)sqlite3_column_text(q, 3);
        d.last_error = (const char *)sqlite3_column_text(q, 4);
        d.attempts = sqlite3_column_int(q, 5);
        if (fn(user, &d)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "reading an event's deliveries");
}
