/* app/cmd_events.c - huoyan events: list, show and move events through their lifecycle. */
#include "app/app.h"

#include "alerts/alerts.h"

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
          "  --json               one JSON object per event on stdout\n"
          "  -h, --help           this help\n",
          f);
}

typedef struct events_opts {
    const char *db, *config, *township, *actor, *note;
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
    } else if (strcmp(sub, "list") != 0 && strcmp(sub, "escalate") != 0) {
        hy_app_error("events: unknown subcommand \"%s\" (list, show, set, confirm, escalate)", sub);
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
