/* detect/fire_thermal.c - active fires in mid-infrared swaths: VIIRS 375 m I-band (Schroeder
 * et al. 2014, RSE 143, the VNP14IMG algorithm) and MODIS 1 km (Giglio et al. 2003, RSE 87,
 * with the Collection 6 thresholds of Giglio et al. 2016, RSE 178). Thresholds as
 * REFERENCES.md gives them; the section of the paper is named at each test.
 *
 * Both algorithms share one shape: per-pixel masks (cloud, water, background fires), a few
 * fixed-threshold fires, candidates, and a contextual test of each candidate against the mean
 * and mean absolute deviation of its valid background in a window that grows until it holds
 * enough pixels. Counts and sums of the background in a window come from summed-area tables
 * (O(1) per window size); the mean absolute deviations need the mean first, so they are summed
 * over the one window chosen, for candidates only (they are rare).
 *
 * Choices where a paper leaves room, each documented in docs/thermal_fire.md:
 * - Window adequacy: REFERENCES.md gives VIIRS's rule as ">= 25 % or >= 10 valid pixels"; with
 *   "or" the 25 % never binds (10 < 25 % of the smallest window's 120), so both bind here, as
 *   in Giglio et al. 2003 (>= 25 % and >= 8).
 * - VIIRS's BT4S median is over the valid cloud-free land pixels of the 501 x 501 window, and
 *   is only worked out for the pixels it decides (325 < BT4 <= 330 K and BT4 - BT5 <= 25 K).
 * - Sun glint and desert boundary use Giglio et al. 2003's tests (section 2.2.6 and 2.2.7) for
 *   both sensors, VIIRS's I3 (1.61 um) standing in for MODIS's 2.1 um band; they reject MODIS
 *   fires and make VIIRS fires low confidence (Schroeder et al. 2014, section 3.3).
 * - FRP: Kaufman et al. 1998's MODIS approximation, 4.34e-19 (T4^8 - T4b^8) MW per km^2 of
 *   pixel, for both sensors (VNP14IMG's own FRP uses the 750 m M13 band, not read here). */
#include "detect/detect_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* per-pixel classes */
#define C_VALID  0x01
#define C_DAY    0x02
#define C_CLOUD  0x04
#define C_WATER  0x08
#define C_BGFIRE 0x10
#define C_BG     0x20 /* usable background: valid, clear, land, not a background fire */

#define DAY_SZA 85.0 /* day when the sun is higher than 5 degrees (both papers) */

void hy_fire_thermal_config_init(hy_fire_thermal_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->strip_rows = 256;
}

void hy_thermal_fires_free(const hy_ctx *ctx, hy_thermal_fires *f)
{
    if (!f)
        return;
    hy__free(ctx, f->v);
    memset(f, 0, sizeof(*f));
}

static hy_status push_fire(const hy_ctx *ctx, hy_thermal_fires *out, const hy_thermal_fire *f)
{
    hy_thermal_fire *v = hy__grow(ctx, out->v, &out->cap, out->n + 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    out->v = v;
    v[out->n++] = *f;
    return HY_OK;
}

/* ---- the swath being tested ---- */

typedef struct job {
    const hy_swath *sw;
    int viirs;
    int w, r0, r1; /* summed-area tables cover swath rows [r0, r1) */
    const float *bt4, *bt11, *bt12, *red, *nir, *swir, *sza, *vza, *raa, *lat, *lon;
    uint8_t *cls;
    int32_t *sn;
    double *s4, *sd, *s11;
} job;

/* A VIIRS day pixel whose candidacy waits for BT4S (325 < BT4 <= 330, dBT <= 25): tested as a
 * candidate, then kept or dropped once the 501 x 501 median is known (resolve()). */
#define TF_PENDING (1u << 31)

/* Masks of every pixel of the swath. */
static void classify(job *j)
{
    const hy_swath *sw = j->sw;
    size_t n = (size_t)sw->rows * (size_t)sw->width;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = 0;
        float t4 = j->bt4[i], t11 = j->bt11[i], d = t4 - t11;
        float vis = j->red[i] + j->nir[i];
        int day;
        if (!(sw->flags[i] & HY_SW_VALID)) {
            j->cls[i] = 0;
            continue;
        }
        c |= C_VALID;
        day = j->sza[i] < DAY_SZA;
        if (day)
            c |= C_DAY;
        if (j->viirs) {
            /* Schroeder et al. 2014, section 3.1: cloud */
            if (day ? t11 < 265 || (vis > 0.9f && t11 < 295) || (vis > 0.7f && t11 < 285)
                    : t11 < 265 && t4 < 295)
                c |= C_CLOUD;
            /* water: the land/water mask, and by day rho1 > rho2 > rho3 */
            if ((sw->flags[i] & HY_SW_WATER) ||
                (day && j->red[i] > j->nir[i] && j->nir[i] > j->swir[i]))
                c |= C_WATER;
            /* section 3.2: potential background fires */
            if (day ? t4 > 335 && d > 30 : t4 > 300 && d > 10)
                c |= C_BGFIRE;
        } else {
            float t12 = j->bt12[i];
            /* Giglio et al. 2016, section 2.2.1 (cloud) */
            if (day ? vis > 0.9f || t12 < 265 || (vis > 0.7f && t12 < 285) : t12 < 265)
                c |= C_CLOUD;
            if (sw->flags[i] & HY_SW_WATER)
                c |= C_WATER;
            /* Giglio et al. 2003, section 2.2.4: background fires */
            if (day ? t4 > 325 && d > 20 : t4 > 310 && d > 10)
                c |= C_BGFIRE;
        }
        if (!(c & (C_CLOUD | C_WATER | C_BGFIRE)))
            c |= C_BG;
        j->cls[i] = c;
    }
}

