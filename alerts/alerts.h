/*
 * alerts/alerts.h - what happens to detections: the store (SQLite, versioned schema) and the
 * outputs other tools read (JSON lines, GeoJSON).
 *
 * A hy_store is used by one thread at a time. The JSON functions are reentrant.
 */
#ifndef HY_ALERTS_H
#define HY_ALERTS_H

#include "core/core.h"
#include "detect/detect.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- store ---- */

/** The schema version this build writes (PRAGMA user_version). */
#define HY_STORE_SCHEMA_VERSION 11

typedef struct hy_store hy_store;

/** How detections merge into events: the same kind, and either (both placed on the ground)
 *  within radius_m of the event's mean position, or (not placed: a camera hit without a fix)
 *  the same source; and in time within gap_s of the event's span. */
typedef struct hy_event_rules {
    double radius_m; /* default 1000: a MODIS pixel at nadir, a field and its neighbours */
    double gap_s;    /* default 7200: a straw fire burns for hours; satellites pass hours apart */
} hy_event_rules;

void hy_event_rules_init(hy_event_rules *r);

/** Open (creating if needed) a SQLite store in WAL mode and migrate its schema, one version at
 *  a time in a transaction each, up to HY_STORE_SCHEMA_VERSION. A file from a newer huoyan
 *  (higher user_version) is refused. On failure *out is NULL and err names the file and
 *  what failed. */
HY_NODISCARD hy_status hy_store_open(const hy_ctx *ctx, const char *path, hy_store **out, char *err,
                                     size_t err_size);
/** Schema version of the open file (after migration). */
int hy_store_schema_version(const hy_store *st);
/** Store n detections in one transaction: all or none. first_id (may be NULL) gets the row id
 *  of the first; the others follow in order. Each (but static hot sources) joins an open event
 *  by the store's rules or starts one, in the same transaction. When this returns HY_OK they
 *  are durable. */
HY_NODISCARD hy_status hy_store_add(hy_store *st, const hy_detection *d, size_t n,
                                    int64_t *first_id);
/** Read detection `id` into *d. HY_ENOTFOUND if there is none. */
HY_NODISCARD hy_status hy_store_get(hy_store *st, int64_t id, hy_detection *d);
/** Number of stored detections. */
HY_NODISCARD hy_status hy_store_count(hy_store *st, int64_t *n);

/** One row of the per-township summary. Strings valid during the callback only. */
typedef struct hy_store_summary_row {
    const char *county, *township_code, *township_name, *kind;
    const char *day; /* Beijing date (UTC+8) "YYYY-MM-DD" when by day, else "" */
    int64_t detections;
    int64_t pixels;
    double area_m2;                     /* sum of the detections' areas (0 where none) */
    const char *first_time, *last_time; /* ISO UTC, or "" */
    double lon, lat;                    /* mean position of its detections; NaN if none */
} hy_store_summary_row;

/** Call fn once per (township, kind) with counts, ordered by county, township, kind;
 *  detections without a township come last with empty strings. fn returns non-zero to stop. */
HY_NODISCARD hy_status hy_store_summary(hy_store *st,
                                        int (*fn)(void *user, const hy_store_summary_row *row),
                                        void *user);
/** The same, per (township, Beijing day, kind) when by_day, ordered by day within township. */
HY_NODISCARD hy_status hy_store_summary_by(hy_store *st, int by_day,
                                           int (*fn)(void *user, const hy_store_summary_row *row),
                                           void *user);
/** Write the summary (by day when by_day) as CSV in UTF-8 with a BOM (path *.csv, for Excel)
 *  or as GeoJSON points at each row's mean position (path *.geojson, for QGIS), through OGR.
 *  Columns: county, township_code, township, day (when by day), kind, detections, pixels,
 *  first_utc, last_utc, lon, lat. */
HY_NODISCARD hy_status hy_store_summary_write(hy_store *st, int by_day, const char *path, char *err,
                                              size_t err_size);
/** The record of a scene the service's folder watch handled: its size and modification time
 *  then, and its state ("done" or "failed"). HY_ENOTFOUND if it was never handled. */
