/* ingest/granule.c - swath granules of the thermal fire sensors, through GDAL's
 * multidimensional API: VIIRS 375 m I-band L1B (VNP02IMG/VJ102IMG/VJ202IMG, NetCDF4) with its
 * geolocation (VNP03IMG/...), and MODIS 1 km L1B (MOD021KM/MYD021KM, HDF4) with MOD03/MYD03.
 *
 * VIIRS (VIIRS L1B Product User Guide, NASA LAADS, v2): I1-I5 are 16-bit counts in group
 * observation_data; counts above valid_max (65527) are flags (missing, bow-tie deleted, fill).
 * I1-I3 reflectance = scale_factor * count + add_offset; I4/I5 brightness temperature =
 * I0n_brightness_temperature_lut[count]. I04_quality_flags marks saturation (the bit whose
 * flag_meanings word says "saturat"). Geolocation in group geolocation_data.
 *
 * MODIS (MODIS Level 1B Product User's Guide, MCST, 2017, section 5): reflectance =
 * reflectance_scales[b] * (count - reflectance_offsets[b]), radiance = radiance_scales[b] *
 * (count - radiance_offsets[b]) in W m-2 sr-1 um-1; counts above 32767 are flags (65533
 * detector saturated, 65535 fill, ...). The SDSs are found by name wherever they are (plain
 * SDS files, or HDF-EOS swaths whose GDAL path is HDFEOS/SWATHS/<swath>/Data Fields/<name>);
 * the band of a 3-D SDS by its band_names attribute ("20,21,22,...") or the product's fixed
 * order. Band 22 (3.96 um, saturates near 331 K) gives T4, band 21 (the low-gain fire channel)
 * where 22 is saturated or missing, as MOD14 does (Giglio et al. 2003, section 2.1). */
#include "ingest/ingest.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#define LUT_SIZE 65536

/* Planck's radiation constants for spectral radiance in W m-2 sr-1 um-1 with lambda in um:
 * c1 = 2 h c^2, c2 = h c / k (CODATA 2018). */
#define PLANCK_C1 1.191042972e8
#define PLANCK_C2 1.438776877e4

/* MODIS effective central wavelengths, um (MCST's Planck constants for the thermal bands, as
 * the MOD14 code uses them): band 21, 22, 31, 32. */
#define MODIS_L21 3.9650
#define MODIS_L22 3.9638
#define MODIS_L31 11.0186
#define MODIS_L32 12.0325

double hy_planck_bt(double lambda_um, double radiance)
{
    if (!(radiance > 0))
        return NAN;
    return PLANCK_C2 / (lambda_um * log(1 + PLANCK_C1 / (pow(lambda_um, 5) * radiance)));
}

double hy_planck_radiance(double lambda_um, double t)
{
    return PLANCK_C1 / (pow(lambda_um, 5) * (exp(PLANCK_C2 / (lambda_um * t)) - 1));
}

/* Where one plane's values come from. */
typedef struct src {
    GDALMDArrayH a;       /* NULL: absent */
    int band;             /* index along a 3-D array's first dimension; -1 for 2-D */
    double scale, offset; /* value = scale * (count - offset) (MODIS), scale * count + offset
                             (VIIRS, offset negated at open), angles: scale * raw */
    float *lut;           /* VIIRS BT look-up table by count, LUT_SIZE entries */
    double lambda;        /* MODIS thermal band: Planck wavelength, um; 0 otherwise */
    unsigned max_count;   /* counts above are flags (invalid) */
    int raw_float;        /* 1: a float array read as is (latitude, longitude) */
    GDALDataType type;    /* the array's own numeric type */
} src;

enum {
    S_BT4,
    S_BT11,
    S_BT12,
    S_RED,
    S_NIR,
    S_SWIR,
    S_B21,
    S_SZA,
    S_VZA,
    S_SAA,
    S_VAA,
    S_LAT,
    S_LON,
    S_NSRC
};

struct hy_granule {
    const hy_ctx *ctx;
    hy_granule_info info;
    GDALDatasetH l1, geo;
    src s[S_NSRC];
    GDALMDArrayH qf4;      /* VIIRS I04_quality_flags, or NULL */
    unsigned qf4_sat_mask; /* its saturation bit */
    GDALMDArrayH landwater;
    float lut4_top; /* VIIRS: the largest BT in I4's table (the saturation temperature) */
    char path[4096];
    char err[1024];
};

static hy_status fail(hy_granule *g, hy_status st, const char *fmt, ...) HY_PRINTF(3, 4);
static hy_status fail(hy_granule *g, hy_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->err, sizeof(g->err), fmt, ap);
    va_end(ap);
    return st;
}