#define SAT(a, r, x) (a)[(size_t)(r) * (size_t)(j->w + 1) + (size_t)(x)]

/* Summed-area tables of the background's count, BT4, BT4 - BT11 and BT11. */
static void build_tables(job *j)
{
    int w = j->w;
    for (int x = 0; x <= w; x++) {
        SAT(j->sn, 0, x) = 0;
        SAT(j->s4, 0, x) = SAT(j->sd, 0, x) = SAT(j->s11, 0, x) = 0;
    }
    for (int r = j->r0; r < j->r1; r++) {
        int k = r - j->r0 + 1;
        int32_t rn = 0;
        double r4 = 0, rd = 0, r11 = 0;
        SAT(j->sn, k, 0) = 0;
        SAT(j->s4, k, 0) = SAT(j->sd, k, 0) = SAT(j->s11, k, 0) = 0;
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)r * (size_t)w + (size_t)x;
            if (j->cls[i] & C_BG) {
                rn++;
                r4 += j->bt4[i];
                rd += (double)j->bt4[i] - j->bt11[i];
                r11 += j->bt11[i];
            }
            SAT(j->sn, k, x + 1) = SAT(j->sn, k - 1, x + 1) + rn;
            SAT(j->s4, k, x + 1) = SAT(j->s4, k - 1, x + 1) + r4;
            SAT(j->sd, k, x + 1) = SAT(j->sd, k - 1, x + 1) + rd;
            SAT(j->s11, k, x + 1) = SAT(j->s11, k - 1, x + 1) + r11;
        }
    }
}

/* Sum of table a over swath rows [ya, yb] and columns [xa, xb] (inclusive). */
#define RECT(a, xa, ya, xb, yb)                                                                    \
    (SAT(a, (yb)-j->r0 + 1, (xb) + 1) - SAT(a, (ya)-j->r0, (xb) + 1) -                             \
     SAT(a, (yb)-j->r0 + 1, (xa)) + SAT(a, (ya)-j->r0, (xa)))

/* The background statistics of pixel (x, r): the smallest adequate window (edge 11..31 for
 * VIIRS, 3..21 for MODIS), else the largest; f->window is 0 when none was adequate. */
typedef struct stats {
    int xa, xb, ya, yb;
    int nbg, total;
    int nfire;       /* background fires in the window */
    float mean_fire; /* their mean BT4 */
    int nwater;      /* water pixels in the window */
    int adj_cloud, adj_water;
} stats;

