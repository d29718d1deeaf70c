/* tests/test_geo.c - pixels to WGS84, township lookups (known point, holes, multipolygons,
 * reprojected layers, agreement with GEOS), and bad layers. */
#include "tests/testutil.h"

#include "geo/geo.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdlib.h>

#define ZZ_GEOJSON                                                                                 \
    HY_DATA("geo/geotrellis_demographics_zhengzhou/"                                               \
            "demographics_epsg4326_with_areacity_names.geojson")
#define ZZ_SHP HY_DATA("geo/geotrellis_demographics_zhengzhou/demographics.shp")

static hy_townships *load(const char *path, const char *code, const char *name, const char *county)
{
    hy_townships_config cfg;
    hy_townships *tw = NULL;
    char err[1024];
    hy_townships_config_init(&cfg);
    cfg.path = path;
    cfg.code_field = code;
    cfg.name_field = name;
    cfg.county_field = county;
    if (hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)) != HY_OK)
        fprintf(stderr, "load %s: %s\n", path, err);
    return tw;
}

static void test_known_point(void)
{
    hy_townships *tw = load(ZZ_GEOJSON, "gbcode", "name_zh_areacity_2024", "county_name");
    const hy_township *t;
    REQUIRE(tw);
    ASSERT_EQ(hy_townships_count(tw), 160);
    t = hy_townships_lookup(tw, 113.8890, 34.7520);
    REQUIRE(t);
    ASSERT_STR_EQ(t->code, "410122105");
    ASSERT_STR_EQ(t->name, "白沙镇");
    ASSERT_STR_EQ(t->county, "中牟县");
    /* far outside Zhengzhou: none */
    ASSERT_TRUE(hy_townships_lookup(tw, 116.4, 39.9) == NULL);
    ASSERT_TRUE(hy_townships_lookup(tw, NAN, 34.75) == NULL);
    hy_townships_destroy(tw);

    /* the same boundaries as a shapefile in World Mercator (EPSG:3395): reprojected at load */
    tw = load(ZZ_SHP, "gbcode", "ename", "ename");
    REQUIRE(tw);
    t = hy_townships_lookup(tw, 113.8890, 34.7520);
    REQUIRE(t);
    ASSERT_STR_EQ(t->code, "410122105");
    ASSERT_STR_EQ(t->name, "Bai Sha Zhen");
    hy_townships_destroy(tw);
}

/* 1,000,000 random points over the fixture's extent: our index and even-odd test give the same
 * township as GEOS's Contains through OGR (prepared geometries, after each feature's envelope),
 * point by point. Points exactly on a shared edge have measure zero here. */
static void test_agrees_with_geos(void)
{
    hy_townships *tw = load(ZZ_GEOJSON, "gbcode", "name_zh_areacity_2024", "county_name");
    GDALDatasetH ds;
    OGRLayerH layer;
    OGRGeometryH geoms[200];
    OGRPreparedGeometryH prep[200];
    OGREnvelope env[200];
    char codes[200][16];
    int n = 0, agree = 0, inside = 0;
    const int points = 1000000;
    uint32_t seed = 2463534242u;
    REQUIRE(tw);
    REQUIRE(OGRHasPreparedGeometrySupport());
    GDALAllRegister();
    ds = GDALOpenEx(ZZ_GEOJSON, GDAL_OF_VECTOR, NULL, NULL, NULL);
    REQUIRE(ds);
    layer = GDALDatasetGetLayer(ds, 0);
    {
        OGRFeatureH f;
        while ((f = OGR_L_GetNextFeature(layer)) && n < 200) {
            geoms[n] = OGR_G_Clone(OGR_F_GetGeometryRef(f));
            prep[n] = OGRCreatePreparedGeometry(geoms[n]);
            OGR_G_GetEnvelope(geoms[n], &env[n]);
            snprintf(codes[n], sizeof(codes[n]), "%s",
                     OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "gbcode")));
            n++;
            OGR_F_Destroy(f);
        }
    }
    for (int i = 0; i < points; i++) {
        double lon, lat;
        const hy_township *t;
        const char *geos_code = NULL;
        OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        lon = 112.72 + 1.50 * (seed / 4294967296.0);
        seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
        lat = 34.26 + 0.73 * (seed / 4294967296.0);
        OGR_G_SetPoint_2D(pt, 0, lon, lat);
        for (int k = 0; k < n && !geos_code; k++)
            if (lon >= env[k].MinX && lon <= env[k].MaxX && lat >= env[k].MinY &&
                lat <= env[k].MaxY && OGRPreparedGeometryContains(prep[k], pt))
                geos_code = codes[k];
        OGR_G_DestroyGeometry(pt);
        t = hy_townships_lookup(tw, lon, lat);
        inside += geos_code != NULL;
        if ((!t && !geos_code) || (t && geos_code && strcmp(t->code, geos_code) == 0))
            agree++;
        else if (i - agree < 10) /* the first few disagreements, to look at */
            fprintf(stderr, "  disagree at %.7f %.7f: ours %s, GEOS %s\n", lon, lat,
                    t ? t->code : "-", geos_code ? geos_code : "-");
    }
    ASSERT_EQ(agree, points);
    ASSERT_TRUE(inside > points / 2); /* most of the extent is Zhengzhou */
    for (int k = 0; k < n; k++) {
        OGRDestroyPreparedGeometry(prep[k]);
        OGR_G_DestroyGeometry(geoms[k]);
    }
    GDALClose(ds);
    hy_townships_destroy(tw);
}

