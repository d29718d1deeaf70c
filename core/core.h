/*
 * core/core.h - what every stage of huoyan shares: status codes, the context (logger,
 * allocator, CPU flags, threads), image and tile types, the thread pool, UTC time and the
 * configuration file.
 *
 * Thread-safety, unless a declaration says otherwise: functions on a hy_ctx may be called from
 * any thread (the ctx is immutable after hy_ctx_create); a handle of any other type is used by
 * one thread at a time.
 */
#ifndef HY_CORE_H
#define HY_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define HY_NODISCARD    __attribute__((warn_unused_result))
#define HY_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HY_NODISCARD
#define HY_PRINTF(a, b)
#endif

#define HY_VERSION "0.1.0"

/* ---------------------------------------------------------------------------------------- */
/* Status codes (one list generates the enum, the names and the messages)                   */

#define HY_STATUS_LIST(X)                                                                          \
    X(OK, "success")                                                                               \
    X(EINVAL, "invalid argument")                                                                  \
    X(ENOMEM, "out of memory")                                                                     \
    X(EIO, "input/output error")                                                                   \
    X(EFORMAT, "malformed or unsupported input")                                                   \
    X(ENOTFOUND, "not found")                                                                      \
    X(ECONFIG, "bad configuration")                                                                \
    X(ECV, "OpenCV error")                                                                         \
    X(EDB, "database error")                                                                       \
    X(EEOF, "end of stream")                                                                       \
    X(ETIMEOUT, "timed out")                                                                       \
    X(ESTATE, "not allowed in the current state")                                                  \
    X(EINTERNAL, "internal error")

typedef enum hy_status {
#define HY_X_ENUM(name, msg) HY_##name,
    HY_STATUS_LIST(HY_X_ENUM)
#undef HY_X_ENUM
        HY_STATUS_COUNT
} hy_status;

/** Name of a status ("HY_EINVAL"); "HY_UNKNOWN" for a value outside the list. Thread-safe. */
const char *hy_status_name(hy_status s);
/** One-line English message for a status. Thread-safe. */
const char *hy_status_str(hy_status s);

/* ---------------------------------------------------------------------------------------- */
/* Context                                                                                   */

typedef enum hy_log_level {
    HY_LOG_ERROR = 0,
    HY_LOG_WARN = 1,
    HY_LOG_INFO = 2,
    HY_LOG_DEBUG = 3
} hy_log_level;

/** Log sink: called with one complete message without a trailing newline. Must be
 *  thread-safe: stages on several threads may log at once. */
typedef void (*hy_log_fn)(void *user, hy_log_level level, const char *msg);

/** Memory functions; all three are required when an allocator is given. */
typedef struct hy_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
    void *user;
} hy_allocator;

/* CPU feature flags, as reported by hy_ctx_cpu_flags(). */
#define HY_CPU_AVX2   (1u << 0) /* AVX2 + FMA + POPCNT */
#define HY_CPU_AVX512 (1u << 1) /* AVX-512 F + BW + VL + DQ */

typedef enum hy_cpu_level {
    HY_CPU_LEVEL_AUTO = 0, /* use what the CPU has */
    HY_CPU_LEVEL_SCALAR,   /* force the plain-C reference kernels */
    HY_CPU_LEVEL_AVX2,     /* at most AVX2 */
    HY_CPU_LEVEL_AVX512    /* at most AVX-512 */
} hy_cpu_level;

typedef struct hy_ctx_config {
    hy_log_fn log;                 /* NULL: discard logs */
    void *log_user;                /* passed to log */
    hy_log_level log_level;        /* messages above this level are dropped; default INFO */
    const hy_allocator *allocator; /* NULL: malloc/realloc/free; copied at create */
    hy_cpu_level cpu_level;        /* cap on the kernels chosen; default AUTO */
    int threads;                   /* worker threads for stages, 1..256; 0 = number of CPUs */
} hy_ctx_config;

