/* alerts/store.c - the SQLite store: WAL mode, a versioned schema (PRAGMA user_version) and
 * migrations applied in order, each in its own transaction. */
#include "alerts/store_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Migration i takes the schema from version i to i + 1. Never edit a released step: add one. */
static const char *const migrations[HY_STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: detections */
    "CREATE TABLE detections ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  source_type TEXT NOT NULL,"
    "  source_id TEXT NOT NULL,"
    "  sensor TEXT NOT NULL,"
    "  time_us INTEGER,"
    "  frame INTEGER,"
    "  bbox_x INTEGER NOT NULL, bbox_y INTEGER NOT NULL,"
    "  bbox_w INTEGER NOT NULL, bbox_h INTEGER NOT NULL,"
    "  pixels INTEGER NOT NULL,"
    "  px REAL, py REAL,"
    "  confidence REAL,"
    "  tests TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  township_code TEXT NOT NULL DEFAULT '',"
    "  township_name TEXT NOT NULL DEFAULT '',"
    "  township_county TEXT NOT NULL DEFAULT '',"
    "  stored_at_us INTEGER NOT NULL"
    ");",
    /* 1 -> 2: sensor facts, and the index the township summary and API filters use */
    "ALTER TABLE detections ADD COLUMN area_m2 REAL;"
    "ALTER TABLE detections ADD COLUMN frp_mw REAL;"
    "ALTER TABLE detections ADD COLUMN bt4_k REAL;"
    "ALTER TABLE detections ADD COLUMN bearing_deg REAL;"
    "CREATE INDEX detections_township_time ON detections(township_code, time_us);",
    /* 2 -> 3: the static hot-source flag */
    "ALTER TABLE detections ADD COLUMN static_source INTEGER NOT NULL DEFAULT 0;",
    /* 3 -> 4: a reflective cluster's fire quantities */
    "ALTER TABLE detections ADD COLUMN swir2_max REAL;"
    "ALTER TABLE detections ADD COLUMN swir2_mean REAL;"
    "ALTER TABLE detections ADD COLUMN r75_max REAL;",
    /* 4 -> 5: how far outside every township a detection given the nearest one lies */
    "ALTER TABLE detections ADD COLUMN township_outside_m REAL NOT NULL DEFAULT 0;",
    /* 5 -> 6: thermal sensors' BT11, pixel size along scan and track, day or night */
    "ALTER TABLE detections ADD COLUMN bt11_k REAL;"
    "ALTER TABLE detections ADD COLUMN scan_km REAL;"
    "ALTER TABLE detections ADD COLUMN track_km REAL;"
    "ALTER TABLE detections ADD COLUMN daynight TEXT NOT NULL DEFAULT '';",
    /* 6 -> 7: a camera detection's evidence picture */
    "ALTER TABLE detections ADD COLUMN evidence TEXT NOT NULL DEFAULT '';",
    /* 7 -> 8: events (detections merged by kind, place and time), their history, and each
     * detection's event */
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  kind TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'new',"
    "  confirmed INTEGER NOT NULL DEFAULT 0,"
    "  escalated INTEGER NOT NULL DEFAULT 0,"
    "  source_id TEXT NOT NULL DEFAULT '',"
    "  township_code TEXT NOT NULL DEFAULT '',"
    "  township_name TEXT NOT NULL DEFAULT '',"
    "  township_county TEXT NOT NULL DEFAULT '',"
    "  lon REAL, lat REAL,"
    "  located INTEGER NOT NULL DEFAULT 0,"
    "  first_time_us INTEGER NOT NULL, last_time_us INTEGER NOT NULL,"
    "  detections INTEGER NOT NULL DEFAULT 0,"
    "  created_at_us INTEGER NOT NULL, updated_at_us INTEGER NOT NULL"
    ");"
    "CREATE INDEX events_open ON events(kind, state, last_time_us);"
    "CREATE INDEX events_place ON events(kind, lat);"
    "CREATE INDEX events_township ON events(township_code, state);"
    "CREATE TABLE event_history ("
    "  id INTEGER PRIMARY KEY,"
    "  event_id INTEGER NOT NULL REFERENCES events(id),"
    "  time_us INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  from_state TEXT NOT NULL DEFAULT '',"
    "  to_state TEXT NOT NULL DEFAULT '',"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX event_history_event ON event_history(event_id, id);"
    "ALTER TABLE detections ADD COLUMN event_id INTEGER REFERENCES events(id);"
    "CREATE INDEX detections_event ON detections(event_id);",
    /* 8 -> 9: the outbox: each event change, queued for each sink in the change's own
     * transaction, until delivered (or dead after the configured tries) */
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  event_id INTEGER NOT NULL REFERENCES events(id),"
    "  change_id INTEGER NOT NULL REFERENCES event_history(id),"
    "  sink TEXT NOT NULL,"
    "  idempotency_key TEXT NOT NULL,"
    "  body TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending',"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_us INTEGER NOT NULL,"
    "  last_error TEXT NOT NULL DEFAULT '',"
    "  created_at_us INTEGER NOT NULL,"
    "  delivered_at_us INTEGER,"
    "  UNIQUE (sink, idempotency_key)"
    ");"
    "CREATE INDEX outbox_due ON outbox(state, next_attempt_us);"
    "CREATE INDEX outbox_event ON outbox(event_id, id);",
    /* 9 -> 10: the scenes the service's folder watch has scanned (or failed to) */
    "CREATE TABLE scenes ("
    "  path TEXT PRIMARY KEY,"
    "  size INTEGER NOT NULL,"
    "  mtime_us INTEGER NOT NULL,"
    "  state TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '',"
    "  scanned_at_us INTEGER NOT NULL"
    ");",
    /* 10 -> 11: the false-alarm memory: camera hits of events an analyst marked false_alarm */
    "CREATE TABLE false_alarms ("
    "  id INTEGER PRIMARY KEY,"
    "  camera TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  bbox_x INTEGER NOT NULL, bbox_y INTEGER NOT NULL,"
    "  bbox_w INTEGER NOT NULL, bbox_h INTEGER NOT NULL,"
    "  time_us INTEGER NOT NULL,"
    "  event_id INTEGER REFERENCES events(id),"
    "  detection_id INTEGER REFERENCES detections(id),"
    "  added_at_us INTEGER NOT NULL"
    ");"
    "CREATE INDEX false_alarms_camera ON false_alarms(camera, time_us);",
};

