/* detect/fire_oli_rules.c - the per-pixel rules of the Landsat OLI fire algorithms other than
 * the Schroeder kernel, and each algorithm's background for its contextual test. Plain C over a
 * whole tile; thresholds from ../shared/REFERENCES.md with the paper and equation named. */
#include "detect/detect_internal.h"

#include <math.h>
#include <string.h>

#define AT(role, i) (t->band[role][(i)])

const char *hy_fire_oli_algorithm_name(hy_fire_oli_algorithm a)
{
    static const char *const names[] = {"schroeder", "kumar_roy", "murphy", "sahm",
                                        "tai",       "cropland",  "hu",     "auto"};
    return (unsigned)a < 8 ? names[a] : "unknown";
}

hy_status hy_fire_oli_algorithm_parse(const char *s, hy_fire_oli_algorithm *out)
{
    for (int a = HY_FIRE_OLI_SCHROEDER; a <= HY_FIRE_OLI_AUTO; a++) {
        if (s && strcmp(s, hy_fire_oli_algorithm_name((hy_fire_oli_algorithm)a)) == 0) {
            *out = (hy_fire_oli_algorithm)a;
            return HY_OK;
        }
    }
    return HY_EINVAL;
}

unsigned hy_fire_oli_bands(hy_fire_oli_algorithm a)
{
    const unsigned swir = (1u << HY_BAND_SWIR1) | (1u << HY_BAND_SWIR2);
    switch (a) {
    case HY_FIRE_OLI_SCHROEDER: /* eq. 1-2 and the water test: B1..B7 */
        return 0x7f;
    case HY_FIRE_OLI_KUMAR_ROY: /* B2..B7 (water: rho2 > rho3 > rho4 > rho5) */
        return 0x7e;
    case HY_FIRE_OLI_MURPHY:
        return swir | (1u << HY_BAND_NIR);
    case HY_FIRE_OLI_SAHM:
        return swir;
    case HY_FIRE_OLI_TAI:
        return swir | (1u << HY_BAND_NIR);
    case HY_FIRE_OLI_CROPLAND:
    case HY_FIRE_OLI_HU:
        return swir | (1u << HY_BAND_RED);
    default:
        return 0;
    }
}

/* SAHM (REFERENCES.md): (B12 - B11) / (B12 + B11) > 0.4, or B12 > 1.0 (saturated, very hot).
 * HY_FIRE_UNAMBIGUOUS1 marks the index clause, HY_FIRE_UNAMBIGUOUS2 the saturation clause. */
void hy__oli_classify_sahm(const hy_tile *t, uint8_t *bits)
{
    for (int y = 0; y < t->height; y++) {
        for (int x = 0; x < t->width; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float b11 = AT(HY_BAND_SWIR1, o), b12 = AT(HY_BAND_SWIR2, o);
            unsigned b = 0;
            if (t->valid[o]) {
                if ((b12 - b11) / (b12 + b11) > 0.4f)
                    b |= HY_FIRE_UNAMBIGUOUS1;
                if (b12 > 1.0f)
                    b |= HY_FIRE_UNAMBIGUOUS2;
            }
            bits[(size_t)y * t->width + x] = (uint8_t)b;
        }
    }
}

/* huoyan's temperate-cropland rule for Sentinel-2, in the form of Hu, Ban & Nascetti 2021's
 * biome rules, which give no parameters for cropland: B4 <= a B12 + b and B12 >= B11, with a
 * and b derived by models/fire_msi_cropland/derive.py from the earthlib spectra and a
 * 1000 K flaming fraction (the script's README says how; tests check these constants against
 * its params.json). */
const double hy__cropland_a = 1.18, hy__cropland_b = -0.6239;

void hy__oli_classify_cropland(const hy_tile *t, uint8_t *bits)
{
    const float a = (float)hy__cropland_a, b = (float)hy__cropland_b;
    for (int y = 0; y < t->height; y++) {
        for (int x = 0; x < t->width; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float b4 = AT(HY_BAND_RED, o), b11 = AT(HY_BAND_SWIR1, o);
            const float b12 = AT(HY_BAND_SWIR2, o);
            bits[(size_t)y * t->width + x] =
                t->valid[o] && b4 <= a * b12 + b && b12 >= b11 ? HY_FIRE_UNAMBIGUOUS1 : 0;
        }
    }
}