const char *hy_granule_errmsg(const hy_granule *g)
{
    return g ? g->err : "no granule";
}

const hy_granule_info *hy_granule_info_get(const hy_granule *g)
{
    return &g->info;
}

/* ---- names ---- */

typedef struct product {
    const char *l1, *geo; /* file name prefixes */
    hy_sensor sensor;
    const char *satellite;
} product;

static const product products[] = {
    {"VNP02IMG", "VNP03IMG", HY_SENSOR_VIIRS, "N"}, {"VJ102IMG", "VJ103IMG", HY_SENSOR_VIIRS, "1"},
    {"VJ202IMG", "VJ203IMG", HY_SENSOR_VIIRS, "2"}, {"MOD021KM", "MOD03", HY_SENSOR_MODIS, "Terra"},
    {"MYD021KM", "MYD03", HY_SENSOR_MODIS, "Aqua"},
};

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static const product *product_of(const char *path)
{
    const char *b = base_name(path);
    for (size_t i = 0; i < sizeof(products) / sizeof(products[0]); i++)
        if (strncmp(b, products[i].l1, strlen(products[i].l1)) == 0 &&
            b[strlen(products[i].l1)] == '.')
            return &products[i];
    return NULL;
}

int hy_granule_is(const char *path)
{
    return path && product_of(path) != NULL;
}

/* The pass key ".AYYYYDDD.HHMM." of a LAADS file name, and its time. */
static int pass_key(const char *name, char key[16], int64_t *time)
{
    const char *p = strstr(name, ".A");
    int y, doy, hh, mm;
    if (!p || strlen(p) < 15 || sscanf(p, ".A%4d%3d.%2d%2d", &y, &doy, &hh, &mm) != 4 ||
        p[14] != '.' || doy < 1 || doy > 366 || hh > 23 || mm > 59)
        return 0;
    memcpy(key, p, 15);
    key[15] = '\0';
    if (time) {
        struct tm tm = {0};
        tm.tm_year = y - 1900;
        tm.tm_mday = 1; /* January 1, then add the days */
        *time = ((int64_t)timegm(&tm) + (int64_t)(doy - 1) * 86400 + hh * 3600 + mm * 60) * 1000000;
    }
    return 1;
}

/* The geolocation file of the same pass beside the L1 file. */
static int find_geo(hy_granule *g, const product *pr, const char *key)
{
    char dir[4096];
    const char *b = base_name(g->path);
    DIR *d;
    struct dirent *e;
    int found = 0;
    if (b == g->path)
        snprintf(dir, sizeof(dir), ".");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(b - g->path - 1), g->path);
    d = opendir(dir);
    if (!d)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, pr->geo, strlen(pr->geo)) == 0 &&
            e->d_name[strlen(pr->geo)] == '.' && strstr(e->d_name, key)) {
            snprintf(g->info.geo_path, sizeof(g->info.geo_path), "%s/%s", dir, e->d_name);
            found = 1;
            break;
        }
    }
    closedir(d);
    return found;
}

/* ---- arrays and attributes ---- */

/* An array by name in g or any group below it (HDF-EOS swaths nest their fields). */
static GDALMDArrayH find_array(GDALGroupH g, const char *name, int depth)
{
    GDALMDArrayH a = GDALGroupOpenMDArray(g, name, NULL);
    char **groups;
    if (a || depth > 6)
        return a;
    groups = GDALGroupGetGroupNames(g, NULL);
    for (char **n = groups; n && *n && !a; n++) {
        GDALGroupH sub = GDALGroupOpenGroup(g, *n, NULL);
        if (sub) {
            a = find_array(sub, name, depth + 1);
            GDALGroupRelease(sub);
        }
    }
    CSLDestroy(groups);
    return a;
}

static GDALMDArrayH open_array(GDALDatasetH ds, const char *name)
{
    GDALGroupH root = GDALDatasetGetRootGroup(ds);
    GDALMDArrayH a;
    if (!root)
        return NULL;
    a = find_array(root, name, 0);
    GDALGroupRelease(root);
    return a;
}

/* Numeric attribute values (up to max); returns how many. */
static size_t attr_doubles(GDALMDArrayH a, const char *name, double *out, size_t max)
{
    GDALAttributeH at = GDALMDArrayGetAttribute(a, name);
    size_t n = 0;
    if (at) {
        const double *v = GDALAttributeReadAsDoubleArray(at, &n);
        if (v) {
            if (n > max)
                n = max;
            memcpy(out, v, n * sizeof(*v));
            CPLFree((void *)v);
        } else {
            n = 0;
        }
        GDALAttributeRelease(at);
    }
    return n;
}

