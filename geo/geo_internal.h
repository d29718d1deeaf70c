/* geo/geo_internal.h - shared inside geo/ only. */
#ifndef HY_GEO_INTERNAL_H
#define HY_GEO_INTERNAL_H

#include "geo/geo.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/** An OGR layer opened for reading, with the transformation of its geometries to WGS84
 *  (lon, lat order); to_wgs84 is NULL when the layer is already WGS84 or has no CRS. */
typedef struct hy__vector {
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRCoordinateTransformationH to_wgs84;
} hy__vector;

/** Open layer `layer_name` (NULL: the first) of any OGR source with the driver open options
 *  given (NULL-terminated, may be NULL). On failure v is zeroed and err names the file. */
hy_status hy__vector_open(const char *path, const char *layer_name, const char *const *open_options,
                          hy__vector *v, char *err, size_t err_size);
/** Close what hy__vector_open opened; a zeroed v is a no-op. */
void hy__vector_close(hy__vector *v);

#endif
