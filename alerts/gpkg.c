/* alerts/gpkg.c - detections as a GeoPackage point layer (OGR), the format analysts open in
 * QGIS: one feature per detection, WGS84 points, the JSON line's fields as attributes. */
#include "alerts/alerts_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

typedef struct field_def {
    const char *name;
    OGRFieldType type;
} field_def;

/* Attribute order is the JSON line's. */
static const field_def fields[] = {
    {"kind", OFTString},           {"source_type", OFTString},
    {"source_id", OFTString},      {"sensor", OFTString},
    {"time", OFTDateTime},         {"frame", OFTInteger64},
    {"bbox_x", OFTInteger},        {"bbox_y", OFTInteger},
    {"bbox_w", OFTInteger},        {"bbox_h", OFTInteger},
    {"pixels", OFTInteger},        {"township_code", OFTString},
    {"township_name", OFTString},  {"township_county", OFTString},
    {"confidence", OFTReal},       {"area_m2", OFTReal},
    {"frp_mw", OFTReal},           {"bt4_k", OFTReal},
    {"bearing_deg", OFTReal},      {"tests", OFTString},
    {"static_source", OFTInteger}, {"swir2_max", OFTReal},
    {"swir2_mean", OFTReal},       {"r75_max", OFTReal},
    {"outside_m", OFTReal},        {"bt11_k", OFTReal},
    {"scan_km", OFTReal},          {"track_km", OFTReal},
    {"daynight", OFTString},       {"evidence", OFTString},
};
enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

static void set_real(OGRFeatureH f, int i, double v)
{
    if (isnan(v))
        OGR_F_SetFieldNull(f, i);
    else
        OGR_F_SetFieldDouble(f, i, v);
}

/* A time attribute in UTC (OGR's tz flag 100), or null. */
static void set_time(OGRFeatureH f, int i, int64_t t)
{
    time_t s;
    struct tm tm;
    if (t == HY_TIME_NONE) {
        OGR_F_SetFieldNull(f, i);
        return;
    }
    s = (time_t)(t / 1000000);
    gmtime_r(&s, &tm);
    OGR_F_SetFieldDateTimeEx(f, i, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                             tm.tm_min, (float)(tm.tm_sec + (t % 1000000) / 1e6), 100);
}

/* Detection k of items: its attributes, and its point (NaN: none). */
static void set_detection(OGRFeatureH f, const void *items, size_t k, double *lon, double *lat)
{
    const hy_detection *d = (const hy_detection *)items + k;
    int i = 0;
    OGR_F_SetFieldString(f, i++, hy_kind_name(d->kind));
    OGR_F_SetFieldString(f, i++, hy_source_type_name(d->source_type));
    OGR_F_SetFieldString(f, i++, d->source_id);
    OGR_F_SetFieldString(f, i++, hy_sensor_name(d->sensor));
    set_time(f, i++, d->time);
    if (d->frame < 0)
        OGR_F_SetFieldNull(f, i++);
    else
        OGR_F_SetFieldInteger64(f, i++, d->frame);
    for (int b = 0; b < 4; b++)
        OGR_F_SetFieldInteger(f, i++, d->bbox[b]);
    OGR_F_SetFieldInteger(f, i++, d->pixels);
    OGR_F_SetFieldString(f, i++, d->township_code);
    OGR_F_SetFieldString(f, i++, d->township_name);
    OGR_F_SetFieldString(f, i++, d->township_county);
    set_real(f, i++, d->confidence);
    set_real(f, i++, d->area_m2);
    set_real(f, i++, d->frp_mw);
    set_real(f, i++, d->bt4_k);
    set_real(f, i++, d->bearing_deg);
    OGR_F_SetFieldString(f, i++, d->tests);
    OGR_F_SetFieldInteger(f, i++, d->static_source ? 1 : 0);
    set_real(f, i++, d->swir2_max);
    set_real(f, i++, d->swir2_mean);
    set_real(f, i++, d->r75_max);
    set_real(f, i++, d->township_outside_m > 0 ? d->township_outside_m : 0);
    set_real(f, i++, d->bt11_k);
    set_real(f, i++, d->scan_km);
    set_real(f, i++, d->track_km);
    {
        char dn[2] = {d->daynight == 'D' || d->daynight == 'N' ? d->daynight : 0, 0};
        OGR_F_SetFieldString(f, i++, dn);
    }
    OGR_F_SetFieldString(f, i++, d->evidence);
    *lon = d->lon;
    *lat = d->lat;
}