/* A string attribute, copied to buf ("" if absent). */
static const char *attr_string(GDALMDArrayH a, const char *name, char *buf, size_t size)
{
    GDALAttributeH at = GDALMDArrayGetAttribute(a, name);
    buf[0] = '\0';
    if (at) {
        const char *v = GDALAttributeReadAsString(at);
        if (v)
            snprintf(buf, size, "%s", v);
        GDALAttributeRelease(at);
    }
    return buf;
}

/* The array's shape: dims[0..n), at most 3. */
static size_t shape(GDALMDArrayH a, uint64_t dims[3])
{
    size_t n = 0;
    GDALDimensionH *d = GDALMDArrayGetDimensions(a, &n);
    for (size_t i = 0; i < n && i < 3; i++)
        dims[i] = GDALDimensionGetSize(d[i]);
    GDALReleaseDimensions(d, n);
    return n;
}

/* Check a 2-D array (or a 3-D one's last two dimensions) against the granule's size. */
static hy_status check_shape(hy_granule *g, GDALMDArrayH a, const char *file, const char *name,
                             int band)
{
    uint64_t d[3] = {0, 0, 0};
    size_t n = shape(a, d);
    uint64_t h = n == 3 ? d[1] : d[0], w = n == 3 ? d[2] : d[1];
    if (n != (band >= 0 ? 3u : 2u))
        return fail(g, HY_EFORMAT, "%s: %s has %zu dimensions, want %d", file, name, n,
                    band >= 0 ? 3 : 2);
    if (band >= 0 && (uint64_t)band >= d[0])
        return fail(g, HY_EFORMAT, "%s: %s has %llu bands, band index %d wanted", file, name,
                    (unsigned long long)d[0], band);
    if (g->info.width == 0) {
        if (w == 0 || h == 0 || w > 100000 || h > 100000)
            return fail(g, HY_EFORMAT, "%s: %s is %llu x %llu pixels", file, name,
                        (unsigned long long)w, (unsigned long long)h);
        g->info.width = (int)w;
        g->info.height = (int)h;
    } else if (w != (uint64_t)g->info.width || h != (uint64_t)g->info.height) {
        return fail(g, HY_EFORMAT, "%s: %s is %llu x %llu pixels, the granule %d x %d", file, name,
                    (unsigned long long)w, (unsigned long long)h, g->info.width, g->info.height);
    }
    return HY_OK;
}

/* Take array `name` of ds (file named for messages) as the source of one plane. */
static hy_status take(hy_granule *g, GDALDatasetH ds, const char *file, const char *name, int band,
                      src *s)
{
    s->a = open_array(ds, name);
    s->band = band;
    if (!s->a)
        return fail(g, HY_EFORMAT, "%s: no %s array", file, name);
    return check_shape(g, s->a, file, name, band);
}

/* The index of band `want` in a 3-D MODIS SDS: from its band_names ("20,21,...") if it has
 * them, else the product's fixed position. */
static int modis_band(GDALMDArrayH a, const char *want, int fixed)
{
    char names[256];
    int i = 0;
    attr_string(a, "band_names", names, sizeof(names));
    if (!names[0])
        return fixed;
    for (char *p = names; *p; i++) {
        size_t n = strcspn(p, ",");
        while (*p == ' ')
            p++, n--;
        if (strlen(want) == n && strncmp(p, want, n) == 0)
            return i;
        p += strcspn(p, ",");
        if (*p == ',')
            p++;
    }
    return -1;
}

static hy_status modis_refl(hy_granule *g, const char *sds, const char *band, int fixed, src *s)
{
    const char *file = g->path;
    double sc[16], of[16];
    hy_status st;
    s->a = open_array(g->l1, sds);
    if (!s->a)
        return fail(g, HY_EFORMAT, "%s: no %s SDS", file, sds);
    s->band = modis_band(s->a, band, fixed);
    if (s->band < 0)
        return fail(g, HY_EFORMAT, "%s: %s has no band %s", file, sds, band);
    if ((st = check_shape(g, s->a, file, sds, s->band)) != HY_OK)
        return st;
    if (attr_doubles(s->a, "reflectance_scales", sc, 16) <= (size_t)s->band ||
        attr_doubles(s->a, "reflectance_offsets", of, 16) <= (size_t)s->band)
        return fail(g, HY_EFORMAT, "%s: %s lacks reflectance_scales/offsets for band %s", file, sds,
                    band);
    s->scale = sc[s->band];
    s->offset = of[s->band];
    s->max_count = 32767;
    return HY_OK;
}