static void window_stats(job *j, int x, int r, hy_thermal_fire *f, stats *st)
{
    int hmin = j->viirs ? 5 : 1, hmax = j->viirs ? 15 : 10, minn = j->viirs ? 10 : 8;
    size_t c = (size_t)r * (size_t)j->w + (size_t)x;
    int self = (j->cls[c] & C_BG) != 0;
    double s4 = 0, sd = 0, s11 = 0;
    memset(st, 0, sizeof(*st));
    f->window = 0;
    for (int h = hmin; h <= hmax; h++) {
        int xa = x - h < 0 ? 0 : x - h, xb = x + h >= j->w ? j->w - 1 : x + h;
        int ya = r - h < j->r0 ? j->r0 : r - h, yb = r + h >= j->r1 ? j->r1 - 1 : r + h;
        int n = (int)RECT(j->sn, xa, ya, xb, yb) - self;
        int total = (xb - xa + 1) * (yb - ya + 1) - 1;
        st->xa = xa, st->xb = xb, st->ya = ya, st->yb = yb;
        st->nbg = n;
        st->total = total;
        s4 = RECT(j->s4, xa, ya, xb, yb) - (self ? j->bt4[c] : 0);
        sd = RECT(j->sd, xa, ya, xb, yb) - (self ? (double)j->bt4[c] - j->bt11[c] : 0);
        s11 = RECT(j->s11, xa, ya, xb, yb) - (self ? j->bt11[c] : 0);
        if (n >= minn && 4 * n >= total) {
            f->window = 2 * h + 1;
            break;
        }
    }
    f->nbg = st->nbg;
    f->mean4 = f->mean_d = f->mean11 = f->mad4 = f->mad_d = f->mad11 = NAN;
    f->mad4_fire = 0;
    if (st->nbg > 0) {
        double m4 = s4 / st->nbg, md = sd / st->nbg, m11 = s11 / st->nbg;
        double a4 = 0, ad = 0, a11 = 0, sf = 0;
        for (int y = st->ya; y <= st->yb; y++)
            for (int xx = st->xa; xx <= st->xb; xx++) {
                size_t i = (size_t)y * (size_t)j->w + (size_t)xx;
                if (i == c)
                    continue;
                if (j->cls[i] & C_BG) {
                    a4 += fabs(j->bt4[i] - m4);
                    ad += fabs((double)j->bt4[i] - j->bt11[i] - md);
                    a11 += fabs(j->bt11[i] - m11);
                }
                if (j->cls[i] & C_BGFIRE && !(j->cls[i] & (C_CLOUD | C_WATER))) {
                    st->nfire++;
                    sf += j->bt4[i];
                }
                if (j->cls[i] & C_WATER)
                    st->nwater++;
            }
        f->mean4 = (float)m4;
        f->mean_d = (float)md;
        f->mean11 = (float)m11;
        f->mad4 = (float)(a4 / st->nbg);
        f->mad_d = (float)(ad / st->nbg);
        f->mad11 = (float)(a11 / st->nbg);
        if (st->nfire > 0) {
            double mf = sf / st->nfire, af = 0;
            for (int y = st->ya; y <= st->yb; y++)
                for (int xx = st->xa; xx <= st->xb; xx++) {
                    size_t i = (size_t)y * (size_t)j->w + (size_t)xx;
                    if (i != c && j->cls[i] & C_BGFIRE && !(j->cls[i] & (C_CLOUD | C_WATER)))
                        af += fabs(j->bt4[i] - mf);
                }
            st->mean_fire = (float)mf;
            f->mad4_fire = (float)(af / st->nfire);
        }
    }
    /* the 8 neighbours: cloud and water (MODIS confidence, Giglio et al. 2003, 2.2.8) */
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx, y = r + dy;
            size_t i;
            if ((dx == 0 && dy == 0) || xx < 0 || xx >= j->w || y < 0 || y >= j->sw->rows)
                continue;
            i = (size_t)y * (size_t)j->w + (size_t)xx;
            st->adj_cloud += (j->cls[i] & C_CLOUD) != 0;
            st->adj_water += (j->cls[i] & C_WATER) != 0;
        }
}

/* The clear land BT4 of a VIIRS swath's rows [ra, rb) in hundredths of a kelvin (0: cloud,
 * water or invalid), into rows [ra, rb) of q (a plane of the same width whose row 0 is swath
 * row q_r0): what the BT4S median is taken over. */
static void fill_compact(const job *j, int ra, int rb, uint16_t *q, int q_r0)
{
    for (int r = ra; r < rb; r++)
        for (int x = 0; x < j->w; x++) {
            size_t i = (size_t)r * (size_t)j->w + (size_t)x;
            double v = j->bt4[i] * 100.0;
            q[(size_t)(r - q_r0) * (size_t)j->w + (size_t)x] =
                (j->cls[i] & (C_VALID | C_CLOUD | C_WATER)) == C_VALID
                    ? (uint16_t)(v < 1       ? 1
                                 : v > 65535 ? 65535
                                             : lrint(v))
                    : 0;
        }
}

/* Schroeder et al. 2014, section 3.3: BT4S = min(330, max(325, median BT4)) over the clear
 * land pixels of the 501 x 501 window around (x, y) in plane q (w x rows), by a histogram of
 * its hundredths of a kelvin (hist: 65536 counters). */
static float bt4s(const uint16_t *q, int w, int rows, int x, int y, uint32_t *hist)
{
    int xa = x - 250 < 0 ? 0 : x - 250, xb = x + 250 >= w ? w - 1 : x + 250;
    int ya = y - 250 < 0 ? 0 : y - 250, yb = y + 250 >= rows ? rows - 1 : y + 250;
    size_t n = 0, lo, hi, seen = 0;
    double med = 0;
    int vlo = -1, vhi = -1;
    memset(hist, 0, 65536 * sizeof(*hist));
    for (int yy = ya; yy <= yb; yy++)
        for (int xx = xa; xx <= xb; xx++) {
            uint16_t v = q[(size_t)yy * (size_t)w + (size_t)xx];
            if (v) {
                hist[v]++;
                n++;
            }
        }
    if (n == 0)
        return 325;
    lo = (n - 1) / 2; /* the middle value, or the two middle values */
    hi = n / 2;
    for (int v = 1; v < 65536 && vhi < 0; v++) {
        seen += hist[v];
        if (vlo < 0 && seen > lo)
            vlo = v;
        if (seen > hi)
            vhi = v;
    }
    med = (vlo + vhi) / 200.0;
    return (float)(med < 325 ? 325 : med > 330 ? 330 : med);
}

