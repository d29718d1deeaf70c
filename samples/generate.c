/* samples/generate.c - the synthetic samples huoyan's demo runs on: a Landsat-8 Collection 2
 * L1-style scene over Zhengzhou farmland with planted fires and a bare field, a short H.264
 * clip of a fixed camera with a flickering flame and a rising grey plume, four made-up
 * township polygons over the scene, and an example configuration. Deterministic: the same
 * bytes every run (x264 single-threaded, fixed seeds). */
#include "samples/samples.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <jansson.h>
#include <ogr_srs_api.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>

#define REFL_MULT 2.0e-5
#define REFL_ADD  -0.1

/* Fire pixels. The first four pass Schroeder et al. 2016's first unambiguous clause with margin
 * (rho7/rho5 >= 3, rho7 - rho5 >= 0.45, rho7 > 0.5), one per township. The fifth is a small
 * fire only the contextual test confirms: a candidate (rho7/rho5 2.8, rho7 - rho5 0.18,
 * rho7/rho6 2.33) whose R75 and rho7 stand far above the crop background (R75 0.34,
 * rho7 0.11: thresholds 1.14 and 0.19). */
static const hy_sample_fire fires[] = {
    {100, 80, 3, 3, 0.25f, 0.60f, 0.95f, "419901001"},
    {300, 120, 2, 2, 0.24f, 0.55f, 0.85f, "419901002"},
    {90, 330, 2, 1, 0.23f, 0.50f, 0.80f, "419901003"},
    {250, 310, 1, 1, 0.22f, 0.40f, 0.70f, "419901004"},
    {260, 40, 1, 1, 0.10f, 0.12f, 0.28f, "419901002"},
};

/* A decoy candidate the contextual test must reject: dark NIR (rho5 0.005, like the edge of a
 * fresh burn scar) makes rho7/rho5 36, rho7 - rho5 0.175 and rho7/rho6 1.8 pass eq. 2, but
 * rho7 0.18 is below the background's 0.11 + 0.08. */
static const int decoy[2] = {HY_SAMPLE_DECOY_X, HY_SAMPLE_DECOY_Y};
static const double decoy_rho[7] = {0.12, 0.10, 0.10, 0.11, 0.005, 0.10, 0.18};

/* The bare field (SW township) and a bright warm roof (NW) that must not be flagged. */
static const int bare_field[4] = {150, 250, 20, 15};
static const int warm_roof[2] = {60, 60};

const hy_sample_fire *hy_samples_fires(int *n)
{
    *n = (int)(sizeof(fires) / sizeof(fires[0]));
    return fires;
}