static hy_status modis_emissive(hy_granule *g, const char *band, int fixed, double lambda, src *s)
{
    const char *file = g->path;
    double sc[32], of[32];
    hy_status st;
    s->a = open_array(g->l1, "EV_1KM_Emissive");
    if (!s->a)
        return fail(g, HY_EFORMAT, "%s: no EV_1KM_Emissive SDS", file);
    s->band = modis_band(s->a, band, fixed);
    if (s->band < 0)
        return fail(g, HY_EFORMAT, "%s: EV_1KM_Emissive has no band %s", file, band);
    if ((st = check_shape(g, s->a, file, "EV_1KM_Emissive", s->band)) != HY_OK)
        return st;
    if (attr_doubles(s->a, "radiance_scales", sc, 32) <= (size_t)s->band ||
        attr_doubles(s->a, "radiance_offsets", of, 32) <= (size_t)s->band)
        return fail(g, HY_EFORMAT, "%s: EV_1KM_Emissive lacks radiance_scales/offsets for band %s",
                    file, band);
    s->scale = sc[s->band];
    s->offset = of[s->band];
    s->lambda = lambda;
    s->max_count = 32767;
    return HY_OK;
}

/* A VIIRS I-band: reflective (I1-I3: scale and offset) or thermal (I4, I5: the LUT). */
static hy_status viirs_band(hy_granule *g, int n, src *s)
{
    const char *file = g->path;
    char name[48];
    double v;
    hy_status st;
    snprintf(name, sizeof(name), "I%02d", n);
    if ((st = take(g, g->l1, file, name, -1, s)) != HY_OK)
        return st;
    s->max_count =
        attr_doubles(s->a, "valid_max", &v, 1) == 1 && v > 0 && v < 65536 ? (unsigned)v : 65527;
    if (n <= 3) {
        if (attr_doubles(s->a, "scale_factor", &s->scale, 1) != 1)
            return fail(g, HY_EFORMAT, "%s: %s has no scale_factor", file, name);
        if (attr_doubles(s->a, "add_offset", &v, 1) != 1)
            v = 0;
        /* scale * count + add_offset = scale * (count - offset) */
        s->offset = s->scale != 0 ? -v / s->scale : 0;
        return HY_OK;
    }
    {
        GDALMDArrayH lut;
        uint64_t d[3] = {0, 0, 0};
        GUInt64 start = 0;
        size_t count;
        GPtrDiff_t step = 1;
        GDALExtendedDataTypeH ft = GDALExtendedDataTypeCreate(GDT_Float32);
        int ok;
        snprintf(name, sizeof(name), "I%02d_brightness_temperature_lut", n);
        lut = open_array(g->l1, name);
        if (!lut) {
            GDALExtendedDataTypeRelease(ft);
            return fail(g, HY_EFORMAT, "%s: no %s", file, name);
        }
        if (shape(lut, d) != 1 || d[0] < 2 || d[0] > LUT_SIZE) {
            GDALMDArrayRelease(lut);
            GDALExtendedDataTypeRelease(ft);
            return fail(g, HY_EFORMAT, "%s: %s has %llu entries, want 2..65536", file, name,
                        (unsigned long long)d[0]);
        }
        s->lut = hy__malloc(g->ctx, LUT_SIZE * sizeof(float));
        if (!s->lut) {
            GDALMDArrayRelease(lut);
            GDALExtendedDataTypeRelease(ft);
            return HY_ENOMEM;
        }
        count = (size_t)d[0];
        ok = GDALMDArrayRead(lut, &start, &count, &step, NULL, ft, s->lut, NULL, 0);
        GDALMDArrayRelease(lut);
        GDALExtendedDataTypeRelease(ft);
        if (!ok)
            return fail(g, HY_EIO, "%s: cannot read %s: %s", file, name, CPLGetLastErrorMsg());
        for (size_t i = count; i < LUT_SIZE; i++)
            s->lut[i] = NAN;
        if (s->max_count >= count)
            s->max_count = (unsigned)count - 1;
        if (n == 4) {
            g->lut4_top = 0;
            for (size_t i = 0; i <= s->max_count; i++)
                if (s->lut[i] > g->lut4_top && s->lut[i] < 1000)
                    g->lut4_top = s->lut[i];
        }
    }
    return HY_OK;
}