/* Settle the pending pixels of list[from..] with the plane q (w x rows, row 0 = granule row
 * q_y0): a candidate only if BT4 > BT4S; one that is not is dropped unless a fixed-threshold
 * test made it a fire. */
static hy_status resolve(const hy_ctx *ctx, hy_thermal_fires *list, size_t from, const uint16_t *q,
                         int w, int rows, int q_y0)
{
    uint32_t *hist = NULL;
    size_t o = from;
    for (size_t k = from; k < list->n; k++) {
        hy_thermal_fire f = list->v[k];
        if (f.bits & TF_PENDING) {
            if (!hist && !(hist = hy__malloc(ctx, 65536 * sizeof(*hist))))
                return HY_ENOMEM;
            f.bt4_threshold = bt4s(q, w, rows, f.x, f.y - q_y0, hist);
            f.bits &= ~TF_PENDING;
            if (!(f.bt4 > f.bt4_threshold)) {
                f.bits &= ~(HY_TFIRE_CANDIDATE | HY_TFIRE_CONTEXT | HY_TFIRE_GLINT |
                            HY_TFIRE_DESERT | HY_TFIRE_FIRE);
                if (!(f.bits & (HY_TFIRE_SATURATED | HY_TFIRE_FOLDED)))
                    continue; /* not a candidate after all: not kept even with keep */
                f.bits |= HY_TFIRE_FIRE;
            }
        }
        list->v[o++] = f;
    }
    list->n = o;
    hy__free(ctx, hist);
    return HY_OK;
}

double hy_glint_angle(double sza_deg, double vza_deg, double raa_deg)
{
    const double k = M_PI / 180;
    double c = cos(vza_deg * k) * cos(sza_deg * k) -
               sin(vza_deg * k) * sin(sza_deg * k) * cos(raa_deg * k);
    return acos(c > 1 ? 1 : c < -1 ? -1 : c) / k;
}

/* Giglio et al. 2003, section 2.2.6: sun glint. */
static int glint(const job *j, size_t i, const stats *st)
{
    double g = hy_glint_angle(j->sza[i], j->vza[i], j->raa[i]);
    return g < 2 || (g < 8 && j->red[i] > 0.1f && j->nir[i] > 0.2f && j->swir[i] > 0.12f) ||
           (g < 12 && st->nwater > 0);
}

/* Giglio et al. 2003, section 2.2.7: desert boundary. */
static int desert(const job *j, size_t i, const stats *st, const hy_thermal_fire *f)
{
    return st->nfire > 0.1 * st->nbg && st->nfire >= 4 && j->nir[i] > 0.15f &&
           st->mean_fire < 345 && f->mad4_fire < 3 && j->bt4[i] < st->mean_fire + 6 * f->mad4_fire;
}

static double ramp(double x, double a, double b)
{
    return x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a);
}

static double haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double k = M_PI / 180, r_km = 6371.0088;
    double a = sin((lat2 - lat1) * k / 2), b = sin((lon2 - lon1) * k / 2);
    double h = a * a + cos(lat1 * k) * cos(lat2 * k) * b * b;
    return 2 * r_km * asin(sqrt(h > 1 ? 1 : h));
}

/* The pixel's size from its neighbours' centres: along scan from the same row, along track
 * from the next row of the same scan (the previous one at a scan's last row). */
static void pixel_size(const job *j, const hy_granule_info *info, int x, int r, hy_thermal_fire *f)
{
    const hy_swath *sw = j->sw;
    int xa = x > 0 ? x - 1 : x, xb = x + 1 < sw->width ? x + 1 : x;
    int y = sw->y0 + r, rr;
    size_t a = (size_t)r * (size_t)sw->width;
    f->scan_km = f->track_km = NAN;
    if (xb > xa)
        f->scan_km = (float)(haversine_km(j->lat[a + (size_t)xa], j->lon[a + (size_t)xa],
                                          j->lat[a + (size_t)xb], j->lon[a + (size_t)xb]) /
                             (xb - xa));
    rr = info->scan_rows > 1 && y % info->scan_rows < info->scan_rows - 1 ? r + 1 : r - 1;
    if (rr < 0 || rr >= sw->rows)
        rr = rr == r + 1 ? r - 1 : r + 1;
    if (rr >= 0 && rr < sw->rows) {
        size_t b = (size_t)rr * (size_t)sw->width + (size_t)x;
        f->track_km =
            (float)haversine_km(j->lat[a + (size_t)x], j->lon[a + (size_t)x], j->lat[b], j->lon[b]);
    }
    if (!(f->scan_km > 0))
        f->scan_km = (float)(info->nadir_m / 1000);
    if (!(f->track_km > 0))
        f->track_km = (float)(info->nadir_m / 1000);
}