static const char *holes_geojson =
    "{\"type\":\"FeatureCollection\",\"features\":["
    /* A: a 10x10 square with a 2x2 hole in the middle */
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"A\",\"name\":\"甲\",\"county\":\"c\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
    "[[4,4],[6,4],[6,6],[4,6],[4,4]]]}},"
    /* B: two separate squares */
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"B\",\"name\":\"乙\",\"county\":\"c\"},"
    "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,0],[22,0],[22,2],[20,2],"
    "[20,0]]],[[[30,0],[32,0],[32,2],[30,2],[30,0]]]]}},"
    /* C: an island inside A's hole */
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"C\",\"name\":\"丙\",\"county\":\"c\"},"
    "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[4.5,4.5],[5.5,4.5],[5.5,5.5],"
    "[4.5,5.5],[4.5,4.5]]]}},"
    /* a feature without geometry is skipped */
    "{\"type\":\"Feature\",\"properties\":{\"code\":\"D\",\"name\":\"丁\",\"county\":\"c\"},"
    "\"geometry\":null}]}";

static int ring_sum(void *user, const double *p, size_t n)
{
    double *acc = user; /* rings, points, sum of x */
    acc[0] += 1;
    acc[1] += (double)n;
    for (size_t i = 0; i < n; i++)
        acc[2] += p[2 * i];
    return 0;
}

static void test_holes_and_parts(void)
{
    char path[1024];
    FILE *f;
    hy_townships *tw;
    const hy_township *t;
    snprintf(path, sizeof(path), "%s/holes.geojson", hy_test_tmpdir("geo"));
    f = fopen(path, "w");
    REQUIRE(f);
    fputs(holes_geojson, f);
    fclose(f);
    tw = load(path, "code", "name", "county");
    REQUIRE(tw);
    ASSERT_EQ(hy_townships_count(tw), 3);
    t = hy_townships_lookup(tw, 1, 1);
    ASSERT_STR_EQ(t ? t->code : NULL, "A");
    ASSERT_STR_EQ(t ? t->name : NULL, "甲");
    ASSERT_TRUE(hy_townships_lookup(tw, 4.2, 4.2) == NULL); /* in A's hole, outside C */
    t = hy_townships_lookup(tw, 5, 5);
    ASSERT_STR_EQ(t ? t->code : NULL, "C");
    t = hy_townships_lookup(tw, 21, 1);
    ASSERT_STR_EQ(t ? t->code : NULL, "B");
    t = hy_townships_lookup(tw, 31, 1.5);
    ASSERT_STR_EQ(t ? t->code : NULL, "B");
    ASSERT_TRUE(hy_townships_lookup(tw, 25, 1) == NULL); /* between B's parts */
    ASSERT_TRUE(hy_townships_lookup(tw, 11, 5) == NULL);
    /* just outside A's east edge (x = 10): 0.005 deg of longitude at 5 deg N is
     * 0.005 x 111320 x cos 5 deg = 554.5 m */
    {
        double d = -1;
        t = hy_townships_nearest(tw, 10.005, 5, 600, &d);
        ASSERT_STR_EQ(t ? t->code : NULL, "A");
        ASSERT_NEAR(d, 0.005 * 111320 * cos(5 * M_PI / 180), 0.5);
        ASSERT_TRUE(hy_townships_nearest(tw, 10.005, 5, 500, &d) == NULL); /* too far */
        t = hy_townships_nearest(tw, 1, 1, 500, &d); /* inside: itself, distance 0 */
        ASSERT_STR_EQ(t ? t->code : NULL, "A");
        ASSERT_NEAR(d, 0, 0);
        /* in the hole near C's edge (x = 4.5): C at 0.1 deg = 11.09 km beats A's hole edge at
         * 0.2 deg */
        t = hy_townships_nearest(tw, 4.4, 5, 20000, &d);
        ASSERT_STR_EQ(t ? t->code : NULL, "C");
        ASSERT_NEAR(d, 0.1 * 111320 * cos(5 * M_PI / 180), 5);
    }
    /* a detection there: given A, 554.5 m outside, within 600 m; none within 500 m; inside A
     * it is A, not outside */
    {
        hy_detection det;
        hy_detection_init(&det);
        det.lon = 10.005, det.lat = 5;
        hy_geo_assign_township(tw, 600, &det);
        ASSERT_STR_EQ(det.township_code, "A");
        ASSERT_NEAR(det.township_outside_m, 0.005 * 111320 * cos(5 * M_PI / 180), 0.5);
        hy_geo_assign_township(tw, 500, &det);
        ASSERT_STR_EQ(det.township_code, "");
        ASSERT_NEAR(det.township_outside_m, 0, 0);
        det.lon = 1, det.lat = 1;
        hy_geo_assign_township(tw, 600, &det);
        ASSERT_STR_EQ(det.township_code, "A");
        ASSERT_NEAR(det.township_outside_m, 0, 0);
    }
    /* the outline of a township, ring by ring: A's outer ring (x: 0 10 10 0 0) and its hole
     * (4 6 6 4 4): 2 rings of 5 points, x summing to 20 + 24 = 44; B's two parts, 2 rings, x
     * 20 22 22 20 20 and 30 32 32 30 30: 104 + 154 = 258 */
    {
        double acc[3] = {0, 0, 0};
        ASSERT_EQ(hy_townships_rings(tw, "A", ring_sum, acc), HY_OK);
        ASSERT_NEAR(acc[0], 2, 0);
        ASSERT_NEAR(acc[1], 10, 0);
        ASSERT_NEAR(acc[2], 44, 0);
        acc[0] = acc[1] = acc[2] = 0;
        ASSERT_EQ(hy_townships_rings(tw, "B", ring_sum, acc), HY_OK);
        ASSERT_NEAR(acc[0], 2, 0);
        ASSERT_NEAR(acc[2], 258, 0);
        ASSERT_EQ(hy_townships_rings(tw, "Z", ring_sum, acc), HY_ENOTFOUND);
    }
    hy_townships_destroy(tw);
}

