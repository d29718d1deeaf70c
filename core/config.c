/* core/config.c - the YAML configuration file, read with libcyaml against a schema, then
 * checked value by value. Every refusal names the file, the key, the value and what was
 * expected. */
#include "core.h"

#include <cyaml/cyaml.h>
#include <yaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- schema ---- */

static const cyaml_schema_value_t string_ptr = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

#define OPT                    CYAML_FLAG_OPTIONAL
#define STR(key, type, member) CYAML_FIELD_STRING_PTR(key, OPT, type, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_field_t pose_fields[] = {
    CYAML_FIELD_FLOAT("lon", CYAML_FLAG_DEFAULT, hy_config_pose, lon),
    CYAML_FIELD_FLOAT("lat", CYAML_FLAG_DEFAULT, hy_config_pose, lat),
    CYAML_FIELD_FLOAT("height_m", OPT, hy_config_pose, height_m),
    CYAML_FIELD_FLOAT("pan_deg", OPT, hy_config_pose, pan_deg),
    CYAML_FIELD_FLOAT("tilt_deg", OPT, hy_config_pose, tilt_deg),
    CYAML_FIELD_FLOAT("roll_deg", OPT, hy_config_pose, roll_deg),
    CYAML_FIELD_UINT("width_px", OPT, hy_config_pose, width_px),
    CYAML_FIELD_UINT("height_px", OPT, hy_config_pose, height_px),
    CYAML_FIELD_FLOAT("hfov_deg", OPT, hy_config_pose, hfov_deg),
    CYAML_FIELD_FLOAT("vfov_deg", OPT, hy_config_pose, vfov_deg),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t preset_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_DEFAULT, hy_config_preset, name, 1, 64),
    CYAML_FIELD_FLOAT("pan_deg", OPT, hy_config_preset, pan_deg),
    CYAML_FIELD_FLOAT("tilt_deg", OPT, hy_config_preset, tilt_deg),
    CYAML_FIELD_FLOAT("roll_deg", OPT, hy_config_preset, roll_deg),
    CYAML_FIELD_FLOAT("hfov_deg", OPT, hy_config_preset, hfov_deg),
    CYAML_FIELD_FLOAT("vfov_deg", OPT, hy_config_preset, vfov_deg),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t preset_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, hy_config_preset, preset_fields),
};

static const cyaml_schema_field_t camera_fields[] = {
    CYAML_FIELD_STRING_PTR("id", CYAML_FLAG_DEFAULT, hy_config_camera, id, 1, 64),
    STR("url", hy_config_camera, url),
    STR("snapshot", hy_config_camera, snapshot),
    CYAML_FIELD_FLOAT("analyse_every_s", OPT, hy_config_camera, analyse_every_s),
    STR("decode", hy_config_camera, decode),
    STR("smoke_colour", hy_config_camera, smoke_colour),
    STR("view_change", hy_config_camera, view_change),
    STR("persist", hy_config_camera, persist),
    CYAML_FIELD_SEQUENCE("detect", OPT | CYAML_FLAG_POINTER, hy_config_camera, detect, &string_ptr,
                         0, 8),
    CYAML_FIELD_MAPPING_PTR("pose", OPT, hy_config_camera, pose, pose_fields),
    CYAML_FIELD_SEQUENCE("presets", OPT | CYAML_FLAG_POINTER, hy_config_camera, presets,
                         &preset_entry, 0, 256),
    /* a sequence of variable-length sequences, which libcyaml cannot hold: read by
     * read_exclusions() with libyaml */
    CYAML_FIELD_IGNORE("exclude", OPT),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t camera_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, hy_config_camera, camera_fields),
};

static const cyaml_schema_field_t sink_fields[] = {
    CYAML_FIELD_STRING_PTR("type", CYAML_FLAG_DEFAULT, hy_config_sink, type, 1, 16),
    STR("url", hy_config_sink, url),
    STR("secret_env", hy_config_sink, secret_env),
    STR("host", hy_config_sink, host),
    CYAML_FIELD_INT("port", OPT, hy_config_sink, port),
    STR("topic", hy_config_sink, topic),
    CYAML_FIELD_SEQUENCE("townships", OPT | CYAML_FLAG_POINTER, hy_config_sink, townships,
                         &string_ptr, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t sink_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, hy_config_sink, sink_fields),
};

