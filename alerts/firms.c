/* alerts/firms.c - the point formats fire analysts already read: NASA FIRMS archive CSVs
 * (MODIS and VIIRS columns, REFERENCES.md) and CSPP active-fire text lists (AFIMG). Reading
 * lets huoyan place the points MODIS/VIIRS products deliver every day in townships and alert
 * on them; writing gives huoyan's own thermal detections FIRMS's exact columns. */
#include "alerts/alerts.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

static const char *const viirs_columns =
    "latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,"
    "confidence,version,bright_ti5,frp,daynight,type";
static const char *const modis_columns =
    "latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,instrument,"
    "confidence,version,bright_t31,frp,daynight,type";

static hy_status push_row(const hy_ctx *ctx, hy_firms_rows *rows, const hy_firms_row *r)
{
    hy_firms_row *v = hy__grow(ctx, rows->v, &rows->cap, rows->n + 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    rows->v = v;
    v[rows->n++] = *r;
    return HY_OK;
}

void hy_firms_rows_free(const hy_ctx *ctx, hy_firms_rows *rows)
{
    if (!rows)
        return;
    hy__free(ctx, rows->v);
    memset(rows, 0, sizeof(*rows));
}

static void init_row(hy_firms_row *r)
{
    memset(r, 0, sizeof(*r));
    r->bt4_k = r->bt5_k = r->scan_km = r->track_km = r->frp_mw = NAN;
    r->time = HY_TIME_NONE;
    r->type = -1;
}

/* A FIRMS archive CSV, through OGR's CSV driver (it handles quoting and the header). */
static hy_status read_firms_csv(const hy_ctx *ctx, const char *path, hy_firms_rows *rows, char *err,
                                size_t err_size)
{
    static const char *const options[] = {"X_POSSIBLE_NAMES=longitude", "Y_POSSIBLE_NAMES=latitude",
                                          "KEEP_GEOM_COLUMNS=YES", "AUTODETECT_TYPE=NO", NULL};
    static const char *const drivers[] = {"CSV", NULL};
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureDefnH defn;
    OGRFeatureH f;
    int fi[15];
    static const char *const names[15] = {
        "latitude",   "longitude",  NULL,      "scan", "track", "acq_date", "acq_time", "satellite",
        "instrument", "confidence", "version", NULL,   "frp",   "daynight", "type"};
    size_t line = 1;
    hy_status st = HY_OK;

    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options, NULL);
    CPLPopErrorHandler();
    if (!ds) {
        snprintf(err, err_size, "%s: cannot read as CSV: %s", path, CPLGetLastErrorMsg());
        return HY_EIO;
    }
    layer = GDALDatasetGetLayer(ds, 0);
    defn = OGR_L_GetLayerDefn(layer);
    for (int i = 0; i < 15; i++)
        fi[i] = names[i] ? OGR_FD_GetFieldIndex(defn, names[i]) : -1;
    /* VIIRS: bright_ti4 / bright_ti5; MODIS: brightness / bright_t31 */
    fi[2] = OGR_FD_GetFieldIndex(defn, "bright_ti4");
    fi[11] = OGR_FD_GetFieldIndex(defn, "bright_ti5");
    if (fi[2] < 0) {
        fi[2] = OGR_FD_GetFieldIndex(defn, "brightness");
        fi[11] = OGR_FD_GetFieldIndex(defn, "bright_t31");
    }
    for (int i = 0; i < 15; i++) {
        if (fi[i] < 0 && i != 14) { /* `type` is only in archives */
            snprintf(err, err_size, "%s: not a FIRMS CSV: no column %s", path,
                     i == 2    ? "bright_ti4 or brightness"
                     : i == 11 ? "bright_ti5 or bright_t31"
                               : names[i]);
            GDALClose(ds);
            return HY_EFORMAT;
        }
    }
    while (st == HY_OK && (f = OGR_L_GetNextFeature(layer))) {
        hy_firms_row r;
        char iso[40], *end;
        const char *date = OGR_F_GetFieldAsString(f, fi[5]),
                   *clock = OGR_F_GetFieldAsString(f, fi[6]);
        int hhmm;
        line++;
        init_row(&r);
        r.lat = strtod(OGR_F_GetFieldAsString(f, fi[0]), &end);
        r.lon = strtod(OGR_F_GetFieldAsString(f, fi[1]), &end);
        r.bt4_k = OGR_F_GetFieldAsDouble(f, fi[2]);
        r.scan_km = OGR_F_GetFieldAsDouble(f, fi[3]);
        r.track_km = OGR_F_GetFieldAsDouble(f, fi[4]);
        snprintf(r.satellite, sizeof(r.satellite), "%s", OGR_F_GetFieldAsString(f, fi[7]));
        snprintf(r.instrument, sizeof(r.instrument), "%s", OGR_F_GetFieldAsString(f, fi[8]));
        snprintf(r.confidence, sizeof(r.confidence), "%s", OGR_F_GetFieldAsString(f, fi[9]));
        snprintf(r.version, sizeof(r.version), "%s", OGR_F_GetFieldAsString(f, fi[10]));
        r.bt5_k = OGR_F_GetFieldAsDouble(f, fi[11]);
        r.frp_mw = OGR_F_GetFieldAsDouble(f, fi[12]);
        r.daynight = OGR_F_GetFieldAsString(f, fi[13])[0];
        r.type = fi[14] >= 0 ? OGR_F_GetFieldAsInteger(f, fi[14]) : -1;
        /* acq_time is UTC HHMM, sometimes without its leading zeros (REFERENCES.md) */
        hhmm = (int)strtol(clock, &end, 10);
        snprintf(iso, sizeof(iso), "%sT%02d:%02d:00Z", date, hhmm / 100, hhmm % 100);
        if (*end || hhmm < 0 || hhmm % 100 > 59 || hhmm / 100 > 23 ||
            hy_time_parse(iso, &r.time) != HY_OK || !(fabs(r.lat) <= 90) || !(fabs(r.lon) <= 180)) {
            snprintf(err, err_size, "%s: line %zu: bad latitude, longitude, acq_date or acq_time",
                     path, line);
            st = HY_EFORMAT;
        } else {
            st = push_row(ctx, rows, &r);
        }
        OGR_F_Destroy(f);
    }
    GDALClose(ds);
    return st;
}

