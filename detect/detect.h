/*
 * detect/detect.h - from pixels to detections: the satellite fire detector, the camera flame
 * detector, clustering, and the hy_detection record every later stage carries.
 *
 * Detector handles are used by one thread at a time. Kernels are reentrant.
 */
#ifndef HY_DETECT_H
#define HY_DETECT_H

#include "core/core.h"
#include "ingest/ingest.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hy_kind { HY_KIND_FIRE = 0, HY_KIND_SMOKE, HY_KIND_DUST, HY_KIND_BARE_SOIL } hy_kind;

typedef enum hy_source_type { HY_SOURCE_CAMERA = 0, HY_SOURCE_SATELLITE } hy_source_type;

/** The contract's names: "fire", "smoke", "dust", "bare_soil"; "camera", "satellite". */
const char *hy_kind_name(hy_kind k);
const char *hy_source_type_name(hy_source_type t);
/** Parse a kind name; HY_EINVAL if it is none. */
HY_NODISCARD hy_status hy_kind_parse(const char *s, hy_kind *out);

/** One detection (DESIGN.md's contract). Fields that do not apply hold NaN (doubles), -1
 *  (frame) or "" (strings) and are left out of every output. Plain data: copy freely. */
typedef struct hy_detection {
    hy_kind kind;
    hy_source_type source_type;
    char source_id[96]; /* camera id or scene product id */
    hy_sensor sensor;
    int64_t time;      /* UTC; HY_TIME_NONE if unknown */
    int64_t frame;     /* 0-based frame index in the stream; -1 for scenes */
    int bbox[4];       /* x, y, w, h in pixels of the frame's full resolution or the scene */
    int pixels;        /* pixels in the detection */
    double px, py;     /* centre in the same pixel grid (pixel centres at +0.5) */
    double confidence; /* 0..1 */
    char tests[64];    /* which tests fired, comma separated, e.g. "unambiguous1,candidate" */
    /* Ground position and township: filled by geo/, NaN / "" until then. */
    double lon, lat;
    char township_code[16];
    char township_name[64];
    char township_county[64];
    double township_outside_m; /* 0: inside its township; > 0: outside every township, and
                                  the township given is the nearest, this far away */
    /* Sensor facts, NaN where they do not apply. */
    double area_m2, frp_mw, bt4_k, bearing_deg;
    /* Thermal sensors (VIIRS, MODIS): the 11 um brightness temperature (FIRMS bright_ti5 /
     * bright_t31), the pixel's size along scan and along track, and 'D' (day) or 'N'
     * (night); NaN / 0 elsewhere. */
    double bt11_k, scan_km, track_km;
    char daynight;
    /* The fire quantities of a reflective sensor's cluster: largest and mean SWIR2 reflectance
     * (rho7, B12) and largest rho7/rho5; NaN elsewhere. */
    double swir2_max, swir2_mean, r75_max;
    /* 1: inside the static hot-source mask (industry): kept and flagged, not alerted. */
    int static_source;
    /* A camera detection's evidence picture (the frame with its box), or "". */
    char evidence[256];
} hy_detection;

/** A detection with every optional field empty (NaN, -1, ""). */
void hy_detection_init(hy_detection *d);

/** A growable array of detections (ctx allocator). */
typedef struct hy_detections {
    hy_detection *v;
    size_t n, cap;
} hy_detections;

HY_NODISCARD hy_status hy_detections_push(const hy_ctx *ctx, hy_detections *list,
                                          const hy_detection *d);
void hy_detections_free(const hy_ctx *ctx, hy_detections *list);

/* ---------------------------------------------------------------------------------------- */
/* Landsat-8/9 OLI active fire                                                               */

/* Per-pixel test bits written by the fire kernel. */
#define HY_FIRE_CANDIDATE    (1u << 0) /* Schroeder et al. 2016 candidate test */
#define HY_FIRE_UNAMBIGUOUS1 (1u << 1) /* first unambiguous clause (rho7/rho5, rho7-rho5, rho7) */
#define HY_FIRE_UNAMBIGUOUS2 (1u << 2) /* second clause (saturated / folded SWIR) */
#define HY_FIRE_CONTEXT      (1u << 3) /* a candidate that passed the contextual test */
#define HY_FIRE_NEIGHBOUR    (1u << 4) /* next to an unambiguous fire, by the neighbour rule */

