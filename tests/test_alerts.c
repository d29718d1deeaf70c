/* tests/test_alerts.c - the store (round trip, migration from an old schema, refusing a newer
 * one, summary) and the JSON line / GeoJSON outputs. */
#include "tests/testutil.h"

#include "alerts/alerts.h"

#include <gdal.h>
#include <jansson.h>
#include <ogr_api.h>
#include <sqlite3.h>
#include <turbojpeg.h>
#include <stdlib.h>

static hy_detection sample_satellite(void)
{
    hy_detection d;
    hy_detection_init(&d);
    d.kind = HY_KIND_FIRE;
    d.source_type = HY_SOURCE_SATELLITE;
    snprintf(d.source_id, sizeof(d.source_id), "LC08_L1TP_124036_20260530_20260530_02_T1");
    d.sensor = HY_SENSOR_LANDSAT8;
    d.time = 1780110764LL * 1000000; /* 2026-05-30T03:12:44Z */
    d.bbox[0] = 100, d.bbox[1] = 80, d.bbox[2] = 3, d.bbox[3] = 2;
    d.pixels = 6;
    d.px = 101.5, d.py = 81;
    d.confidence = 0.87;
    snprintf(d.tests, sizeof(d.tests), "unambiguous1,candidate");
    d.lon = 113.889, d.lat = 34.752;
    snprintf(d.township_code, sizeof(d.township_code), "410122105");
    snprintf(d.township_name, sizeof(d.township_name), "白沙镇");
    snprintf(d.township_county, sizeof(d.township_county), "中牟县");
    d.area_m2 = 1800;
    d.frp_mw = 12.5;
    d.static_source = 1;
    d.swir2_max = 0.7960045;
    d.swir2_mean = 0.61;
    d.r75_max = 3.2423;
    return d;
}

static hy_detection sample_camera(void)
{
    hy_detection d;
    hy_detection_init(&d);
    d.kind = HY_KIND_SMOKE;
    d.source_type = HY_SOURCE_CAMERA;
    snprintf(d.source_id, sizeof(d.source_id), "zm-baisha-01");
    d.sensor = HY_SENSOR_CAMERA;
    d.frame = 123;
    d.bbox[0] = 640, d.bbox[1] = 300, d.bbox[2] = 48, d.bbox[3] = 96;
    d.pixels = 2100;
    d.px = 664, d.py = 348;
    d.confidence = 0.5;
    d.bearing_deg = 121.5;
    snprintf(d.evidence, sizeof(d.evidence), "/var/lib/huoyan/evidence/zm-baisha-01-123-smoke.jpg");
    return d; /* no time, no ground position, no township */
}

/* Equal field by field; doubles bit for bit (NaN equal to NaN). */
static void assert_same(const hy_detection *a, const hy_detection *b)
{
    const double da[] = {a->px,
                         a->py,
                         a->confidence,
                         a->lon,
                         a->lat,
                         a->area_m2,
                         a->frp_mw,
                         a->bt4_k,
                         a->bearing_deg,
                         a->swir2_max,
                         a->swir2_mean,
                         a->r75_max,
                         a->township_outside_m,
                         a->bt11_k,
                         a->scan_km,
                         a->track_km};
    const double db[] = {b->px,
                         b->py,
                         b->confidence,
                         b->lon,
                         b->lat,
                         b->area_m2,
                         b->frp_mw,
                         b->bt4_k,
                         b->bearing_deg,
                         b->swir2_max,
                         b->swir2_mean,
                         b->r75_max,
                         b->township_outside_m,
                         b->bt11_k,
                         b->scan_km,
                         b->track_km};
    ASSERT_EQ(a->kind, b->kind);
    ASSERT_EQ(a->source_type, b->source_type);
    ASSERT_STR_EQ(a->source_id, b->source_id);
    ASSERT_EQ(a->sensor, b->sensor);
    ASSERT_EQ(a->time, b->time);
    ASSERT_EQ(a->frame, b->frame);
    for (int i = 0; i < 4; i++)
        ASSERT_EQ(a->bbox[i], b->bbox[i]);
    ASSERT_EQ(a->pixels, b->pixels);
    for (size_t i = 0; i < sizeof(da) / sizeof(da[0]); i++)
        hy_test_check((isnan(da[i]) && isnan(db[i])) || da[i] == db[i], __LINE__, __FILE__,
                      "double field %zu: %.17g vs %.17g", i, da[i], db[i]);
    ASSERT_STR_EQ(a->tests, b->tests);
    ASSERT_STR_EQ(a->township_code, b->township_code);
    ASSERT_STR_EQ(a->township_name, b->township_name);
    ASSERT_STR_EQ(a->township_county, b->township_county);
    ASSERT_EQ(a->static_source, b->static_source);
    ASSERT_EQ(a->daynight, b->daynight);
    ASSERT_STR_EQ(a->evidence, b->evidence);
}

static void test_round_trip(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512];
    hy_store *st = NULL;
    hy_detection in[3] = {sample_satellite(), sample_camera(), sample_satellite()}, out;
    int64_t id = 0, n = 0;
    in[0].township_outside_m = 554.5; /* given the nearest township, 554.5 m outside it */
    /* a VIIRS pixel: BT11, pixel size, night */
    in[2].sensor = HY_SENSOR_VIIRS;
    snprintf(in[2].source_id, sizeof(in[2].source_id), "VNP02IMG.A2026150.1805.002");
    in[2].bt4_k = 331.25, in[2].bt11_k = 296.5, in[2].scan_km = 0.41, in[2].track_km = 0.38;
    in[2].daynight = 'N';

    snprintf(path, sizeof(path), "%s/store.db", hy_test_tmpdir("store"));
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_schema_version(st), HY_STORE_SCHEMA_VERSION);
    ASSERT_EQ(hy_store_add(st, in, 3, &id), HY_OK);
    ASSERT_EQ(id, 1);
    hy_store_close(st);

    /* reopen the file: what was stored is there, unchanged */
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_count(st, &n), HY_OK);
    ASSERT_EQ(n, 3);
    for (int k = 0; k < 3; k++) {
        ASSERT_EQ(hy_store_get(st, k + 1, &out), HY_OK);
        assert_same(&in[k], &out);
    }
    ASSERT_EQ(hy_store_get(st, 4, &out), HY_ENOTFOUND);
    ASSERT_CONTAINS(hy_store_errmsg(st), "no detection 4");
    hy_store_close(st);

    /* WAL mode, as the file says */
    {
        sqlite3 *db;
        sqlite3_stmt *q;
        REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
        REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL) == SQLITE_OK);
        ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
        ASSERT_STR_EQ((const char *)sqlite3_column_text(q, 0), "wal");
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
}

static int collect(void *user, const hy_store_summary_row *r)
{
    char *buf = user;
    size_t len = strlen(buf);
    snprintf(buf + len, 1024 - len, "%s|%s|%s|%lld|%lld|%.1f;", r->township_code, r->township_name,
             r->kind, (long long)r->detections, (long long)r->pixels, r->area_m2);
    return 0;
}

