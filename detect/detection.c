/* detect/detection.c - the detection record and its list. */
#include "detect/detect.h"

#include <math.h>
#include <string.h>

const char *hy_kind_name(hy_kind k)
{
    static const char *const names[] = {"fire", "smoke", "dust", "bare_soil"};
    return (unsigned)k < 4 ? names[k] : "unknown";
}

const char *hy_source_type_name(hy_source_type t)
{
    return t == HY_SOURCE_SATELLITE ? "satellite" : "camera";
}

hy_status hy_kind_parse(const char *s, hy_kind *out)
{
    for (int k = HY_KIND_FIRE; k <= HY_KIND_BARE_SOIL; k++) {
        if (s && strcmp(s, hy_kind_name((hy_kind)k)) == 0) {
            *out = (hy_kind)k;
            return HY_OK;
        }
    }
    return HY_EINVAL;
}

void hy_detection_init(hy_detection *d)
{
    memset(d, 0, sizeof(*d));
    d->time = HY_TIME_NONE;
    d->frame = -1;
    d->px = d->py = NAN;
    d->confidence = NAN;
    d->lon = d->lat = NAN;
    d->area_m2 = d->frp_mw = d->bt4_k = d->bearing_deg = NAN;
    d->swir2_max = d->swir2_mean = d->r75_max = NAN;
    d->bt11_k = d->scan_km = d->track_km = NAN;
}

hy_status hy_detections_push(const hy_ctx *ctx, hy_detections *list, const hy_detection *d)
{
    hy_detection *v = hy__grow(ctx, list->v, &list->cap, list->n + 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    list->v = v;
    list->v[list->n++] = *d;
    return HY_OK;
}

void hy_detections_free(const hy_ctx *ctx, hy_detections *list)
{
    if (!list)
        return;
    hy__free(ctx, list->v);
    memset(list, 0, sizeof(*list));
}
