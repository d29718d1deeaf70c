/* app/cmd_events.c - huoyan events: list, show and move events through their lifecycle. */
#include "app/app.h"

#include "alerts/alerts.h"
#include "ingest/ingest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void events_usage(FILE *f)
{
    fputs("usage: huoyan events [list] [OPTIONS]\n"
          "       huoyan events show ID [OPTIONS]\n"
          "       huoyan events set ID STATE --actor NAME [--note TEXT] [OPTIONS]\n"
          "       huoyan events confirm ID --actor NAME [--note TEXT] [OPTIONS]\n"
          "       huoyan events escalate [--after-min MINUTES] [OPTIONS]\n"
          "       huoyan events export [--gpkg F] [--geojson F] [--firms F] [--report-cn F]\n"
          "                            [--state S] [--township CODE] [--kind K] [OPTIONS]\n"
          "\n"
          "Stored detections merge into events (same kind; within 1000 m on the ground, or\n"
          "the same camera when not placed; within 2 h). An event is suspected until a\n"
          "second detection or a person confirms it, and goes through\n"
          "  new -> dispatched -> acknowledged -> on_site -> resolved -> verified\n"
          "with false_alarm possible from any state before resolved (then verified). Every\n"
          "change records the time, the actor and the note; a move the lifecycle does not\n"
          "allow is refused with the reason. `escalate` marks the events nobody acknowledged\n"
          "within the configuration's alerts.escalate_after_min (default 15) minutes.\n"
          "\n"
          "options:\n"
          "  --db FILE            the database (default: the configuration's, or huoyan.db)\n"
          "  --config FILE        take the database and escalate_after_min from it\n"
          "  --state S            list: only events in state S\n"
          "  --township CODE      list: only events in that township\n"
          "  --kind K             list: only events of kind K (fire, smoke, dust, bare_soil)\n"
          "  --limit N            list: at most N events, newest first\n"
          "  --actor NAME         who makes the change (required for set and confirm)\n"
          "  --note TEXT          a note for the history\n"
          "  --after-min MINUTES  escalate: the acknowledgement deadline\n"
          "  --gpkg FILE          export: a GeoPackage (for QGIS) with layer detections (the\n"
          "                       events' detections) and layer events (one point each)\n"
          "  --geojson FILE       export: the events' detections as GeoJSON points\n"
          "  --firms FILE         export: their VIIRS or MODIS pixels with FIRMS's columns\n"
          "                       (both sensors present: choose one with --sensor)\n"
          "  --sensor S           export: only detections of sensor S (viirs, modis, landsat8,\n"
          "                       landsat9, sentinel2, camera)\n"
          "  --report-cn FILE     export: the Chinese report table (CSV), with --city NAME\n"
          "  --json               one JSON object per event on stdout\n"
          "  -h, --help           this help\n",
          f);
}

typedef struct events_opts {
    const char *db, *config, *township, *actor, *note;
    const char *gpkg, *geojson, *firms, *report_cn, *city, *sensor;
    int state, kind, json;
    int64_t limit, rows;
    double after_min;
} events_opts;

static void print_event(const events_opts *o, const hy_event *ev)
{
    char t[HY_TIME_STRLEN];
    if (o->json) {
        char *s = hy_event_json(ev);
        if (s)
            puts(s);
        free(s);
        return;
    }
    printf("%6lld  %-9s  %-12s  %-9s  %s%s  %4lld det  last %s", (long long)ev->id,
           hy_kind_name(ev->kind), hy_event_state_name(ev->state),
           ev->confirmed ? "confirmed" : "suspected", ev->escalated ? "ESCALATED  " : "",
           ev->township_code[0] ? ev->township_code : "-", (long long)ev->detections,
           hy_time_format(ev->last_time, t));
    if (!isnan(ev->lon))
        printf("  %.5f, %.5f", ev->lon, ev->lat);
    if (ev->township_name[0])
        printf("  %s %s", ev->township_county, ev->township_name);
    putchar('\n');
}

static int list_one(void *user, const hy_event *ev)
{
    events_opts *o = user;
    print_event(o, ev);
    o->rows++;
    return 0;
}

static int print_change(void *user, const hy_event_change *c)
{
    char t[HY_TIME_STRLEN];
    (void)user;
    printf("  %s  %-12s %-10s", hy_time_format(c->time, t), c->actor, c->action);
    if (c->from_state[0] || c->to_state[0])
        printf(" %s -> %s", c->from_state[0] ? c->from_state : "", c->to_state);
    if (c->note[0])
        printf("  %s", c->note);
    putchar('\n');
    return 0;
}

static int print_delivery(void *user, const hy_delivery *d)
{
    (void)user;
    printf("  %-10s %2d tries  %s  %s%s%s\n", d->state, d->attempts, d->key, d->sink,
           d->last_error[0] ? "  last error: " : "", d->last_error);
    return 0;
}

