/*
 * ingest/ingest.h - getting pixels in: camera streams and files (libavformat/libavcodec) as
 * 8-bit frames, satellite scenes (GDAL) as float tiles in physical units.
 *
 * Each handle is used by one thread at a time; different handles may be used on different
 * threads at once.
 */
#ifndef HY_INGEST_H
#define HY_INGEST_H

#include "core/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hy_sensor {
    HY_SENSOR_UNKNOWN = 0,
    HY_SENSOR_LANDSAT8,
    HY_SENSOR_LANDSAT9,
    HY_SENSOR_SENTINEL2,
    HY_SENSOR_VIIRS,
    HY_SENSOR_MODIS,
    HY_SENSOR_CAMERA
} hy_sensor;

/** The contract's name of a sensor ("landsat8", "camera"; "unknown"). */
const char *hy_sensor_name(hy_sensor s);

/* ---------------------------------------------------------------------------------------- */
/* Video                                                                                     */

typedef struct hy_video hy_video;

/** Which frames of a stream are decoded when only one per every_s is analysed. */
typedef enum hy_decode {
    /* The default: decode as little as the stream allows. With every_s of two frames or more,
     * frames no other frame refers to (non-reference B frames) are discarded by the decoder.
     * Once an interval between key frames is no longer than every_s, only the key frames
     * due for analysis are sent to the decoder; a longer interval goes back to decoding every
     * reference frame from its key frame on. Each switch is logged once. The analysed frame
     * is the first decoded one at or after its due time, so it may come up to one key-frame
     * interval later than with HY_DECODE_ALL. */
    HY_DECODE_AUTO = 0,
    HY_DECODE_ALL, /* every frame (the analysed frames are exactly those every_s picks) */
    HY_DECODE_KEY  /* key frames only, whatever their interval: other packets, and key frames
                      not yet due, are not even sent to the decoder */
} hy_decode;

typedef struct hy_video_config {
    const char *url; /* file path or any libavformat URL; required */
    int out_width;   /* analysis size; 0 = the stream's own (both or neither) */
    int out_height;
    int max_width;        /* with out_width 0: scale wider streams down to this width, keeping the
                             aspect ratio (even height); 0 = no limit */
    double every_s;       /* analyse one frame per this many seconds of stream time; 0 = all */
    int64_t start_time;   /* UTC of the stream's time 0; HY_TIME_NONE = from the stream */
    double timeout_s;     /* a blocking open or read that takes longer fails (FFmpeg's interrupt
                             callback): a silent camera never hangs the reader; default 10; 0:
                             no limit */
    int reconnect;        /* a live source (a URL other than file:) that fails, times out or ends
                             is reopened up to this many times in a row (-1: forever), after 1,
                             2, 4, ... s (at most backoff_max_s) with +-20 % jitter; frame
                             indices and stream time continue across; the loss and the return
                             are logged once each; default 0 */
    double backoff_max_s; /* default 60 */
    hy_decode decode;     /* which frames reach the decoder (HY_DECODE_AUTO by default) */
} hy_video_config;

/** An analysed frame. image is HY_PIX_RGBP at the analysis size; index is the 0-based index
 *  of the frame in the stream counting every frame (decoded or skipped) in presentation
 *  order; pts_s is seconds from the stream's start; time is UTC (HY_TIME_NONE if unknown).
 *  Owned by the hy_video: valid until the next hy_video_read or hy_video_destroy. */
typedef struct hy_frame {
    hy_image image;
    int64_t index;
    double pts_s;
    int64_t time;
    int src_width, src_height; /* the stream's full resolution */
} hy_frame;

typedef struct hy_video_info {
    int width, height; /* full resolution */
    double fps;        /* average frame rate; 0 if unknown */
    double duration_s; /* 0 if unknown (live) */
    const char *codec; /* decoder name */
} hy_video_info;

void hy_video_config_init(hy_video_config *cfg);
/** Open a stream and its decoder. On failure *out is NULL and the reason, naming the URL, is
 *  logged on the ctx. */
HY_NODISCARD hy_status hy_video_open(const hy_ctx *ctx, const hy_video_config *cfg, hy_video **out);
/** The stream's facts; valid while v lives. */
const hy_video_info *hy_video_info_get(const hy_video *v);
/** Decode up to the next frame due for analysis. HY_OK with *frame filled, HY_EEOF at the end,
 *  HY_ETIMEOUT when the source stayed silent past timeout_s (and reconnecting, if allowed,
 *  failed), another status on an unrecoverable error (message in hy_video_errmsg). Corrupt
 *  packets are skipped with a warning, not fatal. */