/* A geolocation angle (scaled integers, or floats). */
static hy_status angle(hy_granule *g, const char *name, src *s)
{
    const char *file = g->info.geo_path;
    hy_status st = take(g, g->geo, file, name, -1, s);
    if (st != HY_OK)
        return st;
    if (attr_doubles(s->a, "scale_factor", &s->scale, 1) != 1)
        s->scale = 1;
    s->raw_float = 1;
    {
        GDALExtendedDataTypeH t = GDALMDArrayGetDataType(s->a);
        s->type = t ? GDALExtendedDataTypeGetNumericDataType(t) : GDT_Unknown;
        if (t)
            GDALExtendedDataTypeRelease(t);
    }
    return HY_OK;
}

static GDALDatasetH open_md(hy_granule *g, const char *path, const char *what)
{
    GDALDatasetH ds;
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpenEx(path, GDAL_OF_MULTIDIM_RASTER, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (!ds)
        fail(g, HY_EIO, "%s: cannot open the %s (%s)", path, what,
             CPLGetLastErrorMsg()[0] ? CPLGetLastErrorMsg() : "not NetCDF4/HDF4, or unreadable");
    return ds;
}

/* The geolocation file's arrays, by the product's names: latitude, longitude, solar and
 * sensor zenith, solar and sensor azimuth, and the land/water mask (optional). */
static hy_status open_geolocation(hy_granule *g, const char *const name[7])
{
    const char *gf = g->info.geo_path;
    hy_status st;
    if ((st = take(g, g->geo, gf, name[0], -1, &g->s[S_LAT])) != HY_OK ||
        (st = take(g, g->geo, gf, name[1], -1, &g->s[S_LON])) != HY_OK ||
        (st = angle(g, name[2], &g->s[S_SZA])) != HY_OK ||
        (st = angle(g, name[3], &g->s[S_VZA])) != HY_OK ||
        (st = angle(g, name[4], &g->s[S_SAA])) != HY_OK ||
        (st = angle(g, name[5], &g->s[S_VAA])) != HY_OK)
        return st;
    g->s[S_LAT].raw_float = g->s[S_LON].raw_float = 1;
    g->s[S_LAT].scale = g->s[S_LON].scale = 1;
    g->landwater = open_array(g->geo, name[6]);
    if (g->landwater && (st = check_shape(g, g->landwater, gf, name[6], -1)) != HY_OK)
        return st;
    return HY_OK;
}

static hy_status open_viirs(hy_granule *g)
{
    static const int bands[] = {4, 5, 1, 2, 3};
    static const int slots[] = {S_BT4, S_BT11, S_RED, S_NIR, S_SWIR};
    hy_status st;
    g->info.scan_rows = 32;
    g->info.nadir_m = 375;
    for (int i = 0; i < 5; i++)
        if ((st = viirs_band(g, bands[i], &g->s[slots[i]])) != HY_OK)
            return st;
    g->qf4 = open_array(g->l1, "I04_quality_flags");
    if (g->qf4) {
        char meanings[1024];
        double masks[32];
        size_t n = attr_doubles(g->qf4, "flag_masks", masks, 32), i = 0;
        if ((st = check_shape(g, g->qf4, g->path, "I04_quality_flags", -1)) != HY_OK)
            return st;
        attr_string(g->qf4, "flag_meanings", meanings, sizeof(meanings));
        for (char *p = meanings; *p && i < n; i++) {
            size_t len = strcspn(p, " ");
            for (size_t k = 0; k + 7 <= len; k++)
                if (strncmp(p + k, "aturat", 6) == 0 || strncmp(p + k, "ATURAT", 6) == 0)
                    g->qf4_sat_mask = (unsigned)masks[i];
            p += len;
            while (*p == ' ')
                p++;
        }
    }
    static const char *const geo[7] = {"latitude",       "longitude",     "solar_zenith",
                                       "sensor_zenith",  "solar_azimuth", "sensor_azimuth",
                                       "land_water_mask"};
    return open_geolocation(g, geo);
}

static hy_status open_modis(hy_granule *g)
{
    hy_status st;
    g->info.scan_rows = 10;
    g->info.nadir_m = 1000;
    /* EV_1KM_Emissive holds bands 20-25 and 27-36: 21 and 22 are the 2nd and 3rd, 31 and 32
     * the 11th and 12th. EV_250_Aggr1km_RefSB: 1, 2; EV_500_Aggr1km_RefSB: 3-7. */
    if ((st = modis_emissive(g, "22", 2, MODIS_L22, &g->s[S_BT4])) != HY_OK ||
        (st = modis_emissive(g, "21", 1, MODIS_L21, &g->s[S_B21])) != HY_OK ||
        (st = modis_emissive(g, "31", 10, MODIS_L31, &g->s[S_BT11])) != HY_OK ||
        (st = modis_emissive(g, "32", 11, MODIS_L32, &g->s[S_BT12])) != HY_OK ||
        (st = modis_refl(g, "EV_250_Aggr1km_RefSB", "1", 0, &g->s[S_RED])) != HY_OK ||
        (st = modis_refl(g, "EV_250_Aggr1km_RefSB", "2", 1, &g->s[S_NIR])) != HY_OK ||
        (st = modis_refl(g, "EV_500_Aggr1km_RefSB", "7", 4, &g->s[S_SWIR])) != HY_OK)
        return st;
    static const char *const geo[7] = {"Latitude",     "Longitude",    "SolarZenith",
                                       "SensorZenith", "SolarAzimuth", "SensorAzimuth",
                                       "Land/SeaMask"};
    return open_geolocation(g, geo);
}

hy_status hy_granule_open(const hy_ctx *ctx, const char *path, const char *geo_path,
                          hy_granule **out)
{
    hy_granule *g;
    const product *pr;
    char key[16];
    hy_status st;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !path)
        return HY_EINVAL;
    GDALAllRegister(); /* idempotent; the drivers may not be registered yet */
    g = hy__calloc(ctx, 1, sizeof(*g));
    if (!g)
        return HY_ENOMEM;
    g->ctx = ctx;
    snprintf(g->path, sizeof(g->path), "%s", path);
    pr = product_of(path);
    if (!pr) {
        st = fail(g, HY_EINVAL,
                  "%s: not a VIIRS or MODIS L1B granule name (VNP02IMG., VJ102IMG., VJ202IMG., "
                  "MOD021KM., MYD021KM.)",
                  path);
        goto out;
    }
    g->info.sensor = pr->sensor;
    snprintf(g->info.satellite, sizeof(g->info.satellite), "%s", pr->satellite);
    {
        const char *b = base_name(path), *dot = strrchr(b, '.');
        snprintf(g->info.product_id, sizeof(g->info.product_id), "%.*s",
                 (int)(dot && dot != b ? (size_t)(dot - b) : strlen(b)), b);
    }
    if (!pass_key(base_name(path), key, &g->info.time)) {
        st = fail(g, HY_EINVAL, "%s: no .AYYYYDDD.HHMM. pass time in the file name", path);
        goto out;
    }
    if (geo_path) {
        snprintf(g->info.geo_path, sizeof(g->info.geo_path), "%s", geo_path);
    } else if (!find_geo(g, pr, key)) {
        st = fail(g, HY_ENOTFOUND, "%s: no %s%s* geolocation file beside it (or give one)", path,
                  pr->geo, key);
        goto out;
    }
    g->l1 = open_md(g, path, "L1B granule");
    if (!g->l1) {
        st = HY_EIO;
        goto out;
    }
    g->geo = open_md(g, g->info.geo_path, "geolocation file");
    if (!g->geo) {
        st = HY_EIO;
        goto out;
    }
    st = pr->sensor == HY_SENSOR_VIIRS ? open_viirs(g) : open_modis(g);
out:
    if (st != HY_OK) {
        hy__log(ctx, HY_LOG_ERROR, "%s", g->err);
        hy_granule_destroy(g);
        return st;
    }
    *out = g;
    return HY_OK;
}

