/* alerts/ogr.c - creating the OGR files the exports write (GeoPackage, CSV, GeoJSON). */
#include "alerts/alerts_internal.h"

#include <stdio.h>

#include <cpl_error.h>
#include <ogr_srs_api.h>

hy_status hy__ogr_create(const char *driver, const char *path, GDALDatasetH *out, char *err,
                         size_t err_size)
{
    GDALDriverH drv;
    GDALAllRegister();
    *out = NULL;
    if (!(drv = GDALGetDriverByName(driver))) {
        snprintf(err, err_size, "%s: this GDAL has no %s driver", path, driver);
        return HY_EINVAL;
    }
    remove(path);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    *out = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    CPLPopErrorHandler();
    if (!*out) {
        snprintf(err, err_size, "%s: cannot create: %s", path, CPLGetLastErrorMsg());
        return HY_EIO;
    }
    return HY_OK;
}

OGRLayerH hy__ogr_layer(GDALDatasetH ds, const char *name, OGRwkbGeometryType type,
                        const char *const *options)
{
    OGRSpatialReferenceH wgs = NULL;
    OGRLayerH layer;
    if (type != wkbNone) {
        wgs = OSRNewSpatialReference(NULL);
        OSRImportFromEPSG(wgs, 4326);
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    layer = GDALDatasetCreateLayer(ds, name, wgs, type, (char **)options);
    if (wgs)
        OSRDestroySpatialReference(wgs);
    return layer;
}