/* The OLI fire algorithms. For Kumar & Roy and Murphy, HY_FIRE_UNAMBIGUOUS1 marks the
 * algorithm's own unambiguous test. */
typedef enum hy_fire_oli_algorithm {
    HY_FIRE_OLI_SCHROEDER = 0, /* Schroeder et al. 2016 (RSE 185) */
    HY_FIRE_OLI_KUMAR_ROY,     /* Kumar & Roy 2018 (IJDE), GOLI, daytime */
    HY_FIRE_OLI_MURPHY,        /* Murphy et al. 2016 (RSE 175), HOTMAP-like; on Sentinel-2 the
                                  "Murphy port" with B12, B11, B8A for rho7, rho6, rho5 */
    HY_FIRE_OLI_SAHM,          /* SAHM index for Sentinel-2: (B12-B11)/(B12+B11) > 0.4 or
                                  B12 > 1.0 (REFERENCES.md) */
    HY_FIRE_OLI_TAI,           /* Liu et al.'s thermal anomaly index for Sentinel-2:
                                  TAI = (B12-B11)/B8A against its 15 x 15 mean (REFERENCES.md) */
    HY_FIRE_OLI_CROPLAND,      /* huoyan's derived temperate-cropland rule in Hu et al. 2021's
                                  form: B4 <= a B12 + b and B12 >= B11
                                  (models/fire_msi_cropland) */
    HY_FIRE_OLI_HU,            /* Hu, Ban & Nascetti 2021's biome rules for Sentinel-2
                                  (hy_fire_oli_config.biome) */
    HY_FIRE_OLI_AUTO           /* Landsat: Schroeder; Sentinel-2: Murphy port with B8A, else
                                  SAHM; other stacks: Schroeder with B1..B7, else Murphy with
                                  the NIR band, else SAHM */
} hy_fire_oli_algorithm;

/** "schroeder", "kumar_roy", "murphy", "sahm", "auto". */
const char *hy_fire_oli_algorithm_name(hy_fire_oli_algorithm a);
/** Parse one of those names; HY_EINVAL otherwise. */
HY_NODISCARD hy_status hy_fire_oli_algorithm_parse(const char *s, hy_fire_oli_algorithm *out);

/* Hu et al. 2021's biomes (REFERENCES.md). */
typedef enum hy_fire_biome {
    HY_BIOME_TROPICAL_MOIST = 0, /* B4 <= 1.045 B12 - 0.071 and B12 / B11 >= 1 */
    HY_BIOME_SAVANNA,            /* B4 <= 0.677 B12 - 0.052 */
    HY_BIOME_MEDITERRANEAN,      /* B4 <= 0.743 B12 - 0.068 and B12 >= 0.355 and
                                    (B11 >= 0.475 or B12 >= 1.0) */
    HY_BIOME_TEMPERATE_CONIFER,  /* B4 <= 0.504 B12 - 0.198 */
    HY_BIOME_BOREAL              /* B4 <= 0.727 B12 - 0.11 */
} hy_fire_biome;

/** "tropical_moist", "savanna", "mediterranean", "temperate_conifer", "boreal". */
const char *hy_fire_biome_name(hy_fire_biome b);
HY_NODISCARD hy_status hy_fire_biome_parse(const char *s, hy_fire_biome *out);

typedef struct hy_fire_oli_config {
    hy_fire_oli_algorithm algorithm; /* default AUTO */
    hy_fire_biome biome;             /* for HY_FIRE_OLI_HU; default savanna */
    int tile_size;  /* edge of the square blocks read and tested in parallel; default 512 */
    int min_pixels; /* smallest cluster reported; default 1 */
    int context;    /* 1 (default): candidates must pass the contextual test; 0: report them
                       unconfirmed (confidence 0.5), for diagnosis. Murphy has no candidates. */
} hy_fire_oli_config;