hy_status hy_granule_clone(const hy_granule *g, hy_granule **out)
{
    if (!g || !out)
        return HY_EINVAL;
    return hy_granule_open(g->ctx, g->path, g->info.geo_path, out);
}

void hy_granule_destroy(hy_granule *g)
{
    if (!g)
        return;
    for (int i = 0; i < S_NSRC; i++) {
        if (g->s[i].a)
            GDALMDArrayRelease(g->s[i].a);
        hy__free(g->ctx, g->s[i].lut);
    }
    if (g->qf4)
        GDALMDArrayRelease(g->qf4);
    if (g->landwater)
        GDALMDArrayRelease(g->landwater);
    if (g->l1)
        GDALClose(g->l1);
    if (g->geo)
        GDALClose(g->geo);
    hy__free(g->ctx, g);
}

void hy_swath_free(const hy_ctx *ctx, hy_swath *sw)
{
    if (!sw)
        return;
    hy__free(ctx, sw->block);
    memset(sw, 0, sizeof(*sw));
}

/* Read rows [y, y+rows) of a source into buf (rows x width) as raw values of type t. */
static int read_raw(const hy_granule *g, GDALMDArrayH a, int band, int y, int rows, GDALDataType t,
                    void *buf)
{
    GUInt64 start[3];
    size_t count[3];
    int k = 0, ok;
    GDALExtendedDataTypeH et = GDALExtendedDataTypeCreate(t);
    if (band >= 0) {
        start[k] = (GUInt64)band;
        count[k++] = 1;
    }
    start[k] = (GUInt64)y;
    count[k++] = (size_t)rows;
    start[k] = 0;
    count[k++] = (size_t)g->info.width;
    ok = GDALMDArrayRead(a, start, count, NULL, NULL, et, buf, NULL, 0);
    GDALExtendedDataTypeRelease(et);
    return ok;
}