HY_NODISCARD hy_status hy_store_scene_get(hy_store *st, const char *path, int64_t *size,
                                          int64_t *mtime_us, char *state, size_t state_size);
/** Record (or replace) that record; detail says what failed. */
HY_NODISCARD hy_status hy_store_scene_put(hy_store *st, const char *path, int64_t size,
                                          int64_t mtime_us, const char *state, const char *detail);

/** The false-alarm memory of a camera: the newest (by time) at most max of its camera hits in
 *  events marked false_alarm, into out; *n gets how many. camera NULL: every camera's. A
 *  transition to false_alarm (hy_store_event_transition) adds the event's camera hits (those
 *  with a box; not cross-bearing fixes) in the same transaction. */
HY_NODISCARD hy_status hy_store_false_alarms(hy_store *st, const char *camera, hy_false_alarm *out,
                                             size_t max, size_t *n);

/** Replace the event rules (HY_EINVAL for a radius or gap not > 0). */
HY_NODISCARD hy_status hy_store_set_event_rules(hy_store *st, const hy_event_rules *r);

/* ---- events: found -> reported -> dispatched -> handled -> reported back -> verified ---- */

#define HY_EVENT_STATE_LIST(X)                                                                     \
    X(NEW, "new")                                                                                  \
    X(DISPATCHED, "dispatched")                                                                    \
    X(ACKNOWLEDGED, "acknowledged")                                                                \
    X(ON_SITE, "on_site")                                                                          \
    X(RESOLVED, "resolved")                                                                        \
    X(FALSE_ALARM, "false_alarm")                                                                  \
    X(VERIFIED, "verified")

typedef enum hy_event_state {
#define HY_X_ENUM(name, str) HY_EVENT_##name,
    HY_EVENT_STATE_LIST(HY_X_ENUM)
#undef HY_X_ENUM
        HY_EVENT_STATE_COUNT
} hy_event_state;

const char *hy_event_state_name(hy_event_state s);
/** The state named s, or -1. */
int hy_event_state_parse(const char *s);
/** NULL when an event may go from one state to the other, else why not (a sentence). The
 *  lifecycle: new -> dispatched -> acknowledged -> on_site -> resolved -> verified; false_alarm
 *  from any state before resolved, then verified. */
const char *hy_event_transition_refused(hy_event_state from, hy_event_state to);
/** 1 for the states in which an event still takes detections (before resolved). */
int hy_event_state_open(hy_event_state s);

typedef struct hy_event {
    int64_t id;
    hy_kind kind;
    hy_event_state state;
    int confirmed; /* 0: suspected (one detection, nobody confirmed it) */
    int escalated;
    char source_id[96]; /* the first detection's source */
    char township_code[16], township_name[64], township_county[64];
    double lon, lat;                /* mean of its placed detections; NaN if none */
    int64_t first_time, last_time;  /* its detections' span (UTC us) */
    int64_t detections;             /* how many */
    int64_t created_at, updated_at; /* UTC us */
} hy_event;

/** One history entry: action is "created", "detection", "confirmed", "transition" or
 *  "escalated"; states "" where they do not apply. Strings valid during the callback. */
typedef struct hy_event_change {
    int64_t time; /* UTC us */
    const char *actor, *action, *from_state, *to_state, *note;
} hy_event_change;

/** Which events hy_store_events lists: state -1 any; township_code NULL any; kind -1 any;
 *  limit 0 all. Newest first. */
typedef struct hy_event_filter {
    int state, kind;
    const char *township_code;
    int64_t limit;
} hy_event_filter;

void hy_event_filter_init(hy_event_filter *f);
HY_NODISCARD hy_status hy_store_event_get(hy_store *st, int64_t id, hy_event *ev);
HY_NODISCARD hy_status hy_store_events(hy_store *st, const hy_event_filter *f,
                                       int (*fn)(void *user, const hy_event *ev), void *user);
