/* ingest/sentinel2.c - Sentinel-2 MSI scenes from per-band rasters in a folder (…B01….tif,
 * …B8A….jp2, …) or from one stacked raster whose band descriptions name the bands ("B12
 * 2190nm"). Bands are brought to the grid of the 20 m SWIR bands; values are reflectance x
 * 10000 (QUANTIFICATION_VALUE), 0 is no data. Products of processing baseline 04.00 and later
 * carry a +1000 offset that only the SAFE metadata declares; these crops have no metadata, so
 * the offset is taken as 0 there; a SAFE product's metadata (MTD_MSIL1C.xml, MTD_MSIL2A.xml)
 * gives it, with the quantification value and the start time. Also any stacked raster read through
 * a role map the user gives (hy__stack_open). */
#include "ingest/ingest_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <cpl_error.h>
#include <cpl_minixml.h>
#include <sys/stat.h>

/* The role of a Sentinel-2 band number ("1".."12", "8A"), or -1 for bands no detector uses. */
static int role_of(const char *band)
{
    static const struct {
        const char *name;
        hy_band role;
    } map[] = {{"1", HY_BAND_COASTAL}, {"2", HY_BAND_BLUE},  {"3", HY_BAND_GREEN},
               {"4", HY_BAND_RED},     {"8A", HY_BAND_NIR},  {"9", HY_BAND_WATER_VAPOUR},
               {"11", HY_BAND_SWIR1},  {"12", HY_BAND_SWIR2}};
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(band, map[i].name) == 0)
            return (int)map[i].role;
    return -1;
}

/* Find a band token "B<digits>" or "B8A" standing alone in s (not inside a longer word):
 * "s2_B8A.tif", "T18SVG_20160112T154442_B12.jp2", "20230514 20m: B12 2190nm". Leading zeros
 * are dropped ("B01" -> "1"). Returns 1 and the number in out, else 0. */
static int band_token(const char *s, char out[4])
{
    for (const char *p = s; (p = strchr(p, 'B')) != NULL; p++) {
        const char *q = p + 1;
        size_t n = 0;
        if (p > s && isalnum((unsigned char)p[-1]))
            continue;
        while (q[n] && isdigit((unsigned char)q[n]) && n < 2)
            n++;
        if (n == 0)
            continue;
        if (q[n] == 'A' && n <= 2 && q[n - 1] == '8') {
            if (isalnum((unsigned char)q[n + 1]))
                continue;
            snprintf(out, 4, "8A");
            return 1;
        }
        if (isalnum((unsigned char)q[n]))
            continue;
        while (n > 1 && *q == '0') {
            q++;
            n--;
        }
        snprintf(out, 4, "%.*s", (int)n, q);
        return 1;
    }
    return 0;
}

static int raster_name(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".tif") == 0 || strcasecmp(dot, ".tiff") == 0 ||
                   strcasecmp(dot, ".jp2") == 0);
}

int hy__sentinel2_folder(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    char band[4];
    int found = 0;
    if (!d)
        return 0;
    while (!found && (de = readdir(d)))
        found = raster_name(de->d_name) && band_token(de->d_name, band) &&
                (strcmp(band, "11") == 0 || strcmp(band, "12") == 0);
    closedir(d);
    return found;
}

#define FAIL(status, ...)                                                                          \
    do {                                                                                           \
        snprintf(s->err, sizeof(s->err), __VA_ARGS__);                                             \
        return (status);                                                                           \
    } while (0)

/* Open role b as band `index` of file, keeping its path. */
static hy_status open_role(hy_scene *s, int b, const char *file, int index)
{
    if (s->ds[b])
        FAIL(HY_EFORMAT, "%s: two rasters give the %s band (%s and %s)", s->path,
             hy_band_name((hy_band)b), s->band_path[b], file);
    if (!(s->band_path[b] = hy__strdup(s->ctx, file)))
        FAIL(HY_ENOMEM, "%s: out of memory", file);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    s->ds[b] = GDALOpen(file, GA_ReadOnly);
    CPLPopErrorHandler();
    if (!s->ds[b])
        FAIL(HY_EIO, "%s: GDAL cannot open it: %s", file, CPLGetLastErrorMsg());
    if (index > GDALGetRasterCount(s->ds[b]))
        FAIL(HY_EFORMAT, "%s: no band %d", file, index);
    s->band_index[b] = index;
    s->info.band_mask |= 1u << b;
    return HY_OK;
}