typedef struct hy_ctx hy_ctx;

/** Fill cfg with defaults. */
void hy_ctx_config_init(hy_ctx_config *cfg);
/** Create a context. *out is NULL on failure. The caller destroys it with hy_ctx_destroy()
 *  after every handle made from it. */
HY_NODISCARD hy_status hy_ctx_create(const hy_ctx_config *cfg, hy_ctx **out);
/** Destroy a context; NULL is a no-op. */
void hy_ctx_destroy(hy_ctx *ctx);
/** CPU flags in force (detected, capped by cfg.cpu_level). */
unsigned hy_ctx_cpu_flags(const hy_ctx *ctx);
/** Worker thread count in force (>= 1). */
int hy_ctx_threads(const hy_ctx *ctx);
/** Parse "auto", "scalar", "avx2", "avx512" into a level; returns HY_EINVAL otherwise. */
HY_NODISCARD hy_status hy_cpu_level_parse(const char *s, hy_cpu_level *out);

/* Library-internal helpers, shared across stages (hy__ prefix: not for applications). */
void hy__log(const hy_ctx *ctx, hy_log_level level, const char *fmt, ...) HY_PRINTF(3, 4);
void *hy__malloc(const hy_ctx *ctx, size_t size);
void *hy__calloc(const hy_ctx *ctx, size_t n, size_t size);
void *hy__realloc(const hy_ctx *ctx, void *ptr, size_t size);
void hy__free(const hy_ctx *ctx, void *ptr);
char *hy__strdup(const hy_ctx *ctx, const char *s);
/** Room for `need` elements of `size` bytes in array v of *cap: returns v when it already has
 *  room, else v reallocated to double its capacity (at least need, at least 16) with *cap
 *  updated; NULL when out of memory (v and *cap unchanged, v still owned by the caller). */
void *hy__grow(const hy_ctx *ctx, void *v, size_t *cap, size_t need, size_t size);

/* ---------------------------------------------------------------------------------------- */
/* 8-bit planar images                                                                       */

typedef enum hy_pixfmt {
    HY_PIX_GRAY8 = 0, /* one plane */
    HY_PIX_RGBP,      /* three planes: R, G, B */
    HY_PIX_YCRCBP,    /* three planes: Y, Cr, Cb (ITU-R BT.601 full range, as OpenCV) */
    HY_PIX_HSVP       /* three planes: H (0..179), S, V (as OpenCV's 8-bit HSV) */
} hy_pixfmt;

#define HY_IMAGE_MAX_PLANES 3

/** An 8-bit planar image. Plane p has rows of `width` bytes, `stride` bytes apart. An image
 *  made by hy_image_alloc owns its planes (one block); one that wraps outside memory does
 *  not (owner == NULL). Read-only access from several threads is safe. */
typedef struct hy_image {
    int width, height;
    hy_pixfmt fmt;
    int nplanes;
    uint8_t *plane[HY_IMAGE_MAX_PLANES];
    ptrdiff_t stride[HY_IMAGE_MAX_PLANES];
    void *owner; /* the block to free, or NULL */
} hy_image;

/** Number of planes of a format. */
int hy_pixfmt_planes(hy_pixfmt fmt);
/** Allocate an image (planes zeroed, rows 64-byte aligned). *img is zeroed on failure. */
HY_NODISCARD hy_status hy_image_alloc(const hy_ctx *ctx, int width, int height, hy_pixfmt fmt,
                                      hy_image *img);
/** Free what hy_image_alloc allocated and zero the struct; a zeroed image is a no-op. */
void hy_image_free(const hy_ctx *ctx, hy_image *img);
/** Pixel (x, y) of plane p; no bounds check. */
static inline uint8_t *hy_image_at(const hy_image *img, int p, int x, int y)
{
    return img->plane[p] + (ptrdiff_t)y * img->stride[p] + x;
}