/** How many events are in each state: counts[s] for every hy_event_state s (one query). */
HY_NODISCARD hy_status hy_store_event_counts(hy_store *st, int64_t counts[HY_EVENT_STATE_COUNT]);
/** The event's history, oldest first. */
HY_NODISCARD hy_status hy_store_event_history(hy_store *st, int64_t id,
                                              int (*fn)(void *user, const hy_event_change *c),
                                              void *user);
/** The ids of the event's detections, oldest first. */
HY_NODISCARD hy_status hy_store_event_detections(hy_store *st, int64_t id,
                                                 int (*fn)(void *user, int64_t detection_id),
                                                 void *user);
/** Move an event to state `to`, recording actor (required) and note (may be NULL) in its
 *  history, in one transaction. HY_ENOTFOUND for no such event; HY_ESTATE for a transition
 *  the lifecycle refuses (hy_store_errmsg says why); HY_EINVAL for no actor. */
HY_NODISCARD hy_status hy_store_event_transition(hy_store *st, int64_t id, hy_event_state to,
                                                 const char *actor, const char *note);
/** A person confirms a suspected event. HY_ESTATE if it is already confirmed or closed. */
HY_NODISCARD hy_status hy_store_event_confirm(hy_store *st, int64_t id, const char *actor,
                                              const char *note);
/** Escalate every event still new or dispatched (nobody acknowledged it) created more than
 *  after_min minutes before now (UTC us) and not escalated yet: marked, with a history entry
 *  naming its county. fn (may be NULL) is called for each, after the commit; *count (may be
 *  NULL) gets their number. */
HY_NODISCARD hy_status hy_store_escalate(hy_store *st, int64_t now, double after_min,
                                         int (*fn)(void *user, const hy_event *ev), void *user,
                                         int64_t *count);

/* ---- the outbox: every event change, delivered at least once to each sink ---- */

/** A sink event changes are queued for: its name (the sender's key to it) and the townships
 *  it takes (none: every event; an event with no township goes only to sinks without a list). */
typedef struct hy_sink_route {
    const char *name;
    const char *const *townships;
    unsigned townships_count;
    int cap; /* the sink takes CAP 1.2 XML (hy_event_cap), else the JSON body */
} hy_sink_route;

/** Replace the sinks. From now on each event change (creation, detection, confirmation, move,
 *  escalation) is queued for each sink its township routes to, in the change's transaction:
 *  a change that is stored is never lost to a sink. Copies the routes. */
HY_NODISCARD hy_status hy_store_set_sinks(hy_store *st, const hy_sink_route *r, unsigned n);

typedef struct hy_outbox_item {
    int64_t id, event_id;
    const char *sink, *key, *body; /* key: the idempotency key, the same on every try */
    int attempts;                  /* tries before this one */
} hy_outbox_item;

typedef struct hy_outbox_policy {
    int max_attempts;     /* an item is dead after this many failed tries; default 10 */
    double backoff_s;     /* the wait after the first failure, doubling; default 2 */
    double backoff_max_s; /* the longest wait; default 600. Each wait is +-20 % (jitter) */
} hy_outbox_policy;

void hy_outbox_policy_init(hy_outbox_policy *p);

typedef struct hy_outbox_stats {
    int64_t delivered, failed, dead; /* this run: delivered, failed (to retry), now dead */
} hy_outbox_stats;

/** Try every item due at now (UTC us), oldest first, at most limit (0: 256). send returns 0
 *  when the sink took it, else non-zero with err filled; each outcome is committed before the
 *  next try. */
HY_NODISCARD hy_status hy_outbox_run(hy_store *st, int64_t now, const hy_outbox_policy *p,
                                     int64_t limit,
                                     int (*send)(void *user, const hy_outbox_item *it, char *err,
                                                 size_t err_size),
                                     void *user, hy_outbox_stats *stats);

/** Items pending, delivered and dead; *next_due (may be NULL) gets the earliest time a pending
 *  item is due (0 if none). */
HY_NODISCARD hy_status hy_outbox_counts(hy_store *st, int64_t *pending, int64_t *delivered,
                                        int64_t *dead, int64_t *next_due);

/** One event's deliveries: sink, state (pending, delivered, dead), tries, last error. */
typedef struct hy_delivery {
    int64_t id;
    const char *sink, *key, *state, *last_error;
    int attempts;
} hy_delivery;

