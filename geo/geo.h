/*
 * geo/geo.h - putting hits on the ground: scene pixels to WGS84 longitude/latitude, and
 * points to townships.
 *
 * A hy_geo_transform or hy_townships handle may be shared by threads for lookups once built
 * (lookups do not modify it), except where a declaration says otherwise.
 */
#ifndef HY_GEO_H
#define HY_GEO_H

#include "core/core.h"
#include "detect/detect.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- pixel grid to WGS84 ---- */

typedef struct hy_geo_transform hy_geo_transform;

/** A transform from a grid (GDAL geotransform + CRS as WKT or "EPSG:n") to WGS84 in
 *  longitude, latitude order. Used by one thread at a time (OGR transformations are not
 *  thread-safe). */
HY_NODISCARD hy_status hy_geo_transform_create(const hy_ctx *ctx, const char *crs,
                                               const double geotransform[6],
                                               hy_geo_transform **out);
/** Grid position (col, row; pixel corners at integers, centres at +0.5) to lon/lat. */
HY_NODISCARD hy_status hy_geo_pixel_to_lonlat(hy_geo_transform *t, double col, double row,
                                              double *lon, double *lat);
/** A swath's transform from per-pixel geolocation arrays (VIIRS, MODIS: the longitude and
 *  latitude of each pixel centre, w x h, copied): positions between centres are bilinear, the
 *  short way across the antimeridian; outside the outer centres HY_ENOTFOUND. */
HY_NODISCARD hy_status hy_geo_transform_create_swath(const hy_ctx *ctx, const float *lon,
                                                     const float *lat, int w, int h,
                                                     hy_geo_transform **out);
/** The centre of a cluster on the ground: the mean of its pixels' ground positions (as unit
 *  vectors, so that clusters across the antimeridian come out right), not the position of
 *  the mean pixel index; the two differ on a swath, whose pixels grow towards its edges. */
HY_NODISCARD hy_status hy_geo_pixels_centre(hy_geo_transform *t, const double *cols,
                                            const double *rows, size_t n, double *lon, double *lat);
void hy_geo_transform_destroy(hy_geo_transform *t);

/* ---- GCJ-02 (Chinese web maps) ---- */

/** WGS84 to GCJ-02 by the published formula; unchanged outside China. Reentrant. */
void hy_gcj02_from_wgs84(double lon, double lat, double *glon, double *glat);
/** GCJ-02 to WGS84 by iterating the forward formula to 1e-10 deg. Reentrant. */
void hy_gcj02_to_wgs84(double glon, double glat, double *lon, double *lat);

/* ---- tower cameras ---- */

/** A camera's pose and image: where it stands, where the image centre points, how wide it
 *  sees. Angles in degrees: pan clockwise from true north, tilt positive down, roll clockwise
 *  as the camera sees it. */
typedef struct hy_camera {
    double lon, lat; /* WGS84 */
    double height_m; /* lens above the ground */
    double pan_deg, tilt_deg, roll_deg;
    double hfov_deg, vfov_deg; /* full fields of view, in (0, 180) */
    int width, height;         /* image size in pixels */
} hy_camera;

/** Bearing (0..360, clockwise from north) and depression (positive below the horizon) of the
 *  ray through pixel position (u, v) (pixel corners at integers; the centre is W/2, H/2). */
void hy_camera_ray(const hy_camera *c, double u, double v, double *bearing_deg,
                   double *depression_deg);

/** The point dist_m along the great circle from lon, lat at bearing_deg (sphere of 6371 km). */
void hy_geo_destination(double lon, double lat, double bearing_deg, double dist_m, double *lon2,
                        double *lat2);
/** Metres between two nearby WGS84 points (equirectangular on a sphere of 6371008.8 m; under
 *  0.1 % error within 10 km). */
double hy_geo_distance_m(double lon1, double lat1, double lon2, double lat2);

typedef struct hy_dem hy_dem;

/** Read a DEM (band 1, metres above sea level, any GDAL raster with a CRS) into memory. */
HY_NODISCARD hy_status hy_dem_open(const hy_ctx *ctx, const char *path, hy_dem **out, char *err,
                                   size_t err_size);