static uint32_t rng_next(uint32_t *s)
{
    /* xorshift32: small, fixed, the same everywhere */
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static double rng_unit(uint32_t *s)
{
    return (rng_next(s) >> 8) / 16777216.0 - 0.5; /* [-0.5, 0.5) */
}

static int mkdir_p(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* TOA reflectance of OLI band b (1..7) at scene pixel (x, y), before noise. */
static double scene_rho(int b, int x, int y)
{
    /* Summer maize/wheat stubble: dark visible, bright NIR. Band 1..7. */
    static const double crop[7] = {0.095, 0.080, 0.085, 0.070, 0.320, 0.210, 0.110};
    static const double bare[7] = {0.130, 0.125, 0.150, 0.190, 0.250, 0.330, 0.280};
    static const double roof[7] = {0.200, 0.210, 0.230, 0.250, 0.300, 0.350, 0.400};
    int n = (int)(sizeof(fires) / sizeof(fires[0]));
    for (int i = 0; i < n; i++) {
        const hy_sample_fire *f = &fires[i];
        if (x >= f->x && x < f->x + f->w && y >= f->y && y < f->y + f->h) {
            double fire[7] = {0.12, 0.10, 0.10, 0.11, f->rho5, f->rho6, f->rho7};
            return fire[b - 1];
        }
    }
    if (x >= bare_field[0] && x < bare_field[0] + bare_field[2] && y >= bare_field[1] &&
        y < bare_field[1] + bare_field[3])
        return bare[b - 1];
    if (x == warm_roof[0] && y == warm_roof[1])
        return roof[b - 1];
    if (x == decoy[0] && y == decoy[1])
        return decoy_rho[b - 1];
    return crop[b - 1];
}

static hy_status write_scene(const char *dir, int width, int height, char *err, size_t err_size)
{
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL, path[4096];
    double gt[6] = {HY_SAMPLE_UL_E, HY_SAMPLE_CELL, 0, HY_SAMPLE_UL_N, 0, -HY_SAMPLE_CELL};
    double sin_e = sin(HY_SAMPLE_SUN_ELEV * M_PI / 180.0);
    uint16_t *row = CPLMalloc(sizeof(uint16_t) * (size_t)width);
    hy_status st = HY_OK;
    FILE *mtl;

    OSRImportFromEPSG(srs, 32649);
    OSRExportToWkt(srs, &wkt);
    for (int b = 1; b <= 7 && st == HY_OK; b++) {
        const char *opts[] = {"COMPRESS=DEFLATE", "TILED=YES", "NUM_THREADS=ALL_CPUS", NULL};
        GDALDatasetH ds;
        uint32_t seed = 0x9e3779b9u * (uint32_t)b;
        snprintf(path, sizeof(path), "%s/%s_B%d.TIF", dir, HY_SAMPLE_SCENE_ID, b);
        ds = GDALCreate(drv, path, width, height, 1, GDT_UInt16, (CSLConstList)opts);
        if (!ds) {
            snprintf(err, err_size, "%s: cannot create: %s", path, CPLGetLastErrorMsg());
            st = HY_EIO;
            break;
        }
        GDALSetGeoTransform(ds, gt);
        GDALSetProjection(ds, wkt);
        GDALSetRasterNoDataValue(GDALGetRasterBand(ds, 1), 0);
        for (int y = 0; y < height && st == HY_OK; y++) {
            for (int x = 0; x < width; x++) {
                /* +-0.5 % texture on every pixel, planted ones included */
                double rho = scene_rho(b, x, y) * (1.0 + 0.01 * rng_unit(&seed));
                double dn = (rho * sin_e - REFL_ADD) / REFL_MULT;
                row[x] = (uint16_t)(dn < 1 ? 1 : dn > 65535 ? 65535 : floor(dn + 0.5));
            }
            if (GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, y, width, 1, row, width, 1,
                             GDT_UInt16, 0, 0) != CE_None) {
                snprintf(err, err_size, "%s: write failed: %s", path, CPLGetLastErrorMsg());
                st = HY_EIO;
            }
        }
        GDALClose(ds);
    }
    CPLFree(row);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    if (st != HY_OK)
        return st;

    snprintf(path, sizeof(path), "%s/%s_MTL.txt", dir, HY_SAMPLE_SCENE_ID);
    mtl = fopen(path, "w");
    if (!mtl) {
        snprintf(err, err_size, "%s: cannot create", path);
        return HY_EIO;
    }
    fprintf(mtl,
            "GROUP = LANDSAT_METADATA_FILE\n"
            "  GROUP = PRODUCT_CONTENTS\n"
            "    ORIGIN = \"huoyan samples: SYNTHETIC data, not a USGS product\"\n"
            "    LANDSAT_PRODUCT_ID = \"%s\"\n"
            "    PROCESSING_LEVEL = \"L1TP\"\n",
            HY_SAMPLE_SCENE_ID);
    for (int b = 1; b <= 7; b++)
        fprintf(mtl, "    FILE_NAME_BAND_%d = \"%s_B%d.TIF\"\n", b, HY_SAMPLE_SCENE_ID, b);
    fprintf(mtl,
            "  END_GROUP = PRODUCT_CONTENTS\n"
            "  GROUP = IMAGE_ATTRIBUTES\n"
            "    SPACECRAFT_ID = \"LANDSAT_8\"\n"
            "    SENSOR_ID = \"OLI_TIRS\"\n"
            "    DATE_ACQUIRED = 2026-05-30\n"
            "    SCENE_CENTER_TIME = \"03:12:44.0000000Z\"\n"
            "    SUN_AZIMUTH = 120.00000000\n"
            "    SUN_ELEVATION = %.8f\n"
            "  END_GROUP = IMAGE_ATTRIBUTES\n"
            "  GROUP = PROJECTION_ATTRIBUTES\n"
            "    MAP_PROJECTION = \"UTM\"\n"
            "    DATUM = \"WGS84\"\n"
            "    UTM_ZONE = 49\n"
            "    GRID_CELL_SIZE_REFLECTIVE = %.2f\n"
            "    REFLECTIVE_LINES = %d\n"
            "    REFLECTIVE_SAMPLES = %d\n"
            "    CORNER_UL_PROJECTION_X_PRODUCT = %.1f\n"
            "    CORNER_UL_PROJECTION_Y_PRODUCT = %.1f\n"
            "  END_GROUP = PROJECTION_ATTRIBUTES\n"
            "  GROUP = LEVEL1_RADIOMETRIC_RESCALING\n",
            HY_SAMPLE_SUN_ELEV, HY_SAMPLE_CELL, height, width, HY_SAMPLE_UL_E + HY_SAMPLE_CELL / 2,
            HY_SAMPLE_UL_N - HY_SAMPLE_CELL / 2);
    for (int b = 1; b <= 7; b++)
        fprintf(mtl, "    REFLECTANCE_MULT_BAND_%d = 2.0000E-05\n", b);
    for (int b = 1; b <= 7; b++)
        fprintf(mtl, "    REFLECTANCE_ADD_BAND_%d = -0.100000\n", b);
    fprintf(mtl, "  END_GROUP = LEVEL1_RADIOMETRIC_RESCALING\nEND_GROUP = LANDSAT_METADATA_FILE\n"
                 "END\n");
    if (fclose(mtl) != 0) {
        snprintf(err, err_size, "%s: write failed", path);
        return HY_EIO;
    }
    return HY_OK;
}

/* A Sentinel-2-like stack (B4, B8A, B11, B12 at 20 m, reflectance x 10000, band descriptions
 * naming the bands) over the north-west township: a 2 x 2 fire whose TAI, SAHM index and
 * Murphy ratios all fire, a saturated pixel (B12 1.05) next to it that only the neighbour
 * rules take, a warm pixel and a dark one that nothing must take. */
static hy_status write_sentinel2(const char *path, char *err, size_t err_size)
{
    static const char *const names[4] = {"B4 665nm", "B8A 865nm", "B11 1610nm", "B12 2190nm"};
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    double gt[6] = {HY_SAMPLE_S2_UL_E, 20, 0, HY_SAMPLE_S2_UL_N, 0, -20};
    uint16_t *buf = CPLMalloc(sizeof(uint16_t) * HY_SAMPLE_S2_SIZE * HY_SAMPLE_S2_SIZE);
    hy_status st = HY_OK;
    GDALDatasetH ds;

    OSRImportFromEPSG(srs, 32649);
    OSRExportToWkt(srs, &wkt);
    ds = GDALCreate(drv, path, HY_SAMPLE_S2_SIZE, HY_SAMPLE_S2_SIZE, 4, GDT_UInt16, NULL);
    if (!ds) {
        snprintf(err, err_size, "%s: cannot create: %s", path, CPLGetLastErrorMsg());
        st = HY_EIO;
        goto done;
    }
    GDALSetGeoTransform(ds, gt);
    GDALSetProjection(ds, wkt);
    for (int b = 0; b < 4; b++) {
        uint32_t seed = 0x85ebca6bu * (uint32_t)(b + 1);
        GDALRasterBandH band = GDALGetRasterBand(ds, b + 1);
        for (int y = 0; y < HY_SAMPLE_S2_SIZE; y++)
            for (int x = 0; x < HY_SAMPLE_S2_SIZE; x++) {
                /* crop: B4 0.06, B8A 0.30, B11 0.22, B12 0.12; fire leaves B4 alone */
                double rho[4] = {0.06, 0.30, 0.22, 0.12};
                if (x >= 50 && x < 52 && y >= 50 && y < 52) { /* fire */
                    rho[1] = 0.20, rho[2] = 0.30, rho[3] = 0.75;
                } else if (x == 51 && y == 52) { /* saturated, beside it */
                    rho[1] = 0.20, rho[2] = 0.90, rho[3] = 1.05;
                } else if (x == 150 && y == 150) { /* warm roof */
                    rho[0] = 0.25, rho[1] = 0.30, rho[2] = 0.25, rho[3] = 0.30;
                } else if (x == 100 && y == 20) { /* dark water */
                    rho[0] = 0.01, rho[1] = 0.005, rho[2] = 0.01, rho[3] = 0.02;
                }
                buf[y * HY_SAMPLE_S2_SIZE + x] =
                    (uint16_t)floor(rho[b] * (1.0 + 0.01 * rng_unit(&seed)) * 10000 + 0.5);
            }
        GDALSetDescription(band, names[b]);
        GDALSetRasterNoDataValue(band, 0);
        if (GDALRasterIO(band, GF_Write, 0, 0, HY_SAMPLE_S2_SIZE, HY_SAMPLE_S2_SIZE, buf,
                         HY_SAMPLE_S2_SIZE, HY_SAMPLE_S2_SIZE, GDT_UInt16, 0, 0) != CE_None) {
            snprintf(err, err_size, "%s: write failed: %s", path, CPLGetLastErrorMsg());
            st = HY_EIO;
        }
    }
    GDALClose(ds);
done:
    CPLFree(buf);
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    return st;
}

/* Four townships: the scene's quadrants (with 1.5 km to spare outside), as lon/lat polygons. */
static hy_status write_townships(const char *path, char *err, size_t err_size)
{
    static const struct {
        const char *code, *name;
        int qx, qy; /* quadrant: 0 west/north, 1 east/south */
    } towns[] = {{"419901001", "北林镇", 0, 0},
                 {"419901002", "东岗镇", 1, 0},
                 {"419901003", "西庄乡", 0, 1},
                 {"419901004", "南湖乡", 1, 1}};
    OGRSpatialReferenceH utm = OSRNewSpatialReference(NULL), wgs = OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH ct;
    json_t *fc = json_object(), *features = json_array();
    double half = HY_SAMPLE_SCENE_W * HY_SAMPLE_CELL / 2, margin = 1500;
    double cx = HY_SAMPLE_UL_E + half, cy = HY_SAMPLE_UL_N - half;
    hy_status st = HY_OK;

    OSRImportFromEPSG(utm, 32649);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation(utm, wgs);
    json_object_set_new(fc, "type", json_string("FeatureCollection"));
    json_object_set_new(fc, "name", json_string("townships (SYNTHETIC: made-up polygons)"));
    json_object_set_new(fc, "features", features);
    for (size_t i = 0; i < sizeof(towns) / sizeof(towns[0]); i++) {
        double x0 = towns[i].qx ? cx : cx - half - margin,
               x1 = towns[i].qx ? cx + half + margin : cx;
        double y1 = towns[i].qy ? cy : cy + half + margin,
               y0 = towns[i].qy ? cy - half - margin : cy;
        /* corners, counter-clockwise, 8 points per edge so the lon/lat outline follows UTM */
        json_t *ring = json_array();
        double cornx[5] = {x0, x1, x1, x0, x0}, corny[5] = {y0, y0, y1, y1, y0};
        for (int e = 0; e < 4; e++) {
            for (int k = 0; k < 8; k++) {
                double x = cornx[e] + (cornx[e + 1] - cornx[e]) * k / 8.0;
                double y = corny[e] + (corny[e + 1] - corny[e]) * k / 8.0;
                OCTTransform(ct, 1, &x, &y, NULL);
                json_array_append_new(ring, json_pack("[ff]", x, y));
            }
        }
        json_array_append(ring, json_array_get(ring, 0));
        json_array_append_new(features,
                              json_pack("{s:s,s:{s:s,s:s,s:s,s:b},s:{s:s,s:[o]}}", "type",
                                        "Feature", "properties", "code", towns[i].code, "name",
                                        towns[i].name, "county", "示例县", "synthetic", 1,
                                        "geometry", "type", "Polygon", "coordinates", ring));
    }
    if (json_dump_file(fc, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10))) {
        snprintf(err, err_size, "%s: cannot write", path);
        st = HY_EIO;
    }
    json_decref(fc);
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(utm);
    OSRDestroySpatialReference(wgs);
    return st;
}

