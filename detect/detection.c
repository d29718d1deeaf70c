/* detect/detection.c - the detection record and its list. */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

void hy__scene_detection(hy_detection *d, hy_kind kind, const hy_scene_info *info, int x0, int y0,
                         int x1, int y1, int pixels, double sx, double sy)
{
    hy_detection_init(d);
    d->kind = kind;
    d->source_type = HY_SOURCE_SATELLITE;
    snprintf(d->source_id, sizeof(d->source_id), "%s", info->product_id);
    d->sensor = info->sensor;
    d->time = info->time;
    d->bbox[0] = x0;
    d->bbox[1] = y0;
    d->bbox[2] = x1 - x0 + 1;
    d->bbox[3] = y1 - y0 + 1;
    d->pixels = pixels;
    d->px = sx / pixels;
    d->py = sy / pixels;
    d->area_m2 = pixels * info->pixel_area_m2;
}

int hy__image_grey(const hy_image *img)
{
    for (int y = 0; y < img->height; y++) {
        const uint8_t *r = hy_image_at(img, 0, 0, y), *g = hy_image_at(img, 1, 0, y);
        const uint8_t *b = hy_image_at(img, 2, 0, y);
        for (int x = 0; x < img->width; x++)
            if (abs(r[x] - g[x]) > HY_FLAME_GREY_TOL || abs(b[x] - g[x]) > HY_FLAME_GREY_TOL)
                return 0;
    }
    return 1;
}

int hy__popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

int hy__hold_k(int k, int hold)
{
    return hold > 0 ? hold : (8 * k + 5) / 10 > 0 ? (8 * k + 5) / 10 : 1;
}

int hy__confirm_step(const hy_ctx *ctx, const char *camera_id, const char *what, long long frame,
                     unsigned history, int may_open, int k, int hold, int n, hy__confirm *c)
{
    const int seen = hy__popcount(history);
    if (!c->open && (history & 1) && seen >= k && may_open) {
        c->open = 1;
        c->opened = frame;
    } else if (c->open && seen < hold) {
        c->open = 0;
        hy__log(ctx, HY_LOG_DEBUG,
                "%s: frame %lld: the %s confirmed at frame %lld ended: seen in %d of the last %d "
                "analysed frames",
                camera_id, frame, what, c->opened, seen, n);
    }
    return c->open;
}

void hy__camera_detection(hy_detection *d, hy_kind kind, const char *camera_id,
                          const hy_frame *frame, int x, int y, int w, int h, double pixels,
                          int seen, int k, int n)
{
    const double sx = (double)frame->src_width / frame->image.width;
    const double sy = (double)frame->src_height / frame->image.height;
    hy_detection_init(d);
    d->kind = kind;
    d->source_type = HY_SOURCE_CAMERA;
    snprintf(d->source_id, sizeof(d->source_id), "%s", camera_id);
    d->sensor = HY_SENSOR_CAMERA;
    d->time = frame->time;
    d->frame = frame->index;
    d->bbox[0] = (int)(x * sx);
    d->bbox[1] = (int)(y * sy);
    d->bbox[2] = (int)((x + w) * sx + 0.999) - d->bbox[0];
    d->bbox[3] = (int)((y + h) * sy + 0.999) - d->bbox[1];
    d->pixels = (int)(pixels * sx * sy + 0.5);
    d->px = d->bbox[0] + d->bbox[2] / 2.0;
    d->py = d->bbox[1] + d->bbox[3] / 2.0;
    /* more of the window seen, more confidence; below k (held by the hysteresis) under 0.5 */
    d->confidence = seen >= k ? 0.5 + 0.5 * (seen - k + 1) / (n - k + 1) : 0.5 * seen / k;
}