static void test_bad_layers(void)
{
    hy_townships_config cfg;
    hy_townships *tw = (hy_townships *)1;
    char err[1024];
    hy_townships_config_init(&cfg);
    cfg.path = ZZ_GEOJSON;
    cfg.code_field = "adcode";
    ASSERT_EQ(hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)), HY_EFORMAT);
    ASSERT_TRUE(tw == NULL);
    ASSERT_CONTAINS(err, "no code field \"adcode\"");
    ASSERT_CONTAINS(err, "gbcode"); /* lists what there is */
    cfg.path = "/nonexistent/townships.gpkg";
    ASSERT_EQ(hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)), HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/townships.gpkg");
}

static hy_hotsources *load_hot(const char *path, double radius_m, char *err, size_t size)
{
    hy_hotsources_config cfg;
    hy_hotsources *hs = NULL;
    hy_hotsources_config_init(&cfg);
    cfg.path = path;
    if (radius_m > 0)
        cfg.radius_m = radius_m;
    if (hy_hotsources_load(hy_test_ctx(), &cfg, &hs, err, size) != HY_OK)
        return NULL;
    return hs;
}

static void test_hot_sources_firms(void)
{
    char err[512];
    /* FIRMS archive rows of type 2 (static land source) only; PROVENANCE counts them:
     * MODIS {0: 812, 2: 1700, 3: 1}, VIIRS {0: 5246, 2: 10912, 3: 322} */
    hy_hotsources *hs =
        load_hot(HY_DATA("satellite/firms_germany_2023/modis_2023_Germany.csv"), 0, err, 512);
    REQUIRE(hs);
    ASSERT_EQ(hy_hotsources_count(hs), 1700);
    /* the file's first row, type 2, at 49.2474 N 6.8438 E (Saarland steel) */
    ASSERT_EQ(hy_hotsources_contains(hs, 6.8438, 49.2474), 1);
    ASSERT_EQ(hy_hotsources_contains(hs, 4.0, 55.5), 0); /* the North Sea */
    ASSERT_EQ(hy_hotsources_contains(hs, 113.889, 34.752), 0);
    hy_hotsources_destroy(hs);
    hs = load_hot(HY_DATA("satellite/firms_germany_2023/viirs-snpp_2023_Germany.csv"), 375, err,
                  512);
    REQUIRE(hs);
    ASSERT_EQ(hy_hotsources_count(hs), 10912);
    /* the VIIRS file's first row, type 2 */
    ASSERT_EQ(hy_hotsources_contains(hs, 8.68222, 53.13398), 1);
    hy_hotsources_destroy(hs);
}

static void test_hot_sources_file(void)
{
    char path[1024], err[512];
    FILE *f;
    hy_hotsources *hs;
    snprintf(path, sizeof(path), "%s/hot.geojson", hy_test_tmpdir("hot"));
    f = fopen(path, "w");
    REQUIRE(f);
    /* a plant with the default radius, one with its own 200 m, and a walled yard */
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"coke\"},"
          "\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.9,34.75]}},"
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"power\",\"radius_m\":200},"
          "\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.5,34.5]}},"
          "{\"type\":\"Feature\",\"properties\":{\"name\":\"cement\"},"
          "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[113.0,34.0],[113.01,34.0],"
          "[113.01,34.01],[113.0,34.01],[113.0,34.0]]]}}]}",
          f);
    fclose(f);
    hs = load_hot(path, 0, err, sizeof(err));
    REQUIRE(hs);
    ASSERT_EQ(hy_hotsources_count(hs), 3);
    /* 0.0081 deg of latitude = 900.7 m (6371008.8 m x 0.0081 x pi / 180): inside 1000 m;
     * 0.0099 deg = 1100.8 m: outside */
    ASSERT_EQ(hy_hotsources_contains(hs, 113.9, 34.75 + 0.0081), 1);
    ASSERT_EQ(hy_hotsources_contains(hs, 113.9, 34.75 + 0.0099), 0);
    /* its own radius: 0.0017 deg = 189 m inside 200 m, 0.0019 deg = 211 m outside */
    ASSERT_EQ(hy_hotsources_contains(hs, 113.5, 34.5 - 0.0017), 1);
    ASSERT_EQ(hy_hotsources_contains(hs, 113.5, 34.5 - 0.0019), 0);
    ASSERT_EQ(hy_hotsources_contains(hs, 113.005, 34.005), 1); /* inside the yard */
    ASSERT_EQ(hy_hotsources_contains(hs, 113.02, 34.005), 0);
    ASSERT_EQ(hy_hotsources_contains(hs, NAN, 34.005), 0);
    hy_hotsources_destroy(hs);
    hy_hotsources_destroy(NULL);

    /* a bad radius is refused, naming the feature */
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
          "\"properties\":{\"radius_m\":-5},\"geometry\":{\"type\":\"Point\","
          "\"coordinates\":[113.9,34.75]}}]}",
          f);
    fclose(f);
    ASSERT_TRUE(load_hot(path, 0, err, sizeof(err)) == NULL);
    ASSERT_CONTAINS(err, "feature 1: radius_m = -5");
    ASSERT_TRUE(load_hot("/nonexistent/hot.gpkg", 0, err, sizeof(err)) == NULL);
    ASSERT_CONTAINS(err, "/nonexistent/hot.gpkg");
}