/* The first non-zero byte of p[x, end), or end: 32, then 8 bytes at a time over zeros, which
 * are most of a detection mask (for the mask walkers of detect/ and cv/). */
static inline int hy__next_nonzero(const uint8_t *p, int x, int end)
{
    for (; x + 32 <= end; x += 32) {
        uint64_t w[4];
        memcpy(w, p + x, 32);
        if (w[0] | w[1] | w[2] | w[3])
            break;
    }
    for (; x + 8 <= end; x += 8) {
        uint64_t w;
        memcpy(&w, p + x, 8);
        if (w)
            break;
    }
    while (x < end && !p[x])
        x++;
    return x;
}

/* The first zero byte of p[x, end), or end: 8 bytes at a time over non-zero bytes (the runs of
 * a region). (w - 0x01..01) & ~w & 0x80..80 is non-zero exactly when one of w's bytes is zero. */
static inline int hy__next_zero(const uint8_t *p, int x, int end)
{
    for (; x + 8 <= end; x += 8) {
        uint64_t w;
        memcpy(&w, p + x, 8);
        if ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u)
            break;
    }
    while (x < end && p[x])
        x++;
    return x;
}

/* ---------------------------------------------------------------------------------------- */
/* Float band tiles (satellite data in physical units)                                       */

/* Band roles: the physical band a plane holds, named as the Landsat OLI bands they match.
 * Sensors map their bands onto these roles by wavelength: Sentinel-2 B1 -> COASTAL, B2..B4 ->
 * BLUE..RED, B8A (865 nm, OLI B5's twin) -> NIR, B11 -> SWIR1, B12 -> SWIR2, B9 ->
 * WATER_VAPOUR. */
typedef enum hy_band {
    HY_BAND_COASTAL = 0,  /* OLI B1, 0.44 um */
    HY_BAND_BLUE,         /* OLI B2 */
    HY_BAND_GREEN,        /* OLI B3 */
    HY_BAND_RED,          /* OLI B4 */
    HY_BAND_NIR,          /* OLI B5, 0.86 um */
    HY_BAND_SWIR1,        /* OLI B6, 1.6 um */
    HY_BAND_SWIR2,        /* OLI B7, 2.2 um */
    HY_BAND_WATER_VAPOUR, /* Sentinel-2 B9, 0.945 um (no OLI twin) */
    HY_BAND_COUNT
} hy_band;

/** Short name of a role ("swir2"). */
const char *hy_band_name(hy_band b);

/** A window of a scene as float32 planes. The tile covers scene pixels
 *  [x0, x0 + width) x [y0, y0 + height); the first and last `halo` rows and columns are
 *  context read around the core the tile is for (fewer at scene edges: halo_left etc. say how
 *  many). band[b] is NULL for a band the scene lacks. valid is 1 where every present band has
 *  data. geotransform maps scene pixel (col, row) to projected x, y (GDAL's convention);
 *  crs_wkt is the scene's CRS. Owned by the tile: free with hy_tile_free. */
typedef struct hy_tile {
    int x0, y0, width, height;
    int halo_left, halo_top, halo_right, halo_bottom;
    float *band[HY_BAND_COUNT];
    uint8_t *valid;
    ptrdiff_t stride; /* elements between rows, for every plane and for valid */
    double geotransform[6];
    char *crs_wkt;
    void *block; /* allocation behind the planes */
} hy_tile;

/** Allocate a tile's planes for the bands set in band_mask (bit b = role b). Planes start
 *  zeroed, valid starts 0. *t is zeroed on failure. */
HY_NODISCARD hy_status hy_tile_alloc(const hy_ctx *ctx, int width, int height, unsigned band_mask,
                                     hy_tile *t);
/** Free a tile; a zeroed tile is a no-op. */
void hy_tile_free(const hy_ctx *ctx, hy_tile *t);

/* ---------------------------------------------------------------------------------------- */
/* Thread pool                                                                               */

