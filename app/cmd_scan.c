/* app/cmd_scan.c - huoyan scan: satellite scenes to fire detections placed in townships. */
#include "app/app.h"

#include "detect/detect.h"
#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void scan_usage(FILE *f)
{
    fputs("usage: huoyan scan [OPTIONS] SCENE...\n"
          "\n"
          "Detect active fires (and, with --detect bare_soil, uncovered bare land) in satellite\n"
          "scenes. SCENE is a Landsat-8/9 MTL file or a folder\n"
          "holding one (Collection 2 Level-1 or Level-2, or pre-collection) with its band\n"
          "GeoTIFFs beside it; or Sentinel-2: a folder of per-band rasters (names with B01..B12,\n"
          "B8A) or one stacked raster whose band descriptions name the bands; or a VIIRS I-band\n"
          "L1B granule (VNP02IMG, VJ102IMG, VJ202IMG: NetCDF4) or a MODIS one (MOD021KM,\n"
          "MYD021KM: HDF4) with its geolocation file (VNP03IMG, ..., MOD03, MYD03) beside it.\n"
          "VIIRS is tested with Schroeder et al. 2014's algorithm (VNP14IMG), MODIS with Giglio\n"
          "et al. 2003/2016's (MOD14); each fire pixel is one detection, as in those products,\n"
          "with BT4, BT11, FRP, scan x track and l/n/h or 0..100 confidence. Fire pixels pass\n"
          "the chosen rules (Landsat default: Schroeder et al. 2016's unambiguous tests, or its\n"
          "candidate tests and then the contextual test against their 61 x 61 background); they\n"
          "are grouped into 8-connected clusters, one detection each, placed in WGS84 and in\n"
          "their township. Blocks are read and tested on HY_THREADS threads. Progress goes to\n"
          "stderr.\n"
          "\n"
          "options:\n",
          f);
    fputs(
        "  --algorithm NAME     auto (default: schroeder for Landsat; for Sentinel-2 murphy with\n"
        "                       B8A, else sahm), schroeder (Schroeder et al. 2016), kumar_roy\n"
        "                       (Kumar & Roy 2018), murphy (Murphy et al. 2016; the Murphy port\n"
        "                       on Sentinel-2), sahm or tai (Sentinel-2 SWIR indices) or\n"
        "                       cropland (derived for Henan, models/fire_msi_cropland) or hu\n"
        "                       (Hu et al. 2021's rule for --biome: tropical_moist, savanna\n"
        "                       (default), mediterranean, temperate_conifer, boreal)\n"
        "  --hot-sources FILE   static hot-source mask (industry): points (radius_m attribute)\n"
        "                       and polygons in any OGR format, or a FIRMS archive CSV whose\n"
        "                       type-2 rows are taken; detections inside are flagged\n"
        "                       \"static_source\":true\n"
        "  --hot-source-radius M  radius of points without their own (default 1000 m)\n"
        "  --min-pixels N       smallest cluster reported (default 1)\n"
        "  --no-context         report candidates without the contextual test (confidence\n"
        "                       0.5), for diagnosis\n"
        "  --geo FILE           the geolocation file of a VIIRS/MODIS granule (default: the\n"
        "                       one of the same pass, .AYYYYDDD.HHMM., beside it)\n"
        "  --firms FILE.csv     also write a VIIRS/MODIS granule's fire pixels as a FIRMS CSV\n"
        "                       with exactly FIRMS's columns for the sensor\n"
        "  --detect LIST        fire (default), bare_soil, or fire,bare_soil. Bare soil:\n"
        "                       the nearest of models/baresoil's labelled spectra, on\n"
        "                       Landsat-8/9 or Sentinel-2 (surface reflectance best),\n"
        "                       8-connected patches, one detection each\n"
        "  --before SCENE0      an earlier scene on the same grid: patches become new (bare\n"
        "                       now, clear and not bare then) or persistent (bare on both)\n"
        "  --min-area M2        smallest bare patch reported (default 5000 m2, 0.5 ha)\n"
        "  --patches FILE       the bare patches as polygons with area in m2 and mu and their\n"
        "                       township: GeoPackage, or GeoJSON for *.geojson\n"
        "  --evidence DIR       an evidence chip per detection, PRODUCT-KIND-N.jpg in DIR (its\n"
        "                       path in the detection): Landsat/Sentinel-2 true colour (red,\n"
        "                       green, blue; reflectance 0..0.3) beside SWIR false colour\n"
        "                       (SWIR2, NIR, red; 0..0.6), 64 pixels or more around the hit;\n"
        "                       VIIRS/MODIS: BT4 (280..360 K, grey) beside SWIR, NIR, red by\n"
        "                       day, 32 pixels around; the hit boxed on each\n" HY_APP_OUT_HELP,
        f);
}