static int print_detection_id(void *user, int64_t id)
{
    int *first = user;
    printf("%s%lld", *first ? "" : ", ", (long long)id);
    *first = 0;
    return 0;
}

static int print_escalated(void *user, const hy_event *ev)
{
    print_event(user, ev);
    return 0;
}

/* ---- export ---- */

typedef struct collected {
    const hy_ctx *ctx;
    hy_event *ev;
    size_t nev, cap_ev;
    int64_t *ids;
    size_t nids, cap_ids;
} collected;

static int collect_event(void *user, const hy_event *ev)
{
    collected *c = user;
    hy_event *v = hy__grow(c->ctx, c->ev, &c->cap_ev, c->nev + 1, sizeof(*v));
    if (!v)
        return 1;
    c->ev = v;
    c->ev[c->nev++] = *ev;
    return 0;
}

static int by_id(const void *a, const void *b)
{
    const int64_t x = ((const hy_event *)a)->id, y = ((const hy_event *)b)->id;
    return (x > y) - (x < y);
}

static int collect_id(void *user, int64_t id)
{
    collected *c = user;
    int64_t *v = hy__grow(c->ctx, c->ids, &c->cap_ids, c->nids + 1, sizeof(*v));
    if (!v)
        return 1;
    c->ids = v;
    c->ids[c->nids++] = id;
    return 0;
}

/* The listed events, by id, and their detections (of --sensor), into the files asked
 * for. An exit code. */
