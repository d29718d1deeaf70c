/* app/cmd_locate.c - huoyan locate: a camera pixel to its bearing, ground point and township. */
#include "app/app.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void locate_usage(FILE *f)
{
    fputs("usage: huoyan locate --config FILE --camera ID --pixel X,Y [OPTIONS]\n"
          "       huoyan locate --config FILE --camera A --pixel X,Y --camera B --pixel X,Y ...\n"
          "\n"
          "Print the bearing and depression of pixel X,Y of camera ID (its pose from the\n"
          "configuration), where that ray meets the ground (flat ground at the camera's foot,\n"
          "or the DEM of geo.dem or --dem, with Earth curvature and refraction), the distance,\n"
          "and the township there. A ray that meets no ground within range (above the horizon,\n"
          "off the DEM) has a bearing only: exit 1.\n"
          "With two or more cameras that see the same smoke, print each camera's bearing and\n"
          "the cross-bearing fix: where the bearings cross (exactly, on the sphere), the radius\n"
          "of the cones' overlap, how many bearings agree, and the township; pairs closer than\n"
          "100 m or crossing at under 10 deg are refused; exit 1 without a fix.\n"
          "\n"
          "options:\n"
          "  --config FILE        configuration with the camera's pose; required\n"
          "  --camera ID          the camera; required; repeat for a cross-bearing fix\n"
          "  --preset NAME        the PTZ preset the (last named) camera was at\n"
          "  --pixel X,Y          pixel position in the full-resolution image (centre W/2,H/2)\n"
          "                       of the (last named) camera\n"
          "  --half-width DEG     a fix's bearing half-width, for its uncertainty (default 0.5)\n"
          "  --size WxH           image size, when the pose has no width_px/height_px\n"
          "  --dem FILE           elevation model (any GDAL raster with a CRS), over geo.dem\n"
          "  --flat               flat ground even when the configuration names a DEM\n"
          "  --max-range M        farthest ground point in metres (default geo.max_range_m,\n"
          "                       35000)\n"
          "  --townships FILE     township polygons, over the configuration's\n"
          "  --max-outside M      outside every township: the nearest within M metres\n"
          "  -h, --help           this help\n",
          f);
}

static int parse_pair(const char *s, char sep, double *a, double *b)
{
    char *end;
    *a = strtod(s, &end);
    if (end == s || *end != sep)
        return -1;
    s = end + 1;
    *b = strtod(s, &end);
    return end == s || *end || !isfinite(*a) || !isfinite(*b) ? -1 : 0;
}

#define MAX_VIEWS 16

/* One camera's view of the hit: --camera, its --preset and --pixel. */
typedef struct view {
    const char *cam_id, *preset;
    double u, v;
    hy_camera cam;
    const hy_config_camera *cc;
} view;

/* The camera model of a view from the configuration (pose, preset, image size); an exit code. */
static int view_camera(const hy_app_out *o, view *vw, double w, double h)
{
    const hy_config_camera *cc = hy_config_camera_find(o->cfg, vw->cam_id);
    if (!cc) {
        hy_app_error("locate: %s: no camera \"%s\"", o->config, vw->cam_id);
        return HY_EXIT_USAGE;
    }
    if (!cc->pose) {
        hy_app_error("locate: %s: camera \"%s\" has no pose", o->config, vw->cam_id);
        return HY_EXIT_USAGE;
    }
    if (w == 0) {
        w = cc->pose->width_px;
        h = cc->pose->height_px;
    }
    if (w == 0 || h == 0) {
        hy_app_error("locate: camera \"%s\": image size unknown: give --size WxH or "
                     "pose.width_px and pose.height_px",
                     vw->cam_id);
        return HY_EXIT_USAGE;
    }
    if (!(vw->u >= 0 && vw->u <= w && vw->v >= 0 && vw->v <= h)) {
        hy_app_error("locate: --pixel %g,%g: outside the %gx%g image", vw->u, vw->v, w, h);
        return HY_EXIT_USAGE;
    }
    vw->cc = cc;
    vw->cam = (hy_camera){cc->pose->lon,
                          cc->pose->lat,
                          cc->pose->height_m,
                          cc->pose->pan_deg,
                          cc->pose->tilt_deg,
                          cc->pose->roll_deg,
                          cc->pose->hfov_deg,
                          cc->pose->vfov_deg,
                          (int)w,
                          (int)h};
    if (vw->preset) {
        const hy_config_preset *q = NULL;
        for (unsigned i = 0; i < cc->presets_count; i++)
            if (strcmp(cc->presets[i].name, vw->preset) == 0)
                q = &cc->presets[i];
        if (!q) {
            hy_app_error("locate: %s: camera \"%s\" has no preset \"%s\"", o->config, vw->cam_id,
                         vw->preset);
            return HY_EXIT_USAGE;
        }
        vw->cam.pan_deg = q->pan_deg;
        vw->cam.tilt_deg = q->tilt_deg;
        vw->cam.roll_deg = q->roll_deg;
        if (q->hfov_deg > 0)
            vw->cam.hfov_deg = q->hfov_deg;
        if (q->vfov_deg > 0)
            vw->cam.vfov_deg = q->vfov_deg;
    }
    return HY_EXIT_OK;
}

