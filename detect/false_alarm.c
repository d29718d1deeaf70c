/* detect/false_alarm.c - the false-alarm memory: a camera hit that repeats a dismissed false
 * alarm (the same camera and kind, much the same place in the picture, much the same time of
 * day: haze over the same field every morning, sun glare off the same roof every evening) is
 * not reported again. The memory itself is kept by the store (analysts' false_alarm marks). */
#include "detect/detect.h"

#include <math.h>
#include <string.h>

#define US_PER_MIN  (60 * INT64_C(1000000))
#define MIN_PER_DAY 1440

void hy_fa_params_init(hy_fa_params *p)
{
    p->min_iou = 0.3;
    p->window_min = 60;
    p->max_age_days = 30;
}

double hy_box_iou(const int a[4], const int b[4])
{
    const int x0 = a[0] > b[0] ? a[0] : b[0], y0 = a[1] > b[1] ? a[1] : b[1];
    const int x1 = a[0] + a[2] < b[0] + b[2] ? a[0] + a[2] : b[0] + b[2];
    const int y1 = a[1] + a[3] < b[1] + b[3] ? a[1] + a[3] : b[1] + b[3];
    double inter, uni;
    if (x1 <= x0 || y1 <= y0)
        return 0;
    inter = (double)(x1 - x0) * (y1 - y0);
    uni = (double)a[2] * a[3] + (double)b[2] * b[3] - inter;
    return uni > 0 ? inter / uni : 0;
}

/* Minutes from one time of day (UTC) to the other, the short way round midnight. */
static int64_t day_minutes_apart(int64_t t1, int64_t t2)
{
    int64_t m1 = (t1 / US_PER_MIN) % MIN_PER_DAY, m2 = (t2 / US_PER_MIN) % MIN_PER_DAY, d;
    m1 += m1 < 0 ? MIN_PER_DAY : 0;
    m2 += m2 < 0 ? MIN_PER_DAY : 0;
    d = m1 > m2 ? m1 - m2 : m2 - m1;
    return d > MIN_PER_DAY / 2 ? MIN_PER_DAY - d : d;
}

int hy_false_alarm_match(const hy_false_alarm *mem, size_t n, const hy_detection *d,
                         const hy_fa_params *p)
{
    int best = -1;
    double best_iou = 0;
    if (!mem || !d || !p || d->time == HY_TIME_NONE || d->source_type != HY_SOURCE_CAMERA)
        return -1;
    for (size_t i = 0; i < n && i < (size_t)INT32_MAX; i++) {
        const hy_false_alarm *m = &mem[i];
        const double age_days = fabs((double)(d->time - m->time)) / (86400.0 * 1e6);
        double iou;
        if (m->kind != d->kind || strcmp(m->camera, d->source_id) != 0 || m->time == HY_TIME_NONE ||
            age_days > p->max_age_days ||
            (double)day_minutes_apart(d->time, m->time) > p->window_min)
            continue;
        iou = hy_box_iou(m->bbox, d->bbox);
        if (iou >= p->min_iou && iou > best_iou) {
            best_iou = iou;
            best = (int)i;
        }
    }
    return best;
}