const char *hy_fire_biome_name(hy_fire_biome b)
{
    static const char *const names[] = {"tropical_moist", "savanna", "mediterranean",
                                        "temperate_conifer", "boreal"};
    return (unsigned)b < 5 ? names[b] : "unknown";
}

hy_status hy_fire_biome_parse(const char *s, hy_fire_biome *out)
{
    for (int b = HY_BIOME_TROPICAL_MOIST; b <= HY_BIOME_BOREAL; b++) {
        if (s && strcmp(s, hy_fire_biome_name((hy_fire_biome)b)) == 0) {
            *out = (hy_fire_biome)b;
            return HY_OK;
        }
    }
    return HY_EINVAL;
}

/* Hu, Ban & Nascetti 2021, the biome rules (REFERENCES.md): B4 <= a B12 + b, with the extra
 * conditions of the tropical moist and Mediterranean biomes. */
void hy__oli_classify_hu(const hy_tile *t, uint8_t *bits, hy_fire_biome biome)
{
    static const float ab[5][2] = {{1.045f, -0.071f},
                                   {0.677f, -0.052f},
                                   {0.743f, -0.068f},
                                   {0.504f, -0.198f},
                                   {0.727f, -0.11f}};
    const float a = ab[biome][0], b = ab[biome][1];
    for (int y = 0; y < t->height; y++) {
        for (int x = 0; x < t->width; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float b4 = AT(HY_BAND_RED, o), b11 = AT(HY_BAND_SWIR1, o);
            const float b12 = AT(HY_BAND_SWIR2, o);
            int fire = t->valid[o] && b4 <= a * b12 + b;
            if (biome == HY_BIOME_TROPICAL_MOIST)
                fire = fire && b12 / b11 >= 1.0f;
            else if (biome == HY_BIOME_MEDITERRANEAN)
                fire = fire && b12 >= 0.355f && (b11 >= 0.475f || b12 >= 1.0f);
            bits[(size_t)y * t->width + x] = fire ? HY_FIRE_UNAMBIGUOUS1 : 0;
        }
    }
}

/* Liu et al.'s TAI (REFERENCES.md), over a whole tile:
 * 1. TAI = (B12 - B11) / B8A;
 * 2. seeds: TAI - mean(TAI over the 15 x 15 window, clipped at the tile) > 0.45;
 * 3. fire: within 15 pixels (Euclidean) of a seed, TAI >= 0.45 and B12 - B11 > B11 - B8A and
 *    B12 > 0.15;
 * 4. saturated 3 x 3 neighbours of fires (B12 >= 1.0) are added (HY_FIRE_NEIGHBOUR);
 * dark pixels (B11 <= 0.05 or B8A <= 0.01: water, shadow) never count.
 * tai (w * h floats), seed (w * h bytes) and sat (2 (w + 1)(h + 1) doubles) are scratch. */