typedef struct scan_opts {
    hy_scene_options scene;
    hy_fire_oli_config fire;
    const char *mask;     /* COG of the fire mask, or NULL */
    const char *geo;      /* geolocation file of a granule, or NULL */
    const char *firms;    /* FIRMS CSV of a granule's fire pixels, or NULL */
    int fire_on, bare_on; /* --detect */
    hy_bare_config bare;  /* --min-area */
    const char *before;   /* --before: the earlier scene for bare soil */
    const char *patches;  /* --patches: bare-soil polygons */
    const char *evidence; /* --evidence: the folder for chips, or NULL */
} scan_opts;

/* ---- evidence chips ---- */

#define CHIP_MIN_SCENE  64  /* scene pixels around a hit, at least */
#define CHIP_MAX_SCENE  512 /* and at most */
#define CHIP_SIDE_SWATH 32  /* swath pixels around a thermal fire pixel */
#define CHIP_DISPLAY    256 /* display pixels a panel is enlarged to, about */
#define CHIP_QUALITY    90
#define TRUE_COLOUR_HI  0.3 /* reflectance shown white in true colour */
#define FALSE_COLOUR_HI 0.6 /* and in SWIR false colour */
#define BT4_LO          280.0
#define BT4_HI          360.0

/* The window of side `side` (or the box and 16 pixels each way, if larger; at most
 * CHIP_MAX_SCENE) centred on the box, moved inside the W x H grid. */
static void chip_window(const int bbox[4], int W, int H, int side, int win[4])
{
    int s = bbox[2] > bbox[3] ? bbox[2] : bbox[3];
    s = s + 32 > side ? s + 32 : side;
    s = s > CHIP_MAX_SCENE ? CHIP_MAX_SCENE : s;
    win[2] = s < W ? s : W;
    win[3] = s < H ? s : H;
    win[0] = bbox[0] + bbox[2] / 2 - win[2] / 2;
    win[1] = bbox[1] + bbox[3] / 2 - win[3] / 2;
    win[0] = win[0] < 0 ? 0 : win[0] > W - win[2] ? W - win[2] : win[0];
    win[1] = win[1] < 0 ? 0 : win[1] > H - win[3] ? H - win[3] : win[1];
}

/* The hit's box in the window's pixels, clipped to it. */
static void chip_box(const int bbox[4], const int win[4], int box[4])
{
    int x0 = bbox[0] - win[0], y0 = bbox[1] - win[1];
    int x1 = x0 + bbox[2], y1 = y0 + bbox[3];
    x0 = x0 < 0 ? 0 : x0;
    y0 = y0 < 0 ? 0 : y0;
    x1 = x1 > win[2] ? win[2] : x1;
    y1 = y1 > win[3] ? win[3] : y1;
    box[0] = x0;
    box[1] = y0;
    box[2] = x1 > x0 ? x1 - x0 : 1;
    box[3] = y1 > y0 ? y1 - y0 : 1;
}

static int chip_zoom(const int win[4])
{
    const int s = win[2] > win[3] ? win[2] : win[3];
    const int z = (CHIP_DISPLAY + s - 1) / s;
    return z < 1 ? 1 : z > 8 ? 8 : z;
}

