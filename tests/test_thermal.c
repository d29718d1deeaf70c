/* tests/test_thermal.c - the VIIRS (Schroeder et al. 2014) and MODIS (Giglio et al. 2003/2016)
 * fire algorithms, clause by clause on both sides of each threshold, on swaths built in
 * memory; then whole granules written in the products' formats with planted fires, clouds,
 * water, glint and saturation.
 *
 * The background is a checkerboard whose statistics are known by hand: BT4 302/298 K and BT11
 * 291/289 K in phase, so in any odd square window around a pixel, leaving that pixel out, half
 * the pixels are of each colour: mean BT4 300, mean absolute deviation 2; BT4 - BT11 11/9:
 * mean 10, deviation 1; BT11 mean 290, deviation 1. (The night background is 20 K cooler in
 * BT4 and 15 K in BT11: BT4 282/278, BT11 276/274, BT4 - BT11 mean 5, deviation 1.) */
#include "tests/testutil.h"

#include "detect/detect.h"
#include "ingest/ingest.h"

#include <stdlib.h>

#define W  64
#define H  64
#define CX 32
#define CY 32

typedef struct mem {
    hy_test_granule tg;
    float raa[W * H]; /* relative azimuth */
    uint8_t flags[W * H];
    hy_swath sw;
    hy_granule_info info;
    hy_thermal_fires out;
} mem;

static void mem_init(mem *m, int sensor, int day)
{
    memset(m, 0, sizeof(*m));
    hy_test_granule_init(&m->tg, sensor, W, H);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            size_t i = (size_t)y * W + (size_t)x;
            int even = (x + y) % 2 == 0;
            m->tg.bt4[i] = (even ? 302.0f : 298.0f) - (day ? 0 : 20);
            m->tg.bt11[i] = (even ? 291.0f : 289.0f) - (day ? 0 : 15);
            m->tg.bt12[i] = 288.0f;
            m->tg.sza[i] = day ? 40.0f : 110.0f;
            m->raa[i] = 90.0f; /* with view zenith 20: glint angle 43.96 by day */
        }
    m->info.sensor = sensor;
    m->info.width = W;
    m->info.height = H;
    m->info.scan_rows = sensor == HY_SENSOR_VIIRS ? 32 : 10;
    m->info.nadir_m = sensor == HY_SENSOR_VIIRS ? 375 : 1000;
    snprintf(m->info.product_id, sizeof(m->info.product_id), "TEST");
}

static size_t at(int x, int y)
{
    return (size_t)y * W + (size_t)x;
}

/* Run the algorithm on the whole swath; the pixel at (x, y) in the output, or NULL. */
static const hy_thermal_fire *run(mem *m, int keep, int x, int y)
{
    hy_fire_thermal_config cfg;
    hy_fire_thermal_config_init(&cfg);
    cfg.keep_rejected = keep;
    for (size_t i = 0; i < (size_t)W * H; i++) {
        uint8_t lw = m->tg.landwater[i];
        m->flags[i] = HY_SW_VALID;
        if (lw == 0 || lw == 3 || lw == 5 || lw == 6 || lw == 7)
            m->flags[i] |= HY_SW_WATER;
        if (m->tg.sat4[i])
            m->flags[i] |= HY_SW_SAT4;
    }
    memset(&m->sw, 0, sizeof(m->sw));
    m->sw.rows = H;
    m->sw.width = W;
    m->sw.plane[HY_SW_BT4] = m->tg.bt4;
    m->sw.plane[HY_SW_BT11] = m->tg.bt11;
    m->sw.plane[HY_SW_BT12] = m->info.sensor == HY_SENSOR_MODIS ? m->tg.bt12 : NULL;
    m->sw.plane[HY_SW_RED] = m->tg.red;
    m->sw.plane[HY_SW_NIR] = m->tg.nir;
    m->sw.plane[HY_SW_SWIR] = m->tg.swir;
    m->sw.plane[HY_SW_SZA] = m->tg.sza;
    m->sw.plane[HY_SW_VZA] = m->tg.vza;
    m->sw.plane[HY_SW_RAA] = m->raa;
    m->sw.plane[HY_SW_LAT] = m->tg.lat;
    m->sw.plane[HY_SW_LON] = m->tg.lon;
    m->sw.flags = m->flags;
    hy_thermal_fires_free(hy_test_ctx(), &m->out);
    if (hy_fire_thermal_swath(hy_test_ctx(), &m->info, &m->sw, &cfg, &m->out) != HY_OK)
        return NULL;
    for (size_t k = 0; k < m->out.n; k++)
        if (m->out.v[k].x == x && m->out.v[k].y == y)
            return &m->out.v[k];
    return NULL;
}