/* Test one pixel; 1 when it is kept (a fire, or a rejected candidate with keep). */
static int test_pixel(job *j, const hy_granule_info *info, int x, int r, int keep,
                      hy_thermal_fire *f)
{
    size_t i = (size_t)r * (size_t)j->w + (size_t)x;
    uint8_t c = j->cls[i];
    int day = (c & C_DAY) != 0, cand = 0, fire = 0, ctx_ok = 0;
    float t4 = j->bt4[i], t11 = j->bt11[i], d = t4 - t11;
    stats st;
    if (!(c & C_VALID))
        return 0;
    memset(f, 0, sizeof(*f));
    f->x = x;
    f->y = j->sw->y0 + r;
    f->bt4 = t4;
    f->bt11 = t11;
    f->bt4_threshold = NAN;
    if (day)
        f->bits |= HY_TFIRE_DAY;
    if (c & C_WATER)
        f->bits |= HY_TFIRE_WATER;

    if (j->viirs) {
        int sat = (j->sw->flags[i] & HY_SW_SAT4) != 0;
        /* section 3.2: fixed thresholds */
        if (sat && (!day || (t11 > 290 && j->red[i] + j->nir[i] < 0.7f)))
            f->bits |= HY_TFIRE_SATURATED;
        if (d < 0 && t11 > (day ? 325 : 310))
            f->bits |= HY_TFIRE_FOLDED;
        if (!day && !sat && t4 > 320)
            f->bits |= HY_TFIRE_FIXED;
        /* section 3.3: candidates (clear pixels) */
        if (!(c & C_CLOUD)) {
            if (day) {
                if (d > 25 || t4 > 330) {
                    cand = 1;
                } else if (t4 > 325) {
                    cand = 1; /* if BT4 > BT4S: settled by resolve() */
                    f->bits |= TF_PENDING;
                }
            } else {
                cand = t4 > 295 || d > 10;
            }
        }
    } else if (!(c & (C_CLOUD | C_WATER))) {
        /* Giglio et al. 2016, section 2.2.2: potential fires; 2.2.3: absolute threshold */
        cand = day ? t4 > 310 && d > 10 && j->nir[i] < 0.3f : t4 > 305 && d > 10;
        if (cand && t4 > (day ? 360 : 320))
            f->bits |= HY_TFIRE_FIXED;
    }
    if (cand)
        f->bits |= HY_TFIRE_CANDIDATE;
    if (!cand && !(f->bits & (HY_TFIRE_FIXED | HY_TFIRE_SATURATED | HY_TFIRE_FOLDED)))
        return 0;

    window_stats(j, x, r, f, &st);
    if (cand && f->window > 0) {
        double m = f->mean_d, dd = f->mad_d, m4 = f->mean4, d4 = f->mad4;
        if (j->viirs) /* Schroeder et al. 2014, section 3.4 */
            ctx_ok = day ? d > m + 2 * dd && d > m + 10 && t4 > m4 + 3.5 * d4 &&
                               (t11 > f->mean11 + f->mad11 - 4 || f->mad4_fire > 5)
                         : d > m + 3 * dd && d > m + 9 && t4 > m4 + 3 * d4;
        else /* Giglio et al. 2003, section 2.2.5, tests 2-6 */
            ctx_ok = d > m + 3.5 * dd && d > m + 6 && t4 > m4 + 3 * d4 &&
                     (!day || t11 > f->mean11 + f->mad11 - 4 || f->mad4_fire > 5);
        if (ctx_ok)
            f->bits |= HY_TFIRE_CONTEXT;
    }
    fire =
        (f->bits & (HY_TFIRE_FIXED | HY_TFIRE_SATURATED | HY_TFIRE_FOLDED | HY_TFIRE_CONTEXT)) != 0;
    if (fire && day && (f->bits & (HY_TFIRE_FIXED | HY_TFIRE_CONTEXT))) {
        if (glint(j, i, &st))
            f->bits |= HY_TFIRE_GLINT;
        if (st.nbg > 0 && desert(j, i, &st, f))
            f->bits |= HY_TFIRE_DESERT;
    }

    if (j->viirs) {
        if (f->bits & (HY_TFIRE_SATURATED | HY_TFIRE_FOLDED))
            f->conf_class = 'h';
        else if (f->bits & (HY_TFIRE_GLINT | HY_TFIRE_DESERT) || !(t4 - f->mean4 > 15))
            f->conf_class = 'l'; /* section 3.5: glint, or a weak (<= 15 K) BT4 anomaly */
        else
            f->conf_class = 'n';
        f->confidence = f->conf_class == 'h' ? 90.0f : f->conf_class == 'n' ? 60.0f : 30.0f;
    } else {
        if (f->bits & (HY_TFIRE_GLINT | HY_TFIRE_DESERT))
            fire = 0; /* MODIS rejects them */
        if (fire) {
            /* Giglio et al. 2003, section 2.2.8 */
            double z4 = f->mad4 > 0 ? (t4 - f->mean4) / f->mad4 : f->window ? 1e9 : NAN;
            double zd = f->mad_d > 0 ? (d - f->mean_d) / f->mad_d : f->window ? 1e9 : NAN;
            double c1 = day ? ramp(t4, 310, 340) : ramp(t4, 305, 320);
            double c2 = z4 == z4 ? ramp(z4, 2.5, 6) : 1, c3 = zd == zd ? ramp(zd, 3, 6) : 1;
            double conf;
            if (day)
                conf = pow(c1 * c2 * c3 * (1 - ramp(st.adj_cloud, 0, 6)) *
                               (1 - ramp(st.adj_water, 0, 6)),
                           1.0 / 5);
            else
                conf = pow(c1 * c2 * c3, 1.0 / 3);
            f->confidence = (float)(100 * conf);
            f->conf_class = f->confidence < 30 ? 'l' : f->confidence < 80 ? 'n' : 'h';
        }
    }
    if (!fire && !keep)
        return 0;
    if (fire)
        f->bits |= HY_TFIRE_FIRE;
    f->lat = j->lat[i];
    f->lon = j->lon[i];
    pixel_size(j, info, x, r, f);
    f->frp_mw = NAN;
    if (f->nbg > 0 && fire) {
        double b = f->mean4;
        f->frp_mw = (float)(4.34e-19 * (pow(t4, 8) - pow(b, 8)) * f->scan_km * f->track_km);
    }
    return 1;
}