/** Elevation at a WGS84 point, bilinear between cell centres; HY_ENOTFOUND off the DEM or on
 *  no-data. Not thread-safe when the DEM is not in WGS84 (it uses an OGR transformation). */
HY_NODISCARD hy_status hy_dem_height(const hy_dem *d, double lon, double lat, double *z);
/** The DEM's smaller cell side in metres. */
double hy_dem_cell_m(const hy_dem *d);
void hy_dem_destroy(hy_dem *d);

/** Where the ray through pixel (u, v) meets the ground, within max_range_m of the camera.
 *  dem NULL: flat ground at the camera's foot, d = height / tan(depression). Otherwise the ray
 *  starts at DEM(camera) + height and is marched in steps of half a DEM cell, bending with
 *  Earth curvature and refraction (k = 0.13), and the first crossing is bisected to 1 cm.
 *  HY_ENOTFOUND: the ray points at or above the horizon (flat), leaves the DEM or the range
 *  first: a hit there has a bearing only. */
HY_NODISCARD hy_status hy_camera_ground(const hy_camera *c, const hy_dem *dem, double max_range_m,
                                        double u, double v, double *lon, double *lat,
                                        double *dist_m);

/* ---- cross-bearing fixes ---- */

/** What one camera saw: the bearing of a hit and its angular half-width (the cone). */
typedef struct hy_bearing {
    const char *camera;    /* camera id: pairs need two different cameras */
    double lon, lat;       /* the camera, WGS84 */
    double bearing_deg;    /* to the hit, clockwise from true north */
    double half_width_deg; /* half the hit's angular width, [0, 45) */
    int64_t time;          /* UTC microseconds */
} hy_bearing;

typedef struct hy_fix_params {
    double window_s;       /* bearings further apart in time are different events; 60 */
    double max_range_m;    /* farthest a fix may be from either camera; 35000 */
    double min_baseline_m; /* camera pairs closer than this are ignored; 100 */
    double min_angle_deg;  /* rays crossing at less than this are refused; 10 */
    double merge_m;        /* fixes closer than this are one event; 2000 */
} hy_fix_params;

/** One located event. */
typedef struct hy_fix {
    double lon, lat;
    double radius_m;  /* half the longest extent of the best pair's cone overlap */
    int n_bearings;   /* bearings that agree on it (2: one pair; more: least squares) */
    uint64_t members; /* bit i: bearing i is one of them */
} hy_fix;

#define HY_FIX_MAX_BEARINGS 64

/** Defaults as above (pyronear's: 0.1 km pairs, 2 km merge, 35 km cones). */
void hy_fix_params_init(hy_fix_params *p);
/** Fixes from up to HY_FIX_MAX_BEARINGS bearings: every pair of different cameras within the
 *  time window whose rays cross in front of both, within range and at a wide enough angle,
 *  gives a fix; fixes within merge_m become one event, refined by weighted least squares over
 *  all its bearings. Writes at most max_out fixes; *n_out gets how many. With two cameras
 *  and two simultaneous events, the two ghost crossings cannot be told from the real ones:
 *  prefer fixes with n_bearings > 2. */
HY_NODISCARD hy_status hy_geo_cross_fixes(const hy_bearing *b, size_t n, const hy_fix_params *p,
                                          hy_fix *out, size_t max_out, size_t *n_out);

/* ---- townships ---- */

typedef struct hy_township {
    char code[16];   /* e.g. "410122105" */
    char name[64];   /* UTF-8, e.g. 白沙镇 */
    char county[64]; /* UTF-8, e.g. 中牟县 */
} hy_township;

typedef struct hy_townships_config {
    const char *path;         /* any OGR vector source; required */
    const char *layer;        /* NULL: the first layer */
    const char *code_field;   /* default "code" */
    const char *name_field;   /* default "name" */
    const char *county_field; /* default "county" */
    int gcj02;                /* 1: the layer's coordinates are GCJ-02 (Amap, DataV): converted
                                 to WGS84 at load */
} hy_townships_config;

typedef struct hy_townships hy_townships;

void hy_townships_config_init(hy_townships_config *cfg);
/** Load every polygon of the layer (reprojected to WGS84 if the layer has another CRS) and
 *  build a grid index over them. On failure *out is NULL and the message, naming the file and
 *  the field or feature at fault, is in err. */
