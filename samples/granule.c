/* samples/granule.c - small swath granules in the formats of the VIIRS and MODIS L1B products,
 * for the tests and the demo: no real L1 granule fits in the repository, so these are built
 * from physical values the caller chooses and encoded the way the products encode them.
 *
 * VIIRS (NetCDF4, written with GDAL's multidimensional API): VNP02IMG with I01..I05 as 16-bit
 * counts in group observation_data (I1-I3: reflectance = scale_factor * count + add_offset;
 * I4, I5: brightness temperature = I0n_brightness_temperature_lut[count]) and
 * I04_quality_flags with a "Saturation" bit; VNP03IMG with group geolocation_data.
 *
 * MODIS (HDF4, written with the HDF4 library's SD interface, the one GDAL reads through:
 * GDAL's own HDF4 writer names every SDS "BandN" and cannot make MODIS's): MOD021KM with
 * EV_1KM_Emissive (bands 20-36 but 26; radiance = radiance_scales * (count -
 * radiance_offsets)), EV_250_Aggr1km_RefSB (1, 2) and EV_500_Aggr1km_RefSB (3-7) with
 * reflectance_scales/offsets, and band_names; MOD03 with Latitude, Longitude, angles in
 * hundredths of a degree and Land/SeaMask. Band 22 counts are 65533 (detector saturated)
 * above its 331 K range, as in the product. */
#include "samples/samples.h"

#include "ingest/ingest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <hdf/mfhdf.h>

/* VIIRS encodings */
#define V_LUT_N     65528 /* counts 0..65527 are valid */
#define V_BT4_LO    150.0
#define V_BT4_HI    367.0 /* I4 saturates at 367 K (Schroeder et al. 2014, section 2) */
#define V_BT5_LO    150.0
#define V_BT5_HI    380.0
#define V_REFL_STEP 2.0e-5
#define V_QF_SAT    16

/* MODIS encodings: count = L / scale + offset, the largest radiance at count 32767. */
#define M_OFFSET 1000.0

static const char *const modis_emissive_names = "20,21,22,23,24,25,27,28,29,30,31,32,33,34,35,36";
static const double modis_lambda[4] = {3.9650, 3.9638, 11.0186, 12.0325}; /* 21, 22, 31, 32 */
static const int modis_index[4] = {1, 2, 10, 11};
static const double modis_lmax[4] = {100.0, 0, 30.0, 30.0}; /* 22: from 331 K */

static hy_status failf(char *err, size_t size, hy_status st, const char *what, const char *path)
{
    snprintf(err, size, "%s: cannot write %s: %s", path, what, CPLGetLastErrorMsg());
    return st;
}

static uint16_t clampc(double c, unsigned max)
{
    if (!(c >= 0))
        return 0;
    if (c > max)
        return (uint16_t)max;
    return (uint16_t)lrint(c);
}

/* ---- VIIRS through GDAL's multidimensional API ---- */

static int put_attr_d(GDALMDArrayH a, const char *name, double v)
{
    GDALExtendedDataTypeH t = GDALExtendedDataTypeCreate(GDT_Float64);
    GDALAttributeH at = GDALMDArrayCreateAttribute(a, name, 0, NULL, t, NULL);
    int ok = at && GDALAttributeWriteDouble(at, v);
    if (at)
        GDALAttributeRelease(at);
    GDALExtendedDataTypeRelease(t);
    return ok;
}

static int put_attr_s(GDALMDArrayH a, const char *name, const char *v)
{
    GDALExtendedDataTypeH t = GDALExtendedDataTypeCreateString(0);
    GDALAttributeH at = GDALMDArrayCreateAttribute(a, name, 0, NULL, t, NULL);
    int ok = at && GDALAttributeWriteString(at, v);
    if (at)
        GDALAttributeRelease(at);
    GDALExtendedDataTypeRelease(t);
    return ok;
}