hy_status hy__db_fail(hy_store *st, const char *what)
{
    snprintf(st->err, sizeof(st->err), "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
    hy__log(st->ctx, HY_LOG_ERROR, "%s", st->err);
    return HY_EDB;
}

hy_status hy__exec(hy_store *st, const char *sql, const char *what)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(st->err, sizeof(st->err), "%s: %s: %s", st->path, what, msg ? msg : "?");
        sqlite3_free(msg);
        hy__log(st->ctx, HY_LOG_ERROR, "%s", st->err);
        return HY_EDB;
    }
    return HY_OK;
}

static hy_status migrate(hy_store *st)
{
    sqlite3_stmt *q;
    hy_status s;
    char what[64], pragma[64];

    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading the schema version");
    st->version = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
    sqlite3_finalize(q);
    if (st->version > HY_STORE_SCHEMA_VERSION) {
        snprintf(st->err, sizeof(st->err),
                 "%s: schema version %d is newer than this huoyan's %d; refusing to touch it",
                 st->path, st->version, HY_STORE_SCHEMA_VERSION);
        return HY_EDB;
    }
    while (st->version < HY_STORE_SCHEMA_VERSION) {
        snprintf(what, sizeof(what), "migrating schema %d to %d", st->version, st->version + 1);
        if ((s = hy__exec(st, "BEGIN IMMEDIATE", what)) != HY_OK)
            return s;
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", st->version + 1);
        if ((s = hy__exec(st, migrations[st->version], what)) != HY_OK ||
            (s = hy__exec(st, pragma, what)) != HY_OK) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return s;
        }
        if ((s = hy__exec(st, "COMMIT", what)) != HY_OK)
            return s;
        hy__log(st->ctx, HY_LOG_INFO, "%s: schema migrated to version %d", st->path,
                st->version + 1);
        st->version++;
    }
    return HY_OK;
}