/* Put every band on the grid of the reference role: the reference's pixels, cut to where every
 * band has data (crops are often cut band by band); other resolutions and origins are read
 * through a floating window (raster.c). */
static hy_status fit_grid(hy_scene *s, int ref, double mult, double add)
{
    double gt[6], bgt[6], ix0, iy0, ix1, iy1;
    const char *wkt;
    int cx0, cy0, cx1, cy1;
    if (GDALGetGeoTransform(s->ds[ref], gt) != CE_None ||
        !(wkt = GDALGetProjectionRef(s->ds[ref])) || !wkt[0])
        FAIL(HY_EFORMAT, "%s: no georeferencing (the Sentinel-2 bands must carry it)",
             s->band_path[ref]);
    if (gt[2] != 0 || gt[4] != 0 || gt[5] >= 0)
        FAIL(HY_EFORMAT, "%s: only north-up grids are supported", s->band_path[ref]);
    /* the intersection of every band's extent, in map coordinates */
    ix0 = gt[0];
    iy1 = gt[3];
    ix1 = gt[0] + GDALGetRasterXSize(s->ds[ref]) * gt[1];
    iy0 = gt[3] + GDALGetRasterYSize(s->ds[ref]) * gt[5];
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        double r;
        if (!s->ds[b])
            continue;
        if (GDALGetGeoTransform(s->ds[b], bgt) != CE_None || bgt[2] != 0 || bgt[4] != 0)
            FAIL(HY_EFORMAT, "%s: no north-up georeferencing", s->band_path[b]);
        r = bgt[1] / gt[1];
        if (!(r > 0.2 && r < 10) || fabs(bgt[5] / gt[5] - r) > 1e-9 * r)
            FAIL(HY_EFORMAT, "%s: pixels of %.3f x %.3f m cannot share %s's %.3f m grid",
                 s->band_path[b], bgt[1], -bgt[5], s->band_path[ref], gt[1]);
        ix0 = fmax(ix0, bgt[0]);
        iy1 = fmin(iy1, bgt[3]);
        ix1 = fmin(ix1, bgt[0] + GDALGetRasterXSize(s->ds[b]) * bgt[1]);
        iy0 = fmax(iy0, bgt[3] + GDALGetRasterYSize(s->ds[b]) * bgt[5]);
        s->res_ratio[b] = fabs(r - 1) < 1e-9 ? 1 : r;
        s->mult[b] = mult;
        s->add[b] = add;
    }
    /* the reference's whole pixels inside it */
    cx0 = (int)ceil((ix0 - gt[0]) / gt[1] - 1e-9);
    cx1 = (int)floor((ix1 - gt[0]) / gt[1] + 1e-9);
    cy0 = (int)ceil((iy1 - gt[3]) / gt[5] - 1e-9);
    cy1 = (int)floor((iy0 - gt[3]) / gt[5] + 1e-9);
    if (cx1 - cx0 < 1 || cy1 - cy0 < 1)
        FAIL(HY_EFORMAT, "%s: the bands do not overlap", s->path);
    s->info.width = cx1 - cx0;
    s->info.height = cy1 - cy0;
    memcpy(s->info.geotransform, gt, sizeof(gt));
    s->info.geotransform[0] = gt[0] + cx0 * gt[1];
    s->info.geotransform[3] = gt[3] + cy0 * gt[5];
    if (cx0 || cy0 || s->info.width != GDALGetRasterXSize(s->ds[ref]) ||
        s->info.height != GDALGetRasterYSize(s->ds[ref]))
        hy__log(s->ctx, HY_LOG_INFO,
                "%s: the bands' extents differ; using the %dx%d pixels all of them cover", s->path,
                s->info.width, s->info.height);
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        if (!s->ds[b])
            continue;
        GDALGetGeoTransform(s->ds[b], bgt);
        s->off_x[b] = (s->info.geotransform[0] - bgt[0]) / bgt[1];
        s->off_y[b] = (s->info.geotransform[3] - bgt[3]) / bgt[5];
        if (fabs(s->off_x[b] - round(s->off_x[b])) < 1e-6)
            s->off_x[b] = round(s->off_x[b]);
        if (fabs(s->off_y[b] - round(s->off_y[b])) < 1e-6)
            s->off_y[b] = round(s->off_y[b]);
    }
    if (!(s->crs_wkt = hy__strdup(s->ctx, wkt)))
        FAIL(HY_ENOMEM, "%s: out of memory", s->path);
    s->info.crs_wkt = s->crs_wkt;
    s->info.pixel_area_m2 = fabs(gt[1] * gt[5]);
    s->sun_factor = 1; /* L1C and L2A are already reflectance */
    return HY_OK;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* ---- SAFE products ---- */

