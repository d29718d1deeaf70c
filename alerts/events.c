/* alerts/events.c - detections merged into events, and each event's lifecycle and history.
 *
 * A stored detection joins the open event of its kind that is nearest on the ground within
 * rules.radius_m (or, for a camera hit not placed on the ground, the open event started by the
 * same camera), if the event's span reaches within rules.gap_s of the detection's time;
 * otherwise it starts a new event. An event is suspected until a second detection joins it or
 * a person confirms it. Every change is a row of event_history in the same transaction as the
 * change itself. */
#include "alerts/store_internal.h"

#include "geo/geo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const state_names[HY_EVENT_STATE_COUNT] = {
#define HY_X_NAME(name, str) str,
    HY_EVENT_STATE_LIST(HY_X_NAME)
#undef HY_X_NAME
};

const char *hy_event_state_name(hy_event_state s)
{
    return (unsigned)s < HY_EVENT_STATE_COUNT ? state_names[s] : "?";
}

int hy_event_state_parse(const char *s)
{
    for (int i = 0; s && i < HY_EVENT_STATE_COUNT; i++)
        if (strcmp(s, state_names[i]) == 0)
            return i;
    return -1;
}

int hy_event_state_open(hy_event_state s)
{
    return s == HY_EVENT_NEW || s == HY_EVENT_DISPATCHED || s == HY_EVENT_ACKNOWLEDGED ||
           s == HY_EVENT_ON_SITE;
}

const char *hy_event_transition_refused(hy_event_state from, hy_event_state to)
{
    if ((unsigned)from >= HY_EVENT_STATE_COUNT || (unsigned)to >= HY_EVENT_STATE_COUNT)
        return "no such state";
    if (from == to)
        return "the event is already in that state";
    switch (to) {
    case HY_EVENT_DISPATCHED:
        return from == HY_EVENT_NEW ? NULL : "only a new event is dispatched";
    case HY_EVENT_ACKNOWLEDGED:
        return from == HY_EVENT_DISPATCHED ? NULL : "only a dispatched event is acknowledged";
    case HY_EVENT_ON_SITE:
        return from == HY_EVENT_ACKNOWLEDGED ? NULL
                                             : "on_site follows acknowledged: the officer must "
                                               "acknowledge the event first";
    case HY_EVENT_RESOLVED:
        return from == HY_EVENT_ON_SITE ? NULL : "an event is resolved on site: it must be on_site";
    case HY_EVENT_FALSE_ALARM:
        return hy_event_state_open(from) ? NULL : "a closed event cannot become a false alarm";
    case HY_EVENT_VERIFIED:
        return from == HY_EVENT_RESOLVED || from == HY_EVENT_FALSE_ALARM
                   ? NULL
                   : "only a resolved event or a false alarm is verified";
    case HY_EVENT_NEW:
    default:
        return "an event never goes back to new";
    }
}

void hy_event_rules_init(hy_event_rules *r)
{
    r->radius_m = 1000;
    r->gap_s = 7200;
}

hy_status hy_store_set_event_rules(hy_store *st, const hy_event_rules *r)
{
    if (!st || !r || !(r->radius_m > 0) || !(r->gap_s > 0))
        return HY_EINVAL;
    st->rules = *r;
    return HY_OK;
}

void hy_event_filter_init(hy_event_filter *f)
{
    memset(f, 0, sizeof(*f));
    f->state = -1;
    f->kind = -1;
}