static int put_attr_darray(GDALMDArrayH a, const char *name, const double *v, size_t n)
{
    GDALExtendedDataTypeH t = GDALExtendedDataTypeCreate(GDT_Float64);
    GUInt64 dim = n;
    GDALAttributeH at = GDALMDArrayCreateAttribute(a, name, 1, &dim, t, NULL);
    int ok = at && GDALAttributeWriteDoubleArray(at, v, n);
    if (at)
        GDALAttributeRelease(at);
    GDALExtendedDataTypeRelease(t);
    return ok;
}

/* Create array `name` in grp over dims and write buf (of type t, the array's type too); fill
 * (NaN: none) is its _FillValue, which netCDF wants before the data. */
static GDALMDArrayH put_array(GDALGroupH grp, const char *name, GDALDimensionH *dims, size_t nd,
                              GDALDataType t, const void *buf, double fill)
{
    GDALExtendedDataTypeH et = GDALExtendedDataTypeCreate(t);
    GDALMDArrayH a = GDALGroupCreateMDArray(grp, name, nd, dims, et, NULL);
    GUInt64 start[2] = {0, 0};
    size_t count[2];
    for (size_t i = 0; i < nd; i++)
        count[i] = (size_t)GDALDimensionGetSize(dims[i]);
    if (a && fill == fill && !GDALMDArraySetNoDataValueAsDouble(a, fill)) {
        GDALMDArrayRelease(a);
        a = NULL;
    }
    if (a && !GDALMDArrayWrite(a, start, count, NULL, NULL, et, buf, NULL, 0)) {
        GDALMDArrayRelease(a);
        a = NULL;
    }
    GDALExtendedDataTypeRelease(et);
    return a;
}

/* A NetCDF4 file of a VIIRS product: the lines x pixels dimensions at its root and one group. */
typedef struct nc_file {
    GDALDatasetH ds;
    GDALGroupH root, grp;
    GDALDimensionH dims[2];
} nc_file;

static int nc_create(nc_file *f, const hy_sample_granule *s, const char *path, const char *group)
{
    static const char *const opts[] = {"FORMAT=NC4", NULL};
    GDALDriverH drv = GDALGetDriverByName("netCDF");
    memset(f, 0, sizeof(*f));
    f->ds = drv ? GDALCreateMultiDimensional(drv, path, NULL, (CSLConstList)opts) : NULL;
    if (!f->ds)
        return -1;
    f->root = GDALDatasetGetRootGroup(f->ds);
    f->dims[0] =
        GDALGroupCreateDimension(f->root, "number_of_lines", NULL, NULL, (GUInt64)s->height, NULL);
    f->dims[1] =
        GDALGroupCreateDimension(f->root, "number_of_pixels", NULL, NULL, (GUInt64)s->width, NULL);
    f->grp = GDALGroupCreateGroup(f->root, group, NULL);
    return f->dims[0] && f->dims[1] && f->grp ? 0 : -1;
}

static void nc_close(nc_file *f)
{
    if (f->grp)
        GDALGroupRelease(f->grp);
    for (int k = 0; k < 2; k++)
        if (f->dims[k])
            GDALDimensionRelease(f->dims[k]);
    if (f->root)
        GDALGroupRelease(f->root);
    if (f->ds)
        GDALClose(f->ds);
}