/* A glint angle g at (x, y) by day (sun zenith 40): the sensor in the sun's azimuth plane,
 * opposite it, at zenith 40 + g (cos g' = cos(vz - sz)); g < 0 restores the background. */
static void set_glint(mem *m, int x, int y, float g)
{
    size_t i = (size_t)y * W + (size_t)x;
    m->tg.vza[i] = g < 0 ? 20.0f : 40.0f + g;
    m->raa[i] = g < 0 ? 90.0f : 180.0f;
}

static void mem_free(mem *m)
{
    hy_thermal_fires_free(hy_test_ctx(), &m->out);
    hy_test_granule_free(&m->tg);
}

/* Set the centre pixel and run; is it a fire? */
static int fire_at(mem *m, float bt4, float bt11, const hy_thermal_fire **f)
{
    const hy_thermal_fire *p;
    m->tg.bt4[at(CX, CY)] = bt4;
    m->tg.bt11[at(CX, CY)] = bt11;
    p = run(m, 1, CX, CY);
    if (f)
        *f = p;
    return p && (p->bits & HY_TFIRE_FIRE);
}

/* The background statistics by hand, and the day contextual clauses of Schroeder et al. 2014:
 * dBT > 10 + 2 x 1 and > 10 + 10 (so > 20); BT4 > 300 + 3.5 x 2 = 307; BT5 > 290 + 1 - 4 =
 * 287 or delta4' > 5. Candidates: dBT > 25 or BT4 > BT4S = 325 (median 300 clamped). */
static void test_viirs_day_clauses(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    REQUIRE(fire_at(&m, 320, 294, &f)); /* dBT 26: a candidate and a fire */
    ASSERT_EQ(f->window, 11);
    ASSERT_EQ(f->nbg, 120);
    ASSERT_NEAR(f->mean4, 300, 1e-4);
    ASSERT_NEAR(f->mad4, 2, 1e-4);
    ASSERT_NEAR(f->mean_d, 10, 1e-4);
    ASSERT_NEAR(f->mad_d, 1, 1e-4);
    ASSERT_NEAR(f->mean11, 290, 1e-4);
    ASSERT_NEAR(f->mad11, 1, 1e-4);
    ASSERT_EQ(f->bits & (HY_TFIRE_CANDIDATE | HY_TFIRE_CONTEXT | HY_TFIRE_DAY),
              HY_TFIRE_CANDIDATE | HY_TFIRE_CONTEXT | HY_TFIRE_DAY);
    ASSERT_EQ(f->conf_class, 'n'); /* BT4 - mean 20 > 15 */
    /* candidate test: dBT 25 is not > 25, and BT4 319 < 325 */
    ASSERT_TRUE(!fire_at(&m, 319, 294, &f) && f == NULL);
    /* BT4 325.5, dBT 15.5: the median decides; BT4S 325 makes it a candidate, which the
     * contextual dBT > 20 then rejects */
    ASSERT_TRUE(!fire_at(&m, 325.5f, 310, &f));
    REQUIRE(f);
    ASSERT_EQ(f->bits & HY_TFIRE_CANDIDATE, HY_TFIRE_CANDIDATE);
    ASSERT_NEAR(f->bt4_threshold, 325, 1e-6);
    /* dBT > 20 on both sides (a candidate by BT4 > 330) */
    ASSERT_TRUE(!fire_at(&m, 331, 311.1f, NULL));
    ASSERT_TRUE(fire_at(&m, 331, 310.9f, NULL));
    /* BT5 > 287 on both sides (dBT > 25 needs BT4 > 312) */
    ASSERT_TRUE(fire_at(&m, 313, 287.5f, NULL));
    ASSERT_TRUE(!fire_at(&m, 313, 286.5f, NULL));
    /* BT4 > 307: with delta4' > 5 from two background fires (340 and 352 K: mean 346,
     * deviation 6), one on each colour so the background keeps its statistics */
    m.tg.bt4[at(CX + 3, CY)] = 340, m.tg.bt11[at(CX + 3, CY)] = 300;         /* odd */
    m.tg.bt4[at(CX + 2, CY + 2)] = 352, m.tg.bt11[at(CX + 2, CY + 2)] = 300; /* even */
    ASSERT_TRUE(!fire_at(&m, 306.9f, 280, &f));
    REQUIRE(f);
    ASSERT_NEAR(f->mad4_fire, 6, 1e-4);
    ASSERT_EQ(f->nbg, 118);
    ASSERT_NEAR(f->mean4, 300, 1e-4);
    ASSERT_TRUE(fire_at(&m, 307.1f, 280, &f)); /* BT5 280 < 287, but delta4' 6 > 5 */
    ASSERT_EQ(f->conf_class, 'l');             /* BT4 - mean 7.1 <= 15 */
    m.tg.bt4[at(CX + 2, CY + 2)] = 346;        /* both at 340, 346: deviation 3 */
    ASSERT_TRUE(!fire_at(&m, 307.1f, 280, NULL));
    mem_free(&m);
}