HY_NODISCARD hy_status hy_store_event_deliveries(hy_store *st, int64_t id,
                                                 int (*fn)(void *user, const hy_delivery *d),
                                                 void *user);

/** One event change as the sinks receive it (docs/events.md): {"idempotency_key", "change":
 *  {time, actor, action, from, to, note}, "event": hy_event_json's object}. malloc'd. */
char *hy_event_change_json(const hy_event *ev, const hy_event_change *c, const char *key);

/** One event change as an OASIS CAP 1.2 alert (UTF-8 XML that validates against
 *  CAP-v1.2.xsd): identifier, sender huoyan, sent (Beijing time, +08:00), status Actual,
 *  msgType Alert for the creation, Cancel for a false_alarm, Update otherwise with references
 *  to the creation's message (first_identifier, sent at the event's creation); scope
 *  Restricted; one info in zh-CN: category Fire (fire, smoke) or Env, the event's kind in
 *  Chinese, urgency, severity, certainty (Observed when confirmed, Possible while suspected),
 *  the event id, headline, the change as description, parameters state, detections, actor;
 *  the area: county and township, a 1 km circle at the event's position, the township code as
 *  CN-adcode. malloc'd (free()); NULL when out of memory. */
char *hy_event_cap(const hy_event *ev, const hy_event_change *c, const char *identifier,
                   const char *first_identifier);

/* ---- webhook ---- */

typedef struct hy_webhook {
    const char *url;
    const char *secret;       /* HMAC-SHA256 key for the signature header; NULL: unsigned */
    double timeout_s;         /* whole request; default 10 */
    const char *content_type; /* NULL: application/json; charset=utf-8 */
} hy_webhook;

/** POST body (JSON) to the webhook with headers Idempotency-Key: key and, with a secret,
 *  X-Huoyan-Signature: sha256=HEX (HMAC-SHA256 of the body). TLS peers are verified. HY_OK on
 *  a 2xx answer; otherwise err says what the server answered ("HTTP 503") or what failed
 *  (libcurl's message); the caller names the sink. */
HY_NODISCARD hy_status hy_webhook_post(const hy_ctx *ctx, const hy_webhook *w, const char *key,
                                       const char *body, char *err, size_t err_size);
/** HMAC-SHA256 of data under key as 64 lowercase hex digits and a NUL. */
void hy_hmac_sha256_hex(const char *key, const void *data, size_t len, char out[65]);

/* ---- MQTT ---- */

typedef struct hy_mqtt {
    const char *host;
    int port;         /* default 1883 */
    double timeout_s; /* connect, publish and PUBACK; default 10 */
} hy_mqtt;

/** The topic for an event from a template: {county} (the county's name), {township} (its
 *  code), {township_name}, {kind}; "unknown" where the event has no township. '/', '+' and
 *  '#' in a value become '_', so a name can neither add levels nor wildcards. */
void hy_mqtt_topic(const char *tmpl, const hy_event *ev, char *out, size_t size);
/** Publish payload to topic at QoS 1 and wait for the broker's PUBACK: HY_OK once it came;
 *  otherwise err says what failed. */
HY_NODISCARD hy_status hy_mqtt_publish(const hy_mqtt *q, const char *topic, const char *payload,
                                       char *err, size_t err_size);

/** Last error on st, naming the file. Valid until the next call on st. */
const char *hy_store_errmsg(const hy_store *st);
/** Close; NULL is a no-op. */
void hy_store_close(hy_store *st);

/* ---- JSON ---- */

/** One detection as a one-line JSON object in DESIGN.md's contract (fields that do not apply
 *  are left out). Returns a malloc'd string (free with free()), NULL when out of memory. */
char *hy_detection_json(const hy_detection *d);

/** One event as a one-line JSON object: id, kind, state, confirmed, escalated, detections,
 *  first_time, last_time, lon, lat (when placed), township {code, name, county} (when known),
 *  source (the first detection's), updated. malloc'd (free()); NULL when out of memory. */