static void test_summary(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512], got[1024] = "";
    hy_store *st = NULL;
    hy_detection d[3] = {sample_satellite(), sample_satellite(), sample_camera()};
    d[1].pixels = 4;
    d[1].area_m2 = 3600.5;
    snprintf(path, sizeof(path), "%s/summary.db", hy_test_tmpdir("store"));
    REQUIRE(hy_store_open(ctx, path, &st, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(hy_store_add(st, d, 3, NULL), HY_OK);
    ASSERT_EQ(hy_store_summary(st, collect, got), HY_OK);
    /* two fires in 白沙镇 (6 + 4 pixels, 1800 + 3600.5 m2); the camera smoke has no township
     * and no area and comes last */
    ASSERT_STR_EQ(got, "410122105|白沙镇|fire|2|10|5400.5;||smoke|1|2100|0.0;");
    hy_store_close(st);
}

static int collect_day(void *user, const hy_store_summary_row *r)
{
    char *buf = user;
    size_t len = strlen(buf);
    snprintf(buf + len, 1024 - len, "%s|%s|%lld|%lld|%.4f|%.4f|%s|%s;", r->township_code, r->day,
             (long long)r->detections, (long long)r->pixels, r->lon, r->lat, r->first_time,
             r->last_time);
    return 0;
}

/* Three fires in 白沙镇: 03:12:44Z and 15:59:59Z on 30 May are both 30 May in Beijing (11:12
 * and 23:59); 17:30Z is 01:30 on 31 May there. */
static void test_summary_by_day(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], out[1024], err[512], got[1024] = "", buf[2048];
    hy_store *st = NULL;
    hy_detection d[3] = {sample_satellite(), sample_satellite(), sample_satellite()};
    const int64_t midnight = 1780099200; /* 2026-05-30T00:00:00Z = 20603 x 86400 */
    size_t n;
    FILE *f;
    d[1].time = (midnight + 17 * 3600 + 30 * 60) * 1000000;
    d[1].lon = 113.891, d[1].lat = 34.754, d[1].pixels = 4;
    d[2].time = (midnight + 15 * 3600 + 59 * 60 + 59) * 1000000;
    d[2].lon = 113.893, d[2].lat = 34.756, d[2].pixels = 2;
    snprintf(path, sizeof(path), "%s/byday.db", hy_test_tmpdir("store"));
    REQUIRE(hy_store_open(ctx, path, &st, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(hy_store_add(st, d, 3, NULL), HY_OK);
    ASSERT_EQ(hy_store_summary_by(st, 1, collect_day, got), HY_OK);
    /* 30 May: d0 and d2, 6 + 2 pixels, mean of (113.889, 34.752) and (113.893, 34.756) */
    ASSERT_STR_EQ(got, "410122105|2026-05-30|2|8|113.8910|34.7540|2026-05-30T03:12:44Z|"
                       "2026-05-30T15:59:59Z;"
                       "410122105|2026-05-31|1|4|113.8910|34.7540|2026-05-30T17:30:00Z|"
                       "2026-05-30T17:30:00Z;");
    got[0] = '\0';
    ASSERT_EQ(hy_store_summary_by(st, 0, collect_day, got), HY_OK);
    ASSERT_STR_EQ(got, "410122105||3|12|113.8910|34.7540|2026-05-30T03:12:44Z|"
                       "2026-05-30T17:30:00Z;");

    /* CSV for Excel: a BOM, the header, codes kept as text */
    snprintf(out, sizeof(out), "%s/summary.csv", hy_test_tmpdir("store"));
    ASSERT_EQ(hy_store_summary_write(st, 1, out, err, sizeof(err)), HY_OK);
    f = fopen(out, "rb");
    REQUIRE(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    {
        static const char head[] = "\xef\xbb\xbf"
                                   "county,township_code,township,day,kind,detections,pixels,"
                                   "area_m2,area_mu,first_utc,last_utc,lon,lat\r\n";
        ASSERT_TRUE(memcmp(buf, head, sizeof(head) - 1) == 0);
    }
    ASSERT_CONTAINS(buf, "中牟县,\"410122105\",白沙镇,2026-05-30,fire,");
    /* 30 May: 2 fires of 1800 m2, 3600 m2 = 5.4 mu (1 mu = 10000/15 m2) */
    ASSERT_CONTAINS(buf, ",3600,5.4,2026-05-30T03:12:44Z,2026-05-30T15:59:59Z,113.891");

    /* GeoJSON for QGIS: one point per row at the mean position */
    snprintf(out, sizeof(out), "%s/summary.geojson", hy_test_tmpdir("store"));
    ASSERT_EQ(hy_store_summary_write(st, 1, out, err, sizeof(err)), HY_OK);
    {
        GDALDatasetH ds = GDALOpenEx(out, GDAL_OF_VECTOR, NULL, NULL, NULL);
        OGRLayerH l;
        OGRFeatureH ft;
        REQUIRE(ds);
        l = GDALDatasetGetLayer(ds, 0);
        ASSERT_EQ(OGR_L_GetFeatureCount(l, 1), 2);
        ft = OGR_L_GetNextFeature(l);
        REQUIRE(ft);
        ASSERT_NEAR(OGR_G_GetX(OGR_F_GetGeometryRef(ft), 0), 113.891, 1e-7);
        ASSERT_NEAR(OGR_G_GetY(OGR_F_GetGeometryRef(ft), 0), 34.754, 1e-7);
        ASSERT_EQ(OGR_F_GetFieldAsInteger(ft, OGR_F_GetFieldIndex(ft, "detections")), 2);
        OGR_F_Destroy(ft);
        GDALClose(ds);
    }
    f = fopen(out, "rb"); /* (OGR reads the day back as a date, printed 2026/05/30) */
    REQUIRE(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    ASSERT_CONTAINS(buf, "\"day\": \"2026-05-30\"");
    snprintf(out, sizeof(out), "%s/summary.xlsx", hy_test_tmpdir("store"));
    ASSERT_EQ(hy_store_summary_write(st, 1, out, err, sizeof(err)), HY_EINVAL);
    ASSERT_CONTAINS(err, "summary.xlsx: the summary is written as CSV or GeoJSON");
    hy_store_close(st);
}

static int count_event(void *user, const hy_event *ev)
{
    (void)ev;
    ++*(int64_t *)user;
    return 0;
}

typedef struct ids {
    int64_t v[16];
    int n;
} ids;

static int collect_event(void *user, const hy_event *ev)
{
    ids *x = user;
    if (x->n < 16)
        x->v[x->n++] = ev->id;
    return 0;
}

static int collect_id(void *user, int64_t id)
{
    ids *x = user;
    if (x->n < 16)
        x->v[x->n++] = id;
    return 0;
}

static int collect_change(void *user, const hy_event_change *c)
{
    char *buf = user;
    size_t n = strlen(buf);
    snprintf(buf + n, 2048 - n, "%s|%s|%s>%s|%s\n", c->actor, c->action, c->from_state, c->to_state,
             c->note);
    return 0;
}

/* A detection of kind at lon, lat (NaN: not placed) from source at t seconds after T0. */
static hy_detection at(hy_kind kind, const char *source, double lon, double lat, double t)
{
    hy_detection d = sample_satellite();
    d.kind = kind;
    snprintf(d.source_id, sizeof(d.source_id), "%s", source);
    d.lon = lon;
    d.lat = lat;
    d.time = 1780110764000000LL + (int64_t)(t * 1e6);
    d.static_source = 0;
    return d;
}

/* The lifecycle's legal moves, listed from the issue: new -> dispatched -> acknowledged ->
 * on_site -> resolved -> verified, and false_alarm from any open state, then verified. */
static void test_event_lifecycle(void)
{
    static const int legal[][2] = {
        {HY_EVENT_NEW, HY_EVENT_DISPATCHED},           {HY_EVENT_DISPATCHED, HY_EVENT_ACKNOWLEDGED},
        {HY_EVENT_ACKNOWLEDGED, HY_EVENT_ON_SITE},     {HY_EVENT_ON_SITE, HY_EVENT_RESOLVED},
        {HY_EVENT_RESOLVED, HY_EVENT_VERIFIED},        {HY_EVENT_FALSE_ALARM, HY_EVENT_VERIFIED},
        {HY_EVENT_NEW, HY_EVENT_FALSE_ALARM},          {HY_EVENT_DISPATCHED, HY_EVENT_FALSE_ALARM},
        {HY_EVENT_ACKNOWLEDGED, HY_EVENT_FALSE_ALARM}, {HY_EVENT_ON_SITE, HY_EVENT_FALSE_ALARM}};
    int allowed = 0;
    for (int a = 0; a < HY_EVENT_STATE_COUNT; a++)
        for (int b = 0; b < HY_EVENT_STATE_COUNT; b++) {
            int want = 0;
            for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++)
                want |= legal[i][0] == a && legal[i][1] == b;
            allowed += hy_event_transition_refused((hy_event_state)a, (hy_event_state)b) == NULL;
            hy_test_check(
                (hy_event_transition_refused((hy_event_state)a, (hy_event_state)b) == NULL) == want,
                __LINE__, __FILE__, "%s -> %s", hy_event_state_name((hy_event_state)a),
                hy_event_state_name((hy_event_state)b));
        }
    ASSERT_EQ(allowed, 10);
    ASSERT_EQ(hy_event_state_parse("on_site"), HY_EVENT_ON_SITE);
    ASSERT_EQ(hy_event_state_parse("closed"), -1);
}

/* Detections into events (rules: 1000 m, 7200 s), worked by hand:
 * - A fire at (113.8890, 34.7520) at T0 starts event 1, suspected;
 * - B, a fire 0.001 deg east (0.001 x cos 34.752 deg x 111195 m = 91.4 m) 600 s later, joins
 *   it and confirms it: mean position 113.8895;
 * - C, smoke at A's place: another kind, event 2;
 * - D, a fire 0.018 deg north (2001.5 m): event 3;
 * - E, a fire at the mean 7801 s after T0: event 1 spans T0..T0 + 600 s, 7201 s from it: event 4;
 * - F and G, camera cam-a without a ground fix 10 s apart: one event (5), confirmed;
 *   H from cam-b: event 6;
 * - I, a static hot source: stored, no event. */
static void test_events(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512], hist[2048] = "";
    hy_store *st = NULL;
    hy_event ev;
    hy_event_filter f;
    ids got = {{0}, 0};
    int64_t id = 0, n = 0;
    hy_detection d[9];
    d[0] = at(HY_KIND_FIRE, "LC09_A", 113.8890, 34.7520, 0);
    d[1] = at(HY_KIND_FIRE, "LC09_B", 113.8900, 34.7520, 600);
    d[2] = at(HY_KIND_SMOKE, "cam-a", 113.8890, 34.7520, 0);
    d[3] = at(HY_KIND_FIRE, "LC09_A", 113.8890, 34.7700, 0);
    d[4] = at(HY_KIND_FIRE, "LC09_C", 113.8895, 34.7520, 7801);
    d[5] = at(HY_KIND_FIRE, "cam-a", NAN, NAN, 0);
    d[6] = at(HY_KIND_FIRE, "cam-a", NAN, NAN, 10);
    d[7] = at(HY_KIND_FIRE, "cam-b", NAN, NAN, 10);
    d[8] = at(HY_KIND_FIRE, "LC09_A", 113.8890, 34.7520, 0);
    d[8].static_source = 1;
    for (int i = 5; i < 8; i++)
        d[i].township_code[0] = d[i].township_name[0] = d[i].township_county[0] = '\0';

    snprintf(path, sizeof(path), "%s/events.db", hy_test_tmpdir("store"));
    remove(path);
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_add(st, d, 2, &id), HY_OK); /* A and B in one call */
    ASSERT_EQ(hy_store_add(st, d + 2, 7, NULL), HY_OK);
    ASSERT_EQ(hy_store_events(st, NULL, count_event, &n), HY_OK);
    ASSERT_EQ(n, 6);

    ASSERT_EQ(hy_store_event_get(st, 1, &ev), HY_OK);
    ASSERT_EQ(ev.kind, HY_KIND_FIRE);
    ASSERT_EQ(ev.state, HY_EVENT_NEW);
    ASSERT_EQ(ev.confirmed, 1);
    ASSERT_EQ(ev.detections, 2);
    ASSERT_NEAR(ev.lon, 113.8895, 1e-12);
    ASSERT_NEAR(ev.lat, 34.7520, 1e-12);
    ASSERT_EQ(ev.first_time, d[0].time);
    ASSERT_EQ(ev.last_time, d[1].time);
    ASSERT_STR_EQ(ev.township_code, "410122105");
    ASSERT_STR_EQ(ev.township_county, "中牟县");
    ASSERT_EQ(hy_store_event_detections(st, 1, collect_id, &got), HY_OK);
    ASSERT_EQ(got.n, 2);
    ASSERT_EQ(got.v[0], id);
    ASSERT_EQ(got.v[1], id + 1);
    ASSERT_EQ(hy_store_event_get(st, 2, &ev), HY_OK);
    ASSERT_EQ(ev.kind, HY_KIND_SMOKE);
    ASSERT_EQ(ev.confirmed, 0);
    ASSERT_EQ(hy_store_event_get(st, 3, &ev), HY_OK);
    ASSERT_NEAR(ev.lat, 34.77, 1e-12);
    ASSERT_EQ(hy_store_event_get(st, 4, &ev), HY_OK);
    ASSERT_EQ(ev.first_time, d[4].time);
    ASSERT_EQ(ev.detections, 1);
    ASSERT_EQ(hy_store_event_get(st, 5, &ev), HY_OK);
    ASSERT_STR_EQ(ev.source_id, "cam-a");
    ASSERT_EQ(ev.detections, 2);
    ASSERT_EQ(ev.confirmed, 1);
    ASSERT_TRUE(isnan(ev.lon));
    ASSERT_EQ(hy_store_event_get(st, 6, &ev), HY_OK);
    ASSERT_STR_EQ(ev.source_id, "cam-b");
    ASSERT_EQ(hy_store_event_get(st, 7, &ev), HY_ENOTFOUND);
    ASSERT_CONTAINS(hy_store_errmsg(st), "no event 7");

    /* filters: newest first */
    hy_event_filter_init(&f);
    f.township_code = "410122105";
    f.kind = HY_KIND_FIRE;
    got.n = 0;
    ASSERT_EQ(hy_store_events(st, &f, collect_event, &got), HY_OK);
    ASSERT_EQ(got.n, 3); /* 4 (T0 + 7801 s), 1 (T0 + 600 s), 3 (T0) */
    ASSERT_EQ(got.v[0], 4);
    ASSERT_EQ(got.v[1], 1);
    ASSERT_EQ(got.v[2], 3);

    /* the lifecycle, through the store */
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_ACKNOWLEDGED, "officer-wang", NULL),
              HY_ESTATE);
    ASSERT_CONTAINS(hy_store_errmsg(st), "event 1: new -> acknowledged refused: only a "
                                         "dispatched event is acknowledged");
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_DISPATCHED, "", NULL), HY_EINVAL);
    ASSERT_EQ(hy_store_event_transition(st, 99, HY_EVENT_DISPATCHED, "x", NULL), HY_ENOTFOUND);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_DISPATCHED, "analyst-li", "to 白沙镇"),
              HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_ACKNOWLEDGED, "officer-wang", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_ON_SITE, "officer-wang", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_RESOLVED, "officer-wang", "put out"),
              HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_VERIFIED, "analyst-li", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_FALSE_ALARM, "analyst-li", NULL),
              HY_ESTATE);
    ASSERT_EQ(hy_store_event_history(st, 1, collect_change, hist), HY_OK);
    ASSERT_STR_EQ(hist, "huoyan|created|>new|detection 1: landsat8 fire LC09_A\n"
                        "huoyan|detection|>|detection 2: landsat8 fire LC09_B\n"
                        "huoyan|confirmed|>|a second detection\n"
                        "analyst-li|transition|new>dispatched|to 白沙镇\n"
                        "officer-wang|transition|dispatched>acknowledged|\n"
                        "officer-wang|transition|acknowledged>on_site|\n"
                        "officer-wang|transition|on_site>resolved|put out\n"
                        "analyst-li|transition|resolved>verified|\n");
    /* a closed event takes no more detections: A's place and time again starts event 7 */
    ASSERT_EQ(hy_store_add(st, d, 1, &id), HY_OK);
    ASSERT_EQ(hy_store_event_get(st, 7, &ev), HY_OK);
    ASSERT_EQ(ev.detections, 1);

    /* a person confirms the suspected smoke; twice is refused */
    ASSERT_EQ(hy_store_event_confirm(st, 2, "analyst-li", "smoke seen on the camera"), HY_OK);
    ASSERT_EQ(hy_store_event_confirm(st, 2, "analyst-li", NULL), HY_ESTATE);
    ASSERT_CONTAINS(hy_store_errmsg(st), "already confirmed");
    ASSERT_EQ(hy_store_event_get(st, 2, &ev), HY_OK);
    ASSERT_EQ(ev.confirmed, 1);

    /* escalation: nothing is 15 minutes old yet; 16 minutes on, the 6 events still new (2..7;
     * 1 is closed) escalate once, to their county */
    ASSERT_EQ(hy_store_escalate(st, hy_time_now(), 15, NULL, NULL, &n), HY_OK);
    ASSERT_EQ(n, 0);
    ASSERT_EQ(hy_store_event_transition(st, 3, HY_EVENT_DISPATCHED, "analyst-li", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 4, HY_EVENT_DISPATCHED, "analyst-li", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 4, HY_EVENT_ACKNOWLEDGED, "officer-wang", NULL), HY_OK);
    got.n = 0;
    ASSERT_EQ(hy_store_escalate(st, hy_time_now() + 16 * 60000000LL, 15, collect_event, &got, &n),
              HY_OK);
    ASSERT_EQ(n, 5); /* 2, 3 (dispatched), 5, 6, 7; not 4 (acknowledged) */
    ASSERT_EQ(got.n, 5);
    ASSERT_EQ(got.v[0], 2);
    ASSERT_EQ(got.v[1], 3);
    ASSERT_EQ(got.v[4], 7);
    ASSERT_EQ(hy_store_escalate(st, hy_time_now() + 16 * 60000000LL, 15, NULL, NULL, &n), HY_OK);
    ASSERT_EQ(n, 0);
    hist[0] = '\0';
    ASSERT_EQ(hy_store_event_history(st, 3, collect_change, hist), HY_OK);
    ASSERT_CONTAINS(hist, "huoyan|escalated|dispatched>|not acknowledged within 15 min: "
                          "escalated to 中牟县\n");
    hy_store_close(st);

    /* the events survive a reopen */
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_event_get(st, 1, &ev), HY_OK);
    ASSERT_EQ(ev.state, HY_EVENT_VERIFIED);
    ASSERT_EQ(hy_store_event_get(st, 3, &ev), HY_OK);
    ASSERT_EQ(ev.escalated, 1);
    hy_store_close(st);
}

