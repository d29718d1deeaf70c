/* alerts/report_cn.c - the table Chinese straw-burning reports use (市, 县, 乡镇, 中心经度,
 * 中心纬度, pass date and time in Beijing time, satellite/sensor), as CSV in UTF-8 with a byte
 * order mark so that Excel opens it right. Points are "疑似" (suspected) until checked on the
 * ground; those inside the static hot-source mask say so. Written through OGR's CSV driver. */
#include "alerts/alerts_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

static const char *const columns[] = {"序号",     "市",       "县",       "乡镇",     "乡镇代码",
                                      "中心经度", "中心纬度", "过境日期", "过境时间", "卫星/传感器",
                                      "像元数",   "面积(亩)", "置信度",   "状态"};
enum { NCOLUMNS = sizeof(columns) / sizeof(columns[0]) };

static const char *sensor_cn(hy_sensor s)
{
    switch (s) {
    case HY_SENSOR_LANDSAT8:
        return "Landsat-8 OLI";
    case HY_SENSOR_LANDSAT9:
        return "Landsat-9 OLI";
    case HY_SENSOR_SENTINEL2:
        return "Sentinel-2 MSI";
    case HY_SENSOR_VIIRS:
        return "VIIRS";
    case HY_SENSOR_MODIS:
        return "MODIS";
    case HY_SENSOR_CAMERA:
        return "视频监控";
    default:
        return "";
    }
}

hy_status hy_report_cn_write(const char *path, const char *city, const hy_detection *d, size_t n,
                             char *err, size_t err_size)
{
    static const char *const layer_options[] = {"WRITE_BOM=YES", "LINEFORMAT=CRLF", NULL};
    char dummy[8];
    GDALDatasetH ds;
    OGRLayerH layer;
    hy_status st = HY_EIO;
    size_t len;

    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || (!d && n))
        return HY_EINVAL;
    len = strlen(path);
    if (len < 5 || strcasecmp(path + len - 4, ".csv") != 0) {
        snprintf(err, err_size, "%s: the report table is written as CSV: name it *.csv", path);
        return HY_EINVAL;
    }
    if ((st = hy__ogr_create("CSV", path, &ds, err, err_size)) != HY_OK)
        return st;
    st = HY_EIO;
    layer = hy__ogr_layer(ds, "report", wkbNone, layer_options);
    if (!layer) {
        snprintf(err, err_size, "%s: cannot create the table: %s", path, CPLGetLastErrorMsg());
        goto done;
    }
    for (int c = 0; c < NCOLUMNS; c++) {
        OGRFieldDefnH fd = OGR_Fld_Create(columns[c], OFTString);
        OGRErr e = OGR_L_CreateField(layer, fd, TRUE);
        OGR_Fld_Destroy(fd);
        if (e != OGRERR_NONE) {
            snprintf(err, err_size, "%s: cannot create column %s", path, columns[c]);
            goto done;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const hy_detection *x = &d[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        char v[NCOLUMNS][64];
        int c = 0;
        memset(v, 0, sizeof(v));
        snprintf(v[c++], 64, "%zu", i + 1);
        snprintf(v[c++], 64, "%s", city ? city : "");
        snprintf(v[c++], 64, "%s", x->township_county);
        snprintf(v[c++], 64, "%s", x->township_name);
        snprintf(v[c++], 64, "%s", x->township_code);
        if (x->lon == x->lon) {
            snprintf(v[c++], 64, "%.6f", x->lon);
            snprintf(v[c++], 64, "%.6f", x->lat);
        } else {
            c += 2;
        }
        if (x->time != HY_TIME_NONE) {
            /* Beijing time (UTC+8), as the reports give it */
            time_t t = (time_t)(x->time / 1000000 + 8 * 3600);
            struct tm tm;
            gmtime_r(&t, &tm);
            strftime(v[c++], 64, "%Y-%m-%d", &tm);
            strftime(v[c++], 64, "%H:%M", &tm);
        } else {
            c += 2;
        }
        snprintf(v[c++], 64, "%s", sensor_cn(x->sensor));
        snprintf(v[c++], 64, "%d", x->pixels);
        if (x->area_m2 == x->area_m2)
            snprintf(v[c++], 64, "%.1f", x->area_m2 / (10000.0 / 15)); /* 1 亩 = 666.67 m2 */
        else
            c++;
        if (x->confidence == x->confidence)
            snprintf(v[c++], 64, "%.2f", x->confidence);
        else
            c++;
        snprintf(v[c++], 64, "%s", x->static_source ? "固定热源" : "疑似");
        for (int k = 0; k < NCOLUMNS; k++)
            if (v[k][0])
                OGR_F_SetFieldString(f, k, v[k]);
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
            snprintf(err, err_size, "%s: cannot write row %zu", path, i + 1);
            OGR_F_Destroy(f);
            goto done;
        }
        OGR_F_Destroy(f);
    }
    st = HY_OK;
done:
    GDALClose(ds);
    return st;
}