static void test_gcj02(void)
{
    double glon, glat, lon, lat, worst = 0;
    /* PROVENANCE (geo): near Zhengzhou, 34.75 N 113.65 E, the shift is about +556 m east and
     * -126 m north; a second implementation (Python, the same published formula) gives
     * 555.90 m and -126.45 m */
    hy_gcj02_from_wgs84(113.65, 34.75, &glon, &glat);
    ASSERT_NEAR((glon - 113.65) * cos(34.75 * M_PI / 180) * 111320, 555.90, 0.05);
    ASSERT_NEAR((glat - 34.75) * 110574, -126.45, 0.05);
    ASSERT_NEAR(glon, 113.65607766850398, 1e-12);
    ASSERT_NEAR(glat, 34.748856447706196, 1e-12);
    /* outside China nothing moves */
    hy_gcj02_from_wgs84(8.68, 53.13, &glon, &glat);
    ASSERT_NEAR(glon, 8.68, 0);
    ASSERT_NEAR(glat, 53.13, 0);
    /* the inverse, over a grid across Henan: back within far less than 0.5 m */
    for (double y = 31.5; y <= 36.5; y += 0.25)
        for (double x = 110.5; x <= 116.5; x += 0.25) {
            double e;
            hy_gcj02_from_wgs84(x, y, &glon, &glat);
            hy_gcj02_to_wgs84(glon, glat, &lon, &lat);
            e = hypot((lon - x) * cos(y * M_PI / 180) * 111320, (lat - y) * 110574);
            worst = e > worst ? e : worst;
        }
    hy_test_check(worst < 0.001, __LINE__, __FILE__, "inverse GCJ-02 error %.3g m < 1 mm", worst);
}

/* DataV's county outlines are GCJ-02. A point the Python second implementation found in the
 * ~550 m band: raw (GCJ-02 read as WGS84) it falls in 荥阳市 410182; converted, where it
 * really is, in 中原区 410102. */
static void test_gcj02_townships(void)
{
    hy_townships_config cfg;
    hy_townships *tw = NULL;
    const hy_township *t;
    char err[512];
    hy_townships_config_init(&cfg);
    cfg.path = HY_DATA("geo/datav_GeoMapData_CN/zhengzhou_410100_counties.json");
    cfg.code_field = "adcode";
    cfg.name_field = "name";
    cfg.county_field = "name";
    ASSERT_EQ(hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)), HY_OK);
    REQUIRE(tw);
    t = hy_townships_lookup(tw, 113.46295, 34.768057);
    ASSERT_STR_EQ(t ? t->code : NULL, "410182"); /* wrong: the layer read as WGS84 */
    hy_townships_destroy(tw);
    cfg.gcj02 = 1;
    ASSERT_EQ(hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)), HY_OK);
    REQUIRE(tw);
    t = hy_townships_lookup(tw, 113.46295, 34.768057);
    ASSERT_STR_EQ(t ? t->code : NULL, "410102");
    /* and the fixture's known point lies in 中牟县 */
    t = hy_townships_lookup(tw, 113.8890, 34.7520);
    ASSERT_STR_EQ(t ? t->code : NULL, "410122");
    ASSERT_STR_EQ(t ? t->name : NULL, "中牟县");
    hy_townships_destroy(tw);
}

static void collect_issue(void *user, const hy_townships_issue *i)
{
    char *buf = user;
    size_t len = strlen(buf);
    snprintf(buf + len, 2048 - len, "%s %s %s %.4g %.2f %.2f %d;", i->what, i->code, i->code2,
             i->area_m2, i->lon, i->lat, i->repairable);
}

/* Four townships around an empty middle, one overlapping another, one bow tie:
 * - S (0..3 x 0..1) and O (2.5..3.5 x 0..1) overlap in 0.5 deg2 around 0.5 N:
 *   0.5 x 111320 x cos(0.5 deg) x 110574 = 6.154e9 m2, centred at 2.75, 0.5;
 * - the middle (1..2 x 1..3) belongs to nobody: 2 x 111320 x cos 2 deg x 110574 = 2.460e10 m2,
 *   centred at 1.5, 2;
 * - Z crosses itself and GEOS repairs it. */
static void test_townships_check(void)
{
    char path[1024], err[512], got[2048] = "";
    hy_townships_config cfg;
    size_t n = 0;
    FILE *f;
    snprintf(path, sizeof(path), "%s/check.geojson", hy_test_tmpdir("check"));
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("{\"type\":\"FeatureCollection\",\"features\":["
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"S\",\"name\":\"S\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[0,0],[3,0],[3,1],[0,1],[0,0]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"N\",\"name\":\"N\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[0,3],[3,3],[3,4],[0,4],[0,3]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"W\",\"name\":\"W\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[0,1],[1,1],[1,3],[0,3],[0,1]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"E\",\"name\":\"E\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[2,1],[3,1],[3,3],[2,3],[2,1]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"O\",\"name\":\"O\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[2.5,0],[3.5,0],[3.5,1],[2.5,1],[2.5,0]]]}},"
          "{\"type\":\"Feature\",\"properties\":{\"code\":\"Z\",\"name\":\"Z\",\"county\":\"C\"},"
          "\"geometry\":{\"type\":"
          "\"Polygon\",\"coordinates\":[[[5,0],[6,1],[6,0],[5,1],[5,0]]]}}]}",
          f);
    fclose(f);
    hy_townships_config_init(&cfg);
    cfg.path = path;
    ASSERT_EQ(
        hy_townships_check(hy_test_ctx(), &cfg, 1.0, collect_issue, got, &n, err, sizeof(err)),
        HY_OK);
    ASSERT_EQ(n, 3);
    ASSERT_CONTAINS(got, "invalid Z  nan 5.50 0.50 1;");
    ASSERT_CONTAINS(got, "overlap S O 6.154e+09 2.75 0.50 0;");
    ASSERT_CONTAINS(got, "gap   2.46e+10 1.50 2.00 0;");
    /* the load repairs Z too, and says so */
    {
        hy_townships *tw = NULL;
        hy_test_log_clear();
        ASSERT_EQ(hy_townships_load(hy_test_ctx(), &cfg, &tw, err, sizeof(err)), HY_OK);
        ASSERT_CONTAINS(hy_test_log(), "feature 6 (Z): invalid geometry repaired");
        hy_townships_destroy(tw);
    }
}