/* A CSPP active-fire text list: '#' comments (the source file name carries the granule's
 * start time, _dYYYYMMDD_tHHMMSSS), then "lat, lon, BT4, along-scan km, along-track km,
 * confidence 7/8/9, FRP" per line. */
static hy_status read_cspp(const hy_ctx *ctx, const char *path, FILE *f, hy_firms_rows *rows,
                           char *err, size_t err_size)
{
    char buf[1024];
    size_t line = 0;
    int64_t start = HY_TIME_NONE;
    char sat[16] = "";
    while (fgets(buf, sizeof(buf), f)) {
        hy_firms_row r;
        int conf, n = 0;
        char *p = buf;
        line++;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            continue;
        if (*p == '#') {
            const char *d = strstr(p, "_d"), *t = d ? strstr(d, "_t") : NULL,
                       *s = strstr(p, "AFIMG_");
            if (d && t && start == HY_TIME_NONE) {
                char iso[40];
                int y, mo, dd, hh, mi, ss;
                if (sscanf(d, "_d%4d%2d%2d", &y, &mo, &dd) == 3 &&
                    sscanf(t, "_t%2d%2d%2d", &hh, &mi, &ss) == 3) {
                    snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, dd, hh, mi,
                             ss);
                    if (hy_time_parse(iso, &start) != HY_OK)
                        start = HY_TIME_NONE;
                }
            }
            if (s && !sat[0]) /* AFIMG_npp / AFIMG_j01 */
                snprintf(sat, sizeof(sat), "%.*s", (int)strcspn(s + 6, "_"), s + 6);
            continue;
        }
        init_row(&r);
        if (sscanf(p, "%lf , %lf , %lf , %lf , %lf , %d , %lf %n", &r.lat, &r.lon, &r.bt4_k,
                   &r.scan_km, &r.track_km, &conf, &r.frp_mw, &n) != 7 ||
            p[n] != '\0' || !(fabs(r.lat) <= 90) || !(fabs(r.lon) <= 180) || conf < 7 || conf > 9) {
            snprintf(err, err_size,
                     "%s: line %zu: want lat, lon, BT, scan, track, confidence 7..9, FRP", path,
                     line);
            return HY_EFORMAT;
        }
        /* CSPP: 7, 8, 9 = low, nominal, high (the file's own header says so) */
        snprintf(r.confidence, sizeof(r.confidence), "%s", conf == 7 ? "l" : conf == 8 ? "n" : "h");
        snprintf(r.instrument, sizeof(r.instrument), "VIIRS");
        snprintf(r.satellite, sizeof(r.satellite), "%s",
                 strcmp(sat, "j01") == 0   ? "1"
                 : strcmp(sat, "npp") == 0 ? "N"
                                           : sat);
        r.time = start;
        if (push_row(ctx, rows, &r) != HY_OK)
            return HY_ENOMEM;
    }
    return HY_OK;
}

