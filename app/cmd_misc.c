/* app/cmd_misc.c - huoyan townships, report, samples and config. */
#include "app/app.h"

#include "samples/samples.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- townships lookup, townships check ---- */

static void townships_usage(FILE *f)
{
    fputs("usage: huoyan townships lookup --townships FILE [OPTIONS] [LON LAT]\n"
          "       huoyan townships check --townships FILE [--min-area M2] [OPTIONS]\n"
          "\n"
          "Print the code, name and county (tab-separated) of the township containing the\n"
          "WGS84 point LON LAT; exit 1 when no township contains it. Without LON LAT, read\n"
          "\"LON LAT\" lines on stdin and print \"LON<TAB>LAT<TAB>code<TAB>name<TAB>county\" for\n"
          "each (empty fields where no township contains it), for millions of points in one call.\n"
          "With --max-distance M, a point outside every township gets the nearest one within M\n"
          "metres, flagged \"outside N m\".\n"
          "\n"
          "check lists what would misplace hits: invalid polygons (and whether they can be\n"
          "repaired; load repairs them), overlaps between townships and gaps inside the\n"
          "layer, each larger than --min-area square metres (default 10000), one line each:\n"
          "\"what<TAB>code<TAB>code2<TAB>area m2<TAB>lon<TAB>lat\"; exit 1 when any is found.\n"
          "\n"
          "options:\n"
          "  --townships FILE     township polygons (any OGR source); required\n"
          "  --layer NAME         layer of that source (default: the first)\n"
          "  --code-field F, --name-field F, --county-field F\n"
          "                       attribute names (defaults code, name, county)\n"
          "  -h, --help           this help\n",
          f);
}

static int parse_coord(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !(v >= lo && v <= hi))
        return -1;
    *out = v;
    return 0;
}

static void print_issue(void *user, const hy_townships_issue *i)
{
    (void)user;
    if (isnan(i->area_m2))
        printf("%s\t%s\t%s\t\t%.6f\t%.6f\t%s\n", i->what, i->code, i->code2, i->lon, i->lat,
               i->repairable ? "repairable" : "not repairable");
    else
        printf("%s\t%s\t%s\t%.0f\t%.6f\t%.6f\n", i->what, i->code, i->code2, i->area_m2, i->lon,
               i->lat);
}

static int townships_check(const hy_app_out *o, double min_area, int extra)
{
    hy_ctx *ctx = NULL;
    size_t n = 0;
    char err[1024];
    int rc;
    if (extra) {
        hy_app_error("townships check: unexpected arguments after the options");
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_ctx(o->verbose, 1, &ctx)) != HY_EXIT_OK)
        return rc;
    if (hy_townships_check(ctx, &o->tcfg, min_area, print_issue, NULL, &n, err, sizeof(err)) !=
        HY_OK) {
        hy_app_error("%s", err);
        hy_ctx_destroy(ctx);
        return HY_EXIT_FAILURE;
    }
    fprintf(stderr, "huoyan: %s: %zu issue%s\n", o->tcfg.path, n, n == 1 ? "" : "s");
    hy_ctx_destroy(ctx);
    return n ? HY_EXIT_FAILURE : HY_EXIT_OK;
}