HY_NODISCARD hy_status hy_video_read(hy_video *v, const hy_frame **frame);
/** Frames decoded so far, analysed or not. */
int64_t hy_video_frames_decoded(const hy_video *v);
/** Seconds (monotonic clock) spent so far decoding, and scaling to the analysis size, the
 *  latter including rows scaled while the decoder made them. Waiting for the source is in
 *  neither. For capacity figures: how much scaling (and the caller's analysis) adds to
 *  decoding. */
void hy_video_times(const hy_video *v, double *decode_s, double *scale_s);
/** Times the source was reopened after a loss. */
int hy_video_reconnects(const hy_video *v);
/** The last frame hy_video_read returned, at the stream's full resolution, into out (allocated
 *  here, HY_PIX_RGBP; free with hy_image_free): for evidence pictures. HY_ENOTFOUND before the
 *  first frame. */
HY_NODISCARD hy_status hy_video_full_frame(hy_video *v, hy_image *out);
/** Last error on v, naming the URL. Valid until the next call on v. */
const char *hy_video_errmsg(const hy_video *v);
/** Close; NULL is a no-op. */
void hy_video_destroy(hy_video *v);
/** FFmpeg's own messages (process-wide, as FFmpeg's logger is): 0 errors only, 1 warnings,
 *  2 everything. For programs; the library never calls it. Thread-safe. */
void hy_video_set_ffmpeg_verbosity(int level);

/* ---------------------------------------------------------------------------------------- */
/* Snapshot cameras (an HTTP(S) URL answering with a JPEG)                                   */

typedef struct hy_snapshot hy_snapshot;

typedef struct hy_snapshot_config {
    const char *url; /* http:// or https://; required */
    double every_s;  /* fetch one picture per this many seconds; default 2 */
    int out_width;   /* analysis size; 0 = the picture's own (both or neither) */
    int out_height;
    int max_width;        /* with out_width 0: scale wider pictures down to this width */
    double timeout_s;     /* each fetch, connection included; default 10; 0: libcurl's */
    int reconnect;        /* failed fetches retried in a row (-1, the default: for ever), after
                             1, 2, 4 ... s (at most backoff_max_s) with +-20 % jitter */
    double backoff_max_s; /* default 60 */
    int64_t frames;       /* stop after this many pictures (HY_EEOF); 0: never */
} hy_snapshot_config;

void hy_snapshot_config_init(hy_snapshot_config *cfg);
HY_NODISCARD hy_status hy_snapshot_open(const hy_ctx *ctx, const hy_snapshot_config *cfg,
                                        hy_snapshot **out);
/** Wait until the next picture is due, fetch it (libcurl), decode it (TurboJPEG) and scale it
 *  to the analysis size: *frame as a video stream gives it (index counts pictures, pts_s from
 *  the first, time the wall clock). HY_EEOF after cfg.frames pictures; on a failed fetch past
 *  the retries: HY_EIO (refused, HTTP error), HY_ETIMEOUT or HY_EFORMAT (not a JPEG), message
 *  in hy_snapshot_errmsg naming the URL. The frame is valid until the next call. */
HY_NODISCARD hy_status hy_snapshot_read(hy_snapshot *s, const hy_frame **frame);
int64_t hy_snapshot_fetched(const hy_snapshot *s);
/** The last picture at its full resolution (owned by s, valid until the next read). */
const hy_image *hy_snapshot_full_frame(const hy_snapshot *s);
const char *hy_snapshot_errmsg(const hy_snapshot *s);
void hy_snapshot_destroy(hy_snapshot *s);

/* ---------------------------------------------------------------------------------------- */
/* Satellite scenes                                                                          */

typedef struct hy_scene hy_scene;

typedef struct hy_scene_info {
    hy_sensor sensor;
    char product_id[96];      /* e.g. LC08_L1TP_227074_20190825_20200826_02_T1 */
    int width, height;        /* of the reflective grid */
    double geotransform[6];   /* GDAL convention, pixel corner */
    const char *crs_wkt;      /* WKT of the CRS */
    int64_t time;             /* acquisition (scene centre), UTC */
    double sun_elevation_deg; /* scene centre */
    double pixel_area_m2;     /* area of one pixel */
    unsigned band_mask;       /* bit b: role b is present (read or stood in for) */
    unsigned standin_mask;    /* bit b: role b is a stand-in, not the real band */
    int georef_from_mtl;      /* 1 when the files had none and the MTL corners gave it */
    char level[8];            /* PROCESSING_LEVEL: "L1TP", "L1T", "L2SP", ... */
    int surface_reflectance;  /* 1: Level-2 surface reflectance; 0: Level-1 TOA reflectance */
} hy_scene_info;

