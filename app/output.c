/* app/output.c - what scan and watch share: options, township and store set-up, and emitting
 * detections as JSON lines or readable lines, into the store and the GeoJSON file. */
#include "app/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hy_app_out_init(hy_app_out *o)
{
    memset(o, 0, sizeof(*o));
    o->db = "huoyan.db";
    hy_townships_config_init(&o->tcfg);
    hy_hotsources_config_init(&o->hcfg);
    o->max_outside_m = -1;
}

int hy_app_out_option(hy_app_out *o, int c, const char *arg)
{
    switch (c) {
    case 1000:
        o->json = 1;
        return 1;
    case 1001:
        o->geojson = arg;
        return 1;
    case 1002:
        o->db = arg;
        o->no_db = 0;
        return 1;
    case 1003:
        o->no_db = 1;
        return 1;
    case 1004:
        o->tcfg.path = arg;
        return 1;
    case 1005:
        o->tcfg.layer = arg;
        return 1;
    case 1006:
        o->tcfg.code_field = arg;
        return 1;
    case 1007:
        o->tcfg.name_field = arg;
        return 1;
    case 1008:
        o->tcfg.county_field = arg;
        return 1;
    case 1009:
        o->config = arg;
        return 1;
    case 1010:
        o->gpkg = arg;
        return 1;
    case 1011:
        o->report_cn = arg;
        return 1;
    case 1012:
        o->city = arg;
        return 1;
    case 1013:
        if (strcmp(arg, "gcj02") != 0 && strcmp(arg, "wgs84") != 0) {
            hy_app_error("--townships-crs %s: expected wgs84 or gcj02", arg);
            exit(HY_EXIT_USAGE);
        }
        o->tcfg.gcj02 = strcmp(arg, "gcj02") == 0;
        return 1;
    case 1014: {
        char *end;
        o->max_outside_m = strtod(arg, &end);
        if (*end || !(o->max_outside_m >= 0 && o->max_outside_m <= 100000)) {
            hy_app_error("--max-outside %s: expected metres in 0..100000", arg);
            exit(HY_EXIT_USAGE);
        }
        return 1;
    }
    case 'v':
        o->verbose = 1;
        return 1;
    case 'q':
        o->quiet = 1;
        return 1;
    default:
        return 0;
    }
}

int hy_app_out_open(hy_app_out *o)
{
    char err[1024];
    int rc;
    hy_status st;

    if ((rc = hy_app_ctx(o->verbose, o->quiet, &o->ctx)) != HY_EXIT_OK)
        return rc;
    if (o->config) {
        if ((st = hy_config_load(o->config, &o->cfg, err, sizeof(err))) != HY_OK) {
            hy_app_error("%s", err);
            return st == HY_ECONFIG ? HY_EXIT_USAGE : HY_EXIT_FAILURE;
        }
        /* The command line wins over the file. */
        if (!o->tcfg.path && o->cfg->townships.path) {
            o->tcfg.path = o->cfg->townships.path;
            o->tcfg.layer = o->cfg->townships.layer;
            o->tcfg.code_field = o->cfg->townships.code;
            o->tcfg.name_field = o->cfg->townships.name;
            o->tcfg.county_field = o->cfg->townships.county;
            o->tcfg.gcj02 = strcmp(o->cfg->townships.crs, "gcj02") == 0;
        }
        if (o->max_outside_m < 0)
            o->max_outside_m = o->cfg->townships.max_outside_m;
        if (strcmp(o->db, "huoyan.db") == 0)
            o->db = o->cfg->store.sqlite;
        if (!o->hcfg.path && o->cfg->satellite.hot_sources) {
            o->hcfg.path = o->cfg->satellite.hot_sources;
            o->hcfg.radius_m = o->cfg->satellite.hot_source_radius_m;
        }
    }
    if (o->max_outside_m < 0)
        o->max_outside_m = 0;
    if (o->tcfg.path) {
        if ((st = hy_townships_load(o->ctx, &o->tcfg, &o->townships, err, sizeof(err))) != HY_OK) {
            hy_app_error("%s", err);
            return HY_EXIT_FAILURE;
        }
        hy__log(o->ctx, HY_LOG_INFO, "%s: %zu townships", o->tcfg.path,
                hy_townships_count(o->townships));
    }
    if (o->hcfg.path &&
        (st = hy_hotsources_load(o->ctx, &o->hcfg, &o->hot, err, sizeof(err))) != HY_OK) {
        hy_app_error("%s", err);
        return st == HY_EINVAL ? HY_EXIT_USAGE : HY_EXIT_FAILURE;
    }
    if (!o->no_db) {
        if ((st = hy_store_open(o->ctx, o->db, &o->store, err, sizeof(err))) != HY_OK) {
            hy_app_error("%s", err);
            return HY_EXIT_FAILURE;
        }
        if (o->cfg && (rc = hy_app_store_sinks(o->store, o->cfg)) != HY_EXIT_OK)
            return rc;
    }
    return HY_EXIT_OK;
}