typedef struct hy_pool hy_pool;
/** Work item i of n, run by worker `worker` (0 .. hy_pool_workers() - 1; one item at a time
 *  per worker, so per-worker state indexed by it needs no lock); must be reentrant. */
typedef void (*hy_pool_fn)(void *user, size_t i, int worker);

/** Create a pool of hy_ctx_threads(ctx) workers (the calling thread works too). */
HY_NODISCARD hy_status hy_pool_create(const hy_ctx *ctx, hy_pool **out);
/** Run fn(user, i, worker) for i in [0, n) on the workers and wait for all. One caller at a
 *  time. */
void hy_pool_run(hy_pool *pool, size_t n, hy_pool_fn fn, void *user);
/** Number of workers, the calling thread included (= hy_ctx_threads of its ctx). */
int hy_pool_workers(const hy_pool *pool);
/** Stop and join the workers; NULL is a no-op. */
void hy_pool_destroy(hy_pool *pool);

/* ---------------------------------------------------------------------------------------- */
/* UTC time (microseconds since 1970-01-01T00:00:00Z)                                        */

#define HY_TIME_NONE   INT64_MIN
#define HY_TIME_STRLEN 32

/** Format as "YYYY-MM-DDTHH:MM:SSZ" (seconds truncated). Returns buf. */
char *hy_time_format(int64_t t_us, char buf[HY_TIME_STRLEN]);
/** Parse "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.fff]Z" or "...+HH:MM"; HY_EINVAL if not one. */
HY_NODISCARD hy_status hy_time_parse(const char *s, int64_t *out_us);
/** Current wall-clock time. */
int64_t hy_time_now(void);
/** Seconds on a monotonic clock (CLOCK_MONOTONIC; about 30 ns a call here): for durations and
 *  deadlines. */
double hy_time_mono(void);

/* ---------------------------------------------------------------------------------------- */
/* Configuration file (YAML, DESIGN.md's shape)                                              */

typedef struct hy_config_pose {
    double lon, lat, height_m, pan_deg, tilt_deg, roll_deg, hfov_deg, vfov_deg;
    unsigned width_px, height_px; /* image size the pose's pixels refer to; 0: not given */
} hy_config_pose;

/** A PTZ preset: the orientation and zoom the camera takes at it (position and mast height stay
 *  the pose's; a field of view of 0 keeps the pose's). */
typedef struct hy_config_preset {
    char *name;
    double pan_deg, tilt_deg, roll_deg, hfov_deg, vfov_deg;
} hy_config_preset;

/** A polygon in image pixels (of the camera's full-resolution picture): xy[2 n]. */
typedef struct hy_polygon {
    double *xy;
    unsigned n;
} hy_polygon;

/** A confirmation rule "K/N" or "K/N/H" (1 <= H <= K <= N <= max_n): a hit seen in K of the
 *  last N analysed frames is confirmed and stays so while seen in H of them (watch's --persist,
 *  a camera's persist). k, n and hold (0 when H is not given) are set only on success; 0, or -1
 *  when arg is not of that form. */
int hy_persist_parse(const char *arg, int max_n, int *k, int *n, int *hold);

/** A view-change share (watch's --view-change, a camera's view_change): a number in (0, 1], or
 *  "off" (0); -1 for anything else. */
double hy_view_change_parse(const char *arg);

/** 1 when (x, y) is inside any of the polygons (even-odd rule per polygon). */
int hy_polygons_contain(const hy_polygon *p, unsigned n, double x, double y);

