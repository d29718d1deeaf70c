/* app/cmd_serve.c - huoyan serve: the HTTP API (libmicrohttpd) over the store, with the
 * escalation and delivery loop beside it. The API thread and the loop each have their own
 * store handle (SQLite in WAL mode lets them work side by side). */
#include "app/app.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "review_page.h" /* hy_review_page: app/page/review.html, embedded by the build */

#define MAX_BODY (64 * 1024) /* a request body larger than this is refused (413) */

static void serve_usage(FILE *f)
{
    fputs("usage: huoyan serve --config FILE [--listen HOST:PORT] [--db FILE]\n"
          "\n"
          "Run the service: each configured camera in its own thread (as watch analyses it,\n"
          "every analyse_every_s, the detectors of its detect list, its exclusion polygons,\n"
          "reconnecting for ever); the folder satellite.watch, each new scene (a Landsat\n"
          "directory, a GeoTIFF, a VIIRS or MODIS granule) scanned once by a `huoyan scan`\n"
          "child process; the HTTP API over the events; and every second the escalation of\n"
          "events nobody acknowledged (alerts.escalate_after_min) and the delivery of queued\n"
          "changes to the alert sinks. Requests carry `Authorization: Bearer "
          "TOKEN`, a token\n"
          "from server.tokens (its value in the environment variable token_env): admin and\n"
          "analyst see and change every event; an officer only its townships' (others are not\n"
          "found). docs/api.md lists the endpoints:\n"
          "  GET  /, /review: the review page (queue, outline, confirm / dismiss / note)\n"
          "  GET  /healthz, /metrics (Prometheus text), /api/townships/CODE (its outline)\n"
          "  GET  /api/events[?state=S&township=CODE&kind=K&limit=N], /api/events.geojson\n"
          "  GET  /api/events/ID (with detections, history, deliveries), /api/events/ID/cap\n"
          "  GET  /api/detections/ID/evidence (JPEG; with --evidence DIR)\n"
          "  POST /api/events/ID/transition {\"to\": STATE, \"note\": TEXT}\n"
          "  POST /api/events/ID/confirm {\"note\": TEXT}\n"
          "\n"
          "options:\n"
          "  --config FILE        the configuration; required\n"
          "  --listen HOST:PORT   over server.listen (default 127.0.0.1:8080)\n"
          "  --db FILE            over store.sqlite\n"
          "  --evidence DIR       evidence pictures: the cameras it runs and the scenes it\n"
          "                       scans write theirs here (frames with boxes; satellite chips),\n"
          "                       and it serves them; none outside this folder is served\n"
          "  --settle SECONDS     a scene in satellite.watch is scanned once unchanged this long\n"
          "                       (default 10: still being copied); names starting with . are\n"
          "                       skipped (copy as .NAME, then rename)\n"
          "  -v, --verbose        debug logging;  -q, --quiet  warnings and errors only\n"
          "  -h, --help           this help\n",
          f);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

typedef struct token {
    const char *value; /* from the environment */
    const char *name;  /* token_env: the actor in the history */
    const hy_config_token *cfg;
} token;

/* A configured camera, run by its own thread with its own store handle. */
typedef struct camera {
    const hy_config_camera *cfg;
    hy_app_watch_opts w;
    hy_app_camera_stats stats;
    hy_ctx *ctx;
    const hy_config *config;
    const char *config_path, *db;
    hy_app_fixer *fixer; /* shared by the cameras */
    pthread_t thread;
    int started;
} camera;

struct watcher;

typedef struct api {
    hy_store *st;
    struct watcher *scenes; /* the scene folder's watch, or NULL */
    camera *cams;
    unsigned ncams;
    char evidence[4096]; /* the evidence folder, resolved; "" when none was given */
    const hy_config *cfg;
    hy_townships *townships; /* for outlines; NULL without townships in the configuration */
    token *tokens;
    unsigned ntokens;
} api;

typedef struct request {
    char *body;
    size_t len;
    int too_large;
} request;

/* ---- responses ---- */

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type, char *text)
{
    struct MHD_Response *r;
    enum MHD_Result ret;
    if (!text)
        return MHD_NO;
    r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    if (code == 401)
        MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
    ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result reply_json(struct MHD_Connection *c, unsigned code, json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(o);
    return reply(c, code, "application/json; charset=utf-8", s);
}

static enum MHD_Result fail(struct MHD_Connection *c, unsigned code, const char *fmt, ...)
    HY_PRINTF(3, 4);

static enum MHD_Result fail(struct MHD_Connection *c, unsigned code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return reply_json(c, code, json_pack("{ss}", "error", msg));
}

/* ---- access ---- */

static const token *authenticate(const api *a, struct MHD_Connection *c)
{
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    for (unsigned i = 0; i < a->ntokens; i++) {
        /* the same time whatever the prefix matched */
        const char *v = a->tokens[i].value;
        size_t n = strlen(v), m = strlen(h);
        unsigned diff = (unsigned)(n ^ m);
        for (size_t k = 0; k < n; k++)
            diff |= (unsigned)(v[k] ^ (k < m ? h[k] : 0));
        if (diff == 0)
            return &a->tokens[i];
    }
    return NULL;
}

/* 1 when the token may see the event */
static int may_see(const token *t, const hy_event *ev)
{
    if (strcmp(t->cfg->role, "officer") != 0)
        return 1;
    for (unsigned i = 0; i < t->cfg->townships_count; i++)
        if (strcmp(t->cfg->townships[i], ev->township_code) == 0)
            return 1;
    return 0;
}

/* ---- handlers ---- */

typedef struct list_state {
    const token *t;
    json_t *arr;
    int geojson;
} list_state;

static int list_add(void *user, const hy_event *ev)
{
    list_state *ls = user;
    char *s;
    json_t *o;
    if (!may_see(ls->t, ev))
        return 0;
    if (!(s = hy_event_json(ev)))
        return 1;
    o = json_loads(s, 0, NULL);
    free(s);
    if (!o)
        return 1;
    if (ls->geojson) {
        json_t *f = json_object(), *g = json_null();
        if (!isnan(ev->lon))
            g = json_pack("{s:s, s:[f,f]}", "type", "Point", "coordinates", ev->lon, ev->lat);
        json_object_set_new(f, "type", json_string("Feature"));
        json_object_set_new(f, "geometry", g);
        json_object_set_new(f, "properties", o);
        o = f;
    }
    json_array_append_new(ls->arr, o);
    return 0;
}

static enum MHD_Result get_events(api *a, struct MHD_Connection *c, const token *t, int geojson)
{
    hy_event_filter f;
    list_state ls = {t, json_array(), geojson};
    const char *v;
    hy_event_filter_init(&f);
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "state")) &&
        (f.state = hy_event_state_parse(v)) < 0) {
        json_decref(ls.arr);
        return fail(c, 400,
                    "state=%s: expected new, dispatched, acknowledged, on_site, resolved, "
                    "false_alarm or verified",
                    v);
    }
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kind"))) {
        for (f.kind = 0; f.kind < 4 && strcmp(hy_kind_name((hy_kind)f.kind), v); f.kind++)
            ;
        if (f.kind == 4) {
            json_decref(ls.arr);
            return fail(c, 400, "kind=%s: expected fire, smoke, dust or bare_soil", v);
        }
    }
    f.township_code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "township");
    if ((v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit"))) {
        char *end;
        long long n = strtoll(v, &end, 10);
        if (*end || n < 1 || n > 100000) {
            json_decref(ls.arr);
            return fail(c, 400, "limit=%s: expected a whole number in 1..100000", v);
        }
        f.limit = n;
    }
    if (hy_store_events(a->st, &f, list_add, &ls) != HY_OK) {
        json_decref(ls.arr);
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    }
    if (geojson)
        return reply_json(c, 200,
                          json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", ls.arr));
    return reply_json(c, 200, ls.arr);
}

static int add_id(void *user, int64_t id)
{
    json_array_append_new(user, json_integer(id));
    return 0;
}

static int add_change(void *user, const hy_event_change *ch)
{
    char t[HY_TIME_STRLEN];
    json_array_append_new(user,
                          json_pack("{ss ss ss ss ss ss}", "time", hy_time_format(ch->time, t),
                                    "actor", ch->actor, "action", ch->action, "from",
                                    ch->from_state, "to", ch->to_state, "note", ch->note));
    return 0;
}

static int add_delivery(void *user, const hy_delivery *d)
{
    json_array_append_new(user,
                          json_pack("{ss ss ss si ss}", "sink", d->sink, "key", d->key, "state",
                                    d->state, "tries", d->attempts, "last_error", d->last_error));
    return 0;
}

/* The event id at url + off ("ID" or "ID/rest"); *rest gets what follows; -1 if malformed. */
static int64_t parse_event_id(const char *p, const char **rest)
{
    char *end;
    long long v = strtoll(p, &end, 10);
    if (end == p || v < 1 || (*end && *end != '/'))
        return -1;
    *rest = end;
    return v;
}

static enum MHD_Result get_event(api *a, struct MHD_Connection *c, const token *t, int64_t id,
                                 const char *rest)
{
    hy_event ev;
    hy_status s = hy_store_event_get(a->st, id, &ev);
    json_t *o, *det, *hist, *del;
    char *evs;
    if (s == HY_ENOTFOUND || (s == HY_OK && !may_see(t, &ev)))
        return fail(c, 404, "no event %lld", (long long)id);
    if (s != HY_OK)
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    if (strcmp(rest, "/cap") == 0) {
        /* the event as a CAP message now: its creation's identifier, an Update after it */
        hy_event_change ch = {
            ev.updated_at, "huoyan", "state", "", hy_event_state_name(ev.state), ""};
        char key[64];
        snprintf(key, sizeof(key), "huoyan-%lld-now", (long long)ev.id);
        return reply(c, 200, "application/cap+xml; charset=utf-8",
                     hy_event_cap(&ev, &ch, key, key));
    }
    if (*rest)
        return fail(c, 404, "no such resource: %s", rest);
    if (!(evs = hy_event_json(&ev)))
        return fail(c, 500, "out of memory");
    o = json_object();
    json_object_set_new(o, "event", json_loads(evs, 0, NULL));
    free(evs);
    det = json_array(), hist = json_array(), del = json_array();
    if (hy_store_event_detections(a->st, id, add_id, det) != HY_OK ||
        hy_store_event_history(a->st, id, add_change, hist) != HY_OK ||
        hy_store_event_deliveries(a->st, id, add_delivery, del) != HY_OK) {
        json_decref(o), json_decref(det), json_decref(hist), json_decref(del);
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    }
    {
        /* each detection: id, sensor, time, confidence, and whether it has an evidence
         * picture (GET /api/detections/ID/evidence) */
        json_t *objs = json_array();
        for (size_t i = 0; i < json_array_size(det); i++) {
            const int64_t did = json_integer_value(json_array_get(det, i));
            hy_detection dd;
            char tb[HY_TIME_STRLEN] = "";
            if (hy_store_get(a->st, did, &dd) != HY_OK)
                continue;
            if (dd.time != HY_TIME_NONE)
                hy_time_format(dd.time, tb);
            json_array_append_new(objs,
                                  json_pack("{sI ss ss sf sb}", "id", (json_int_t)did, "sensor",
                                            hy_sensor_name(dd.sensor), "time", tb, "confidence",
                                            dd.confidence, "evidence", dd.evidence[0] != 0));
        }
        json_decref(det);
        json_object_set_new(o, "detections", objs);
    }
    json_object_set_new(o, "history", hist);
    json_object_set_new(o, "deliveries", del);
    return reply_json(c, 200, o);
}

static enum MHD_Result post_event(api *a, struct MHD_Connection *c, const token *t, int64_t id,
                                  const char *rest, const request *rq)
{
    hy_event ev;
    json_t *body, *to, *note;
    json_error_t je;
    hy_status s;
    int state = -1;
    const int confirm = strcmp(rest, "/confirm") == 0;
    if (!confirm && strcmp(rest, "/transition") != 0)
        return fail(c, 404, "no such action: POST /api/events/%lld%s", (long long)id, rest);
    s = hy_store_event_get(a->st, id, &ev);
    if (s == HY_ENOTFOUND || (s == HY_OK && !may_see(t, &ev)))
        return fail(c, 404, "no event %lld", (long long)id);
    if (s != HY_OK)
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    if (!(body = json_loadb(rq->body ? rq->body : "", rq->len, 0, &je)))
        return fail(c, 400, "the body is not JSON: %s (line %d, column %d)", je.text, je.line,
                    je.column);
    if (!json_is_object(body)) {
        json_decref(body);
        return fail(c, 400, "the body must be a JSON object");
    }
    note = json_object_get(body, "note");
    if (note && !json_is_string(note)) {
        json_decref(body);
        return fail(c, 400, "note: expected a string");
    }
    if (note && strlen(json_string_value(note)) > 2000) {
        json_decref(body);
        return fail(c, 400, "note: at most 2000 bytes");
    }
    if (!confirm) {
        to = json_object_get(body, "to");
        if (!json_is_string(to) || (state = hy_event_state_parse(json_string_value(to))) < 0) {
            json_decref(body);
            return fail(c, 400,
                        "to: expected a state (dispatched, acknowledged, on_site, "
                        "resolved, false_alarm, verified)");
        }
    }
    s = confirm ? hy_store_event_confirm(a->st, id, t->name, note ? json_string_value(note) : NULL)
                : hy_store_event_transition(a->st, id, (hy_event_state)state, t->name,
                                            note ? json_string_value(note) : NULL);
    json_decref(body);
    if (s == HY_ESTATE) {
        const char *m = hy_store_errmsg(a->st), *r = strstr(m, "event ");
        return fail(c, 409, "%s", r ? r : m); /* the reason, without the file's path */
    }
    if (s != HY_OK)
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    return get_event(a, c, t, id, "");
}

static size_t scenes_metrics(struct watcher *wt, char *out, size_t size);

static enum MHD_Result get_metrics(api *a, struct MHD_Connection *c)
{
    /* the fixed lines, and each camera's seven with its id: room for every camera however
     * many (a fixed 4 KiB had held about 25) */
    size_t size = 4096, n = 0;
    char *out;
    int64_t pending = 0, delivered = 0, dead = 0, detections = 0, counts[HY_EVENT_STATE_COUNT];
    for (unsigned i = 0; i < a->ncams; i++)
        size += 640 + 7 * strlen(a->cams[i].cfg->id);
    if (hy_outbox_counts(a->st, &pending, &delivered, &dead, NULL) != HY_OK ||
        hy_store_count(a->st, &detections) != HY_OK ||
        hy_store_event_counts(a->st, counts) != HY_OK)
        return fail(c, 500, "%s", hy_store_errmsg(a->st));
    if (!(out = malloc(size)))
        return fail(c, 500, "out of memory");
    n += (size_t)snprintf(out + n, size - n,
                          "# HELP huoyan_detections Detections stored.\n"
                          "# TYPE huoyan_detections gauge\nhuoyan_detections %lld\n"
                          "# HELP huoyan_deliveries Outbox items by state.\n"
                          "# TYPE huoyan_deliveries gauge\n"
                          "huoyan_deliveries{state=\"pending\"} %lld\n"
                          "huoyan_deliveries{state=\"delivered\"} %lld\n"
                          "huoyan_deliveries{state=\"dead\"} %lld\n"
                          "# HELP huoyan_events Events by state.\n# TYPE huoyan_events gauge\n",
                          (long long)detections, (long long)pending, (long long)delivered,
                          (long long)dead);
    for (int k = 0; k < HY_EVENT_STATE_COUNT && n < size; k++)
        n += (size_t)snprintf(out + n, size - n, "huoyan_events{state=\"%s\"} %lld\n",
                              hy_event_state_name((hy_event_state)k), (long long)counts[k]);
    if (a->scenes && n < size)
        n += scenes_metrics(a->scenes, out + n, size - n);
    if (a->ncams && n < size)
        n += (size_t)snprintf(out + n, size - n,
                              "# HELP huoyan_camera_up 1 while the camera's frames arrive.\n"
                              "# TYPE huoyan_camera_up gauge\n"
                              "# HELP huoyan_camera_picture 1 for what the camera's picture is: "
                              "live, frozen (the same for 30 s) or blank (featureless for 30 s).\n"
                              "# TYPE huoyan_camera_picture gauge\n"
                              "# HELP huoyan_camera_frames_analysed Frames analysed.\n"
                              "# TYPE huoyan_camera_frames_analysed counter\n"
                              "# HELP huoyan_camera_detections Detections reported.\n"
                              "# TYPE huoyan_camera_detections counter\n"
                              "# HELP huoyan_camera_suppressed Hits not reported: they repeat "
                              "a remembered false alarm.\n"
                              "# TYPE huoyan_camera_suppressed counter\n"
                              "# HELP huoyan_camera_seconds_total Time spent on the camera's "
                              "frames (monotonic clock): decoding, scaling to the analysis size, "
                              "the detectors.\n"
                              "# TYPE huoyan_camera_seconds_total counter\n");
    for (unsigned i = 0; i < a->ncams && n < size; i++) {
        camera *k = &a->cams[i];
        n += (size_t)snprintf(out + n, size - n,
                              "huoyan_camera_up{camera=\"%s\"} %d\n"
                              "huoyan_camera_frames_analysed{camera=\"%s\"} %lld\n"
                              "huoyan_camera_detections{camera=\"%s\"} %lld\n"
                              "huoyan_camera_suppressed{camera=\"%s\"} %lld\n"
                              "huoyan_camera_seconds_total{camera=\"%s\",part=\"decoding\"} %.6f\n"
                              "huoyan_camera_seconds_total{camera=\"%s\",part=\"scaling\"} %.6f\n"
                              "huoyan_camera_seconds_total{camera=\"%s\",part=\"detectors\"} "
                              "%.6f\n",
                              k->cfg->id, atomic_load(&k->stats.up), k->cfg->id,
                              (long long)atomic_load(&k->stats.analysed), k->cfg->id,
                              (long long)atomic_load(&k->stats.reported), k->cfg->id,
                              (long long)atomic_load(&k->stats.suppressed), k->cfg->id,
                              atomic_load(&k->stats.decode_us) / 1e6, k->cfg->id,
                              atomic_load(&k->stats.scale_us) / 1e6, k->cfg->id,
                              atomic_load(&k->stats.detect_us) / 1e6);
        for (int p = HY_PICTURE_LIVE; p <= HY_PICTURE_BLANK && n < size; p++)
            n += (size_t)snprintf(out + n, size - n,
                                  "huoyan_camera_picture{camera=\"%s\",state=\"%s\"} %d\n",
                                  k->cfg->id, hy_picture_state_name((hy_picture_state)p),
                                  atomic_load(&k->stats.picture) == p);
    }
    return reply(c, 200, "text/plain; version=0.0.4; charset=utf-8", out);
}

typedef struct rings_state {
    json_t *lines;
} rings_state;

static int add_ring(void *user, const double *p, size_t n)
{
    json_t *line = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(line, json_pack("[f,f]", p[2 * i], p[2 * i + 1]));
    json_array_append_new(((rings_state *)user)->lines, line);
    return 0;
}

/* A township's outline as a GeoJSON Feature of its rings (MultiLineString, WGS84). */
static enum MHD_Result get_township(api *a, struct MHD_Connection *c, const token *t,
                                    const char *code)
{
    rings_state rs = {json_array()};
    hy_event probe;
    hy_status s;
    memset(&probe, 0, sizeof(probe));
    snprintf(probe.township_code, sizeof(probe.township_code), "%s", code);
    if (!a->townships || !may_see(t, &probe) || strlen(code) >= sizeof(probe.township_code) ||
        (s = hy_townships_rings(a->townships, code, add_ring, &rs)) == HY_ENOTFOUND) {
        json_decref(rs.lines);
        return fail(c, 404, "no township %s", code);
    }
    if (s != HY_OK) {
        json_decref(rs.lines);
        return fail(c, 500, "%s", hy_status_str(s));
    }
    return reply_json(c, 200,
                      json_pack("{s:s, s:{s:s}, s:{s:s, s:o}}", "type", "Feature", "properties",
                                "code", code, "geometry", "type", "MultiLineString", "coordinates",
                                rs.lines));
}

/* A detection's evidence picture, only from inside the evidence folder: the stored path is
 * resolved (links and ..) and must lie under the folder, whatever it says. */
static enum MHD_Result get_evidence(api *a, struct MHD_Connection *c, const token *t,
                                    const char *rest)
{
    char *end, real[4096];
    const long long id = strtoll(rest, &end, 10);
    hy_detection d;
    hy_event ev;
    size_t n = strlen(a->evidence);
    FILE *f;
    long size;
    char *buf;
    struct MHD_Response *r;
    enum MHD_Result ret;
    if (end == rest || id < 1 || strcmp(end, "/evidence") != 0)
        return fail(c, 404, "no such resource: /api/detections/%s", rest);
    if (hy_store_get(a->st, id, &d) != HY_OK || !d.evidence[0])
        return fail(c, 404, "no evidence for detection %lld", id);
    /* an officer sees the pictures of its townships' events only */
    memset(&ev, 0, sizeof(ev));
    snprintf(ev.township_code, sizeof(ev.township_code), "%s", d.township_code);
    if (!may_see(t, &ev))
        return fail(c, 404, "no evidence for detection %lld", id);
    if (!n || !realpath(d.evidence, real) || strncmp(real, a->evidence, n) != 0 || real[n] != '/')
        return fail(c, 404, "detection %lld: its evidence is not in the evidence folder", id);
    if (!(f = fopen(real, "rb")))
        return fail(c, 404, "detection %lld: the evidence picture cannot be read", id);
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || size > 64 * 1024 * 1024 ||
        fseek(f, 0, SEEK_SET) != 0 || !(buf = malloc((size_t)size))) {
        fclose(f);
        return fail(c, 500, "detection %lld: the evidence picture cannot be read", id);
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(buf);
        return fail(c, 500, "detection %lld: the evidence picture cannot be read", id);
    }
    fclose(f);
    if (!(r = MHD_create_response_from_buffer((size_t)size, buf, MHD_RESPMEM_MUST_FREE))) {
        free(buf);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "image/jpeg");
    ret = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *data_size, void **con_cls)
{
    api *a = cls;
    request *rq = *con_cls;
    const token *t;
    const int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    (void)version;
    if (!rq) { /* the first call: headers only */
        if (!(rq = calloc(1, sizeof(*rq))))
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*data_size) { /* the body, in pieces */
        if (!rq->too_large && rq->len + *data_size <= MAX_BODY) {
            char *b = realloc(rq->body, rq->len + *data_size + 1);
            if (!b)
                return MHD_NO;
            memcpy(b + rq->len, data, *data_size);
            rq->body = b;
            rq->len += *data_size;
            b[rq->len] = '\0';
        } else {
            rq->too_large = 1;
        }
        *data_size = 0;
        return MHD_YES;
    }
    if ((strcmp(url, "/") == 0 || strcmp(url, "/review") == 0) && get)
        return reply(c, 200, "text/html; charset=utf-8", strdup((const char *)hy_review_page));
    if (strcmp(url, "/healthz") == 0 && get)
        return reply_json(
            c, 200, json_pack("{ss si}", "status", "ok", "schema", hy_store_schema_version(a->st)));
    if (rq->too_large)
        return fail(c, 413, "the body is larger than %d bytes", MAX_BODY);
    if (!get && !post)
        return fail(c, 405, "%s: only GET and POST are served", method);
    if (!(t = authenticate(a, c)))
        return fail(c, 401, "a valid Authorization: Bearer TOKEN is required");
    if (strcmp(url, "/metrics") == 0 && get)
        return get_metrics(a, c);
    if (strcmp(url, "/api/events") == 0 && get)
        return get_events(a, c, t, 0);
    if (strcmp(url, "/api/events.geojson") == 0 && get)
        return get_events(a, c, t, 1);
    if (strncmp(url, "/api/detections/", 16) == 0 && get)
        return get_evidence(a, c, t, url + 16);
    if (strncmp(url, "/api/townships/", 15) == 0 && get)
        return get_township(a, c, t, url + 15);
    if (strncmp(url, "/api/events/", 12) == 0) {
        const char *rest = "";
        const int64_t id = parse_event_id(url + 12, &rest);
        if (id < 0)
            return fail(c, 400, "%s: expected /api/events/ID with ID a whole number, 1 or more",
                        url);
        if (get)
            return get_event(a, c, t, id, rest);
        return post_event(a, c, t, id, rest, rq);
    }
    return fail(c, 404, "no such resource: %s %s", method, url);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    request *rq = *con_cls;
    (void)cls, (void)c, (void)toe;
    if (rq) {
        free(rq->body);
        free(rq);
        *con_cls = NULL;
    }
}

