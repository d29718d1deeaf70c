/* geo/fix.c - cross-bearing fixes: where the rays of two or more cameras that saw the same
 * event meet (REFERENCES.md, "Putting a camera hit on the ground"; pyronear's rules for which
 * camera pairs to trust and when fixes merge).
 *
 * Work is in the gnomonic projection centred on the cameras, where every great circle is a
 * straight line: a camera's ray is the line through the camera and a point 1 km along its
 * bearing, so two rays cross exactly where their great circles do. Distances (range, cone
 * widths) are taken on the sphere. */
#include "geo/geo_internal.h"

#include <math.h>
#include <string.h>

typedef struct frame {
    double lon0, sinlat0, coslat0;
} frame;

static void to_xy(const frame *f, double lon, double lat, double *x, double *y)
{
    const double dl = (lon - f->lon0) * HY__DEG, sp = sin(lat * HY__DEG), cp = cos(lat * HY__DEG);
    const double cosc = f->sinlat0 * sp + f->coslat0 * cp * cos(dl);
    *x = HY__EARTH_R * cp * sin(dl) / cosc;
    *y = HY__EARTH_R * (f->coslat0 * sp - f->sinlat0 * cp * cos(dl)) / cosc;
}

static void to_lonlat(const frame *f, double x, double y, double *lon, double *lat)
{
    const double rho = hypot(x, y), c = atan(rho / HY__EARTH_R);
    if (rho == 0) {
        *lon = f->lon0;
        *lat = asin(f->sinlat0) / HY__DEG;
        return;
    }
    *lat = asin(cos(c) * f->sinlat0 + y * sin(c) * f->coslat0 / rho) / HY__DEG;
    *lon =
        f->lon0 + atan2(x * sin(c), rho * f->coslat0 * cos(c) - y * f->sinlat0 * sin(c)) / HY__DEG;
}

/* Bearing of observation b as a unit vector in the frame. */
static void direction(const frame *f, const hy_bearing *b, double *dx, double *dy)
{
    double x0, y0, x1, y1, lon, lat, len;
    hy_geo_destination(b->lon, b->lat, b->bearing_deg, 1000, &lon, &lat);
    to_xy(f, b->lon, b->lat, &x0, &y0);
    to_xy(f, lon, lat, &x1, &y1);
    len = hypot(x1 - x0, y1 - y0);
    *dx = (x1 - x0) / len;
    *dy = (y1 - y0) / len;
}

/* Great-circle distance in metres. */
static double sphere_dist(double lon1, double lat1, double lon2, double lat2)
{
    const double a =
        pow(sin((lat2 - lat1) * HY__DEG / 2), 2) +
        cos(lat1 * HY__DEG) * cos(lat2 * HY__DEG) * pow(sin((lon2 - lon1) * HY__DEG / 2), 2);
    return 2 * HY__EARTH_R * asin(sqrt(a));
}

void hy_fix_params_init(hy_fix_params *p)
{
    p->window_s = 60;
    p->max_range_m = 35000;
    p->min_baseline_m = 100;
    p->min_angle_deg = 10;
    p->merge_m = 2000;
}

/* The pair fix of a and b in frame f: 0 and the point with its uncertainty, or -1 when the
 * pair is refused (too close, too parallel, meeting behind a camera or out of range). */
static int pair_fix(const frame *f, const hy_bearing *a, const hy_bearing *b,
                    const hy_fix_params *p, double *px, double *py, double *radius)
{
    double x1, y1, x2, y2, d1x, d1y, d2x, d2y, cross, t1, t2, ra, rb, cosg, lon, lat;
    if (sphere_dist(a->lon, a->lat, b->lon, b->lat) < p->min_baseline_m)
        return -1;
    to_xy(f, a->lon, a->lat, &x1, &y1);
    to_xy(f, b->lon, b->lat, &x2, &y2);
    direction(f, a, &d1x, &d1y);
    direction(f, b, &d2x, &d2y);
    cross = d1x * d2y - d1y * d2x;
    if (fabs(cross) <= sin(p->min_angle_deg * HY__DEG))
        return -1;
    t1 = ((x2 - x1) * d2y - (y2 - y1) * d2x) / cross;
    t2 = ((x2 - x1) * d1y - (y2 - y1) * d1x) / cross;
    if (!(t1 > 0 && t2 > 0))
        return -1; /* they meet behind a camera */
    *px = x1 + t1 * d1x;
    *py = y1 + t1 * d1y;
    to_lonlat(f, *px, *py, &lon, &lat);
    t1 = sphere_dist(a->lon, a->lat, lon, lat);
    t2 = sphere_dist(b->lon, b->lat, lon, lat);
    if (t1 > p->max_range_m || t2 > p->max_range_m)
        return -1;
    /* the cones are strips of half-widths ra, rb where they cross at angle g: their overlap is
     * a parallelogram whose half long diagonal is sqrt(ra^2 + rb^2 + 2 ra rb |cos g|) / sin g */
    ra = t1 * tan(a->half_width_deg * HY__DEG);
    rb = t2 * tan(b->half_width_deg * HY__DEG);
    cosg = fabs(d1x * d2x + d1y * d2y);
    *radius = sqrt(ra * ra + rb * rb + 2 * ra * rb * cosg) / fabs(cross);
    return 0;
}

