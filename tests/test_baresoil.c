/* tests/test_baresoil.c - the bare-soil classifier and patches: the library is the one
 * models/baresoil/nearest.py wrote; the C kernel calls exactly the spectra NumPy called bare
 * there; hand-built spectra on each side, at three brightnesses; the two Brumadinho dates (the
 * tailings flow of 25 January 2019 as new bare land, the mine's pits and dumps as bare on both
 * dates), with the patch figures of an independent NumPy implementation (tests/reference/
 * baresoil_numpy.py); the synthetic scene's planted bare field in its township. */
#include "tests/testutil.h"

#include "detect/detect_internal.h"
#include "ingest/ingest.h"

#include <jansson.h>
#include <stdlib.h>

#define EARTHLIB HY_DATA("baresoil/earthlib_spectra/earthlib_optimized_S2_L8_bands_indices.csv")
#define BRUM     HY_DATA("satellite/landsat8_L2SP_brumadinho_2019/")

/* The libraries compiled in are library.json's, row for row and float for float (bare rows
 * first, then the others, each in library order; six numbers a row, the unit vectors folded
 * to the reflectances), and so is tau. */
static void test_library_constants(void)
{
    json_error_t jerr;
    json_t *p = json_load_file(HY_SOURCE_DIR "/models/baresoil/library.json", 0, &jerr);
    static const struct {
        const char *name;
        hy_sensor sensor;
    } s[] = {{"sentinel2", HY_SENSOR_SENTINEL2}, {"landsat", HY_SENSOR_LANDSAT8}};
    REQUIRE(p);
    for (size_t k = 0; k < 2; k++) {
        const hy__bare_model *m = hy__bare_model_for(s[k].sensor);
        json_t *js = json_object_get(json_object_get(p, "sensors"), s[k].name);
        json_t *lib = json_object_get(js, "library"), *isb = json_object_get(js, "library_bare");
        size_t nb = 0, no = 0, differ = 0;
        REQUIRE(json_array_size(lib) == json_array_size(isb));
        for (size_t i = 0; i < json_array_size(lib); i++) {
            const int bare = json_is_true(json_array_get(isb, i));
            const float *row = bare ? (nb < m->n_bare ? m->bare[nb] : NULL)
                                    : (no < m->n_other ? m->other[no] : NULL);
            json_t *jr = json_array_get(lib, i);
            nb += bare, no += !bare;
            if (!row || json_array_size(jr) != HY__BARE_BANDS) {
                differ++;
                continue;
            }
            for (int j = 0; j < HY__BARE_BANDS; j++)
                differ += row[j] != (float)json_real_value(json_array_get(jr, (size_t)j));
        }
        ASSERT_EQ(differ, 0);
        ASSERT_EQ(nb, m->n_bare);
        ASSERT_EQ(no, m->n_other);
        ASSERT_EQ(m->n_bare + m->n_other, 238); /* the training spectra with every band > 0 */
        ASSERT_NEAR(m->tau, (float)json_real_value(json_object_get(js, "tau")), 0);
    }
    ASSERT_TRUE(hy__bare_model_for(HY_SENSOR_LANDSAT9) == hy__bare_model_for(HY_SENSOR_LANDSAT8));
    json_decref(p);
}

/* The kernel on the 317 earthlib spectra calls bare exactly the spectra NumPy's float32
 * evaluation of the same classifier called bare in nearest.py (library.json "kernel_bare";
 * the training spectra find themselves in the library there, as they do here). */