static hy_status write_viirs_l1(const hy_sample_granule *s, const char *path, char *err,
                                size_t size)
{
    nc_file nc;
    GDALGroupH obs;
    GDALDimensionH *dims = nc.dims, lutdim;
    size_t n = (size_t)s->width * (size_t)s->height;
    uint16_t *c;
    float *lut;
    hy_status st = HY_OK;
    if (nc_create(&nc, s, path, "observation_data") != 0) {
        nc_close(&nc);
        return failf(err, size, HY_EIO, "the file", path);
    }
    obs = nc.grp;
    lutdim = GDALGroupCreateDimension(nc.root, "number_of_LUT_values", NULL, NULL, V_LUT_N, NULL);
    c = CPLMalloc(n * sizeof(uint16_t));
    lut = CPLMalloc(V_LUT_N * sizeof(float));
    for (int b = 1; b <= 5 && st == HY_OK; b++) {
        const float *v = b == 1   ? s->red
                         : b == 2 ? s->nir
                         : b == 3 ? s->swir
                         : b == 4 ? s->bt4
                                  : s->bt11;
        double lo = b == 4 ? V_BT4_LO : V_BT5_LO, hi = b == 4 ? V_BT4_HI : V_BT5_HI;
        char name[48];
        GDALMDArrayH a;
        for (size_t i = 0; i < n; i++) {
            if (!(v[i] == v[i]))
                c[i] = 65535; /* fill */
            else if (b <= 3)
                c[i] = clampc(v[i] / V_REFL_STEP, V_LUT_N - 1);
            else
                c[i] = clampc((v[i] - lo) / (hi - lo) * (V_LUT_N - 1), V_LUT_N - 1);
        }
        snprintf(name, sizeof(name), "I%02d", b);
        a = put_array(obs, name, dims, 2, GDT_UInt16, c, 65535);
        if (!a || !put_attr_d(a, "valid_max", V_LUT_N - 1)) {
            st = failf(err, size, HY_EIO, name, path);
        } else if (b <= 3 && (!put_attr_d(a, "scale_factor", V_REFL_STEP) ||
                              !put_attr_d(a, "add_offset", 0))) {
            st = failf(err, size, HY_EIO, name, path);
        }
        if (a)
            GDALMDArrayRelease(a);
        if (st == HY_OK && b >= 4) {
            for (int k = 0; k < V_LUT_N; k++)
                lut[k] = (float)(lo + (hi - lo) * k / (V_LUT_N - 1));
            snprintf(name, sizeof(name), "I%02d_brightness_temperature_lut", b);
            a = put_array(obs, name, &lutdim, 1, GDT_Float32, lut, NAN);
            if (!a)
                st = failf(err, size, HY_EIO, name, path);
            else
                GDALMDArrayRelease(a);
        }
    }
    if (st == HY_OK) {
        GDALMDArrayH a;
        double masks[5] = {1, 2, 4, 8, V_QF_SAT};
        for (size_t i = 0; i < n; i++)
            c[i] = s->sat4 && s->sat4[i] ? V_QF_SAT : 0;
        a = put_array(obs, "I04_quality_flags", dims, 2, GDT_UInt16, c, NAN);
        if (!a || !put_attr_darray(a, "flag_masks", masks, 5) ||
            !put_attr_s(a, "flag_meanings",
                        "Scan_quality_warning Calibration_quality_warning "
                        "Calibration_quality_bad Data_out_of_range Saturation"))
            st = failf(err, size, HY_EIO, "I04_quality_flags", path);
        if (a)
            GDALMDArrayRelease(a);
    }
    GDALDimensionRelease(lutdim);
    nc_close(&nc);
    CPLFree(c);
    CPLFree(lut);
    return st;
}