/* The camera picture at frame i as RGB24: sky, a field, a flickering flame, a rising plume. */
static void draw_frame(uint8_t *rgb, int stride, int i)
{
    const int W = HY_SAMPLE_CLIP_W, H = HY_SAMPLE_CLIP_H, horizon = 96;
    const double t = (double)i / HY_SAMPLE_CLIP_FPS;
    /* plume: a grey disc rising from the flame and widening */
    const double pcx = 208 + 6 * sin(t), pcy = 140 - 18 * t, pr = 8 + 6 * t;
    uint32_t seed = 12345u + (uint32_t)i * 7919u;

    for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
            uint8_t *p = rgb + y * stride + 3 * x;
            double r, g, b, d2, a;
            if (y < horizon) { /* hazy sky, lighter towards the horizon */
                r = 150 + 30.0 * y / horizon;
                g = 175 + 25.0 * y / horizon;
                b = 205 + 15.0 * y / horizon;
            } else { /* stubble field with furrows */
                double furrow = ((x + 2 * y) / 6) % 2 ? 6 : -6;
                r = 108 + furrow;
                g = 118 + furrow;
                b = 68 + furrow / 2;
            }
            d2 = (x - pcx) * (x - pcx) + (y - pcy) * (y - pcy);
            a = d2 < pr * pr ? 0.65 * (1 - d2 / (pr * pr)) : 0;
            r = r * (1 - a) + 160 * a;
            g = g * (1 - a) + 160 * a;
            b = b * (1 - a) + 160 * a;
            p[0] = (uint8_t)r;
            p[1] = (uint8_t)g;
            p[2] = (uint8_t)b;
        }
    }
    /* flame: 16 px wide, height flickering 10..18 px, bottom on row 166 */
    {
        int fh = 10 + (int)(rng_next(&seed) % 9);
        for (int y = 166 - fh; y < 166; y++) {
            for (int x = 200; x < 216; x++) {
                uint8_t *p = rgb + y * stride + 3 * x;
                int jitter = (int)(rng_next(&seed) % 40);
                p[0] = (uint8_t)(215 + jitter);                     /* 215..254 */
                p[1] = (uint8_t)(120 + (166 - y) * 4 + jitter / 2); /* yellower at the top */
                p[2] = (uint8_t)(30 + jitter / 4);
            }
        }
    }
}

