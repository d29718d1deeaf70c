/* geo/geo_internal.h - shared inside geo/ only. */
#ifndef HY_GEO_INTERNAL_H
#define HY_GEO_INTERNAL_H

#include "geo/geo.h"

#include <math.h>

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

/** A new WGS84 spatial reference in longitude, latitude order; free with
 *  OSRDestroySpatialReference. */
OGRSpatialReferenceH hy__wgs84_new(void);

/** If g is invalid: *invalid = 1 and GEOS's repair of it (a new geometry) or NULL when GEOS
 *  cannot; if valid: *invalid = 0 and NULL. GDAL's messages are kept quiet. */
OGRGeometryH hy__make_valid(OGRGeometryH g, int *invalid);

/** Convert every vertex of g (any geometry) from GCJ-02 to WGS84 in place. */
void hy__gcj02_geometry_to_wgs84(OGRGeometryH g);

/* The sphere REFERENCES.md computes on, and the local scale of a degree (WGS84 ellipsoid near
 * the mid-latitudes: 110,574 m of latitude; 111,320 m x cos(lat) of longitude). */
#define HY__EARTH_R         6371000.0
#define HY__DEG             (M_PI / 180)
#define HY__M_PER_DEG_LAT   110574.0
#define HY__M_PER_DEG_LON_0 111320.0

#endif
