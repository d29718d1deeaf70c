/* geo/gcj02.c - GCJ-02, the obfuscated datum of Chinese web maps (Amap, Tencent, DataV): the
 * published forward formula (a = 6378245, ee = 0.00669342162296594323, polynomials in
 * (lon - 105, lat - 35); REFERENCES.md) and its inverse by fixed-point iteration. Outside
 * China's bounding box the datums coincide. */
#include "geo/geo.h"

#include <math.h>

static const double A = 6378245.0, EE = 0.00669342162296594323;

static double transform_lat(double x, double y)
{
    double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(y * M_PI) + 40.0 * sin(y / 3.0 * M_PI)) * 2.0 / 3.0;
    r += (160.0 * sin(y / 12.0 * M_PI) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
    return r;
}

static double transform_lon(double x, double y)
{
    double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));
    r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
    r += (20.0 * sin(x * M_PI) + 40.0 * sin(x / 3.0 * M_PI)) * 2.0 / 3.0;
    r += (150.0 * sin(x / 12.0 * M_PI) + 300.0 * sin(x / 30.0 * M_PI)) * 2.0 / 3.0;
    return r;
}

static int in_china(double lon, double lat)
{
    return lon >= 72.004 && lon <= 137.8347 && lat >= 0.8293 && lat <= 55.8271;
}

void hy_gcj02_from_wgs84(double lon, double lat, double *glon, double *glat)
{
    double dlat, dlon, rad, magic, sqrt_magic;
    if (!in_china(lon, lat)) {
        *glon = lon;
        *glat = lat;
        return;
    }
    dlat = transform_lat(lon - 105.0, lat - 35.0);
    dlon = transform_lon(lon - 105.0, lat - 35.0);
    rad = lat / 180.0 * M_PI;
    magic = sin(rad);
    magic = 1 - EE * magic * magic;
    sqrt_magic = sqrt(magic);
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrt_magic) * M_PI);
    dlon = (dlon * 180.0) / (A / sqrt_magic * cos(rad) * M_PI);
    *glon = lon + dlon;
    *glat = lat + dlat;
}

void hy_gcj02_to_wgs84(double glon, double glat, double *lon, double *lat)
{
    /* The shift varies slowly (hundreds of metres over hundreds of kilometres), so
     * w <- w - (f(w) - g) converges fast: 1e-10 deg (about 10 micrometres) in a few steps. */
    double wlon = glon, wlat = glat;
    for (int i = 0; i < 30; i++) {
        double flon, flat, elon, elat;
        hy_gcj02_from_wgs84(wlon, wlat, &flon, &flat);
        elon = flon - glon;
        elat = flat - glat;
        wlon -= elon;
        wlat -= elat;
        if (fabs(elon) < 1e-10 && fabs(elat) < 1e-10)
            break;
    }
    *lon = wlon;
    *lat = wlat;
}