static void test_spectra(void)
{
    static const char *const cols[2][6] = {
        {"B2", "B3", "B4", "B8A", "B11", "B12"},
        {"L8_SR_B2", "L8_SR_B3", "L8_SR_B4", "L8_SR_B5", "L8_SR_B6", "L8_SR_B7"}};
    static const hy_sensor sensors[2] = {HY_SENSOR_SENTINEL2, HY_SENSOR_LANDSAT8};
    static const char *const names[2] = {"sentinel2", "landsat"};
    json_error_t jerr;
    json_t *p = json_load_file(HY_SOURCE_DIR "/models/baresoil/library.json", 0, &jerr);
    FILE *f = fopen(EARTHLIB, "r");
    char line[4096], *tok, *save;
    int idx[2][6], ncol = 0, n = 0;
    static float band[2][6][400];
    static uint8_t valid[400], out[400];
    REQUIRE(p && f);
    REQUIRE(fgets(line, sizeof(line), f));
    line[strcspn(line, "\r\n")] = '\0';
    for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save), ncol++)
        for (int s = 0; s < 2; s++)
            for (int b = 0; b < 6; b++)
                if (strcmp(tok, cols[s][b]) == 0)
                    idx[s][b] = ncol;
    while (fgets(line, sizeof(line), f) && n < 400) {
        int c = 0;
        for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save), c++)
            for (int s = 0; s < 2; s++)
                for (int b = 0; b < 6; b++)
                    if (idx[s][b] == c)
                        band[s][b][n] = (float)strtod(tok, NULL);
        valid[n++] = 1;
    }
    fclose(f);
    ASSERT_EQ(n, 317);
    for (int s = 0; s < 2; s++) {
        const float *b[6] = {band[s][0], band[s][1], band[s][2],
                             band[s][3], band[s][4], band[s][5]};
        json_t *called = json_object_get(json_object_get(json_object_get(p, "sensors"), names[s]),
                                         "kernel_bare");
        size_t k = 0;
        int agree = 1, count = 0;
        hy_bare_classify(hy_test_ctx(), sensors[s], b, valid, out, (size_t)n);
        for (int i = 0; i < n; i++) {
            int numpy =
                k < json_array_size(called) && json_integer_value(json_array_get(called, k)) == i;
            k += numpy;
            count += (out[i] & HY_BARE_SOIL) != 0;
            if (numpy != ((out[i] & HY_BARE_SOIL) != 0))
                agree = 0;
        }
        hy_test_check(agree, __LINE__, __FILE__, "%s: C and NumPy call the same spectra bare",
                      names[s]);
        ASSERT_EQ(count, json_array_size(called));
        ASSERT_TRUE(count > 60); /* the classifier calls something */
    }
    json_decref(p);
}

/* Spectra made up by hand. Whether each is bare is nearest.py's NumPy margin, (B - O) / |v|
 * against Landsat's tau of 0.0002 (in brackets); the clear test (blue <= 0.18, not NIR and
 * SWIR1 both < 0.1) is worked by hand. Brightness cancels: each spectrum at 0.7 and 1.3 times
 * its reflectance gives the same answer. */