static void print_township(const hy_app_out *o, double lon, double lat)
{
    double out_m = 0;
    const hy_township *t;
    if (!o->townships)
        return;
    t = hy_townships_nearest(o->townships, lon, lat, o->max_outside_m, &out_m);
    if (t && out_m > 0)
        printf("township\t%s\t%s\t%s\toutside %.0f m\n", t->code, t->name, t->county, out_m);
    else if (t)
        printf("township\t%s\t%s\t%s\n", t->code, t->name, t->county);
    else
        printf("township\t\n");
}

/* Two or more cameras: each one's bearing, then the cross-bearing fixes. */
static int cross_fix(hy_app_out *o, view *views, int n, double half_width, double max_range)
{
    hy_bearing b[MAX_VIEWS];
    hy_fix fixes[MAX_VIEWS], *best = NULL;
    hy_fix_params p;
    size_t nf = 0;
    for (int i = 0; i < n; i++) {
        double dep;
        hy_camera_ray(&views[i].cam, views[i].u, views[i].v, &b[i].bearing_deg, &dep);
        b[i].camera = views[i].cam_id;
        b[i].lon = views[i].cam.lon;
        b[i].lat = views[i].cam.lat;
        b[i].half_width_deg = half_width;
        b[i].time = 0; /* one moment: the views of one hit */
        printf("camera\t%s\tbearing_deg\t%.3f\n", views[i].cam_id, b[i].bearing_deg);
    }
    hy_fix_params_init(&p);
    if (max_range > 0)
        p.max_range_m = max_range;
    if (hy_geo_cross_fixes(b, (size_t)n, &p, fixes, MAX_VIEWS, &nf) != HY_OK) {
        hy_app_error("locate: cannot intersect the bearings");
        return HY_EXIT_FAILURE;
    }
    for (size_t k = 0; k < nf; k++)
        if (!best || fixes[k].n_bearings > best->n_bearings)
            best = &fixes[k];
    if (!best) {
        hy_app_error("locate: no fix: the bearings do not cross in front of two cameras within "
                     "%.0f m, at 10 deg or more, from cameras at least 100 m apart",
                     p.max_range_m);
        return HY_EXIT_FAILURE;
    }
    printf("lon\t%.6f\nlat\t%.6f\nradius_m\t%.1f\nbearings\t%d\n", best->lon, best->lat,
           best->radius_m, best->n_bearings);
    if (nf > 1)
        printf("other_fixes\t%zu\n", nf - 1);
    print_township(o, best->lon, best->lat);
    return HY_EXIT_OK;
}