/* Half-width of the largest context window (61 x 61) plus one pixel for Kumar & Roy's 3 x 3
 * erosion of the background: the halo read around a block. */
#define HY_FIRE_OLI_WINDOW_HALF 30
#define HY_FIRE_OLI_HALO        31

void hy_fire_oli_config_init(hy_fire_oli_config *cfg);

/** A fire pixel: scene column and row, and the HY_FIRE_* bits of the tests it passed. */
typedef struct hy_fire_pixel {
    int32_t x, y;
    uint32_t bits;
    float swir2;     /* rho7 (Landsat B7, Sentinel-2 B12) */
    float r75;       /* rho7 / rho5 (NaN without the NIR band) */
    int32_t cluster; /* index in `out` of the detection it belongs to; -1 when its cluster was
                        smaller than min_pixels */
} hy_fire_pixel;

/** Bands (bit b = role b) an algorithm reads; AUTO: none until resolved. */
unsigned hy_fire_oli_bands(hy_fire_oli_algorithm a);

/** Detect active fires in a Landsat OLI or Sentinel-2 MSI scene (bands by role, see hy_band)
 *  with the chosen algorithm. Schroeder et al. 2016 (the Landsat default): unambiguous fires
 *  (eq. 1), candidates (eq. 2) confirmed by the contextual test against a 61 x 61 background
 *  that leaves out water, unambiguous fires and pixels without SWIR signal. Fire pixels are
 *  grouped into 8-connected clusters, one detection each (kind fire, source satellite, pixel
 *  centre, bbox, pixels, area, confidence, tests), appended to out in raster order of their
 *  first pixel. The scene is read in square blocks with a 30-pixel halo, blocks in parallel on
 *  hy_ctx_threads() workers (each with its own handle, hy_scene_clone); the result does not
 *  depend on the thread count. Messages go to the ctx logger. */
HY_NODISCARD hy_status hy_fire_oli_detect(const hy_ctx *ctx, hy_scene *scene,
                                          const hy_fire_oli_config *cfg, hy_detections *out);

/** Kernel: classify n pixels from TOA reflectances (rho1, rho5, rho6, rho7) and a validity
 *  byte each; writes HY_FIRE_* bits (0 for invalid pixels). Reentrant; allocates nothing.
 *  Dispatched to the best version the ctx allows; every version gives identical output. */
void hy_fire_oli_classify(const hy_ctx *ctx, const float *rho1, const float *rho5,
                          const float *rho6, const float *rho7, const uint8_t *valid, uint8_t *out,
                          size_t n);

/** hy_fire_oli_detect, and also every fire pixel in raster order (for a mask): *pixels gets
 *  an array of *npixels (free with hy_fire_pixels_free), NULL/0 on failure. */
HY_NODISCARD hy_status hy_fire_oli_detect_pixels(const hy_ctx *ctx, hy_scene *scene,
                                                 const hy_fire_oli_config *cfg, hy_detections *out,
                                                 hy_fire_pixel **pixels, size_t *npixels);
void hy_fire_pixels_free(const hy_ctx *ctx, hy_fire_pixel *pixels);

/* ---------------------------------------------------------------------------------------- */
/* Camera flame (first rule: colour + persistence)                                           */

typedef struct hy_flame_config {
    int red_threshold;  /* Chen et al. 2004 R_T; default 125 */
    int sat_threshold;  /* Chen et al. 2004 S_T, saturation on 0..255; default 60 */
    int min_pixels;     /* smallest region at analysis size; default 12 */
    int persist_k;      /* a region is confirmed when it overlaps regions of k ... */
    int persist_n;      /* ... of the last n analysed frames; defaults 3 of 5 */
    int hold_k;         /* ... and stays confirmed while seen in hold_k of them (hysteresis,
                           as pyronear); default 0: round(0.8 k), 2 when k is 3 */
    double repeat_s;    /* a confirmed region is reported again after this long; default 10 */
    int ycbcr_tau;      /* Celik & Demirel 2009's |Cb - Cr| >= tau with their other YCbCr
                           tests against the frame's means; default 40; < 0: off */
    double flicker;     /* a region flickers in a frame when this share of its box's pixels
                           changed flame state since the last analysed frame; default 0.05 */
    int flicker_k;      /* ... and it is confirmed only if it flickered in at least this many
                           of the frames it was seen in the window; default 0: off */
    double area_change; /* a region's area changed when it differs from its last sighting's
                           by this share of the larger; default 0.1 */
    int area_k;         /* ... and it is confirmed only if its area changed in at least this
                           many of the frames it was seen in the window; default 0: off */
    double max_width;   /* regions wider than this share of the frame are dropped (pyronear:
                           0.4); default 0.4; 0: off */
    const hy_polygon *exclude; /* polygons in full-resolution image pixels where nothing is
                                  detected (copied at create); default none */
    unsigned exclude_count;
    const char *camera_id;
} hy_flame_config;

