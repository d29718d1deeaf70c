/* tests/test_baresoil.c - the bare-soil rule and patches: the constants are the ones
 * models/baresoil/derive.py wrote; the C kernel calls exactly the spectra NumPy called bare
 * there; hand-built spectra on each side of the rule; the two Brumadinho dates (the tailings
 * flow of 25 January 2019 as new bare land, the mine's pits and dumps as bare on both dates),
 * with the patch figures of an independent NumPy implementation (tests/reference/
 * baresoil_numpy.py); the synthetic scene's planted bare field in its township. */
#include "tests/testutil.h"

#include "detect/detect_internal.h"
#include "ingest/ingest.h"

#include <jansson.h>
#include <stdlib.h>

#define EARTHLIB HY_DATA("baresoil/earthlib_spectra/earthlib_optimized_S2_L8_bands_indices.csv")
#define BRUM     HY_DATA("satellite/landsat8_L2SP_brumadinho_2019/")

static const char *const feature_names[HY__BF_COUNT] = {
    "ndvi", "bsi",       "ndbi",     "mndwi",       "nbr",
    "mbi",  "red_green", "red_blue", "swir2_swir1", "swir1_nir"};

/* The rules compiled in are params.json's, clause by clause, float for float. */
static void test_rule_constants(void)
{
    json_error_t jerr;
    json_t *p = json_load_file(HY_SOURCE_DIR "/models/baresoil/params.json", 0, &jerr);
    static const struct {
        const char *name;
        hy_sensor sensor;
    } s[] = {{"sentinel2", HY_SENSOR_SENTINEL2}, {"landsat", HY_SENSOR_LANDSAT8}};
    REQUIRE(p);
    for (size_t k = 0; k < 2; k++) {
        const hy__bare_rule *r = hy__bare_rule_for(s[k].sensor);
        json_t *cl =
            json_object_get(json_object_get(json_object_get(p, "rules"), s[k].name), "clauses");
        ASSERT_EQ(r->n, json_array_size(cl));
        for (int i = 0; i < r->n && i < (int)json_array_size(cl); i++) {
            json_t *c = json_array_get(cl, (size_t)i);
            ASSERT_STR_EQ(feature_names[r->feature[i]],
                          json_string_value(json_object_get(c, "feature")));
            ASSERT_STR_EQ(r->greater[i] ? ">" : "<", json_string_value(json_object_get(c, "op")));
            ASSERT_NEAR(r->threshold[i], (float)json_real_value(json_object_get(c, "threshold")),
                        0);
        }
    }
    ASSERT_TRUE(hy__bare_rule_for(HY_SENSOR_LANDSAT9) == hy__bare_rule_for(HY_SENSOR_LANDSAT8));
    json_decref(p);
}

/* The kernel on the 317 earthlib spectra calls bare exactly the spectra NumPy's float32
 * evaluation of the same rule called bare in derive.py (params.json "bare_called"). */
static void test_spectra(void)
{
    static const char *const cols[2][6] = {
        {"B2", "B3", "B4", "B8A", "B11", "B12"},
        {"L8_SR_B2", "L8_SR_B3", "L8_SR_B4", "L8_SR_B5", "L8_SR_B6", "L8_SR_B7"}};
    static const hy_sensor sensors[2] = {HY_SENSOR_SENTINEL2, HY_SENSOR_LANDSAT8};
    static const char *const names[2] = {"sentinel2", "landsat"};
    json_error_t jerr;
    json_t *p = json_load_file(HY_SOURCE_DIR "/models/baresoil/params.json", 0, &jerr);
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
        json_t *called =
            json_object_get(json_object_get(json_object_get(p, "rules"), names[s]), "bare_called");
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
        ASSERT_TRUE(count > 40); /* the rule calls something */
    }
    json_decref(p);
}

/* Spectra by hand against the Landsat rule (NDVI < 0.2096, R/G > 1.2270, 1.1012 < S1/N <
 * 1.8679) and the clear test (blue <= 0.18, not NIR and SWIR1 both < 0.1). */