static hy_status history(hy_store *st, int64_t event_id, int64_t t, const char *actor,
                         const char *action, const char *from, const char *to, const char *note)
{
    sqlite3_stmt *q;
    int rc;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT INTO event_history (event_id, time_us, actor, action, "
                           "from_state, to_state, note) VALUES (?,?,?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "recording an event's history");
    sqlite3_bind_int64(q, 1, event_id);
    sqlite3_bind_int64(q, 2, t);
    sqlite3_bind_text(q, 3, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, from ? from : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 6, to ? to : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 7, note ? note : "", -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return hy__db_fail(st, "recording an event's history");
    if (st->nsinks) { /* the outbox, in the same transaction */
        const int64_t change_id = sqlite3_last_insert_rowid(st->db);
        hy_event ev;
        hy_event_change c = {t, actor, action, from ? from : "", to ? to : "", note ? note : ""};
        hy_status s = hy_store_event_get(st, event_id, &ev);
        return s == HY_OK ? hy__outbox_queue(st, change_id, &ev, &c, t) : s;
    }
    return HY_OK;
}

/* The open event of x's kind that x joins: id, or 0 for none. */
static hy_status find_event(hy_store *st, const hy_detection *x, int64_t t, int64_t *id)
{
    const int placed = isfinite(x->lon) && isfinite(x->lat);
    const int64_t gap = (int64_t)(st->rules.gap_s * 1e6);
    sqlite3_stmt *q;
    double best = INFINITY;
    int rc;
    *id = 0;
    if (sqlite3_prepare_v2(
            st->db,
            /* placed: a band of latitude first (events_place), then time and state; an
             * unplaced camera hit: its camera's latest open event */
            placed ? "SELECT id, lon, lat FROM events INDEXED BY events_place WHERE kind = ?1 AND "
                     "lat BETWEEN ?4 AND ?5 AND state IN ('new', "
                     "'dispatched', 'acknowledged', 'on_site') AND first_time_us <= ?2 + ?3 AND "
                     "last_time_us >= ?2 - ?3 AND lon IS NOT NULL"
                   : "SELECT id, NULL, NULL FROM events WHERE kind = ?1 AND state IN ('new', "
                     "'dispatched', 'acknowledged', 'on_site') AND first_time_us <= ?2 + ?3 AND "
                     "last_time_us >= ?2 - ?3 AND source_id = ?6 AND located = 0 "
                     "ORDER BY last_time_us DESC LIMIT 1",
            -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "finding an event");
    sqlite3_bind_text(q, 1, hy_kind_name(x->kind), -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, t);
    sqlite3_bind_int64(q, 3, gap);
    if (placed) {
        const double dlat = st->rules.radius_m / 111000.0 * 1.01; /* a degree: 111 km or more */
        sqlite3_bind_double(q, 4, x->lat - dlat);
        sqlite3_bind_double(q, 5, x->lat + dlat);
    } else {
        sqlite3_bind_text(q, 6, x->source_id, -1, SQLITE_TRANSIENT);
    }
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        double dist = 0;
        if (placed) {
            dist = hy_geo_distance_m(x->lon, x->lat, sqlite3_column_double(q, 1),
                                     sqlite3_column_double(q, 2));
            if (dist > st->rules.radius_m)
                continue;
        }
        if (dist < best) {
            best = dist;
            *id = sqlite3_column_int64(q, 0);
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "finding an event");
}

hy_status hy__event_assign(hy_store *st, int64_t det_id, const hy_detection *x, int64_t now)
{
    const int placed = isfinite(x->lon) && isfinite(x->lat);
    const int64_t t = x->time == HY_TIME_NONE ? now : x->time;
    sqlite3_stmt *q;
    int64_t ev;
    hy_status s;
    char note[160];
    int rc;

    if ((s = find_event(st, x, t, &ev)) != HY_OK)
        return s;
    snprintf(note, sizeof(note), "detection %lld: %s %s %s", (long long)det_id,
             hy_sensor_name(x->sensor), hy_kind_name(x->kind), x->source_id);
    if (ev == 0) {
        if (sqlite3_prepare_v2(
                st->db,
                "INSERT INTO events (kind, source_id, township_code, township_name, "
                "township_county, lon, lat, located, first_time_us, last_time_us, detections, "
                "created_at_us, updated_at_us) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)",
                -1, &q, NULL) != SQLITE_OK)
            return hy__db_fail(st, "creating an event");
        sqlite3_bind_text(q, 1, hy_kind_name(x->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, x->source_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 3, x->township_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 4, x->township_name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 5, x->township_county, -1, SQLITE_TRANSIENT);
        hy__bind_real(q, 6, placed ? x->lon : NAN);
        hy__bind_real(q, 7, placed ? x->lat : NAN);
        sqlite3_bind_int(q, 8, placed);
        sqlite3_bind_int64(q, 9, t);
        sqlite3_bind_int64(q, 10, t);
        sqlite3_bind_int64(q, 11, now);
        sqlite3_bind_int64(q, 12, now);
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return hy__db_fail(st, "creating an event");
        ev = sqlite3_last_insert_rowid(st->db);
        if ((s = history(st, ev, now, "huoyan", "created", "", "new", note)) != HY_OK)
            return s;
    } else {
        int was_confirmed = 1;
        if (sqlite3_prepare_v2(st->db, "SELECT confirmed FROM events WHERE id = ?", -1, &q, NULL) !=
            SQLITE_OK)
            return hy__db_fail(st, "adding a detection to an event");
        sqlite3_bind_int64(q, 1, ev);
        if (sqlite3_step(q) == SQLITE_ROW)
            was_confirmed = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        /* the position is the running mean of the placed detections; the township stays
         * the first placed detection's unless the event had none */
        if (sqlite3_prepare_v2(
                st->db,
                "UPDATE events SET detections = detections + 1, "
                "lon = CASE WHEN ?2 IS NULL THEN lon WHEN located = 0 THEN ?2 "
                "  ELSE (lon * located + ?2) / (located + 1) END, "
                "lat = CASE WHEN ?3 IS NULL THEN lat WHEN located = 0 THEN ?3 "
                "  ELSE (lat * located + ?3) / (located + 1) END, "
                "located = located + (?2 IS NOT NULL), "
                "township_code = CASE WHEN township_code = '' THEN ?4 ELSE township_code END, "
                "township_name = CASE WHEN township_code = '' THEN ?5 ELSE township_name END, "
                "township_county = CASE WHEN township_code = '' THEN ?6 ELSE township_county END, "
                "first_time_us = MIN(first_time_us, ?7), last_time_us = MAX(last_time_us, ?7), "
                "updated_at_us = ?8, confirmed = 1 WHERE id = ?1",
                -1, &q, NULL) != SQLITE_OK)
            return hy__db_fail(st, "adding a detection to an event");
        sqlite3_bind_int64(q, 1, ev);
        hy__bind_real(q, 2, placed ? x->lon : NAN);
        hy__bind_real(q, 3, placed ? x->lat : NAN);
        sqlite3_bind_text(q, 4, x->township_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 5, x->township_name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 6, x->township_county, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, 7, t);
        sqlite3_bind_int64(q, 8, now);
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE)
            return hy__db_fail(st, "adding a detection to an event");
        if ((s = history(st, ev, now, "huoyan", "detection", "", "", note)) != HY_OK)
            return s;
        if (!was_confirmed && (s = history(st, ev, now, "huoyan", "confirmed", "", "",
                                           "a second detection")) != HY_OK)
            return s;
    }
    if (sqlite3_prepare_v2(st->db, "UPDATE detections SET event_id = ? WHERE id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return hy__db_fail(st, "linking a detection to its event");
    sqlite3_bind_int64(q, 1, ev);
    sqlite3_bind_int64(q, 2, det_id);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "linking a detection to its event");
}

#define EVENT_COLUMNS                                                                              \
    "id, kind, state, confirmed, escalated, source_id, township_code, township_name, "             \
    "township_county, lon, lat, first_time_us, last_time_us, detections, created_at_us, "          \
    "updated_at_us"

static void read_event(sqlite3_stmt *q, hy_event *ev)
{
    int e;
    memset(ev, 0, sizeof(*ev));
    ev->id = sqlite3_column_int64(q, 0);
    for (e = 0; e < 4; e++)
        if (strcmp((const char *)sqlite3_column_text(q, 1), hy_kind_name((hy_kind)e)) == 0)
            break;
    ev->kind = (hy_kind)(e < 4 ? e : 0);
    e = hy_event_state_parse((const char *)sqlite3_column_text(q, 2));
    ev->state = (hy_event_state)(e < 0 ? 0 : e);
    ev->confirmed = sqlite3_column_int(q, 3);
    ev->escalated = sqlite3_column_int(q, 4);
    hy__column_text(q, 5, ev->source_id, sizeof(ev->source_id));
    hy__column_text(q, 6, ev->township_code, sizeof(ev->township_code));
    hy__column_text(q, 7, ev->township_name, sizeof(ev->township_name));
    hy__column_text(q, 8, ev->township_county, sizeof(ev->township_county));
    ev->lon = hy__column_real(q, 9);
    ev->lat = hy__column_real(q, 10);
    ev->first_time = sqlite3_column_int64(q, 11);
    ev->last_time = sqlite3_column_int64(q, 12);
    ev->detections = sqlite3_column_int64(q, 13);
    ev->created_at = sqlite3_column_int64(q, 14);
    ev->updated_at = sqlite3_column_int64(q, 15);
}

hy_status hy_store_event_get(hy_store *st, int64_t id, hy_event *ev)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !ev)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db, "SELECT " EVENT_COLUMNS " FROM events WHERE id = ?", -1, &q,
                           NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading an event");
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        read_event(q, ev);
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE) {
        snprintf(st->err, sizeof(st->err), "%s: no event %lld", st->path, (long long)id);
        return HY_ENOTFOUND;
    }
    return rc == SQLITE_ROW ? HY_OK : hy__db_fail(st, "reading an event");
}

hy_status hy_store_events(hy_store *st, const hy_event_filter *f,
                          int (*fn)(void *user, const hy_event *ev), void *user)
{
    sqlite3_stmt *q;
    hy_event_filter all;
    int rc;
    if (!st || !fn)
        return HY_EINVAL;
    if (!f) {
        hy_event_filter_init(&all);
        f = &all;
    }
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " EVENT_COLUMNS " FROM events WHERE (?1 IS NULL OR state = ?1) "
                           "AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR township_code = ?3) "
                           "ORDER BY last_time_us DESC, id DESC LIMIT ?4",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "listing events");
    if (f->state >= 0)
        sqlite3_bind_text(q, 1, hy_event_state_name((hy_event_state)f->state), -1, SQLITE_STATIC);
    if (f->kind >= 0)
        sqlite3_bind_text(q, 2, hy_kind_name((hy_kind)f->kind), -1, SQLITE_STATIC);
    if (f->township_code)
        sqlite3_bind_text(q, 3, f->township_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 4, f->limit > 0 ? f->limit : -1);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_event ev;
        read_event(q, &ev);
        if (fn(user, &ev)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "listing events");
}

