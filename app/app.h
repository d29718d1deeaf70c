/* app/app.h - shared by the huoyan program's subcommands (app/ only). */
#ifndef HY_APP_H
#define HY_APP_H

#include "core/core.h"

#include <stdint.h>

/* Exit codes: DESIGN.md. */
#define HY_EXIT_OK      0
#define HY_EXIT_FAILURE 1
#define HY_EXIT_USAGE   2

/** Make the program's context: logs to stderr at INFO (DEBUG with verbose, WARN with quiet),
 *  HY_CPU (auto|scalar|avx2|avx512) and HY_THREADS from the environment. Returns an exit
 *  code: 0 on success. */
int hy_app_ctx(int verbose, int quiet, hy_ctx **ctx);
/** Print "huoyan: <message>" to stderr. */
void hy_app_error(const char *fmt, ...) HY_PRINTF(1, 2);

int hy_cmd_scan(int argc, char **argv);
int hy_cmd_import(int argc, char **argv);
int hy_cmd_watch(int argc, char **argv);
int hy_cmd_townships(int argc, char **argv);
int hy_cmd_locate(int argc, char **argv);
int hy_cmd_report(int argc, char **argv);
int hy_cmd_events(int argc, char **argv);
int hy_cmd_deliver(int argc, char **argv);
int hy_cmd_serve(int argc, char **argv);
int hy_cmd_samples(int argc, char **argv);
int hy_cmd_config(int argc, char **argv);
int hy_cmd_eval(int argc, char **argv);

#endif

/* ---- outputs shared by scan and watch (app/output.c) ---- */

#include "alerts/alerts.h"
#include "geo/geo.h"
#include "ingest/ingest.h"

/** The name a configured sink goes by in the outbox: "webhook:URL", "mqtt:HOST:PORT/TOPIC",
 *  "cap:URL". */
void hy_app_sink_name(const hy_config_sink *s, char *buf, size_t size);
/** Register the configuration's sinks with the store, so that event changes are queued for
 *  them (hy_store_set_sinks). Webhook and MQTT sinks get the JSON body, CAP sinks CAP 1.2 XML. An
 * exit code. */
int hy_app_store_sinks(hy_store *st, const hy_config *cfg);

/** d->evidence = "DIR/ID-TAIL.jpg" for d's source id, with the characters of a URL or a name
 *  that a file name should not hold (/ : ? & and space) in ID-TAIL made _. -1 (and "") when
 *  it does not fit. */
int hy_app_evidence_path(hy_detection *d, const char *dir, const char *tail);

/* ---- a camera's analysis loop, shared by watch and serve (app/cmd_watch.c) ---- */

/** The hy_decode named auto, all or key, and the hy_smoke_colour named genovese or toreyin
 *  (watch's options, a camera's decode and smoke_colour); -1 for any other name. */
int hy_app_decode_named(const char *name);
int hy_app_smoke_colour_named(const char *name);

/** What watch analyses a source with (its options). */
typedef struct hy_app_watch_opts {
    const char *camera;
    double every_s;
    int width, height;
    int persist_k, persist_n, hold_k; /* hold_k 0: the detectors' default */
    double timeout_s, backoff_max_s;
    int reconnect;
    int snapshot;   /* the SOURCEs are snapshot URLs */
    int64_t frames; /* snapshots: stop after this many pictures (0: never) */
    int every_set;
    hy_decode decode;                /* --decode (HY_DECODE_AUTO by default) */
    int flame_on, smoke_on, dust_on; /* --detect */
    const char *evidence;            /* --evidence DIR */
    double soft_edge;                /* --soft-edge R; < 0 off */
    hy_smoke_colour smoke_colour;    /* --smoke-colour */
    double view_change;              /* --view-change: smoke and dust models restart when this
                                        share of the picture changed at once; 0 off, < 0 the
                                        detectors' default */
    /* A configured camera with a pose places each hit: its bearing, and where the ray through
     * the foot of its box meets the ground (geo.dem, or flat) within geo.max_range_m, in its
     * township from here (NULL: none), up to max_outside_m outside. */
    const hy_townships *townships;
    double max_outside_m;
    /* The store the camera's false-alarm memory is read from (hy_store_false_alarms, again
     * every 30 s while there are hits), used from the loop's thread only; NULL: no memory. A
     * hit that repeats a remembered false alarm (hy_false_alarm_match, default parameters) is
     * not reported, and is counted in stats->suppressed. */
    hy_store *memory;
} hy_app_watch_opts;

