/* geo/vector.c - opening the OGR layers geo/ reads (townships, hot sources) with their way to
 * WGS84, and the geometry helpers geo/ shares, in one place. */
#include "geo/geo_internal.h"

#include <stdio.h>
#include <string.h>

#include <cpl_error.h>

hy_status hy__vector_open(const char *path, const char *layer_name, const char *const *open_options,
                          hy__vector *v, char *err, size_t err_size)
{
    OGRSpatialReferenceH lsrs, wgs;

    memset(v, 0, sizeof(*v));
    GDALAllRegister();
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler); /* the message goes into err */
    v->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, open_options, NULL);
    CPLPopErrorHandler();
    if (!v->ds) {
        snprintf(err, err_size, "%s: cannot open as a vector layer: %s", path,
                 CPLGetLastErrorMsg()[0] ? CPLGetLastErrorMsg() : "no such file or format");
        return HY_EIO;
    }
    v->layer =
        layer_name ? GDALDatasetGetLayerByName(v->ds, layer_name) : GDALDatasetGetLayer(v->ds, 0);
    if (!v->layer) {
        snprintf(err, err_size, "%s: no layer \"%s\"", path, layer_name ? layer_name : "0");
        hy__vector_close(v);
        return HY_EFORMAT;
    }
    lsrs = OGR_L_GetSpatialRef(v->layer);
    if (!lsrs)
        return HY_OK; /* no CRS: taken as WGS84 longitude, latitude */
    wgs = hy__wgs84_new();
    if (!OSRIsSame(lsrs, wgs) && !(v->to_wgs84 = OCTNewCoordinateTransformation(lsrs, wgs))) {
        OSRDestroySpatialReference(wgs);
        snprintf(err, err_size, "%s: no transformation from the layer's CRS to WGS84", path);
        hy__vector_close(v);
        return HY_EFORMAT;
    }
    OSRDestroySpatialReference(wgs);
    return HY_OK;
}

void hy__vector_close(hy__vector *v)
{
    if (v->to_wgs84)
        OCTDestroyCoordinateTransformation(v->to_wgs84);
    if (v->ds)
        GDALClose(v->ds);
    memset(v, 0, sizeof(*v));
}

OGRSpatialReferenceH hy__wgs84_new(void)
{
    OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
    if (wgs) {
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    return wgs;
}

OGRGeometryH hy__make_valid(OGRGeometryH g, int *invalid)
{
    OGRGeometryH fixed = NULL;
    CPLPushErrorHandler(CPLQuietErrorHandler);
    *invalid = !OGR_G_IsValid(g);
    if (*invalid)
        fixed = OGR_G_MakeValid(g);
    CPLPopErrorHandler();
    return fixed;
}

void hy__gcj02_geometry_to_wgs84(OGRGeometryH g)
{
    const int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts; i++)
            hy__gcj02_geometry_to_wgs84(OGR_G_GetGeometryRef(g, i));
        return;
    }
    for (int i = 0; i < OGR_G_GetPointCount(g); i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        hy_gcj02_to_wgs84(x, y, &x, &y);
        OGR_G_SetPoint_2D(g, i, x, y);
    }
}