typedef struct cluster {
    double x, y, radius;
    uint64_t members; /* bearings in it, by index */
    int pairs;
} cluster;

hy_status hy_geo_cross_fixes(const hy_bearing *b, size_t n, const hy_fix_params *p, hy_fix *out,
                             size_t max_out, size_t *n_out)
{
    cluster cl[HY_FIX_MAX_BEARINGS * 2];
    size_t ncl = 0;
    frame f = {0, 0, 0};
    double lat0 = 0;
    if (!n_out)
        return HY_EINVAL;
    *n_out = 0;
    if ((!b && n) || !p || (!out && max_out) || n > HY_FIX_MAX_BEARINGS)
        return HY_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (!b[i].camera || !(fabs(b[i].lat) < 89) || !(fabs(b[i].lon) <= 180) ||
            !isfinite(b[i].bearing_deg) || !(b[i].half_width_deg >= 0 && b[i].half_width_deg < 45))
            return HY_EINVAL;
        f.lon0 += b[i].lon / (double)n;
        lat0 += b[i].lat / (double)n;
    }
    f.coslat0 = cos(lat0 * HY__DEG);
    f.sinlat0 = sin(lat0 * HY__DEG);
    /* every pair of different cameras within the time window */
    for (size_t i = 0; i < n; i++) {
        for (size_t j = i + 1; j < n; j++) {
            double x, y, r;
            size_t k;
            if (strcmp(b[i].camera, b[j].camera) == 0 ||
                fabs((double)(b[i].time - b[j].time)) > p->window_s * 1e6 ||
                pair_fix(&f, &b[i], &b[j], p, &x, &y, &r) != 0)
                continue;
            /* fixes closer than merge_m are one event */
            for (k = 0; k < ncl; k++)
                if (hypot(cl[k].x - x, cl[k].y - y) < p->merge_m)
                    break;
            if (k == ncl) {
                if (ncl == sizeof(cl) / sizeof(cl[0]))
                    continue;
                cl[ncl++] = (cluster){x, y, r, 0, 0};
            } else { /* running mean of the pair fixes; the best pair's uncertainty */
                cl[k].x += (x - cl[k].x) / (cl[k].pairs + 1);
                cl[k].y += (y - cl[k].y) / (cl[k].pairs + 1);
                cl[k].radius = fmin(cl[k].radius, r);
            }
            cl[k].members |= (uint64_t)1 << i | (uint64_t)1 << j;
            cl[k].pairs++;
        }
    }
    /* refine each event with every bearing in it: (sum w n n^T) p = sum w n n^T x, with
     * n = (cos b, -sin b) the rays' normals and w = 1 / (the cone's half-width there)^2 */
    for (size_t k = 0; k < ncl && *n_out < max_out; k++) {
        hy_fix *o = &out[(*n_out)++];
        double a11 = 0, a12 = 0, a22 = 0, r1 = 0, r2 = 0, det;
        int m = 0;
        for (size_t i = 0; i < n; i++) {
            double x, y, dx, dy, nx, ny, w, t, s, lon, lat;
            if (!(cl[k].members >> i & 1))
                continue;
            m++;
            to_xy(&f, b[i].lon, b[i].lat, &x, &y);
            direction(&f, &b[i], &dx, &dy);
            nx = dy;
            ny = -dx;
            to_lonlat(&f, cl[k].x, cl[k].y, &lon, &lat);
            t = sphere_dist(b[i].lon, b[i].lat, lon, lat);
            s = fmax(t * tan(b[i].half_width_deg * HY__DEG), 1); /* at least a metre */
            w = 1 / (s * s);
            a11 += w * nx * nx;
            a12 += w * nx * ny;
            a22 += w * ny * ny;
            r1 += w * nx * (nx * x + ny * y);
            r2 += w * ny * (nx * x + ny * y);
        }
        det = a11 * a22 - a12 * a12;
        if (m > 2 && fabs(det) > 1e-12 * (a11 + a22) * (a11 + a22)) {
            cl[k].x = (a22 * r1 - a12 * r2) / det;
            cl[k].y = (a11 * r2 - a12 * r1) / det;
        }
        to_lonlat(&f, cl[k].x, cl[k].y, &o->lon, &o->lat);
        o->radius_m = cl[k].radius;
        o->n_bearings = m;
        o->members = cl[k].members;
    }
    return HY_OK;
}