/* ---- cameras ---- */

#define SPHERE_M_PER_DEG (6371000.0 * M_PI / 180) /* 111194.93 m */

static hy_camera tower(double pan, double tilt)
{
    hy_camera c = {113.889, 34.752, 45, pan, tilt, 0, 60, 34, 1920, 1080};
    return c;
}

static void test_camera_ray(void)
{
    hy_camera c = tower(120, 3);
    double b, d;
    hy_camera_ray(&c, 960, 540, &b, &d); /* the image centre is the pose */
    ASSERT_NEAR(b, 120, 1e-12);
    ASSERT_NEAR(d, 3, 1e-12);
    hy_camera_ray(&c, 1920, 540, &b, &d); /* the right edge is half the 60 deg field away */
    ASSERT_NEAR(b, 150, 1e-9);
    hy_camera_ray(&c, 960, 1080, &b, &d); /* the bottom edge is half the 34 deg field down */
    ASSERT_NEAR(d, 20, 1e-9);
    c.pan_deg = 10; /* the left edge of a camera facing 10 deg looks at 340 deg */
    hy_camera_ray(&c, 0, 540, &b, &d);
    ASSERT_NEAR(b, 340, 1e-9);
    /* rolled 90 deg clockwise, 100 px above the centre is 100 px right of it upright:
     * fx = 960 / tan 30 deg = 1662.77, atan(100 / 1662.77) = 3.4417 deg */
    c.pan_deg = 120;
    c.roll_deg = 90;
    hy_camera_ray(&c, 960, 440, &b, &d);
    ASSERT_NEAR(b, 123.4417, 1e-4);
    ASSERT_NEAR(d, 3, 1e-9);
}

static void test_camera_flat(void)
{
    hy_camera c = tower(120, 3);
    double lon, lat, dist, want = 45 / tan(3 * M_PI / 180); /* 858.65 m */
    ASSERT_EQ(hy_camera_ground(&c, NULL, 35000, 960, 540, &lon, &lat, &dist), HY_OK);
    ASSERT_NEAR(dist, 858.65, 0.01);
    ASSERT_NEAR(dist, want, 1e-9);
    /* 858.65 m at 120 deg on the 6371 km sphere, in the local flat approximation: 429.3 m
     * south, 743.6 m east (a great circle heading east bends x^2 tan(lat) / 2R = 3 cm towards
     * the equator, which the flat approximation leaves out: hence 1e-6 deg, 11 cm) */
    ASSERT_NEAR(lat, 34.752 + want * cos(120 * M_PI / 180) / SPHERE_M_PER_DEG, 1e-6);
    ASSERT_NEAR(lon,
                113.889 + want * sin(120 * M_PI / 180) /
                              (SPHERE_M_PER_DEG * cos((34.752 - 0.00193) * M_PI / 180)),
                1e-6);
    c.tilt_deg = -5; /* above the horizon: a bearing only */
    ASSERT_EQ(hy_camera_ground(&c, NULL, 35000, 960, 540, &lon, &lat, &dist), HY_ENOTFOUND);
    c.tilt_deg = 0.1; /* 45 / tan 0.1 deg = 25.8 km, beyond a 20 km range */
    ASSERT_EQ(hy_camera_ground(&c, NULL, 20000, 960, 540, &lon, &lat, &dist), HY_ENOTFOUND);
    c.width = 0;
    ASSERT_EQ(hy_camera_ground(&c, NULL, 20000, 960, 540, &lon, &lat, &dist), HY_EINVAL);
}

/* Write a one-band float DEM: z(x, y) at cell centres. */
static void write_dem(const char *path, const char *crs, const double gt[6], int w, int h,
                      double (*z)(double x, double y))
{
    GDALDriverH drv;
    GDALDatasetH ds;
    GDALAllRegister();
    drv = GDALGetDriverByName("GTiff");
    ds = GDALCreate(drv, path, w, h, 1, GDT_Float32, NULL);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    float *row = malloc((size_t)w * sizeof(float));
    char *wkt = NULL;
    REQUIRE(ds && row);
    OSRSetFromUserInput(srs, crs);
    OSRExportToWkt(srs, &wkt);
    GDALSetProjection(ds, wkt);
    GDALSetGeoTransform(ds, (double *)gt);
    for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++)
            row[c] = (float)z(gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]);
        REQUIRE(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, r, w, 1, row, w, 1, GDT_Float32,
                             0, 0) == CE_None);
    }
    GDALClose(ds);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    free(row);
}

/* 2 % up to the north from 100 m at the camera's latitude */
static double slope_z(double x, double y)
{
    (void)x;
    return 100 + 0.02 * (y - 34.752) * SPHERE_M_PER_DEG;
}

/* flat at 100 m with a 300 m ridge from 400 to 600 m north of the camera */
static double ridge_z(double x, double y)
{
    const double n = (y - 34.752) * SPHERE_M_PER_DEG;
    (void)x;
    return n >= 400 && n <= 600 ? 300 : 100;
}

static double flat100_z(double x, double y)
{
    (void)x;
    (void)y;
    return 100;
}

/* The ray's height above the ground, h - s tan d - s^2 (1 - k) / 2R = g s, solved for s. */
static double ray_meets(double h, double tilt_deg, double g)
{
    const double c = (1 - 0.13) / (2 * 6371000.0), b = tan(tilt_deg * M_PI / 180) + g;
    return (-b + sqrt(b * b + 4 * c * h)) / (2 * c);
}