void hy__oli_classify_tai(const hy_tile *t, uint8_t *bits, float *tai, uint8_t *seed, double *sat)
{
    const int w = t->width, h = t->height, W = w + 1;
    const size_t plane = (size_t)W * (size_t)(h + 1);
    memset(sat, 0, 2 * plane * sizeof(double));
    for (int y = 0; y < h; y++) {
        double n = 0, sum = 0;
        for (int x = 0; x < w; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float b8a = AT(HY_BAND_NIR, o), b11 = AT(HY_BAND_SWIR1, o);
            const float b12 = AT(HY_BAND_SWIR2, o);
            const size_t i = (size_t)y * w + x, at = (size_t)(y + 1) * W + x + 1;
            const int ok = t->valid[o] && b11 > 0.05f && b8a > 0.01f;
            tai[i] = ok ? (b12 - b11) / b8a : NAN;
            if (ok) {
                n += 1;
                sum += tai[i];
            }
            sat[at] = sat[at - W] + n;
            sat[plane + at] = sat[plane + at - W] + sum;
        }
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const int x0 = x - 7 < 0 ? 0 : x - 7, y0 = y - 7 < 0 ? 0 : y - 7;
            const int x1 = x + 8 > w ? w : x + 8, y1 = y + 8 > h ? h : y + 8;
            const size_t i = (size_t)y * w + x;
            const double *s = sat, *q = sat + plane;
            const double n = s[(size_t)y1 * W + x1] - s[(size_t)y0 * W + x1] -
                             s[(size_t)y1 * W + x0] + s[(size_t)y0 * W + x0];
            const double sum = q[(size_t)y1 * W + x1] - q[(size_t)y0 * W + x1] -
                               q[(size_t)y1 * W + x0] + q[(size_t)y0 * W + x0];
            seed[i] = tai[i] == tai[i] && n >= 1 && (double)tai[i] - sum / n > 0.45;
        }
    }
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const size_t i = (size_t)y * w + x;
            const float b8a = AT(HY_BAND_NIR, o), b11 = AT(HY_BAND_SWIR1, o);
            const float b12 = AT(HY_BAND_SWIR2, o);
            int near = 0;
            bits[i] = 0;
            if (!(tai[i] >= 0.45f && b12 - b11 > b11 - b8a && b12 > 0.15f))
                continue;
            for (int dy = -15; dy <= 15 && !near; dy++)
                for (int dx = -15; dx <= 15 && !near; dx++) {
                    const int yy = y + dy, xx = x + dx;
                    near = dx * dx + dy * dy <= 225 && yy >= 0 && yy < h && xx >= 0 && xx < w &&
                           seed[(size_t)yy * w + xx];
                }
            if (near)
                bits[i] = HY_FIRE_UNAMBIGUOUS1;
        }
    }
    /* saturated neighbours, from the fires of step 3 only (one ring, not a flood) */
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const size_t i = (size_t)y * w + x;
            int touch = 0;
            if (bits[i] || tai[i] != tai[i] || !(AT(HY_BAND_SWIR2, o) >= 1.0f))
                continue;
            for (int dy = -1; dy <= 1 && !touch; dy++)
                for (int dx = -1; dx <= 1 && !touch; dx++) {
                    const int yy = y + dy, xx = x + dx;
                    touch = yy >= 0 && yy < h && xx >= 0 && xx < w &&
                            bits[(size_t)yy * w + xx] & HY_FIRE_UNAMBIGUOUS1;
                }
            if (touch)
                bits[i] = HY_FIRE_NEIGHBOUR;
        }
    }
}

/* Schroeder et al. 2016, section 3.2: rho4 > rho5 > rho6 > rho7 and rho1 - rho7 < 0.2 and
 * (rho3 > rho2 or rho1 > rho2 > rho3 > rho4). */
int hy__oli_water_schroeder(float r1, float r2, float r3, float r4, float r5, float r6, float r7)
{
    return r4 > r5 && r5 > r6 && r6 > r7 && r1 - r7 < 0.2f &&
           (r3 > r2 || (r1 > r2 && r2 > r3 && r3 > r4));
}

/* Kumar & Roy 2018: water is rho2 > rho3 > rho4 > rho5. */
static int water_kumar_roy(float r2, float r3, float r4, float r5)
{
    return r2 > r3 && r3 > r4 && r4 > r5;
}

/* Mark HY_FIRE_NEIGHBOUR on pixels that pass `rule` and touch (3 x 3) an unambiguous pixel. */
static void neighbours(const hy_tile *t, uint8_t *bits, int (*rule)(const hy_tile *, ptrdiff_t))
{
    const int w = t->width, h = t->height;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            int touch = 0;
            if (bits[(size_t)y * w + x] & HY_FIRE_UNAMBIGUOUS1 || !t->valid[o] || !rule(t, o))
                continue;
            for (int dy = -1; dy <= 1 && !touch; dy++)
                for (int dx = -1; dx <= 1 && !touch; dx++) {
                    const int yy = y + dy, xx = x + dx;
                    if (yy >= 0 && yy < h && xx >= 0 && xx < w &&
                        bits[(size_t)yy * w + xx] & HY_FIRE_UNAMBIGUOUS1)
                        touch = 1;
                }
            if (touch)
                bits[(size_t)y * w + x] |= HY_FIRE_NEIGHBOUR;
        }
    }
}

/* Kumar & Roy 2018: the neighbours of unambiguous fires count if rho4 <= 0.35 rho6 - 0.044. */
static int kr_neighbour_rule(const hy_tile *t, ptrdiff_t o)
{
    return AT(HY_BAND_RED, o) <= 0.35f * AT(HY_BAND_SWIR1, o) - 0.044f;
}