/* The folder watch's record of scenes: none, then done, then replaced by failed. */
static void test_scenes(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512], state[16] = "";
    hy_store *st = NULL;
    int64_t size = 0, mtime = 0;
    snprintf(path, sizeof(path), "%s/scenes.db", hy_test_tmpdir("store"));
    remove(path);
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_scene_get(st, "/in/LC08_X", &size, &mtime, state, sizeof(state)),
              HY_ENOTFOUND);
    ASSERT_EQ(hy_store_scene_put(st, "/in/LC08_X", 4096, 1780110764000000LL, "done", NULL), HY_OK);
    ASSERT_EQ(hy_store_scene_get(st, "/in/LC08_X", &size, &mtime, state, sizeof(state)), HY_OK);
    ASSERT_EQ(size, 4096);
    ASSERT_EQ(mtime, 1780110764000000LL);
    ASSERT_STR_EQ(state, "done");
    ASSERT_EQ(hy_store_scene_put(st, "/in/LC08_X", 5000, 1780110765000000LL, "failed", "bad"),
              HY_OK);
    ASSERT_EQ(hy_store_scene_get(st, "/in/LC08_X", &size, NULL, state, sizeof(state)), HY_OK);
    ASSERT_EQ(size, 5000);
    ASSERT_STR_EQ(state, "failed");
    hy_store_close(st);
}

