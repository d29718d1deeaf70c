/* core/time.c - UTC time as microseconds since the epoch, ISO 8601 in and out. */
#include "core.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

char *hy_time_format(int64_t t_us, char buf[HY_TIME_STRLEN])
{
    struct tm tm;
    int64_t s = t_us / 1000000;
    time_t tt;

    if (t_us < 0 && t_us % 1000000)
        s--; /* floor for times before 1970 */
    tt = (time_t)s;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, HY_TIME_STRLEN, "invalid");
        return buf;
    }
    strftime(buf, HY_TIME_STRLEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

hy_status hy_time_parse(const char *s, int64_t *out_us)
{
    struct tm tm;
    int y, mo, d, h = 0, mi = 0, n = 0;
    double sec = 0;
    int64_t t;

    if (!s || !out_us)
        return HY_EINVAL;
    memset(&tm, 0, sizeof(tm));
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return HY_EINVAL;
    s += n;
    if (*s == 'T' || *s == ' ') {
        int m = 0;
        if (sscanf(s + 1, "%2d:%2d:%lf%n", &h, &mi, &sec, &m) != 3)
            return HY_EINVAL;
        s += 1 + m;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec < 0 || sec >= 61)
        return HY_EINVAL;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = 0;
    t = (int64_t)timegm(&tm) * 1000000 + (int64_t)(sec * 1e6 + 0.5);
    if (*s == 'Z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int oh, om, m = 0;
        if (sscanf(s + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5)
            return HY_EINVAL;
        t -= (*s == '+' ? 1 : -1) * ((int64_t)oh * 3600 + om * 60) * 1000000;
        s += 1 + m;
    }
    if (*s)
        return HY_EINVAL;
    *out_us = t;
    return HY_OK;
}

int64_t hy_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

double hy_time_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