int hy_cmd_townships(int argc, char **argv)
{
    static const struct option opts[] = {{"max-distance", required_argument, NULL, 'm'},
                                         {"min-area", required_argument, NULL, 'a'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    hy_ctx *ctx = NULL;
    double max_m = 0, dist_m = 0, min_area = 10000;
    hy_townships *tw = NULL;
    int check;
    const hy_township *t;
    double lon = 0, lat = 0;
    char err[1024];
    int c, rc;

    if (argc < 2 || (strcmp(argv[1], "lookup") != 0 && strcmp(argv[1], "check") != 0)) {
        if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
            townships_usage(stdout);
            return HY_EXIT_OK;
        }
        hy_app_error("townships: expected the subcommand lookup or check");
        townships_usage(stderr);
        return HY_EXIT_USAGE;
    }
    check = strcmp(argv[1], "check") == 0;
    argc--;
    argv++;
    hy_app_out_init(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        if (c == 'h') {
            townships_usage(stdout);
            return HY_EXIT_OK;
        }
        if (c == 'a') {
            char *end;
            min_area = strtod(optarg, &end);
            if (*end || !(min_area >= 0 && min_area <= 1e12)) {
                hy_app_error("townships check: --min-area %s: expected square metres in 0..1e12",
                             optarg);
                return HY_EXIT_USAGE;
            }
            continue;
        }
        if (c == 'm') {
            char *end;
            max_m = strtod(optarg, &end);
            if (*end || !(max_m >= 0 && max_m <= 100000)) {
                hy_app_error("townships lookup: --max-distance %s: expected metres in 0..100000",
                             optarg);
                return HY_EXIT_USAGE;
            }
            continue;
        }
        if (!hy_app_out_option(&o, c, optarg) || c == 1000 || c == 1001 || c == 1002 || c == 1003 ||
            c == 1009 || c == 1014) {
            townships_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (!o.tcfg.path) {
        hy_app_error("townships %s: --townships FILE is required", check ? "check" : "lookup");
        return HY_EXIT_USAGE;
    }
    if (check)
        return townships_check(&o, min_area, argc - optind);
    if (argc - optind != 2 && argc - optind != 0) {
        hy_app_error("townships lookup: expected LON LAT, or none to read LON LAT lines on stdin");
        return HY_EXIT_USAGE;
    }
    if (argc - optind == 2 && (parse_coord(argv[optind], -180, 180, &lon) ||
                               parse_coord(argv[optind + 1], -90, 90, &lat))) {
        hy_app_error("townships lookup: \"%s %s\": expected a longitude in -180..180 and a "
                     "latitude in -90..90",
                     argv[optind], argv[optind + 1]);
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_ctx(o.verbose, 1, &ctx)) != HY_EXIT_OK)
        return rc;
    if (hy_townships_load(ctx, &o.tcfg, &tw, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        hy_ctx_destroy(ctx);
        return HY_EXIT_FAILURE;
    }
    if (argc - optind == 0) { /* batch: one tab-separated line per input line */
        char line[256];
        size_t n = 0, found = 0;
        rc = HY_EXIT_OK;
        while (fgets(line, sizeof(line), stdin)) {
            char *end;
            n++;
            lon = strtod(line, &end);
            lat = end != line ? strtod(end, &end) : NAN;
            while (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n')
                end++;
            if (*end || !(fabs(lon) <= 180) || !(fabs(lat) <= 90)) {
                hy_app_error("stdin line %zu: expected LON LAT", n);
                rc = HY_EXIT_FAILURE;
                break;
            }
            t = hy_townships_nearest(tw, lon, lat, max_m, &dist_m);
            found += t != NULL;
            printf("%.7f\t%.7f\t%s\t%s\t%s", lon, lat, t ? t->code : "", t ? t->name : "",
                   t ? t->county : "");
            if (t && dist_m > 0)
                printf("\toutside %.0f m", dist_m);
            putchar('\n');
        }
        hy__log(ctx, HY_LOG_INFO, "%zu points, %zu in a township", n, found);
        hy_townships_destroy(tw);
        hy_ctx_destroy(ctx);
        return rc;
    }
    t = hy_townships_nearest(tw, lon, lat, max_m, &dist_m);
    if (t) {
        printf("%s\t%s\t%s", t->code, t->name, t->county);
        if (dist_m > 0)
            printf("\toutside %.0f m", dist_m);
        putchar('\n');
        rc = HY_EXIT_OK;
    } else {
        hy_app_error("no township in %s contains %.6f %.6f", o.tcfg.path, lon, lat);
        rc = HY_EXIT_FAILURE;
    }
    hy_townships_destroy(tw);
    hy_ctx_destroy(ctx);
    return rc;
}

/* ---- report ---- */

typedef struct report_state {
    int rows, by_day;
} report_state;

static int print_row(void *user, const hy_store_summary_row *r)
{
    report_state *rs = user;
    if (rs->rows++ == 0) {
        printf("%-10s  %-10s  %-12s  ", "county", "code", "township");
        if (rs->by_day)
            printf("%-10s  ", "day (BJT)");
        printf("%-9s  %10s  %8s  %10s  %-20s  %-20s\n", "kind", "detections", "pixels", "area (mu)",
               "first (UTC)", "last (UTC)");
    }
    /* %-Ns pads by bytes; CJK names are 3 bytes a character and 2 columns wide, so pad by
     * display width by hand. */
    {
        const char *cols[3] = {r->county[0] ? r->county : "-",
                               r->township_code[0] ? r->township_code : "-",
                               r->township_name[0] ? r->township_name : "(none)"};
        const int widths[3] = {10, 10, 12};
        for (int i = 0; i < 3; i++) {
            int w = 0;
            for (const unsigned char *p = (const unsigned char *)cols[i]; *p; p++)
                if ((*p & 0xc0) != 0x80)
                    w += *p >= 0xe0 ? 2 : 1;
            printf("%s%*s  ", cols[i], widths[i] > w ? widths[i] - w : 0, "");
        }
    }
    if (rs->by_day)
        printf("%-10s  ", r->day[0] ? r->day : "-");
    printf("%-9s  %10lld  %8lld  %10.2f  %-20s  %-20s\n", r->kind, (long long)r->detections,
           (long long)r->pixels, r->area_m2 * 15 / 10000, r->first_time[0] ? r->first_time : "-",
           r->last_time[0] ? r->last_time : "-");
    return 0;
}

int hy_cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},  {"by-day", no_argument, NULL, 'D'},
        {"csv", required_argument, NULL, 'c'}, {"geojson", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},      {NULL, 0, NULL, 0}};
    const char *db = "huoyan.db", *csv = NULL, *geojson = NULL;
    hy_ctx *ctx = NULL;
    hy_store *st = NULL;
    report_state rs = {0, 0};
    char err[1024];
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'd') {
            db = optarg;
        } else if (c == 'D') {
            rs.by_day = 1;
        } else if (c == 'c') {
            csv = optarg;
        } else if (c == 'g') {
            geojson = optarg;
        } else if (c == 'h') {
            puts("usage: huoyan report [--db FILE] [--by-day] [--csv FILE] [--geojson FILE]\n\n"
                 "Print the stored detections by county, township and kind (and Beijing day with\n"
                 "--by-day): counts, pixels and the first and last time (UTC). --csv writes the\n"
                 "same rows as UTF-8 CSV with a BOM (Excel), --geojson as points at each row's\n"
                 "mean position (QGIS). --db defaults to huoyan.db.");
            return HY_EXIT_OK;
        } else {
            return HY_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        hy_app_error("report: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if (access(db, R_OK) != 0) {
        hy_app_error("%s: no such database", db);
        return HY_EXIT_FAILURE;
    }
    if ((rc = hy_app_ctx(0, 1, &ctx)) != HY_EXIT_OK)
        return rc;
    rc = HY_EXIT_FAILURE;
    if (hy_store_open(ctx, db, &st, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    if (hy_store_summary_by(st, rs.by_day, print_row, &rs) != HY_OK) {
        hy_app_error("%s", hy_store_errmsg(st));
        goto done;
    }
    if (rs.rows == 0)
        printf("no detections in %s\n", db);
    for (int k = 0; k < 2; k++) {
        const char *path = k ? geojson : csv;
        hy_status s;
        if (path && (s = hy_store_summary_write(st, rs.by_day, path, err, sizeof(err))) != HY_OK) {
            hy_app_error("%s", err);
            rc = s == HY_EINVAL ? HY_EXIT_USAGE : HY_EXIT_FAILURE;
            goto done;
        }
    }
    rc = HY_EXIT_OK;
done:
    hy_store_close(st);
    hy_ctx_destroy(ctx);
    return rc;
}

/* ---- samples ---- */

int hy_cmd_samples(int argc, char **argv)
{
    hy_ctx *ctx = NULL;
    char err[1024];
    int rc, w = 0, h = 0, n = 0;
    const char *dir;

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("usage: huoyan samples DIR\n"
             "       huoyan samples --scene-only WxH DIR\n\n"
             "Write the synthetic demo samples into DIR (created if missing), all labelled\n"
             "SYNTHETIC: landsat/ (a Landsat-8 C2 L1-style scene over Zhengzhou farmland, B1-B7\n"
             "GeoTIFFs in UTM 49N and an MTL file, with planted fires and a bare field),\n"
             "camera/clip.mp4 (4 s of H.264 from a fixed camera: a flickering flame and a rising\n"
             "grey plume), townships.geojson (four made-up townships over the scene) and\n"
             "huoyan.yaml (an example configuration). The same bytes every run.\n\n"
             "--scene-only WxH writes just a scene of that size into DIR (64..20000 a side; a\n"
             "full Landsat scene is about 7800x7900), for benchmarks.");
        return HY_EXIT_OK;
    }
    if (argc == 4 && strcmp(argv[1], "--scene-only") == 0) {
        if (sscanf(argv[2], "%dx%d%n", &w, &h, &n) != 2 || argv[2][n]) {
            hy_app_error("samples: --scene-only %s: expected WxH", argv[2]);
            return HY_EXIT_USAGE;
        }
        dir = argv[3];
    } else if (argc == 2 && argv[1][0] != '-') {
        dir = argv[1];
    } else {
        hy_app_error("samples: expected DIR or --scene-only WxH DIR");
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_ctx(0, 0, &ctx)) != HY_EXIT_OK)
        return rc;
    if ((w ? hy_samples_scene(ctx, dir, w, h, err, sizeof(err))
           : hy_samples_generate(ctx, dir, err, sizeof(err))) != HY_OK) {
        hy_app_error("%s", err);
        rc = w && (w < 64 || h < 64 || w > 20000 || h > 20000) ? HY_EXIT_USAGE : HY_EXIT_FAILURE;
    } else {
        hy__log(ctx, HY_LOG_INFO, "samples written to %s", dir);
    }
    hy_ctx_destroy(ctx);
    return rc;
}

/* ---- config check ---- */

int hy_cmd_config(int argc, char **argv)
{
    hy_config *cfg = NULL;
    char err[1024];
    hy_status st;

    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        puts("usage: huoyan config check FILE\n\n"
             "Load a configuration file and check every value; print a summary, or the key,\n"
             "value and expectation of the first bad one (exit 2).");
        return HY_EXIT_OK;
    }
    if (argc != 3 || strcmp(argv[1], "check") != 0) {
        hy_app_error("config: expected \"check FILE\"");
        return HY_EXIT_USAGE;
    }
    st = hy_config_load(argv[2], &cfg, err, sizeof(err));
    if (st != HY_OK) {
        hy_app_error("%s", err);
        return st == HY_ECONFIG ? HY_EXIT_USAGE : HY_EXIT_FAILURE;
    }
    printf("%s: ok: store %s, townships %s, %u cameras, %u sinks, %u tokens, listen %s\n", argv[2],
           cfg->store.sqlite, cfg->townships.path ? cfg->townships.path : "(none)",
           cfg->cameras_count, cfg->alerts.sinks_count, cfg->server.tokens_count,
           cfg->server.listen);
    hy_config_free(cfg);
    return HY_EXIT_OK;
}