typedef struct hy_flame hy_flame;

void hy_flame_config_init(hy_flame_config *cfg);
HY_NODISCARD hy_status hy_flame_create(const hy_ctx *ctx, const hy_flame_config *cfg,
                                       hy_flame **out);
/** Analyse one frame; append the confirmed detections due for reporting to out (bbox in the
 *  frame's full resolution). */
HY_NODISCARD hy_status hy_flame_process(hy_flame *f, const hy_frame *frame, hy_detections *out);
void hy_flame_destroy(hy_flame *f);
/** 1 while the frames are grey (every pixel's |R - G| and |B - G| within HY_FLAME_GREY_TOL:
 *  a camera in infrared / night mode). Grey frames are not tested; a switch either way ends
 *  every track (the dusk switch is a classic false alarm) and is logged once. */
int hy_flame_ir(const hy_flame *f);
#define HY_FLAME_GREY_TOL 4 /* compression noise on a grey picture stays within this */

/** Kernel: Chen et al. 2004 flame colour on n RGB pixels: out[i] = 255 where
 *  R > R_T, R >= G > B and S >= (255 - R) * S_T / R_T with S = 255 (R - B) / R (HSV
 *  saturation, R being the maximum), evaluated exactly in integers; else 0. */
void hy_flame_rgb_classify(const hy_ctx *ctx, const uint8_t *r, const uint8_t *g, const uint8_t *b,
                           int red_threshold, int sat_threshold, uint8_t *out, size_t n);

/* ---------------------------------------------------------------------------------------- */
/* VIIRS and MODIS active fire (mid-infrared contextual algorithms)                          */

/* Per-pixel test bits of the thermal algorithms. */
#define HY_TFIRE_DAY (1u << 0) /* solar zenith < 85 deg */
#define HY_TFIRE_FIXED                                                                             \
    (1u << 1) /* VIIRS night BT4 > 320 K; MODIS absolute threshold                                 \
                 (T4 > 360 K by day, 320 K by night) */
#define HY_TFIRE_SATURATED                                                                         \
    (1u << 2) /* VIIRS: I4 saturated (by day with BT5 > 290 K and                                  \
                 rho1 + rho2 < 0.7) */
#define HY_TFIRE_FOLDED                                                                            \
    (1u << 3)                        /* VIIRS: I4 folded: BT4 - BT5 < 0 with BT5 > 325 K (day)     \
                                        or 310 K (night) */
#define HY_TFIRE_CANDIDATE (1u << 4) /* passed the candidate (potential fire) test */
#define HY_TFIRE_CONTEXT   (1u << 5) /* passed the contextual tests */
#define HY_TFIRE_GLINT                                                                             \
    (1u << 6) /* Giglio et al. 2003's sun-glint test: VIIRS low                                    \
                 confidence; MODIS rejected */
#define HY_TFIRE_DESERT                                                                            \
    (1u << 7)                    /* Giglio et al. 2003's desert-boundary test: VIIRS low           \
                                    confidence; MODIS rejected */
#define HY_TFIRE_FIRE  (1u << 8) /* the pixel is reported as fire */
#define HY_TFIRE_WATER (1u << 9) /* over water (FIRMS type 3, offshore) */