void hy_app_sink_name(const hy_config_sink *s, char *buf, size_t size)
{
    if (strcmp(s->type, "mqtt") == 0)
        snprintf(buf, size, "mqtt:%s:%d/%s", s->host, s->port, s->topic ? s->topic : "");
    else
        snprintf(buf, size, "%s:%s", s->type, s->url ? s->url : "");
}

int hy_app_store_sinks(hy_store *st, const hy_config *cfg)
{
    hy_sink_route r[64];
    char names[64][512];
    unsigned n = 0;
    for (unsigned i = 0; i < cfg->alerts.sinks_count && n < 64; i++) {
        const hy_config_sink *s = &cfg->alerts.sinks[i];
        hy_app_sink_name(s, names[n], sizeof(names[n]));
        r[n].name = names[n];
        r[n].townships = (const char *const *)s->townships;
        r[n].townships_count = s->townships_count;
        r[n].cap = strcmp(s->type, "cap") == 0;
        n++;
    }
    if (hy_store_set_sinks(st, r, n) != HY_OK) {
        hy_app_error("cannot register the alert sinks: out of memory");
        return HY_EXIT_FAILURE;
    }
    return HY_EXIT_OK;
}

static void print_line(const hy_detection *d)
{
    char t[HY_TIME_STRLEN] = "-";
    if (d->time != HY_TIME_NONE)
        hy_time_format(d->time, t);
    printf("%-5s %-9s %s", hy_kind_name(d->kind), hy_sensor_name(d->sensor), t);
    if (d->frame >= 0)
        printf(" frame %lld", (long long)d->frame);
    printf(" bbox %d,%d %dx%d px %d conf %.2f", d->bbox[0], d->bbox[1], d->bbox[2], d->bbox[3],
           d->pixels, d->confidence);
    if (d->lon == d->lon)
        printf(" at %.5f,%.5f", d->lon, d->lat);
    if (d->township_code[0])
        printf(" in %s %s %s", d->township_county, d->township_name, d->township_code);
    printf(" [%s]\n", d->tests);
}

int hy_app_out_emit(hy_app_out *o, const hy_detection *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (o->json) {
            char *s = hy_detection_json(&d[i]);
            if (!s) {
                hy_app_error("out of memory");
                return HY_EXIT_FAILURE;
            }
            puts(s);
            free(s);
        } else {
            print_line(&d[i]);
        }
        if ((o->geojson || o->gpkg || o->report_cn) &&
            hy_detections_push(o->ctx, &o->all, &d[i]) != HY_OK) {
            hy_app_error("out of memory");
            return HY_EXIT_FAILURE;
        }
    }
    fflush(stdout);
    if (o->store && n && hy_store_add(o->store, d, n, NULL) != HY_OK) {
        hy_app_error("%s", hy_store_errmsg(o->store));
        return HY_EXIT_FAILURE;
    }
    return HY_EXIT_OK;
}

int hy_app_out_run(hy_app_out *o, int argc, char **argv, int first,
                   int (*fn)(hy_app_out *o, const char *source, const void *user), const void *user)
{
    int rc = hy_app_out_open(o);
    for (int i = first; i < argc && rc == HY_EXIT_OK; i++)
        rc = fn(o, argv[i], user);
    return hy_app_out_close(o, rc);
}

int hy_app_out_close(hy_app_out *o, int rc)
{
    char err[1024];
    if (rc == HY_EXIT_OK && o->geojson) {
        if (hy_geojson_write(o->geojson, o->all.v, o->all.n, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
    }
    if (rc == HY_EXIT_OK && o->report_cn) {
        if (hy_report_cn_write(o->report_cn, o->city, o->all.v, o->all.n, err, sizeof(err)) !=
            HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
    }
    if (rc == HY_EXIT_OK && o->gpkg) {
        if (hy_gpkg_write(o->gpkg, "detections", o->all.v, o->all.n, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            rc = HY_EXIT_FAILURE;
        }
    }
    hy_detections_free(o->ctx, &o->all);
    hy_store_close(o->store);
    hy_townships_destroy(o->townships);
    hy_hotsources_destroy(o->hot);
    hy_config_free(o->cfg);
    hy_ctx_destroy(o->ctx);
    memset(o, 0, sizeof(*o));
    return rc;
}

int hy_app_evidence_path(hy_detection *d, const char *dir, const char *tail)
{
    const int n =
        snprintf(d->evidence, sizeof(d->evidence), "%s/%s-%s.jpg", dir, d->source_id, tail);
    if (n < 0 || (size_t)n >= sizeof(d->evidence)) {
        d->evidence[0] = '\0';
        return -1;
    }
    for (char *c = d->evidence + strlen(dir) + 1; *c; c++)
        if (*c == '/' || *c == ':' || *c == '?' || *c == '&' || *c == ' ')
            *c = '_';
    return 0;
}