/** A running camera's counters, updated by its loop and read by others (serve's /metrics);
 *  stop, set by another thread, ends the loop after the frame in hand. */
typedef struct hy_app_camera_stats {
    _Atomic int64_t analysed, reported, suppressed;
    /* microseconds (a monotonic clock) decoding, scaling and in the detectors: hy_video_times
     * and the loop's own timing (a snapshot camera: the detectors only) */
    _Atomic int64_t decode_us, scale_us, detect_us;
    _Atomic int up;      /* 1 while frames arrive */
    _Atomic int picture; /* hy_picture_state: live, frozen or blank */
    _Atomic int stop;
} hy_app_camera_stats;

/** Decode url and run the detectors w asks for on it until its end (a file), an error, or
 *  stats->stop; each batch of detections goes to emit (an exit code back). cfg (may be NULL)
 *  gives the camera's exclusion polygons, by the camera id. An exit code. */
int hy_app_watch_source(hy_ctx *ctx, const hy_config *cfg, const char *config_path, const char *url,
                        const hy_app_watch_opts *w,
                        int (*emit)(void *user, hy_detection *d, size_t n), void *user,
                        hy_app_camera_stats *stats);

/* ---- cross-bearing fixes of the service's cameras (app/fixer.c) ---- */

/** The bearing half-width a fix gives each camera's hit, degrees (as locate's default). */
#define HY_APP_FIX_HALF_WIDTH_DEG 0.5

typedef struct hy_app_fixer hy_app_fixer;

/** A fixer over the configured cameras' poses (cfg must outlive it), placing fixes in tw's
 *  townships (NULL: none). NULL when out of memory. */
hy_app_fixer *hy_app_fixer_create(const hy_config *cfg, const hy_townships *tw,
                                  double max_outside_m);
/** Offer camera hits (those with a bearing, a time and a posed camera count): each becomes
 *  its camera's latest bearing of its kind, and where it crosses the latest bearings of other
 *  cameras of that kind within geo's fix window (60 s; hy_geo_cross_fixes), a detection is
 *  appended to out: the same kind, source "fix:CAM+CAM...", placed at the crossing and in its
 *  township, tests "cross_bearing_N,radius_Rm". A place is reported once per window. Safe
 *  from several camera threads. */
HY_NODISCARD hy_status hy_app_fixer_offer(hy_app_fixer *f, const hy_ctx *ctx, const hy_detection *d,
                                          size_t n, hy_detections *out);
void hy_app_fixer_destroy(hy_app_fixer *f);

/* ---- delivery, shared by deliver and serve (app/cmd_deliver.c) ---- */

typedef struct hy_app_sender {
    const hy_config *cfg;
    hy_ctx *ctx;
    double timeout_s;
} hy_app_sender;

/** hy_outbox_run's send: the item to its configured sink (webhook, cap, mqtt). */
int hy_app_send(void *user, const hy_outbox_item *it, char *err, size_t err_size);
/** The configuration's alerts.max_attempts, backoff_s, backoff_max_s as a policy. */
void hy_app_outbox_policy(const hy_config *cfg, hy_outbox_policy *p);

#include <getopt.h>

typedef struct hy_app_out {
    int json;              /* JSON lines on stdout, else a readable line per detection */
    const char *geojson;   /* GeoJSON file or NULL */
    const char *gpkg;      /* GeoPackage file or NULL */
    const char *report_cn; /* Chinese report table (CSV) or NULL */
    const char *city;      /* 市 for that table */
    const char *db;        /* SQLite file; NULL with no_db */
    int no_db;
    const char *config;        /* configuration file for store and townships, or NULL */
    hy_townships_config tcfg;  /* tcfg.path NULL: no township assignment */
    double max_outside_m;      /* nearest township within this for hits outside all; < 0: unset */
    hy_hotsources_config hcfg; /* hcfg.path NULL: no static hot-source mask */
    int verbose, quiet;
    /* opened by hy_app_out_open */
    hy_ctx *ctx;
    hy_config *cfg;
    hy_store *store;
    hy_townships *townships;
    hy_hotsources *hot;
    hy_detections all; /* everything emitted, for the GeoJSON file */
} hy_app_out;