/* Counts to values: reflectance, BT by LUT or by Planck; NaN for flagged counts. sat gets 1
 * where the count is MODIS's "detector saturated" (65533). */
static void convert(const src *s, const uint16_t *c, float *v, uint8_t *sat, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned k = c[i];
        if (sat)
            sat[i] = k == 65533;
        if (k > s->max_count) {
            v[i] = NAN;
        } else if (s->lut) {
            v[i] = s->lut[k];
        } else {
            double x = s->scale * ((double)k - s->offset);
            v[i] = (float)(s->lambda > 0 ? hy_planck_bt(s->lambda, x) : x);
        }
    }
}

hy_status hy_granule_read(hy_granule *g, int y, int rows, int halo, hy_swath *sw)
{
    int y0, y1, w, modis;
    size_t n, planes;
    uint16_t *counts = NULL;
    uint8_t *sat = NULL;
    float *p, *b21 = NULL, *angles[4] = {NULL, NULL, NULL, NULL};
    hy_status st = HY_OK;
    const char *file = g->path;
    if (!sw)
        return HY_EINVAL;
    memset(sw, 0, sizeof(*sw));
    if (y < 0 || rows <= 0 || halo < 0 || y + rows > g->info.height)
        return fail(g, HY_EINVAL, "%s: rows %d..%d outside 0..%d", file, y, y + rows,
                    g->info.height);
    w = g->info.width;
    y0 = y - halo < 0 ? 0 : y - halo;
    y1 = y + rows + halo > g->info.height ? g->info.height : y + rows + halo;
    n = (size_t)(y1 - y0) * (size_t)w;
    /* the planes the sensor has, then scratch: the sensor azimuth (the zeniths and the solar
     * azimuth go straight into their planes) and, for MODIS, band 21 */
    modis = g->info.sensor == HY_SENSOR_MODIS;
    planes = HY_SW_PLANES - (modis ? 0 : 1) + 1 + (modis ? 1 : 0);
    sw->block = hy__malloc(g->ctx, n * (planes * sizeof(float) + 4));
    if (!sw->block)
        return HY_ENOMEM;
    p = sw->block;
    for (int i = 0; i < HY_SW_PLANES; i++) {
        if (i == HY_SW_BT12 && !modis)
            continue;
        sw->plane[i] = p;
        p += n;
    }
    angles[0] = sw->plane[HY_SW_SZA];
    angles[1] = sw->plane[HY_SW_VZA];
    angles[2] = sw->plane[HY_SW_RAA];
    angles[3] = p;
    p += n;
    if (modis) {
        b21 = p;
        p += n;
    }
    counts = (uint16_t *)p; /* scratch: n counts */
    sw->flags = (uint8_t *)(counts + n);
    sat = sw->flags + n; /* scratch: n bytes (saturation codes, land/water) */
    sw->y0 = y0;
    sw->rows = y1 - y0;
    sw->width = w;
    sw->halo_top = y - y0;
    sw->halo_bottom = y1 - (y + rows);
    memset(sw->flags, 0, n);

    {
        static const struct {
            int s, plane;
        } map[] = {{S_BT4, HY_SW_BT4}, {S_BT11, HY_SW_BT11}, {S_BT12, HY_SW_BT12},
                   {S_RED, HY_SW_RED}, {S_NIR, HY_SW_NIR},   {S_SWIR, HY_SW_SWIR},
                   {S_B21, -1}};
        for (size_t m = 0; m < sizeof(map) / sizeof(map[0]); m++) {
            const src *s = &g->s[map[m].s];
            float *dst = map[m].plane >= 0 ? sw->plane[map[m].plane] : b21;
            if (!s->a || !dst)
                continue;
            if (!read_raw(g, s->a, s->band, y0, y1 - y0, GDT_UInt16, counts)) {
                st = fail(g, HY_EIO, "%s: cannot read rows %d..%d: %s", file, y0, y1,
                          CPLGetLastErrorMsg());
                goto done;
            }
            convert(s, counts, dst, map[m].s == S_BT4 || map[m].s == S_B21 ? sat : NULL, n);
            if (map[m].s == S_BT4 && g->info.sensor == HY_SENSOR_MODIS)
                for (size_t i = 0; i < n; i++)
                    sw->flags[i] |= sat[i] ? HY_SW_SAT4 : 0; /* band 22 saturated */
        }
    }
    /* geolocation */
    if (!read_raw(g, g->s[S_LAT].a, -1, y0, y1 - y0, GDT_Float32, sw->plane[HY_SW_LAT]) ||
        !read_raw(g, g->s[S_LON].a, -1, y0, y1 - y0, GDT_Float32, sw->plane[HY_SW_LON])) {
        st = fail(g, HY_EIO, "%s: cannot read latitude/longitude rows %d..%d: %s", g->info.geo_path,
                  y0, y1, CPLGetLastErrorMsg());
        goto done;
    }
    {
        static const int asrc[4] = {S_SZA, S_VZA, S_SAA, S_VAA};
        for (int i = 0; i < 4; i++) {
            const src *s = &g->s[asrc[i]];
            /* scaled 16-bit integers in both products: read them as they are (GDAL's
             * element-by-element conversion to float is several times slower) */
            int i16 = s->type == GDT_Int16;
            if (!read_raw(g, s->a, -1, y0, y1 - y0, i16 ? GDT_Int16 : GDT_Float32,
                          i16 ? (void *)counts : (void *)angles[i])) {
                st = fail(g, HY_EIO, "%s: cannot read angles rows %d..%d: %s", g->info.geo_path, y0,
                          y1, CPLGetLastErrorMsg());
                goto done;
            }
            if (i16) {
                const int16_t *c = (const int16_t *)counts;
                for (size_t k = 0; k < n; k++)
                    angles[i][k] = (float)(c[k] * s->scale);
            } else {
                for (size_t k = 0; k < n; k++)
                    angles[i][k] = (float)(angles[i][k] * s->scale);
            }
        }
    }
    if (g->landwater) {
        if (!read_raw(g, g->landwater, -1, y0, y1 - y0, GDT_Byte, sat)) {
            st = fail(g, HY_EIO, "%s: cannot read the land/water mask rows %d..%d: %s",
                      g->info.geo_path, y0, y1, CPLGetLastErrorMsg());
            goto done;
        }
        /* 0 shallow ocean, 1 land, 2 coastline, 3 shallow inland water, 4 ephemeral water,
         * 5 deep inland water, 6 moderate or continental ocean, 7 deep ocean (both products) */
        for (size_t i = 0; i < n; i++)
            if (sat[i] == 0 || sat[i] == 3 || sat[i] == 5 || sat[i] == 6 || sat[i] == 7)
                sw->flags[i] |= HY_SW_WATER;
    }
    if (g->qf4 && g->qf4_sat_mask) {
        if (!read_raw(g, g->qf4, -1, y0, y1 - y0, GDT_UInt16, counts)) {
            st = fail(g, HY_EIO, "%s: cannot read I04_quality_flags rows %d..%d: %s", file, y0, y1,
                      CPLGetLastErrorMsg());
            goto done;
        }
        for (size_t i = 0; i < n; i++)
            if (counts[i] & g->qf4_sat_mask)
                sw->flags[i] |= HY_SW_SAT4;
    }
    for (size_t i = 0; i < n; i++) {
        float *bt4 = sw->plane[HY_SW_BT4];
        angles[2][i] -= angles[3][i]; /* relative azimuth */
        if (modis && (sw->flags[i] & HY_SW_SAT4 || !(bt4[i] == bt4[i]))) {
            /* band 22 saturated or missing: band 21, the low-gain fire channel */
            bt4[i] = b21[i];
            sw->flags[i] = (uint8_t)((sw->flags[i] & ~HY_SW_SAT4) | HY_SW_LOWGAIN4);
        }
        if (g->info.sensor == HY_SENSOR_VIIRS && g->lut4_top > 0 && bt4[i] >= g->lut4_top)
            sw->flags[i] |= HY_SW_SAT4;
        if (bt4[i] == bt4[i] && sw->plane[HY_SW_BT11][i] == sw->plane[HY_SW_BT11][i] &&
            (!sw->plane[HY_SW_BT12] || sw->plane[HY_SW_BT12][i] == sw->plane[HY_SW_BT12][i]) &&
            fabsf(sw->plane[HY_SW_LAT][i]) <= 90 && fabsf(sw->plane[HY_SW_LON][i]) <= 180 &&
            angles[0][i] >= 0 && angles[0][i] <= 180)
            sw->flags[i] |= HY_SW_VALID;
    }
done:
    if (st != HY_OK) {
        hy__log(g->ctx, HY_LOG_ERROR, "%s", g->err);
        hy_swath_free(g->ctx, sw);
    }
    return st;
}