/* The candidate threshold BT4S = min(330, max(325, median)) from the 501 x 501 median. */
static void test_viirs_bt4s(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    for (size_t i = 0; i < (size_t)W * H; i++)
        m.tg.bt4[i] = 328, m.tg.bt11[i] = 318;
    ASSERT_TRUE(run(&m, 1, 0, 0) == NULL); /* 328 is not > 328: no candidates at all */
    ASSERT_EQ(m.out.n, 0);
    fire_at(&m, 328.5f, 318, &f);
    REQUIRE(f);
    ASSERT_NEAR(f->bt4_threshold, 328, 1e-6);
    ASSERT_EQ(f->bits & HY_TFIRE_CANDIDATE, HY_TFIRE_CANDIDATE);
    for (size_t i = 0; i < (size_t)W * H; i++)
        m.tg.bt4[i] = 334; /* median 334: clamped to 330 */
    ASSERT_TRUE(!fire_at(&m, 329.9f, 318, &f) && f == NULL);
    mem_free(&m);
}

/* Night: dBT > 5 + 3 and > 5 + 9 (so > 14), BT4 > 280 + 3 x 2 = 286; candidates BT4 > 295 or
 * dBT > 10; the fixed night threshold BT4 > 320 K. */
static void test_viirs_night(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 0);
    ASSERT_TRUE(fire_at(&m, 296, 281.9f, &f));
    ASSERT_NEAR(f->mean4, 280, 1e-4);
    ASSERT_NEAR(f->mean_d, 5, 1e-4);
    ASSERT_EQ(f->bits & HY_TFIRE_DAY, 0);
    ASSERT_TRUE(!fire_at(&m, 296, 282.1f, NULL));
    /* night candidates: BT4 > 295 or dBT > 10, each on both sides */
    ASSERT_TRUE(!fire_at(&m, 294.5f, 290, &f) && f == NULL);
    fire_at(&m, 295.5f, 290, &f);
    ASSERT_TRUE(f && (f->bits & HY_TFIRE_CANDIDATE));
    ASSERT_TRUE(!fire_at(&m, 290, 280.5f, &f) && f == NULL);
    fire_at(&m, 290, 279.5f, &f);
    ASSERT_TRUE(f && (f->bits & HY_TFIRE_CANDIDATE));
    ASSERT_TRUE(!fire_at(&m, 285.9f, 270, NULL)); /* dBT 15.9 but BT4 <= 286 */
    ASSERT_TRUE(fire_at(&m, 286.1f, 270, NULL));
    /* fixed: BT4 > 320 with dBT 2.5, which the contextual test would reject */
    ASSERT_TRUE(fire_at(&m, 320.5f, 318, &f));
    ASSERT_EQ(f->bits & (HY_TFIRE_FIXED | HY_TFIRE_CONTEXT), HY_TFIRE_FIXED);
    ASSERT_TRUE(!fire_at(&m, 319.5f, 317, NULL));
    /* night cloud: BT5 < 265 and BT4 < 295 (not a candidate); BT5 265.5 is clear */
    m.tg.bt4[at(CX, CY)] = 294, m.tg.bt11[at(CX, CY)] = 264.5f;
    ASSERT_TRUE(run(&m, 1, CX, CY) == NULL);
    m.tg.bt11[at(CX, CY)] = 265.5f; /* dBT 28.5 > 10: a candidate */
    ASSERT_TRUE(run(&m, 1, CX, CY) != NULL);
    mem_free(&m);
}