/* HMAC-SHA256 against RFC 4231's test cases 1 and 2. */
static void test_hmac(void)
{
    char hex[65];
    const char key1[] =
        "\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b\x0b";
    hy_hmac_sha256_hex(key1, "Hi There", 8, hex);
    ASSERT_STR_EQ(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    hy_hmac_sha256_hex("Jefe", "what do ya want for nothing?", 28, hex);
    ASSERT_STR_EQ(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

typedef struct sent {
    char keys[32][64], sinks[32][64];
    int n;
    int fail_b; /* sink "b" refuses */
} sent;

static int fake_send(void *user, const hy_outbox_item *it, char *err, size_t err_size)
{
    sent *s = user;
    if (s->n < 32) {
        snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", it->key);
        snprintf(s->sinks[s->n], sizeof(s->sinks[0]), "%s", it->sink);
        s->n++;
    }
    if (s->fail_b && strcmp(it->sink, "b") == 0) {
        snprintf(err, err_size, "HTTP 503");
        return 1;
    }
    return 0;
}

static int collect_delivery(void *user, const hy_delivery *d)
{
    char *buf = user;
    size_t n = strlen(buf);
    snprintf(buf + n, 1024 - n, "%s|%s|%d|%s\n", d->sink, d->state, d->attempts, d->last_error);
    return 0;
}

static int64_t next_attempt(const char *path, int64_t id)
{
    sqlite3 *db;
    sqlite3_stmt *q;
    int64_t t = -1;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    if (sqlite3_prepare_v2(db, "SELECT next_attempt_us FROM outbox WHERE id = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(q, 1, id);
        if (sqlite3_step(q) == SQLITE_ROW)
            t = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
    }
    sqlite3_close(db);
    return t;
}

/* The outbox: sink "a" takes every event, "b" only 410122105's. A fire in 410122105 queues its
 * creation for both; one in 410122999 for "a" only. With "b" refusing: "a" gets both, "b"
 * fails, is not tried again before its wait (the first: backoff_s 10 s +-20 %), is tried
 * again after it with the same key, waits twice as long (20 s +-20 %), and is dead at its
 * third failure (max_attempts 3). Nothing is queued without sinks. */
static void test_outbox(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512], dl[1024] = "";
    const char *only[] = {"410122105"};
    const hy_sink_route routes[] = {{"a", NULL, 0, 0}, {"b", only, 1, 0}};
    hy_store *st = NULL;
    hy_outbox_policy p;
    hy_outbox_stats stats;
    sent s;
    int64_t pending = -1, delivered = -1, dead = -1, due = -1, t0, w;
    hy_detection d[2];
    d[0] = at(HY_KIND_FIRE, "LC09_A", 113.8890, 34.7520, 0);
    d[1] = at(HY_KIND_FIRE, "LC09_A", 114.5, 34.2, 0);
    snprintf(d[1].township_code, sizeof(d[1].township_code), "410122999");
    memset(&s, 0, sizeof(s));
    s.fail_b = 1;

    snprintf(path, sizeof(path), "%s/outbox.db", hy_test_tmpdir("store"));
    remove(path);
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_add(st, d, 1, NULL), HY_OK); /* no sinks yet: nothing queued */
    ASSERT_EQ(hy_outbox_counts(st, &pending, &delivered, &dead, &due), HY_OK);
    ASSERT_EQ(pending, 0);
    ASSERT_EQ(due, 0);
    ASSERT_EQ(hy_store_set_sinks(st, routes, 2), HY_OK);
    ASSERT_EQ(hy_store_add(st, d, 2, NULL), HY_OK);
    /* d[0] joins event 1 (a detection and its confirmation: 2 changes, each for a and b); d[1]
     * creates event 2 (1 change, for a only) */
    ASSERT_EQ(hy_outbox_counts(st, &pending, &delivered, &dead, &due), HY_OK);
    ASSERT_EQ(pending, 5);
    hy_outbox_policy_init(&p);
    p.max_attempts = 3;
    p.backoff_s = 10;
    p.backoff_max_s = 600;
    t0 = hy_time_now();
    ASSERT_EQ(hy_outbox_run(st, t0, &p, 0, fake_send, &s, &stats), HY_OK);
    ASSERT_EQ(s.n, 5);
    ASSERT_EQ(stats.delivered, 3);
    ASSERT_EQ(stats.failed, 2);
    ASSERT_EQ(stats.dead, 0);
    ASSERT_STR_EQ(s.keys[0], "huoyan-1-2"); /* event 1's second change, the detection */
    ASSERT_STR_EQ(s.sinks[0], "a");
    ASSERT_STR_EQ(s.sinks[1], "b");
    ASSERT_STR_EQ(s.keys[1], "huoyan-1-2");
    ASSERT_STR_EQ(s.keys[4], "huoyan-2-4");
    ASSERT_STR_EQ(s.sinks[4], "a");
    w = next_attempt(path, 2) - t0; /* outbox row 2: b's first failure */
    ASSERT_TRUE(w >= 8000000 && w < 12000000);
    /* nothing is due before the wait */
    s.n = 0;
    ASSERT_EQ(hy_outbox_run(st, t0 + 7000000, &p, 0, fake_send, &s, &stats), HY_OK);
    ASSERT_EQ(s.n, 0);
    ASSERT_EQ(hy_outbox_run(st, t0 + 12000000, &p, 0, fake_send, &s, &stats), HY_OK);
    ASSERT_EQ(s.n, 2);
    ASSERT_STR_EQ(s.keys[0], "huoyan-1-2"); /* the same key on the second try */
    w = next_attempt(path, 2) - (t0 + 12000000);
    ASSERT_TRUE(w >= 16000000 && w < 24000000);
    ASSERT_EQ(hy_outbox_run(st, t0 + 40000000, &p, 0, fake_send, &s, &stats), HY_OK);
    ASSERT_EQ(stats.dead, 2);
    ASSERT_EQ(hy_outbox_counts(st, &pending, &delivered, &dead, &due), HY_OK);
    ASSERT_EQ(pending, 0);
    ASSERT_EQ(delivered, 3);
    ASSERT_EQ(dead, 2);
    ASSERT_EQ(hy_store_event_deliveries(st, 1, collect_delivery, dl), HY_OK);
    ASSERT_STR_EQ(dl, "a|delivered|1|\nb|dead|3|HTTP 503\na|delivered|1|\nb|dead|3|HTTP 503\n");
    /* a move is queued too, in its own transaction, and delivered */
    ASSERT_EQ(hy_store_event_transition(st, 2, HY_EVENT_DISPATCHED, "analyst-li", NULL), HY_OK);
    s.n = 0;
    s.fail_b = 0;
    ASSERT_EQ(hy_outbox_run(st, t0 + 41000000, &p, 0, fake_send, &s, &stats), HY_OK);
    ASSERT_EQ(s.n, 1);
    ASSERT_STR_EQ(s.sinks[0], "a");
    ASSERT_EQ(hy_store_set_sinks(st, routes, 0), HY_OK);
    hy_store_close(st);
}

/* Write text to a file in the test folder and validate it against OASIS's CAP 1.2 schema with
 * xmllint; 1 when it validates. */
static int cap_valid(const char *name, const char *xml)
{
    char path[1024], cmd[3072];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", hy_test_tmpdir("cap"), name);
    if (!xml || !(f = fopen(path, "wb")))
        return 0;
    fputs(xml, f);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "xmllint --noout --schema '%s' '%s' > /dev/null 2>&1",
             HY_DATA("alerts/CAP-v1.2.xsd"), path);
    return system(cmd) == 0;
}

/* CAP 1.2: a suspected fire's creation is an Alert (certainty Possible, Beijing time, the 1 km
 * circle at lat,lon and the township's adcode); its confirmation an Update referring to the
 * creation; a false_alarm a Cancel; a bare-soil event outside every township, with no
 * position, still valid. Each validates against CAP-v1.2.xsd; names are escaped. */
static void test_cap(void)
{
    hy_event ev;
    hy_event_change c = {1780110764000000LL, "huoyan", "created", "", "new", "detection 1 <&>"};
    char *x;
    memset(&ev, 0, sizeof(ev));
    ev.id = 7;
    ev.kind = HY_KIND_FIRE;
    ev.state = HY_EVENT_NEW;
    snprintf(ev.township_code, sizeof(ev.township_code), "410122105");
    snprintf(ev.township_name, sizeof(ev.township_name), "白沙镇");
    snprintf(ev.township_county, sizeof(ev.township_county), "中牟县");
    ev.lon = 113.889, ev.lat = 34.752;
    ev.detections = 1;
    ev.created_at = ev.updated_at = 1780110764000000LL; /* 2026-05-30T03:12:44Z */
    x = hy_event_cap(&ev, &c, "huoyan-7-1", "huoyan-7-1");
    REQUIRE(x);
    ASSERT_TRUE(cap_valid("created.xml", x));
    ASSERT_CONTAINS(x, "<sent>2026-05-30T11:12:44+08:00</sent>");
    ASSERT_CONTAINS(x, "<msgType>Alert</msgType>");
    ASSERT_CONTAINS(x, "<certainty>Possible</certainty>");
    ASSERT_CONTAINS(x, "<circle>34.75200,113.88900 1.0</circle>");
    ASSERT_CONTAINS(x, "<geocode><valueName>CN-adcode</valueName><value>410122105</value>");
    ASSERT_CONTAINS(x, "<areaDesc>中牟县白沙镇</areaDesc>");
    ASSERT_CONTAINS(x, "detection 1 &lt;&amp;&gt;");
    ASSERT_TRUE(strstr(x, "<references>") == NULL);
    free(x);

    ev.confirmed = 1;
    ev.detections = 2;
    c.time += 600000000;
    c.action = "confirmed", c.to_state = "", c.note = "a second detection";
    x = hy_event_cap(&ev, &c, "huoyan-7-3", "huoyan-7-1");
    REQUIRE(x);
    ASSERT_TRUE(cap_valid("confirmed.xml", x));
    ASSERT_CONTAINS(x, "<msgType>Update</msgType>");
    ASSERT_CONTAINS(x, "<references>huoyan,huoyan-7-1,2026-05-30T11:12:44+08:00</references>");
    ASSERT_CONTAINS(x, "<certainty>Observed</certainty>");
    free(x);

    ev.state = HY_EVENT_FALSE_ALARM;
    c.action = "transition", c.from_state = "new", c.to_state = "false_alarm",
    c.actor = "analyst-li";
    x = hy_event_cap(&ev, &c, "huoyan-7-4", "huoyan-7-1");
    REQUIRE(x);
    ASSERT_TRUE(cap_valid("cancel.xml", x));
    ASSERT_CONTAINS(x, "<msgType>Cancel</msgType>");
    ASSERT_CONTAINS(x, "<responseType>AllClear</responseType>");
    free(x);

    memset(ev.township_code, 0, sizeof(ev.township_code));
    ev.township_name[0] = ev.township_county[0] = '\0';
    ev.kind = HY_KIND_BARE_SOIL;
    ev.lon = ev.lat = NAN;
    c.action = "created", c.from_state = "", c.to_state = "new";
    x = hy_event_cap(&ev, &c, "huoyan-8-9", "huoyan-8-9");
    REQUIRE(x);
    ASSERT_TRUE(cap_valid("bare.xml", x));
    ASSERT_CONTAINS(x, "<category>Env</category>");
    ASSERT_TRUE(strstr(x, "<circle>") == NULL);
    free(x);
    /* and the schema does refuse: a message without its identifier */
    ASSERT_TRUE(!cap_valid("broken.xml",
                           "<?xml version=\"1.0\"?><alert xmlns=\"urn:oasis:"
                           "names:tc:emergency:cap:1.2\"><sender>x</sender></alert>"));
}

/* MQTT topics from templates, by hand; a '/', '+' or '#' in a value becomes '_'. */
static void test_mqtt_topic(void)
{
    hy_event ev;
    char t[128];
    memset(&ev, 0, sizeof(ev));
    ev.kind = HY_KIND_SMOKE;
    hy_mqtt_topic("huoyan/{county}/{township}", &ev, t, sizeof(t));
    ASSERT_STR_EQ(t, "huoyan/unknown/unknown");
    snprintf(ev.township_code, sizeof(ev.township_code), "410122105");
    snprintf(ev.township_name, sizeof(ev.township_name), "白沙镇");
    snprintf(ev.township_county, sizeof(ev.township_county), "中牟县");
    hy_mqtt_topic("huoyan/{county}/{township}", &ev, t, sizeof(t));
    ASSERT_STR_EQ(t, "huoyan/中牟县/410122105");
    hy_mqtt_topic("a/{township_name}/{kind}/{other}", &ev, t, sizeof(t));
    ASSERT_STR_EQ(t, "a/白沙镇/smoke/{other}");
    snprintf(ev.township_name, sizeof(ev.township_name), "x/+#");
    hy_mqtt_topic("{township_name}", &ev, t, sizeof(t));
    ASSERT_STR_EQ(t, "x___");
    hy_mqtt_topic("huoyan/{township}", &ev, t, 10); /* cut to the buffer */
    ASSERT_STR_EQ(t, "huoyan/41");
}

/* Version 1's schema, as released: the migration must carry its rows to version 2. */
static void test_migration(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512];
    hy_store *st = NULL;
    hy_detection out;
    sqlite3 *db;
    snprintf(path, sizeof(path), "%s/v1.db", hy_test_tmpdir("store"));
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db,
                         "CREATE TABLE detections (id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
                         " source_type TEXT NOT NULL, source_id TEXT NOT NULL, sensor TEXT NOT "
                         "NULL, time_us INTEGER, frame INTEGER, bbox_x INTEGER NOT NULL, bbox_y "
                         "INTEGER NOT NULL, bbox_w INTEGER NOT NULL, bbox_h INTEGER NOT NULL,"
                         " pixels INTEGER NOT NULL, px REAL, py REAL, confidence REAL, tests "
                         "TEXT NOT NULL DEFAULT '', lon REAL, lat REAL, township_code TEXT NOT "
                         "NULL DEFAULT '', township_name TEXT NOT NULL DEFAULT '', "
                         "township_county TEXT NOT NULL DEFAULT '', stored_at_us INTEGER NOT "
                         "NULL);"
                         "INSERT INTO detections VALUES (7, 'fire', 'satellite', 'old-scene', "
                         "'landsat9', 1780110764000000, NULL, 1, 2, 3, 4, 12, 2.5, 4, 0.9, "
                         "'unambiguous1', 113.5, 34.5, '410122105', '白沙镇', '中牟县', 0);"
                         "PRAGMA user_version = 1;",
                         NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);

    hy_test_log_clear();
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_OK);
    REQUIRE(st);
    ASSERT_EQ(hy_store_schema_version(st), 11);
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 11");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 10");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 9");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 8");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 2");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 3");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 4");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 5");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 6");
    ASSERT_CONTAINS(hy_test_log(), "migrated to version 7");
    ASSERT_EQ(hy_store_get(st, 7, &out), HY_OK);
    ASSERT_STR_EQ(out.source_id, "old-scene");
    ASSERT_EQ(out.sensor, HY_SENSOR_LANDSAT9);
    ASSERT_EQ(out.bbox[3], 4);
    ASSERT_NEAR(out.lon, 113.5, 0);
    ASSERT_STR_EQ(out.township_name, "白沙镇");
    ASSERT_TRUE(isnan(out.area_m2)); /* a column version 2 added: empty for old rows */
    ASSERT_TRUE(out.frame == -1);
    ASSERT_EQ(out.static_source, 0);           /* version 3's column defaults to 0 for old rows */
    ASSERT_TRUE(isnan(out.swir2_max));         /* version 4's: empty */
    ASSERT_NEAR(out.township_outside_m, 0, 0); /* version 5's: inside, for old rows */
    ASSERT_TRUE(isnan(out.bt11_k) && isnan(out.scan_km)); /* version 6's: empty */
    ASSERT_EQ(out.daynight, 0);
    ASSERT_STR_EQ(out.evidence, ""); /* version 7's: none */
    {
        /* version 8's events: none for rows stored before them */
        int64_t n = -1;
        hy_event_filter f;
        hy_event_filter_init(&f);
        ASSERT_EQ(hy_store_events(st, &f, count_event, &n), HY_OK);
        ASSERT_EQ(n, -1);
    }
    hy_store_close(st);

    /* a file from a newer huoyan is refused and left alone */
    REQUIRE(sqlite3_open(path, &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    st = (hy_store *)1;
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_EDB);
    ASSERT_TRUE(st == NULL);
    ASSERT_CONTAINS(err, "schema version 99 is newer");

    /* not a database at all */
    snprintf(path, sizeof(path), "%s/junk.db", hy_test_tmpdir("store"));
    {
        FILE *f = fopen(path, "w");
        REQUIRE(f);
        fputs("this is not an SQLite file, but it is long enough to have a header.........\n", f);
        fclose(f);
    }
    ASSERT_EQ(hy_store_open(ctx, path, &st, err, sizeof(err)), HY_EDB);
    ASSERT_CONTAINS(err, "junk.db");
}