hy_status hy_store_event_history(hy_store *st, int64_t id,
                                 int (*fn)(void *user, const hy_event_change *c), void *user)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !fn)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT time_us, actor, action, from_state, to_state, note FROM "
                           "event_history WHERE event_id = ? ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading an event's history");
    sqlite3_bind_int64(q, 1, id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_event_change c;
        c.time = sqlite3_column_int64(q, 0);
        c.actor = (const char *)sqlite3_column_text(q, 1);
        c.action = (const char *)sqlite3_column_text(q, 2);
        c.from_state = (const char *)sqlite3_column_text(q, 3);
        c.to_state = (const char *)sqlite3_column_text(q, 4);
        c.note = (const char *)sqlite3_column_text(q, 5);
        if (fn(user, &c)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "reading an event's history");
}

hy_status hy_store_event_detections(hy_store *st, int64_t id,
                                    int (*fn)(void *user, int64_t detection_id), void *user)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !fn)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db, "SELECT id FROM detections WHERE event_id = ? ORDER BY id", -1,
                           &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading an event's detections");
    sqlite3_bind_int64(q, 1, id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(user, sqlite3_column_int64(q, 0))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "reading an event's detections");
}

/* Run a change to one event in a transaction: read it, let apply() check and write. */
static hy_status change(hy_store *st, int64_t id, const char *what,
                        hy_status (*apply)(hy_store *st, const hy_event *ev, const void *arg),
                        const void *arg)
{
    hy_event ev;
    hy_status s;
    if ((s = hy__exec(st, "BEGIN IMMEDIATE", what)) != HY_OK)
        return s;
    if ((s = hy_store_event_get(st, id, &ev)) == HY_OK && (s = apply(st, &ev, arg)) == HY_OK &&
        (s = hy__exec(st, "COMMIT", what)) == HY_OK)
        return HY_OK;
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return s;
}