/* Saturation, folding and the high confidence class; cloud tests by day. */
static void test_viirs_fixed_and_cloud(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    m.tg.sat4[at(CX, CY)] = 1;
    ASSERT_TRUE(fire_at(&m, 367, 291, &f)); /* BT5 > 290, rho1 + rho2 = 0.28 < 0.7 */
    ASSERT_EQ(f->bits & HY_TFIRE_SATURATED, HY_TFIRE_SATURATED);
    ASSERT_EQ(f->conf_class, 'h');
    fire_at(&m, 367, 289, &f); /* BT5 289: not the saturation test (the context still fires) */
    REQUIRE(f);
    ASSERT_EQ(f->bits & HY_TFIRE_SATURATED, 0);
    ASSERT_EQ(f->conf_class, 'n');
    m.tg.red[at(CX, CY)] = 0.4f, m.tg.nir[at(CX, CY)] = 0.35f; /* rho1 + rho2 0.75 */
    fire_at(&m, 367, 291, &f);
    ASSERT_TRUE(f && !(f->bits & HY_TFIRE_SATURATED));
    m.tg.red[at(CX, CY)] = 0.08f, m.tg.nir[at(CX, CY)] = 0.2f;
    m.tg.sat4[at(CX, CY)] = 0;
    /* folding: dBT < 0 with BT5 > 325 */
    ASSERT_TRUE(fire_at(&m, 320, 326, &f));
    ASSERT_EQ(f->bits & HY_TFIRE_FOLDED, HY_TFIRE_FOLDED);
    ASSERT_EQ(f->conf_class, 'h');
    ASSERT_TRUE(!fire_at(&m, 320, 324, NULL));
    /* day cloud clauses, each on both sides, on a pixel that is otherwise a candidate */
    ASSERT_TRUE(!fire_at(&m, 331, 264.5f, &f) && f == NULL); /* BT5 < 265 */
    ASSERT_TRUE(fire_at(&m, 331, 265.5f, &f) || f != NULL);
    m.tg.red[at(CX, CY)] = 0.5f, m.tg.nir[at(CX, CY)] = 0.45f; /* rho1 + rho2 0.95 */
    ASSERT_TRUE(!fire_at(&m, 331, 294.5f, &f) && f == NULL);   /* and BT5 < 295 */
    ASSERT_TRUE(fire_at(&m, 331, 295.5f, &f) || f != NULL);
    m.tg.red[at(CX, CY)] = 0.3f, m.tg.nir[at(CX, CY)] = 0.5f; /* rho1 + rho2 0.8 */
    ASSERT_TRUE(!fire_at(&m, 331, 284.5f, &f) && f == NULL);  /* and BT5 < 285 */
    ASSERT_TRUE(fire_at(&m, 331, 285.5f, &f) || f != NULL);
    mem_free(&m);
}

/* Water (the mask, and by day rho1 > rho2 > rho3) and clouds leave the background; the window
 * grows from 11 x 11 until >= 10 valid pixels and >= 25 % of the window. */
static void test_viirs_background(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    for (int k = 0; k < 6; k++)
        m.tg.landwater[at(CX - 5 + k, CY - 5)] = 7; /* six by the mask */
    for (int k = 0; k < 4; k++) {                   /* four by their spectrum */
        size_t i = at(CX - 5 + k, CY + 5);
        m.tg.red[i] = 0.1f, m.tg.nir[i] = 0.05f, m.tg.swir[i] = 0.02f;
    }
    REQUIRE(fire_at(&m, 320, 294, &f));
    ASSERT_EQ(f->nbg, 110);
    ASSERT_EQ(f->window, 11);
    mem_free(&m);

    /* clouds (BT5 250) over every pixel within distance d of the centre: d = 5 -> 13 x 13
     * (48 clear of 168); d = 6 -> 15 x 15 (56 of 224, exactly 25 %); d = 7 -> 17 x 17 has 64
     * of 288 (< 25 %), 19 x 19 has 136 of 360 */
    {
        static const int want_window[] = {13, 15, 19};
        static const int want_nbg[] = {48, 56, 136};
        for (int d = 5; d <= 7; d++) {
            mem_init(&m, HY_SENSOR_VIIRS, 1);
            for (int y = CY - d; y <= CY + d; y++)
                for (int x = CX - d; x <= CX + d; x++)
                    m.tg.bt11[at(x, y)] = 250;
            fire_at(&m, 320, 294, &f);
            REQUIRE(f);
            ASSERT_EQ(f->window, want_window[d - 5]);
            ASSERT_EQ(f->nbg, want_nbg[d - 5]);
            mem_free(&m);
        }
        /* no adequate window up to 31 x 31: no contextual fire */
        mem_init(&m, HY_SENSOR_VIIRS, 1);
        for (int y = CY - 15; y <= CY + 15; y++)
            for (int x = CX - 15; x <= CX + 15; x++)
                m.tg.bt11[at(x, y)] = 250;
        ASSERT_TRUE(!fire_at(&m, 320, 294, &f));
        ASSERT_TRUE(f && f->window == 0);
        mem_free(&m);
    }
}