static void test_json_line(void)
{
    hy_detection d = sample_satellite();
    hy_detection c = sample_camera();
    char *s = hy_detection_json(&d);
    /* DESIGN.md's contract, written out by hand for this detection */
    ASSERT_STR_EQ(s, "{\"kind\":\"fire\",\"source\":{\"type\":\"satellite\",\"id\":"
                     "\"LC08_L1TP_124036_20260530_20260530_02_T1\",\"sensor\":\"landsat8\"},"
                     "\"time\":\"2026-05-30T03:12:44Z\",\"bbox\":[100,80,3,2],\"pixels\":6,"
                     "\"lon\":113.889,\"lat\":34.752,\"township\":{\"code\":\"410122105\","
                     "\"name\":\"白沙镇\",\"county\":\"中牟县\"},\"confidence\":0.87,"
                     "\"area_m2\":1800.0,\"frp_mw\":12.5,\"swir2_max\":0.7960045,"
                     "\"swir2_mean\":0.61,\"r75_max\":3.2423,"
                     "\"tests\":\"unambiguous1,candidate\",\"static_source\":true}");
    free(s);
    /* a camera hit without time or ground fix leaves those fields out; its evidence picture */
    s = hy_detection_json(&c);
    ASSERT_STR_EQ(s, "{\"kind\":\"smoke\",\"source\":{\"type\":\"camera\",\"id\":"
                     "\"zm-baisha-01\",\"sensor\":\"camera\"},\"frame\":123,"
                     "\"bbox\":[640,300,48,96],\"pixels\":2100,\"confidence\":0.5,"
                     "\"bearing_deg\":121.5,"
                     "\"evidence\":\"/var/lib/huoyan/evidence/zm-baisha-01-123-smoke.jpg\"}");
    free(s);
    /* outside every township, given the nearest: the township says how far, to 0.1 m */
    d.township_outside_m = 554.46;
    s = hy_detection_json(&d);
    ASSERT_CONTAINS(s, "\"township\":{\"code\":\"410122105\",\"name\":\"白沙镇\",\"county\":"
                       "\"中牟县\",\"outside_m\":554.5}");
    free(s);
}

static void test_geojson(void)
{
    hy_detection d[2] = {sample_satellite(), sample_camera()};
    char path[1024], err[512];
    json_t *fc, *f0, *f1;
    json_error_t jerr;
    snprintf(path, sizeof(path), "%s/out.geojson", hy_test_tmpdir("geojson"));
    ASSERT_EQ(hy_geojson_write(path, d, 2, err, sizeof(err)), HY_OK);
    fc = json_load_file(path, 0, &jerr);
    REQUIRE(fc);
    ASSERT_STR_EQ(json_string_value(json_object_get(fc, "type")), "FeatureCollection");
    ASSERT_EQ(json_array_size(json_object_get(fc, "features")), 2);
    f0 = json_array_get(json_object_get(fc, "features"), 0);
    f1 = json_array_get(json_object_get(fc, "features"), 1);
    /* RFC 7946: longitude first */
    ASSERT_NEAR(json_real_value(json_array_get(
                    json_object_get(json_object_get(f0, "geometry"), "coordinates"), 0)),
                113.889, 1e-9);
    ASSERT_NEAR(json_real_value(json_array_get(
                    json_object_get(json_object_get(f0, "geometry"), "coordinates"), 1)),
                34.752, 1e-9);
    ASSERT_STR_EQ(json_string_value(json_object_get(
                      json_object_get(json_object_get(f0, "properties"), "township"), "code")),
                  "410122105");
    ASSERT_TRUE(json_is_null(json_object_get(f1, "geometry")));
    ASSERT_EQ(json_integer_value(json_object_get(json_object_get(f1, "properties"), "frame")), 123);
    json_decref(fc);
    ASSERT_EQ(hy_geojson_write("/nonexistent/dir/out.geojson", d, 2, err, sizeof(err)), HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/dir/out.geojson");
}

static void test_gpkg(void)
{
    hy_detection d[2] = {sample_satellite(), sample_camera()};
    char path[1024], err[512];
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH f;
    OGRGeometryH g;
    int y, mo, dd, h, mi, tz;
    float sec;
    snprintf(path, sizeof(path), "%s/out.gpkg", hy_test_tmpdir("gpkg"));
    ASSERT_EQ(hy_gpkg_write(path, "detections", d, 2, err, sizeof(err)), HY_OK);
    /* read it back with OGR, as QGIS would */
    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    REQUIRE(ds);
    layer = GDALDatasetGetLayerByName(ds, "detections");
    REQUIRE(layer);
    ASSERT_EQ(OGR_L_GetFeatureCount(layer, TRUE), 2);
    OGR_L_ResetReading(layer);
    f = OGR_L_GetNextFeature(layer);
    REQUIRE(f);
    g = OGR_F_GetGeometryRef(f);
    REQUIRE(g);
    ASSERT_NEAR(OGR_G_GetX(g, 0), 113.889, 1e-12);
    ASSERT_NEAR(OGR_G_GetY(g, 0), 34.752, 1e-12);
    ASSERT_STR_EQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "township_name")), "白沙镇");
    ASSERT_STR_EQ(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "sensor")), "landsat8");
    ASSERT_NEAR(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "frp_mw")), 12.5, 0);
    ASSERT_TRUE(OGR_F_IsFieldNull(f, OGR_F_GetFieldIndex(f, "frame")));
    ASSERT_EQ(OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "static_source")), 1);
    ASSERT_TRUE(OGR_F_GetFieldAsDateTimeEx(f, OGR_F_GetFieldIndex(f, "time"), &y, &mo, &dd, &h, &mi,
                                           &sec, &tz));
    ASSERT_EQ(y, 2026);
    ASSERT_EQ(h, 3);
    ASSERT_EQ(mi, 12);
    ASSERT_NEAR(sec, 44, 1e-3);
    ASSERT_EQ(tz, 100); /* UTC */
    OGR_F_Destroy(f);
    f = OGR_L_GetNextFeature(layer);
    REQUIRE(f);
    ASSERT_TRUE(OGR_F_GetGeometryRef(f) == NULL); /* camera hit without a ground fix */
    ASSERT_EQ(OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "frame")), 123);
    ASSERT_TRUE(OGR_F_IsFieldNull(f, OGR_F_GetFieldIndex(f, "time")));
    ASSERT_NEAR(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "bearing_deg")), 121.5, 0);
    OGR_F_Destroy(f);
    GDALClose(ds);
    ASSERT_EQ(hy_gpkg_write("/nonexistent/dir/x.gpkg", "detections", d, 2, err, sizeof(err)),
              HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/dir/x.gpkg");
}