typedef struct cam_sink {
    hy_store *st;
    const camera *k;
    hy_detections fixes;
} cam_sink;

/* A camera's hits stored; then the fixes they make with the other cameras' bearings. */
static int cam_emit(void *user, hy_detection *d, size_t n)
{
    cam_sink *cs = user;
    if (hy_store_add(cs->st, d, n, NULL) != HY_OK) {
        hy_app_error("%s", hy_store_errmsg(cs->st));
        return HY_EXIT_FAILURE;
    }
    cs->fixes.n = 0;
    if (cs->k->fixer && hy_app_fixer_offer(cs->k->fixer, cs->k->ctx, d, n, &cs->fixes) != HY_OK) {
        hy_app_error("out of memory");
        return HY_EXIT_FAILURE;
    }
    for (size_t i = 0; i < cs->fixes.n; i++)
        hy__log(cs->k->ctx, HY_LOG_INFO, "%s: %s at %.5f, %.5f (%s)", cs->fixes.v[i].source_id,
                hy_kind_name(cs->fixes.v[i].kind), cs->fixes.v[i].lon, cs->fixes.v[i].lat,
                cs->fixes.v[i].tests);
    if (cs->fixes.n && hy_store_add(cs->st, cs->fixes.v, cs->fixes.n, NULL) != HY_OK) {
        hy_app_error("%s", hy_store_errmsg(cs->st));
        return HY_EXIT_FAILURE;
    }
    return HY_EXIT_OK;
}