/* The product metadata of a SAFE folder (or the file itself): MTD_MSIL1C.xml or
 * MTD_MSIL2A.xml. */
static int safe_metadata(const char *path, char *xml, size_t size, int *level2)
{
    struct stat sb;
    const char *names[2] = {"MTD_MSIL1C.xml", "MTD_MSIL2A.xml"};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(path), k = strlen(names[i]);
        if (n >= k && strcmp(path + n - k, names[i]) == 0 && stat(path, &sb) == 0) {
            snprintf(xml, size, "%s", path);
            *level2 = i;
            return 1;
        }
        snprintf(xml, size, "%s/%s", path, names[i]);
        if (stat(xml, &sb) == 0 && S_ISREG(sb.st_mode)) {
            *level2 = i;
            return 1;
        }
    }
    return 0;
}

int hy__sentinel2_safe(const char *path)
{
    char xml[4096];
    int l2;
    return safe_metadata(path, xml, sizeof(xml), &l2);
}

/* Walk GRANULE/<granule>/IMG_DATA[/R10m|R20m|R60m] for JP2 bands; for each role keep the file
 * at 20 m when there is one (L2A has several resolutions of a band). */
static hy_status safe_bands(hy_scene *s, const char *dir, int depth, char files[][4096], int is20[])
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char path[4096], band[4];
    if (!d)
        return HY_OK;
    while ((de = readdir(d))) {
        struct stat sb;
        int b;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth < 4)
                safe_bands(s, path, depth + 1, files, is20);
            continue;
        }
        if (!raster_name(de->d_name) || !strstr(path, "IMG_DATA") ||
            !band_token(de->d_name, band) || (b = role_of(band)) < 0)
            continue;
        if (!files[b][0] || (!is20[b] && (strstr(path, "_20m") || strstr(path, "/R20m/")))) {
            snprintf(files[b], 4096, "%s", path);
            is20[b] = strstr(path, "_20m") || strstr(path, "/R20m/");
        }
    }
    closedir(d);
    return HY_OK;
}

/* The Sentinel-2 band number of an offset's band_id (0 = B1 ... 8 = B8A ... 12 = B12). */
static int role_of_band_id(int id)
{
    static const char *const names[13] = {"1", "2",  "3", "4",  "5",  "6", "7",
                                          "8", "8A", "9", "10", "11", "12"};
    return id >= 0 && id < 13 ? role_of(names[id]) : -1;
}