/** One tested pixel of a swath: every candidate and every fire. */
typedef struct hy_thermal_fire {
    int32_t x, y;     /* granule column and row */
    uint32_t bits;    /* HY_TFIRE_* */
    char conf_class;  /* 'l', 'n', 'h' (VIIRS classes; MODIS: below 30, below 80, else) */
    float confidence; /* MODIS: 0..100 (Giglio et al. 2003, section 2.2.8); VIIRS: 30,
                         60, 90 for l, n, h */
    float bt4, bt11;  /* K */
    float lat, lon;   /* pixel centre */
    float scan_km, track_km;
    float frp_mw;        /* NaN without a background */
    int window;          /* edge of the background window used (0: none adequate) */
    int nbg;             /* valid background pixels in it */
    float mean4, mad4;   /* background BT4 mean and mean absolute deviation */
    float mean_d, mad_d; /* background BT4 - BT11 */
    float mean11, mad11; /* background BT11 */
    float mad4_fire;     /* delta4': mean absolute deviation of BT4 over the window's
                            background fires (0 with none) */
    float bt4_threshold; /* VIIRS day: BT4S = min(330, max(325, median BT4 over 501 x 501));
                            NaN elsewhere */
} hy_thermal_fire;

typedef struct hy_thermal_fires {
    hy_thermal_fire *v;
    size_t n, cap;
} hy_thermal_fires;

void hy_thermal_fires_free(const hy_ctx *ctx, hy_thermal_fires *f);

/** The sun-glint angle (degrees) between the view direction and the specular reflection of
 *  the sun: cos g = cos vza cos sza - sin vza sin sza cos raa (Giglio et al. 2003, eq. 7), raa
 *  the relative azimuth, solar minus sensor (0: sun behind the sensor). */
double hy_glint_angle(double sza_deg, double vza_deg, double raa_deg);

typedef struct hy_fire_thermal_config {
    int strip_rows;    /* rows of the granule tested at a time; default 256 */
    int keep_rejected; /* 1: also keep candidates that are not fires in the pixel list */
} hy_fire_thermal_config;

void hy_fire_thermal_config_init(hy_fire_thermal_config *cfg);

/* Context rows a strip needs around it: the largest window's half plus one for the 3 x 3
 * adjacency (VIIRS 31 x 31, MODIS 21 x 21). VIIRS's 501 x 501 BT4S median needs no halo: it is
 * taken, for the few pixels it decides, once the whole granule has been read. */
#define HY_TFIRE_VIIRS_HALO 16
#define HY_TFIRE_MODIS_HALO 11

/** Test the rows a swath was asked for (its halo rows are context only) with the sensor's
 *  algorithm: VIIRS, Schroeder et al. 2014 (RSE 143) as REFERENCES.md gives it; MODIS,
 *  Giglio et al. 2003 with the Collection 6 thresholds (Giglio et al. 2016). The pixels tested
 *  (fires; with keep_rejected also rejected candidates) are appended to out in raster order.
 *  info gives the sensor and the rows per scan (for the pixel size along track). */
HY_NODISCARD hy_status hy_fire_thermal_swath(const hy_ctx *ctx, const hy_granule_info *info,
                                             const hy_swath *sw, const hy_fire_thermal_config *cfg,
                                             hy_thermal_fires *out);

/** Detect active fires in a whole granule, strip by strip in bounded memory (strips in parallel
 *  on hy_ctx_threads() workers, each with its own handle; the result does not depend on the
 *  thread count); VIIRS keeps the granule's clear land BT4 in hundredths of a kelvin (2 bytes a
 *  pixel) for the BT4S medians. One detection per
 *  fire pixel, as the VNP14IMG and MOD14 products report them (kind fire, source satellite,
 *  the pixel's own latitude and longitude, BT4, BT11, FRP, area = scan x track, confidence
 *  (VIIRS l/n/h as 0.3/0.6/0.9; MODIS 0..100 / 100), tests, 'D'/'N'). pixels (may be NULL)
 *  gets every fire pixel with its statistics. */
HY_NODISCARD hy_status hy_fire_thermal_detect(const hy_ctx *ctx, hy_granule *g,
                                              const hy_fire_thermal_config *cfg, hy_detections *out,
                                              hy_thermal_fires *pixels);

