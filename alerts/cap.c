/* alerts/cap.c - an event change as an OASIS CAP 1.2 message (validated against
 * ../shared/data/alerts/CAP-v1.2.xsd in the tests). */
#include "alerts/alerts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct buf {
    char *p;
    size_t n, cap;
    int failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 2048;
        char *p;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(p = realloc(b->p, cap))) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* text with &, <, >, " escaped */
static void esc(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            puts_(b, "&amp;");
            break;
        case '<':
            puts_(b, "&lt;");
            break;
        case '>':
            puts_(b, "&gt;");
            break;
        case '"':
            puts_(b, "&quot;");
            break;
        default:
            put(b, s, 1);
        }
    }
}

/* <tag>escaped text</tag> on its own line, indented */
static void elem(buf *b, const char *indent, const char *tag, const char *text)
{
    puts_(b, indent);
    puts_(b, "<");
    puts_(b, tag);
    puts_(b, ">");
    esc(b, text);
    puts_(b, "</");
    puts_(b, tag);
    puts_(b, ">\n");
}

/* CAP's dateTime: Beijing time with its offset, no fraction ("2026-05-30T11:12:44+08:00") */
static void cap_time(int64_t t_us, char out[32])
{
    const time_t s = (time_t)(t_us / 1000000) + 8 * 3600;
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
}

static const char *event_label(hy_kind k)
{
    switch (k) {
    case HY_KIND_FIRE:
        return "秸秆焚烧火点";
    case HY_KIND_SMOKE:
        return "烟雾";
    case HY_KIND_DUST:
        return "扬尘";
    default:
        return "裸露土地";
    }
}

char *hy_event_cap(const hy_event *ev, const hy_event_change *c, const char *identifier,
                   const char *first_identifier)
{
    const int cancel =
        strcmp(c->action, "transition") == 0 && strcmp(c->to_state, "false_alarm") == 0;
    const int first = strcmp(c->action, "created") == 0;
    const int fire = ev->kind == HY_KIND_FIRE || ev->kind == HY_KIND_SMOKE;
    char sent[32], first_sent[32], line[512], area[160];
    buf b = {NULL, 0, 0, 0};

    cap_time(c->time, sent);
    cap_time(ev->created_at, first_sent);
    snprintf(area, sizeof(area), "%s%s", ev->township_county, ev->township_name);
    puts_(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">\n");
    elem(&b, "  ", "identifier", identifier);
    elem(&b, "  ", "sender", "huoyan");
    elem(&b, "  ", "sent", sent);
    elem(&b, "  ", "status", "Actual");
    elem(&b, "  ", "msgType", first ? "Alert" : cancel ? "Cancel" : "Update");
    elem(&b, "  ", "scope", "Restricted");
    elem(&b, "  ", "restriction", "乡镇网格员 township grid officers");
    if (!first) {
        snprintf(line, sizeof(line), "huoyan,%s,%s", first_identifier, first_sent);
        elem(&b, "  ", "references", line);
    }
    puts_(&b, "  <info>\n");
    elem(&b, "    ", "language", "zh-CN");
    elem(&b, "    ", "category", fire ? "Fire" : "Env");
    elem(&b, "    ", "event", event_label(ev->kind));
    elem(&b, "    ", "responseType", cancel ? "AllClear" : "Assess");
    elem(&b, "    ", "urgency",
         ev->kind == HY_KIND_FIRE || ev->kind == HY_KIND_SMOKE ? "Immediate"
         : ev->kind == HY_KIND_DUST                            ? "Expected"
                                                               : "Future");
    elem(&b, "    ", "severity", fire ? "Moderate" : "Minor");
    elem(&b, "    ", "certainty", cancel ? "Unlikely" : ev->confirmed ? "Observed" : "Possible");
    snprintf(line, sizeof(line), "%lld", (long long)ev->id);
    puts_(&b, "    <eventCode><valueName>huoyan-event</valueName><value>");
    esc(&b, line);
    puts_(&b, "</value></eventCode>\n");
    elem(&b, "    ", "senderName", "huoyan 火眼");
    snprintf(line, sizeof(line), "%s %s %s%s (%s)",
             ev->township_county[0] ? ev->township_county : "",
             ev->township_name[0] ? ev->township_name : "未知乡镇", ev->confirmed ? "" : "疑似",
             event_label(ev->kind), hy_event_state_name(ev->state));
    elem(&b, "    ", "headline", line);
    snprintf(line, sizeof(line), "%s%s%s%s%s: %s", c->action,
             c->from_state[0] || c->to_state[0] ? " " : "", c->from_state,
             c->from_state[0] || c->to_state[0] ? " -> " : "", c->to_state,
             c->note[0] ? c->note : "-");
    elem(&b, "    ", "description", line);
    {
        char v[32];
        const struct {
            const char *name;
            const char *value;
        } p[] = {{"state", hy_event_state_name(ev->state)},
                 {"detections", (snprintf(v, sizeof(v), "%lld", (long long)ev->detections), v)},
                 {"actor", c->actor}};
        for (size_t i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
            puts_(&b, "    <parameter><valueName>");
            esc(&b, p[i].name);
            puts_(&b, "</valueName><value>");
            esc(&b, p[i].value);
            puts_(&b, "</value></parameter>\n");
        }
    }
    puts_(&b, "    <area>\n");
    elem(&b, "      ", "areaDesc", area[0] ? area : "未知乡镇 (outside every township layer)");
    if (!isnan(ev->lon) && !isnan(ev->lat)) {
        snprintf(line, sizeof(line), "%.5f,%.5f 1.0", ev->lat, ev->lon);
        elem(&b, "      ", "circle", line);
    }
    if (ev->township_code[0]) {
        puts_(&b, "      <geocode><valueName>CN-adcode</valueName><value>");
        esc(&b, ev->township_code);
        puts_(&b, "</value></geocode>\n");
    }
    puts_(&b, "    </area>\n  </info>\n</alert>\n");
    if (b.failed) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