/** How to read a scene that does not describe itself. */
typedef struct hy_scene_options {
    hy_sensor sensor;              /* HY_SENSOR_UNKNOWN (default): tell it from the files */
    int band_index[HY_BAND_COUNT]; /* a stacked raster's band (1-based) for each role; all 0
                                      (default): from the files (MTL, band names) */
    double scale, offset;          /* with band_index: value = scale * raster + offset, in
                                      reflectance; defaults 1 and 0 */
} hy_scene_options;

void hy_scene_options_init(hy_scene_options *opt);

/** Open a scene: a Landsat-8/9 MTL file (Collection 2 Level-1 or Level-2, or pre-collection),
 *  or a folder holding exactly one *_MTL.txt. The bands named by the MTL are opened with GDAL (not
 * read yet). A missing coastal band B1 is stood in for by the blue band B2 (same 0.45 um window
 *  neighbourhood; noted in standin_mask so detectors can lower confidence). On failure
 *  *out is NULL and the message (file and reason) is logged on the ctx. */
HY_NODISCARD hy_status hy_scene_open(const hy_ctx *ctx, const char *path, hy_scene **out);
/** hy_scene_open with options: opt->band_index reads any georeferenced stacked raster with
 *  that role map (value 0 = nodata; a missing coastal band stood in for by blue, as for
 *  Landsat); opt->sensor forces the sensor recorded for the scene. NULL = defaults. */
HY_NODISCARD hy_status hy_scene_open_ex(const hy_ctx *ctx, const char *path,
                                        const hy_scene_options *opt, hy_scene **out);
/** Open the same scene again: a second handle that another thread may read from while the
 *  first is in use (GDAL datasets are one thread at a time). */
HY_NODISCARD hy_status hy_scene_clone(const hy_scene *s, hy_scene **out);
/** The scene's facts; valid while s lives. */
const hy_scene_info *hy_scene_info_get(const hy_scene *s);
/** Read the window [x, x+w) x [y, y+h) plus up to `halo` pixels of context on each side
 *  (clipped at the scene's edges) as reflectance: for Level-1, top-of-atmosphere reflectance
 *  corrected for the sun elevation, rho = (M * DN + A) / sin(sun elevation) (USGS Landsat 8
 *  Data Users Handbook, section 5.1); for Level-2, surface reflectance M * DN + A with the
 *  LEVEL2_SURFACE_REFLECTANCE_PARAMETERS factors. DN 0 (fill) is invalid. The tile is filled on
 * success and freed by the caller with hy_tile_free; zeroed on failure. */
HY_NODISCARD hy_status hy_scene_read(hy_scene *s, int x, int y, int w, int h, int halo,
                                     hy_tile *tile);
/** Last error on s. Valid until the next call on s. */
const char *hy_scene_errmsg(const hy_scene *s);
/** GDAL's block cache, in bytes (process-wide, as GDAL's cache is). GDAL's default is 5 % of
 *  RAM; block-by-block reading needs only about one row of blocks of every band (for a full
 *  Landsat scene with 512-pixel blocks: 7 x 572 x 7800 x 2 bytes, 63 MB). For programs; the
 *  library never calls it. */
void hy_scene_set_cache(size_t bytes);
/** Close; NULL is a no-op. */
void hy_scene_destroy(hy_scene *s);

/* ---------------------------------------------------------------------------------------- */
/* Swath granules: VIIRS 375 m I-band and MODIS 1 km                                         */

typedef struct hy_granule hy_granule;

/* The planes of a swath, in physical units; NULL where the sensor has none. */
typedef enum hy_swath_plane {
    HY_SW_BT4 = 0, /* mid-infrared brightness temperature, K: VIIRS I4 (3.74 um), MODIS band 22
                      (3.96 um), or band 21 where 22 is saturated or missing */
    HY_SW_BT11,    /* thermal infrared BT, K: VIIRS I5 (11.45 um), MODIS band 31 (11.0 um) */
    HY_SW_BT12,    /* MODIS band 32 (12.0 um), K; VIIRS: NULL */
    HY_SW_RED,     /* TOA reflectance: VIIRS I1 (0.64 um), MODIS band 1 (0.65 um) */
    HY_SW_NIR,     /* VIIRS I2 (0.865 um), MODIS band 2 (0.86 um) */
    HY_SW_SWIR,    /* VIIRS I3 (1.61 um), MODIS band 7 (2.13 um) */
    HY_SW_SZA,     /* solar zenith, degrees */
    HY_SW_VZA,     /* sensor (view) zenith, degrees */
    HY_SW_RAA,     /* relative azimuth, solar minus sensor, degrees */
    HY_SW_LAT,     /* pixel centre, WGS84 degrees */
    HY_SW_LON,
    HY_SW_PLANES
} hy_swath_plane;