typedef struct hy_config_camera {
    char *id;
    char *url;      /* stream URL, or NULL */
    char *snapshot; /* snapshot URL, or NULL */
    double analyse_every_s;
    char *decode;             /* auto (default), all or key: ingest's hy_decode */
    char *smoke_colour;       /* genovese (default) or toreyin: detect's hy_smoke_colour */
    char *view_change;        /* a share in (0, 1] or off, as watch's --view-change; parsed into: */
    double view_change_share; /* 0: off; -1 (not given): the detectors' default */
    char *persist;            /* K/N or K/N/H (default 3/5), as watch's --persist; parsed into: */
    int persist_k, persist_n, hold_k; /* hold_k 0: the detectors' default, round(0.8 K) */
    char **detect;
    unsigned detect_count;
    hy_config_pose *pose; /* NULL when not configured */
    hy_config_preset *presets;
    unsigned presets_count;
    hy_polygon *exclude; /* exclusion polygons (DESIGN.md's `exclude: [[[x, y], ...], ...]`):
                            hits inside are never reported */
    unsigned exclude_count;
} hy_config_camera;

typedef struct hy_config_sink {
    char *type; /* webhook, mqtt, cap */
    char *url;
    char *secret_env;
    char *host;
    int port;
    char *topic;
    char **townships; /* route only these townships' events here; none: every event */
    unsigned townships_count;
} hy_config_sink;

typedef struct hy_config_token {
    char *token_env;
    char *role; /* admin, analyst, officer */
    char **townships;
    unsigned townships_count;
} hy_config_token;

typedef struct hy_config_store {
    char *sqlite; /* database file; default "huoyan.db" */
} hy_config_store;

typedef struct hy_config_townships {
    char *path, *layer;         /* OGR source and layer (NULL: the first layer) */
    char *code, *name, *county; /* field names; defaults "code", "name", "county" */
    char *crs;                  /* "wgs84" (default) or "gcj02" */
    double max_outside_m;       /* a hit outside every township goes to the nearest within
                                   this distance; default 0: to none */
} hy_config_townships;

typedef struct hy_config_satellite {
    char *watch;                /* folder watched for new scenes, or NULL */
    char *hot_sources;          /* static hot-source mask (vector file or FIRMS CSV), or NULL */
    double hot_source_radius_m; /* radius of its points; default 1000 */
    char **detect;
    unsigned detect_count;
} hy_config_satellite;

typedef struct hy_config_alerts {
    hy_config_sink *sinks;
    unsigned sinks_count;
    double escalate_after_min; /* default 15 */
    int max_attempts;          /* deliveries tried before an item is dead; default 10 */
    double backoff_s;          /* first retry after this, doubling; default 2 */
    double backoff_max_s;      /* at most this between tries; default 600 */
} hy_config_alerts;

typedef struct hy_config_server {
    char *listen; /* default "127.0.0.1:8080" */
    hy_config_token *tokens;
    unsigned tokens_count;
} hy_config_server;

typedef struct hy_config_geo {
    char *dem;          /* elevation model for camera ground points, or NULL: flat ground */
    double max_range_m; /* farthest a camera ground point may be; default 35000 */
} hy_config_geo;

typedef struct hy_config {
    hy_config_store store;
    hy_config_geo geo;
    hy_config_townships townships;
    hy_config_camera *cameras;
    unsigned cameras_count;
    hy_config_satellite satellite;
    hy_config_alerts alerts;
    hy_config_server server;
} hy_config;

/** Load and check a configuration file. Defaults fill what the file leaves out. On failure
 *  *out is NULL and err (if not NULL) holds a message naming the file, the key, the value and
 *  what was expected. Free with hy_config_free. */
HY_NODISCARD hy_status hy_config_load(const char *path, hy_config **out, char *err,
                                      size_t err_size);
/** The same from len bytes of YAML in memory; name stands for the file in messages. */
HY_NODISCARD hy_status hy_config_load_data(const char *name, const char *data, size_t len,
                                           hy_config **out, char *err, size_t err_size);
/** Free a configuration; NULL is a no-op. */
void hy_config_free(hy_config *cfg);
/** The camera whose id is id (the first, should several share it), or NULL. */
const hy_config_camera *hy_config_camera_find(const hy_config *cfg, const char *id);

#ifdef __cplusplus
}
#endif
#endif
