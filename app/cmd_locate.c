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
          "\n"
          "Print the bearing and depression of pixel X,Y of camera ID (its pose from the\n"
          "configuration), where that ray meets the ground (flat ground at the camera's foot,\n"
          "or the DEM of geo.dem or --dem, with Earth curvature and refraction), the distance,\n"
          "and the township there. A ray that meets no ground within range (above the horizon,\n"
          "off the DEM) has a bearing only: exit 1.\n"
          "\n"
          "options:\n"
          "  --config FILE        configuration with the camera's pose; required\n"
          "  --camera ID          the camera; required\n"
          "  --preset NAME        the PTZ preset the camera was at (its pan, tilt, roll, zoom)\n"
          "  --pixel X,Y          pixel position in the full-resolution image (centre W/2,H/2)\n"
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

int hy_cmd_locate(int argc, char **argv)
{
    static const struct option opts[] = {{"camera", required_argument, NULL, 'c'},
                                         {"preset", required_argument, NULL, 'P'},
                                         {"pixel", required_argument, NULL, 'p'},
                                         {"size", required_argument, NULL, 's'},
                                         {"dem", required_argument, NULL, 'd'},
                                         {"flat", no_argument, NULL, 'f'},
                                         {"max-range", required_argument, NULL, 'r'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    const char *cam_id = NULL, *dem_path = NULL, *preset = NULL;
    double u = NAN, v = NAN, w = 0, h = 0, max_range = 0, bearing, dep, lon, lat, dist;
    const hy_config_camera *cc = NULL;
    hy_camera cam;
    hy_dem *dem = NULL;
    int c, rc, flat = 0;
    char err[1024];
    hy_status st;

    hy_app_out_init(&o);
    o.no_db = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            locate_usage(stdout);
            return HY_EXIT_OK;
        case 'c':
            cam_id = optarg;
            break;
        case 'P':
            preset = optarg;
            break;
        case 'p':
            if (parse_pair(optarg, ',', &u, &v)) {
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
        case 'r': {
            char *end;
            max_range = strtod(optarg, &end);
            if (*end || !(max_range > 0 && max_range <= 200000)) {
                hy_app_error("locate: --max-range %s: expected metres in (0, 200000]", optarg);
                return HY_EXIT_USAGE;
            }
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
    if (!o.config || !cam_id || isnan(u)) {
        hy_app_error("locate: --config FILE, --camera ID and --pixel X,Y are required");
        return HY_EXIT_USAGE;
    }
    if (optind != argc) {
        hy_app_error("locate: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_out_open(&o)) != HY_EXIT_OK)
        return hy_app_out_close(&o, rc);
    for (unsigned i = 0; i < o.cfg->cameras_count; i++)
        if (strcmp(o.cfg->cameras[i].id, cam_id) == 0)
            cc = &o.cfg->cameras[i];
    if (!cc) {
        hy_app_error("locate: %s: no camera \"%s\"", o.config, cam_id);
        return hy_app_out_close(&o, HY_EXIT_USAGE);
    }
    if (!cc->pose) {
        hy_app_error("locate: %s: camera \"%s\" has no pose", o.config, cam_id);
        return hy_app_out_close(&o, HY_EXIT_USAGE);
    }
    if (w == 0) {
        w = cc->pose->width_px;
        h = cc->pose->height_px;
    }
    if (w == 0 || h == 0) {
        hy_app_error("locate: camera \"%s\": image size unknown: give --size WxH or "
                     "pose.width_px and pose.height_px",
                     cam_id);
        return hy_app_out_close(&o, HY_EXIT_USAGE);
    }
    if (!(u >= 0 && u <= w && v >= 0 && v <= h)) {
        hy_app_error("locate: --pixel %g,%g: outside the %gx%g image", u, v, w, h);
        return hy_app_out_close(&o, HY_EXIT_USAGE);
    }
    cam = (hy_camera){cc->pose->lon,
                      cc->pose->lat,
                      cc->pose->height_m,
                      cc->pose->pan_deg,
                      cc->pose->tilt_deg,
                      cc->pose->roll_deg,
                      cc->pose->hfov_deg,
                      cc->pose->vfov_deg,
                      (int)w,
                      (int)h};
    if (preset) {
        const hy_config_preset *q = NULL;
        for (unsigned i = 0; i < cc->presets_count; i++)
            if (strcmp(cc->presets[i].name, preset) == 0)
                q = &cc->presets[i];
        if (!q) {
            hy_app_error("locate: %s: camera \"%s\" has no preset \"%s\"", o.config, cam_id,
                         preset);
            return hy_app_out_close(&o, HY_EXIT_USAGE);
        }
        cam.pan_deg = q->pan_deg;
        cam.tilt_deg = q->tilt_deg;
        cam.roll_deg = q->roll_deg;
        if (q->hfov_deg > 0)
            cam.hfov_deg = q->hfov_deg;
        if (q->vfov_deg > 0)
            cam.vfov_deg = q->vfov_deg;
    }
    if (!dem_path && !flat)
        dem_path = o.cfg->geo.dem;
    if (flat)
        dem_path = NULL;
    if (max_range == 0)
        max_range = o.cfg->geo.max_range_m;
    if (dem_path && (st = hy_dem_open(o.ctx, dem_path, &dem, err, sizeof(err))) != HY_OK) {
        hy_app_error("%s", err);
        return hy_app_out_close(&o, HY_EXIT_FAILURE);
    }
    hy_camera_ray(&cam, u, v, &bearing, &dep);
    printf("bearing_deg\t%.3f\ndepression_deg\t%.3f\n", bearing, dep);
    st = hy_camera_ground(&cam, dem, max_range, u, v, &lon, &lat, &dist);
    if (st != HY_OK) {
        hy_app_error("locate: the ray meets no ground within %.0f m (%s): a bearing only",
                     max_range,
                     dem ? "above the terrain, or off the DEM" : "at or above the horizon");
        hy_dem_destroy(dem);
        return hy_app_out_close(&o, HY_EXIT_FAILURE);
    }
    printf("lon\t%.6f\nlat\t%.6f\ndistance_m\t%.1f\nground\t%s\n", lon, lat, dist,
           dem ? dem_path : "flat");
    if (o.townships) {
        double out_m = 0;
        const hy_township *t = hy_townships_nearest(o.townships, lon, lat, o.max_outside_m, &out_m);
        if (t && out_m > 0)
            printf("township\t%s\t%s\t%s\toutside %.0f m\n", t->code, t->name, t->county, out_m);
        else if (t)
            printf("township\t%s\t%s\t%s\n", t->code, t->name, t->county);
        else
            printf("township\t\n");
    }
    hy_dem_destroy(dem);
    return hy_app_out_close(&o, HY_EXIT_OK);
}