static void *camera_main(void *arg)
{
    camera *k = arg;
    const char *url = k->cfg->url ? k->cfg->url : k->cfg->snapshot;
    cam_sink cs = {NULL, k, {0}};
    char err[1024];
    if (hy_store_open(k->ctx, k->db, &cs.st, err, sizeof(err)) != HY_OK) {
        hy_app_error("camera %s: %s", k->cfg->id, err);
        return NULL;
    }
    k->w.memory = cs.st; /* this thread's handle: the false-alarm memory comes from it */
    if (hy_app_store_sinks(cs.st, k->config) == HY_EXIT_OK) {
        hy__log(k->ctx, HY_LOG_INFO, "camera %s: %s", k->cfg->id, url);
        if (hy_app_watch_source(k->ctx, k->config, k->config_path, url, &k->w, cam_emit, &cs,
                                &k->stats) == HY_EXIT_OK)
            hy__log(k->ctx, HY_LOG_INFO, "camera %s: %s", k->cfg->id,
                    atomic_load(&k->stats.stop) ? "stopped" : "its source ended");
    }
    atomic_store(&k->stats.up, 0);
    hy_detections_free(k->ctx, &cs.fixes);
    hy_store_close(cs.st);
    return NULL;
}

/* ---- the scene folder ---- */