static hy_status write_viirs_geo(const hy_sample_granule *s, const char *path, char *err,
                                 size_t size)
{
    nc_file nc;
    GDALGroupH geo;
    GDALDimensionH *dims = nc.dims;
    size_t n = (size_t)s->width * (size_t)s->height;
    int16_t *a16;
    uint8_t *lw;
    hy_status st = HY_OK;
    const float *angles[4] = {s->sza, s->vza, s->saa, s->vaa};
    static const char *const names[4] = {"solar_zenith", "sensor_zenith", "solar_azimuth",
                                         "sensor_azimuth"};
    if (nc_create(&nc, s, path, "geolocation_data") != 0) {
        nc_close(&nc);
        return failf(err, size, HY_EIO, "the file", path);
    }
    geo = nc.grp;
    a16 = CPLMalloc(n * sizeof(int16_t));
    lw = CPLMalloc(n);
    {
        GDALMDArrayH lat = put_array(geo, "latitude", dims, 2, GDT_Float32, s->lat, NAN);
        GDALMDArrayH lon = put_array(geo, "longitude", dims, 2, GDT_Float32, s->lon, NAN);
        if (!lat || !lon)
            st = failf(err, size, HY_EIO, "latitude/longitude", path);
        if (lat)
            GDALMDArrayRelease(lat);
        if (lon)
            GDALMDArrayRelease(lon);
    }
    for (int k = 0; k < 4 && st == HY_OK; k++) {
        GDALMDArrayH a;
        for (size_t i = 0; i < n; i++)
            a16[i] = (int16_t)lrint(angles[k][i] * 100);
        a = put_array(geo, names[k], dims, 2, GDT_Int16, a16, NAN);
        if (!a || !put_attr_d(a, "scale_factor", 0.01))
            st = failf(err, size, HY_EIO, names[k], path);
        if (a)
            GDALMDArrayRelease(a);
    }
    if (st == HY_OK) {
        GDALMDArrayH a;
        for (size_t i = 0; i < n; i++)
            lw[i] = s->landwater ? s->landwater[i] : 1;
        a = put_array(geo, "land_water_mask", dims, 2, GDT_Byte, lw, NAN);
        if (!a)
            st = failf(err, size, HY_EIO, "land_water_mask", path);
        else
            GDALMDArrayRelease(a);
    }
    nc_close(&nc);
    CPLFree(a16);
    CPLFree(lw);
    return st;
}

/* ---- MODIS through the HDF4 SD interface ---- */

static int sd_put(int32 sd, const char *name, int32 type, int32 rank, int32 *dims, void *buf,
                  int32 *out_sds)
{
    int32 start[3] = {0, 0, 0};
    int32 s = SDcreate(sd, name, type, rank, dims);
    if (s < 0 || SDwritedata(s, start, NULL, dims, buf) < 0) {
        if (s >= 0)
            SDendaccess(s);
        return 0;
    }
    if (out_sds)
        *out_sds = s;
    else
        SDendaccess(s);
    return 1;
}