static hy_status write_clip(const char *path, char *err, size_t err_size)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    AVFormatContext *oc = NULL;
    AVCodecContext *enc = NULL;
    AVStream *vs;
    AVFrame *frame = NULL;
    AVPacket *pkt = NULL;
    struct SwsContext *sws = NULL;
    uint8_t *rgb = NULL;
    int rgb_stride = HY_SAMPLE_CLIP_W * 3, ret;
    hy_status st = HY_EIO;

    av_log_set_level(AV_LOG_ERROR); /* x264's statistics are noise for a sample writer */
    if (!codec)
        codec = avcodec_find_encoder(AV_CODEC_ID_H264);
    if (!codec) {
        snprintf(err, err_size, "%s: this FFmpeg has no H.264 encoder", path);
        return HY_EINVAL;
    }
    if (avformat_alloc_output_context2(&oc, NULL, "mp4", path) < 0 || !oc) {
        snprintf(err, err_size, "%s: cannot create an MP4 muxer", path);
        return HY_EIO;
    }
    vs = avformat_new_stream(oc, NULL);
    enc = avcodec_alloc_context3(codec);
    frame = av_frame_alloc();
    pkt = av_packet_alloc();
    rgb = av_malloc((size_t)rgb_stride * HY_SAMPLE_CLIP_H);
    if (!vs || !enc || !frame || !pkt || !rgb) {
        snprintf(err, err_size, "%s: out of memory", path);
        st = HY_ENOMEM;
        goto done;
    }
    enc->width = HY_SAMPLE_CLIP_W;
    enc->height = HY_SAMPLE_CLIP_H;
    enc->pix_fmt = AV_PIX_FMT_YUV420P;
    enc->time_base = (AVRational){1, HY_SAMPLE_CLIP_FPS};
    enc->framerate = (AVRational){HY_SAMPLE_CLIP_FPS, 1};
    enc->gop_size = 25;
    enc->max_b_frames = 2;
    enc->thread_count = 1; /* deterministic output */
    if (oc->oformat->flags & AVFMT_GLOBALHEADER)
        enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av_opt_set(enc->priv_data, "preset", "medium", 0);
    av_opt_set(enc->priv_data, "crf", "20", 0);
    if ((ret = avcodec_open2(enc, codec, NULL)) < 0 ||
        (ret = avcodec_parameters_from_context(vs->codecpar, enc)) < 0) {
        snprintf(err, err_size, "%s: cannot open the H.264 encoder", path);
        goto done;
    }
    vs->time_base = enc->time_base;
    av_dict_set(&oc->metadata, "creation_time", "2026-05-30T06:00:00.000000Z", 0);
    av_dict_set(&oc->metadata, "title", "huoyan sample camera (SYNTHETIC)", 0);
    av_dict_set(&oc->metadata, "encoder", "huoyan", 0);
    oc->flags |= AVFMT_FLAG_BITEXACT;
    if (avio_open(&oc->pb, path, AVIO_FLAG_WRITE) < 0) {
        snprintf(err, err_size, "%s: cannot create", path);
        goto done;
    }
    if (avformat_write_header(oc, NULL) < 0) {
        snprintf(err, err_size, "%s: cannot write the MP4 header", path);
        goto done;
    }
    frame->format = enc->pix_fmt;
    frame->width = enc->width;
    frame->height = enc->height;
    if (av_frame_get_buffer(frame, 0) < 0) {
        st = HY_ENOMEM;
        goto done;
    }
    sws = sws_getContext(HY_SAMPLE_CLIP_W, HY_SAMPLE_CLIP_H, AV_PIX_FMT_RGB24, HY_SAMPLE_CLIP_W,
                         HY_SAMPLE_CLIP_H, AV_PIX_FMT_YUV420P,
                         SWS_BILINEAR | SWS_BITEXACT | SWS_ACCURATE_RND, NULL, NULL, NULL);
    if (!sws)
        goto done;
    for (int i = 0; i <= HY_SAMPLE_CLIP_FRAMES; i++) {
        AVFrame *in = NULL;
        if (i < HY_SAMPLE_CLIP_FRAMES) {
            const uint8_t *src[1] = {rgb};
            int src_stride[1] = {rgb_stride};
            if (av_frame_make_writable(frame) < 0)
                goto done;
            draw_frame(rgb, rgb_stride, i);
            sws_scale(sws, src, src_stride, 0, HY_SAMPLE_CLIP_H, frame->data, frame->linesize);
            frame->pts = i;
            in = frame;
        }
        if (avcodec_send_frame(enc, in) < 0)
            goto done;
        while ((ret = avcodec_receive_packet(enc, pkt)) == 0) {
            if (pkt->duration == 0)
                pkt->duration = 1; /* one frame; without it MP4's edit list drops the last */
            av_packet_rescale_ts(pkt, enc->time_base, vs->time_base);
            pkt->stream_index = vs->index;
            if (av_interleaved_write_frame(oc, pkt) < 0) {
                snprintf(err, err_size, "%s: write failed", path);
                goto done;
            }
        }
        if (ret != AVERROR(EAGAIN) && ret != AVERROR_EOF)
            goto done;
    }
    if (av_write_trailer(oc) < 0)
        goto done;
    st = HY_OK;