static hy_status sentinel2_open_safe(hy_scene *s, const char *path)
{
    char xml[4096], files[HY_BAND_COUNT][4096], root_dir[4096];
    int is20[HY_BAND_COUNT] = {0}, level2 = 0, ref;
    double q, offset[HY_BAND_COUNT] = {0};
    const char *v, *top;
    CPLXMLNode *root, *list;
    hy_status st;

    memset(files, 0, sizeof(files));
    if (!safe_metadata(path, xml, sizeof(xml), &level2))
        FAIL(HY_EFORMAT, "%s: no MTD_MSIL1C.xml or MTD_MSIL2A.xml", path);
    snprintf(root_dir, sizeof(root_dir), "%s", xml);
    *strrchr(root_dir, '/') = '\0';
    CPLPushErrorHandler(CPLQuietErrorHandler);
    root = CPLParseXMLFile(xml);
    CPLPopErrorHandler();
    if (!root)
        FAIL(HY_EFORMAT, "%s: not readable XML: %s", xml, CPLGetLastErrorMsg());
    CPLStripXMLNamespace(root, NULL, TRUE);
    top = level2 ? "=Level-2A_User_Product.General_Info" : "=Level-1C_User_Product.General_Info";
    {
        char key[256];
        /* acquisition start, UTC */
        snprintf(key, sizeof(key), "%s.Product_Info.PRODUCT_START_TIME", top);
        v = CPLGetXMLValue(root, key, NULL);
        if (!v || hy_time_parse(v, &s->info.time) != HY_OK) {
            CPLDestroyXMLNode(root);
            FAIL(HY_EFORMAT, "%s: PRODUCT_START_TIME = %s: not a UTC time", xml,
                 v ? v : "(missing)");
        }
        /* reflectance = (DN + offset) / quantification (processing baseline >= 04.00 adds the
         * offsets; older products have none, and the lists are absent) */
        snprintf(key, sizeof(key),
                 level2 ? "%s.Product_Image_Characteristics.QUANTIFICATION_VALUES_LIST."
                          "BOA_QUANTIFICATION_VALUE"
                        : "%s.Product_Image_Characteristics.QUANTIFICATION_VALUE",
                 top);
        v = CPLGetXMLValue(root, key, NULL);
        q = v ? atof(v) : 0;
        if (!(q > 0)) {
            CPLDestroyXMLNode(root);
            FAIL(HY_EFORMAT, "%s: quantification value = %s, want a positive number", xml,
                 v ? v : "(missing)");
        }
        snprintf(key, sizeof(key),
                 level2 ? "%s.Product_Image_Characteristics.BOA_ADD_OFFSET_VALUES_LIST"
                        : "%s.Product_Image_Characteristics.Radiometric_Offset_List",
                 top);
        list = CPLGetXMLNode(root, key);
        for (CPLXMLNode *n = list ? list->psChild : NULL; n; n = n->psNext) {
            const char *id = CPLGetXMLValue(n, "band_id", NULL),
                       *val = CPLGetXMLValue(n, NULL, NULL);
            int b = id ? role_of_band_id(atoi(id)) : -1;
            if (n->eType == CXT_Element && b >= 0 && val)
                offset[b] = atof(val);
        }
    }
    CPLDestroyXMLNode(root);
    snprintf(s->info.level, sizeof(s->info.level), "%s", level2 ? "L2A" : "L1C");
    s->info.surface_reflectance = level2;
    {
        char granules[4096];
        snprintf(granules, sizeof(granules), "%s/GRANULE", root_dir);
        safe_bands(s, granules, 0, files, is20);
    }
    for (int b = 0; b < HY_BAND_COUNT; b++)
        if (files[b][0] && (st = open_role(s, b, files[b], 1)) != HY_OK)
            return st;
    ref = s->ds[HY_BAND_SWIR2] ? HY_BAND_SWIR2 : s->ds[HY_BAND_SWIR1] ? HY_BAND_SWIR1 : -1;
    if (ref < 0)
        FAIL(HY_EFORMAT, "%s: no B11 or B12 under GRANULE/*/IMG_DATA", path);
    if ((st = fit_grid(s, ref, 1.0 / q, 0)) != HY_OK)
        return st;
    for (int b = 0; b < HY_BAND_COUNT; b++)
        s->add[b] = offset[b] / q;
    hy__log(s->ctx, HY_LOG_INFO, "%s: Sentinel-2 %s, quantification %g, B12 offset %g", path,
            s->info.level, q, offset[HY_BAND_SWIR2]);
    return HY_OK;
}

