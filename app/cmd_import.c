/* app/cmd_import.c - huoyan import: the MODIS/VIIRS points of NASA FIRMS archives and CSPP
 * active-fire lists, placed in townships, flagged against the static hot-source mask and
 * stored like huoyan's own detections. */
#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void import_usage(FILE *f)
{
    fputs("usage: huoyan import [OPTIONS] FILE...\n"
          "\n"
          "Read active-fire points that MODIS and VIIRS products deliver - NASA FIRMS archive\n"
          "CSVs (MODIS or VIIRS columns) and CSPP active-fire text lists (AFIMG_*.txt) - and\n"
          "treat each as a one-pixel fire detection: placed in its township, flagged\n"
          "\"static_source\" when FIRMS says type 2 or it lies in --hot-sources, stored and\n"
          "written out as scan does.\n"
          "\n"
          "options:\n"
          "  --hot-sources FILE   static hot-source mask (see huoyan scan --help)\n"
          "  --hot-source-radius M  radius of its points (default 1000 m)\n" HY_APP_OUT_HELP,
          f);
}

static int import_one(hy_app_out *o, const char *path, const void *user)
{
    hy_firms_rows rows;
    hy_detections dets = {0};
    const char *base = strrchr(path, '/');
    char err[1024];
    int rc = HY_EXIT_FAILURE;
    (void)user;
    if (hy_firms_read(o->ctx, path, &rows, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        return HY_EXIT_FAILURE;
    }
    for (size_t i = 0; i < rows.n; i++) {
        hy_detection d;
        hy_firms_to_detection(&rows.v[i], base ? base + 1 : path, &d);
        hy_geo_assign_township(o->townships, o->max_outside_m, &d);
        if (hy_hotsources_contains(o->hot, d.lon, d.lat))
            d.static_source = 1;
        if (hy_detections_push(o->ctx, &dets, &d) != HY_OK) {
            hy_app_error("out of memory");
            goto done;
        }
    }
    rc = hy_app_out_emit(o, dets.v, dets.n);
    hy__log(o->ctx, HY_LOG_INFO, "%s: %zu points", path, rows.n);
done:
    hy_detections_free(o->ctx, &dets);
    hy_firms_rows_free(o->ctx, &rows);
    return rc;
}

int hy_cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"hot-sources", required_argument, NULL, 's'},
                                         {"hot-source-radius", required_argument, NULL, 'r'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    int c;
    char *end;

    hy_app_out_init(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        if (hy_app_out_option(&o, c, optarg))
            continue;
        switch (c) {
        case 's':
            o.hcfg.path = optarg;
            break;
        case 'r':
            o.hcfg.radius_m = strtod(optarg, &end);
            if (*end || !(o.hcfg.radius_m > 0 && o.hcfg.radius_m <= 50000)) {
                hy_app_error("import: --hot-source-radius %s: expected metres in (0, 50000]",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'h':
            import_usage(stdout);
            return HY_EXIT_OK;
        default:
            import_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        hy_app_error("import: no FILE given");
        import_usage(stderr);
        return HY_EXIT_USAGE;
    }
    return hy_app_out_run(&o, argc, argv, optind, import_one, NULL);
}