static void test_camera_dem(void)
{
    const char *dir = hy_test_tmpdir("dem");
    char slope[1024], ridge[1024], utm[1024], bad[1024], err[512];
    /* 0.0005 deg cells (55 m by 46 m) from 113.85 to 113.95 E, 34.74 to 34.80 N */
    const double gt_ll[6] = {113.85, 0.0005, 0, 34.80, 0, -0.0005};
    /* 30 m cells around the camera's UTM 49N position (764458.5 E, 3849343.8 N) */
    const double gt_utm[6] = {758458.5, 30, 0, 3855343.8, 0, -30};
    hy_camera c = tower(0, 3);
    hy_dem *dem = NULL;
    double lon, lat, dist, z;
    FILE *f;

    snprintf(slope, sizeof(slope), "%s/slope.tif", dir);
    snprintf(ridge, sizeof(ridge), "%s/ridge.tif", dir);
    snprintf(utm, sizeof(utm), "%s/utm.tif", dir);
    snprintf(bad, sizeof(bad), "%s/bad.tif", dir);
    write_dem(slope, "EPSG:4326", gt_ll, 200, 120, slope_z);
    write_dem(ridge, "EPSG:4326", gt_ll, 200, 120, ridge_z);
    write_dem(utm, "EPSG:32649", gt_utm, 400, 400, flat100_z);

    /* a 2 % slope up ahead: ray and ground meet where 45 - s tan 3 deg - curvature = 0.02 s,
     * 621 m out, and the point is due north */
    ASSERT_EQ(hy_dem_open(hy_test_ctx(), slope, &dem, err, sizeof(err)), HY_OK);
    REQUIRE(dem);
    ASSERT_EQ(hy_dem_height(dem, 113.889, 34.752, &z), HY_OK);
    ASSERT_NEAR(z, 100, 1e-3);
    /* cells of 0.0005 deg: 55.3 m north-south, 0.0005 x 111320 x cos 34.80 deg = 45.7 m east-west
     */
    ASSERT_NEAR(hy_dem_cell_m(dem), 45.705, 0.001);
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_OK);
    ASSERT_NEAR(dist, ray_meets(45, 3, 0.02), 0.02);
    ASSERT_NEAR(dist, 621.5, 0.5);
    ASSERT_NEAR(lon, 113.889, 1e-9);
    ASSERT_NEAR(lat, 34.752 + dist / SPHERE_M_PER_DEG, 1e-9);
    /* looking 0.2 deg down, up the slope, the ground rises to the ray 1.9 km out (the DEM
     * reaches 5.3 km north), far beyond the 12.9 km flat earth would give ... */
    c.tilt_deg = 0.2;
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_OK);
    ASSERT_NEAR(dist, ray_meets(45, 0.2, 0.02), 0.02);
    /* ... but looking down the slope (south) at 0.2 deg the ground falls away faster than the
     * ray: it leaves the DEM, 1.3 km south, without meeting it */
    c.pan_deg = 180;
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_ENOTFOUND);
    hy_dem_destroy(dem);
    dem = NULL;

    /* a ridge 400..600 m north hides the ground that flat earth puts 858 m out; the ridge face
     * is a one-cell (55 m) ramp between cell centres, so the hit is within a cell of 400 m */
    c = tower(0, 3);
    ASSERT_EQ(hy_dem_open(hy_test_ctx(), ridge, &dem, err, sizeof(err)), HY_OK);
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_OK);
    ASSERT_TRUE(dist > 400 - 56 && dist < 400 + 56);
    hy_dem_destroy(dem);
    dem = NULL;

    /* flat 100 m in UTM 49N (the DEM's own CRS is honoured): 0.5 deg down from 45 m meets the
     * curved Earth at 5,135 m, 21 m short of flat earth's 45 / tan 0.5 deg = 5,156 m */
    c = tower(0, 0.5);
    ASSERT_EQ(hy_dem_open(hy_test_ctx(), utm, &dem, err, sizeof(err)), HY_OK);
    ASSERT_NEAR(hy_dem_cell_m(dem), 30, 1e-9);
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_OK);
    ASSERT_NEAR(dist, ray_meets(45, 0.5, 0), 0.02);
    ASSERT_TRUE(45 / tan(0.5 * M_PI / 180) - dist > 15);
    ASSERT_EQ(hy_camera_ground(&c, dem, 4000, 960, 540, &lon, &lat, &dist), HY_ENOTFOUND);
    c.lon = 120; /* a camera off the DEM */
    ASSERT_EQ(hy_camera_ground(&c, dem, 35000, 960, 540, &lon, &lat, &dist), HY_ENOTFOUND);
    hy_dem_destroy(dem);
    dem = NULL;

    /* not a raster, and a raster with no georeferencing */
    f = fopen(bad, "w");
    REQUIRE(f);
    fputs("II*\0garbage", f);
    fclose(f);
    ASSERT_EQ(hy_dem_open(hy_test_ctx(), bad, &dem, err, sizeof(err)), HY_EIO);
    ASSERT_CONTAINS(err, "bad.tif: cannot open as a raster");
    ASSERT_TRUE(dem == NULL);
    {
        GDALDatasetH ds;
        remove(bad);
        ds = GDALCreate(GDALGetDriverByName("GTiff"), bad, 4, 4, 1, GDT_Float32, NULL);
        REQUIRE(ds);
        GDALClose(ds);
    }
    ASSERT_EQ(hy_dem_open(hy_test_ctx(), bad, &dem, err, sizeof(err)), HY_EFORMAT);
    ASSERT_CONTAINS(err, "expected a georeferenced raster");
}