/* Giglio et al. 2003's glint and desert-boundary tests: VIIRS fires become low confidence. */
static void test_viirs_glint_desert(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    set_glint(&m, CX, CY, 1.5f); /* < 2 deg */
    ASSERT_TRUE(fire_at(&m, 330.5f, 300, &f));
    ASSERT_EQ(f->bits & HY_TFIRE_GLINT, HY_TFIRE_GLINT);
    ASSERT_EQ(f->conf_class, 'l');
    set_glint(&m, CX, CY, 7); /* < 8 deg with bright red, NIR and SWIR */
    m.tg.red[at(CX, CY)] = 0.12f, m.tg.nir[at(CX, CY)] = 0.25f, m.tg.swir[at(CX, CY)] = 0.13f;
    ASSERT_TRUE(fire_at(&m, 330.5f, 300, &f) && (f->bits & HY_TFIRE_GLINT));
    m.tg.swir[at(CX, CY)] = 0.11f;
    ASSERT_TRUE(fire_at(&m, 330.5f, 300, &f) && !(f->bits & HY_TFIRE_GLINT));
    ASSERT_EQ(f->conf_class, 'n');
    set_glint(&m, CX, CY, 11); /* < 12 deg with water in the window */
    ASSERT_TRUE(fire_at(&m, 330.5f, 300, &f) && !(f->bits & HY_TFIRE_GLINT));
    m.tg.landwater[at(CX + 4, CY + 4)] = 3;
    ASSERT_TRUE(fire_at(&m, 330.5f, 300, &f) && (f->bits & HY_TFIRE_GLINT));
    mem_free(&m);

    /* desert boundary: 14 background fires at 336 K (7 of each colour) in the 11 x 11 window:
     * 14 > 0.1 x 106, >= 4, NIR 0.2 > 0.15, mean 336 < 345, deviation 0 < 3, and BT4 < 336 +
     * 6 x 0 */
    mem_init(&m, HY_SENSOR_VIIRS, 1);
    for (int k = 0; k < 14; k++) {
        size_t i = at(CX - 5 + k % 11, CY - 5 + k / 11);
        m.tg.bt4[i] = 336, m.tg.bt11[i] = 300;
    }
    ASSERT_TRUE(fire_at(&m, 335, 300, &f));
    ASSERT_EQ(f->nbg, 106);
    ASSERT_NEAR(f->mean4, 300, 1e-4);
    ASSERT_EQ(f->bits & HY_TFIRE_DESERT, HY_TFIRE_DESERT);
    ASSERT_EQ(f->conf_class, 'l');
    ASSERT_TRUE(fire_at(&m, 337, 300, &f) && !(f->bits & HY_TFIRE_DESERT));
    ASSERT_EQ(f->conf_class, 'n');
    mem_free(&m);
}

/* MODIS by day: potential fires T4 > 310, dT > 10, rho0.86 < 0.3; tests (2) dT > 10 + 3.5,
 * (3) dT > 10 + 6, (4) T4 > 300 + 3 x 2, (5) T11 > 290 + 1 - 4 or (6) delta4' > 5; absolute
 * T4 > 360; confidence by hand; FRP by hand. */