static const field_def event_fields[] = {
    {"event_id", OFTInteger64},   {"kind", OFTString},          {"state", OFTString},
    {"confirmed", OFTInteger},    {"escalated", OFTInteger},    {"detections", OFTInteger64},
    {"first_time", OFTDateTime},  {"last_time", OFTDateTime},   {"source_id", OFTString},
    {"township_code", OFTString}, {"township_name", OFTString}, {"township_county", OFTString},
    {"updated", OFTDateTime},
};
enum { NEVENT_FIELDS = sizeof(event_fields) / sizeof(event_fields[0]) };

/* Event k of items: its attributes, and its point (NaN: never placed). */
static void set_event(OGRFeatureH f, const void *items, size_t k, double *lon, double *lat)
{
    const hy_event *e = (const hy_event *)items + k;
    int i = 0;
    OGR_F_SetFieldInteger64(f, i++, e->id);
    OGR_F_SetFieldString(f, i++, hy_kind_name(e->kind));
    OGR_F_SetFieldString(f, i++, hy_event_state_name(e->state));
    OGR_F_SetFieldInteger(f, i++, e->confirmed ? 1 : 0);
    OGR_F_SetFieldInteger(f, i++, e->escalated ? 1 : 0);
    OGR_F_SetFieldInteger64(f, i++, e->detections);
    set_time(f, i++, e->first_time);
    set_time(f, i++, e->last_time);
    OGR_F_SetFieldString(f, i++, e->source_id);
    OGR_F_SetFieldString(f, i++, e->township_code);
    OGR_F_SetFieldString(f, i++, e->township_name);
    OGR_F_SetFieldString(f, i++, e->township_county);
    set_time(f, i++, e->updated_at);
    *lon = e->lon;
    *lat = e->lat;
}

/* Add a WGS84 point layer to ds with the given fields and write n items into it in one
 * transaction, set() filling each feature; then close ds. err names path on failure. */
static hy_status write_layer(GDALDatasetH ds, const char *path, const char *name,
                             const field_def *defs, int ndefs, const void *items, size_t n,
                             void (*set)(OGRFeatureH f, const void *items, size_t k, double *lon,
                                         double *lat),
                             char *err, size_t err_size)
{
    OGRLayerH layer = hy__ogr_layer(ds, name, wkbPoint, NULL);
    hy_status st = HY_EIO;
    if (!layer) {
        snprintf(err, err_size, "%s: cannot create layer %s: %s", path, name, CPLGetLastErrorMsg());
        goto done;
    }
    for (int i = 0; i < ndefs; i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(defs[i].name, defs[i].type);
        OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            snprintf(err, err_size, "%s: cannot create field %s", path, defs[i].name);
            goto done;
        }
    }
    if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
        snprintf(err, err_size, "%s: cannot start a transaction", path);
        goto done;
    }
    for (size_t k = 0; k < n; k++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        double lon, lat;
        OGRErr e;
        set(f, items, k, &lon, &lat);
        if (!isnan(lon) && !isnan(lat)) {
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, lon, lat);
            OGR_F_SetGeometryDirectly(f, pt);
        }
        e = OGR_L_CreateFeature(layer, f);
        OGR_F_Destroy(f);
        if (e != OGRERR_NONE) {
            snprintf(err, err_size, "%s: cannot write %s feature %zu: %s", path, name, k,
                     CPLGetLastErrorMsg());
            GDALDatasetRollbackTransaction(ds);
            goto done;
        }
    }
    if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE) {
        snprintf(err, err_size, "%s: cannot commit", path);
        goto done;
    }
    st = HY_OK;
done:
    CPLErrorReset();
    GDALClose(ds);
    if (st == HY_OK && CPLGetLastErrorType() >= CE_Failure) {
        snprintf(err, err_size, "%s: cannot finish writing: %s", path, CPLGetLastErrorMsg());
        st = HY_EIO;
    }
    return st;
}

hy_status hy_gpkg_write(const char *path, const char *layer_name, const hy_detection *d, size_t n,
                        char *err, size_t err_size)
{
    char dummy[8];
    GDALDatasetH ds = NULL;
    hy_status st;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || !layer_name || (!d && n))
        return HY_EINVAL;
    if ((st = hy__ogr_create("GPKG", path, &ds, err, err_size)) != HY_OK)
        return st;
    return write_layer(ds, path, layer_name, fields, NFIELDS, d, n, set_detection, err, err_size);
}

hy_status hy_gpkg_add_events(const char *path, const hy_event *ev, size_t n, char *err,
                             size_t err_size)
{
    char dummy[8];
    GDALDatasetH ds;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || (!ev && n))
        return HY_EINVAL;
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (!ds) {
        snprintf(err, err_size, "%s: cannot open the GeoPackage to add events: %s", path,
                 CPLGetLastErrorMsg());
        return HY_EIO;
    }
    return write_layer(ds, path, "events", event_fields, NEVENT_FIELDS, ev, n, set_event, err,
                       err_size);
}