/* ---------------------------------------------------------------------------------------- */
/* Bare soil (uncovered land) from Landsat-8/9 and Sentinel-2                                */

/* Per-pixel bits of the bare-soil kernel. */
#define HY_BARE_SOIL (1u << 0) /* nearer a bare-soil spectrum (models/baresoil) */
#define HY_BARE_CLEAR                                                                              \
    (1u << 1) /* clear enough to compare dates: blue <= 0.18 (not cloud or                         \
                 haze) and not both NIR < 0.1 and SWIR1 < 0.1 (not shadow) */
#define HY_BARE_CLOUD_BLUE   0.18f
#define HY_BARE_SHADOW_NIR   0.1f
#define HY_BARE_SHADOW_SWIR1 0.1f

/* What a bare patch is, from one or two dates. */
typedef enum hy_bare_class {
    HY_BARE_CLASS_BARE = 1,  /* bare now; no comparable earlier date */
    HY_BARE_CLASS_NEW,       /* bare now, clear and not bare on the earlier date: newly exposed */
    HY_BARE_CLASS_PERSISTENT /* bare on both dates: long unused */
} hy_bare_class;

/** "bare", "new", "persistent". */
const char *hy_bare_class_name(hy_bare_class c);

typedef struct hy_bare_config {
    double min_area_m2; /* smallest patch reported; default 5000 (0.5 ha) */
    int tile_size;      /* edge of the square blocks read and classified in parallel; 512 */
} hy_bare_config;

void hy_bare_config_init(hy_bare_config *cfg);

/** The pixels of each patch: patch k (the k-th detection appended) holds pixels
 *  xy[2 * start[k] .. 2 * start[k + 1]) as (column, row) pairs in raster order; class[k] its
 *  hy_bare_class. */
typedef struct hy_bare_patches {
    int32_t *xy;
    size_t *start; /* n + 1 entries */
    uint8_t *cls;
    size_t n;
} hy_bare_patches;

void hy_bare_patches_free(const hy_ctx *ctx, hy_bare_patches *p);

/** Find bare-soil patches in a Landsat-8/9 or Sentinel-2 scene (surface reflectance best: the
 *  library is of surface spectra) with the sensor's classifier from models/baresoil; a cloud
 *  (blue above HY_BARE_CLOUD_BLUE) is never bare. With
 *  `before` (an earlier scene of the same sensor on the same grid up to a whole-pixel shift),
 *  each bare pixel is new (clear and not bare before), persistent (bare before too) or bare
 *  (not comparable: outside the earlier scene, or cloud or shadow there). Pixels of one class
 *  are grouped into 8-connected patches; patches of at least min_area_m2 become detections
 *  (kind bare_soil, bbox, pixels, centre = mean of the pixel centres, area_m2, tests "bare",
 *  "bare,new" or "bare,persistent", confidence 0.6 / 0.8 / 0.7), appended to out in raster
 *  order of their first pixel. patches (may be NULL) gets their pixels. Blocks are read and
 *  classified in parallel, each worker with its own scene handle. */
HY_NODISCARD hy_status hy_bare_detect(const hy_ctx *ctx, hy_scene *scene, hy_scene *before,
                                      const hy_bare_config *cfg, hy_detections *out,
                                      hy_bare_patches *patches);

/** Kernel: the sensor's classifier (Sentinel-2 or Landsat) on n pixels of blue, green, red, NIR,
 *  SWIR1, SWIR2 reflectance; writes HY_BARE_* bits (0 where not valid). Dispatched to the best
 *  version the ctx allows; every version gives identical output. */
void hy_bare_classify(const hy_ctx *ctx, hy_sensor sensor, const float *const band[6],
                      const uint8_t *valid, uint8_t *out, size_t n);

/* ---------------------------------------------------------------------------------------- */
/* Camera smoke (Genovese et al. 2011: two backgrounds, slow motion, grey colour, growth)     */

