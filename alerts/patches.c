/* alerts/patches.c - bare-soil patches as polygons for QGIS and for townships' lists: each
 * patch's pixels traced into a polygon by GDAL (GDALPolygonize, 8-connected, on a small raster
 * of the patch's bounding box in the scene's grid), reprojected to WGS84 and written with the
 * patch's figures: area in m2 and mu (1 mu = 10000/15 m2), class, township. */
#include "alerts/alerts_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_alg.h>
#include <ogr_srs_api.h>

#define M2_PER_MU (10000.0 / 15.0)

/* The polygon of patch k in the scene's CRS, or NULL. */
static OGRGeometryH trace(const hy_bare_patches *p, size_t k, const double gt[6])
{
    const int32_t *xy = p->xy + 2 * p->start[k];
    const size_t n = p->start[k + 1] - p->start[k];
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN, w, h;
    GDALDriverH mem = GDALGetDriverByName("MEM");
    GDALDatasetH ds;
    OGRSFDriverH vmem = OGRGetDriverByName("Memory");
    OGRDataSourceH vds;
    OGRLayerH layer;
    OGRFieldDefnH fd;
    OGRFeatureH f;
    OGRGeometryH out = NULL;
    uint8_t *buf;
    double sub[6];
    for (size_t i = 0; i < n; i++) {
        x0 = xy[2 * i] < x0 ? xy[2 * i] : x0;
        x1 = xy[2 * i] > x1 ? xy[2 * i] : x1;
        y0 = xy[2 * i + 1] < y0 ? xy[2 * i + 1] : y0;
        y1 = xy[2 * i + 1] > y1 ? xy[2 * i + 1] : y1;
    }
    if (!mem || !vmem || n == 0)
        return NULL;
    w = x1 - x0 + 3; /* a border of one empty pixel */
    h = y1 - y0 + 3;
    buf = CPLCalloc((size_t)w * (size_t)h, 1);
    for (size_t i = 0; i < n; i++)
        buf[(size_t)(xy[2 * i + 1] - y0 + 1) * (size_t)w + (size_t)(xy[2 * i] - x0 + 1)] = 1;
    ds = GDALCreate(mem, "", w, h, 1, GDT_Byte, NULL);
    vds = OGR_Dr_CreateDataSource(vmem, "", NULL);
    if (!ds || !vds) {
        CPLFree(buf);
        if (ds)
            GDALClose(ds);
        if (vds)
            OGR_DS_Destroy(vds);
        return NULL;
    }
    memcpy(sub, gt, sizeof(sub));
    sub[0] = gt[0] + (x0 - 1) * gt[1] + (y0 - 1) * gt[2];
    sub[3] = gt[3] + (x0 - 1) * gt[4] + (y0 - 1) * gt[5];
    GDALSetGeoTransform(ds, sub);
    if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, w, h, buf, w, h, GDT_Byte, 0, 0) ==
        CE_None) {
        static const char *const opts[] = {"8CONNECTED=8", NULL};
        layer = OGR_DS_CreateLayer(vds, "p", NULL, wkbPolygon, NULL);
        fd = OGR_Fld_Create("v", OFTInteger);
        OGR_L_CreateField(layer, fd, 0);
        OGR_Fld_Destroy(fd);
        if (GDALPolygonize(GDALGetRasterBand(ds, 1), GDALGetRasterBand(ds, 1), layer, 0,
                           (char **)opts, NULL, NULL) == CE_None) {
            OGR_L_ResetReading(layer);
            while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
                OGRGeometryH g = OGR_F_GetGeometryRef(f);
                if (OGR_F_GetFieldAsInteger(f, 0) == 1 && g) {
                    if (!out) {
                        out = OGR_G_Clone(g);
                    } else {
                        OGRGeometryH u = OGR_G_Union(out, g);
                        OGR_G_DestroyGeometry(out);
                        out = u;
                    }
                }
                OGR_F_Destroy(f);
            }
        }
    }
    CPLFree(buf);
    GDALClose(ds);
    OGR_DS_Destroy(vds);
    return out;
}