extern char **environ;

typedef struct watcher {
    const char *dir, *config_path, *db;
    const char *evidence; /* the evidence folder for chips, or NULL */
    const hy_config *cfg;
    double settle_s;
    hy_ctx *ctx;
    pthread_t thread;
    int started;
    _Atomic int stop;
    _Atomic int64_t done, failed;
} watcher;

/* A granule's geolocation file is read with its L1 file, never on its own. */
static int geolocation_name(const char *name)
{
    static const char *const prefixes[] = {"VNP03", "VJ103", "VJ203", "MOD03", "MYD03"};
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

static int tif_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".tif") == 0 || strcasecmp(dot, ".tiff") == 0);
}

/* Scan one scene in a child process (`huoyan scan --config ... PATH`): a scene that crashes its
 * reader cannot take the service down. 0 on success; else detail gets the child's last words. */
static int scan_child(watcher *wt, const char *path, char *detail, size_t size)
{
    char detect[64] = "", *args[14];
    int n = 0, fd[2], status = 0;
    pid_t pid;
    posix_spawn_file_actions_t fa;
    size_t got = 0;
    for (unsigned i = 0; i < wt->cfg->satellite.detect_count; i++) {
        const char *k = wt->cfg->satellite.detect[i];
        if (strcmp(k, "fire") == 0 || strcmp(k, "bare_soil") == 0)
            snprintf(detect + strlen(detect), sizeof(detect) - strlen(detect), "%s%s",
                     detect[0] ? "," : "", k);
    }
    args[n++] = "huoyan", args[n++] = "scan", args[n++] = "--quiet";
    args[n++] = "--config", args[n++] = (char *)wt->config_path;
    args[n++] = "--db", args[n++] = (char *)wt->db;
    if (detect[0])
        args[n++] = "--detect", args[n++] = detect;
    if (wt->evidence)
        args[n++] = "--evidence", args[n++] = (char *)wt->evidence;
    args[n++] = (char *)path, args[n] = NULL;
    detail[0] = '\0';
    if (pipe(fd) != 0) {
        snprintf(detail, size, "cannot make a pipe");
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 2);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    if (posix_spawn(&pid, "/proc/self/exe", &fa, NULL, args, environ) != 0) {
        posix_spawn_file_actions_destroy(&fa);
        close(fd[0]), close(fd[1]);
        snprintf(detail, size, "cannot start huoyan scan");
        return -1;
    }
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    for (;;) { /* keep the last size - 1 bytes of what it said */
        char buf[512];
        ssize_t r = read(fd[0], buf, sizeof(buf));
        if (r <= 0)
            break;
        for (ssize_t i = 0; i < r; i++) {
            if (got == size - 1) {
                memmove(detail, detail + 1, size - 2);
                got--;
            }
            detail[got++] = buf[i];
        }
        detail[got] = '\0';
    }
    close(fd[0]);
    while (got && (detail[got - 1] == '\n' || detail[got - 1] == '\r'))
        detail[--got] = '\0';
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void *watcher_main(void *arg)
{
    watcher *wt = arg;
    hy_store *st = NULL;
    char err[1024];
    if (hy_store_open(wt->ctx, wt->db, &st, err, sizeof(err)) != HY_OK) {
        hy_app_error("scene folder: %s", err);
        return NULL;
    }
    hy__log(wt->ctx, HY_LOG_INFO, "watching %s for new scenes", wt->dir);
    while (!atomic_load(&wt->stop)) {
        DIR *d = opendir(wt->dir);
        struct dirent *e;
        if (!d) {
            hy__log(wt->ctx, HY_LOG_WARN, "scene folder %s: cannot read it", wt->dir);
        }
        while (d && !atomic_load(&wt->stop) && (e = readdir(d)) != NULL) {
            char path[4096], state[16] = "", detail[1024];
            struct stat sb;
            int64_t size = 0, mtime = 0, mtime_us;
            if (e->d_name[0] == '.' || geolocation_name(e->d_name))
                continue; /* hidden (still being copied, by convention), or read with its L1 */
            snprintf(path, sizeof(path), "%s/%s", wt->dir, e->d_name);
            if (stat(path, &sb) != 0 ||
                !(S_ISDIR(sb.st_mode) ||
                  (S_ISREG(sb.st_mode) && (tif_name(e->d_name) || hy_granule_is(path)))))
                continue;
            mtime_us = (int64_t)sb.st_mtim.tv_sec * 1000000 + sb.st_mtim.tv_nsec / 1000;
            if (hy_time_now() - mtime_us < (int64_t)(wt->settle_s * 1e6))
                continue; /* still arriving */
            if (hy_store_scene_get(st, path, &size, &mtime, state, sizeof(state)) == HY_OK &&
                size == (int64_t)sb.st_size && mtime == mtime_us)
                continue; /* handled, and unchanged since */
            if (scan_child(wt, path, detail, sizeof(detail)) == 0) {
                atomic_fetch_add(&wt->done, 1);
                hy__log(wt->ctx, HY_LOG_INFO, "scene %s: scanned", path);
                if (hy_store_scene_put(st, path, (int64_t)sb.st_size, mtime_us, "done", "") !=
                    HY_OK)
                    hy_app_error("%s", hy_store_errmsg(st));
            } else {
                atomic_fetch_add(&wt->failed, 1);
                hy__log(wt->ctx, HY_LOG_WARN, "scene %s: not scanned: %s", path,
                        detail[0] ? detail : "huoyan scan failed");
                if (hy_store_scene_put(st, path, (int64_t)sb.st_size, mtime_us, "failed", detail) !=
                    HY_OK)
                    hy_app_error("%s", hy_store_errmsg(st));
            }
        }
        if (d)
            closedir(d);
        for (int i = 0; i < 10 && !atomic_load(&wt->stop); i++) {
            struct timespec ts = {0, 200000000};
            nanosleep(&ts, NULL);
        }
    }
    hy_store_close(st);
    return NULL;
}

static size_t scenes_metrics(struct watcher *wt, char *out, size_t size)
{
    int n = snprintf(out, size,
                     "# HELP huoyan_scenes Scenes the folder watch handled this run.\n"
                     "# TYPE huoyan_scenes counter\n"
                     "huoyan_scenes{state=\"done\"} %lld\nhuoyan_scenes{state=\"failed\"} %lld\n",
                     (long long)atomic_load(&wt->done), (long long)atomic_load(&wt->failed));
    return n > 0 ? (size_t)n : 0;
}

static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    char *end;
    long port;
    if (!colon || (size_t)(colon - s) >= sizeof(host))
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || port < 1 || port > 65535)
        return -1;
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &sa->sin_addr) ==
                   1
               ? 0
               : -1;
}