/** The smoke detector's colour test (both also ask for a greyness of min_greyness). */
typedef enum hy_smoke_colour {
    HY_SMOKE_COLOUR_GENOVESE = 0, /* Y - U > 40, Y - V > 40, Y > 30: Genovese et al. 2011's
                                     code (grey passes only from Y = 169); the default */
    HY_SMOKE_COLOUR_TOREYIN       /* Y > 100: Toreyin's thesis (2009), eq. 6.3, which that code
                                     cites: fainter smoke, and also pale stubble (docs/camera.md) */
} hy_smoke_colour;

typedef struct hy_smoke_config {
    int min_pixels;         /* smallest region at analysis size; default 20 (Genovese et al.) */
    int persist_k;          /* confirmed when seen in k of the last n analysed frames (3 of 5),  */
    int persist_n;          /* and grown and risen over the last 5 sightings                   */
    int hold_k;             /* and stays confirmed while seen in hold_k of them, risen or not;
                               default 0: round(0.8 k) */
    double repeat_s;        /* a confirmed region is reported again after this long; default 10 */
    double min_greyness;    /* 1 - (|U - 128| + |V - 128|) / 128 at least this; default 0.8 */
    hy_smoke_colour colour; /* and the luma test; default HY_SMOKE_COLOUR_GENOVESE */
    double soft_edge;       /* Toreyin et al. 2006: a region counts only where the scene behind it
                               lost high-frequency energy: the box's 2 x 2 Haar detail energy
                               in the frame at most this share of the slow background's;
                               default -1: off (docs/camera.md); e.g. 0.9 */
    double edge_floor;      /* ... unless the background's mean detail energy per pixel is below
                               this (flat sky: no edges to lose); default 2 grey levels */
    double view_change;     /* the view changed (a PTZ camera turned to another preset, a camera
                               was knocked or zoomed, the exposure jumped) when at least this
                               share of the picture's 8 x 8 blocks changed by more than 24 grey
                               levels since the last analysed frame: the models restart from
                               this frame and the regions are forgotten; default 0.5; 0: off */
    const hy_polygon *exclude; /* polygons in full-resolution image pixels where nothing is
                                  detected (copied at create); default none */
    unsigned exclude_count;
    const char *camera_id;
} hy_smoke_config;

typedef struct hy_smoke hy_smoke;

void hy_smoke_config_init(hy_smoke_config *cfg);
HY_NODISCARD hy_status hy_smoke_create(const hy_ctx *ctx, const hy_smoke_config *cfg,
                                       hy_smoke **out);
/** Analyse one frame; append the confirmed smoke detections due for reporting to out (bbox in
 *  the frame's full resolution). The first frame (and the first after a change of size or of
 *  colour mode) only starts the background models. */
HY_NODISCARD hy_status hy_smoke_process(hy_smoke *s, const hy_frame *frame, hy_detections *out);
void hy_smoke_destroy(hy_smoke *s);

#ifdef __cplusplus
}
#endif
/* ---------------------------------------------------------------------------------------- */
/* Camera dust (detect/dust.c): brown or grey haze near the ground                            */

typedef struct hy_dust_config {
    double max_saturation;    /* a hazy pixel's (max - min) / max below this; 0.35 */
    int max_warmth;           /* and R - B in 0..this; 60 */
    int min_value, max_value; /* and max(R, G, B) within; 90, 235 */
    double max_texture;       /* and the luma's 9 x 9 standard deviation below; 10 */
    int min_dark;             /* and its 7 x 7 dark channel at least; 70 */
    double min_lower;   /* dust when the hazy share of the lower two thirds is at least; 0.20 */
    double max_upper;   /* and that of the upper third at most; 0.10 */
    int motion;         /* 1 (default, video): the haze must move; 0: one picture decides */
    double min_moving;  /* with motion: this share of the hazy pixels changed; 0.05 */
    double view_change; /* with motion: the background restarts when the view changed, as the
                           smoke detector's (hy_smoke_config); 0.5; 0: off */
    int persist_k, persist_n;  /* confirmed in k of the last n analysed frames; 3 of 5 */
    int hold_k;                /* and stays confirmed while in hold_k of them; 0: round(0.8 k) */
    double repeat_s;           /* reported again after this long while it lasts; 10 */
    const hy_polygon *exclude; /* polygons in full-resolution pixels (copied at create) */
    unsigned exclude_count;
    const char *camera_id;
} hy_dust_config;