/* getopt_long options every pipeline command takes; value codes from 1000. */
#define HY_APP_OUT_OPTIONS                                                                         \
    {"json", no_argument, NULL, 1000}, {"geojson", required_argument, NULL, 1001},                 \
        {"db", required_argument, NULL, 1002}, {"no-db", no_argument, NULL, 1003},                 \
        {"townships", required_argument, NULL, 1004}, {"layer", required_argument, NULL, 1005},    \
        {"code-field", required_argument, NULL, 1006},                                             \
        {"name-field", required_argument, NULL, 1007},                                             \
        {"county-field", required_argument, NULL, 1008},                                           \
        {"config", required_argument, NULL, 1009}, {"gpkg", required_argument, NULL, 1010},        \
        {"report-cn", required_argument, NULL, 1011}, {"city", required_argument, NULL, 1012},     \
        {"townships-crs", required_argument, NULL, 1013},                                          \
        {"max-outside", required_argument, NULL, 1014}, {"verbose", no_argument, NULL, 'v'},       \
        {"quiet", no_argument, NULL, 'q'},                                                         \
    {                                                                                              \
        "help", no_argument, NULL, 'h'                                                             \
    }

#define HY_APP_OUT_HELP                                                                                        \
    "  --json               detections as JSON lines on stdout (DESIGN.md's contract)\n"                       \
    "  --geojson FILE       also write them as a GeoJSON FeatureCollection\n"                                  \
    "  --gpkg FILE          also write them as a GeoPackage layer \"detections\" (QGIS)\n"                     \
    "  --report-cn FILE.csv the Chinese report table (市, 县, 乡镇, 中心经度, 中心纬度, Beijing\n" \
    "                       time, sensor), UTF-8 CSV with a BOM for Excel; --city NAME fills 市\n"            \
    "  --db FILE            store them in this SQLite file (default huoyan.db)\n"                              \
    "  --no-db              do not store them\n"                                                               \
    "  --townships FILE     township polygons (any OGR source) to place hits in\n"                             \
    "  --layer NAME         layer of that source (default: the first)\n"                                       \
    "  --townships-crs C    wgs84 (default) or gcj02 (Amap/DataV layers: converted at load)\n"                 \
    "  --max-outside M      a hit outside every township goes to the nearest within M metres,\n"               \
    "                       with township.outside_m (default 0: to none)\n"                                    \
    "  --code-field F, --name-field F, --county-field F\n"                                                     \
    "                       attribute names (defaults code, name, county)\n"                                   \
    "  --config FILE        take store and townships from a configuration file\n"                              \
    "  -v, --verbose        debug logging;  -q, --quiet  warnings and errors only\n"                           \
    "  -h, --help           this help\n"

void hy_app_out_init(hy_app_out *o);
/** Handle a common option (c from HY_APP_OUT_OPTIONS); returns 1 if it was one. */
int hy_app_out_option(hy_app_out *o, int c, const char *arg);
/** Create the ctx, load the configuration, townships and store. Returns an exit code. */
int hy_app_out_open(hy_app_out *o);
/** Print, store and keep n detections. Returns an exit code. */
int hy_app_out_emit(hy_app_out *o, const hy_detection *d, size_t n);
/** Open the outputs, call fn(o, source, user) for each of argv[first..argc) until one fails,
 *  and close. Returns the exit code. */
int hy_app_out_run(hy_app_out *o, int argc, char **argv, int first,
                   int (*fn)(hy_app_out *o, const char *source, const void *user),
                   const void *user);
/** Write the GeoJSON file if asked, close everything. Returns an exit code (the worse of rc
 *  and its own). */
int hy_app_out_close(hy_app_out *o, int rc);