static const cyaml_schema_field_t token_fields[] = {
    CYAML_FIELD_STRING_PTR("token_env", CYAML_FLAG_DEFAULT, hy_config_token, token_env, 1, 128),
    CYAML_FIELD_STRING_PTR("role", CYAML_FLAG_DEFAULT, hy_config_token, role, 1, 16),
    CYAML_FIELD_SEQUENCE("townships", OPT | CYAML_FLAG_POINTER, hy_config_token, townships,
                         &string_ptr, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t token_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, hy_config_token, token_fields),
};

static const cyaml_schema_field_t store_fields[] = {
    STR("sqlite", hy_config_store, sqlite),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t townships_fields[] = {
    STR("path", hy_config_townships, path),
    STR("layer", hy_config_townships, layer),
    STR("code", hy_config_townships, code),
    STR("name", hy_config_townships, name),
    STR("county", hy_config_townships, county),
    STR("crs", hy_config_townships, crs),
    CYAML_FIELD_FLOAT("max_outside_m", OPT, hy_config_townships, max_outside_m),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t satellite_fields[] = {
    STR("watch", hy_config_satellite, watch),
    STR("hot_sources", hy_config_satellite, hot_sources),
    CYAML_FIELD_FLOAT("hot_source_radius_m", OPT, hy_config_satellite, hot_source_radius_m),
    CYAML_FIELD_SEQUENCE("detect", OPT | CYAML_FLAG_POINTER, hy_config_satellite, detect,
                         &string_ptr, 0, 8),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t alerts_fields[] = {
    CYAML_FIELD_SEQUENCE("sinks", OPT | CYAML_FLAG_POINTER, hy_config_alerts, sinks, &sink_entry, 0,
                         64),
    CYAML_FIELD_FLOAT("escalate_after_min", OPT, hy_config_alerts, escalate_after_min),
    CYAML_FIELD_INT("max_attempts", OPT, hy_config_alerts, max_attempts),
    CYAML_FIELD_FLOAT("backoff_s", OPT, hy_config_alerts, backoff_s),
    CYAML_FIELD_FLOAT("backoff_max_s", OPT, hy_config_alerts, backoff_max_s),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t server_fields[] = {
    STR("listen", hy_config_server, listen),
    CYAML_FIELD_SEQUENCE("tokens", OPT | CYAML_FLAG_POINTER, hy_config_server, tokens, &token_entry,
                         0, 1024),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t geo_fields[] = {
    STR("dem", hy_config_geo, dem),
    CYAML_FIELD_FLOAT("max_range_m", OPT, hy_config_geo, max_range_m),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_MAPPING("store", OPT, hy_config, store, store_fields),
    CYAML_FIELD_MAPPING("geo", OPT, hy_config, geo, geo_fields),
    CYAML_FIELD_MAPPING("townships", OPT, hy_config, townships, townships_fields),
    CYAML_FIELD_SEQUENCE("cameras", OPT | CYAML_FLAG_POINTER, hy_config, cameras, &camera_entry, 0,
                         100000),
    CYAML_FIELD_MAPPING("satellite", OPT, hy_config, satellite, satellite_fields),
    CYAML_FIELD_MAPPING("alerts", OPT, hy_config, alerts, alerts_fields),
    CYAML_FIELD_MAPPING("server", OPT, hy_config, server, server_fields),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, hy_config, top_fields),
};

/* ---- loading ---- */

typedef struct load_log {
    char text[1024];
    size_t len;
} load_log;

/* libcyaml reports what it refused and then a backtrace ("in mapping field 'cameras'") line
 * by line; keep the lines so the message can say where. */
static void cyaml_log_to_buffer(cyaml_log_t level, void *user, const char *fmt, va_list args)
{
    load_log *log = user;
    char line[256];
    size_t n;

    if (!log || level < CYAML_LOG_ERROR)
        return;
    vsnprintf(line, sizeof(line), fmt, args);
    n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == ' '))
        line[--n] = '\0';
    if (strncmp(line, "Load: ", 6) == 0)
        memmove(line, line + 6, strlen(line + 6) + 1);
    if (!line[0] || strcmp(line, "Backtrace:") == 0)
        return;
    if (log->len + strlen(line) + 3 < sizeof(log->text)) {
        log->len += (size_t)snprintf(log->text + log->len, sizeof(log->text) - log->len, "%s%s",
                                     log->len ? "; " : "", line);
    }
}

static const cyaml_config_t cyaml_base = {
    .log_fn = cyaml_log_to_buffer,
    .mem_fn = cyaml_mem,
    .log_level = CYAML_LOG_ERROR,
    .flags = CYAML_CFG_DEFAULT,
};

static int set_default(char **field, const char *value)
{
    if (*field)
        return 0;
    *field = strdup(value);
    return *field ? 0 : -1;
}

static int in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

#define REFUSE(...)                                                                                \
    do {                                                                                           \
        snprintf(err, err_size, __VA_ARGS__);                                                      \
        return HY_ECONFIG;                                                                         \
    } while (0)

static hy_status check_range(const char *path, const char *key, double v, double lo, double hi,
                             int lo_open, char *err, size_t err_size)
{
    if (isnan(v) || v > hi || (lo_open ? v <= lo : v < lo))
        REFUSE("%s: %s = %g: expected a number in %s%g, %g]", path, key, v, lo_open ? "(" : "[", lo,
               hi);
    return HY_OK;
}

/* What each source can detect: cameras fire, smoke and dust; satellites fire and bare soil. */
static const char *const camera_kinds[] = {"fire", "smoke", "dust", NULL};
static const char *const satellite_kinds[] = {"fire", "bare_soil", NULL};

static hy_status check_detect(const char *path, const char *key, char **detect, unsigned n,
                              const char *const *kinds, char *err, size_t err_size)
{
    for (unsigned i = 0; i < n; i++)
        if (!in_list(detect[i], kinds))
            REFUSE("%s: %s[%u] = \"%s\": expected one of %s", path, key, i, detect[i],
                   kinds == camera_kinds ? "fire, smoke, dust (a camera)"
                                         : "fire, bare_soil (a satellite scene)");
    return HY_OK;
}

/* Check every value and fill defaults. */
static hy_status finish(const char *path, hy_config *c, char *err, size_t err_size)
{
    static const char *const crs_names[] = {"wgs84", "gcj02", NULL};
    static const char *const decode_modes[] = {"auto", "all", "key", NULL};
    static const char *const smoke_colours[] = {"genovese", "toreyin", NULL};
    static const char *const sink_types[] = {"webhook", "mqtt", "cap", NULL};
    static const char *const roles[] = {"admin", "analyst", "officer", NULL};
    char key[96];
    hy_status st;

    if (set_default(&c->store.sqlite, "huoyan.db") || set_default(&c->townships.code, "code") ||
        set_default(&c->townships.name, "name") || set_default(&c->townships.county, "county") ||
        set_default(&c->townships.crs, "wgs84") || set_default(&c->server.listen, "127.0.0.1:8080"))
        REFUSE("%s: out of memory", path);
    if (!in_list(c->townships.crs, crs_names))
        REFUSE("%s: townships.crs = \"%s\": expected wgs84 or gcj02", path, c->townships.crs);
    for (unsigned i = 0; i < c->cameras_count; i++) {
        hy_config_camera *cam = &c->cameras[i];
        if (!cam->url == !cam->snapshot)
            REFUSE("%s: cameras[%u] (id \"%s\"): expected exactly one of url or snapshot", path, i,
                   cam->id);
        for (unsigned j = 0; j < i; j++)
            if (strcmp(c->cameras[j].id, cam->id) == 0)
                REFUSE("%s: cameras[%u].id = \"%s\": expected a unique id (cameras[%u] has it)",
                       path, i, cam->id, j);
        if (cam->analyse_every_s == 0)
            cam->analyse_every_s = 2;
        snprintf(key, sizeof(key), "cameras[%u].analyse_every_s", i);
        if ((st = check_range(path, key, cam->analyse_every_s, 0, 86400, 1, err, err_size)))
            return st;
        if (set_default(&cam->decode, "auto") || set_default(&cam->smoke_colour, "genovese") ||
            set_default(&cam->persist, "3/5"))
            REFUSE("%s: out of memory", path);
        if (hy_persist_parse(cam->persist, 32, &cam->persist_k, &cam->persist_n, &cam->hold_k))
            REFUSE("%s: cameras[%u].persist = \"%s\": expected K/N or K/N/H with 1 <= H <= K <= N "
                   "<= 32",
                   path, i, cam->persist);
        if (!in_list(cam->decode, decode_modes))
            REFUSE("%s: cameras[%u].decode = \"%s\": expected auto, all or key", path, i,
                   cam->decode);
        if (!in_list(cam->smoke_colour, smoke_colours))
            REFUSE("%s: cameras[%u].smoke_colour = \"%s\": expected genovese or toreyin", path, i,
                   cam->smoke_colour);
        cam->view_change_share = -1;
        if (cam->view_change &&
            (cam->view_change_share = hy_view_change_parse(cam->view_change)) < 0)
            REFUSE("%s: cameras[%u].view_change = \"%s\": expected a share in (0, 1], or off", path,
                   i, cam->view_change);
        snprintf(key, sizeof(key), "cameras[%u].detect", i);
        if ((st = check_detect(path, key, cam->detect, cam->detect_count, camera_kinds, err,
                               err_size)))
            return st;
        if (cam->pose) {
            const hy_config_pose *p = cam->pose;
            const struct {
                const char *name;
                double v, lo, hi;
                int lo_open;
            } r[] = {
                {"lon", p->lon, -180, 180, 0},          {"lat", p->lat, -90, 90, 0},
                {"height_m", p->height_m, 0, 1000, 0},  {"pan_deg", p->pan_deg, -360, 360, 0},
                {"tilt_deg", p->tilt_deg, -90, 90, 0},  {"roll_deg", p->roll_deg, -180, 180, 0},
                {"hfov_deg", p->hfov_deg, 0, 180, 1},   {"vfov_deg", p->vfov_deg, 0, 180, 1},
                {"width_px", p->width_px, 0, 65536, 0}, {"height_px", p->height_px, 0, 65536, 0}};
            for (size_t k = 0; k < sizeof(r) / sizeof(r[0]); k++) {
                snprintf(key, sizeof(key), "cameras[%u].pose.%s", i, r[k].name);
                if ((st = check_range(path, key, r[k].v, r[k].lo, r[k].hi, r[k].lo_open, err,
                                      err_size)))
                    return st;
            }
        }
    }
    for (unsigned i = 0; i < c->cameras_count; i++) {
        const hy_config_camera *cam = &c->cameras[i];
        if (cam->presets_count && !cam->pose)
            REFUSE("%s: cameras[%u] (id \"%s\"): presets need a pose (position and height)", path,
                   i, cam->id);
        for (unsigned j = 0; j < cam->presets_count; j++) {
            const hy_config_preset *q = &cam->presets[j];
            const struct {
                const char *name;
                double v, lo, hi;
            } r[] = {{"pan_deg", q->pan_deg, -360, 360},
                     {"tilt_deg", q->tilt_deg, -90, 90},
                     {"roll_deg", q->roll_deg, -180, 180},
                     {"hfov_deg", q->hfov_deg, 0, 179.9},
                     {"vfov_deg", q->vfov_deg, 0, 179.9}};
            for (unsigned k = 0; k < j; k++)
                if (strcmp(cam->presets[k].name, q->name) == 0)
                    REFUSE("%s: cameras[%u].presets[%u].name = \"%s\": expected a unique name",
                           path, i, j, q->name);
            for (size_t k = 0; k < sizeof(r) / sizeof(r[0]); k++) {
                snprintf(key, sizeof(key), "cameras[%u].presets[%u].%s", i, j, r[k].name);
                if ((st = check_range(path, key, r[k].v, r[k].lo, r[k].hi, 0, err, err_size)))
                    return st;
            }
        }
    }
    if ((st = check_range(path, "townships.max_outside_m", c->townships.max_outside_m, 0, 100000, 0,
                          err, err_size)))
        return st;
    if (c->geo.max_range_m == 0)
        c->geo.max_range_m = 35000;
    if ((st =
             check_range(path, "geo.max_range_m", c->geo.max_range_m, 0, 200000, 1, err, err_size)))
        return st;
    if (c->satellite.hot_source_radius_m == 0)
        c->satellite.hot_source_radius_m = 1000;
    if ((st = check_range(path, "satellite.hot_source_radius_m", c->satellite.hot_source_radius_m,
                          0, 50000, 1, err, err_size)))
        return st;
    if ((st = check_detect(path, "satellite.detect", c->satellite.detect, c->satellite.detect_count,
                           satellite_kinds, err, err_size)))
        return st;
    for (unsigned i = 0; i < c->alerts.sinks_count; i++) {
        hy_config_sink *s = &c->alerts.sinks[i];
        if (!in_list(s->type, sink_types))
            REFUSE("%s: alerts.sinks[%u].type = \"%s\": expected webhook, mqtt or cap", path, i,
                   s->type);
        if (strcmp(s->type, "mqtt") == 0) {
            if (!s->host)
                REFUSE("%s: alerts.sinks[%u]: an mqtt sink needs host", path, i);
            if (s->port == 0)
                s->port = 1883;
            if (s->port < 1 || s->port > 65535)
                REFUSE("%s: alerts.sinks[%u].port = %d: expected 1..65535", path, i, s->port);
        } else if (!s->url) {
            REFUSE("%s: alerts.sinks[%u]: a %s sink needs url", path, i, s->type);
        }
    }
    if (c->alerts.escalate_after_min == 0)
        c->alerts.escalate_after_min = 15;
    if (c->alerts.max_attempts == 0)
        c->alerts.max_attempts = 10;
    if (c->alerts.max_attempts < 1 || c->alerts.max_attempts > 1000)
        REFUSE("%s: alerts.max_attempts = %d: expected 1..1000", path, c->alerts.max_attempts);
    if (c->alerts.backoff_s == 0)
        c->alerts.backoff_s = 2;
    if (c->alerts.backoff_max_s == 0)
        c->alerts.backoff_max_s = 600;
    if ((st = check_range(path, "alerts.backoff_s", c->alerts.backoff_s, 0, 86400, 1, err,
                          err_size)) ||
        (st = check_range(path, "alerts.backoff_max_s", c->alerts.backoff_max_s, 0, 86400, 1, err,
                          err_size)))
        return st;
    if ((st = check_range(path, "alerts.escalate_after_min", c->alerts.escalate_after_min, 0,
                          7 * 24 * 60, 1, err, err_size)))
        return st;
    {
        const char *colon = strrchr(c->server.listen, ':');
        char *end = NULL;
        long port = colon ? strtol(colon + 1, &end, 10) : 0;
        if (!colon || colon == c->server.listen || !end || *end || port < 1 || port > 65535)
            REFUSE("%s: server.listen = \"%s\": expected HOST:PORT with PORT in 1..65535", path,
                   c->server.listen);
    }
    for (unsigned i = 0; i < c->server.tokens_count; i++) {
        hy_config_token *t = &c->server.tokens[i];
        if (!in_list(t->role, roles))
            REFUSE("%s: server.tokens[%u].role = \"%s\": expected admin, analyst or officer", path,
                   i, t->role);
        if (strcmp(t->role, "officer") == 0 && t->townships_count == 0)
            REFUSE("%s: server.tokens[%u]: an officer token needs a list of townships", path, i);
    }
    return HY_OK;
}

/* ---- exclusion polygons (libyaml: libcyaml has no sequences of variable-length sequences) ---- */

int hy_persist_parse(const char *arg, int max_n, int *k, int *n, int *hold)
{
    int end = 0, kk, nn, hh = 0;
    if (sscanf(arg, "%d/%d%n", &kk, &nn, &end) != 2)
        return -1;
    if (arg[end] == '/') {
        int more = 0;
        if (sscanf(arg + end + 1, "%d%n", &hh, &more) != 1 || hh < 1 || hh > kk)
            return -1;
        end += 1 + more;
    }
    if (arg[end] || kk < 1 || nn < kk || nn > max_n)
        return -1;
    *k = kk, *n = nn, *hold = hh;
    return 0;
}

double hy_view_change_parse(const char *arg)
{
    char *end;
    double v;
    if (strcmp(arg, "off") == 0)
        return 0;
    v = strtod(arg, &end);
    return end != arg && !*end && v > 0 && v <= 1 ? v : -1;
}

int hy_polygons_contain(const hy_polygon *p, unsigned n, double x, double y)
{
    for (unsigned k = 0; k < n; k++) {
        int in = 0;
        for (unsigned i = 0, j = p[k].n - 1; i < p[k].n; j = i++) {
            const double xi = p[k].xy[2 * i], yi = p[k].xy[2 * i + 1];
            const double xj = p[k].xy[2 * j], yj = p[k].xy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                in = !in;
        }
        if (in)
            return 1;
    }
    return 0;
}

typedef struct ytree {
    yaml_parser_t p;
    yaml_event_t ev;
    int have; /* ev holds an event not yet consumed */
} ytree;

static int ynext(ytree *t)
{
    if (t->have)
        yaml_event_delete(&t->ev);
    t->have = yaml_parser_parse(&t->p, &t->ev) != 0;
    return t->have;
}

/* Skip the node whose first event is the current one. */
static int yskip(ytree *t)
{
    int depth = 0;
    do {
        switch (t->ev.type) {
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            depth++;
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        default:
            break;
        }
        if (depth == 0)
            return 1;
    } while (ynext(t));
    return 0;
}

#define YREFUSE(...)                                                                               \
    do {                                                                                           \
        snprintf(err, err_size, __VA_ARGS__);                                                      \
        return HY_ECONFIG;                                                                         \
    } while (0)

/* cameras[i].exclude: the current event starts its value. */
static hy_status read_exclude(const char *path, ytree *t, hy_config_camera *cam, unsigned i,
                              char *err, size_t err_size)
{
    if (t->ev.type != YAML_SEQUENCE_START_EVENT)
        YREFUSE("%s: cameras[%u].exclude: expected a list of polygons, each a list of [x, y] "
                "points in image pixels",
                path, i);
    while (ynext(t) && t->ev.type != YAML_SEQUENCE_END_EVENT) {
        hy_polygon *pg, *v;
        unsigned k = cam->exclude_count;
        if (t->ev.type != YAML_SEQUENCE_START_EVENT)
            YREFUSE("%s: cameras[%u].exclude[%u]: expected a list of [x, y] points", path, i, k);
        v = realloc(cam->exclude, (k + 1) * sizeof(*v));
        if (!v)
            YREFUSE("%s: out of memory", path);
        cam->exclude = v;
        pg = &cam->exclude[cam->exclude_count++];
        pg->xy = NULL;
        pg->n = 0;
        while (ynext(t) && t->ev.type != YAML_SEQUENCE_END_EVENT) {
            double xy[2];
            double *w;
            if (t->ev.type != YAML_SEQUENCE_START_EVENT)
                YREFUSE("%s: cameras[%u].exclude[%u][%u]: expected [x, y] in image pixels", path, i,
                        k, pg->n);
            for (int c = 0; c < 2; c++) {
                char *end;
                if (!ynext(t) || t->ev.type != YAML_SCALAR_EVENT)
                    YREFUSE("%s: cameras[%u].exclude[%u][%u]: expected [x, y] in image pixels",
                            path, i, k, pg->n);
                xy[c] = strtod((const char *)t->ev.data.scalar.value, &end);
                if (*end || !(xy[c] >= 0 && xy[c] <= 65536))
                    YREFUSE("%s: cameras[%u].exclude[%u][%u] = \"%s\": expected a pixel "
                            "coordinate in 0..65536",
                            path, i, k, pg->n, (const char *)t->ev.data.scalar.value);
            }
            if (!ynext(t) || t->ev.type != YAML_SEQUENCE_END_EVENT)
                YREFUSE("%s: cameras[%u].exclude[%u][%u]: expected [x, y] in image pixels", path, i,
                        k, pg->n);
            w = realloc(pg->xy, 2 * (pg->n + 1) * sizeof(*w));
            if (!w)
                YREFUSE("%s: out of memory", path);
            pg->xy = w;
            pg->xy[2 * pg->n] = xy[0];
            pg->xy[2 * pg->n + 1] = xy[1];
            pg->n++;
        }
        if (pg->n < 3)
            YREFUSE("%s: cameras[%u].exclude[%u]: %u points: a polygon needs at least 3", path, i,
                    k, pg->n);
    }
    return HY_OK;
}

/* Fill each camera's exclusion polygons from the YAML text (file path, or data/len). The
 * document has already passed libcyaml, so its shape above `exclude` is known good. */
static hy_status read_exclusions(const char *path, const char *data, size_t len, hy_config *c,
                                 char *err, size_t err_size)
{
    ytree t;
    FILE *f = NULL;
    hy_status st = HY_OK;
    memset(&t, 0, sizeof(t));
    if (!yaml_parser_initialize(&t.p))
        YREFUSE("%s: out of memory", path);
    if (data) {
        yaml_parser_set_input_string(&t.p, (const unsigned char *)data, len);
    } else if ((f = fopen(path, "rb")) != NULL) {
        yaml_parser_set_input_file(&t.p, f);
    } else {
        yaml_parser_delete(&t.p);
        YREFUSE("%s: cannot open", path);
    }
    /* stream, document, the top mapping */
    while (ynext(&t) && t.ev.type != YAML_MAPPING_START_EVENT && t.ev.type != YAML_STREAM_END_EVENT)
        ;
    while (st == HY_OK && t.have && t.ev.type != YAML_STREAM_END_EVENT && ynext(&t) &&
           t.ev.type == YAML_SCALAR_EVENT) {
        const int cameras = strcmp((const char *)t.ev.data.scalar.value, "cameras") == 0;
        if (!ynext(&t))
            break;
        if (!cameras || t.ev.type != YAML_SEQUENCE_START_EVENT) {
            yskip(&t); /* another key's value */
            continue;
        }
        for (unsigned i = 0; st == HY_OK && ynext(&t) && t.ev.type == YAML_MAPPING_START_EVENT;
             i++) {
            while (st == HY_OK && ynext(&t) && t.ev.type == YAML_SCALAR_EVENT) {
                const int ex = strcmp((const char *)t.ev.data.scalar.value, "exclude") == 0;
                if (!ynext(&t))
                    break;
                if (ex && i < c->cameras_count)
                    st = read_exclude(path, &t, &c->cameras[i], i, err, err_size);
                else
                    yskip(&t);
            }
        }
        break; /* cameras done: nothing else is read here */
    }
    if (t.have)
        yaml_event_delete(&t.ev);
    yaml_parser_delete(&t.p);
    if (f)
        fclose(f);
    return st;
}

static void free_exclusions(hy_config *c)
{
    for (unsigned i = 0; c && i < c->cameras_count; i++) {
        for (unsigned k = 0; k < c->cameras[i].exclude_count; k++)
            free(c->cameras[i].exclude[k].xy);
        free(c->cameras[i].exclude);
        c->cameras[i].exclude = NULL;
        c->cameras[i].exclude_count = 0;
    }
}

/* Load from a file (path) or from memory (data, len; path names it in messages). */
static hy_status load(const char *path, const char *data, size_t len, hy_config **out, char *err,
                      size_t err_size)
{
    char dummy[8];
    load_log log = {{0}, 0};
    cyaml_config_t cc = cyaml_base;
    cyaml_err_t ce;
    hy_config *c = NULL;
    hy_status st;

    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!out || !path || (data == NULL && len)) {
        snprintf(err, err_size, "hy_config_load: no path");
        return HY_EINVAL;
    }
    *out = NULL;
    cc.log_ctx = &log;
    if (data) {
        ce = len ? cyaml_load_data((const uint8_t *)data, len, &cc, &top_schema,
                                   (cyaml_data_t **)&c, NULL)
                 : CYAML_OK;
    } else {
        FILE *f = fopen(path, "rb");
        if (!f) {
            snprintf(err, err_size, "%s: cannot open", path);
            return HY_EIO;
        }
        fclose(f);
        ce = cyaml_load_file(path, &cc, &top_schema, (cyaml_data_t **)&c, NULL);
    }
    if (ce != CYAML_OK) {
        snprintf(err, err_size, "%s: %s%s%s", path, cyaml_strerror(ce), log.len ? ": " : "",
                 log.text);
        return HY_ECONFIG;
    }
    if (!c) { /* an empty file is an empty configuration */
        c = calloc(1, sizeof(*c));
        if (!c)
            return HY_ENOMEM;
    }
    st = finish(path, c, err, err_size);
    if (st == HY_OK && c->cameras_count && (data == NULL || len))
        st = read_exclusions(path, data, len, c, err, err_size);
    if (st != HY_OK) {
        hy_config_free(c);
        return st;
    }
    *out = c;
    return HY_OK;
}

hy_status hy_config_load(const char *path, hy_config **out, char *err, size_t err_size)
{
    return load(path, NULL, 0, out, err, err_size);
}

hy_status hy_config_load_data(const char *name, const char *data, size_t len, hy_config **out,
                              char *err, size_t err_size)
{
    return load(name, data ? data : "", data ? len : 0, out, err, err_size);
}

void hy_config_free(hy_config *cfg)
{
    if (!cfg)
        return;
    free_exclusions(cfg);
    cyaml_free(&cyaml_base, &top_schema, cfg, 0);
}

const hy_config_camera *hy_config_camera_find(const hy_config *cfg, const char *id)
{
    for (unsigned i = 0; cfg && id && i < cfg->cameras_count; i++)
        if (cfg->cameras[i].id && strcmp(cfg->cameras[i].id, id) == 0)
            return &cfg->cameras[i];
    return NULL;
}