/* dir/PRODUCT-KIND-K.jpg into d->evidence. */
static int chip_path(hy_detection *d, const char *dir, size_t k)
{
    char tail[48];
    snprintf(tail, sizeof(tail), "%s-%zu", hy_kind_name(d->kind), k);
    return hy_app_evidence_path(d, dir, tail);
}

static void chip_write(hy_app_out *o, hy_detection *d, const hy_chip_panel *panels, int n,
                       const int win[4], ptrdiff_t stride, const int box[4])
{
    char err[1024];
    if (hy_evidence_write_chip(d->evidence, panels, n, win[2], win[3], stride, box, chip_zoom(win),
                               CHIP_QUALITY, err, sizeof(err)) != HY_OK) {
        hy__log(o->ctx, HY_LOG_WARN, "%s", err[0] ? err : "cannot write an evidence chip");
        d->evidence[0] = '\0';
    }
}

/* A chip for each detection of a Landsat or Sentinel-2 scene. A chip that cannot be made is
 * a warning, not a failure: the detection is still reported, without evidence. */
static void scene_chips(hy_app_out *o, const char *path, hy_scene *scene, hy_detections *dets,
                        const char *dir)
{
    const hy_scene_info *info = hy_scene_info_get(scene);
    for (size_t k = 0; k < dets->n; k++) {
        hy_detection *d = &dets->v[k];
        hy_chip_panel p[2];
        hy_tile t;
        int win[4], box[4], n = 0;
        chip_window(d->bbox, info->width, info->height, CHIP_MIN_SCENE, win);
        if (chip_path(d, dir, k) != 0)
            continue;
        if (hy_scene_read(scene, win[0], win[1], win[2], win[3], 0, &t) != HY_OK) {
            hy__log(o->ctx, HY_LOG_WARN, "%s: no evidence chip for detection %zu: %s", path, k,
                    hy_scene_errmsg(scene));
            d->evidence[0] = '\0';
            continue;
        }
        if (t.band[HY_BAND_RED] && t.band[HY_BAND_GREEN] && t.band[HY_BAND_BLUE])
            p[n++] = (hy_chip_panel){
                t.band[HY_BAND_RED], t.band[HY_BAND_GREEN], t.band[HY_BAND_BLUE], NULL, 0.0,
                TRUE_COLOUR_HI};
        if (t.band[HY_BAND_SWIR2] && t.band[HY_BAND_NIR] && t.band[HY_BAND_RED])
            p[n++] = (hy_chip_panel){
                t.band[HY_BAND_SWIR2], t.band[HY_BAND_NIR], t.band[HY_BAND_RED], NULL, 0.0,
                FALSE_COLOUR_HI};
        chip_box(d->bbox, win, box);
        if (n)
            chip_write(o, d, p, n, win, t.stride, box);
        else
            d->evidence[0] = '\0';
        hy_tile_free(o->ctx, &t);
    }
}

/* A chip for each fire pixel of a VIIRS or MODIS granule; rows are read 256 at a time, so
 * pixels in raster order share reads. */