hy_status hy_firms_read(const hy_ctx *ctx, const char *path, hy_firms_rows *rows, char *err,
                        size_t err_size)
{
    char dummy[8], first[512] = "";
    FILE *f;
    hy_status st;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!ctx || !path || !rows)
        return HY_EINVAL;
    memset(rows, 0, sizeof(*rows));
    f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open", path);
        return HY_EIO;
    }
    if (!fgets(first, sizeof(first), f)) {
        fclose(f);
        snprintf(err, err_size, "%s: empty", path);
        return HY_EFORMAT;
    }
    if (first[0] == '#') {
        rewind(f);
        st = read_cspp(ctx, path, f, rows, err, err_size);
        fclose(f);
    } else {
        fclose(f);
        st = read_firms_csv(ctx, path, rows, err, err_size);
    }
    if (st != HY_OK)
        hy_firms_rows_free(ctx, rows);
    return st;
}

static void put_number(FILE *f, double v, const char *fmt)
{
    if (v == v)
        fprintf(f, fmt, v);
}

hy_status hy_firms_write(const char *path, const hy_firms_row *r, size_t n, char *err,
                         size_t err_size)
{
    char dummy[8], tmp[4096];
    FILE *f;
    int viirs;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || (!r && n))
        return HY_EINVAL;
    viirs = n == 0 || strcasecmp(r[0].instrument, "MODIS") != 0;
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, err_size, "%s: cannot create", path);
        return HY_EIO;
    }
    fprintf(f, "%s\n", viirs ? viirs_columns : modis_columns);
    for (size_t i = 0; i < n; i++) {
        const hy_firms_row *x = &r[i];
        char date[16] = "", hhmm[8] = "";
        if (x->time != HY_TIME_NONE) {
            char iso[HY_TIME_STRLEN];
            hy_time_format(x->time, iso);
            snprintf(date, sizeof(date), "%.10s", iso);
            snprintf(hhmm, sizeof(hhmm), "%.2s%.2s", iso + 11, iso + 14);
        }
        /* the shortest form that keeps FIRMS's own decimals (49.2474, 300.9, 0.39) */
        fprintf(f, "%.10g,%.10g,", x->lat, x->lon);
        put_number(f, x->bt4_k, "%.10g");
        fputc(',', f);
        put_number(f, x->scan_km, "%.10g");
        fputc(',', f);
        put_number(f, x->track_km, "%.10g");
        fprintf(f, ",%s,%s,%s,%s,%s,%s,", date, hhmm, x->satellite, x->instrument, x->confidence,
                x->version);
        put_number(f, x->bt5_k, "%.10g");
        fputc(',', f);
        put_number(f, x->frp_mw, "%.10g");
        fprintf(f, ",%c,", x->daynight ? x->daynight : ' ');
        if (x->type >= 0)
            fprintf(f, "%d", x->type);
        fputc('\n', f);
    }
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        snprintf(err, err_size, "%s: write failed", path);
        return HY_EIO;
    }
    return HY_OK;
}

