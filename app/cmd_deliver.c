/* app/cmd_deliver.c - huoyan deliver: the outbox to the configured sinks. */
#include "app/app.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void deliver_usage(FILE *f)
{
    fputs("usage: huoyan deliver --config FILE [--db FILE] [--once | --until-idle]\n"
          "\n"
          "Deliver the outbox: every event change (created, a detection, confirmed, a move,\n"
          "escalated) queued for the configuration's alert sinks when it was stored. Each item\n"
          "is tried until its sink answers 2xx, again after alerts.backoff_s (default 2 s),\n"
          "doubling up to alerts.backoff_max_s (600 s) with +-20 % jitter, and is dead after\n"
          "alerts.max_attempts (10) tries. The receiver sees the same Idempotency-Key on every\n"
          "try of an item, and X-Huoyan-Signature: sha256=HMAC of the body under the secret in\n"
          "the sink's secret_env. Without --once or --until-idle it runs until interrupted.\n"
          "Webhook sinks get the JSON body, cap sinks a CAP 1.2 alert (XML) POSTed to their\n"
          "url, and MQTT sinks the JSON body at QoS 1 on their topic, in which {county},\n"
          "{township} (the code), {township_name} and {kind} are the event's (default\n"
          "huoyan/{county}/{township}).\n"
          "\n"
          "options:\n"
          "  --config FILE        the configuration (alerts.sinks, store); required\n"
          "  --db FILE            the database (default: the configuration's)\n"
          "  --once               one pass over what is due now, then stop\n"
          "  --until-idle         stop when nothing is pending (all delivered or dead)\n"
          "  --timeout SECONDS    each request's limit (default 10)\n"
          "  -v, --verbose        debug logging;  -q, --quiet  warnings and errors only\n"
          "  -h, --help           this help\n"
          "Exit status 1 when an item was given up (dead) in this run.\n",
          f);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int hy_app_send(void *user, const hy_outbox_item *it, char *err, size_t err_size)
{
    const hy_app_sender *d = user;
    char name[512];
    for (unsigned i = 0; i < d->cfg->alerts.sinks_count; i++) {
        const hy_config_sink *s = &d->cfg->alerts.sinks[i];
        hy_app_sink_name(s, name, sizeof(name));
        if (strcmp(name, it->sink) != 0)
            continue;
        if (strcmp(s->type, "webhook") == 0 || strcmp(s->type, "cap") == 0) {
            hy_webhook w = {s->url, s->secret_env ? getenv(s->secret_env) : NULL, d->timeout_s,
                            strcmp(s->type, "cap") == 0 ? "application/cap+xml; charset=utf-8"
                                                        : NULL};
            return hy_webhook_post(d->ctx, &w, it->key, it->body, err, err_size) != HY_OK;
        }
        if (strcmp(s->type, "mqtt") == 0) {
            /* the topic from the event's township, as the body carries it */
            hy_event ev;
            hy_mqtt q = {s->host, s->port, d->timeout_s};
            char topic[512];
            json_t *o = json_loads(it->body, 0, NULL), *e = json_object_get(o, "event");
            json_t *tw = json_object_get(e, "township");
            const char *kind = json_string_value(json_object_get(e, "kind"));
            memset(&ev, 0, sizeof(ev));
            for (int k = 0; kind && k < 4; k++)
                if (strcmp(kind, hy_kind_name((hy_kind)k)) == 0)
                    ev.kind = (hy_kind)k;
            if (tw) {
                const char *v;
                if ((v = json_string_value(json_object_get(tw, "code"))))
                    snprintf(ev.township_code, sizeof(ev.township_code), "%s", v);
                if ((v = json_string_value(json_object_get(tw, "name"))))
                    snprintf(ev.township_name, sizeof(ev.township_name), "%s", v);
                if ((v = json_string_value(json_object_get(tw, "county"))))
                    snprintf(ev.township_county, sizeof(ev.township_county), "%s", v);
            }
            json_decref(o);
            hy_mqtt_topic(s->topic ? s->topic : "huoyan/{county}/{township}", &ev, topic,
                          sizeof(topic));
            return hy_mqtt_publish(&q, topic, it->body, err, err_size) != HY_OK;
        }
        snprintf(err, err_size, "%s: %s delivery is not built", it->sink, s->type);
        return 1;
    }
    snprintf(err, err_size, "%s: no such sink in the configuration any more", it->sink);
    return 1;
}

void hy_app_outbox_policy(const hy_config *cfg, hy_outbox_policy *p)
{
    hy_outbox_policy_init(p);
    p->max_attempts = cfg->alerts.max_attempts;
    p->backoff_s = cfg->alerts.backoff_s;
    p->backoff_max_s =
        cfg->alerts.backoff_max_s > p->backoff_s ? cfg->alerts.backoff_max_s : p->backoff_s;
}

int hy_cmd_deliver(int argc, char **argv)
{
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"db", required_argument, NULL, 'd'},
                                         {"once", no_argument, NULL, 'o'},
                                         {"until-idle", no_argument, NULL, 'u'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config = NULL, *db = NULL;
    int c, once = 0, until_idle = 0, verbose = 0, quiet = 0, rc = HY_EXIT_USAGE;
    hy_app_sender d = {NULL, NULL, 10};
    hy_config *cfg = NULL;
    hy_store *st = NULL;
    hy_outbox_policy p;
    int64_t delivered = 0, dead = 0, failed = 0, pending = 0;
    char err[1024];

    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'c':
            config = optarg;
            break;
        case 'd':
            db = optarg;
            break;
        case 'o':
            once = 1;
            break;
        case 'u':
            until_idle = 1;
            break;
        case 't':
            d.timeout_s = strtod(optarg, &end);
            if (*end || !(d.timeout_s > 0 && d.timeout_s <= 600)) {
                hy_app_error("deliver: --timeout %s: expected seconds in (0, 600]", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'v':
            verbose = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            deliver_usage(stdout);
            return HY_EXIT_OK;
        default:
            deliver_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        hy_app_error("deliver: unexpected argument \"%s\"", argv[optind]);
        return HY_EXIT_USAGE;
    }
    if (!config) {
        hy_app_error("deliver: --config FILE is required: the sinks come from it");
        return HY_EXIT_USAGE;
    }
    if (hy_config_load(config, &cfg, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        return HY_EXIT_USAGE;
    }
    for (unsigned i = 0; i < cfg->alerts.sinks_count; i++) {
        const hy_config_sink *s = &cfg->alerts.sinks[i];
        if (s->secret_env && !getenv(s->secret_env)) {
            hy_app_error("%s: alerts.sinks[%u].secret_env: %s is not set in the environment",
                         config, i, s->secret_env);
            goto done;
        }
    }
    if (!db)
        db = cfg->store.sqlite;
    rc = HY_EXIT_FAILURE;
    if (access(db, R_OK | W_OK) != 0) {
        hy_app_error("%s: no such database (or not writable)", db);
        goto done;
    }
    if (hy_app_ctx(verbose, quiet, &d.ctx) != HY_EXIT_OK)
        goto done;
    if (hy_store_open(d.ctx, db, &st, err, sizeof(err)) != HY_OK) {
        hy_app_error("%s", err);
        goto done;
    }
    d.cfg = cfg;
    hy_outbox_policy_init(&p);
    p.max_attempts = cfg->alerts.max_attempts;
    p.backoff_s = cfg->alerts.backoff_s;
    p.backoff_max_s =
        cfg->alerts.backoff_max_s > p.backoff_s ? cfg->alerts.backoff_max_s : p.backoff_s;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    while (!stop) {
        hy_outbox_stats s;
        int64_t next = 0, now;
        if (hy_outbox_run(st, hy_time_now(), &p, 0, hy_app_send, &d, &s) != HY_OK ||
            hy_outbox_counts(st, &pending, NULL, NULL, &next) != HY_OK) {
            hy_app_error("%s", hy_store_errmsg(st));
            goto done;
        }
        delivered += s.delivered;
        failed += s.failed;
        dead += s.dead;
        if (once || (until_idle && pending == 0))
            break;
        /* sleep until the next item is due; at most 1 s, for items other processes queue */
        now = hy_time_now();
        {
            int64_t wait_us = pending && next > now ? next - now : pending ? 0 : 1000000;
            struct timespec ts;
            if (wait_us > 1000000)
                wait_us = 1000000;
            if (wait_us < 20000)
                wait_us = 20000;
            ts.tv_sec = (time_t)(wait_us / 1000000);
            ts.tv_nsec = (long)(wait_us % 1000000) * 1000;
            nanosleep(&ts, NULL);
        }
    }
    printf("%lld delivered, %lld failed tries, %lld given up, %lld pending\n", (long long)delivered,
           (long long)failed, (long long)dead, (long long)pending);
    rc = dead ? HY_EXIT_FAILURE : HY_EXIT_OK;
done:
    hy_store_close(st);
    hy_ctx_destroy(d.ctx);
    hy_config_free(cfg);
    return rc;
}