done:
    if (st != HY_OK && !err[0])
        snprintf(err, err_size, "%s: encoding failed", path);
    sws_freeContext(sws);
    av_free(rgb);
    av_packet_free(&pkt);
    av_frame_free(&frame);
    avcodec_free_context(&enc);
    if (oc && oc->pb)
        avio_closep(&oc->pb);
    avformat_free_context(oc);
    return st;
}

static hy_status write_config(const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, err_size, "%s: cannot create", path);
        return HY_EIO;
    }
    fputs("# huoyan example configuration for the SYNTHETIC samples (huoyan samples DIR).\n"
          "# Paths are relative to the directory huoyan runs in; secrets come from the\n"
          "# environment (secret_env, token_env), never from this file.\n"
          "store: {sqlite: huoyan.db}\n"
          "townships: {path: townships.geojson, code: code, name: name, county: county,\n"
          "            crs: wgs84}\n"
          "cameras:\n"
          "  - id: sample-cam-01\n"
          "    url: camera/clip.mp4\n"
          "    analyse_every_s: 2\n"
          "    detect: [fire, smoke]\n"
          "    pose: {lon: 113.889, lat: 34.752, height_m: 45, pan_deg: 120, tilt_deg: 3,\n"
          "           hfov_deg: 60, vfov_deg: 34, width_px: 320, height_px: 240}\n"
          "satellite: {watch: incoming, detect: [fire]}\n"
          "alerts:\n"
          "  sinks:\n"
          "    - {type: webhook, url: \"http://127.0.0.1:9000/events\", secret_env: GRID_SECRET}\n"
          "  escalate_after_min: 15\n"
          "server:\n"
          "  listen: 127.0.0.1:8080\n"
          "  tokens:\n"
          "    - {token_env: HY_ADMIN_TOKEN, role: admin}\n",
          f);
    if (fclose(f) != 0) {
        snprintf(err, err_size, "%s: write failed", path);
        return HY_EIO;
    }
    return HY_OK;
}