typedef struct move_arg {
    hy_event_state to;
    const char *actor, *note;
} move_arg;

static hy_status set_columns(hy_store *st, int64_t id, const char *sql, const char *text,
                             const char *what)
{
    sqlite3_stmt *q;
    int rc;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, what);
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int64(q, 2, hy_time_now());
    if (text)
        sqlite3_bind_text(q, 3, text, -1, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, what);
}

static hy_status apply_move(hy_store *st, const hy_event *ev, const void *arg)
{
    const move_arg *m = arg;
    const char *why = hy_event_transition_refused(ev->state, m->to);
    hy_status s;
    if (why) {
        snprintf(st->err, sizeof(st->err), "%s: event %lld: %s -> %s refused: %s", st->path,
                 (long long)ev->id, hy_event_state_name(ev->state), hy_event_state_name(m->to),
                 why);
        return HY_ESTATE;
    }
    if ((s = set_columns(st, ev->id,
                         "UPDATE events SET state = ?3, updated_at_us = ?2 WHERE id = ?1",
                         hy_event_state_name(m->to), "changing an event's state")) != HY_OK)
        return s;
    /* an analyst's false alarm: its camera hits go into their cameras' false-alarm memory */
    if (m->to == HY_EVENT_FALSE_ALARM &&
        (s = set_columns(st, ev->id,
                         "INSERT INTO false_alarms (camera, kind, bbox_x, bbox_y, bbox_w, bbox_h, "
                         "time_us, event_id, detection_id, added_at_us) "
                         "SELECT source_id, kind, bbox_x, bbox_y, bbox_w, bbox_h, "
                         "COALESCE(time_us, stored_at_us), event_id, id, ?2 FROM detections "
                         "WHERE event_id = ?1 AND source_type = 'camera' AND bbox_w > 0 "
                         "AND bbox_h > 0",
                         NULL, "remembering a false alarm")) != HY_OK)
        return s;
    return history(st, ev->id, hy_time_now(), m->actor, "transition",
                   hy_event_state_name(ev->state), hy_event_state_name(m->to), m->note);
}