/* Point a job at a swath's planes; HY_EINVAL if one the sensor needs is missing. */
static hy_status job_init(job *j, const hy_granule_info *info, const hy_swath *sw)
{
    memset(j, 0, sizeof(*j));
    j->sw = sw;
    j->viirs = info->sensor == HY_SENSOR_VIIRS;
    j->w = sw->width;
    j->bt4 = sw->plane[HY_SW_BT4];
    j->bt11 = sw->plane[HY_SW_BT11];
    j->bt12 = sw->plane[HY_SW_BT12];
    j->red = sw->plane[HY_SW_RED];
    j->nir = sw->plane[HY_SW_NIR];
    j->swir = sw->plane[HY_SW_SWIR];
    j->sza = sw->plane[HY_SW_SZA];
    j->vza = sw->plane[HY_SW_VZA];
    j->raa = sw->plane[HY_SW_RAA];
    j->lat = sw->plane[HY_SW_LAT];
    j->lon = sw->plane[HY_SW_LON];
    if (!j->bt4 || !j->bt11 || (!j->viirs && !j->bt12) || !j->red || !j->nir || !j->swir ||
        !j->sza || !j->vza || !j->raa || !j->lat || !j->lon)
        return HY_EINVAL;
    return HY_OK;
}

/* Test swath rows [halo_top, rows - halo_bottom) into out. With q (VIIRS), first write the
 * clear land BT4 of swath rows [qa, qb) into q, whose row 0 is swath row qa. */
static hy_status test_strip(const hy_ctx *ctx, const hy_granule_info *info, const hy_swath *sw,
                            int keep, uint16_t *q, int qa, int qb, hy_thermal_fires *out)
{
    job j;
    size_t n, tn;
    int hmax;
    hy_status st = job_init(&j, info, sw);
    if (st != HY_OK)
        return st;
    hmax = j.viirs ? 15 : 10;
    j.r0 = sw->halo_top - hmax < 0 ? 0 : sw->halo_top - hmax;
    j.r1 =
        sw->rows - sw->halo_bottom + hmax > sw->rows ? sw->rows : sw->rows - sw->halo_bottom + hmax;
    n = (size_t)sw->rows * (size_t)sw->width;
    tn = (size_t)(j.r1 - j.r0 + 1) * (size_t)(j.w + 1);
    j.cls = hy__malloc(ctx, n);
    j.sn = hy__malloc(ctx, tn * sizeof(int32_t));
    j.s4 = hy__malloc(ctx, tn * sizeof(double));
    j.sd = hy__malloc(ctx, tn * sizeof(double));
    j.s11 = hy__malloc(ctx, tn * sizeof(double));
    if (!j.cls || !j.sn || !j.s4 || !j.sd || !j.s11) {
        st = HY_ENOMEM;
        goto done;
    }
    classify(&j);
    build_tables(&j);
    if (q)
        fill_compact(&j, qa, qb, q, qa);
    for (int r = sw->halo_top; r < sw->rows - sw->halo_bottom && st == HY_OK; r++)
        for (int x = 0; x < sw->width && st == HY_OK; x++) {
            hy_thermal_fire f;
            if (test_pixel(&j, info, x, r, keep, &f))
                st = push_fire(ctx, out, &f);
        }
done:
    hy__free(ctx, j.cls);
    hy__free(ctx, j.sn);
    hy__free(ctx, j.s4);
    hy__free(ctx, j.sd);
    hy__free(ctx, j.s11);
    return st;
}

