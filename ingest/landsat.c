/* ingest/landsat.c - Landsat-8/9 OLI scenes: the MTL file gives the band files, the
 * radiometric rescaling, the sun elevation, the time and (for crops whose TIFFs carry no
 * georeferencing) the grid. */
#include "ingest/ingest_internal.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ogr_srs_api.h>

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A folder must hold exactly one *_MTL.txt. */
static hy_status find_mtl(const char *dir, char *out, size_t out_size, char *err, size_t err_size)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int found = 0;
    if (!d) {
        snprintf(err, err_size, "%s: cannot open folder", dir);
        return HY_EIO;
    }
    while ((de = readdir(d))) {
        if (ends_with(de->d_name, "_MTL.txt") || ends_with(de->d_name, "_MTL.TXT")) {
            if (found++ == 0)
                snprintf(out, out_size, "%s/%s", dir, de->d_name);
        }
    }
    closedir(d);
    if (found != 1) {
        snprintf(err, err_size, "%s: %d *_MTL.txt files, want exactly 1", dir, found);
        return found ? HY_EINVAL : HY_ENOTFOUND;
    }
    return HY_OK;
}

/* The file of OLI band n: the MTL's FILE_NAME_BAND_n in the MTL's folder, or failing that
 * PREFIX_Bn.TIF / .tif where PREFIX_MTL.txt is the MTL's own name (renamed test crops). */
static int band_file(const hy__mtl *m, const char *mtl_path, int n, char *out, size_t out_size)
{
    char key[32], dir[4096], prefix[4096];
    const char *slash = strrchr(mtl_path, '/'), *name;
    size_t dlen = slash ? (size_t)(slash - mtl_path) : 1;

    snprintf(dir, sizeof(dir), "%.*s", (int)dlen, slash ? mtl_path : ".");
    snprintf(key, sizeof(key), "FILE_NAME_BAND_%d", n);
    name = hy__mtl_get(m, key);
    if (name) {
        snprintf(out, out_size, "%s/%s", dir, name);
        if (is_file(out))
            return 1;
    }
    snprintf(prefix, sizeof(prefix), "%s", mtl_path);
    prefix[strlen(prefix) - strlen("MTL.txt")] = '\0';
    snprintf(out, out_size, "%sB%d.TIF", prefix, n);
    if (is_file(out))
        return 1;
    snprintf(out, out_size, "%sB%d.tif", prefix, n);
    return is_file(out);
}

#define FAIL(status, ...)                                                                          \
    do {                                                                                           \
        snprintf(s->err, sizeof(s->err), __VA_ARGS__);                                             \
        st = (status);                                                                             \
        goto fail;                                                                                 \
    } while (0)

void hy_scene_options_init(hy_scene_options *opt)
{
    memset(opt, 0, sizeof(*opt));
    opt->sensor = HY_SENSOR_UNKNOWN;
    opt->scale = 1;
}

hy_status hy_scene_open(const hy_ctx *ctx, const char *path, hy_scene **out)
{
    return hy_scene_open_ex(ctx, path, NULL, out);
}

static int has_band_map(const hy_scene_options *opt)
{
    for (int b = 0; opt && b < HY_BAND_COUNT; b++)
        if (opt->band_index[b])
            return 1;
    return 0;
}

static hy_status scene_open(const hy_ctx *ctx, const char *path, const hy_scene_options *opt,
                            hy_scene **out);

hy_status hy_scene_open_ex(const hy_ctx *ctx, const char *path, const hy_scene_options *opt,
                           hy_scene **out)
{
    hy_status st = scene_open(ctx, path, opt, out);
    if (st == HY_OK && opt && opt->sensor != HY_SENSOR_UNKNOWN)
        (*out)->info.sensor = opt->sensor;
    return st;
}