static void test_modis_day(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_MODIS, 1);
    ASSERT_TRUE(fire_at(&m, 312, 295.9f, &f)); /* dT 16.1 */
    ASSERT_EQ(f->window, 3);                   /* 8 of 8 valid */
    ASSERT_EQ(f->nbg, 8);
    ASSERT_NEAR(f->mean4, 300, 1e-4);
    ASSERT_NEAR(f->mad4, 2, 1e-4);
    /* C1 = (312 - 310) / 30, z4 = 6 and zdT = 6.1 give C2 = C3 = 1, no cloud or water next to
     * it: C = (1/15)^(1/5) = 0.58174 */
    ASSERT_NEAR(f->confidence, 100 * pow(2.0 / 30, 0.2), 1e-3);
    ASSERT_EQ(f->conf_class, 'n');
    {
        /* FRP = 4.34e-19 (312^8 - 300^8) x scan x track; the pixel is 0.0041 deg of longitude
         * by 0.0034 deg of latitude at 34.6088 N: 0.0041 x 111.1951 x cos(34.6088 deg) km by
         * 0.0034 x 111.1951 km */
        double lat = (34.5 + 0.0034 * CY) * M_PI / 180, km = 6371.0088 * M_PI / 180;
        double scan = 0.0041 * km * cos(lat), track = 0.0034 * km;
        /* positions are float32: 1 ulp of longitude near 113.6 is 7.6e-6 deg, 0.7 m here */
        ASSERT_NEAR(f->scan_km, scan, 5e-4);
        ASSERT_NEAR(f->track_km, track, 5e-4);
        ASSERT_NEAR(f->frp_mw, 4.34e-19 * (pow(312, 8) - pow(300, 8)) * scan * track, 0.01);
    }
    ASSERT_TRUE(!fire_at(&m, 312, 296.1f, NULL));            /* dT 15.9 */
    ASSERT_TRUE(!fire_at(&m, 309.5f, 290, &f) && f == NULL); /* not potential: T4 <= 310 */
    ASSERT_TRUE(fire_at(&m, 310.5f, 290, NULL));
    m.tg.nir[at(CX, CY)] = 0.31f; /* NIR 0.31: not potential */
    ASSERT_TRUE(!fire_at(&m, 320, 295, &f) && f == NULL);
    m.tg.nir[at(CX, CY)] = 0.29f;
    ASSERT_TRUE(fire_at(&m, 320, 295, NULL));
    m.tg.nir[at(CX, CY)] = 0.2f;
    /* test (4): T4 > 306 needs a potential fire, T4 > 310: always true here; test (5) */
    ASSERT_TRUE(fire_at(&m, 320, 287.5f, NULL));
    ASSERT_TRUE(!fire_at(&m, 320, 286.5f, NULL));
    /* absolute: T4 > 360 under a full cloud cover around it (no background) */
    for (int y = CY - 10; y <= CY + 10; y++)
        for (int x = CX - 10; x <= CX + 10; x++)
            m.tg.bt12[at(x, y)] = 250;
    m.tg.bt12[at(CX, CY)] = 288;
    ASSERT_TRUE(fire_at(&m, 361, 300, &f));
    ASSERT_EQ(f->bits & (HY_TFIRE_FIXED | HY_TFIRE_CONTEXT), HY_TFIRE_FIXED);
    ASSERT_EQ(f->window, 0);
    ASSERT_TRUE(isnan(f->frp_mw));
    /* 8 cloudy neighbours: C4 = 0 */
    ASSERT_NEAR(f->confidence, 0, 1e-6);
    ASSERT_TRUE(!fire_at(&m, 359, 300, NULL));
    mem_free(&m);

    /* test (2) binding: BT11 in antiphase (288 on BT4's 302, 292 on 298) makes dT 14/6: mean
     * 10, deviation 4, so (2) dT > 10 + 14 = 24 is stricter than (3) dT > 16; (5) T11 > 290 +
     * 2 - 4 */
    mem_init(&m, HY_SENSOR_MODIS, 1);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            m.tg.bt11[at(x, y)] = (x + y) % 2 == 0 ? 288.0f : 292.0f;
    ASSERT_TRUE(fire_at(&m, 330, 305.9f, &f)); /* dT 24.1 */
    ASSERT_NEAR(f->mad_d, 4, 1e-4);
    ASSERT_NEAR(f->mad11, 2, 1e-4);
    ASSERT_TRUE(!fire_at(&m, 330, 306.1f, NULL)); /* dT 23.9 */
    mem_free(&m);

    /* glint rejects MODIS fires; cloud (rho0.65 + rho0.86 > 0.9, T12 < 265) and water are not
     * tested */
    mem_init(&m, HY_SENSOR_MODIS, 1);
    set_glint(&m, CX, CY, 1.5f);
    ASSERT_TRUE(!fire_at(&m, 312, 295, &f));
    ASSERT_TRUE(f && (f->bits & HY_TFIRE_GLINT));
    set_glint(&m, CX, CY, -1);
    m.tg.bt12[at(CX, CY)] = 264;
    ASSERT_TRUE(!fire_at(&m, 312, 295, &f) && f == NULL);
    m.tg.bt12[at(CX, CY)] = 288;
    m.tg.red[at(CX, CY)] = 0.62f, m.tg.nir[at(CX, CY)] = 0.29f;
    ASSERT_TRUE(!fire_at(&m, 312, 295, &f) && f == NULL);
    m.tg.red[at(CX, CY)] = 0.08f, m.tg.nir[at(CX, CY)] = 0.2f;
    m.tg.landwater[at(CX, CY)] = 6;
    ASSERT_TRUE(!fire_at(&m, 312, 295, &f) && f == NULL);
    m.tg.landwater[at(CX, CY)] = 1;
    ASSERT_TRUE(fire_at(&m, 312, 295, NULL));
    mem_free(&m);
}

