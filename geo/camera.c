/* geo/camera.c - a tower camera's pixel to a bearing, a depression and a ground point, on flat
 * ground or by marching the ray over a DEM (REFERENCES.md, "Putting a camera hit on the
 * ground"). */
#include "geo/geo_internal.h"

#include <math.h>

#define REFRACTION_K 0.13 /* coefficient of refraction */

void hy_camera_ray(const hy_camera *c, double u, double v, double *bearing_deg,
                   double *depression_deg)
{
    const double fx = (c->width / 2.0) / tan(c->hfov_deg * HY__DEG / 2);
    const double fy = (c->height / 2.0) / tan(c->vfov_deg * HY__DEG / 2);
    double du = u - c->width / 2.0, dv = v - c->height / 2.0;
    double b;
    if (c->roll_deg != 0) { /* image offsets back to the upright frame: a camera rolled clockwise
                             * sees the world turned anticlockwise */
        const double r = c->roll_deg * HY__DEG, x = du * cos(r) - dv * sin(r);
        dv = du * sin(r) + dv * cos(r);
        du = x;
    }
    b = fmod(c->pan_deg + atan(du / fx) / HY__DEG, 360);
    *bearing_deg = b < 0 ? b + 360 : b;
    *depression_deg = c->tilt_deg + atan(dv / fy) / HY__DEG;
}

void hy_geo_destination(double lon, double lat, double bearing_deg, double dist_m, double *lon2,
                        double *lat2)
{
    const double p1 = lat * HY__DEG, b = bearing_deg * HY__DEG, a = dist_m / HY__EARTH_R;
    const double p2 = asin(sin(p1) * cos(a) + cos(p1) * sin(a) * cos(b));
    *lat2 = p2 / HY__DEG;
    *lon2 = lon + atan2(sin(b) * sin(a) * cos(p1), cos(a) - sin(p1) * sin(p2)) / HY__DEG;
}

/* Height of the ray above sea level (DEM) at distance s, curvature and refraction included. */
static double ray_z(double h0, double tan_d, double s)
{
    return h0 - s * tan_d - s * s * (1 - REFRACTION_K) / (2 * HY__EARTH_R);
}

hy_status hy_camera_ground(const hy_camera *c, const hy_dem *dem, double max_range_m, double u,
                           double v, double *lon, double *lat, double *dist_m)
{
    double bearing, dep, tan_d, h0, step, s0 = 0, s1, z;
    if (!c || !lon || !lat || !dist_m || !(max_range_m > 0) || c->width <= 0 || c->height <= 0 ||
        !(c->hfov_deg > 0 && c->hfov_deg < 180) || !(c->vfov_deg > 0 && c->vfov_deg < 180))
        return HY_EINVAL;
    hy_camera_ray(c, u, v, &bearing, &dep);
    tan_d = tan(dep * HY__DEG);
    if (!dem) { /* flat ground: the ray meets it only when it points down */
        if (!(dep > 0) || c->height_m / tan_d > max_range_m)
            return HY_ENOTFOUND;
        *dist_m = c->height_m / tan_d;
        hy_geo_destination(c->lon, c->lat, bearing, *dist_m, lon, lat);
        return HY_OK;
    }
    if (hy_dem_height(dem, c->lon, c->lat, &h0) != HY_OK)
        return HY_ENOTFOUND; /* the camera is off the DEM */
    h0 += c->height_m;
    step = hy_dem_cell_m(dem) / 2;
    /* march out in steps of half a cell until the ray is at or below the ground */
    for (s1 = step;; s0 = s1, s1 += step) {
        double x, y;
        if (s1 > max_range_m)
            return HY_ENOTFOUND;
        hy_geo_destination(c->lon, c->lat, bearing, s1, &x, &y);
        if (hy_dem_height(dem, x, y, &z) != HY_OK)
            return HY_ENOTFOUND; /* the ray left the DEM first */
        if (ray_z(h0, tan_d, s1) <= z)
            break;
    }
    /* then bisect the crossing down to a centimetre */
    while (s1 - s0 > 0.01) {
        const double s = (s0 + s1) / 2;
        double x, y;
        hy_geo_destination(c->lon, c->lat, bearing, s, &x, &y);
        if (hy_dem_height(dem, x, y, &z) != HY_OK || ray_z(h0, tan_d, s) <= z)
            s1 = s;
        else
            s0 = s;
    }
    *dist_m = s1;
    hy_geo_destination(c->lon, c->lat, bearing, s1, lon, lat);
    return HY_OK;
}