hy_status hy_store_open(const hy_ctx *ctx, const char *path, hy_store **out, char *err,
                        size_t err_size)
{
    hy_store *st;
    hy_status s;

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !path)
        return HY_EINVAL;
    st = hy__calloc(ctx, 1, sizeof(*st));
    if (!st)
        return HY_ENOMEM;
    st->ctx = ctx;
    hy_event_rules_init(&st->rules);
    snprintf(st->path, sizeof(st->path), "%s", path);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        s = hy__db_fail(st, "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(st->db, 5000);
    /* WAL: readers (the API) never block the writer; synchronous=FULL: a commit that returned
     * is on disk, so a detection reported stored survives a kill or power cut. */
    if ((s = hy__exec(st, "PRAGMA journal_mode=WAL", "setting WAL mode")) != HY_OK ||
        (s = hy__exec(st, "PRAGMA synchronous=FULL", "setting synchronous")) != HY_OK ||
        (s = hy__exec(st, "PRAGMA foreign_keys=ON", "enabling foreign keys")) != HY_OK)
        goto fail;
    if ((s = migrate(st)) != HY_OK)
        goto fail;
    if (sqlite3_prepare_v2(
            st->db,
            "INSERT INTO detections (kind, source_type, source_id, sensor, "
            "time_us, frame, bbox_x, bbox_y, bbox_w, bbox_h, pixels, px, py, "
            "confidence, tests, lon, lat, township_code, township_name, "
            "township_county, stored_at_us, area_m2, frp_mw, bt4_k, bearing_deg, "
            "static_source, swir2_max, swir2_mean, r75_max, township_outside_m, bt11_k, "
            "scan_km, track_km, daynight, evidence) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
            "?,?,?)",
            -1, &st->insert, NULL) != SQLITE_OK) {
        s = hy__db_fail(st, "preparing the insert");
        goto fail;
    }
    *out = st;
    return HY_OK;
fail:
    if (err)
        snprintf(err, err_size, "%s", st->err);
    hy_store_close(st);
    return s;
}

int hy_store_schema_version(const hy_store *st)
{
    return st->version;
}

void hy__bind_real(sqlite3_stmt *q, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, v);
}

double hy__column_real(sqlite3_stmt *q, int i)
{
    return sqlite3_column_type(q, i) == SQLITE_NULL ? NAN : sqlite3_column_double(q, i);
}

void hy__column_text(sqlite3_stmt *q, int i, char *dst, size_t size)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    snprintf(dst, size, "%s", t ? (const char *)t : "");
}