hy_status hy__sentinel2_open(hy_scene *s, const char *path)
{
    hy_status st;
    int ref = -1;
    char band[4];

    s->info.sensor = HY_SENSOR_SENTINEL2;
    s->info.time = HY_TIME_NONE; /* crops carry no acquisition time */
    snprintf(s->info.level, sizeof(s->info.level), "MSI");
    snprintf(s->info.product_id, sizeof(s->info.product_id), "%.*s",
             (int)strcspn(base_name(path), "."), base_name(path));
    if (hy__sentinel2_safe(path))
        return sentinel2_open_safe(s, path);

    DIR *d = opendir(path);
    if (d) { /* a folder of per-band rasters */
        struct dirent *de;
        char file[4096];
        st = HY_OK;
        while (st == HY_OK && (de = readdir(d))) {
            int b;
            if (!raster_name(de->d_name) || !band_token(de->d_name, band) ||
                (b = role_of(band)) < 0)
                continue;
            snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
            st = open_role(s, b, file, 1);
        }
        closedir(d);
        if (st != HY_OK)
            return st;
    } else { /* one stacked raster; its band descriptions name the bands */
        GDALDatasetH ds;
        int n;
        CPLPushErrorHandler(CPLQuietErrorHandler);
        ds = GDALOpen(path, GA_ReadOnly);
        CPLPopErrorHandler();
        if (!ds)
            FAIL(HY_EFORMAT, "%s: neither a Landsat MTL file nor a raster GDAL can open: %s", path,
                 CPLGetLastErrorMsg());
        n = GDALGetRasterCount(ds);
        for (int i = 1; i <= n; i++) {
            const char *desc = GDALGetDescription(GDALGetRasterBand(ds, i));
            int b;
            if (!desc || !band_token(desc, band) || (b = role_of(band)) < 0)
                continue;
            if ((st = open_role(s, b, path, i)) != HY_OK) {
                GDALClose(ds);
                return st;
            }
        }
        GDALClose(ds);
        if (!s->info.band_mask)
            FAIL(HY_EFORMAT,
                 "%s: %d bands, but no band description names a Sentinel-2 band (B1 .. B12, "
                 "B8A)",
                 path, n);
    }
    ref = s->ds[HY_BAND_SWIR2] ? HY_BAND_SWIR2 : s->ds[HY_BAND_SWIR1] ? HY_BAND_SWIR1 : -1;
    if (ref < 0)
        FAIL(HY_EFORMAT, "%s: no B11 or B12: the fire rules need the SWIR bands", path);
    if ((st = fit_grid(s, ref, 1.0 / 10000, 0)) != HY_OK) /* QUANTIFICATION_VALUE */
        return st;
    hy__log(s->ctx, HY_LOG_INFO, "%s: Sentinel-2 bands %s%s%s%s%s%s%s%s on a %dx%d grid of %.0f m",
            path, s->ds[HY_BAND_COASTAL] ? "B1 " : "", s->ds[HY_BAND_BLUE] ? "B2 " : "",
            s->ds[HY_BAND_GREEN] ? "B3 " : "", s->ds[HY_BAND_RED] ? "B4 " : "",
            s->ds[HY_BAND_NIR] ? "B8A " : "", s->ds[HY_BAND_WATER_VAPOUR] ? "B9 " : "",
            s->ds[HY_BAND_SWIR1] ? "B11 " : "", s->ds[HY_BAND_SWIR2] ? "B12" : "", s->info.width,
            s->info.height, s->info.geotransform[1]);
    return HY_OK;
}

hy_status hy__stack_open(hy_scene *s, const char *path, const hy_scene_options *opt)
{
    hy_status st;
    int ref = -1;
    s->info.sensor = HY_SENSOR_UNKNOWN;
    s->info.time = HY_TIME_NONE;
    snprintf(s->info.level, sizeof(s->info.level), "stack");
    snprintf(s->info.product_id, sizeof(s->info.product_id), "%.*s",
             (int)strcspn(base_name(path), "."), base_name(path));
    if (!(opt->scale > 0) || opt->offset != opt->offset)
        FAIL(HY_EINVAL, "%s: scale %g, offset %g: want a positive scale", path, opt->scale,
             opt->offset);
    for (int b = 0; b < HY_BAND_COUNT; b++) {
        if (!opt->band_index[b])
            continue;
        if ((st = open_role(s, b, path, opt->band_index[b])) != HY_OK)
            return st;
        if (ref < 0 || b == HY_BAND_SWIR2)
            ref = b;
    }
    if (ref < 0)
        FAIL(HY_EINVAL, "%s: an empty band map", path);
    if ((st = fit_grid(s, ref, opt->scale, opt->offset)) != HY_OK)
        return st;
    if (!s->ds[HY_BAND_COASTAL] && s->ds[HY_BAND_BLUE]) {
        /* as for Landsat crops without B1 (landsat.c) */
        s->standin_for[HY_BAND_COASTAL] = HY_BAND_BLUE;
        s->info.band_mask |= 1u << HY_BAND_COASTAL;
        s->info.standin_mask |= 1u << HY_BAND_COASTAL;
    }
    return HY_OK;
}
