/* alerts/alerts_internal.h - shared inside alerts/ only. */
#ifndef HY_ALERTS_INTERNAL_H
#define HY_ALERTS_INTERNAL_H

#include "alerts/alerts.h"

#include <gdal.h>
#include <ogr_api.h>

/** A new vector dataset at path with OGR driver `driver` ("GPKG", "CSV", "GeoJSON"); an
 *  existing file is replaced, since exports are snapshots. On failure err names the file:
 *  HY_EINVAL when this GDAL lacks the driver, HY_EIO when the file cannot be created. */
hy_status hy__ogr_create(const char *driver, const char *path, GDALDatasetH *out, char *err,
                         size_t err_size);
/** A layer of geometry type `type` in WGS84 longitude, latitude order (wkbNone: a plain table),
 *  with driver options; NULL on failure (CPLGetLastErrorMsg says why). */
OGRLayerH hy__ogr_layer(GDALDatasetH ds, const char *name, OGRwkbGeometryType type,
                        const char *const *options);

#endif