static hy_status write_modis_l1(const hy_sample_granule *s, const char *path, char *err,
                                size_t size)
{
    size_t n = (size_t)s->width * (size_t)s->height;
    int32 sd = SDstart(path, DFACC_CREATE), sds;
    uint16 *c;
    hy_status st = HY_OK;
    if (sd < 0) {
        snprintf(err, size, "%s: cannot create (HDF4)", path);
        return HY_EIO;
    }
    c = CPLCalloc(16 * n, sizeof(uint16));
    /* EV_1KM_Emissive: bands 21, 22, 31, 32 from the temperatures; the rest 0. */
    {
        float32 scales[16], offsets[16];
        int32 dims[3] = {16, s->height, s->width};
        for (int b = 0; b < 16; b++) {
            scales[b] = 1e-3f;
            offsets[b] = (float32)M_OFFSET;
        }
        for (int k = 0; k < 4; k++) {
            const float *t = k <= 1 ? s->bt4 : k == 2 ? s->bt11 : s->bt12;
            double lmax = k == 1 ? hy_planck_radiance(modis_lambda[1], 331.0) : modis_lmax[k];
            double scale = lmax / (32767 - M_OFFSET);
            uint16 *dst = c + (size_t)modis_index[k] * n;
            scales[modis_index[k]] = (float32)scale;
            for (size_t i = 0; i < n; i++) {
                double l = t[i] == t[i] ? hy_planck_radiance(modis_lambda[k], t[i]) : NAN;
                if (!(l == l))
                    dst[i] = 65535;
                else if (k == 1 && (t[i] > 331.0 || (s->sat4 && s->sat4[i])))
                    dst[i] = 65533; /* band 22 detector saturated */
                else
                    dst[i] = clampc(l / (double)scales[modis_index[k]] + M_OFFSET, 32767);
            }
        }
        if (!sd_put(sd, "EV_1KM_Emissive", DFNT_UINT16, 3, dims, c, &sds) ||
            SDsetattr(sds, "radiance_scales", DFNT_FLOAT32, 16, scales) < 0 ||
            SDsetattr(sds, "radiance_offsets", DFNT_FLOAT32, 16, offsets) < 0 ||
            SDsetattr(sds, "band_names", DFNT_CHAR8, (int32)strlen(modis_emissive_names),
                      modis_emissive_names) < 0)
            st = HY_EIO;
        else
            SDendaccess(sds);
    }
    /* reflective: EV_250_Aggr1km_RefSB (1, 2), EV_500_Aggr1km_RefSB (3..7, band 7 last) */
    for (int k = 0; k < 2 && st == HY_OK; k++) {
        int nb = k == 0 ? 2 : 5;
        int32 dims[3] = {nb, s->height, s->width};
        float32 scales[5], offsets[5];
        const char *names = k == 0 ? "1,2" : "3,4,5,6,7";
        memset(c, 0, (size_t)nb * n * sizeof(uint16));
        for (int b = 0; b < nb; b++) {
            const float *v = k == 0 ? (b == 0 ? s->red : s->nir) : (b == 4 ? s->swir : NULL);
            scales[b] = 5e-5f;
            offsets[b] = 20.0f;
            if (!v)
                continue;
            for (size_t i = 0; i < n; i++)
                c[(size_t)b * n + i] = v[i] == v[i] ? clampc(v[i] / 5e-5 + 20.0, 32767) : 65535;
        }
        if (!sd_put(sd, k == 0 ? "EV_250_Aggr1km_RefSB" : "EV_500_Aggr1km_RefSB", DFNT_UINT16, 3,
                    dims, c, &sds) ||
            SDsetattr(sds, "reflectance_scales", DFNT_FLOAT32, nb, scales) < 0 ||
            SDsetattr(sds, "reflectance_offsets", DFNT_FLOAT32, nb, offsets) < 0 ||
            SDsetattr(sds, "band_names", DFNT_CHAR8, (int32)strlen(names), names) < 0)
            st = HY_EIO;
        else
            SDendaccess(sds);
    }
    CPLFree(c);
    if (SDend(sd) < 0 || st != HY_OK) {
        snprintf(err, size, "%s: cannot write the MODIS SDSs (HDF4)", path);
        return HY_EIO;
    }
    return HY_OK;
}

static hy_status write_modis_geo(const hy_sample_granule *s, const char *path, char *err,
                                 size_t size)
{
    size_t n = (size_t)s->width * (size_t)s->height;
    int32 sd = SDstart(path, DFACC_CREATE), sds;
    int32 dims[2] = {s->height, s->width};
    int16 *a16;
    uint8 *lw;
    hy_status st = HY_OK;
    const float *angles[4] = {s->sza, s->vza, s->saa, s->vaa};
    static const char *const names[4] = {"SolarZenith", "SensorZenith", "SolarAzimuth",
                                         "SensorAzimuth"};
    if (sd < 0) {
        snprintf(err, size, "%s: cannot create (HDF4)", path);
        return HY_EIO;
    }
    a16 = CPLMalloc(n * sizeof(int16));
    lw = CPLMalloc(n);
    if (!sd_put(sd, "Latitude", DFNT_FLOAT32, 2, dims, (void *)s->lat, NULL) ||
        !sd_put(sd, "Longitude", DFNT_FLOAT32, 2, dims, (void *)s->lon, NULL))
        st = HY_EIO;
    for (int k = 0; k < 4 && st == HY_OK; k++) {
        float64 scale = 0.01;
        for (size_t i = 0; i < n; i++)
            a16[i] = (int16)lrint(angles[k][i] * 100);
        if (!sd_put(sd, names[k], DFNT_INT16, 2, dims, a16, &sds) ||
            SDsetattr(sds, "scale_factor", DFNT_FLOAT64, 1, &scale) < 0)
            st = HY_EIO;
        else
            SDendaccess(sds);
    }
    for (size_t i = 0; i < n; i++)
        lw[i] = s->landwater ? s->landwater[i] : 1;
    if (st == HY_OK && !sd_put(sd, "Land/SeaMask", DFNT_UINT8, 2, dims, lw, NULL))
        st = HY_EIO;
    CPLFree(a16);
    CPLFree(lw);
    if (SDend(sd) < 0 || st != HY_OK) {
        snprintf(err, size, "%s: cannot write the MOD03 SDSs (HDF4)", path);
        return HY_EIO;
    }
    return HY_OK;
}