void hy__oli_classify_kumar_roy(const hy_tile *t, uint8_t *bits)
{
    for (int y = 0; y < t->height; y++) {
        for (int x = 0; x < t->width; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float r4 = AT(HY_BAND_RED, o), r6 = AT(HY_BAND_SWIR1, o);
            const float r7 = AT(HY_BAND_SWIR2, o);
            unsigned b = 0;
            if (t->valid[o]) {
                /* unambiguous: rho4 <= 0.53 rho7 - 0.214 */
                if (r4 <= 0.53f * r7 - 0.214f)
                    b |= HY_FIRE_UNAMBIGUOUS1;
                /* candidate: rho4 <= 0.53 rho7 - 0.125 or rho6 <= 1.08 rho7 - 0.048 */
                if (r4 <= 0.53f * r7 - 0.125f || r6 <= 1.08f * r7 - 0.048f)
                    b |= HY_FIRE_CANDIDATE;
            }
            bits[(size_t)y * t->width + x] = (uint8_t)b;
        }
    }
    neighbours(t, bits, kr_neighbour_rule);
}

/* Murphy et al. 2016: neighbours of hot pixels count if rho6 / rho5 >= 2 and rho6 >= 0.5 (the
 * QA band's saturation flag, the paper's other way in, is not read). */
static int murphy_neighbour_rule(const hy_tile *t, ptrdiff_t o)
{
    const float r5 = AT(HY_BAND_NIR, o), r6 = AT(HY_BAND_SWIR1, o);
    return r6 / r5 >= 2.0f && r6 >= 0.5f;
}

void hy__oli_classify_murphy(const hy_tile *t, uint8_t *bits)
{
    for (int y = 0; y < t->height; y++) {
        for (int x = 0; x < t->width; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const float r5 = AT(HY_BAND_NIR, o), r6 = AT(HY_BAND_SWIR1, o);
            const float r7 = AT(HY_BAND_SWIR2, o);
            /* hot: rho7/rho6 >= 1.4 and rho7/rho5 >= 1.4 and rho7 >= 0.15 */
            const int hot = t->valid[o] && r7 / r6 >= 1.4f && r7 / r5 >= 1.4f && r7 >= 0.15f;
            bits[(size_t)y * t->width + x] = hot ? HY_FIRE_UNAMBIGUOUS1 : 0;
        }
    }
    neighbours(t, bits, murphy_neighbour_rule);
}

void hy__oli_background(const hy_tile *t, const uint8_t *bits, hy_fire_oli_algorithm a, uint8_t *bg)
{
    const int w = t->width, h = t->height;
    const unsigned fire = HY_FIRE_UNAMBIGUOUS1 | HY_FIRE_UNAMBIGUOUS2 | HY_FIRE_NEIGHBOUR;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const ptrdiff_t o = (ptrdiff_t)y * t->stride + x;
            const size_t i = (size_t)y * w + x;
            const float r1 = AT(HY_BAND_COASTAL, o), r2 = AT(HY_BAND_BLUE, o);
            const float r3 = AT(HY_BAND_GREEN, o), r4 = AT(HY_BAND_RED, o);
            const float r5 = AT(HY_BAND_NIR, o), r6 = AT(HY_BAND_SWIR1, o);
            const float r7 = AT(HY_BAND_SWIR2, o);
            int ok = t->valid[o] && r7 > 0 && r5 > 0 && !(bits[i] & fire);
            if (a == HY_FIRE_OLI_SCHROEDER) /* Schroeder et al. 2016, section 3.2 */
                ok = ok && !hy__oli_water_schroeder(r1, r2, r3, r4, r5, r6, r7);
            else /* Kumar & Roy 2018: candidates and water out too */
                ok = ok && !(bits[i] & HY_FIRE_CANDIDATE) && !water_kumar_roy(r2, r3, r4, r5);
            bg[i] = (uint8_t)ok;
        }
    }
    if (a == HY_FIRE_OLI_KUMAR_ROY) {
        /* Kumar & Roy 2018: the background is eroded 3 x 3, so that pixels next to fires,
         * water or the scene's edge do not count; done in place row by row with two saved
         * rows (bit 1 marks "was background" during the pass). */
        for (size_t i = 0; i < (size_t)w * h; i++)
            bg[i] = bg[i] ? 3 : 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int keep = bg[(size_t)y * w + x] & 2;
                for (int dy = -1; dy <= 1 && keep; dy++)
                    for (int dx = -1; dx <= 1 && keep; dx++) {
                        const int yy = y + dy, xx = x + dx;
                        keep =
                            yy >= 0 && yy < h && xx >= 0 && xx < w && (bg[(size_t)yy * w + xx] & 2);
                    }
                bg[(size_t)y * w + x] = (uint8_t)((bg[(size_t)y * w + x] & 2) | (keep ? 1 : 0));
            }
        for (size_t i = 0; i < (size_t)w * h; i++)
            bg[i] &= 1;
    }
}