/* Initial great-circle bearing from (lon1, lat1) to (lon2, lat2): the textbook formula, not the
 * local frame geo/fix.c works in. */
static double gc_bearing(double lon1, double lat1, double lon2, double lat2)
{
    const double d = M_PI / 180, l = (lon2 - lon1) * d;
    double b = atan2(sin(l) * cos(lat2 * d),
                     cos(lat1 * d) * sin(lat2 * d) - sin(lat1 * d) * cos(lat2 * d) * cos(l)) /
               d;
    return b < 0 ? b + 360 : b;
}

static double gc_dist(double lon1, double lat1, double lon2, double lat2)
{
    const double d = M_PI / 180;
    const double a = pow(sin((lat2 - lat1) * d / 2), 2) +
                     cos(lat1 * d) * cos(lat2 * d) * pow(sin((lon2 - lon1) * d / 2), 2);
    return 2 * 6371000.0 * asin(sqrt(a));
}

static hy_bearing seen(const char *cam, double lon, double lat, double plon, double plat,
                       int64_t t_s)
{
    hy_bearing b = {cam, lon, lat, gc_bearing(lon, lat, plon, plat), 0.5, t_s * 1000000};
    return b;
}

/* Cameras A (113.80, 34.70) and B (113.90, 34.70), 9.15 km apart, see a fire 5 km north of
 * their midpoint at (113.85, 34.745): bearings 42.389 and 317.611 deg, 6,776.4 m from each. */
static void test_cross_fix(void)
{
    const double plon = 113.85, plat = 34.745;
    hy_fix_params p;
    hy_fix fx[8];
    hy_bearing b[4];
    size_t n = 99;

    hy_fix_params_init(&p);
    b[0] = seen("A", 113.80, 34.70, plon, plat, 0);
    b[1] = seen("B", 113.90, 34.70, plon, plat, 5);
    ASSERT_NEAR(b[0].bearing_deg, 42.3895, 1e-4);
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(fx[0].n_bearings, 2);
    /* on the fire (great circles cross exactly in the gnomonic frame) */
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, plon, plat) < 0.01);
    /* cones of +-0.5 deg: strips 6776.4 tan 0.5 deg = 59.14 m wide each side, crossing at the
     * fire at 84.836 deg (the bearings there, 42.418 and 317.582, from the reverse bearings);
     * the overlap's half long diagonal, sqrt(2 x 59.14^2 (1 + cos g)) / sin g, is 87.67 m */
    ASSERT_NEAR(fx[0].radius_m, 87.67, 0.01);

    /* a third camera C due north of the fire: least squares over three rays, still on it */
    b[2] = seen("C", 113.85, 34.80, plon, plat, 10);
    ASSERT_EQ(hy_geo_cross_fixes(b, 3, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(fx[0].n_bearings, 3);
    ASSERT_EQ(fx[0].members, 7);
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, plon, plat) < 0.01);
    /* C's bearing 0.5 deg off: A and B still pin it within their 88 m */
    b[2].bearing_deg += 0.5;
    ASSERT_EQ(hy_geo_cross_fixes(b, 3, &p, fx, 8, &n), HY_OK);
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, plon, plat) < 88);
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, plon, plat) > 1);

    /* the same camera twice is no pair; B a minute and more later is another event */
    b[2] = seen("A", 113.80, 34.70, plon, plat, 20);
    ASSERT_EQ(hy_geo_cross_fixes(&b[0], 1, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 0);
    b[1].time = 61 * (int64_t)1000000;
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 0);
    /* A at 0 s and 20 s (the fire 100 m further east by then) with B at 5 s: two pair fixes
     * 100 m apart, one event of three bearings */
    b[1].time = 5 * (int64_t)1000000;
    b[2] = seen("A", 113.80, 34.70, plon + 100 / (6371000.0 * M_PI / 180 * cos(plat * M_PI / 180)),
                plat, 20);
    ASSERT_EQ(hy_geo_cross_fixes(b, 3, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(fx[0].n_bearings, 3);
    p.merge_m = 50; /* closer than the fixes are apart: two events */
    ASSERT_EQ(hy_geo_cross_fixes(b, 3, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 2);
    hy_fix_params_init(&p);

    /* diverging rays (A looks north-west, B north-east) meet behind both cameras: no fix */
    b[0].bearing_deg = 300;
    b[1].bearing_deg = 60;
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 0);

    /* cameras 2 km apart and a fire 20 km north: the rays cross at 2 atan(1 / 20) = 5.7 deg,
     * under the 10 deg floor; at a 5 deg floor they are accepted */
    b[0] = seen("A", 113.84, 34.70, 113.85, 34.70 + 20000 / (6371000.0 * M_PI / 180), 0);
    b[1] = seen("B", 113.86, 34.70, 113.85, 34.70 + 20000 / (6371000.0 * M_PI / 180), 0);
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 0);
    p.min_angle_deg = 5;
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, 113.85, 34.70 + 20000 / (6371000.0 * M_PI / 180)) <
                0.01);
    hy_fix_params_init(&p);

    /* cameras 45.7 m apart seeing a fire 33 m north of them (rays crossing at 69 deg): under
     * the 100 m baseline floor; accepted with a 10 m floor */
    b[0] = seen("A", 113.8500, 34.70, 113.85025, 34.7003, 0);
    b[1] = seen("B", 113.8505, 34.70, 113.85025, 34.7003, 0);
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 0);
    p.min_baseline_m = 10;
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_OK);
    ASSERT_EQ(n, 1);
    ASSERT_TRUE(gc_dist(fx[0].lon, fx[0].lat, 113.85025, 34.7003) < 0.01);

    /* bad input */
    b[0].half_width_deg = NAN;
    ASSERT_EQ(hy_geo_cross_fixes(b, 2, &p, fx, 8, &n), HY_EINVAL);
    ASSERT_EQ(hy_geo_cross_fixes(b, HY_FIX_MAX_BEARINGS + 1, &p, fx, 8, &n), HY_EINVAL);
}