static void granule_chips(hy_app_out *o, const char *path, hy_granule *g, hy_detections *dets,
                          const char *dir)
{
    const hy_granule_info *info = hy_granule_info_get(g);
    hy_swath sw;
    int have = 0;
    memset(&sw, 0, sizeof(sw));
    for (size_t k = 0; k < dets->n; k++) {
        hy_detection *d = &dets->v[k];
        hy_chip_panel p[2];
        int win[4], box[4], n = 0;
        ptrdiff_t off;
        chip_window(d->bbox, info->width, info->height, CHIP_SIDE_SWATH, win);
        if (chip_path(d, dir, k) != 0)
            continue;
        if (!have || win[1] < sw.y0 || win[1] + win[3] > sw.y0 + sw.rows) {
            const int want = win[3] > 256 ? win[3] : 256; /* this chip and those below it */
            const int rows = info->height - win[1] < want ? info->height - win[1] : want;
            if (have)
                hy_swath_free(o->ctx, &sw);
            have = hy_granule_read(g, win[1], rows, 0, &sw) == HY_OK;
            if (!have) {
                hy__log(o->ctx, HY_LOG_WARN, "%s: no evidence chip for fire pixel %zu: %s", path, k,
                        hy_granule_errmsg(g));
                d->evidence[0] = '\0';
                continue;
            }
        }
        off = (ptrdiff_t)(win[1] - sw.y0) * sw.width + win[0];
        p[n++] = (hy_chip_panel){sw.plane[HY_SW_BT4] + off,
                                 sw.plane[HY_SW_BT4] + off,
                                 sw.plane[HY_SW_BT4] + off,
                                 NULL,
                                 BT4_LO,
                                 BT4_HI};
        if (d->daynight == 'D' && sw.plane[HY_SW_SWIR] && sw.plane[HY_SW_NIR] &&
            sw.plane[HY_SW_RED])
            p[n++] = (hy_chip_panel){sw.plane[HY_SW_SWIR] + off,
                                     sw.plane[HY_SW_NIR] + off,
                                     sw.plane[HY_SW_RED] + off,
                                     NULL,
                                     0.0,
                                     FALSE_COLOUR_HI};
        chip_box(d->bbox, win, box);
        chip_write(o, d, p, n, win, sw.width, box);
    }
    if (have)
        hy_swath_free(o->ctx, &sw);
}

/* "fire,bare_soil": the detectors to run. */
static int parse_detect(const char *arg, scan_opts *so)
{
    char buf[128], *save = NULL;
    so->fire_on = so->bare_on = 0;
    snprintf(buf, sizeof(buf), "%s", arg);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "fire") == 0)
            so->fire_on = 1;
        else if (strcmp(t, "bare_soil") == 0)
            so->bare_on = 1;
        else
            return -1;
    }
    return so->fire_on || so->bare_on ? 0 : -1;
}

static int parse_sensor(const char *s, hy_sensor *out)
{
    static const hy_sensor sensors[] = {HY_SENSOR_LANDSAT8, HY_SENSOR_LANDSAT9,
                                        HY_SENSOR_SENTINEL2};
    for (size_t i = 0; i < sizeof(sensors) / sizeof(sensors[0]); i++) {
        if (strcmp(s, hy_sensor_name(sensors[i])) == 0) {
            *out = sensors[i];
            return 0;
        }
    }
    return -1;
}

/* "swir2=7,swir1=6,nir=5": the role of each band of a stacked raster. */
static int parse_bands(const char *arg, int index[HY_BAND_COUNT])
{
    char buf[256], *save = NULL;
    snprintf(buf, sizeof(buf), "%s", arg);
    for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '='), *end;
        long n;
        int role = -1;
        if (eq) {
            *eq = '\0';
            for (int b = 0; b < HY_BAND_COUNT; b++)
                if (strcmp(item, hy_band_name((hy_band)b)) == 0)
                    role = b;
            n = strtol(eq + 1, &end, 10);
        }
        if (!eq || role < 0 || *end || n < 1 || n > 1000) {
            hy_app_error("scan: --bands %s: expected ROLE=BAND,... with ROLE one of coastal, "
                         "blue, green, red, nir, swir1, swir2, water_vapour and BAND 1..1000",
                         arg);
            return -1;
        }
        index[role] = (int)n;
    }
    if (!index[HY_BAND_SWIR2] && !index[HY_BAND_SWIR1]) {
        hy_app_error("scan: --bands %s: the fire rules need swir1 or swir2", arg);
        return -1;
    }
    return 0;
}

