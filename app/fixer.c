/* app/fixer.c - the service's cross-bearing fixes: the latest bearing of every camera that
 * sees smoke or flame, and, when two or more cameras see the same kind within the fix window,
 * where their bearings cross, stored as a placed detection that events merge like any other
 * (a satellite point of the same fire joins its event). */
#include "app/app.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEEN 64 /* latest bearing per camera and kind */
#define MAX_SENT 32 /* recent fixes, to report each place once per window */

typedef struct seen {
    char camera[96];
    hy_kind kind;
    double lon, lat, bearing_deg;
    int64_t time;
    int used;
} seen;

typedef struct sent {
    hy_kind kind;
    double lon, lat;
    int64_t time;
} sent;

struct hy_app_fixer {
    pthread_mutex_t lock;
    const hy_config *cfg;
    const hy_townships *townships;
    double max_outside_m, half_width_deg;
    hy_fix_params p;
    seen seen[MAX_SEEN];
    sent sent[MAX_SENT];
    int nsent;
};

hy_app_fixer *hy_app_fixer_create(const hy_config *cfg, const hy_townships *tw,
                                  double max_outside_m)
{
    hy_app_fixer *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    if (pthread_mutex_init(&f->lock, NULL) != 0) {
        free(f);
        return NULL;
    }
    f->cfg = cfg;
    f->townships = tw;
    f->max_outside_m = max_outside_m;
    f->half_width_deg = HY_APP_FIX_HALF_WIDTH_DEG;
    hy_fix_params_init(&f->p);
    f->p.max_range_m = cfg->geo.max_range_m;
    return f;
}

void hy_app_fixer_destroy(hy_app_fixer *f)
{
    if (!f)
        return;
    pthread_mutex_destroy(&f->lock);
    free(f);
}

static const hy_config_pose *pose_of(const hy_config *cfg, const char *camera)
{
    const hy_config_camera *cc = hy_config_camera_find(cfg, camera);
    return cc ? cc->pose : NULL;
}

/* Remember d as its camera's latest bearing of its kind (the oldest entry makes room). */
static void remember(hy_app_fixer *f, const hy_detection *d, const hy_config_pose *pose)
{
    seen *slot = NULL;
    for (int i = 0; i < MAX_SEEN && !slot; i++)
        if (f->seen[i].used && f->seen[i].kind == d->kind &&
            strcmp(f->seen[i].camera, d->source_id) == 0)
            slot = &f->seen[i];
    for (int i = 0; i < MAX_SEEN && !slot; i++)
        if (!f->seen[i].used)
            slot = &f->seen[i];
    if (!slot) {
        slot = &f->seen[0];
        for (int i = 1; i < MAX_SEEN; i++)
            if (f->seen[i].time < slot->time)
                slot = &f->seen[i];
    }
    snprintf(slot->camera, sizeof(slot->camera), "%s", d->source_id);
    slot->kind = d->kind;
    slot->lon = pose->lon;
    slot->lat = pose->lat;
    slot->bearing_deg = d->bearing_deg;
    slot->time = d->time;
    slot->used = 1;
}

/* 1 when a fix of this kind was reported within merge_m of lon, lat in the last window. */
static int reported(const hy_app_fixer *f, hy_kind kind, double lon, double lat, int64_t t)
{
    const int64_t window = (int64_t)(f->p.window_s * 1e6);
    for (int i = 0; i < f->nsent; i++)
        if (f->sent[i].kind == kind && t - f->sent[i].time < window &&
            f->sent[i].time - t < window &&
            hy_geo_distance_m(lon, lat, f->sent[i].lon, f->sent[i].lat) < f->p.merge_m)
            return 1;
    return 0;
}

/* The fix d's bearing makes with the other cameras' of its kind, into fix; 0 when none. */
static int fix_for(hy_app_fixer *f, const hy_detection *d, hy_detection *fix)
{
    hy_bearing b[MAX_SEEN];
    const seen *from[MAX_SEEN];
    hy_fix fixes[8];
    const hy_fix *best = NULL;
    size_t n = 0, nf = 0, self = 0;
    const int64_t window = (int64_t)(f->p.window_s * 1e6);
    int len;
    for (int i = 0; i < MAX_SEEN; i++) {
        const seen *s = &f->seen[i];
        if (!s->used || s->kind != d->kind || s->time - d->time > window ||
            d->time - s->time > window)
            continue;
        if (strcmp(s->camera, d->source_id) == 0)
            self = n;
        b[n] = (hy_bearing){s->camera, s->lon, s->lat, s->bearing_deg, f->half_width_deg, s->time};
        from[n++] = s;
    }
    if (n < 2 || hy_geo_cross_fixes(b, n, &f->p, fixes, 8, &nf) != HY_OK)
        return 0;
    for (size_t k = 0; k < nf; k++) /* the best fix this hit's bearing is part of */
        if ((fixes[k].members >> self & 1) && (!best || fixes[k].n_bearings > best->n_bearings))
            best = &fixes[k];
    if (!best || reported(f, d->kind, best->lon, best->lat, d->time))
        return 0;
    hy_detection_init(fix);
    fix->kind = d->kind;
    fix->source_type = HY_SOURCE_CAMERA;
    fix->sensor = d->sensor;
    fix->time = d->time;
    fix->confidence = d->confidence;
    fix->lon = best->lon;
    fix->lat = best->lat;
    len = snprintf(fix->source_id, sizeof(fix->source_id), "fix");
    for (size_t i = 0; i < n && (size_t)len < sizeof(fix->source_id) - 1; i++)
        if (best->members >> i & 1) /* cut short if the ids do not fit */
            len += snprintf(fix->source_id + len, sizeof(fix->source_id) - (size_t)len, "%s%s",
                            len == 3 ? ":" : "+", from[i]->camera);
    snprintf(fix->tests, sizeof(fix->tests), "cross_bearing_%d,radius_%.0fm", best->n_bearings,
             best->radius_m);
    hy_geo_assign_township(f->townships, f->max_outside_m, fix);
    if (f->nsent == MAX_SENT) {
        memmove(f->sent, f->sent + 1, (MAX_SENT - 1) * sizeof(f->sent[0]));
        f->nsent--;
    }
    f->sent[f->nsent++] = (sent){fix->kind, fix->lon, fix->lat, fix->time};
    return 1;
}

hy_status hy_app_fixer_offer(hy_app_fixer *f, const hy_ctx *ctx, const hy_detection *d, size_t n,
                             hy_detections *out)
{
    hy_status st = HY_OK;
    pthread_mutex_lock(&f->lock);
    for (size_t i = 0; i < n && st == HY_OK; i++) {
        const hy_config_pose *pose;
        hy_detection fix;
        if (d[i].source_type != HY_SOURCE_CAMERA || d[i].bearing_deg != d[i].bearing_deg ||
            d[i].time == HY_TIME_NONE || !(pose = pose_of(f->cfg, d[i].source_id)))
            continue;
        remember(f, &d[i], pose);
        if (fix_for(f, &d[i], &fix))
            st = hy_detections_push(ctx, out, &fix);
    }
    pthread_mutex_unlock(&f->lock);
    return st;
}