static void test_hand_spectra(void)
{
    static const struct {
        float v[6]; /* blue, green, red, NIR, SWIR1, SWIR2 */
        unsigned want;
        const char *what;
    } cases[] = {
        /* NDVI 0.05/0.31 = 0.161, R/G 1.444, S1/N 1.444 */
        {{0.06f, 0.09f, 0.13f, 0.18f, 0.26f, 0.22f}, HY_BARE_SOIL | HY_BARE_CLEAR, "red soil"},
        /* R/G 0.22/0.21 = 1.048 */
        {{0.15f, 0.21f, 0.22f, 0.24f, 0.27f, 0.25f}, HY_BARE_CLEAR, "grey concrete"},
        /* R/G 0.71 */
        {{0.06f, 0.07f, 0.05f, 0.03f, 0.01f, 0.005f}, 0, "water (dark: also not clear)"},
        /* blue 0.5: cloud, R/G 1 */
        {{0.5f, 0.5f, 0.5f, 0.52f, 0.4f, 0.3f}, 0, "cloud"},
        /* NDVI 0.25/0.35 = 0.714 */
        {{0.03f, 0.06f, 0.05f, 0.30f, 0.15f, 0.07f}, HY_BARE_CLEAR, "crop"},
        /* S1/N 0.40/0.20 = 2.0 > 1.868: char-like */
        {{0.04f, 0.05f, 0.07f, 0.20f, 0.40f, 0.45f}, HY_BARE_CLEAR, "high SWIR1/NIR"},
        /* S1/N 0.21/0.19 = 1.105 just above 1.1012; NDVI 0.06/0.32 */
        {{0.06f, 0.10f, 0.13f, 0.19f, 0.21f, 0.18f}, HY_BARE_SOIL | HY_BARE_CLEAR, "S1/N 1.105"},
        /* S1/N 0.209/0.19 = 1.1 just below */
        {{0.06f, 0.10f, 0.13f, 0.19f, 0.209f, 0.18f}, HY_BARE_CLEAR, "S1/N 1.100"},
        /* R/G 0.123/0.10 = 1.23 and 0.1225/0.10 = 1.225 on each side of 1.2270 */
        {{0.06f, 0.10f, 0.123f, 0.18f, 0.26f, 0.2f}, HY_BARE_SOIL | HY_BARE_CLEAR, "R/G 1.230"},
        {{0.06f, 0.10f, 0.1225f, 0.18f, 0.26f, 0.2f}, HY_BARE_CLEAR, "R/G 1.225"},
        /* shadow: NIR 0.07, SWIR1 0.09 both under 0.1, not clear; the rule still holds
         * (NDVI 0.02/0.12 = 0.167, R/G 1.25, S1/N 1.286) */
        {{0.03f, 0.04f, 0.05f, 0.07f, 0.09f, 0.07f}, HY_BARE_SOIL, "shadowed soil"},
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const float *b[6];
        uint8_t valid = 1, out = 0xff;
        for (int j = 0; j < 6; j++)
            b[j] = &cases[k].v[j];
        hy_bare_classify(hy_test_ctx(), HY_SENSOR_LANDSAT8, b, &valid, &out, 1);
        hy_test_check(out == cases[k].want, __LINE__, __FILE__, "%s: bits %u, want %u",
                      cases[k].what, out, cases[k].want);
        valid = 0;
        hy_bare_classify(hy_test_ctx(), HY_SENSOR_LANDSAT8, b, &valid, &out, 1);
        ASSERT_EQ(out, 0);
    }
}

/* Brumadinho (Landsat-8 L2, 400 x 300 px crops 30 px apart in x): the tailings dam failed on
 * 25 January 2019 between the two dates. Figures from tests/reference/baresoil_numpy.py (an
 * independent NumPy implementation, 8-connected breadth-first labelling): new bare patches
 * of 1346 px (x 229..272, y 65..156: the flow below the dam) and 524 px (x 153..211, y
 * 120..193: where it reached the river); bare on both dates, 562 px (x 87..121, y 17..66: a
 * pit of the Corrego do Feijao mine). */
static void test_brumadinho(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_scene *after = NULL, *before = NULL;
    hy_detections d = {0}, single = {0};
    hy_bare_patches p;
    hy_bare_config cfg;
    int found_new1 = 0, found_new2 = 0, found_pers = 0, n_new = 0, n_pers = 0;
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
        if (x->pixels == 1346 && strcmp(x->tests, "bare,new") == 0 && x->bbox[0] == 229 &&
            x->bbox[1] == 65 && x->bbox[2] == 44 && x->bbox[3] == 92)
            found_new1 = 1;
        if (x->pixels == 524 && strcmp(x->tests, "bare,new") == 0 && x->bbox[0] == 153 &&
            x->bbox[1] == 120 && x->bbox[2] == 59 && x->bbox[3] == 74)
            found_new2 = 1;
        if (x->pixels == 562 && strcmp(x->tests, "bare,persistent") == 0 && x->bbox[0] == 87 &&
            x->bbox[1] == 17 && x->bbox[2] == 35 && x->bbox[3] == 50)
            found_pers = 1;
    }
    ASSERT_TRUE(found_new1);
    ASSERT_TRUE(found_new2);
    ASSERT_TRUE(found_pers);
    /* the reference's counts of patches of at least 0.5 ha (6 px) */
    ASSERT_EQ(n_new, 10);
    ASSERT_EQ(n_pers, 22);
    hy_bare_patches_free(ctx, &p);

    /* the built-up area at the crop's west edge (x 0..59, y 140..259: the east of Brumadinho
     * town, 7200 px of roofs and streets) holds 5 bare pixels and no patch, even with no
     * minimum area (the NumPy reference agrees) */
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
        ASSERT_EQ(in_town, 5);
        hy_bare_patches_free(ctx, &ap);
        hy_detections_free(ctx, &all);
    }
    /* one date: everything is simply bare, and without the earlier date to split them the
     * flow joins the dumps beside it (1629 px, x 229..272, y 65..156); 23 patches */
    REQUIRE(hy_bare_detect(ctx, after, NULL, NULL, &single, NULL) == HY_OK);
    {
        int found = 0;
        for (size_t k = 0; k < single.n; k++) {
            ASSERT_STR_EQ(single.v[k].tests, "bare");
            found |= single.v[k].pixels == 1629 && single.v[k].bbox[0] == 229;
        }
        ASSERT_TRUE(found);
        ASSERT_EQ(single.n, 23);
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
        {"rule_constants", test_rule_constants}, {"spectra", test_spectra},
        {"hand_spectra", test_hand_spectra},     {"brumadinho", test_brumadinho},
        {"sample_field", test_sample_field},     {NULL, NULL}};
    return hy_test_main("baresoil", tests, argc, argv);
}