/* MODIS at night: potential T4 > 305, dT > 10; tests (2)-(4) only; absolute T4 > 320. */
static void test_modis_night(void)
{
    mem m;
    const hy_thermal_fire *f;
    mem_init(&m, HY_SENSOR_MODIS, 0); /* BT4 282/278, BT11 276/274: dT mean 5, deviation 1 */
    ASSERT_TRUE(fire_at(&m, 287, 270, &f) == 0 && f == NULL); /* T4 <= 305: not potential */
    ASSERT_TRUE(fire_at(&m, 305.5f, 289, &f));                /* dT 16.5 */
    /* C1 = (305.5 - 305) / 15, z4 = 25.5 / 2 -> C2 = 1, zdT = 11.5 -> C3 = 1 */
    ASSERT_NEAR(f->confidence, 100 * pow(0.5 / 15, 1.0 / 3), 1e-3);
    ASSERT_EQ(f->conf_class, 'n');
    ASSERT_TRUE(!fire_at(&m, 306, 295.1f, NULL)); /* dT 10.9: (3) needs > 5 + 6 */
    ASSERT_TRUE(fire_at(&m, 306, 294.9f, NULL));  /* dT 11.1 */
    /* the absolute test applies to potential fires (dT > 10): T4 > 320 */
    ASSERT_TRUE(fire_at(&m, 321, 305, &f));
    ASSERT_EQ(f->bits & HY_TFIRE_FIXED, HY_TFIRE_FIXED);
    ASSERT_TRUE(fire_at(&m, 319, 305, &f));
    ASSERT_EQ(f->bits & HY_TFIRE_FIXED, 0);
    ASSERT_TRUE(!fire_at(&m, 321, 318, &f) && f == NULL); /* dT 3: not potential */
    mem_free(&m);
}

/* The glint angle by hand: 0 where the sensor looks along the sun's reflection (both at
 * zenith 30, azimuths opposite), the sun's zenith for a nadir view, acos(cos 20 cos 40) =
 * 43.9582 with the azimuths 90 deg apart, and |vz - sz| in the sun's plane. */
static void test_glint_angle(void)
{
    ASSERT_NEAR(hy_glint_angle(30, 30, 180), 0, 1e-6);
    ASSERT_NEAR(hy_glint_angle(30, 30, -180), 0, 1e-6);
    ASSERT_NEAR(hy_glint_angle(30, 0, 77), 30, 1e-9);
    ASSERT_NEAR(hy_glint_angle(40, 20, 90), 43.958207, 1e-5);
    ASSERT_NEAR(hy_glint_angle(40, 47, 180), 7, 1e-9);
    ASSERT_NEAR(hy_glint_angle(40, 20, 0), 60, 1e-9); /* sun behind the sensor */
}

/* Whole granules in the products' formats: planted fires found at their pixels and places,
 * nothing else; the strips (here 16 rows) give the same result as one strip. */