hy_status hy_samples_granule(const hy_sample_granule *s, const char *dir, char *l1_path,
                             char *geo_path, size_t path_size, char *err, size_t err_size)
{
    int viirs;
    hy_status st;
    err[0] = '\0';
    if (!s || !dir || !s->pass || (s->sensor != HY_SENSOR_VIIRS && s->sensor != HY_SENSOR_MODIS) ||
        s->width < 1 || s->height < 1 || !s->bt4 || !s->bt11 || !s->red || !s->nir || !s->swir ||
        !s->sza || !s->vza || !s->saa || !s->vaa || !s->lat || !s->lon ||
        (s->sensor == HY_SENSOR_MODIS && !s->bt12)) {
        snprintf(err, err_size, "granule sample: a required field is missing");
        return HY_EINVAL;
    }
    GDALAllRegister();
    viirs = s->sensor == HY_SENSOR_VIIRS;
    snprintf(l1_path, path_size, "%s/%s.%s.%s", dir, viirs ? "VNP02IMG" : "MOD021KM", s->pass,
             viirs ? "002.SYNTHETIC.nc" : "061.SYNTHETIC.hdf");
    snprintf(geo_path, path_size, "%s/%s.%s.%s", dir, viirs ? "VNP03IMG" : "MOD03", s->pass,
             viirs ? "002.SYNTHETIC.nc" : "061.SYNTHETIC.hdf");
    if (viirs) {
        if ((st = write_viirs_l1(s, l1_path, err, err_size)) != HY_OK)
            return st;
        return write_viirs_geo(s, geo_path, err, err_size);
    }
    if ((st = write_modis_l1(s, l1_path, err, err_size)) != HY_OK)
        return st;
    return write_modis_geo(s, geo_path, err, err_size);
}

/* ---- the demo's granules ---- */

/* One granule over the sample scene: a north-up grid of n x n pixels of dlon x dlat degrees
 * centred on the scene, a quiet daytime background with fixed texture, and a fire (BT4 bt4,
 * BT11 bt11) at the pixel nearest each of the first nfires planted Landsat fires. */