void hy_firms_to_detection(const hy_firms_row *r, const char *source_id, hy_detection *d)
{
    hy_detection_init(d);
    d->kind = HY_KIND_FIRE;
    d->source_type = HY_SOURCE_SATELLITE;
    snprintf(d->source_id, sizeof(d->source_id), "%s", source_id ? source_id : "");
    d->sensor = strcasecmp(r->instrument, "MODIS") == 0 ? HY_SENSOR_MODIS : HY_SENSOR_VIIRS;
    d->time = r->time;
    d->pixels = 1;
    d->lon = r->lon;
    d->lat = r->lat;
    d->bt4_k = r->bt4_k;
    d->bt11_k = r->bt5_k;
    d->frp_mw = r->frp_mw;
    d->scan_km = r->scan_km;
    d->track_km = r->track_km;
    d->daynight = r->daynight == 'D' || r->daynight == 'N' ? r->daynight : 0;
    if (r->scan_km == r->scan_km && r->track_km == r->track_km)
        d->area_m2 = r->scan_km * r->track_km * 1e6;
    /* VIIRS l/n/h and MODIS 0..100 onto 0..1 */
    if (strcmp(r->confidence, "l") == 0)
        d->confidence = 0.3;
    else if (strcmp(r->confidence, "n") == 0)
        d->confidence = 0.6;
    else if (strcmp(r->confidence, "h") == 0)
        d->confidence = 0.9;
    else if (r->confidence[0])
        d->confidence = strtod(r->confidence, NULL) / 100;
    d->static_source = r->type == 2; /* static land source (industry) */
    snprintf(d->tests, sizeof(d->tests), "firms:%s%s", r->instrument,
             r->type == 2   ? ",type2"
             : r->type == 1 ? ",volcano"
             : r->type == 3 ? ",offshore"
                            : "");
}

void hy_firms_from_detection(const hy_detection *d, hy_firms_row *r)
{
    static const struct {
        const char *prefix, *satellite;
    } sats[] = {{"VNP", "N"}, {"VJ1", "1"}, {"VJ2", "2"}, {"MOD", "Terra"}, {"MYD", "Aqua"}};
    int modis = d->sensor == HY_SENSOR_MODIS;
    /* FIRMS's decimals: VIIRS 5 for positions, 2 for the rest; MODIS 4 and 1 */
    double pos = modis ? 1e4 : 1e5, val = modis ? 1e1 : 1e2;
    init_row(r);
    r->lat = round(d->lat * pos) / pos;
    r->lon = round(d->lon * pos) / pos;
    r->bt4_k = round(d->bt4_k * val) / val;
    r->bt5_k = round(d->bt11_k * val) / val;
    r->scan_km = round(d->scan_km * val) / val;
    r->track_km = round(d->track_km * val) / val;
    r->frp_mw = round(d->frp_mw * val) / val;
    r->time = d->time;
    r->daynight = d->daynight;
    for (size_t k = 0; k < sizeof(sats) / sizeof(sats[0]); k++)
        if (strncmp(d->source_id, sats[k].prefix, 3) == 0)
            snprintf(r->satellite, sizeof(r->satellite), "%s", sats[k].satellite);
    snprintf(r->instrument, sizeof(r->instrument), "%s", modis ? "MODIS" : "VIIRS");
    if (d->confidence == d->confidence) {
        if (modis)
            snprintf(r->confidence, sizeof(r->confidence), "%d", (int)lround(d->confidence * 100));
        else
            snprintf(r->confidence, sizeof(r->confidence), "%s",
                     d->confidence >= 0.75   ? "h"
                     : d->confidence >= 0.45 ? "n"
                                             : "l");
    }
    snprintf(r->version, sizeof(r->version), "huoyan");
    r->type = d->static_source                                            ? 2
              : strstr(d->tests, "water") || strstr(d->tests, "offshore") ? 3
                                                                          : 0;
}
