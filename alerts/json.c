/* alerts/json.c - detections as JSON lines and GeoJSON, with jansson. */
#include "alerts/alerts.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 10 significant digits: lon/lat to about 1 cm, without binary noise (113.889, not
 * 113.88900000000001). */
#define JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))

static int set_real(json_t *o, const char *key, double v)
{
    if (isnan(v) || isinf(v))
        return 0;
    return json_object_set_new(o, key, json_real(v));
}

/* Build the contract's object; lon/lat are left out when with_position is 0 (GeoJSON puts
 * them in the geometry). */
static json_t *detection_object(const hy_detection *d, int with_position)
{
    json_t *o = json_object(), *src, *bbox, *tw;
    char t[HY_TIME_STRLEN];
    int rc = 0;

    if (!o)
        return NULL;
    rc |= json_object_set_new(o, "kind", json_string(hy_kind_name(d->kind)));
    src = json_object();
    if (!src) {
        json_decref(o);
        return NULL;
    }
    rc |= json_object_set_new(src, "type", json_string(hy_source_type_name(d->source_type)));
    rc |= json_object_set_new(src, "id", json_string(d->source_id));
    rc |= json_object_set_new(src, "sensor", json_string(hy_sensor_name(d->sensor)));
    rc |= json_object_set_new(o, "source", src);
    if (d->time != HY_TIME_NONE)
        rc |= json_object_set_new(o, "time", json_string(hy_time_format(d->time, t)));
    if (d->frame >= 0)
        rc |= json_object_set_new(o, "frame", json_integer(d->frame));
    if (d->bbox[2] > 0 && d->bbox[3] > 0) { /* points from elsewhere (FIRMS) have no grid */
        bbox = json_pack("[iiii]", d->bbox[0], d->bbox[1], d->bbox[2], d->bbox[3]);
        rc |= json_object_set_new(o, "bbox", bbox);
    }
    rc |= json_object_set_new(o, "pixels", json_integer(d->pixels));
    if (with_position) {
        rc |= set_real(o, "lon", d->lon);
        rc |= set_real(o, "lat", d->lat);
    }
    if (d->township_code[0]) {
        tw = json_pack("{ssssss}", "code", d->township_code, "name", d->township_name, "county",
                       d->township_county);
        if (tw && d->township_outside_m > 0) /* the nearest township, outside it by this much */
            rc |= json_object_set_new(tw, "outside_m",
                                      json_real(round(d->township_outside_m * 10) / 10));
        rc |= json_object_set_new(o, "township", tw);
    }
    rc |= set_real(o, "confidence", d->confidence);
    rc |= set_real(o, "area_m2", d->area_m2);
    rc |= set_real(o, "frp_mw", d->frp_mw);
    rc |= set_real(o, "bt4_k", d->bt4_k);
    rc |= set_real(o, "bt11_k", d->bt11_k);
    rc |= set_real(o, "scan_km", d->scan_km);
    rc |= set_real(o, "track_km", d->track_km);
    if (d->daynight == 'D' || d->daynight == 'N')
        rc |= json_object_set_new(o, "daynight", json_stringn(&d->daynight, 1));
    rc |= set_real(o, "bearing_deg", d->bearing_deg);
    rc |= set_real(o, "swir2_max", d->swir2_max);
    rc |= set_real(o, "swir2_mean", d->swir2_mean);
    rc |= set_real(o, "r75_max", d->r75_max);
    if (d->tests[0])
        rc |= json_object_set_new(o, "tests", json_string(d->tests));
    if (d->evidence[0])
        rc |= json_object_set_new(o, "evidence", json_string(d->evidence));
    if (d->static_source) /* only when true: most detections are not */
        rc |= json_object_set_new(o, "static_source", json_true());
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *hy_detection_json(const hy_detection *d)
{
    json_t *o;
    char *s;
    if (!d)
        return NULL;
    o = detection_object(d, 1);
    if (!o)
        return NULL;
    s = json_dumps(o, JSON_FLAGS);
    json_decref(o);
    return s;
}

hy_status hy_geojson_write(const char *path, const hy_detection *d, size_t n, char *err,
                           size_t err_size)
{
    json_t *fc = NULL, *features;
    hy_status st = HY_ENOMEM;
    char tmp[4096];

    if (!path || (!d && n))
        return HY_EINVAL;
    fc = json_object();
    features = json_array();
    if (!fc || !features || json_object_set_new(fc, "type", json_string("FeatureCollection")) ||
        json_object_set_new(fc, "features", features)) {
        if (!fc)
            json_decref(features);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_object(), *props = detection_object(&d[i], 0), *geom;
        if (!f || !props) {
            json_decref(f);
            json_decref(props);
            goto done;
        }
        if (isnan(d[i].lon) || isnan(d[i].lat))
            geom = json_null();
        else
            geom = json_pack("{s:s,s:[f,f]}", "type", "Point", "coordinates", d[i].lon, d[i].lat);
        if (!geom || json_object_set_new(f, "type", json_string("Feature")) ||
            json_object_set_new(f, "geometry", geom) ||
            json_object_set_new(f, "properties", props) || json_array_append_new(features, f)) {
            json_decref(f);
            goto done;
        }
    }
    /* Write beside the target and rename: a reader never sees half a file. */
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    if (json_dump_file(fc, tmp, JSON_FLAGS | JSON_INDENT(0)) != 0 || rename(tmp, path) != 0) {
        if (err)
            snprintf(err, err_size, "%s: cannot write", path);
        remove(tmp);
        st = HY_EIO;
        goto done;
    }
    st = HY_OK;
done:
    if (st == HY_ENOMEM && err)
        snprintf(err, err_size, "%s: out of memory", path);
    json_decref(fc);
    return st;
}

char *hy_event_json(const hy_event *ev)
{
    json_t *o = json_object(), *tw;
    char t[HY_TIME_STRLEN];
    char *s = NULL;
    int rc = 0;
    if (!o)
        return NULL;
    rc |= json_object_set_new(o, "id", json_integer(ev->id));
    rc |= json_object_set_new(o, "kind", json_string(hy_kind_name(ev->kind)));
    rc |= json_object_set_new(o, "state", json_string(hy_event_state_name(ev->state)));
    rc |= json_object_set_new(o, "confirmed", json_boolean(ev->confirmed));
    rc |= json_object_set_new(o, "escalated", json_boolean(ev->escalated));
    rc |= json_object_set_new(o, "detections", json_integer(ev->detections));
    rc |= json_object_set_new(o, "first_time", json_string(hy_time_format(ev->first_time, t)));
    rc |= json_object_set_new(o, "last_time", json_string(hy_time_format(ev->last_time, t)));
    rc |= set_real(o, "lon", ev->lon);
    rc |= set_real(o, "lat", ev->lat);
    if (ev->township_code[0]) {
        tw = json_pack("{ssssss}", "code", ev->township_code, "name", ev->township_name, "county",
                       ev->township_county);
        rc |= json_object_set_new(o, "township", tw);
    }
    rc |= json_object_set_new(o, "source", json_string(ev->source_id));
    rc |= json_object_set_new(o, "updated", json_string(hy_time_format(ev->updated_at, t)));
    if (rc == 0)
        s = json_dumps(o, JSON_FLAGS);
    json_decref(o);
    return s;
}

char *hy_event_change_json(const hy_event *ev, const hy_event_change *c, const char *key)
{
    char *evs = hy_event_json(ev), *out = NULL;
    json_t *o = json_object(), *e = evs ? json_loads(evs, 0, NULL) : NULL, *ch;
    char t[HY_TIME_STRLEN];
    int rc = 0;
    free(evs);
    if (!o || !e) {
        json_decref(o);
        json_decref(e);
        return NULL;
    }
    ch = json_pack("{ssssssssssss}", "time", hy_time_format(c->time, t), "actor", c->actor,
                   "action", c->action, "from", c->from_state, "to", c->to_state, "note", c->note);
    rc |= json_object_set_new(o, "idempotency_key", json_string(key));
    rc |= json_object_set_new(o, "change", ch);
    rc |= json_object_set_new(o, "event", e);
    if (rc == 0)
        out = json_dumps(o, JSON_FLAGS);
    json_decref(o);
    return out;
}