hy_status hy_store_add(hy_store *st, const hy_detection *d, size_t n, int64_t *first_id)
{
    sqlite3_stmt *q;
    int64_t now = hy_time_now();
    hy_status s;

    if (first_id)
        *first_id = 0;
    if (!st || (!d && n))
        return HY_EINVAL;
    q = st->insert;
    if ((s = hy__exec(st, "BEGIN IMMEDIATE", "storing detections")) != HY_OK)
        return s;
    for (size_t i = 0; i < n; i++) {
        const hy_detection *x = &d[i];
        int k = 1;
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        sqlite3_bind_text(q, k++, hy_kind_name(x->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, k++, hy_source_type_name(x->source_type), -1, SQLITE_STATIC);
        sqlite3_bind_text(q, k++, x->source_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, k++, hy_sensor_name(x->sensor), -1, SQLITE_STATIC);
        if (x->time == HY_TIME_NONE)
            sqlite3_bind_null(q, k++);
        else
            sqlite3_bind_int64(q, k++, x->time);
        if (x->frame < 0)
            sqlite3_bind_null(q, k++);
        else
            sqlite3_bind_int64(q, k++, x->frame);
        for (int b = 0; b < 4; b++)
            sqlite3_bind_int(q, k++, x->bbox[b]);
        sqlite3_bind_int(q, k++, x->pixels);
        hy__bind_real(q, k++, x->px);
        hy__bind_real(q, k++, x->py);
        hy__bind_real(q, k++, x->confidence);
        sqlite3_bind_text(q, k++, x->tests, -1, SQLITE_TRANSIENT);
        hy__bind_real(q, k++, x->lon);
        hy__bind_real(q, k++, x->lat);
        sqlite3_bind_text(q, k++, x->township_code, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, k++, x->township_name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, k++, x->township_county, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(q, k++, now);
        hy__bind_real(q, k++, x->area_m2);
        hy__bind_real(q, k++, x->frp_mw);
        hy__bind_real(q, k++, x->bt4_k);
        hy__bind_real(q, k++, x->bearing_deg);
        sqlite3_bind_int(q, k++, x->static_source ? 1 : 0);
        hy__bind_real(q, k++, x->swir2_max);
        hy__bind_real(q, k++, x->swir2_mean);
        hy__bind_real(q, k++, x->r75_max);
        sqlite3_bind_double(q, k++, x->township_outside_m > 0 ? x->township_outside_m : 0);
        hy__bind_real(q, k++, x->bt11_k);
        hy__bind_real(q, k++, x->scan_km);
        hy__bind_real(q, k++, x->track_km);
        {
            char dn[2] = {x->daynight == 'D' || x->daynight == 'N' ? x->daynight : 0, 0};
            sqlite3_bind_text(q, k++, dn, -1, SQLITE_TRANSIENT);
        }
        sqlite3_bind_text(q, k++, x->evidence, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(q) != SQLITE_DONE) {
            s = hy__db_fail(st, "storing a detection");
            sqlite3_reset(q);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return s;
        }
        {
            const int64_t id = sqlite3_last_insert_rowid(st->db);
            if (i == 0 && first_id)
                *first_id = id;
            if (!x->static_source && (s = hy__event_assign(st, id, x, now)) != HY_OK) {
                sqlite3_reset(q);
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
                return s;
            }
        }
    }
    sqlite3_reset(q);
    if ((s = hy__exec(st, "COMMIT", "storing detections")) != HY_OK) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        if (first_id)
            *first_id = 0;
    }
    return s;
}

static int parse_enum(const char *s, const char *(*name)(int), int count)
{
    for (int i = 0; i < count; i++)
        if (strcmp(s, name(i)) == 0)
            return i;
    return -1;
}

static const char *kind_name_i(int i)
{
    return hy_kind_name((hy_kind)i);
}

static const char *source_name_i(int i)
{
    return hy_source_type_name((hy_source_type)i);
}

static const char *sensor_name_i(int i)
{
    return hy_sensor_name((hy_sensor)i);
}

hy_status hy_store_get(hy_store *st, int64_t id, hy_detection *d)
{
    sqlite3_stmt *q;
    int rc, k = 0, e;
    if (!st || !d)
        return HY_EINVAL;
    hy_detection_init(d);
    if (sqlite3_prepare_v2(
            st->db,
            "SELECT kind, source_type, source_id, sensor, time_us, frame, bbox_x, "
            "bbox_y, bbox_w, bbox_h, pixels, px, py, confidence, tests, lon, lat, "
            "township_code, township_name, township_county, area_m2, frp_mw, "
            "bt4_k, bearing_deg, static_source, swir2_max, swir2_mean, r75_max, "
            "township_outside_m, bt11_k, scan_km, track_km, daynight, evidence FROM detections "
            "WHERE id = ?",
            -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading a detection");
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q);
    if (rc == SQLITE_DONE) {
        sqlite3_finalize(q);
        snprintf(st->err, sizeof(st->err), "%s: no detection %lld", st->path, (long long)id);
        return HY_ENOTFOUND;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(q);
        return hy__db_fail(st, "reading a detection");
    }
    if ((e = parse_enum((const char *)sqlite3_column_text(q, k++), kind_name_i, 4)) < 0)
        goto bad;
    d->kind = (hy_kind)e;
    if ((e = parse_enum((const char *)sqlite3_column_text(q, k++), source_name_i, 2)) < 0)
        goto bad;
    d->source_type = (hy_source_type)e;
    hy__column_text(q, k++, d->source_id, sizeof(d->source_id));
    if ((e = parse_enum((const char *)sqlite3_column_text(q, k++), sensor_name_i, 7)) < 0)
        goto bad;
    d->sensor = (hy_sensor)e;
    d->time = sqlite3_column_type(q, k) == SQLITE_NULL ? HY_TIME_NONE : sqlite3_column_int64(q, k);
    k++;
    d->frame = sqlite3_column_type(q, k) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, k);
    k++;
    for (int b = 0; b < 4; b++)
        d->bbox[b] = sqlite3_column_int(q, k++);
    d->pixels = sqlite3_column_int(q, k++);
    d->px = hy__column_real(q, k++);
    d->py = hy__column_real(q, k++);
    d->confidence = hy__column_real(q, k++);
    hy__column_text(q, k++, d->tests, sizeof(d->tests));
    d->lon = hy__column_real(q, k++);
    d->lat = hy__column_real(q, k++);
    hy__column_text(q, k++, d->township_code, sizeof(d->township_code));
    hy__column_text(q, k++, d->township_name, sizeof(d->township_name));
    hy__column_text(q, k++, d->township_county, sizeof(d->township_county));
    d->area_m2 = hy__column_real(q, k++);
    d->frp_mw = hy__column_real(q, k++);
    d->bt4_k = hy__column_real(q, k++);
    d->bearing_deg = hy__column_real(q, k++);
    d->static_source = sqlite3_column_int(q, k++);
    d->swir2_max = hy__column_real(q, k++);
    d->swir2_mean = hy__column_real(q, k++);
    d->r75_max = hy__column_real(q, k++);
    d->township_outside_m = sqlite3_column_double(q, k++);
    d->bt11_k = hy__column_real(q, k++);
    d->scan_km = hy__column_real(q, k++);
    d->track_km = hy__column_real(q, k++);
    {
        const unsigned char *dn = sqlite3_column_text(q, k++);
        d->daynight = dn && (dn[0] == 'D' || dn[0] == 'N') ? (char)dn[0] : 0;
    }
    hy__column_text(q, k++, d->evidence, sizeof(d->evidence));
    sqlite3_finalize(q);
    return HY_OK;
bad:
    sqlite3_finalize(q);
    snprintf(st->err, sizeof(st->err), "%s: detection %lld has an unknown kind, source or sensor",
             st->path, (long long)id);
    return HY_EFORMAT;
}

hy_status hy_store_count(hy_store *st, int64_t *n)
{
    sqlite3_stmt *q;
    if (!st || !n)
        return HY_EINVAL;
    *n = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM detections", -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "counting detections");
    if (sqlite3_step(q) == SQLITE_ROW)
        *n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return HY_OK;
}

hy_status hy_store_summary(hy_store *st, int (*fn)(void *user, const hy_store_summary_row *row),
                           void *user)
{
    return hy_store_summary_by(st, 0, fn, user);
}

hy_status hy_store_summary_by(hy_store *st, int by_day,
                              int (*fn)(void *user, const hy_store_summary_row *row), void *user)
{
    /* the day is Beijing's: reports count by the local date */
    static const char by_township[] =
        "SELECT township_county, township_code, township_name, '', kind, count(*), sum(pixels), "
        "min(time_us), max(time_us), avg(lon), avg(lat), coalesce(sum(area_m2), 0) FROM detections "
        "GROUP BY township_county, township_code, township_name, kind "
        "ORDER BY township_code = '', township_county, township_code, kind";
    static const char by_township_day[] =
        "SELECT township_county, township_code, township_name, "
        "coalesce(date(time_us / 1000000 + 8 * 3600, 'unixepoch'), '') AS day, kind, count(*), "
        "sum(pixels), min(time_us), max(time_us), avg(lon), avg(lat), coalesce(sum(area_m2), 0) "
        "FROM detections GROUP BY township_county, township_code, township_name, day, kind "
        "ORDER BY township_code = '', township_county, township_code, day, kind";
    sqlite3_stmt *q;
    int rc;
    if (!st || !fn)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db, by_day ? by_township_day : by_township, -1, &q, NULL) !=
        SQLITE_OK)
        return hy__db_fail(st, "summarising detections");
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        hy_store_summary_row row;
        char t0[HY_TIME_STRLEN] = "", t1[HY_TIME_STRLEN] = "";
        row.county = (const char *)sqlite3_column_text(q, 0);
        row.township_code = (const char *)sqlite3_column_text(q, 1);
        row.township_name = (const char *)sqlite3_column_text(q, 2);
        row.day = (const char *)sqlite3_column_text(q, 3);
        row.kind = (const char *)sqlite3_column_text(q, 4);
        row.detections = sqlite3_column_int64(q, 5);
        row.pixels = sqlite3_column_int64(q, 6);
        if (sqlite3_column_type(q, 7) != SQLITE_NULL)
            hy_time_format(sqlite3_column_int64(q, 7), t0);
        if (sqlite3_column_type(q, 8) != SQLITE_NULL)
            hy_time_format(sqlite3_column_int64(q, 8), t1);
        row.first_time = t0;
        row.last_time = t1;
        row.lon = hy__column_real(q, 9);
        row.lat = hy__column_real(q, 10);
        row.area_m2 = sqlite3_column_double(q, 11);
        if (fn(user, &row))
            break;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return hy__db_fail(st, "summarising detections");
    return HY_OK;
}