int hy_cmd_locate(int argc, char **argv)
{
    static const struct option opts[] = {{"camera", required_argument, NULL, 'c'},
                                         {"preset", required_argument, NULL, 'P'},
                                         {"pixel", required_argument, NULL, 'p'},
                                         {"size", required_argument, NULL, 's'},
                                         {"dem", required_argument, NULL, 'd'},
                                         {"flat", no_argument, NULL, 'f'},
                                         {"max-range", required_argument, NULL, 'r'},
                                         {"half-width", required_argument, NULL, 'w'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    const char *dem_path = NULL;
    double w = 0, h = 0, max_range = 0, half_width = 0.5, bearing, dep, lon, lat, dist;
    view views[MAX_VIEWS];
    int nviews = 0;
    hy_dem *dem = NULL;
    int c, rc, flat = 0;
    char err[1024];
    hy_status st;

    hy_app_out_init(&o);
    o.no_db = 1;
    memset(views, 0, sizeof(views));
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            locate_usage(stdout);
            return HY_EXIT_OK;
        case 'c':
            if (nviews > 0 && !views[nviews - 1].cam_id) { /* --pixel or --preset came first */
                views[nviews - 1].cam_id = optarg;
                break;
            }
            if (nviews == MAX_VIEWS) {
                hy_app_error("locate: at most %d cameras", MAX_VIEWS);
                return HY_EXIT_USAGE;
            }
            views[nviews].cam_id = optarg;
            views[nviews].u = views[nviews].v = NAN;
            nviews++;
            break;
        case 'P':
        case 'p':
            if (nviews == 0) { /* before any --camera: for the first one */
                views[0].u = views[0].v = NAN;
                nviews = 1;
            }
            if (c == 'P') {
                views[nviews - 1].preset = optarg;
            } else if (parse_pair(optarg, ',', &views[nviews - 1].u, &views[nviews - 1].v)) {
                hy_app_error("locate: --pixel %s: expected X,Y", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 's':
            if (parse_pair(optarg, 'x', &w, &h) ||
                !(w >= 1 && w <= 65536 && h >= 1 && h <= 65536) || w != floor(w) || h != floor(h)) {
                hy_app_error("locate: --size %s: expected WxH in pixels, e.g. 1920x1080", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'd':
            dem_path = optarg;
            break;
        case 'f':
            flat = 1;
            break;
        case 'r':
        case 'w': {
            char *end;
            double x = strtod(optarg, &end);
            if (c == 'r' && (*end || !(x > 0 && x <= 200000))) {
                hy_app_error("locate: --max-range %s: expected metres in (0, 200000]", optarg);
                return HY_EXIT_USAGE;
            }
            if (c == 'w' && (*end || !(x >= 0 && x < 45))) {
                hy_app_error("locate: --half-width %s: expected degrees in [0, 45)", optarg);
                return HY_EXIT_USAGE;
            }
            *(c == 'r' ? &max_range : &half_width) = x;
            break;
        }
        default:
            if (!hy_app_out_option(&o, c, optarg) || (c >= 1000 && c <= 1003) ||
                (c >= 1010 && c <= 1012)) { /* output options */
                locate_usage(stderr);
                return HY_EXIT_USAGE;
            }
        }
    }
    if (!o.config || nviews == 0 || !views[nviews - 1].cam_id) {
        hy_app_error("locate: --config FILE, --camera ID and --pixel X,Y are required");
        return HY_EXIT_USAGE;
    }
    for (int i = 0; i < nviews; i++)
        if (isnan(views[i].u)) {
            hy_app_error("locate: camera \"%s\" has no --pixel X,Y", views[i].cam_id);
            return HY_EXIT_USAGE;
        }
    if (optind != argc) {
        hy_app_error("locate: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_out_open(&o)) != HY_EXIT_OK)
        return hy_app_out_close(&o, rc);
    for (int i = 0; i < nviews; i++)
        if ((rc = view_camera(&o, &views[i], w, h)) != HY_EXIT_OK)
            return hy_app_out_close(&o, rc);
    if (max_range == 0)
        max_range = o.cfg->geo.max_range_m;
    if (nviews > 1)
        return hy_app_out_close(&o, cross_fix(&o, views, nviews, half_width, max_range));
    if (!dem_path && !flat)
        dem_path = o.cfg->geo.dem;
    if (flat)
        dem_path = NULL;
    if (dem_path && (st = hy_dem_open(o.ctx, dem_path, &dem, err, sizeof(err))) != HY_OK) {
        hy_app_error("%s", err);
        return hy_app_out_close(&o, HY_EXIT_FAILURE);
    }
    hy_camera_ray(&views[0].cam, views[0].u, views[0].v, &bearing, &dep);
    printf("bearing_deg\t%.3f\ndepression_deg\t%.3f\n", bearing, dep);
    st = hy_camera_ground(&views[0].cam, dem, max_range, views[0].u, views[0].v, &lon, &lat, &dist);
    if (st != HY_OK) {
        hy_app_error("locate: the ray meets no ground within %.0f m (%s): a bearing only",
                     max_range,
                     dem ? "above the terrain, or off the DEM" : "at or above the horizon");
        hy_dem_destroy(dem);
        return hy_app_out_close(&o, HY_EXIT_FAILURE);
    }
    printf("lon\t%.6f\nlat\t%.6f\ndistance_m\t%.1f\nground\t%s\n", lon, lat, dist,
           dem ? dem_path : "flat");
    print_township(&o, lon, lat);
    hy_dem_destroy(dem);
    return hy_app_out_close(&o, HY_EXIT_OK);
}
