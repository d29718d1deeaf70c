/* bench/bench_geo.c - township lookups per second: huoyan's grid index against the OGR/GEOS
 * baseline (each feature's envelope, then OGR_G_Contains) on the same random points over the
 * Zhengzhou fixture, in the same process; both must give the same township for every point
 * the baseline answers. Usage: bench_geo [GEOJSON] (default: the shared fixture). */
#include "geo/geo.h"

#include <gdal.h>
#include <ogr_api.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define N_FAST 2000000
#define N_BASE 20000

static unsigned rng = 1;
static double unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng / 4294967296.0;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1]
                                : HY_SHARED_DATA_DIR
                           "/geo/geotrellis_demographics_zhengzhou/"
                           "demographics_epsg4326_with_areacity_names.geojson";
    hy_ctx *ctx;
    hy_townships_config cfg;
    hy_townships *tw;
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRFeatureH f;
    OGRGeometryH geoms[512];
    OGREnvelope env[512];
    char codes[512][16], err[512];
    int n = 0, hits = 0, agree = 0;
    double t0, fast, base;

    if (hy_ctx_create(NULL, &ctx) != HY_OK)
        return 1;
    hy_townships_config_init(&cfg);
    cfg.path = path;
    cfg.code_field = "gbcode";
    cfg.name_field = "gbcode";
    cfg.county_field = "gbcode";
    if (hy_townships_load(ctx, &cfg, &tw, err, sizeof(err)) != HY_OK) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    t0 = hy_time_mono();
    for (int i = 0; i < N_FAST; i++) {
        double lon = 112.72 + 1.50 * unit(), lat = 34.26 + 0.73 * unit();
        hits += hy_townships_lookup(tw, lon, lat) != NULL;
    }
    fast = N_FAST / (hy_time_mono() - t0);

    ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
    layer = GDALDatasetGetLayer(ds, 0);
    while ((f = OGR_L_GetNextFeature(layer)) && n < 512) {
        geoms[n] = OGR_G_Clone(OGR_F_GetGeometryRef(f));
        OGR_G_GetEnvelope(geoms[n], &env[n]);
        snprintf(codes[n], 16, "%s", OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "gbcode")));
        OGR_F_Destroy(f);
        n++;
    }
    rng = 7;
    t0 = hy_time_mono();
    for (int i = 0; i < N_BASE; i++) {
        double lon = 112.72 + 1.50 * unit(), lat = 34.26 + 0.73 * unit();
        const char *code = NULL;
        const hy_township *t;
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        OGR_G_SetPoint_2D(pt, 0, lon, lat);
        for (int k = 0; k < n && !code; k++)
            if (lon >= env[k].MinX && lon <= env[k].MaxX && lat >= env[k].MinY &&
                lat <= env[k].MaxY && OGR_G_Contains(geoms[k], pt))
                code = codes[k];
        OGR_G_DestroyGeometry(pt);
        t = hy_townships_lookup(tw, lon, lat);
        agree += (!t && !code) || (t && code && strcmp(t->code, code) == 0);
    }
    base = N_BASE / (hy_time_mono() - t0);
    printf("huoyan grid index   %.2f M lookups/s (%d points, %.1f %% inside)\n", fast / 1e6, N_FAST,
           100.0 * hits / N_FAST);
    printf("OGR/GEOS baseline   %.4f M lookups/s (%d points; its loop also times huoyan's)\n",
           base / 1e6, N_BASE);
    printf("ratio               %.0fx; agreement %d of %d\n", fast / base, agree, N_BASE);
    for (int k = 0; k < n; k++)
        OGR_G_DestroyGeometry(geoms[k]);
    GDALClose(ds);
    hy_townships_destroy(tw);
    hy_ctx_destroy(ctx);
    return agree == N_BASE ? 0 : 1;
}