static hy_status thermal_sample(int sensor, const char *dir, const char *pass, int n, double dlon,
                                double dlat, int nfires, float bt4, float bt11, char *err,
                                size_t err_size)
{
    size_t np = (size_t)n * (size_t)n;
    float *buf = CPLCalloc(np * 13, sizeof(float));
    float *p[13];
    uint8_t *lw = CPLMalloc(np);
    hy_sample_granule g;
    char l1[4096], geo[4096];
    OGRSpatialReferenceH utm = OSRNewSpatialReference(NULL), wgs = OSRNewSpatialReference(NULL);
    OGRCoordinateTransformationH ct;
    double cx = HY_SAMPLE_UL_E + HY_SAMPLE_SCENE_W * HY_SAMPLE_CELL / 2;
    double cy = HY_SAMPLE_UL_N - HY_SAMPLE_SCENE_H * HY_SAMPLE_CELL / 2;
    int nplanted;
    const hy_sample_fire *planted = hy_samples_fires(&nplanted);
    hy_status st;
    for (int k = 0; k < 13; k++)
        p[k] = buf + (size_t)k * np;
    OSRImportFromEPSG(utm, 32649);
    OSRImportFromEPSG(wgs, 4326);
    OSRSetAxisMappingStrategy(utm, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
    ct = OCTNewCoordinateTransformation(utm, wgs);
    OCTTransform(ct, 1, &cx, &cy, NULL);
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            size_t i = (size_t)y * (size_t)n + (size_t)x;
            p[0][i] = 300.0f + (float)(((x * 7 + y * 13) % 11) - 5) / 5.0f; /* BT4 */
            p[1][i] = 290.0f + (float)(((x * 5 + y * 3) % 7) - 3) / 3.0f;   /* BT11 */
            p[2][i] = p[1][i] - 2;                                          /* BT12 */
            p[3][i] = 0.07f, p[4][i] = 0.24f, p[5][i] = 0.16f; /* crops: red, NIR, SWIR */
            p[6][i] = 25, p[7][i] = 12, p[8][i] = 120, p[9][i] = 280;
            p[10][i] = (float)(cy + (n / 2 - y) * dlat);
            p[11][i] = (float)(cx + (x - n / 2) * dlon);
            lw[i] = 1;
        }
    for (int f = 0; f < nfires && f < nplanted; f++) {
        double fx = HY_SAMPLE_UL_E + (planted[f].x + 0.5) * HY_SAMPLE_CELL;
        double fy = HY_SAMPLE_UL_N - (planted[f].y + 0.5) * HY_SAMPLE_CELL;
        long x, y;
        OCTTransform(ct, 1, &fx, &fy, NULL);
        x = lround((fx - cx) / dlon) + n / 2;
        y = n / 2 - lround((fy - cy) / dlat);
        if (x >= 0 && x < n && y >= 0 && y < n) {
            p[0][(size_t)y * (size_t)n + (size_t)x] = bt4;
            p[1][(size_t)y * (size_t)n + (size_t)x] = bt11;
            p[2][(size_t)y * (size_t)n + (size_t)x] = bt11 - 1;
        }
    }
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(utm);
    OSRDestroySpatialReference(wgs);
    memset(&g, 0, sizeof(g));
    g.sensor = sensor;
    g.width = g.height = n;
    g.pass = pass;
    g.bt4 = p[0], g.bt11 = p[1], g.bt12 = p[2];
    g.red = p[3], g.nir = p[4], g.swir = p[5];
    g.sza = p[6], g.vza = p[7], g.saa = p[8], g.vaa = p[9];
    g.lat = p[10], g.lon = p[11];
    g.landwater = lw;
    st = hy_samples_granule(&g, dir, l1, geo, sizeof(l1), err, err_size);
    CPLFree(buf);
    CPLFree(lw);
    return st;
}

hy_status hy__samples_thermal(const char *dir, char *err, size_t err_size)
{
    char path[4096];
    hy_status st;
    snprintf(path, sizeof(path), "%s/viirs", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "%s: cannot create", path);
        return HY_EIO;
    }
    if ((st = thermal_sample(HY_SENSOR_VIIRS, path, HY_SAMPLE_VIIRS_PASS, 40, 0.0041, 0.0034,
                             HY_SAMPLE_VIIRS_FIRES, 336.0f, 297.0f, err, err_size)) != HY_OK)
        return st;
    snprintf(path, sizeof(path), "%s/modis", dir);
    if (mkdir(path, 0755) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "%s: cannot create", path);
        return HY_EIO;
    }
    return thermal_sample(HY_SENSOR_MODIS, path, HY_SAMPLE_MODIS_PASS, 16, 0.011, 0.009,
                          HY_SAMPLE_MODIS_FIRES, 328.0f, 296.0f, err, err_size);
}