hy_status hy_samples_scene(const hy_ctx *ctx, const char *dir, int width, int height, char *err,
                           size_t err_size)
{
    err[0] = '\0';
    if (width < 64 || height < 64 || width > 20000 || height > 20000) {
        snprintf(err, err_size, "scene size %dx%d: expected 64..20000 on each side", width, height);
        return HY_EINVAL;
    }
    GDALAllRegister();
    if (mkdir_p(dir) != 0) {
        snprintf(err, err_size, "%s: cannot create: %s", dir, strerror(errno));
        return HY_EIO;
    }
    hy__log(ctx, HY_LOG_INFO, "writing a %dx%d synthetic Landsat-8 scene into %s", width, height,
            dir);
    return write_scene(dir, width, height, err, err_size);
}

hy_status hy_samples_generate(const hy_ctx *ctx, const char *dir, char *err, size_t err_size)
{
    char path[4096];
    hy_status st;

    err[0] = '\0';
    GDALAllRegister();
    snprintf(path, sizeof(path), "%s/landsat", dir);
    if ((st = hy_samples_scene(ctx, path, HY_SAMPLE_SCENE_W, HY_SAMPLE_SCENE_H, err, err_size)) !=
        HY_OK)
        return st;
    snprintf(path, sizeof(path), "%s/camera", dir);
    if (mkdir_p(path) != 0) {
        snprintf(err, err_size, "%s: cannot create: %s", path, strerror(errno));
        return HY_EIO;
    }
    snprintf(path, sizeof(path), "%s/camera/clip.mp4", dir);
    hy__log(ctx, HY_LOG_INFO, "encoding the synthetic camera clip %s", path);
    if ((st = write_clip(path, err, err_size)) != HY_OK)
        return st;
    snprintf(path, sizeof(path), "%s/sentinel2", dir);
    if (mkdir_p(path) != 0) {
        snprintf(err, err_size, "%s: cannot create: %s", path, strerror(errno));
        return HY_EIO;
    }
    snprintf(path, sizeof(path), "%s/sentinel2/S2_SYNTHETIC_20260530_stack.tif", dir);
    if ((st = write_sentinel2(path, err, err_size)) != HY_OK)
        return st;
    snprintf(path, sizeof(path), "%s/townships.geojson", dir);
    if ((st = write_townships(path, err, err_size)) != HY_OK)
        return st;
    hy__log(ctx, HY_LOG_INFO, "writing the synthetic VIIRS and MODIS granules into %s", dir);
    if ((st = hy__samples_thermal(dir, err, err_size)) != HY_OK)
        return st;
    snprintf(path, sizeof(path), "%s/huoyan.yaml", dir);
    return write_config(path, err, err_size);
}