typedef struct hy_dust hy_dust;

void hy_dust_config_init(hy_dust_config *cfg);
HY_NODISCARD hy_status hy_dust_create(const hy_ctx *ctx, const hy_dust_config *cfg, hy_dust **out);
/** Analyse one frame; append a dust detection when one is confirmed and due (bbox: the hazy
 *  pixels' extent in the lower two thirds, at the frame's full resolution; tests
 *  "haze_S,upper_U[,moving],persist_K_of_N"). With motion, the first frame (and the first after
 *  a change of size or colour mode) only starts the background. */
HY_NODISCARD hy_status hy_dust_process(hy_dust *s, const hy_frame *frame, hy_detections *out);
void hy_dust_destroy(hy_dust *s);

/* ---------------------------------------------------------------------------------------- */
/* A camera's picture (detect/view.c)                                                         */

/** What a camera's analysed frames show: a live picture, or one that cannot show a fire. */
typedef enum hy_picture_state {
    HY_PICTURE_LIVE = 0,
    HY_PICTURE_FROZEN, /* the same picture, block for block, for at least hold_s: the camera or
                          its encoder hung while the stream runs on */
    HY_PICTURE_BLANK   /* a featureless picture (its 8 x 8 blocks' mean grey levels within
                          blank_levels, as a standard deviation) for at least hold_s: a covered,
                          blinded or dead camera */
} hy_picture_state;

typedef struct hy_picture_config {
    double hold_s;       /* how long a state must last to be reported; default 30 */
    double check_s;      /* the picture is looked at once per this much stream time at most
                            (it reads a quarter of the picture's rows); default 10; 0: every
                            frame given */
    double blank_levels; /* default 1.5 (the foggiest labelled clip here: 2.7) */
    const char *camera_id;
} hy_picture_config;

typedef struct hy_picture hy_picture;

void hy_picture_config_init(hy_picture_config *cfg);
HY_NODISCARD hy_status hy_picture_create(const hy_ctx *ctx, const hy_picture_config *cfg,
                                         hy_picture **out);
/** Look at one analysed frame (unless one was looked at less than check_s ago); *state gets the
 *  camera's state after it. Each change of state is logged once (a warning when the picture is
 *  lost, info when it is live again), with the frame it began at. */
HY_NODISCARD hy_status hy_picture_step(hy_picture *p, const hy_frame *frame,
                                       hy_picture_state *state);
/** The state's name: live, frozen or blank. */
const char *hy_picture_state_name(hy_picture_state s);
void hy_picture_destroy(hy_picture *p);

/* ---------------------------------------------------------------------------------------- */
/* False-alarm memory (detect/false_alarm.c)                                                 */

/** A camera hit an analyst dismissed as a false alarm: where in the camera's picture, and
 *  when (its time of day is what recurs). */
typedef struct hy_false_alarm {
    int64_t id;      /* the store's */
    char camera[96]; /* camera id */
    hy_kind kind;
    int bbox[4];  /* x, y, w, h in full-resolution pixels */
    int64_t time; /* UTC microseconds */
} hy_false_alarm;

/** When a hit repeats a remembered false alarm. */
typedef struct hy_fa_params {
    double min_iou;      /* boxes overlap by at least this intersection over union; 0.3 */
    double window_min;   /* times of day (UTC) at most this many minutes apart, either way
                            round midnight; 60 */
    double max_age_days; /* false alarms this many days apart or less count; 30 */
} hy_fa_params;

void hy_fa_params_init(hy_fa_params *p);
/** Intersection over union of two boxes (x, y, w, h); 0 when they do not overlap. */
double hy_box_iou(const int a[4], const int b[4]);
/** The index in mem of the false alarm camera hit d repeats: the same camera and kind, boxes
 *  overlapping by IoU >= min_iou (the largest overlap wins), times of day within window_min,
 *  times at most max_age_days apart. -1 when none, and for a hit without a time or not from a
 *  camera. */
int hy_false_alarm_match(const hy_false_alarm *mem, size_t n, const hy_detection *d,
                         const hy_fa_params *p);

#endif