static void check_granule(int sensor)
{
    hy_ctx *ctx = hy_test_ctx();
    const char *dir = hy_test_tmpdir(sensor == HY_SENSOR_VIIRS ? "tviirs" : "tmodis");
    hy_test_granule tg;
    char l1[1024], geo[1024];
    hy_granule *g = NULL;
    hy_detections d1 = {0}, d2 = {0};
    hy_fire_thermal_config cfg;
    int viirs = sensor == HY_SENSOR_VIIRS;
    hy_test_granule_init(&tg, sensor, 48, 64);
    /* a fire; a saturated fire (VIIRS flag; MODIS band 22 above 331 K, read from band 21); a
     * fire over a glint spot (VIIRS low; MODIS rejected); a cloud with a hot-looking edge */
    hy_test_granule_set(&tg, 10, 12, 330, 296, 295);
    hy_test_granule_set(&tg, 30, 40, viirs ? 367 : 400, 300, 299);
    tg.sat4[40 * 48 + 30] = viirs;
    hy_test_granule_set(&tg, 40, 50, 331, 300, 299);
    tg.sza[50 * 48 + 40] = 30, tg.vza[50 * 48 + 40] = 30, tg.saa[50 * 48 + 40] = 0,
                     tg.vaa[50 * 48 + 40] = 180;
    for (int y = 20; y < 26; y++)
        for (int x = 20; x < 26; x++) {
            size_t i = (size_t)y * 48 + (size_t)x;
            tg.red[i] = 0.5f, tg.nir[i] = 0.5f, tg.bt11[i] = 270, tg.bt12[i] = 268;
            tg.bt4[i] = 300; /* dT 30 at the cloud: not tested */
        }
    for (int x = 0; x < 48; x++) /* a river of water pixels */
        tg.landwater[58 * 48 + x] = 5;
    /* a VIIRS day pixel whose candidacy the 501 x 501 median decides (325 < BT4 <= 330, dBT
     * 24 <= 25): the median of the granule's clear land (about 300 K) gives BT4S 325 */
    hy_test_granule_set(&tg, 5, 60, 327, 303, 302);
    REQUIRE(hy_test_granule_write(&tg, dir, l1, geo, sizeof(l1)) == 0);
    REQUIRE(hy_granule_open(ctx, l1, NULL, &g) == HY_OK);
    hy_fire_thermal_config_init(&cfg);
    REQUIRE(hy_fire_thermal_detect(ctx, g, &cfg, &d1, NULL) == HY_OK);
    cfg.strip_rows = 16;
    REQUIRE(hy_fire_thermal_detect(ctx, g, &cfg, &d2, NULL) == HY_OK);
    ASSERT_EQ(d1.n, viirs ? 4 : 3);
    ASSERT_EQ(d2.n, d1.n);
    for (size_t k = 0; k < d1.n && k < d2.n; k++) {
        ASSERT_EQ(d1.v[k].bbox[0], d2.v[k].bbox[0]);
        ASSERT_EQ(d1.v[k].bbox[1], d2.v[k].bbox[1]);
        ASSERT_NEAR(d1.v[k].confidence, d2.v[k].confidence, 0);
    }
    if (d1.n >= 2) {
        const hy_detection *a = &d1.v[0], *b = &d1.v[1];
        ASSERT_EQ(a->bbox[0], 10);
        ASSERT_EQ(a->bbox[1], 12);
        ASSERT_NEAR(a->lat, 34.5 + 0.0034 * 12, 1e-5);
        ASSERT_NEAR(a->lon, 113.5 + 0.0041 * 10, 1e-5);
        ASSERT_NEAR(a->bt4_k, 330, viirs ? 0.01 : 0.05);
        ASSERT_NEAR(a->bt11_k, 296, 0.02);
        ASSERT_EQ(a->daynight, 'D');
        ASSERT_STR_EQ(a->source_id, viirs ? "VNP02IMG.A2026150.0530.002.SYNTHETIC"
                                          : "MOD021KM.A2026150.0530.061.SYNTHETIC");
        ASSERT_TRUE(a->frp_mw > 0);
        ASSERT_NEAR(a->area_m2, a->scan_km * a->track_km * 1e6, 1e-6);
        ASSERT_EQ(b->bbox[0], 30);
        ASSERT_EQ(b->bbox[1], 40);
        if (viirs) {
            ASSERT_CONTAINS(b->tests, "saturated");
            ASSERT_NEAR(b->confidence, 0.9, 1e-9);
        } else {
            ASSERT_NEAR(b->bt4_k, 400, 0.3); /* from band 21 */
            ASSERT_CONTAINS(b->tests, "fixed");
        }
    }
    if (viirs && d1.n == 4) {
        ASSERT_EQ(d1.v[2].bbox[0], 40);
        ASSERT_CONTAINS(d1.v[2].tests, "glint");
        ASSERT_NEAR(d1.v[2].confidence, 0.3, 1e-9);
    }
    if (d1.n == (viirs ? 4u : 3u)) {
        ASSERT_EQ(d1.v[d1.n - 1].bbox[0], 5);
        ASSERT_EQ(d1.v[d1.n - 1].bbox[1], 60);
    }
    /* the pixel list: the pending pixel's threshold, settled */
    {
        hy_detections d3 = {0};
        hy_thermal_fires px = {0};
        cfg.strip_rows = 16;
        REQUIRE(hy_fire_thermal_detect(ctx, g, &cfg, &d3, &px) == HY_OK);
        ASSERT_EQ(px.n, d3.n);
        if (viirs && px.n == 4)
            ASSERT_NEAR(px.v[3].bt4_threshold, 325, 0);
        hy_thermal_fires_free(ctx, &px);
        hy_detections_free(ctx, &d3);
    }
    hy_detections_free(ctx, &d1);
    hy_detections_free(ctx, &d2);
    hy_granule_destroy(g);
    hy_test_granule_free(&tg);
}

static void test_viirs_granule(void)
{
    check_granule(HY_SENSOR_VIIRS);
}

static void test_modis_granule(void)
{
    check_granule(HY_SENSOR_MODIS);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"glint_angle", test_glint_angle},
                                    {"viirs_day_clauses", test_viirs_day_clauses},
                                    {"viirs_bt4s", test_viirs_bt4s},
                                    {"viirs_night", test_viirs_night},
                                    {"viirs_fixed_and_cloud", test_viirs_fixed_and_cloud},
                                    {"viirs_background", test_viirs_background},
                                    {"viirs_glint_desert", test_viirs_glint_desert},
                                    {"modis_day", test_modis_day},
                                    {"modis_night", test_modis_night},
                                    {"viirs_granule", test_viirs_granule},
                                    {"modis_granule", test_modis_granule},
                                    {NULL, NULL}};
    return hy_test_main("thermal", tests, argc, argv);
}