const char *hy_store_errmsg(const hy_store *st)
{
    return st ? st->err : "no store";
}

void hy_store_close(hy_store *st)
{
    if (!st)
        return;
    hy__sinks_free(st);
    sqlite3_finalize(st->insert);
    sqlite3_close(st->db);
    hy__free(st->ctx, st);
}

hy_status hy_store_scene_get(hy_store *st, const char *path, int64_t *size, int64_t *mtime_us,
                             char *state, size_t state_size)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !path)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db, "SELECT size, mtime_us, state FROM scenes WHERE path = ?", -1,
                           &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "reading the scanned scenes");
    sqlite3_bind_text(q, 1, path, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        if (size)
            *size = sqlite3_column_int64(q, 0);
        if (mtime_us)
            *mtime_us = sqlite3_column_int64(q, 1);
        if (state)
            hy__column_text(q, 2, state, state_size);
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_DONE)
        return HY_ENOTFOUND;
    return rc == SQLITE_ROW ? HY_OK : hy__db_fail(st, "reading the scanned scenes");
}

hy_status hy_store_scene_put(hy_store *st, const char *path, int64_t size, int64_t mtime_us,
                             const char *state, const char *detail)
{
    sqlite3_stmt *q;
    int rc;
    if (!st || !path || !state)
        return HY_EINVAL;
    if (sqlite3_prepare_v2(st->db,
                           "INSERT OR REPLACE INTO scenes (path, size, mtime_us, state, detail, "
                           "scanned_at_us) VALUES (?,?,?,?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return hy__db_fail(st, "recording a scanned scene");
    sqlite3_bind_text(q, 1, path, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 2, size);
    sqlite3_bind_int64(q, 3, mtime_us);
    sqlite3_bind_text(q, 4, state, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, detail ? detail : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 6, hy_time_now());
    rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? HY_OK : hy__db_fail(st, "recording a scanned scene");
}