hy_status hy_fire_thermal_swath(const hy_ctx *ctx, const hy_granule_info *info, const hy_swath *sw,
                                const hy_fire_thermal_config *cfg, hy_thermal_fires *out)
{
    hy_fire_thermal_config def;
    uint16_t *q = NULL;
    size_t from;
    hy_status st;
    if (!ctx || !info || !sw || !out || !sw->flags || sw->rows <= 0 || sw->width <= 0 ||
        sw->halo_top < 0 || sw->halo_bottom < 0 || sw->halo_top + sw->halo_bottom >= sw->rows)
        return HY_EINVAL;
    if (info->sensor != HY_SENSOR_VIIRS && info->sensor != HY_SENSOR_MODIS)
        return HY_EINVAL;
    if (!cfg) {
        hy_fire_thermal_config_init(&def);
        cfg = &def;
    }
    from = out->n;
    /* VIIRS: the median is over every row the swath holds, halo included */
    if (info->sensor == HY_SENSOR_VIIRS &&
        !(q = hy__malloc(ctx, (size_t)sw->rows * (size_t)sw->width * sizeof(*q))))
        return HY_ENOMEM;
    st = test_strip(ctx, info, sw, cfg->keep_rejected, q, 0, sw->rows, out);
    if (st == HY_OK && q)
        st = resolve(ctx, out, from, q, sw->width, sw->rows, sw->y0);
    hy__free(ctx, q);
    return st;
}

/* The detection of one fire pixel. */
static void to_detection(const hy_granule_info *info, const hy_thermal_fire *f, hy_detection *d)
{
    static const struct {
        uint32_t bit;
        const char *name;
    } names[] = {{HY_TFIRE_SATURATED, "saturated"}, {HY_TFIRE_FOLDED, "folded"},
                 {HY_TFIRE_FIXED, "fixed"},         {HY_TFIRE_CANDIDATE, "candidate"},
                 {HY_TFIRE_CONTEXT, "context"},     {HY_TFIRE_GLINT, "glint"},
                 {HY_TFIRE_DESERT, "desert"},       {HY_TFIRE_WATER, "water"}};
    size_t len;
    hy_detection_init(d);
    d->kind = HY_KIND_FIRE;
    d->source_type = HY_SOURCE_SATELLITE;
    snprintf(d->source_id, sizeof(d->source_id), "%s", info->product_id);
    d->sensor = info->sensor;
    d->time = info->time;
    d->bbox[0] = f->x;
    d->bbox[1] = f->y;
    d->bbox[2] = d->bbox[3] = 1;
    d->pixels = 1;
    d->px = f->x + 0.5;
    d->py = f->y + 0.5;
    d->lat = f->lat;
    d->lon = f->lon;
    d->confidence = info->sensor == HY_SENSOR_VIIRS ? (f->conf_class == 'h'   ? 0.9
                                                       : f->conf_class == 'n' ? 0.6
                                                                              : 0.3)
                                                    : f->confidence / 100.0;
    d->bt4_k = f->bt4;
    d->bt11_k = f->bt11;
    d->frp_mw = f->frp_mw;
    d->scan_km = f->scan_km;
    d->track_km = f->track_km;
    d->area_m2 = (double)f->scan_km * f->track_km * 1e6;
    d->daynight = f->bits & HY_TFIRE_DAY ? 'D' : 'N';
    snprintf(d->tests, sizeof(d->tests), "%s", f->bits & HY_TFIRE_DAY ? "day" : "night");
    len = strlen(d->tests);
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (f->bits & names[k].bit && len + strlen(names[k].name) + 2 < sizeof(d->tests)) {
            snprintf(d->tests + len, sizeof(d->tests) - len, ",%s", names[k].name);
            len = strlen(d->tests);
        }
}

/* Strips of a granule tested in parallel: one granule handle per worker, each strip's pixels
 * in its own list (joined in strip order, so the result does not depend on the threads). */
typedef struct strips {
    const hy_ctx *ctx;
    const hy_granule_info *info;
    hy_granule **handles; /* one per worker */
    int rows, halo, keep;
    uint16_t *q; /* VIIRS: the granule's clear land BT4, for the medians */
    hy_thermal_fires *lists;
    hy_status *status;
} strips;

static void run_strip(void *user, size_t i, int worker)
{
    strips *s = user;
    int y = (int)i * s->rows;
    int rows = y + s->rows > s->info->height ? s->info->height - y : s->rows;
    hy_swath sw;
    hy_status st = hy_granule_read(s->handles[worker], y, rows, s->halo, &sw);
    if (st == HY_OK) {
        st = test_strip(s->ctx, s->info, &sw, s->keep,
                        s->q ? s->q + (size_t)y * (size_t)sw.width : NULL, sw.halo_top,
                        sw.rows - sw.halo_bottom, &s->lists[i]);
        hy_swath_free(s->ctx, &sw);
    }
    s->status[i] = st;
}