hy_status hy_store_event_transition(hy_store *st, int64_t id, hy_event_state to, const char *actor,
                                    const char *note)
{
    move_arg m = {to, actor, note};
    if (!st || (unsigned)to >= HY_EVENT_STATE_COUNT)
        return HY_EINVAL;
    if (!actor || !*actor) {
        snprintf(st->err, sizeof(st->err), "%s: event %lld: a transition needs an actor", st->path,
                 (long long)id);
        return HY_EINVAL;
    }
    return change(st, id, "changing an event's state", apply_move, &m);
}

static hy_status apply_confirm(hy_store *st, const hy_event *ev, const void *arg)
{
    const move_arg *m = arg;
    hy_status s;
    if (ev->confirmed || !hy_event_state_open(ev->state)) {
        snprintf(st->err, sizeof(st->err), "%s: event %lld: confirm refused: %s", st->path,
                 (long long)ev->id, ev->confirmed ? "it is already confirmed" : "it is closed");
        return HY_ESTATE;
    }
    if ((s = set_columns(st, ev->id,
                         "UPDATE events SET confirmed = 1, updated_at_us = ?2 WHERE id = ?1", NULL,
                         "confirming an event")) != HY_OK)
        return s;
    return history(st, ev->id, hy_time_now(), m->actor, "confirmed", "", "", m->note);
}

hy_status hy_store_event_confirm(hy_store *st, int64_t id, const char *actor, const char *note)
{
    move_arg m = {HY_EVENT_NEW, actor, note};
    if (!st)
        return HY_EINVAL;
    if (!actor || !*actor) {
        snprintf(st->err, sizeof(st->err), "%s: event %lld: confirming needs an actor", st->path,
                 (long long)id);
        return HY_EINVAL;
    }
    return change(st, id, "confirming an event", apply_confirm, &m);
}