/* A VIIRS or MODIS granule: its fire pixels, each placed by its own latitude and longitude. */
static int scan_granule(hy_app_out *o, const char *path, const scan_opts *so)
{
    hy_granule *g = NULL;
    hy_detections dets = {0};
    const hy_granule_info *info;
    int rc = HY_EXIT_FAILURE;
    hy_status st;
    if (hy_granule_open(o->ctx, path, so->geo, &g) != HY_OK)
        return HY_EXIT_FAILURE; /* the reason is logged */
    info = hy_granule_info_get(g);
    hy__log(o->ctx, HY_LOG_INFO, "%s: %s %dx%d, geolocation %s", path, hy_sensor_name(info->sensor),
            info->width, info->height, info->geo_path);
    if ((st = hy_fire_thermal_detect(o->ctx, g, NULL, &dets, NULL)) != HY_OK) {
        hy_app_error("%s: fire detection failed: %s (%s)", path, hy_status_str(st),
                     hy_granule_errmsg(g));
        goto done;
    }
    for (size_t i = 0; i < dets.n; i++) {
        hy_geo_assign_township(o->townships, o->max_outside_m, &dets.v[i]);
        dets.v[i].static_source = hy_hotsources_contains(o->hot, dets.v[i].lon, dets.v[i].lat);
    }
    if (so->evidence)
        granule_chips(o, path, g, &dets, so->evidence);
    rc = hy_app_out_emit(o, dets.v, dets.n);
    if (rc == HY_EXIT_OK && so->firms) {
        char err[1024];
        hy_firms_row *rows = dets.n ? calloc(dets.n, sizeof(*rows)) : NULL;
        if (dets.n && !rows) {
            hy_app_error("out of memory");
            rc = HY_EXIT_FAILURE;
            goto done;
        }
        for (size_t i = 0; i < dets.n; i++)
            hy_firms_from_detection(&dets.v[i], &rows[i]);
        if (hy_firms_write(so->firms, rows, dets.n, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
        free(rows);
    }
    hy__log(o->ctx, HY_LOG_INFO, "%s: %zu fire pixels", path, dets.n);
done:
    hy_detections_free(o->ctx, &dets);
    hy_granule_destroy(g);
    return rc;
}

/* Place detection k at the mean of its pixels' ground positions (pixels xy[2 start[k] ..
 * 2 start[k+1]) as column, row pairs) — not at the ground position of the mean pixel, which
 * differs on a swath — and give it its township. */
static int place_by_pixels(hy_app_out *o, hy_geo_transform *gt, hy_detections *dets,
                           const size_t *start, const int32_t *xy, const char *path)
{
    double *cols = NULL, *rows = NULL;
    size_t cap = 0;
    int rc = HY_EXIT_OK;
    for (size_t k = 0; k < dets->n && rc == HY_EXIT_OK; k++) {
        const size_t n = start[k + 1] - start[k];
        hy_detection *d = &dets->v[k];
        if (n > cap) {
            double *c = realloc(cols, n * sizeof(*c)), *r;
            if (c)
                cols = c;
            r = c ? realloc(rows, n * sizeof(*r)) : NULL;
            if (!c || !r) {
                hy_app_error("out of memory");
                rc = HY_EXIT_FAILURE;
                break;
            }
            rows = r;
            cap = n;
        }
        for (size_t i = 0; i < n; i++) {
            cols[i] = xy[2 * (start[k] + i)] + 0.5;
            rows[i] = xy[2 * (start[k] + i) + 1] + 0.5;
        }
        if (n == 0 || hy_geo_pixels_centre(gt, cols, rows, n, &d->lon, &d->lat) != HY_OK) {
            hy_app_error("%s: cannot place detection %zu on the ground", path, k);
            rc = HY_EXIT_FAILURE;
            break;
        }
        hy_geo_assign_township(o->townships, o->max_outside_m, d);
    }
    free(cols);
    free(rows);
    return rc;
}

/* Fire pixels grouped by their detection (counting sort on the cluster index). */
static int place_fire_pixels(hy_app_out *o, hy_geo_transform *gt, hy_detections *dets,
                             const hy_fire_pixel *px, size_t npx, const char *path)
{
    size_t *start = calloc(dets->n + 1, sizeof(*start)), *at;
    int32_t *xy = malloc((npx ? npx : 1) * 2 * sizeof(*xy));
    int rc;
    at = calloc(dets->n + 1, sizeof(*at));
    if (!start || !xy || !at) {
        free(start);
        free(xy);
        free(at);
        hy_app_error("out of memory");
        return HY_EXIT_FAILURE;
    }
    for (size_t i = 0; i < npx; i++)
        if (px[i].cluster >= 0 && (size_t)px[i].cluster < dets->n)
            start[px[i].cluster + 1]++;
    for (size_t k = 0; k < dets->n; k++)
        start[k + 1] += start[k];
    memcpy(at, start, (dets->n + 1) * sizeof(*at));
    for (size_t i = 0; i < npx; i++)
        if (px[i].cluster >= 0 && (size_t)px[i].cluster < dets->n) {
            const size_t j = at[px[i].cluster]++;
            xy[2 * j] = px[i].x;
            xy[2 * j + 1] = px[i].y;
        }
    rc = place_by_pixels(o, gt, dets, start, xy, path);
    free(start);
    free(xy);
    free(at);
    return rc;
}

/* Bare-soil patches of a scene (and an earlier one): placed, emitted, traced to polygons. */
static int scan_bare(hy_app_out *o, const char *path, const scan_opts *so, hy_scene *scene,
                     hy_geo_transform *gt)
{
    const hy_scene_info *info = hy_scene_info_get(scene);
    hy_scene *before = NULL;
    hy_detections dets = {0};
    hy_bare_patches patches;
    int rc = HY_EXIT_FAILURE;
    hy_status st;
    memset(&patches, 0, sizeof(patches));
    if (so->before && hy_scene_open_ex(o->ctx, so->before, &so->scene, &before) != HY_OK)
        return HY_EXIT_FAILURE; /* the reason is logged */
    if ((st = hy_bare_detect(o->ctx, scene, before, &so->bare, &dets, &patches)) != HY_OK) {
        hy_app_error("%s: bare-soil detection failed: %s", path, hy_status_str(st));
        goto done;
    }
    if (dets.n && place_by_pixels(o, gt, &dets, patches.start, patches.xy, path) != HY_EXIT_OK)
        goto done;
    if (so->evidence)
        scene_chips(o, path, scene, &dets, so->evidence);
    rc = hy_app_out_emit(o, dets.v, dets.n);
    if (rc == HY_EXIT_OK && so->patches) {
        char err[1024];
        if (hy_patches_write(so->patches, dets.v, &patches, info->geotransform, info->crs_wkt, err,
                             sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
    }
    hy__log(o->ctx, HY_LOG_INFO, "%s: %zu bare-soil patches", path, dets.n);
done:
    hy_bare_patches_free(o->ctx, &patches);
    hy_detections_free(o->ctx, &dets);
    hy_scene_destroy(before);
    return rc;
}

static int scan_one(hy_app_out *o, const char *path, const void *user)
{
    const scan_opts *so = user;
    hy_fire_pixel *px = NULL;
    size_t npx = 0;
    hy_scene *scene = NULL;
    hy_geo_transform *gt = NULL;
    hy_detections dets = {0};
    const hy_scene_info *info;
    int rc = HY_EXIT_FAILURE;
    hy_status st;

    if (hy_granule_is(path)) {
        if (so->bare_on) {
            hy_app_error("%s: --detect bare_soil needs a Landsat or Sentinel-2 scene, not a "
                         "VIIRS/MODIS granule",
                         path);
            return HY_EXIT_USAGE;
        }
        return scan_granule(o, path, so);
    }
    if (so->geo || so->firms) {
        hy_app_error("%s: --geo and --firms go with VIIRS/MODIS granules (VNP02IMG..., "
                     "MOD021KM...)",
                     path);
        return HY_EXIT_USAGE;
    }
    if ((st = hy_scene_open_ex(o->ctx, path, &so->scene, &scene)) != HY_OK)
        goto done; /* the reason is logged */
    info = hy_scene_info_get(scene);
    hy__log(o->ctx, HY_LOG_INFO, "%s: %s %dx%d, sun elevation %.2f deg", path,
            hy_sensor_name(info->sensor), info->width, info->height, info->sun_elevation_deg);
    if ((st = hy_geo_transform_create(o->ctx, info->crs_wkt, info->geotransform, &gt)) != HY_OK) {
        hy_app_error("%s: cannot transform the scene grid to WGS84", path);
        goto done;
    }
    if (!so->fire_on) {
        rc = scan_bare(o, path, so, scene, gt);
        goto done;
    }
    if ((st = hy_fire_oli_detect_pixels(o->ctx, scene, &so->fire, &dets, &px, &npx)) != HY_OK) {
        hy_app_error("%s: fire detection failed: %s", path, hy_status_str(st));
        goto done;
    }
    if (place_fire_pixels(o, gt, &dets, px, npx, path) != HY_EXIT_OK)
        goto done;
    for (size_t i = 0; i < dets.n; i++)
        dets.v[i].static_source = hy_hotsources_contains(o->hot, dets.v[i].lon, dets.v[i].lat);
    if (so->evidence)
        scene_chips(o, path, scene, &dets, so->evidence);
    rc = hy_app_out_emit(o, dets.v, dets.n);
    if (rc == HY_EXIT_OK && so->mask) {
        char err[1024];
        if (hy_mask_write_cog(so->mask, info->width, info->height, info->geotransform,
                              info->crs_wkt, px, npx, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
    }
    hy__log(o->ctx, HY_LOG_INFO, "%s: %zu fire detections", path, dets.n);
    if (rc == HY_EXIT_OK && so->bare_on)
        rc = scan_bare(o, path, so, scene, gt);
done:
    hy_detections_free(o->ctx, &dets);
    hy_fire_pixels_free(o->ctx, px);
    hy_geo_transform_destroy(gt);
    hy_scene_destroy(scene);
    return rc;
}

int hy_cmd_scan(int argc, char **argv)
{
    static const struct option opts[] = {{"min-pixels", required_argument, NULL, 'm'},
                                         {"no-context", no_argument, NULL, 'n'},
                                         {"algorithm", required_argument, NULL, 'a'},
                                         {"biome", required_argument, NULL, 'b'},
                                         {"mask", required_argument, NULL, 'k'},
                                         {"sensor", required_argument, NULL, 'S'},
                                         {"bands", required_argument, NULL, 'B'},
                                         {"scale", required_argument, NULL, 'C'},
                                         {"offset", required_argument, NULL, 'O'},
                                         {"hot-sources", required_argument, NULL, 's'},
                                         {"hot-source-radius", required_argument, NULL, 'r'},
                                         {"geo", required_argument, NULL, 'g'},
                                         {"firms", required_argument, NULL, 'f'},
                                         {"detect", required_argument, NULL, 'd'},
                                         {"before", required_argument, NULL, 'e'},
                                         {"min-area", required_argument, NULL, 'A'},
                                         {"patches", required_argument, NULL, 'p'},
                                         {"evidence", required_argument, NULL, 'E'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    scan_opts so;
    int scaled = 0;
    int c;
    char *end;

    hy_app_out_init(&o);
    memset(&so, 0, sizeof(so));
    hy_fire_oli_config_init(&so.fire);
    hy_scene_options_init(&so.scene);
    hy_bare_config_init(&so.bare);
    so.fire_on = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        if (hy_app_out_option(&o, c, optarg))
            continue;
        switch (c) {
        case 'm':
            so.fire.min_pixels = (int)strtol(optarg, &end, 10);
            if (*end || so.fire.min_pixels < 1 || so.fire.min_pixels > 1000000) {
                hy_app_error("scan: --min-pixels %s: expected a whole number in 1..1000000",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'k':
            so.mask = optarg;
            break;
        case 'g':
            so.geo = optarg;
            break;
        case 'f':
            so.firms = optarg;
            break;
        case 'd':
            if (parse_detect(optarg, &so) != 0) {
                hy_app_error("scan: --detect %s: expected fire, bare_soil or fire,bare_soil",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'e':
            so.before = optarg;
            break;
        case 'p':
            so.patches = optarg;
            break;
        case 'E': {
            struct stat sb;
            if (stat(optarg, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                hy_app_error("scan: --evidence %s: not a folder", optarg);
                return HY_EXIT_USAGE;
            }
            so.evidence = optarg;
            break;
        }
        case 'A':
            so.bare.min_area_m2 = strtod(optarg, &end);
            if (*end || !(so.bare.min_area_m2 >= 0 && so.bare.min_area_m2 <= 1e9)) {
                hy_app_error("scan: --min-area %s: expected square metres in 0..1e9", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'b':
            if (hy_fire_biome_parse(optarg, &so.fire.biome) != HY_OK) {
                hy_app_error("scan: --biome %s: expected tropical_moist, savanna, mediterranean, "
                             "temperate_conifer or boreal",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'S':
            if (parse_sensor(optarg, &so.scene.sensor) != 0) {
                hy_app_error("scan: --sensor %s: expected landsat8, landsat9 or sentinel2", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'B':
            if (parse_bands(optarg, so.scene.band_index) != 0)
                return HY_EXIT_USAGE;
            break;
        case 'C':
            so.scene.scale = strtod(optarg, &end);
            if (*end || !(so.scene.scale > 0)) {
                hy_app_error("scan: --scale %s: expected a positive number", optarg);
                return HY_EXIT_USAGE;
            }
            scaled = 1;
            break;
        case 'O':
            so.scene.offset = strtod(optarg, &end);
            if (*end || so.scene.offset != so.scene.offset) {
                hy_app_error("scan: --offset %s: expected a number", optarg);
                return HY_EXIT_USAGE;
            }
            scaled = 1;
            break;
        case 'n':
            so.fire.context = 0;
            break;
        case 's':
            o.hcfg.path = optarg;
            break;
        case 'r':
            o.hcfg.radius_m = strtod(optarg, &end);
            if (*end || !(o.hcfg.radius_m > 0 && o.hcfg.radius_m <= 50000)) {
                hy_app_error("scan: --hot-source-radius %s: expected metres in (0, 50000]", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'a':
            if (hy_fire_oli_algorithm_parse(optarg, &so.fire.algorithm) != HY_OK) {
                hy_app_error("scan: --algorithm %s: expected auto, schroeder, kumar_roy, murphy, "
                             "sahm or tai",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'h':
            scan_usage(stdout);
            return HY_EXIT_OK;
        default:
            scan_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        hy_app_error("scan: no SCENE given");
        scan_usage(stderr);
        return HY_EXIT_USAGE;
    }
    if (scaled && !so.scene.band_index[HY_BAND_SWIR2] && !so.scene.band_index[HY_BAND_SWIR1]) {
        hy_app_error("scan: --scale and --offset go with --bands (a stacked raster)");
        return HY_EXIT_USAGE;
    }
    if ((so.before || so.patches || so.bare.min_area_m2 != 5000) && !so.bare_on) {
        hy_app_error("scan: --before, --patches and --min-area go with --detect bare_soil");
        return HY_EXIT_USAGE;
    }
    if ((so.before || so.patches) && argc - optind > 1) {
        hy_app_error("scan: --before and --patches go with one SCENE (got %d)", argc - optind);
        return HY_EXIT_USAGE;
    }
    if ((so.geo || so.firms) && argc - optind > 1) {
        hy_app_error("scan: --geo and --firms go with one granule: give one SCENE (got %d)",
                     argc - optind);
        return HY_EXIT_USAGE;
    }
    if (so.mask && argc - optind > 1) {
        hy_app_error("scan: --mask writes one scene's mask: give one SCENE (got %d)",
                     argc - optind);
        return HY_EXIT_USAGE;
    }
    return hy_app_out_run(&o, argc, argv, optind, scan_one, &so);
}