static hy_status scene_open(const hy_ctx *ctx, const char *path, const hy_scene_options *opt,
                            hy_scene **out)
{
    hy_scene *s = NULL;
    hy__mtl *m = NULL;
    hy_status st = HY_OK;
    char mtl_path[4096], file[4096], key[64], err[1024];
    const char *v, *date, *clock, *scale_group = NULL; /* NULL: the first anywhere */
    int ok, have_georef = 0;
    double cell;

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !path)
        return HY_EINVAL;
    GDALAllRegister(); /* idempotent */
    s = hy__calloc(ctx, 1, sizeof(*s));
    if (!s)
        return HY_ENOMEM;
    s->ctx = ctx;
    snprintf(s->path, sizeof(s->path), "%s", path);
    for (int b = 0; b < HY_BAND_COUNT; b++)
        s->standin_for[b] = -1;

    /* What is it: a stacked raster with a role map, a Landsat MTL (or a folder with one), or
     * Sentinel-2 bands. */
    if (has_band_map(opt)) {
        if ((st = hy__stack_open(s, path, opt)) != HY_OK)
            goto fail;
        *out = s;
        return HY_OK;
    }
    if (is_dir(path)) {
        if ((hy__sentinel2_safe(path) || hy__sentinel2_folder(path)) &&
            find_mtl(path, mtl_path, sizeof(mtl_path), err, sizeof(err)) == HY_ENOTFOUND) {
            if ((st = hy__sentinel2_open(s, path)) != HY_OK)
                goto fail;
            *out = s;
            return HY_OK;
        }
        if ((st = find_mtl(path, mtl_path, sizeof(mtl_path), s->err, sizeof(s->err)))) {
            if (st == HY_ENOTFOUND)
                snprintf(s->err, sizeof(s->err),
                         "%s: no *_MTL.txt (Landsat) and no Sentinel-2 band files (names "
                         "with B11 or B12)",
                         path);
            goto fail;
        }
    } else if (is_file(path)) {
        if (hy__sentinel2_safe(path) || (!ends_with(path, ".txt") && !ends_with(path, ".TXT"))) {
            if ((st = hy__sentinel2_open(s, path)) != HY_OK)
                goto fail;
            *out = s;
            return HY_OK;
        }
        snprintf(mtl_path, sizeof(mtl_path), "%s", path);
    } else {
        FAIL(HY_ENOTFOUND, "%s: no such file or folder", path);
    }
    m = hy__mtl_load(ctx, mtl_path, err, sizeof(err));
    if (!m)
        FAIL(HY_EFORMAT, "%s", err);

    v = hy__mtl_get(m, "SPACECRAFT_ID");
    if (strcmp(v, "LANDSAT_8") == 0)
        s->info.sensor = HY_SENSOR_LANDSAT8;
    else if (strcmp(v, "LANDSAT_9") == 0)
        s->info.sensor = HY_SENSOR_LANDSAT9;
    else
        FAIL(HY_EFORMAT, "%s: SPACECRAFT_ID = %s, want LANDSAT_8 or LANDSAT_9", mtl_path, v);
    v = hy__mtl_get(m, "LANDSAT_PRODUCT_ID");
    if (!v)
        v = hy__mtl_get(m, "LANDSAT_SCENE_ID");
    snprintf(s->info.product_id, sizeof(s->info.product_id), "%s", v ? v : "");

    s->info.sun_elevation_deg = hy__mtl_num(m, "SUN_ELEVATION", &ok);
    if (!ok || s->info.sun_elevation_deg <= 0 || s->info.sun_elevation_deg > 90)
        FAIL(HY_EFORMAT,
             "%s: SUN_ELEVATION = %s, want a number in (0, 90] (night scenes are "
             "not supported yet)",
             mtl_path,
             hy__mtl_get(m, "SUN_ELEVATION") ? hy__mtl_get(m, "SUN_ELEVATION") : "(missing)");
    s->sun_factor = 1.0 / sin(s->info.sun_elevation_deg * M_PI / 180.0);
    v = hy__mtl_get(m, "PROCESSING_LEVEL");
    snprintf(s->info.level, sizeof(s->info.level), "%s", v ? v : "L1");
    if (strncmp(s->info.level, "L2", 2) == 0) {
        /* Level-2 surface reflectance: SR = M DN + A with the LEVEL2 group's factors
         * (Landsat 8-9 C2 L2 Data Format Control Book); already corrected for the sun. */
        s->info.surface_reflectance = 1;
        s->sun_factor = 1.0;
        scale_group = "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS";
    } else if (hy__mtl_get_in(m, "LEVEL1_RADIOMETRIC_RESCALING", "REFLECTANCE_MULT_BAND_7") ||
               hy__mtl_get_in(m, "LEVEL1_RADIOMETRIC_RESCALING", "REFLECTANCE_MULT_BAND_2")) {
        scale_group = "LEVEL1_RADIOMETRIC_RESCALING"; /* Collection 2 Level-1 */
    }

    date = hy__mtl_get(m, "DATE_ACQUIRED");
    clock = hy__mtl_get(m, "SCENE_CENTER_TIME");
    s->info.time = HY_TIME_NONE;
    if (date) {
        char iso[96];
        snprintf(iso, sizeof(iso), "%sT%s", date, clock ? clock : "00:00:00Z");
        if (hy_time_parse(iso, &s->info.time) != HY_OK)
            FAIL(HY_EFORMAT, "%s: DATE_ACQUIRED/SCENE_CENTER_TIME = %s: not a UTC time", mtl_path,
                 iso);
    }

    /* Bands B1..B7 map one to one onto the roles COASTAL..SWIR2. */
    for (int b = 0; b < HY__OLI_BANDS; b++) {
        int n = b + 1;
        if (!band_file(m, mtl_path, n, file, sizeof(file)))
            continue;
        snprintf(key, sizeof(key), "REFLECTANCE_MULT_BAND_%d", n);
        s->mult[b] = hy__mtl_num_in(m, scale_group, key, &ok);
        if (!ok)
            FAIL(HY_EFORMAT, "%s: no %s for band file %s", mtl_path, key, file);
        snprintf(key, sizeof(key), "REFLECTANCE_ADD_BAND_%d", n);
        s->add[b] = hy__mtl_num_in(m, scale_group, key, &ok);
        if (!ok)
            FAIL(HY_EFORMAT, "%s: no %s for band file %s", mtl_path, key, file);
        if (!(s->band_path[b] = hy__strdup(ctx, file)))
            FAIL(HY_ENOMEM, "%s: out of memory", file);
        s->band_index[b] = 1;
        s->res_ratio[b] = 1;
        CPLPushErrorHandler(CPLQuietErrorHandler); /* the message goes into s->err */
        s->ds[b] = GDALOpen(file, GA_ReadOnly);
        CPLPopErrorHandler();
        if (!s->ds[b])
            FAIL(HY_EIO, "%s: GDAL cannot open it: %s", file, CPLGetLastErrorMsg());
        if (GDALGetRasterCount(s->ds[b]) != 1)
            FAIL(HY_EFORMAT, "%s: %d bands, want 1", file, GDALGetRasterCount(s->ds[b]));
        if (s->info.band_mask == 0) {
            s->info.width = GDALGetRasterXSize(s->ds[b]);
            s->info.height = GDALGetRasterYSize(s->ds[b]);
        } else if (GDALGetRasterXSize(s->ds[b]) != s->info.width ||
                   GDALGetRasterYSize(s->ds[b]) != s->info.height) {
            FAIL(HY_EFORMAT, "%s: %dx%d pixels, want %dx%d like the other bands", file,
                 GDALGetRasterXSize(s->ds[b]), GDALGetRasterYSize(s->ds[b]), s->info.width,
                 s->info.height);
        }
        s->info.band_mask |= 1u << b;
        if (!have_georef && GDALGetGeoTransform(s->ds[b], s->info.geotransform) == CE_None &&
            GDALGetProjectionRef(s->ds[b]) && GDALGetProjectionRef(s->ds[b])[0]) {
            s->crs_wkt = hy__strdup(ctx, GDALGetProjectionRef(s->ds[b]));
            if (!s->crs_wkt)
                FAIL(HY_ENOMEM, "%s: out of memory", file);
            have_georef = 1;
        }
    }
    for (int b = HY_BAND_BLUE; b <= HY_BAND_SWIR2; b++)
        if (!s->ds[b])
            FAIL(HY_EFORMAT, "%s: band B%d (%s) not found beside it; B2..B7 are required", mtl_path,
                 b + 1, hy_band_name((hy_band)b));
    if (!s->ds[HY_BAND_COASTAL]) {
        /* No B1 (crops often drop it): blue B2 stands in. Schroeder et al. 2016 use rho1 only
         * in the second unambiguous clause (rho1 < 0.2, a cloud/bright-surface guard); blue
         * reflectance is close to coastal over land and higher over haze, so the guard stays
         * conservative. Detectors lower the confidence of that clause (standin_mask). */
        s->standin_for[HY_BAND_COASTAL] = HY_BAND_BLUE;
        s->info.band_mask |= 1u << HY_BAND_COASTAL;
        s->info.standin_mask |= 1u << HY_BAND_COASTAL;
        hy__log(ctx, HY_LOG_INFO, "%s: no band B1; blue B2 stands in for coastal", mtl_path);
    }

    cell = hy__mtl_num(m, "GRID_CELL_SIZE_REFLECTIVE", &ok);
    if (!have_georef) {
        /* The MTL corners are pixel centres (CORNER_UL_PROJECTION_*_PRODUCT). */
        double ulx, uly;
        int zone, ok2, ok3, ok4;
        OGRSpatialReferenceH srs;
        char *wkt = NULL;
        ulx = hy__mtl_num(m, "CORNER_UL_PROJECTION_X_PRODUCT", &ok2);
        uly = hy__mtl_num(m, "CORNER_UL_PROJECTION_Y_PRODUCT", &ok3);
        zone = (int)hy__mtl_num(m, "UTM_ZONE", &ok4);
        if (!ok || !ok2 || !ok3 || !ok4 || cell <= 0 || zone < 1 || zone > 60)
            FAIL(HY_EFORMAT,
                 "%s: the band files carry no georeferencing and the MTL lacks "
                 "CORNER_UL_PROJECTION_X/Y_PRODUCT, UTM_ZONE or GRID_CELL_SIZE_REFLECTIVE",
                 mtl_path);
        s->info.geotransform[0] = ulx - cell / 2;
        s->info.geotransform[1] = cell;
        s->info.geotransform[2] = 0;
        s->info.geotransform[3] = uly + cell / 2;
        s->info.geotransform[4] = 0;
        s->info.geotransform[5] = -cell;
        /* Landsat grids use the northern UTM zones everywhere (negative northings south). */
        srs = OSRNewSpatialReference(NULL);
        if (!srs || OSRImportFromEPSG(srs, 32600 + zone) != OGRERR_NONE ||
            OSRExportToWkt(srs, &wkt) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            CPLFree(wkt);
            FAIL(HY_EINTERNAL, "%s: cannot build the CRS of UTM zone %dN", mtl_path, zone);
        }
        s->crs_wkt = hy__strdup(ctx, wkt);
        CPLFree(wkt);
        OSRDestroySpatialReference(srs);
        if (!s->crs_wkt)
            FAIL(HY_ENOMEM, "%s: out of memory", mtl_path);
        s->info.georef_from_mtl = 1;
    }
    s->info.crs_wkt = s->crs_wkt;
    s->info.pixel_area_m2 = fabs(s->info.geotransform[1] * s->info.geotransform[5] -
                                 s->info.geotransform[2] * s->info.geotransform[4]);
    hy__mtl_free(m);
    *out = s;
    return HY_OK;