static void test_report_cn(void)
{
    hy_detection d[2] = {sample_satellite(), sample_camera()};
    char path[1024], err[512], text[2048] = "";
    FILE *f;
    size_t got;
    snprintf(path, sizeof(path), "%s/report.csv", hy_test_tmpdir("report"));
    ASSERT_EQ(hy_report_cn_write(path, "郑州市", d, 2, err, sizeof(err)), HY_OK);
    f = fopen(path, "rb");
    REQUIRE(f);
    got = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[got] = '\0';
    /* Written out by hand: a UTF-8 byte order mark, the header, then the satellite fire at
     * 2026-05-30T03:12:44Z = 11:12 Beijing time, 1800 m2 = 2.7 mu (1 mu = 10000/15 m2), in the
     * static mask; then the camera hit with no place, time or area. OGR's CSV driver quotes
     * strings that look like numbers so that they stay text. CRLF line ends. */
    ASSERT_STR_EQ(text, "\xef\xbb\xbf"
                        "序号,市,县,乡镇,乡镇代码,中心经度,中心纬度,过境日期,过境时间,卫星/传感器,"
                        "像元数,面积(亩),置信度,状态\r\n"
                        "\"1\",郑州市,中牟县,白沙镇,\"410122105\",\"113.889000\",\"34.752000\","
                        "2026-05-30,11:12,Landsat-8 OLI,\"6\",\"2.7\",\"0.87\",固定热源\r\n"
                        "\"2\",郑州市,,,,,,,,视频监控,\"2100\",,\"0.50\",疑似\r\n");
    ASSERT_EQ(hy_report_cn_write("/tmp/report.txt", NULL, d, 2, err, sizeof(err)), HY_EINVAL);
    ASSERT_CONTAINS(err, "*.csv");
}

static void test_mask_cog(void)
{
    const double gt[6] = {440985, 30, 0, -2188005, 0, -30};
    const hy_fire_pixel px[] = {{0, 0, HY_FIRE_UNAMBIGUOUS1, 0.9f, 3.0f, 0},
                                {9, 7, HY_FIRE_CANDIDATE | HY_FIRE_CONTEXT, 0.3f, 2.0f, 1},
                                {4, 3, HY_FIRE_UNAMBIGUOUS2, 0.05f, 0.1f, 2}};
    char path[1024], err[512];
    GDALDatasetH ds;
    uint8_t v[80];
    double got[6];
    int nonzero = 0;
    const char *layout;
    snprintf(path, sizeof(path), "%s/mask.tif", hy_test_tmpdir("mask"));
    ASSERT_EQ(hy_mask_write_cog(path, 10, 8, gt, "EPSG:32621", px, 3, err, sizeof(err)), HY_OK);
    ds = GDALOpen(path, GA_ReadOnly);
    REQUIRE(ds);
    layout = GDALGetMetadataItem(ds, "LAYOUT", "IMAGE_STRUCTURE");
    ASSERT_STR_EQ(layout, "COG");
    ASSERT_EQ(GDALGetRasterXSize(ds), 10);
    ASSERT_EQ(GDALGetRasterYSize(ds), 8);
    REQUIRE(GDALGetGeoTransform(ds, got) == CE_None);
    for (int i = 0; i < 6; i++)
        ASSERT_NEAR(got[i], gt[i], 1e-9);
    REQUIRE(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Read, 0, 0, 10, 8, v, 10, 8, GDT_Byte, 0,
                         0) == CE_None);
    for (int i = 0; i < 80; i++)
        nonzero += v[i] != 0;
    ASSERT_EQ(nonzero, 3);
    ASSERT_EQ(v[0], 2);          /* unambiguous 1 */
    ASSERT_EQ(v[7 * 10 + 9], 9); /* candidate + context */
    ASSERT_EQ(v[3 * 10 + 4], 4); /* unambiguous 2 */
    GDALClose(ds);
}

/* Compare two files byte for byte. */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        const int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