/* Per-pixel flags of a swath. */
#define HY_SW_VALID                                                                                \
    (1u << 0)                 /* BT4 and BT11 (and BT12 for MODIS) and the position hold           \
                                 values; invalid pixels are neither tested nor background */
#define HY_SW_WATER (1u << 1) /* water by the geolocation product's land/water mask */
#define HY_SW_SAT4                                                                                 \
    (1u << 2)                    /* the mid-infrared channel is saturated (VIIRS I4 quality        \
                                    flag, or BT4 at the top of its look-up table) */
#define HY_SW_LOWGAIN4 (1u << 3) /* MODIS: BT4 from band 21 (band 22 saturated or missing) */

typedef struct hy_granule_info {
    hy_sensor sensor;    /* HY_SENSOR_VIIRS or HY_SENSOR_MODIS */
    char product_id[96]; /* the L1 file's name without extension */
    char satellite[8];   /* FIRMS's name: "N" (Suomi NPP), "1" (NOAA-20), "2" (NOAA-21),
                            "Terra", "Aqua" */
    int width, height;   /* pixels along scan and along track */
    int scan_rows;       /* rows per scan: 32 (VIIRS I-band), 10 (MODIS 1 km) */
    int64_t time;        /* start of the granule, UTC */
    double nadir_m;      /* pixel size at nadir: 375 or 1000 */
    char geo_path[4096]; /* the geolocation file used */
} hy_granule_info;

/** Rows of a granule read into memory: rows [y0, y0 + rows) of the granule, of which the first
 *  halo_top and the last halo_bottom are context around the rows asked for. Planes and flags
 *  are rows x width, row-major. Free with hy_swath_free. */
typedef struct hy_swath {
    int y0, rows, width;
    int halo_top, halo_bottom;
    float *plane[HY_SW_PLANES];
    uint8_t *flags;
    void *block;
} hy_swath;

/** Open a granule: a VIIRS VNP02IMG/VJ102IMG/VJ202IMG file (NetCDF4: I1-I5 in
 *  observation_data, radiance counts with scale and offset, I4/I5 brightness temperature by
 *  the product's look-up tables) or a MODIS MOD021KM/MYD021KM file (HDF4: bands 1, 2, 7 from
 *  the reflective SDSs with reflectance_scales/offsets; 21, 22, 31, 32 from EV_1KM_Emissive
 *  with radiance_scales/offsets, to brightness temperature by the Planck function at each
 *  band's effective wavelength), both through GDAL's multidimensional API, with its
 *  geolocation file (VNP03IMG/VJ103IMG, MOD03/MYD03: latitude, longitude, solar and sensor
 *  angles, land/water mask). geo_path NULL: the geolocation file of the same pass (same
 *  ".AYYYYDDD.HHMM." key) in the same folder. On failure *out is NULL and the reason, naming
 *  the file and what is wrong, is logged on the ctx. */
HY_NODISCARD hy_status hy_granule_open(const hy_ctx *ctx, const char *path, const char *geo_path,
                                       hy_granule **out);
/** 1 when the file's name is one hy_granule_open reads (VNP02IMG, VJ102IMG, VJ202IMG,
 *  MOD021KM, MYD021KM). */
int hy_granule_is(const char *path);
const hy_granule_info *hy_granule_info_get(const hy_granule *g);
/** Open the same granule again: a second handle another thread may read from while the first
 *  is in use (GDAL datasets are one thread at a time). */
HY_NODISCARD hy_status hy_granule_clone(const hy_granule *g, hy_granule **out);
/** Read rows [y, y + rows) with up to halo rows of context above and below (clipped at the
 *  granule's ends). Fill values and flagged counts make a pixel invalid, not an error. */
HY_NODISCARD hy_status hy_granule_read(hy_granule *g, int y, int rows, int halo, hy_swath *sw);
void hy_swath_free(const hy_ctx *ctx, hy_swath *sw);
/** Last error on g, naming the file. */
const char *hy_granule_errmsg(const hy_granule *g);
void hy_granule_destroy(hy_granule *g);

/** Brightness temperature (K) of spectral radiance L (W m-2 sr-1 um-1) at wavelength lambda
 *  (um) by the inverse Planck function; NaN for L <= 0. */
double hy_planck_bt(double lambda_um, double radiance);
/** Spectral radiance (W m-2 sr-1 um-1) of a black body at t kelvin, wavelength lambda (um). */
double hy_planck_radiance(double lambda_um, double t);

#ifdef __cplusplus
}
#endif
#endif