HY_NODISCARD hy_status hy_townships_load(const hy_ctx *ctx, const hy_townships_config *cfg,
                                         hy_townships **out, char *err, size_t err_size);
/** The township containing lon/lat (WGS84), or NULL. Holes and multipolygons honoured (the
 *  even-odd rule over all rings of a township). The pointer lives as long as tw. */
const hy_township *hy_townships_lookup(const hy_townships *tw, double lon, double lat);
/** The township whose boundary is nearest to lon/lat, if within max_m metres; NULL otherwise.
 *  *dist_m gets the distance (0 when a township contains the point). For points just outside
 *  every polygon: a fire on the bank of a river that the layer's boundary follows. */
const hy_township *hy_townships_nearest(const hy_townships *tw, double lon, double lat,
                                        double max_m, double *dist_m);
/** One finding of hy_townships_check. Strings valid during the callback only. */
typedef struct hy_townships_issue {
    const char *what;         /* "invalid", "overlap" or "gap" */
    const char *code, *code2; /* the township(s) concerned ("" for a gap) */
    double area_m2;           /* overlap or gap area; NaN for invalid */
    double lon, lat;          /* a point of it (WGS84) */
    int repairable;           /* invalid: GEOS could repair it */
} hy_townships_issue;

/** Check a township layer: invalid geometry (and whether GEOS repairs it), overlaps between
 *  townships larger than min_area_m2, and gaps (holes in the union of all townships) larger
 *  than min_area_m2. fn is called once per finding; *n_issues gets their count. err names the
 *  file on failure. */
HY_NODISCARD hy_status hy_townships_check(const hy_ctx *ctx, const hy_townships_config *cfg,
                                          double min_area_m2,
                                          void (*fn)(void *user, const hy_townships_issue *i),
                                          void *user, size_t *n_issues, char *err, size_t err_size);
/** Call fn with each ring (lon, lat pairs, WGS84; closed or not as the layer gave it) of the
 *  township(s) with this code, until fn returns non-zero. HY_ENOTFOUND for no such code. */
HY_NODISCARD hy_status hy_townships_rings(const hy_townships *tw, const char *code,
                                          int (*fn)(void *user, const double *lonlat, size_t n),
                                          void *user);
/** Number of townships loaded. */
size_t hy_townships_count(const hy_townships *tw);
void hy_townships_destroy(hy_townships *tw);

/* ---- static hot sources (industry) ---- */

typedef struct hy_hotsources_config {
    const char *path; /* any OGR vector source: points (optional radius_m attribute) and
                         polygons in any CRS; or a FIRMS archive CSV, whose rows of type 2
                         (static land source) become points; required */
    double radius_m;  /* radius of a point without its own; default 1000 m */
} hy_hotsources_config;

typedef struct hy_hotsources hy_hotsources;

void hy_hotsources_config_init(hy_hotsources_config *cfg);
/** Load a static hot-source mask. err names the file and what was wrong. */
HY_NODISCARD hy_status hy_hotsources_load(const hy_ctx *ctx, const hy_hotsources_config *cfg,
                                          hy_hotsources **out, char *err, size_t err_size);
/** Number of sources (points and polygons). */
size_t hy_hotsources_count(const hy_hotsources *hs);
/** 1 when lon/lat (WGS84) lies within a point's radius or inside a polygon. Not thread-safe
 *  with polygons (OGR geometry calls); one thread at a time. */
int hy_hotsources_contains(const hy_hotsources *hs, double lon, double lat);
void hy_hotsources_destroy(hy_hotsources *hs);

/** Fill d's lon/lat from its pixel centre (d->px, d->py) through t, and its township from tw
 *  (may be NULL: no township) as hy_geo_assign_township does. */
HY_NODISCARD hy_status hy_geo_place(hy_geo_transform *t, const hy_townships *tw,
                                    double max_outside_m, hy_detection *d);
/** d's township from its lon/lat: the one containing it, else the nearest within
 *  max_outside_m metres (d->township_outside_m gets the distance), else none. */
void hy_geo_assign_township(const hy_townships *tw, double max_outside_m, hy_detection *d);
/** Copy township fields into a detection (or clear them when tp is NULL). */
void hy_geo_set_township(hy_detection *d, const hy_township *tp);

#ifdef __cplusplus
}
#endif
#endif