static void test_firms(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_firms_rows rows;
    char out[1024], err[512];
    int types[4] = {0, 0, 0, 0};
    hy_detection d;
    static const char *const files[] = {
        HY_DATA("satellite/firms_germany_2023/modis_2023_Germany.csv"),
        HY_DATA("satellite/firms_germany_2023/viirs-snpp_2023_Germany.csv")};

    /* MODIS: the first row as the file has it; the type counts PROVENANCE gives */
    REQUIRE(hy_firms_read(ctx, files[0], &rows, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(rows.n, 2513);
    ASSERT_NEAR(rows.v[0].lat, 49.2474, 0);
    ASSERT_NEAR(rows.v[0].lon, 6.8438, 0);
    ASSERT_NEAR(rows.v[0].bt4_k, 300.9, 0);
    ASSERT_NEAR(rows.v[0].bt5_k, 270.8, 0);
    ASSERT_NEAR(rows.v[0].frp_mw, 9.9, 0);
    ASSERT_EQ(rows.v[0].time, 1672780500LL * 1000000); /* 2023-01-03 21:15 UTC */
    ASSERT_STR_EQ(rows.v[0].satellite, "Terra");
    ASSERT_STR_EQ(rows.v[0].confidence, "34");
    ASSERT_EQ(rows.v[0].daynight, 'N');
    for (size_t i = 0; i < rows.n; i++)
        if (rows.v[i].type >= 0 && rows.v[i].type < 4)
            types[rows.v[i].type]++;
    ASSERT_EQ(types[0], 812);
    ASSERT_EQ(types[2], 1700);
    ASSERT_EQ(types[3], 1);
    hy_firms_to_detection(&rows.v[0], "m", &d);
    ASSERT_EQ(d.sensor, HY_SENSOR_MODIS);
    ASSERT_NEAR(d.confidence, 0.34, 1e-12);
    ASSERT_EQ(d.static_source, 1);
    ASSERT_NEAR(d.area_m2, 1.1e6, 1e-3); /* scan 1.1 km x track 1 km */
    hy_firms_rows_free(ctx, &rows);

    /* Both archives written back are byte for byte the files FIRMS published: exactly its
     * columns, its precision, HHMM with leading zeros. */
    for (int f = 0; f < 2; f++) {
        snprintf(out, sizeof(out), "%s/firms%d.csv", hy_test_tmpdir("firms"), f);
        REQUIRE(hy_firms_read(ctx, files[f], &rows, err, sizeof(err)) == HY_OK);
        ASSERT_EQ(hy_firms_write(out, rows.v, rows.n, err, sizeof(err)), HY_OK);
        hy_test_check(same_bytes(files[f], out), __LINE__, __FILE__, "%s written back as it was",
                      files[f]);
        if (f == 1)
            ASSERT_EQ(rows.n, 16480);
        /* each row to a detection and back: every field but the version (and type 1,
         * volcano, which these files lack) */
        {
            size_t bad = 0;
            for (size_t i = 0; i < rows.n; i++) {
                const hy_firms_row *a = &rows.v[i];
                hy_firms_row b;
                static const struct {
                    const char *sat, *id;
                } ids[] = {{"Terra", "MOD14"}, {"Aqua", "MYD14"}, {"N", "VNP14IMG"}};
                const char *id = "";
                for (size_t k = 0; k < 3; k++)
                    if (strcmp(a->satellite, ids[k].sat) == 0)
                        id = ids[k].id;
                hy_firms_to_detection(a, id, &d);
                hy_firms_from_detection(&d, &b);
                bad += a->lat != b.lat || a->lon != b.lon || a->bt4_k != b.bt4_k ||
                       a->bt5_k != b.bt5_k || a->scan_km != b.scan_km ||
                       a->track_km != b.track_km || a->frp_mw != b.frp_mw || a->time != b.time ||
                       strcmp(a->satellite, b.satellite) != 0 ||
                       strcmp(a->instrument, b.instrument) != 0 ||
                       strcmp(a->confidence, b.confidence) != 0 || a->daynight != b.daynight ||
                       a->type != b.type;
            }
            ASSERT_EQ(bad, 0);
        }
        hy_firms_rows_free(ctx, &rows);
    }

    /* huoyan's own VIIRS and MODIS pixels as FIRMS lines, worked out by hand */
    {
        hy_detection v;
        hy_firms_row r[2];
        char line[512] = "";
        FILE *in;
        hy_detection_init(&v);
        v.sensor = HY_SENSOR_VIIRS;
        snprintf(v.source_id, sizeof(v.source_id), "VJ102IMG.A2026150.0530.021");
        v.lat = 34.540812, v.lon = 113.541, v.bt4_k = 331.25, v.bt11_k = 296.5;
        v.scan_km = 0.41, v.track_km = 0.38, v.frp_mw = 3.125, v.confidence = 0.6;
        v.time = 1780119000LL * 1000000; /* 2026-05-30T05:30:00Z */
        v.daynight = 'D';
        snprintf(v.tests, sizeof(v.tests), "day,candidate,context,water");
        hy_firms_from_detection(&v, &r[0]);
        snprintf(out, sizeof(out), "%s/own_viirs.csv", hy_test_tmpdir("firms"));
        ASSERT_EQ(hy_firms_write(out, r, 1, err, sizeof(err)), HY_OK);
        in = fopen(out, "r");
        REQUIRE(in);
        ASSERT_TRUE(fgets(line, sizeof(line), in) != NULL);
        ASSERT_STR_EQ(line, "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,"
                            "instrument,confidence,version,bright_ti5,frp,daynight,type\n");
        ASSERT_TRUE(fgets(line, sizeof(line), in) != NULL);
        ASSERT_STR_EQ(line, "34.54081,113.541,331.25,0.41,0.38,2026-05-30,0530,1,VIIRS,n,huoyan,"
                            "296.5,3.13,D,3\n");
        fclose(in);
        v.sensor = HY_SENSOR_MODIS;
        snprintf(v.source_id, sizeof(v.source_id), "MYD021KM.A2026150.0530.061");
        v.confidence = 0.5817;
        v.tests[0] = '\0';
        v.static_source = 1;
        hy_firms_from_detection(&v, &r[1]);
        ASSERT_STR_EQ(r[1].satellite, "Aqua");
        ASSERT_STR_EQ(r[1].instrument, "MODIS");
        ASSERT_STR_EQ(r[1].confidence, "58");
        ASSERT_NEAR(r[1].lat, 34.5408, 0); /* MODIS: 4 decimals, then 1 */
        ASSERT_NEAR(r[1].bt4_k, 331.3, 0);
        ASSERT_NEAR(r[1].scan_km, 0.4, 0);
        ASSERT_NEAR(r[1].frp_mw, 3.1, 0);
        ASSERT_EQ(r[1].type, 2);
    }
}

static void test_cspp(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_firms_rows rows;
    char err[512], path[1024];
    int sweden = 0;
    FILE *f;
    REQUIRE(hy_firms_read(ctx,
                          HY_DATA("satellite/viirs_cspp/AFIMG_j01_d20210414_t1126439_e1128084_"
                                  "b17637_c20210414114130392094_cspp_dev.txt"),
                          &rows, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(rows.n, 18); /* "number of fire pixels: 18" */
    for (size_t i = 0; i < rows.n; i++) {
        ASSERT_STR_EQ(rows.v[i].satellite, "1");           /* j01 = NOAA-20 */
        ASSERT_EQ(rows.v[i].time, 1618399603LL * 1000000); /* _t1126439: 11:26:43 UTC */
        /* the one point expected_result.geojson keeps for Sweden */
        if (fabs(rows.v[i].lon - 17.168163) < 1e-6 && fabs(rows.v[i].lat - 59.524834) < 1e-6) {
            sweden++;
            ASSERT_NEAR(rows.v[i].frp_mw, 14.13167953, 1e-8);
            ASSERT_NEAR(rows.v[i].bt4_k, 336.57437134, 1e-8);
            ASSERT_STR_EQ(rows.v[i].confidence, "n"); /* 8 = nominal */
        }
    }
    ASSERT_EQ(sweden, 1);
    hy_firms_rows_free(ctx, &rows);
    /* a broken line is refused with its number */
    snprintf(path, sizeof(path), "%s/bad_AFIMG.txt", hy_test_tmpdir("cspp"));
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("# Active Fires I-band EDR\n  59.1, 37.8, 331.5, 0.375, 0.375, 8, 4.6\n  59.1, 37.8\n",
          f);
    fclose(f);
    ASSERT_EQ(hy_firms_read(ctx, path, &rows, err, sizeof(err)), HY_EFORMAT);
    ASSERT_CONTAINS(err, "line 3");
    /* a CSV that is not FIRMS's */
    ASSERT_EQ(hy_firms_read(ctx,
                            HY_DATA("satellite/china_straw_points/"
                                    "straw_points_2016-08_2017-02.derived.csv"),
                            &rows, err, sizeof(err)),
              HY_EFORMAT);
    ASSERT_CONTAINS(err, "not a FIRMS CSV: no column latitude");
}

/* An evidence picture: a 40 x 30 grey frame with the box (10, 8, 12, 10): decoded again, the
 * picture is 40 x 30, the red band (2 px wide below 640 px) lies just outside the box (x 8..9),
 * the white line on its edge (x 10), the inside and the corners stay grey (JPEG: within 12). */
static void test_evidence(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image img;
    const int box[4] = {10, 8, 12, 10};
    char path[1024], err[512];
    FILE *f;
    unsigned char buf[65536], rgb[40 * 30 * 3];
    size_t n;
    int w = 0, h = 0, sub, cs;
    tjhandle tj;
    REQUIRE(hy_image_alloc(ctx, 40, 30, HY_PIX_RGBP, &img) == HY_OK);
    for (int p = 0; p < 3; p++)
        for (int y = 0; y < 30; y++)
            memset(hy_image_at(&img, p, 0, y), 128, 40);
    snprintf(path, sizeof(path), "%s/ev.jpg", hy_test_tmpdir("evidence"));
    ASSERT_EQ(hy_evidence_write(path, &img, box, 95, err, sizeof(err)), HY_OK);
    f = fopen(path, "rb");
    REQUIRE(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    tj = tjInitDecompress();
    REQUIRE(tj && tjDecompressHeader3(tj, buf, n, &w, &h, &sub, &cs) == 0);
    ASSERT_EQ(w, 40);
    ASSERT_EQ(h, 30);
    REQUIRE(tjDecompress2(tj, buf, n, rgb, 40, 0, 30, TJPF_RGB, TJFLAG_ACCURATEDCT) == 0);
    tjDestroy(tj);
#define PX(x, y, c) rgb[((y)*40 + (x)) * 3 + (c)]
    ASSERT_TRUE(PX(8, 13, 0) > 200 && PX(8, 13, 1) < 100 && PX(8, 13, 2) < 100);    /* red */
    ASSERT_TRUE(PX(10, 13, 0) > 200 && PX(10, 13, 1) > 180 && PX(10, 13, 2) > 180); /* white */
    ASSERT_NEAR(PX(16, 13, 1), 128, 12);                                            /* inside */
    ASSERT_NEAR(PX(0, 0, 1), 128, 12);                                              /* outside */
#undef PX
    snprintf(path, sizeof(path), "/nonexistent/dir/ev.jpg");
    ASSERT_EQ(hy_evidence_write(path, &img, box, 85, err, sizeof(err)), HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/dir/ev.jpg: cannot write");
    ASSERT_EQ(hy_evidence_write(path, &img, box, 0, err, sizeof(err)), HY_EINVAL);
    hy_image_free(ctx, &img);
}

/* A satellite chip: two 16 x 12 panels (stride 20) enlarged twice, 4 white pixels between
 * (68 x 24). Panel A, red/green/blue 0.15/0.075/-0.1 over 0..0.3: 255 x 0.5 + 0.5 = 128,
 * 255 x 0.25 + 0.5 = 64.25 -> 64, clamped 0; its block x 12..15, y 8..11 is NaN (black),
 * 0.45 (clamped 255) and 0.3 (255). Panel B, grey 300 K over 280..360: 64; invalid where
 * x, y < 4: black. The box (6, 5, 2, 2) is (12, 10, 4, 4) on A and (48, 10, 4, 4) on B: red
 * on the two display columns left of it. Quality 100 without chroma subsampling: within 1 in
 * the middle of flat blocks. */
static void test_evidence_chip(void)
{
    enum { PW = 16, PH = 12, ST = 20, Z = 2, W = 2 * PW * Z + HY_CHIP_GAP, H = PH * Z };
    static float r[PH * ST], g[PH * ST], b[PH * ST], k[PH * ST];
    static uint8_t valid[PH * ST];
    const int box[4] = {6, 5, 2, 2};
    hy_chip_panel p[2];
    char path[1024], err[512];
    unsigned char buf[65536], rgb[W * H * 3];
    FILE *f;
    size_t n;
    int w = 0, h = 0, sub, cs;
    tjhandle tj;
    for (int y = 0; y < PH; y++)
        for (int x = 0; x < ST; x++) {
            const int i = y * ST + x, blk = x >= 12 && y >= 8;
            r[i] = blk ? NAN : 0.15f;
            g[i] = blk ? 0.45f : 0.075f;
            b[i] = blk ? 0.3f : -0.1f;
            k[i] = 300.0f;
            valid[i] = !(x < 4 && y < 4);
        }
    p[0] = (hy_chip_panel){r, g, b, NULL, 0.0, 0.3};
    p[1] = (hy_chip_panel){k, k, k, valid, 280.0, 360.0};
    snprintf(path, sizeof(path), "%s/chip.jpg", hy_test_tmpdir("evidence_chip"));
    ASSERT_EQ(hy_evidence_write_chip(path, p, 2, PW, PH, ST, box, Z, 100, err, sizeof(err)), HY_OK);
    f = fopen(path, "rb");
    REQUIRE(f);
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    tj = tjInitDecompress();
    REQUIRE(tj && tjDecompressHeader3(tj, buf, n, &w, &h, &sub, &cs) == 0);
    ASSERT_EQ(w, W);
    ASSERT_EQ(h, H);
    ASSERT_EQ(sub, TJSAMP_444);
    REQUIRE(tjDecompress2(tj, buf, n, rgb, W, 0, H, TJPF_RGB, TJFLAG_ACCURATEDCT) == 0);
    tjDestroy(tj);
#define PX(x, y, c) rgb[((y)*W + (x)) * 3 + (c)]
    ASSERT_NEAR(PX(20, 4, 0), 128, 1); /* A: scene (10, 2) */
    ASSERT_NEAR(PX(20, 4, 1), 64, 1);
    ASSERT_NEAR(PX(20, 4, 2), 0, 1);
    ASSERT_NEAR(PX(28, 20, 0), 0, 1); /* A: scene (14, 10), the NaN block */
    ASSERT_NEAR(PX(28, 20, 1), 255, 1);
    ASSERT_NEAR(PX(28, 20, 2), 255, 1);
    for (int c = 0; c < 3; c++) {
        ASSERT_TRUE(PX(33, 4, c) > 240);        /* the gap */
        ASSERT_NEAR(PX(36 + 20, 4, c), 64, 1);  /* B: scene (10, 2) */
        ASSERT_NEAR(PX(36 + 2, 2, c), 0, 1);    /* B: scene (1, 1), invalid */
        ASSERT_NEAR(PX(36 + 28, 20, c), 64, 1); /* B: scene (14, 10) */
    }
    ASSERT_TRUE(PX(11, 12, 0) > 200 && PX(11, 12, 1) < 100 && PX(11, 12, 2) < 100); /* A's box */
    ASSERT_TRUE(PX(47, 12, 0) > 200 && PX(47, 12, 1) < 100 && PX(47, 12, 2) < 100); /* B's box */
#undef PX
    ASSERT_EQ(hy_evidence_write_chip(path, p, 0, PW, PH, ST, box, Z, 90, err, sizeof(err)),
              HY_EINVAL);
    p[1].hi = 280.0;
    ASSERT_EQ(hy_evidence_write_chip(path, p, 2, PW, PH, ST, box, Z, 90, err, sizeof(err)),
              HY_EINVAL);
    ASSERT_EQ(hy_evidence_write_chip(path, p, 1, PW, PH, 8, box, Z, 90, err, sizeof(err)),
              HY_EINVAL); /* stride < width */
    ASSERT_EQ(hy_evidence_write_chip("/nonexistent/dir/chip.jpg", p, 1, PW, PH, ST, box, Z, 90, err,
                                     sizeof(err)),
              HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/dir/chip.jpg: cannot write");
}

/* The false-alarm memory: marking a camera event false_alarm remembers its camera hits (two
 * smoke boxes of zm-baisha-01), not a cross-bearing fix's (no box) nor a satellite event's;
 * read back newest first, per camera, at most max. */
static void test_false_alarms(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512];
    hy_store *st = NULL;
    hy_detection d[4] = {sample_camera(), sample_camera(), sample_camera(), sample_satellite()};
    hy_false_alarm mem[4];
    size_t n = 9;
    d[0].time = 1780110764000000LL;
    d[1].time = d[0].time + 10000000; /* 10 s later, the same event */
    d[1].bbox[0] = 650;
    d[2] = sample_camera(); /* a fix: no box, placed */
    snprintf(d[2].source_id, sizeof(d[2].source_id), "fix:zm-baisha-01+zm-baisha-02");
    d[2].bbox[2] = d[2].bbox[3] = 0;
    d[2].lon = 113.9, d[2].lat = 34.7;
    d[2].time = d[0].time;
    d[3].static_source = 0;
    snprintf(path, sizeof(path), "%s/fa.db", hy_test_tmpdir("store"));
    REQUIRE(hy_store_open(ctx, path, &st, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(hy_store_add(st, d, 4, NULL), HY_OK); /* events 1 (camera), 2 (fix), 3 (satellite) */
    ASSERT_EQ(hy_store_false_alarms(st, NULL, mem, 4, &n), HY_OK);
    ASSERT_EQ(n, 0);
    ASSERT_EQ(hy_store_event_transition(st, 1, HY_EVENT_FALSE_ALARM, "analyst-li", "fog"), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 2, HY_EVENT_FALSE_ALARM, "analyst-li", NULL), HY_OK);
    ASSERT_EQ(hy_store_event_transition(st, 3, HY_EVENT_FALSE_ALARM, "analyst-li", NULL), HY_OK);
    ASSERT_EQ(hy_store_false_alarms(st, NULL, mem, 4, &n), HY_OK);
    ASSERT_EQ(n, 2);
    ASSERT_STR_EQ(mem[0].camera, "zm-baisha-01");
    ASSERT_EQ(mem[0].kind, HY_KIND_SMOKE);
    ASSERT_EQ(mem[0].bbox[0], 650); /* the newest first */
    ASSERT_EQ(mem[0].bbox[1], 300);
    ASSERT_EQ(mem[0].bbox[2], 48);
    ASSERT_EQ(mem[0].bbox[3], 96);
    ASSERT_EQ(mem[0].time, d[1].time);
    ASSERT_EQ(mem[1].bbox[0], 640);
    ASSERT_EQ(mem[1].time, d[0].time);
    ASSERT_TRUE(mem[0].id != mem[1].id && mem[0].id > 0 && mem[1].id > 0);
    ASSERT_EQ(hy_store_false_alarms(st, "zm-baisha-01", mem, 1, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(mem[0].bbox[0], 650);
    ASSERT_EQ(hy_store_false_alarms(st, "zm-baisha-02", mem, 4, &n), HY_OK);
    ASSERT_EQ(n, 0);
    ASSERT_EQ(hy_store_false_alarms(st, NULL, NULL, 4, &n), HY_EINVAL);
    {
        int64_t counts[HY_EVENT_STATE_COUNT];
        ASSERT_EQ(hy_store_event_counts(st, counts), HY_OK); /* the three events, all dismissed */
        for (int k = 0; k < HY_EVENT_STATE_COUNT; k++)
            ASSERT_EQ(counts[k], k == HY_EVENT_FALSE_ALARM ? 3 : 0);
        ASSERT_EQ(hy_store_event_transition(st, 3, HY_EVENT_VERIFIED, "analyst-li", NULL), HY_OK);
        ASSERT_EQ(hy_store_event_counts(st, counts), HY_OK);
        ASSERT_EQ(counts[HY_EVENT_FALSE_ALARM], 2);
        ASSERT_EQ(counts[HY_EVENT_VERIFIED], 1);
    }
    hy_store_close(st);
}

/* A cross-bearing fix (a camera detection placed at 113.9, 34.7) and a Landsat fire 0.003 deg
 * of longitude east an hour later: 0.003 x 111195 x cos(34.7 deg) = 274 m, within the 1000 m
 * radius and the 7200 s gap, so one event, confirmed by the second detection, at their mean;
 * a fire 0.02 deg east (1829 m) starts another. */
static void test_fix_and_satellite(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024], err[512];
    hy_store *st = NULL;
    hy_detection d[3] = {sample_camera(), at(HY_KIND_FIRE, "LC09_X", 113.903, 34.7, 3600),
                         at(HY_KIND_FIRE, "LC09_Y", 113.92, 34.7, 3600)};
    hy_event ev;
    snprintf(d[0].source_id, sizeof(d[0].source_id), "fix:zm-baisha-01+zm-baisha-02");
    d[0].kind = HY_KIND_FIRE;
    d[0].bbox[2] = d[0].bbox[3] = 0;
    d[0].lon = 113.9, d[0].lat = 34.7;
    d[0].time = at(HY_KIND_FIRE, "x", 0, 0, 0).time;
    snprintf(path, sizeof(path), "%s/fix.db", hy_test_tmpdir("store"));
    REQUIRE(hy_store_open(ctx, path, &st, err, sizeof(err)) == HY_OK);
    ASSERT_EQ(hy_store_add(st, d, 3, NULL), HY_OK);
    ASSERT_EQ(hy_store_event_get(st, 1, &ev), HY_OK);
    ASSERT_EQ(ev.detections, 2);
    ASSERT_EQ(ev.confirmed, 1);
    ASSERT_STR_EQ(ev.source_id, "fix:zm-baisha-01+zm-baisha-02");
    ASSERT_NEAR(ev.lon, 113.9015, 1e-9);
    ASSERT_EQ(hy_store_event_get(st, 2, &ev), HY_OK);
    ASSERT_EQ(ev.detections, 1);
    ASSERT_STR_EQ(ev.source_id, "LC09_Y");
    hy_store_close(st);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"round_trip", test_round_trip},
                                    {"summary", test_summary},
                                    {"summary_by_day", test_summary_by_day},
                                    {"migration", test_migration},
                                    {"event_lifecycle", test_event_lifecycle},
                                    {"events", test_events},
                                    {"scenes", test_scenes},
                                    {"hmac", test_hmac},
                                    {"outbox", test_outbox},
                                    {"cap", test_cap},
                                    {"mqtt_topic", test_mqtt_topic},
                                    {"json_line", test_json_line},
                                    {"geojson", test_geojson},
                                    {"gpkg", test_gpkg},
                                    {"report_cn", test_report_cn},
                                    {"mask_cog", test_mask_cog},
                                    {"firms", test_firms},
                                    {"evidence", test_evidence},
                                    {"evidence_chip", test_evidence_chip},
                                    {"false_alarms", test_false_alarms},
                                    {"fix_and_satellite", test_fix_and_satellite},
                                    {"cspp", test_cspp},
                                    {NULL, NULL}};
    return hy_test_main("alerts", tests, argc, argv);
}