char *hy_event_json(const hy_event *ev);

/** Write detections as an RFC 7946 GeoJSON FeatureCollection of points (lon, lat); a
 *  detection without a ground position gets a null geometry. Properties are the JSON line's
 *  fields. err names the file on failure. */
HY_NODISCARD hy_status hy_geojson_write(const char *path, const hy_detection *d, size_t n,
                                        char *err, size_t err_size);

/** Write detections as a GeoPackage (created anew at path) with one point layer in WGS84
 *  named layer: attributes kind, source_type, source_id, sensor, time (UTC), frame, bbox_x,
 *  bbox_y, bbox_w, bbox_h, pixels, township_code, township_name, township_county, confidence,
 *  area_m2, frp_mw, bt4_k, bearing_deg, tests, static_source (0/1), swir2_max, swir2_mean,
 *  r75_max; null where a field does not
 * apply, no geometry without a ground position. err names the file on failure. */
HY_NODISCARD hy_status hy_gpkg_write(const char *path, const char *layer, const hy_detection *d,
                                     size_t n, char *err, size_t err_size);

/** Add a point layer "events" (WGS84; no geometry for an event never placed) to the
 *  GeoPackage at path, which must exist (hy_gpkg_write made it): event_id, kind, state,
 *  confirmed, escalated, detections, first_time, last_time (UTC), source_id, township_code,
 *  township_name, township_county, updated. err names the file on failure. */
HY_NODISCARD hy_status hy_gpkg_add_events(const char *path, const hy_event *ev, size_t n, char *err,
                                          size_t err_size);

/** Write the Chinese report table as CSV (path must end in .csv), UTF-8 with a byte order
 *  mark, CRLF lines: 序号, 市 (city, the same for every row), 县, 乡镇, 乡镇代码, 中心经度,
 *  中心纬度, 过境日期 and 过境时间 (Beijing time, UTC+8), 卫星/传感器, 像元数, 面积(亩),
 *  置信度, 状态 (疑似 = suspected until checked on the ground; 固定热源 = static source). */
HY_NODISCARD hy_status hy_report_cn_write(const char *path, const char *city, const hy_detection *d,
                                          size_t n, char *err, size_t err_size);

/** Write a scene's fire mask as a Cloud-Optimised GeoTIFF (DEFLATE, 512-pixel tiles) on its
 *  grid (width x height, geotransform, CRS as WKT): one byte a pixel, 0 (nodata) where no
 *  fire, else the pixel's HY_FIRE_* bits. */
HY_NODISCARD hy_status hy_mask_write_cog(const char *path, int width, int height,
                                         const double gt[6], const char *crs_wkt,
                                         const hy_fire_pixel *px, size_t n, char *err,
                                         size_t err_size);

/* ---- evidence pictures ---- */

/** Write frame (HY_PIX_RGBP, full resolution) with box (x, y, w, h in its pixels) drawn in red
 *  and white as a JPEG of the given quality (1..100; 85 is a good default), atomically (a
 *  temporary file renamed). err names the file on failure. */
HY_NODISCARD hy_status hy_evidence_write(const char *path, const hy_image *frame, const int box[4],
                                         int quality, char *err, size_t err_size);

/** One panel of a satellite chip: three float planes shown as red, green and blue (the same
 *  plane three times for grey), each value linearly from lo (0) to hi (255), rounded and
 *  clamped: v = round(255 (x - lo) / (hi - lo)). NaN, and pixels whose valid byte is 0, are
 *  black. */
typedef struct hy_chip_panel {
    const float *r, *g, *b;
    const uint8_t *valid; /* NULL: every pixel */
    double lo, hi;        /* hi > lo */
} hy_chip_panel;

/** White pixels between two panels of a chip. */
#define HY_CHIP_GAP 4

/** Write a satellite evidence chip: npanels (1..4) panels of w x h values (stride elements
 *  between rows, shared by every plane), side by side with HY_CHIP_GAP white pixels between,
 *  each pixel enlarged to zoom x zoom (1..16), with box (x, y, w, h in panel pixels) drawn
 *  on every panel (red, 2 display pixels wide, just outside it; white on its edge), as a
 *  JPEG of the given quality without chroma subsampling, atomically. err names the file on
 *  failure. */