hy_status hy_fire_thermal_detect(const hy_ctx *ctx, hy_granule *g,
                                 const hy_fire_thermal_config *cfg, hy_detections *out,
                                 hy_thermal_fires *pixels)
{
    hy_fire_thermal_config def;
    hy_thermal_fires fires = {0};
    hy_pool *pool = NULL;
    strips s;
    size_t nstrips;
    int nworkers = 0;
    hy_status st = HY_OK;
    if (!ctx || !g || !out)
        return HY_EINVAL;
    if (!cfg) {
        hy_fire_thermal_config_init(&def);
        cfg = &def;
    }
    memset(&s, 0, sizeof(s));
    s.ctx = ctx;
    s.info = hy_granule_info_get(g);
    s.rows = cfg->strip_rows > 0 ? cfg->strip_rows : 256;
    s.halo = s.info->sensor == HY_SENSOR_VIIRS ? HY_TFIRE_VIIRS_HALO : HY_TFIRE_MODIS_HALO;
    s.keep = cfg->keep_rejected;
    nstrips = (size_t)((s.info->height + s.rows - 1) / s.rows);
    s.lists = hy__calloc(ctx, nstrips, sizeof(*s.lists));
    s.status = hy__calloc(ctx, nstrips, sizeof(*s.status));
    if (s.info->sensor == HY_SENSOR_VIIRS)
        s.q = hy__malloc(ctx, (size_t)s.info->width * (size_t)s.info->height * sizeof(*s.q));
    if (!s.lists || !s.status || (s.info->sensor == HY_SENSOR_VIIRS && !s.q)) {
        st = HY_ENOMEM;
        goto done;
    }
    if ((st = hy_pool_create(ctx, &pool)) != HY_OK)
        goto done;
    nworkers = hy_pool_workers(pool);
    if ((size_t)nworkers > nstrips)
        nworkers = (int)nstrips;
    s.handles = hy__calloc(ctx, (size_t)hy_pool_workers(pool), sizeof(*s.handles));
    if (!s.handles) {
        st = HY_ENOMEM;
        goto done;
    }
    s.handles[0] = g;
    for (int w = 1; w < hy_pool_workers(pool) && st == HY_OK; w++)
        st = w < nworkers ? hy_granule_clone(g, &s.handles[w]) : HY_OK;
    if (st != HY_OK)
        goto done;
    for (int w = nworkers; w < hy_pool_workers(pool); w++)
        s.handles[w] = g; /* never used: fewer strips than workers means no work for them */
    if (nworkers < hy_pool_workers(pool)) {
        /* a pool runs items on any worker: with fewer strips than workers run them here */
        for (size_t i = 0; i < nstrips; i++)
            run_strip(&s, i, 0);
    } else {
        hy_pool_run(pool, nstrips, run_strip, &s);
    }
    for (size_t i = 0; i < nstrips && st == HY_OK; i++) {
        st = s.status[i];
        for (size_t k = 0; k < s.lists[i].n && st == HY_OK; k++)
            st = push_fire(ctx, &fires, &s.lists[i].v[k]);
    }
    hy__log(ctx, HY_LOG_DEBUG, "%s: %zu strips of %d rows on %d workers, %zu pixels",
            s.info->product_id, nstrips, s.rows, nworkers, fires.n);
    if (st == HY_OK && s.q)
        st = resolve(ctx, &fires, 0, s.q, s.info->width, s.info->height, 0);
    for (size_t k = 0; k < fires.n && st == HY_OK; k++) {
        hy_detection d;
        if (!(fires.v[k].bits & HY_TFIRE_FIRE))
            continue;
        to_detection(s.info, &fires.v[k], &d);
        st = hy_detections_push(ctx, out, &d);
    }
done:
    if (st != HY_OK && s.status)
        for (size_t i = 0; i < nstrips; i++)
            if (s.status[i] != HY_OK)
                hy__log(ctx, HY_LOG_ERROR, "%s: strip %zu: %s", s.info->product_id, i,
                        hy_granule_errmsg(g));
    if (s.handles)
        for (int w = 1; w < nworkers; w++)
            hy_granule_destroy(s.handles[w]);
    hy__free(ctx, s.handles);
    hy_pool_destroy(pool);
    if (s.lists)
        for (size_t i = 0; i < nstrips; i++)
            hy_thermal_fires_free(ctx, &s.lists[i]);
    hy__free(ctx, s.lists);
    hy__free(ctx, s.status);
    hy__free(ctx, s.q);
    if (st == HY_OK && pixels)
        *pixels = fires;
    else
        hy_thermal_fires_free(ctx, &fires);
    return st;
}