fail:
    hy__log(ctx, HY_LOG_ERROR, "%s", s->err);
    hy__mtl_free(m);
    hy_scene_destroy(s);
    return st;
}

hy_status hy_scene_clone(const hy_scene *src, hy_scene **out)
{
    hy_scene *s;
    hy_status st = HY_OK;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!src)
        return HY_EINVAL;
    s = hy__calloc(src->ctx, 1, sizeof(*s));
    if (!s)
        return HY_ENOMEM;
    *s = *src;
    memset(s->ds, 0, sizeof(s->ds));
    memset(s->band_path, 0, sizeof(s->band_path));
    s->err[0] = '\0';
    s->crs_wkt = hy__strdup(src->ctx, src->crs_wkt);
    if (!s->crs_wkt)
        FAIL(HY_ENOMEM, "%s: out of memory", src->path);
    s->info.crs_wkt = s->crs_wkt;
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        if (!src->band_path[b])
            continue;
        if (!(s->band_path[b] = hy__strdup(src->ctx, src->band_path[b])))
            FAIL(HY_ENOMEM, "%s: out of memory", src->path);
        CPLPushErrorHandler(CPLQuietErrorHandler);
        s->ds[b] = GDALOpen(s->band_path[b], GA_ReadOnly);
        CPLPopErrorHandler();
        if (!s->ds[b])
            FAIL(HY_EIO, "%s: GDAL cannot open it again: %s", s->band_path[b],
                 CPLGetLastErrorMsg());
    }
    *out = s;
    return HY_OK;
fail:
    hy__log(src->ctx, HY_LOG_ERROR, "%s", s->err);
    hy_scene_destroy(s);
    return st;
}

const hy_scene_info *hy_scene_info_get(const hy_scene *s)
{
    return &s->info;
}

const char *hy_scene_errmsg(const hy_scene *s)
{
    return s ? s->err : "no scene";
}

void hy_scene_destroy(hy_scene *s)
{
    if (!s)
        return;
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        if (s->ds[b])
            GDALClose(s->ds[b]);
        hy__free(s->ctx, s->band_path[b]);
    }
    hy__free(s->ctx, s->crs_wkt);
    hy__free(s->ctx, s);
}