HY_NODISCARD hy_status hy_evidence_write_chip(const char *path, const hy_chip_panel *panels,
                                              int npanels, int w, int h, ptrdiff_t stride,
                                              const int box[4], int zoom, int quality, char *err,
                                              size_t err_size);

/* ---- bare-soil patches ---- */

/** Write bare-soil patches (d[k] and p's patch k, as hy_bare_detect made them, placed in
 *  townships) as polygons in WGS84: a GeoPackage, or GeoJSON when path ends in .geojson or
 *  .json; layer "bare_soil_patches" with class (bare, new, persistent), area_m2, area_mu (1 mu
 *  = 10000/15 m2), pixels, township, centre lon/lat, source_id, time. gt and crs_wkt are the
 *  scene's grid. An existing file is replaced. */
HY_NODISCARD hy_status hy_patches_write(const char *path, const hy_detection *d,
                                        const hy_bare_patches *p, const double gt[6],
                                        const char *crs_wkt, char *err, size_t err_size);

/* ---- FIRMS / CSPP point files ---- */

/** One active-fire point as FIRMS lists it (REFERENCES.md). NaN / "" / -1 where absent. */
typedef struct hy_firms_row {
    double lat, lon;
    double bt4_k; /* bright_ti4 (VIIRS) or brightness (MODIS) */
    double scan_km, track_km;
    int64_t time;       /* acq_date + acq_time, UTC */
    char satellite[16]; /* "N", "1", "Terra", "Aqua" */
    char instrument[8]; /* "VIIRS" or "MODIS" */
    char confidence[8]; /* VIIRS l/n/h, MODIS 0..100 */
    char version[16];
    double bt5_k; /* bright_ti5 (VIIRS) or bright_t31 (MODIS) */
    double frp_mw;
    char daynight; /* 'D' or 'N' */
    int type;      /* 0 vegetation, 1 volcano, 2 static land source, 3 offshore */
} hy_firms_row;

typedef struct hy_firms_rows {
    hy_firms_row *v;
    size_t n, cap;
} hy_firms_rows;

/** Read a FIRMS archive CSV (MODIS or VIIRS columns) or a CSPP active-fire text list (AFIMG).
 *  err names the file and line on failure. Free with hy_firms_rows_free. */
HY_NODISCARD hy_status hy_firms_read(const hy_ctx *ctx, const char *path, hy_firms_rows *rows,
                                     char *err, size_t err_size);
void hy_firms_rows_free(const hy_ctx *ctx, hy_firms_rows *rows);
/** Write rows as a FIRMS CSV with exactly FIRMS's columns: MODIS's when the first row's
 *  instrument is MODIS, else VIIRS's. */
HY_NODISCARD hy_status hy_firms_write(const char *path, const hy_firms_row *rows, size_t n,
                                      char *err, size_t err_size);
/** A FIRMS point as a detection: one pixel at its lon/lat, BT4, FRP, scan x track area,
 *  confidence l/n/h -> 0.3/0.6/0.9 or MODIS % / 100, type 2 -> static_source. */
void hy_firms_to_detection(const hy_firms_row *row, const char *source_id, hy_detection *d);
/** A thermal detection (VIIRS or MODIS pixel) as a FIRMS point, rounded to FIRMS's decimals
 *  (VIIRS: 5 for latitude and longitude, 2 for temperatures, sizes and FRP; MODIS: 4 and 1);
 *  satellite from the product
 *  id's prefix (VNP -> N, VJ1 -> 1, VJ2 -> 2, MOD -> Terra, MYD -> Aqua), confidence 0.9 /
 *  0.6 / 0.3 -> h / n / l (VIIRS) or rounded % (MODIS), version "huoyan", type 2 for a static
 *  source, 3 over water ("water" or "offshore" among its tests), else 0. */
void hy_firms_from_detection(const hy_detection *d, hy_firms_row *row);

#ifdef __cplusplus
}
#endif
#endif
