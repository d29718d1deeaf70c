/* alerts/summary.c - detections counted by township (and day), written for Excel (CSV in UTF-8
 * with a byte order mark) or QGIS (GeoJSON points at each group's mean position), through
 * OGR. */
#include "alerts/alerts_internal.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

typedef struct writer {
    OGRLayerH layer;
    int by_day, points, failed; /* points: the layer has point geometry (GeoJSON) */
    size_t rows;
} writer;

/* area_mu: 亩, 10000/15 m2, the unit townships count bare land in */
static const char *const columns[] = {
    "county",  "township_code", "township",  "day",      "kind", "detections", "pixels",
    "area_m2", "area_mu",       "first_utc", "last_utc", "lon",  "lat"};
static const OGRFieldType types[] = {OFTString,  OFTString,  OFTString, OFTString, OFTString,
                                     OFTInteger, OFTInteger, OFTReal,   OFTReal,   OFTString,
                                     OFTString,  OFTReal,    OFTReal};
enum { NCOLUMNS = sizeof(columns) / sizeof(columns[0]) };

static int write_row(void *user, const hy_store_summary_row *r)
{
    writer *w = user;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(w->layer));
    int k = 0;
    OGR_F_SetFieldString(f, k++, r->county);
    OGR_F_SetFieldString(f, k++, r->township_code);
    OGR_F_SetFieldString(f, k++, r->township_name);
    if (w->by_day)
        OGR_F_SetFieldString(f, k++, r->day);
    OGR_F_SetFieldString(f, k++, r->kind);
    OGR_F_SetFieldInteger(f, k++, (int)(r->detections < INT_MAX ? r->detections : INT_MAX));
    OGR_F_SetFieldInteger(f, k++, (int)(r->pixels < INT_MAX ? r->pixels : INT_MAX));
    OGR_F_SetFieldDouble(f, k++, r->area_m2);
    OGR_F_SetFieldDouble(f, k++, round(r->area_m2 * 15 / 100) / 100); /* mu, 2 decimals */
    OGR_F_SetFieldString(f, k++, r->first_time);
    OGR_F_SetFieldString(f, k++, r->last_time);
    if (!isnan(r->lon) && !isnan(r->lat)) {
        OGR_F_SetFieldDouble(f, k++, r->lon);
        OGR_F_SetFieldDouble(f, k++, r->lat);
        if (w->points) {
            OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(g, 0, r->lon, r->lat);
            OGR_F_SetGeometryDirectly(f, g);
        }
    }
    if (OGR_L_CreateFeature(w->layer, f) != OGRERR_NONE)
        w->failed = 1;
    OGR_F_Destroy(f);
    w->rows++;
    return w->failed;
}

hy_status hy_store_summary_write(hy_store *st, int by_day, const char *path, char *err,
                                 size_t err_size)
{
    static const char *const csv_options[] = {"WRITE_BOM=YES", "LINEFORMAT=CRLF", NULL};
    static const char *const json_options[] = {"RFC7946=YES", NULL};
    const size_t len = path ? strlen(path) : 0;
    const int csv = len > 4 && strcasecmp(path + len - 4, ".csv") == 0;
    const int json = len > 8 && strcasecmp(path + len - 8, ".geojson") == 0;
    GDALDatasetH ds;
    writer w = {NULL, by_day, json, 0, 0};
    hy_status s = HY_EIO;

    if (!st || !path)
        return HY_EINVAL;
    if (!csv && !json) {
        snprintf(err, err_size,
                 "%s: the summary is written as CSV or GeoJSON: name it *.csv or "
                 "*.geojson",
                 path);
        return HY_EINVAL;
    }
    if ((s = hy__ogr_create(csv ? "CSV" : "GeoJSON", path, &ds, err, err_size)) != HY_OK)
        return s;
    s = HY_EIO;
    w.layer =
        hy__ogr_layer(ds, "summary", json ? wkbPoint : wkbNone, csv ? csv_options : json_options);
    if (!w.layer) {
        snprintf(err, err_size, "%s: cannot create the layer: %s", path, CPLGetLastErrorMsg());
        goto done;
    }
    for (int c = 0; c < NCOLUMNS; c++) {
        OGRFieldDefnH fd;
        if (c == 3 && !by_day)
            continue;
        fd = OGR_Fld_Create(columns[c], types[c]);
        if (OGR_L_CreateField(w.layer, fd, TRUE) != OGRERR_NONE) {
            OGR_Fld_Destroy(fd);
            snprintf(err, err_size, "%s: cannot create column %s", path, columns[c]);
            goto done;
        }
        OGR_Fld_Destroy(fd);
    }
    if ((s = hy_store_summary_by(st, by_day, write_row, &w)) != HY_OK) {
        snprintf(err, err_size, "%s", hy_store_errmsg(st));
        goto done;
    }
    if (w.failed) {
        snprintf(err, err_size, "%s: cannot write row %zu", path, w.rows);
        s = HY_EIO;
    }
done:
    GDALClose(ds);
    return s;
}