int hy_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"listen", required_argument, NULL, 'l'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"evidence", required_argument, NULL, 'e'},
                                         {"settle", required_argument, NULL, 's'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config = NULL, *listen = NULL, *db = NULL, *evidence = NULL;
    double settle_s = 10;
    watcher wt;
    int c, verbose = 0, quiet = 0, rc = HY_EXIT_USAGE;
    hy_config *cfg = NULL;
    hy_app_sender snd = {NULL, NULL, 10};
    hy_store *loop_st = NULL;
    api a;
    hy_app_fixer *fixer = NULL;
    struct MHD_Daemon *d = NULL;
    struct sockaddr_in sa;
    hy_outbox_policy p;
    char err[1024];

    memset(&a, 0, sizeof(a));
    memset(&wt, 0, sizeof(wt));
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'e':
            evidence = optarg;
            break;
        case 's': {
            char *end;
            settle_s = strtod(optarg, &end);
            if (*end || !(settle_s >= 0 && settle_s <= 3600)) {
                hy_app_error("serve: --settle %s: expected seconds in 0..3600", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        }
        case 'v':
            verbose = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            serve_usage(stdout);
            return HY_EXIT_OK;
        default:
            serve_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        hy_app_error("serve: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if (!config) {
        hy_app_error("serve: --config FILE is required");
        return HY_EXIT_USAGE;
    }
    if (hy_config_load(config, &cfg, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        return HY_EXIT_USAGE;
    }
    if (!listen)
        listen = cfg->server.listen;
    if (!db)
        db = cfg->store.sqlite;
    if (parse_listen(listen, &sa) != 0) {
        hy_app_error("serve: listen %s: expected IPV4:PORT (e.g. 127.0.0.1:8080)", listen);
        goto done;
    }
    a.cfg = cfg;
    if (evidence && !realpath(evidence, a.evidence)) {
        hy_app_error("serve: --evidence %s: no such folder", evidence);
        goto done;
    }
    a.tokens = calloc(cfg->server.tokens_count + 1, sizeof(*a.tokens));
    if (!a.tokens)
        goto done;
    for (unsigned i = 0; i < cfg->server.tokens_count; i++) {
        const hy_config_token *tc = &cfg->server.tokens[i];
        const char *v = getenv(tc->token_env);
        if (!v || strlen(v) < 16) {
            hy_app_error("%s: server.tokens[%u].token_env: %s is %s", config, i, tc->token_env,
                         v ? "shorter than 16 characters: too easy to guess"
                           : "not set in the environment");
            goto done;
        }
        a.tokens[a.ntokens++] = (token){v, tc->token_env, tc};
    }
    for (unsigned i = 0; i < cfg->alerts.sinks_count; i++)
        if (cfg->alerts.sinks[i].secret_env && !getenv(cfg->alerts.sinks[i].secret_env)) {
            hy_app_error("%s: alerts.sinks[%u].secret_env: %s is not set in the environment",
                         config, i, cfg->alerts.sinks[i].secret_env);
            goto done;
        }
    rc = HY_EXIT_FAILURE;
    if (hy_app_ctx(verbose, quiet, &snd.ctx) != HY_EXIT_OK)
        goto done;
    if (hy_store_open(snd.ctx, db, &a.st, err, sizeof(err)) != HY_OK ||
        hy_store_open(snd.ctx, db, &loop_st, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    if (hy_app_store_sinks(a.st, cfg) != HY_EXIT_OK ||
        hy_app_store_sinks(loop_st, cfg) != HY_EXIT_OK)
        goto done;
    if (cfg->townships.path) { /* outlines for the review page */
        hy_townships_config tc;
        hy_townships_config_init(&tc);
        tc.path = cfg->townships.path;
        tc.layer = cfg->townships.layer;
        tc.code_field = cfg->townships.code;
        tc.name_field = cfg->townships.name;
        tc.county_field = cfg->townships.county;
        tc.gcj02 = strcmp(cfg->townships.crs, "gcj02") == 0;
        if (hy_townships_load(snd.ctx, &tc, &a.townships, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            goto done;
        }
    }
    if (cfg->cameras_count && !(a.cams = calloc(cfg->cameras_count, sizeof(*a.cams))))
        goto done;
    if (cfg->cameras_count > 1 &&
        !(fixer = hy_app_fixer_create(cfg, a.townships, cfg->townships.max_outside_m)))
        goto done;
    for (unsigned i = 0; i < cfg->cameras_count; i++) {
        const hy_config_camera *cc = &cfg->cameras[i];
        camera *k = &a.cams[a.ncams];
        int fire = cc->detect_count == 0, smoke = 0, dust = 0;
        for (unsigned j = 0; j < cc->detect_count; j++) {
            fire |= strcmp(cc->detect[j], "fire") == 0;
            smoke |= strcmp(cc->detect[j], "smoke") == 0;
            dust |= strcmp(cc->detect[j], "dust") == 0;
        }
        k->cfg = cc;
        k->ctx = snd.ctx;
        k->config = cfg;
        k->config_path = config;
        k->db = db;
        k->fixer = fixer;
        k->w = (hy_app_watch_opts){.camera = cc->id,
                                   .every_s = cc->analyse_every_s,
                                   /* both names were checked with the configuration */
                                   .decode = (hy_decode)hy_app_decode_named(cc->decode),
                                   .persist_k = cc->persist_k,
                                   .persist_n = cc->persist_n,
                                   .hold_k = cc->hold_k,
                                   .timeout_s = 5,
                                   .backoff_max_s = 60,
                                   .reconnect = -1,
                                   .snapshot = cc->snapshot && !cc->url,
                                   .every_set = 1,
                                   .flame_on = fire,
                                   .smoke_on = smoke,
                                   .dust_on = dust,
                                   .evidence = evidence,
                                   .soft_edge = -1,
                                   .view_change = cc->view_change_share,
                                   .smoke_colour =
                                       (hy_smoke_colour)hy_app_smoke_colour_named(cc->smoke_colour),
                                   .townships = a.townships,
                                   .max_outside_m = cfg->townships.max_outside_m,
                                   .memory = NULL}; /* set in the camera's thread */
        if (pthread_create(&k->thread, NULL, camera_main, k) != 0) {
            hy_app_error("camera %s: cannot start its thread", cc->id);
            continue;
        }
        k->started = 1;
        a.ncams++;
    }
    if (cfg->satellite.watch) {
        wt.dir = cfg->satellite.watch;
        wt.config_path = config;
        wt.db = db;
        wt.cfg = cfg;
        wt.settle_s = settle_s;
        wt.evidence = a.evidence[0] ? a.evidence : NULL;
        wt.ctx = snd.ctx;
        if (pthread_create(&wt.thread, NULL, watcher_main, &wt) != 0) {
            hy_app_error("serve: cannot start the scene folder's watch");
            goto done;
        }
        wt.started = 1;
        a.scenes = &wt;
    }
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, handle,
                         &a, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT,
                         (unsigned)256, MHD_OPTION_END);
    if (!d) {
        hy_app_error("serve: cannot listen on %s (in use, or not an address of this machine)",
                     listen);
        goto done;
    }
    hy__log(snd.ctx, HY_LOG_INFO, "serving %s on http://%s (%u tokens)", db, listen, a.ntokens);
    snd.cfg = cfg;
    hy_app_outbox_policy(cfg, &p);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop) {
        hy_outbox_stats s;
        struct timespec ts = {0, 200000000};
        if (hy_store_escalate(loop_st, hy_time_now(), cfg->alerts.escalate_after_min, NULL, NULL,
                              NULL) != HY_OK ||
            hy_outbox_run(loop_st, hy_time_now(), &p, 0, hy_app_send, &snd, &s) != HY_OK)
            hy__log(snd.ctx, HY_LOG_ERROR, "%s", hy_store_errmsg(loop_st));
        for (int i = 0; i < 5 && !stop; i++)
            nanosleep(&ts, NULL);
    }
    hy__log(snd.ctx, HY_LOG_INFO, "stopping");
    rc = HY_EXIT_OK;
done:
    for (unsigned i = 0; i < a.ncams; i++)
        atomic_store(&a.cams[i].stats.stop, 1);
    atomic_store(&wt.stop, 1);
    if (wt.started)
        pthread_join(wt.thread, NULL);
    for (unsigned i = 0; i < a.ncams; i++)
        if (a.cams[i].started)
            pthread_join(a.cams[i].thread, NULL);
    free(a.cams);
    hy_app_fixer_destroy(fixer);
    if (d)
        MHD_stop_daemon(d);
    hy_store_close(a.st);
    hy_store_close(loop_st);
    hy_townships_destroy(a.townships);
    free(a.tokens);
    hy_ctx_destroy(snd.ctx);
    hy_config_free(cfg);
    return rc;
}