hy_status hy_store_escalate(hy_store *st, int64_t now, double after_min,
                            int (*fn)(void *user, const hy_event *ev), void *user, int64_t *count)
{
    sqlite3_stmt *q;
    hy_event *v = NULL;
    size_t n = 0, cap = 0;
    hy_status s = HY_OK;
    int rc;
    if (count)
        *count = 0;
    if (!st || !(after_min >= 0))
        return HY_EINVAL;
    if ((s = hy__exec(st, "BEGIN IMMEDIATE", "escalating events")) != HY_OK)
        return s;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT " EVENT_COLUMNS " FROM events WHERE state IN ('new', "
                           "'dispatched') AND escalated = 0 AND created_at_us <= ? ORDER BY id",
                           -1, &q, NULL) != SQLITE_OK) {
        s = hy__db_fail(st, "escalating events");
        goto done;
    }
    sqlite3_bind_int64(q, 1, now - (int64_t)(after_min * 60e6));
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_event *w = hy__grow(st->ctx, v, &cap, n + 1, sizeof(*v));
        if (!w) {
            s = HY_ENOMEM;
            break;
        }
        v = w;
        read_event(q, &v[n++]);
    }
    sqlite3_finalize(q);
    if (s == HY_OK && rc != SQLITE_DONE)
        s = hy__db_fail(st, "escalating events");
    for (size_t i = 0; s == HY_OK && i < n; i++) {
        char note[200];
        snprintf(note, sizeof(note), "not acknowledged within %g min: escalated to %s", after_min,
                 v[i].township_county[0] ? v[i].township_county : "the county");
        v[i].escalated = 1;
        if ((s = set_columns(st, v[i].id,
                             "UPDATE events SET escalated = 1, updated_at_us = ?2 WHERE id = ?1",
                             NULL, "escalating an event")) == HY_OK)
            s = history(st, v[i].id, now, "huoyan", "escalated", hy_event_state_name(v[i].state),
                        "", note);
    }
done:
    if (s == HY_OK)
        s = hy__exec(st, "COMMIT", "escalating events");
    if (s != HY_OK)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    else {
        if (count)
            *count = (int64_t)n;
        for (size_t i = 0; fn && i < n; i++)
            if (fn(user, &v[i]))
                break;
    }
    hy__free(st->ctx, v);
    return s;
}

hy_status hy_store_false_alarms(hy_store *st, const char *camera, hy_false_alarm *out, size_t max,
                                size_t *n)
{
    sqlite3_stmt *q;
    int rc;
    if (n)
        *n = 0;
    if (!st || !n || (max && !out))
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "SELECT id, camera, kind, bbox_x, bbox_y, bbox_w, bbox_h, time_us "
                           "FROM false_alarms WHERE ?1 IS NULL OR camera = ?1 "
                           "ORDER BY time_us DESC, id DESC LIMIT ?2",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading the false-alarm memory");
    if (camera)
        sqlite3_bind_text(q, 1, camera, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, (sqlite3_int64)(max > INT32_MAX ? INT32_MAX : max));
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_false_alarm *f = &out[*n];
        const char *cam = (const char *)sqlite3_column_text(q, 1);
        const char *kind = (const char *)sqlite3_column_text(q, 2);
        memset(f, 0, sizeof(*f));
        f->id = sqlite3_column_int64(q, 0);
        snprintf(f->camera, sizeof(f->camera), "%s", cam ? cam : "");
        if (hy_kind_parse(kind ? kind : "", &f->kind) != HY_OK)
            continue; /* a kind this huoyan does not know */
        for (int k = 0; k < 4; k++)
            f->bbox[k] = sqlite3_column_int(q, 3 + k);
        f->time = sqlite3_column_int64(q, 7);
        (*n)++;
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "reading the false-alarm memory");
}

hy_status hy_store_event_counts(hy_store *st, int64_t counts[HY_EVENT_STATE_COUNT])
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !counts)
        return HY_EINVAL;
    memset(counts, 0, HY_EVENT_STATE_COUNT * sizeof(counts[0]));
    if (sqlite3_prepare_v2(st->db, "SELECT state, count(*) FROM events GROUP BY state", -1, &q,
                           NULL) != SQLITE_OK)
        return hy__db_fail(st, "counting events");
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const int s = hy_event_state_parse((const char *)sqlite3_column_text(q, 0));
        if (s >= 0)
            counts[s] = sqlite3_column_int64(q, 1);
    }
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "counting events");
}