static int export_events(const events_opts *o, hy_ctx *ctx, hy_store *st, const hy_event_filter *f)
{
    collected c;
    hy_detections dets = {0};
    hy_firms_row *rows = NULL;
    char err[1024];
    int rc = HY_EXIT_FAILURE, viirs = 0, modis = 0;
    size_t nrows = 0;
    memset(&c, 0, sizeof(c));
    c.ctx = ctx;
    if (hy_store_events(st, f, collect_event, &c) != HY_OK) {
        hy_app_error("%s", hy_store_errmsg(st));
        goto done;
    }
    if (c.nev)
        qsort(c.ev, c.nev, sizeof(*c.ev), by_id); /* in the order they were made */
    for (size_t i = 0; i < c.nev; i++) {
        c.nids = 0;
        if (hy_store_event_detections(st, c.ev[i].id, collect_id, &c) != HY_OK) {
            hy_app_error("%s", hy_store_errmsg(st));
            goto done;
        }
        for (size_t k = 0; k < c.nids; k++) {
            hy_detection d;
            if (hy_store_get(st, c.ids[k], &d) != HY_OK) {
                hy_app_error("%s", hy_store_errmsg(st));
                goto done;
            }
            if (o->sensor && strcmp(hy_sensor_name(d.sensor), o->sensor) != 0)
                continue;
            viirs += d.sensor == HY_SENSOR_VIIRS;
            modis += d.sensor == HY_SENSOR_MODIS;
            if (hy_detections_push(ctx, &dets, &d) != HY_OK) {
                hy_app_error("out of memory");
                goto done;
            }
        }
    }
    if (o->gpkg &&
        (hy_gpkg_write(o->gpkg, "detections", dets.v, dets.n, err, sizeof(err)) != HY_OK ||
         hy_gpkg_add_events(o->gpkg, c.ev, c.nev, err, sizeof(err)) != HY_OK)) {
        hy_app_error("%s", err);
        goto done;
    }
    if (o->geojson && hy_geojson_write(o->geojson, dets.v, dets.n, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    if (o->report_cn &&
        hy_report_cn_write(o->report_cn, o->city, dets.v, dets.n, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    if (o->firms) {
        if (viirs && modis) {
            hy_app_error("events export: --firms %s: FIRMS's VIIRS and MODIS columns differ, and "
                         "these events hold both (%d VIIRS, %d MODIS pixels): choose one with "
                         "--sensor viirs or --sensor modis",
                         o->firms, viirs, modis);
            rc = HY_EXIT_USAGE;
            goto done;
        }
        if (viirs + modis && !(rows = calloc((size_t)(viirs + modis), sizeof(*rows)))) {
            hy_app_error("out of memory");
            goto done;
        }
        for (size_t i = 0; i < dets.n; i++)
            if (dets.v[i].sensor == HY_SENSOR_VIIRS || dets.v[i].sensor == HY_SENSOR_MODIS)
                hy_firms_from_detection(&dets.v[i], &rows[nrows++]);
        if (hy_firms_write(o->firms, rows, nrows, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            goto done;
        }
    }
    printf("%zu events, %zu detections exported", c.nev, dets.n);
    if (o->firms)
        printf(" (%zu FIRMS rows)", nrows);
    printf("\n");
    rc = HY_EXIT_OK;
done:
    free(rows);
    hy__free(ctx, c.ev);
    hy__free(ctx, c.ids);
    hy_detections_free(ctx, &dets);
    return rc;
}

/* A whole number 1.. from s, or -1. */
static int64_t parse_id(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    return *s && !*end && v > 0 ? v : -1;
}

int hy_cmd_events(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"config", required_argument, NULL, 'c'},
                                         {"state", required_argument, NULL, 's'},
                                         {"township", required_argument, NULL, 't'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"limit", required_argument, NULL, 'l'},
                                         {"actor", required_argument, NULL, 'a'},
                                         {"note", required_argument, NULL, 'n'},
                                         {"after-min", required_argument, NULL, 'm'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"gpkg", required_argument, NULL, 'G'},
                                         {"geojson", required_argument, NULL, 'J'},
                                         {"firms", required_argument, NULL, 'F'},
                                         {"sensor", required_argument, NULL, 'S'},
                                         {"report-cn", required_argument, NULL, 'R'},
                                         {"city", required_argument, NULL, 'C'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    events_opts o;
    const char *sub = "list";
    hy_config *cfg = NULL;
    hy_ctx *ctx = NULL;
    hy_store *st = NULL;
    char err[1024];
    int c, rc = HY_EXIT_USAGE, after_set = 0;
    int64_t id = -1;
    hy_status s;

    memset(&o, 0, sizeof(o));
    o.state = o.kind = -1;
    o.after_min = 15;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'd':
            o.db = optarg;
            break;
        case 'c':
            o.config = optarg;
            break;
        case 's':
            if ((o.state = hy_event_state_parse(optarg)) < 0) {
                hy_app_error("events: --state %s: expected new, dispatched, acknowledged, "
                             "on_site, resolved, false_alarm or verified",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 't':
            o.township = optarg;
            break;
        case 'k':
            for (o.kind = 0; o.kind < 4 && strcmp(hy_kind_name((hy_kind)o.kind), optarg); o.kind++)
                ;
            if (o.kind == 4) {
                hy_app_error("events: --kind %s: expected fire, smoke, dust or bare_soil", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'l':
            if ((o.limit = parse_id(optarg)) < 0) {
                hy_app_error("events: --limit %s: expected a whole number, 1 or more", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'a':
            o.actor = optarg;
            break;
        case 'n':
            o.note = optarg;
            break;
        case 'm':
            o.after_min = strtod(optarg, &end);
            after_set = 1;
            if (*end || !(o.after_min >= 0 && o.after_min <= 10080)) {
                hy_app_error("events: --after-min %s: expected minutes in 0..10080", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'j':
            o.json = 1;
            break;
        case 'G':
            o.gpkg = optarg;
            break;
        case 'J':
            o.geojson = optarg;
            break;
        case 'F':
            o.firms = optarg;
            break;
        case 'R':
            o.report_cn = optarg;
            break;
        case 'C':
            o.city = optarg;
            break;
        case 'S': {
            static const char *const sensors[] = {"viirs",    "modis",     "landsat8",
                                                  "landsat9", "sentinel2", "camera"};
            size_t i = 0;
            while (i < 6 && strcmp(sensors[i], optarg) != 0)
                i++;
            if (i == 6) {
                hy_app_error("events: --sensor %s: expected viirs, modis, landsat8, landsat9, "
                             "sentinel2 or camera",
                             optarg);
                return HY_EXIT_USAGE;
            }
            o.sensor = optarg;
            break;
        }
        case 'h':
            events_usage(stdout);
            return HY_EXIT_OK;
        default:
            events_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind < argc)
        sub = argv[optind++];
    if (strcmp(sub, "show") == 0 || strcmp(sub, "set") == 0 || strcmp(sub, "confirm") == 0) {
        if (optind >= argc || (id = parse_id(argv[optind])) < 0) {
            hy_app_error("events %s: expected an event id (1 or more)%s%s", sub,
                         optind < argc ? ", not " : "", optind < argc ? argv[optind] : "");
            return HY_EXIT_USAGE;
        }
        optind++;
    } else if (strcmp(sub, "list") != 0 && strcmp(sub, "escalate") != 0 &&
               strcmp(sub, "export") != 0) {
        hy_app_error("events: unknown subcommand \"%s\" (list, show, set, confirm, escalate, "
                     "export)",
                     sub);
        return HY_EXIT_USAGE;
    }
    if (strcmp(sub, "export") == 0 && !o.gpkg && !o.geojson && !o.firms && !o.report_cn) {
        hy_app_error("events export: nothing to write: give --gpkg, --geojson, --firms or "
                     "--report-cn");
        return HY_EXIT_USAGE;
    }
    if (strcmp(sub, "export") != 0 &&
        (o.gpkg || o.geojson || o.firms || o.report_cn || o.city || o.sensor)) {
        hy_app_error("events %s: --gpkg, --geojson, --firms, --report-cn, --city and --sensor go "
                     "with export",
                     sub);
        return HY_EXIT_USAGE;
    }
    if (strcmp(sub, "set") == 0) {
        if (optind >= argc || hy_event_state_parse(argv[optind]) < 0) {
            hy_app_error("events set %lld: expected a state (dispatched, acknowledged, on_site, "
                         "resolved, false_alarm, verified)%s%s",
                         (long long)id, optind < argc ? ", not " : "",
                         optind < argc ? argv[optind] : "");
            return HY_EXIT_USAGE;
        }
        o.state = hy_event_state_parse(argv[optind++]);
    }
    if (optind < argc) {
        hy_app_error("events: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if ((strcmp(sub, "set") == 0 || strcmp(sub, "confirm") == 0) && (!o.actor || !*o.actor)) {
        hy_app_error("events %s: --actor NAME is required: every change records who made it", sub);
        return HY_EXIT_USAGE;
    }
    if (o.config) {
        if (hy_config_load(o.config, &cfg, err, sizeof(err)) != HY_OK) {
            hy_app_error("%s", err);
            return HY_EXIT_USAGE;
        }
        if (!o.db)
            o.db = cfg->store.sqlite;
        if (!after_set)
            o.after_min = cfg->alerts.escalate_after_min;
    }
    if (!o.db)
        o.db = "huoyan.db";
    rc = HY_EXIT_FAILURE;
    if (access(o.db, R_OK | W_OK) != 0) {
        hy_app_error("%s: no such database (or not writable)", o.db);
        goto done;
    }
    if (hy_app_ctx(0, 1, &ctx) != HY_EXIT_OK)
        goto done;
    if (hy_store_open(ctx, o.db, &st, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    if (cfg && hy_app_store_sinks(st, cfg) != HY_EXIT_OK)
        goto done;
    if (strcmp(sub, "export") == 0) {
        hy_event_filter f;
        hy_event_filter_init(&f);
        f.state = o.state;
        f.kind = o.kind;
        f.township_code = o.township;
        f.limit = o.limit;
        rc = export_events(&o, ctx, st, &f);
        goto done;
    }
    if (strcmp(sub, "list") == 0) {
        hy_event_filter f;
        hy_event_filter_init(&f);
        f.state = o.state;
        f.kind = o.kind;
        f.township_code = o.township;
        f.limit = o.limit;
        if ((s = hy_store_events(st, &f, list_one, &o)) != HY_OK)
            goto fail;
        if (o.rows == 0 && !o.json)
            printf("no events in %s\n", o.db);
    } else if (strcmp(sub, "show") == 0) {
        hy_event ev;
        int first = 1;
        if ((s = hy_store_event_get(st, id, &ev)) != HY_OK)
            goto fail;
        print_event(&o, &ev);
        if (!o.json) {
            printf("  detections: ");
            if ((s = hy_store_event_detections(st, id, print_detection_id, &first)) != HY_OK)
                goto fail;
            printf("\n  history:\n");
            if ((s = hy_store_event_history(st, id, print_change, NULL)) != HY_OK)
                goto fail;
            printf("  deliveries:\n");
            if ((s = hy_store_event_deliveries(st, id, print_delivery, NULL)) != HY_OK)
                goto fail;
        }
    } else if (strcmp(sub, "set") == 0) {
        hy_event ev;
        if ((s = hy_store_event_transition(st, id, (hy_event_state)o.state, o.actor, o.note)) !=
                HY_OK ||
            (s = hy_store_event_get(st, id, &ev)) != HY_OK)
            goto fail;
        print_event(&o, &ev);
    } else if (strcmp(sub, "confirm") == 0) {
        hy_event ev;
        if ((s = hy_store_event_confirm(st, id, o.actor, o.note)) != HY_OK ||
            (s = hy_store_event_get(st, id, &ev)) != HY_OK)
            goto fail;
        print_event(&o, &ev);
    } else {
        int64_t n = 0;
        if ((s = hy_store_escalate(st, hy_time_now(), o.after_min, print_escalated, &o, &n)) !=
            HY_OK)
            goto fail;
        if (!o.json)
            printf("%lld events escalated (not acknowledged within %g min)\n", (long long)n,
                   o.after_min);
    }
    rc = HY_EXIT_OK;
    goto done;
fail:
    hy_app_error("%s", hy_store_errmsg(st));
done:
    hy_store_close(st);
    hy_ctx_destroy(ctx);
    hy_config_free(cfg);
    return rc;
}