hy_status hy_patches_write(const char *path, const hy_detection *d, const hy_bare_patches *p,
                           const double gt[6], const char *crs_wkt, char *err, size_t err_size)
{
    static const struct {
        const char *name;
        OGRFieldType type;
    } fields[] = {{"class", OFTString},
                  {"area_m2", OFTReal},
                  {"area_mu", OFTReal},
                  {"pixels", OFTInteger},
                  {"township_code", OFTString},
                  {"township_name", OFTString},
                  {"township_county", OFTString},
                  {"lon", OFTReal},
                  {"lat", OFTReal},
                  {"source_id", OFTString},
                  {"time", OFTString}};
    const char *ext = strrchr(path, '.');
    const int geojson = ext && (strcasecmp(ext, ".geojson") == 0 || strcasecmp(ext, ".json") == 0);
    GDALDatasetH ds = NULL;
    OGRLayerH layer;
    OGRSpatialReferenceH src = NULL, wgs = NULL;
    OGRCoordinateTransformationH ct = NULL;
    hy_status st;
    char dummy[8];
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || !p || (p->n && (!d || !gt || !crs_wkt)))
        return HY_EINVAL;
    if ((st = hy__ogr_create(geojson ? "GeoJSON" : "GPKG", path, &ds, err, err_size)) != HY_OK)
        return st;
    layer = hy__ogr_layer(ds, "bare_soil_patches", wkbMultiPolygon, NULL);
    if (!layer) {
        snprintf(err, err_size, "%s: cannot create the layer: %s", path, CPLGetLastErrorMsg());
        GDALClose(ds);
        return HY_EIO;
    }
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
        OGR_L_CreateField(layer, fd, 0);
        OGR_Fld_Destroy(fd);
    }
    if (p->n) {
        src = OSRNewSpatialReference(crs_wkt);
        wgs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        if (src)
            OSRSetAxisMappingStrategy(src, OAMS_TRADITIONAL_GIS_ORDER);
        ct = src ? OCTNewCoordinateTransformation(src, wgs) : NULL;
        if (!ct) {
            snprintf(err, err_size, "%s: cannot transform the scene's CRS to WGS84", path);
            st = HY_EINVAL;
            goto out;
        }
    }
    for (size_t k = 0; k < p->n && st == HY_OK; k++) {
        OGRGeometryH g = trace(p, k, gt), mp;
        OGRFeatureH f;
        char iso[HY_TIME_STRLEN] = "";
        int i = 0;
        if (!g) {
            snprintf(err, err_size, "%s: cannot trace patch %zu", path, k);
            st = HY_EIO;
            break;
        }
        OGR_G_Transform(g, ct);
        mp = OGR_G_ForceToMultiPolygon(g);
        f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGR_F_SetFieldString(f, i++, hy_bare_class_name((hy_bare_class)p->cls[k]));
        OGR_F_SetFieldDouble(f, i++, d[k].area_m2);
        OGR_F_SetFieldDouble(f, i++, round(d[k].area_m2 / M2_PER_MU * 100) / 100);
        OGR_F_SetFieldInteger(f, i++, d[k].pixels);
        OGR_F_SetFieldString(f, i++, d[k].township_code);
        OGR_F_SetFieldString(f, i++, d[k].township_name);
        OGR_F_SetFieldString(f, i++, d[k].township_county);
        OGR_F_SetFieldDouble(f, i++, d[k].lon);
        OGR_F_SetFieldDouble(f, i++, d[k].lat);
        OGR_F_SetFieldString(f, i++, d[k].source_id);
        if (d[k].time != HY_TIME_NONE)
            hy_time_format(d[k].time, iso);
        OGR_F_SetFieldString(f, i++, iso);
        OGR_F_SetGeometryDirectly(f, mp);
        if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
            snprintf(err, err_size, "%s: cannot write patch %zu: %s", path, k,
                     CPLGetLastErrorMsg());
            st = HY_EIO;
        }
        OGR_F_Destroy(f);
    }
out:
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    if (src)
        OSRDestroySpatialReference(src);
    if (wgs)
        OSRDestroySpatialReference(wgs);
    GDALClose(ds);
    if (st != HY_OK)
        remove(path);
    return st;
}