/* Swath geolocation arrays: positions between pixel centres, the antimeridian, and a cluster's
 * centre as the mean of its pixels' ground positions. */
static void test_swath(void)
{
    float lon[4 * 5], lat[4 * 5];
    const float am_lon[4] = {179.99f, -179.99f, 179.99f, -179.99f}, am_lat[4] = {10, 10, 9, 9};
    /* pixels growing towards the edge: centres at 0, 1 and 3 deg east on the equator */
    const float g_lon[6] = {0, 1, 3, 0, 1, 3}, g_lat[6] = {0.5f, 0.5f, 0.5f, -0.5f, -0.5f, -0.5f};
    const double cols[3] = {0.5, 1.5, 2.5}, rows[3] = {1, 1, 1};
    hy_geo_transform *t = NULL;
    double x, y;
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 5; c++) {
            lon[r * 5 + c] = (float)(113 + 0.01 * (c + 0.5));
            lat[r * 5 + c] = (float)(35 - 0.01 * (r + 0.5));
        }
    ASSERT_EQ(hy_geo_transform_create_swath(hy_test_ctx(), lon, lat, 5, 4, &t), HY_OK);
    REQUIRE(t);
    /* (the arrays are float32, as in the products: 113.025 is stored to 4e-6 deg) */
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 2.5, 3.5, &x, &y), HY_OK); /* a centre */
    ASSERT_NEAR(x, 113.025, 1e-5);
    ASSERT_NEAR(y, 34.965, 1e-5);
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 2.0, 3.0, &x, &y), HY_OK); /* a corner, between four */
    ASSERT_NEAR(x, 113.020, 1e-5);
    ASSERT_NEAR(y, 34.970, 1e-5);
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 0.2, 1, &x, &y), HY_ENOTFOUND); /* beyond the centres */
    hy_geo_transform_destroy(t);

    ASSERT_EQ(hy_geo_transform_create_swath(hy_test_ctx(), am_lon, am_lat, 2, 2, &t), HY_OK);
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 1, 1, &x, &y), HY_OK); /* halfway: 180, not 0 */
    ASSERT_NEAR(fabs(x), 180, 1e-4);
    ASSERT_NEAR(y, 9.5, 1e-6);
    hy_geo_transform_destroy(t);

    /* the mean pixel index (col 1.5) is at 1 deg; the mean ground position is at 4/3 deg */
    ASSERT_EQ(hy_geo_transform_create_swath(hy_test_ctx(), g_lon, g_lat, 3, 2, &t), HY_OK);
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 1.5, 1, &x, &y), HY_OK);
    ASSERT_NEAR(x, 1, 1e-9);
    ASSERT_EQ(hy_geo_pixels_centre(t, cols, rows, 3, &x, &y), HY_OK);
    ASSERT_NEAR(x, 4.0 / 3, 1e-4);
    ASSERT_NEAR(y, 0, 1e-9);
    hy_geo_transform_destroy(t);

    lat[7] = 95; /* not a latitude */
    ASSERT_EQ(hy_geo_transform_create_swath(hy_test_ctx(), lon, lat, 5, 4, &t), HY_EFORMAT);
    ASSERT_TRUE(t == NULL);
}

static void test_pixel_to_lonlat(void)
{
    /* `echo 113.889 34.752 | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32649` gives
     * E 764458.503439067, N 3849343.8325651: a 30 m grid whose pixel (0, 0) is centred there
     * maps (0.5, 0.5) back to the point. */
    const double gt[6] = {764458.503439067 - 15, 30, 0, 3849343.8325651 + 15, 0, -30};
    hy_geo_transform *t = NULL;
    double lon, lat;
    ASSERT_EQ(hy_geo_transform_create(hy_test_ctx(), "EPSG:32649", gt, &t), HY_OK);
    REQUIRE(t);
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 0.5, 0.5, &lon, &lat), HY_OK);
    ASSERT_NEAR(lon, 113.889, 1e-8);
    ASSERT_NEAR(lat, 34.752, 1e-8);
    /* 100 pixels east is 3 km east: 3000 / (111320 cos 34.752 deg) = 0.0329 deg of longitude */
    ASSERT_EQ(hy_geo_pixel_to_lonlat(t, 100.5, 0.5, &lon, &lat), HY_OK);
    ASSERT_NEAR(lon - 113.889, 3000 / (111320 * cos(34.752 * M_PI / 180)), 2e-4);
    hy_geo_transform_destroy(t);
    ASSERT_EQ(hy_geo_transform_create(hy_test_ctx(), "not a CRS", gt, &t), HY_EFORMAT);
    ASSERT_TRUE(t == NULL);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"known_point", test_known_point},
                                    {"agrees_with_geos", test_agrees_with_geos},
                                    {"holes_and_parts", test_holes_and_parts},
                                    {"bad_layers", test_bad_layers},
                                    {"pixel_to_lonlat", test_pixel_to_lonlat},
                                    {"hot_sources_firms", test_hot_sources_firms},
                                    {"hot_sources_file", test_hot_sources_file},
                                    {"gcj02", test_gcj02},
                                    {"gcj02_townships", test_gcj02_townships},
                                    {"townships_check", test_townships_check},
                                    {"camera_ray", test_camera_ray},
                                    {"camera_flat", test_camera_flat},
                                    {"camera_dem", test_camera_dem},
                                    {"cross_fix", test_cross_fix},
                                    {"swath", test_swath},
                                    {NULL, NULL}};
    return hy_test_main("geo", tests, argc, argv);
}