static void test_hand_spectra(void)
{
    static const struct {
        float v[6]; /* blue, green, red, NIR, SWIR1, SWIR2 */
        unsigned want;
        const char *what;
    } cases[] = {
        {{0.06f, 0.09f, 0.13f, 0.18f, 0.26f, 0.22f},
         HY_BARE_SOIL | HY_BARE_CLEAR,
         "red soil (+0.0007)"},
        {{0.15f, 0.21f, 0.22f, 0.24f, 0.27f, 0.25f}, HY_BARE_CLEAR, "grey concrete (-0.0012)"},
        {{0.08f, 0.09f, 0.10f, 0.12f, 0.14f, 0.13f}, HY_BARE_CLEAR, "asphalt (-0.0007)"},
        /* dark: also not clear */
        {{0.06f, 0.07f, 0.05f, 0.03f, 0.01f, 0.005f}, 0, "water (-0.18)"},
        /* blue 0.5: not clear */
        {{0.5f, 0.5f, 0.5f, 0.52f, 0.4f, 0.3f}, 0, "cloud (-0.033)"},
        {{0.9f, 0.9f, 0.88f, 0.8f, 0.1f, 0.08f}, 0, "snow (-0.20)"},
        {{0.03f, 0.06f, 0.05f, 0.30f, 0.15f, 0.07f}, HY_BARE_CLEAR, "crop (-0.26)"},
        /* the sample scene's bare field (samples/generate.c) */
        {{0.125f, 0.150f, 0.190f, 0.250f, 0.330f, 0.280f},
         HY_BARE_CLEAR | HY_BARE_SOIL,
         "sample field (+0.0012)"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
        for (int scale = 0; scale < 3; scale++) {
            static const float f[3] = {1.0f, 0.7f, 1.3f};
            float v[6];
            const float *b[6];
            uint8_t valid = 1, out = 0xff;
            for (int j = 0; j < 6; j++) {
                v[j] = cases[k].v[j] * f[scale];
                b[j] = &v[j];
            }
            hy_bare_classify(hy_test_ctx(), HY_SENSOR_LANDSAT8, b, &valid, &out, 1);
            if (scale == 0)
                hy_test_check(out == cases[k].want, __LINE__, __FILE__, "%s: bits %u, want %u",
                              cases[k].what, out, cases[k].want);
            else
                hy_test_check((out & HY_BARE_SOIL) == (cases[k].want & HY_BARE_SOIL), __LINE__,
                              __FILE__, "%s x %.1f: bare %u, want %u", cases[k].what,
                              (double)f[scale], out & HY_BARE_SOIL, cases[k].want & HY_BARE_SOIL);
            valid = 0;
            hy_bare_classify(hy_test_ctx(), HY_SENSOR_LANDSAT8, b, &valid, &out, 1);
            ASSERT_EQ(out, 0);
        }
}

/* Brumadinho (Landsat-8 L2, 400 x 300 px crops 30 px apart in x): the tailings dam failed on
 * 25 January 2019 between the two dates. Figures from tests/reference/baresoil_numpy.py (an
 * independent NumPy implementation, 8-connected breadth-first labelling): new bare patches
 * of 1156 px (x 229..272, y 64..157: the flow below the dam), 337 px (x 165..211, y 118..152)
 * and 234 px (x 153..174, y 148..194: where it reached the river); bare on both dates, 687 px
 * (x 82..121, y 10..62: a pit of the Corrego do Feijao mine). */
static void test_brumadinho(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *after = NULL, *before = NULL;
    hy_detections d = {0}, single = {0};
    hy_bare_patches p;
    hy_bare_config cfg;
    int found_new1 = 0, found_new2 = 0, found_new3 = 0, found_pers = 0, n_new = 0, n_pers = 0;
    REQUIRE(hy_scene_open(ctx, BRUM "LC08_L2SP_218074_20190130_20200829_02_T1_MTL.txt", &after) ==
            HY_OK);
    REQUIRE(hy_scene_open(ctx, BRUM "LC08_L2SP_218074_20190114_20200829_02_T1_MTL.txt", &before) ==
            HY_OK);
    hy_bare_config_init(&cfg);
    cfg.tile_size = 128; /* blocks in parallel, and patches across block edges */
    REQUIRE(hy_bare_detect(ctx, after, before, &cfg, &d, &p) == HY_OK);
    ASSERT_EQ(p.n, d.n);
    for (size_t k = 0; k < d.n; k++) {
        const hy_detection *x = &d.v[k];
        ASSERT_EQ(x->kind, HY_KIND_BARE_SOIL);
        ASSERT_TRUE(x->area_m2 >= 5000);
        ASSERT_NEAR(x->area_m2, x->pixels * 900.0, 1e-6);
        ASSERT_EQ((size_t)x->pixels, p.start[k + 1] - p.start[k]);
        n_new += strcmp(x->tests, "bare,new") == 0;
        n_pers += strcmp(x->tests, "bare,persistent") == 0;
        if (x->pixels == 1156 && strcmp(x->tests, "bare,new") == 0 && x->bbox[0] == 229 &&
            x->bbox[1] == 64 && x->bbox[2] == 44 && x->bbox[3] == 94)
            found_new1 = 1;
        if (x->pixels == 337 && strcmp(x->tests, "bare,new") == 0 && x->bbox[0] == 165 &&
            x->bbox[1] == 118 && x->bbox[2] == 47 && x->bbox[3] == 35)
            found_new2 = 1;
        if (x->pixels == 234 && strcmp(x->tests, "bare,new") == 0 && x->bbox[0] == 153 &&
            x->bbox[1] == 148 && x->bbox[2] == 22 && x->bbox[3] == 47)
            found_new3 = 1;
        if (x->pixels == 687 && strcmp(x->tests, "bare,persistent") == 0 && x->bbox[0] == 82 &&
            x->bbox[1] == 10 && x->bbox[2] == 40 && x->bbox[3] == 53)
            found_pers = 1;
    }
    ASSERT_TRUE(found_new1);
    ASSERT_TRUE(found_new2);
    ASSERT_TRUE(found_new3);
    ASSERT_TRUE(found_pers);
    /* the reference's counts of patches of at least 0.5 ha (6 px): besides the flow, 21 small
     * new patches (6-84 px), most at the edges of the mine's dumps; none on the clouds of the
     * later date (blue above 0.18 is never bare) */
    ASSERT_EQ(n_new, 24);
    ASSERT_EQ(n_pers, 25);
    /* the clouds of the later date: the classifier alone calls some of their pixels bare (so
     * the cloud test has work to do), and no patch holds a pixel whose blue is above 0.18 */
    {
        hy_tile t;
        size_t cloudy_bare = 0, cloudy_in_patch = 0;
        REQUIRE(hy_scene_read(after, 0, 0, 400, 300, 0, &t) == HY_OK);
        for (int y = 0; y < t.height; y++) {
            const ptrdiff_t o = (ptrdiff_t)y * t.stride;
            const float *b6[6] = {t.band[HY_BAND_BLUE] + o,  t.band[HY_BAND_GREEN] + o,
                                  t.band[HY_BAND_RED] + o,   t.band[HY_BAND_NIR] + o,
                                  t.band[HY_BAND_SWIR1] + o, t.band[HY_BAND_SWIR2] + o};
            uint8_t bits[400];
            hy_bare_classify(ctx, HY_SENSOR_LANDSAT8, b6, t.valid + o, bits, (size_t)t.width);
            for (int x = 0; x < t.width; x++)
                cloudy_bare += (bits[x] & HY_BARE_SOIL) && b6[0][x] > HY_BARE_CLOUD_BLUE;
        }
        for (size_t k = 0; k < p.start[p.n]; k++) {
            const int x = p.xy[2 * k], y = p.xy[2 * k + 1];
            cloudy_in_patch +=
                t.band[HY_BAND_BLUE][(ptrdiff_t)y * t.stride + x] > HY_BARE_CLOUD_BLUE;
        }
        ASSERT_TRUE(cloudy_bare > 100);
        ASSERT_EQ(cloudy_in_patch, 0);
        hy_tile_free(ctx, &t);
    }
    hy_bare_patches_free(ctx, &p);

    /* the built-up area at the crop's west edge (x 0..59, y 140..259: the east of Brumadinho
     * town, 7200 px of roofs and streets) holds 17 bare pixels (0.24 %), and one patch of at
     * least 0.5 ha, 7 px at its west edge (x 0..2, y 169..174); the NumPy reference agrees */
    {
        hy_detections all = {0};
        hy_bare_patches ap;
        hy_bare_config c0;
        size_t in_town = 0;
        hy_bare_config_init(&c0);
        c0.min_area_m2 = 0;
        REQUIRE(hy_bare_detect(ctx, after, NULL, &c0, &all, &ap) == HY_OK);
        for (size_t k = 0; k < ap.start[ap.n]; k++)
            in_town += ap.xy[2 * k] < 60 && ap.xy[2 * k + 1] >= 140 && ap.xy[2 * k + 1] < 260;
        ASSERT_EQ(in_town, 17);
        hy_bare_patches_free(ctx, &ap);
        hy_detections_free(ctx, &all);
    }
    /* one date: everything is simply bare, and without the earlier date to split them the
     * flow joins the dumps beside it (1446 px, x 229..272, y 64..157); 24 patches, one of
     * them in the town */
    REQUIRE(hy_bare_detect(ctx, after, NULL, NULL, &single, NULL) == HY_OK);
    {
        int found = 0;
        for (size_t k = 0; k < single.n; k++) {
            ASSERT_STR_EQ(single.v[k].tests, "bare");
            found |= single.v[k].pixels == 1446 && single.v[k].bbox[0] == 229;
        }
        ASSERT_TRUE(found);
        ASSERT_EQ(single.n, 24);
        for (size_t k = 0, n = 0; k < single.n; k++)
            if (single.v[k].bbox[0] < 60 && single.v[k].bbox[1] + single.v[k].bbox[3] > 140 &&
                single.v[k].bbox[1] < 260) {
                ASSERT_TRUE(++n == 1 && single.v[k].pixels == 7 && single.v[k].bbox[0] == 0 &&
                            single.v[k].bbox[1] == 169);
            }
    }
    hy_detections_free(ctx, &d);
    hy_detections_free(ctx, &single);

    /* grids that do not line up are refused, naming both: Corumba is in another UTM zone */
    {
        hy_scene *other = NULL;
        REQUIRE(hy_scene_open(ctx,
                              HY_DATA("satellite/landsat8_L1TP_corumba_fire_20190825/"
                                      "LC08_L1TP_227074_20190825_20200826_02_T1_MTL.txt"),
                              &other) == HY_OK);
        hy_test_log_clear();
        ASSERT_EQ(hy_bare_detect(ctx, after, other, NULL, &d, NULL), HY_EINVAL);
        ASSERT_CONTAINS(hy_test_log(), "not on the same grid");
        ASSERT_CONTAINS(hy_test_log(), "LC08_L1TP_227074_20190825");
        ASSERT_EQ(d.n, 0);
        hy_scene_destroy(other);
    }
    hy_scene_destroy(after);
    hy_scene_destroy(before);
}

/* The synthetic scene's bare field (samples: 20 x 15 px at column 150, row 250, in 西庄乡):
 * one patch of exactly those 300 px, 27 ha; the bright warm roof beside the fires is not
 * bare (grey: R/G below the rule). */
static void test_sample_field(void)
{
    hy_ctx *ctx = hy_test_ctx();
    char path[1024];
    hy_scene *s = NULL;
    hy_detections d = {0};
    snprintf(path, sizeof(path), "%s/landsat", hy_test_samples());
    REQUIRE(hy_scene_open(ctx, path, &s) == HY_OK);
    REQUIRE(hy_bare_detect(ctx, s, NULL, NULL, &d, NULL) == HY_OK);
    ASSERT_EQ(d.n, 1);
    if (d.n == 1) {
        ASSERT_EQ(d.v[0].pixels, 300);
        ASSERT_EQ(d.v[0].bbox[0], 150);
        ASSERT_EQ(d.v[0].bbox[1], 250);
        ASSERT_EQ(d.v[0].bbox[2], 20);
        ASSERT_EQ(d.v[0].bbox[3], 15);
        ASSERT_NEAR(d.v[0].px, 160.0, 1e-9);
        ASSERT_NEAR(d.v[0].py, 257.5, 1e-9);
        ASSERT_NEAR(d.v[0].area_m2, 270000.0, 1e-6);
    }
    hy_detections_free(ctx, &d);
    hy_scene_destroy(s);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {
        {"library_constants", test_library_constants}, {"spectra", test_spectra},
        {"hand_spectra", test_hand_spectra},           {"brumadinho", test_brumadinho},
        {"sample_field", test_sample_field},           {NULL, NULL}};
    return hy_test_main("baresoil", tests, argc, argv);
}
