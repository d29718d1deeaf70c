/* tests/test_cv.c - each OpenCV wrapper function on a small image with a hand-computed result. */
#include "tests/testutil.h"

#include "cv/cv.h"

#include <math.h>
#include <stdlib.h>

static void fill(hy_image *img, int p, uint8_t v)
{
    for (int y = 0; y < img->height; y++)
        memset(hy_image_at(img, p, 0, y), v, (size_t)img->width);
}

static void test_convert(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image rgb, out;
    REQUIRE(hy_image_alloc(ctx, 2, 1, HY_PIX_RGBP, &rgb) == HY_OK);
    /* pixel 0 pure red (255, 0, 0); pixel 1 pure green (0, 255, 0) */
    *hy_image_at(&rgb, 0, 0, 0) = 255;
    *hy_image_at(&rgb, 1, 1, 0) = 255;

    ASSERT_EQ(hy_cv_convert(ctx, &rgb, HY_PIX_GRAY8, &out), HY_OK);
    /* BT.601: Y = 0.299 R + 0.587 G + 0.114 B: red 76.245 -> 76, green 149.685 -> 150 */
    ASSERT_EQ(*hy_image_at(&out, 0, 0, 0), 76);
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 0), 150);
    hy_image_free(ctx, &out);

    ASSERT_EQ(hy_cv_convert(ctx, &rgb, HY_PIX_YCRCBP, &out), HY_OK);
    ASSERT_EQ(out.fmt, HY_PIX_YCRCBP);
    /* Cr = (R - Y) 0.713 + 128 = 178.755 * 0.713 + 128 = 255.45 -> 255 (saturated);
     * Cb = (B - Y) 0.564 + 128 = -76.245 * 0.564 + 128 = 85.0 -> 85 */
    ASSERT_EQ(*hy_image_at(&out, 0, 0, 0), 76);
    ASSERT_EQ(*hy_image_at(&out, 1, 0, 0), 255);
    ASSERT_EQ(*hy_image_at(&out, 2, 0, 0), 85);
    hy_image_free(ctx, &out);

    ASSERT_EQ(hy_cv_convert(ctx, &rgb, HY_PIX_HSVP, &out), HY_OK);
    /* 8-bit HSV stores H/2: red H 0, green H 120 -> 60; S = V = 255 for both */
    ASSERT_EQ(*hy_image_at(&out, 0, 0, 0), 0);
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 0), 60);
    ASSERT_EQ(*hy_image_at(&out, 1, 1, 0), 255);
    ASSERT_EQ(*hy_image_at(&out, 2, 1, 0), 255);
    hy_image_free(ctx, &out);

    ASSERT_EQ(hy_cv_convert(ctx, &rgb, HY_PIX_RGBP, &out), HY_EINVAL);
    hy_image_free(ctx, &rgb);
}

static void test_resize(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image src, out;
    static const uint8_t v[4][4] = {
        {10, 20, 30, 40}, {50, 60, 70, 80}, {0, 0, 200, 200}, {0, 4, 200, 200}};
    REQUIRE(hy_image_alloc(ctx, 4, 4, HY_PIX_GRAY8, &src) == HY_OK);
    for (int y = 0; y < 4; y++)
        memcpy(hy_image_at(&src, 0, 0, y), v[y], 4);
    /* AREA 4x4 -> 2x2: the mean of each 2x2 block */
    ASSERT_EQ(hy_cv_resize(ctx, &src, 2, 2, HY_CV_INTER_AREA, &out), HY_OK);
    ASSERT_EQ(*hy_image_at(&out, 0, 0, 0), 35); /* (10+20+50+60)/4 */
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 0), 55); /* (30+40+70+80)/4 */
    ASSERT_EQ(*hy_image_at(&out, 0, 0, 1), 1);  /* (0+0+0+4)/4 */
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 1), 200);
    hy_image_free(ctx, &out);
    /* NEAREST 4x4 -> 8x8: every pixel doubled */
    ASSERT_EQ(hy_cv_resize(ctx, &src, 8, 8, HY_CV_INTER_NEAREST, &out), HY_OK);
    ASSERT_EQ(*hy_image_at(&out, 0, 5, 2), 70); /* source (2, 1) */
    ASSERT_EQ(*hy_image_at(&out, 0, 7, 7), 200);
    hy_image_free(ctx, &out);
    ASSERT_EQ(hy_cv_resize(ctx, &src, 0, 8, HY_CV_INTER_NEAREST, &out), HY_EINVAL);
    hy_image_free(ctx, &src);
}

static void test_blur_and_morph(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image src, out;
    int count = 0;
    REQUIRE(hy_image_alloc(ctx, 7, 7, HY_PIX_GRAY8, &src) == HY_OK);
    *hy_image_at(&src, 0, 3, 3) = 90;
    /* 3x3 box: each of the 9 pixels around the spike gets 90/9 = 10 */
    ASSERT_EQ(hy_cv_blur(ctx, &src, 3, 0, &out), HY_OK);
    ASSERT_EQ(*hy_image_at(&out, 0, 3, 3), 10);
    ASSERT_EQ(*hy_image_at(&out, 0, 2, 4), 10);
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 1), 0);
    hy_image_free(ctx, &out);
    ASSERT_EQ(hy_cv_blur(ctx, &src, 4, 0, &out), HY_EINVAL); /* even kernel */

    /* dilate a point: a 3x3 square of 90 */
    ASSERT_EQ(hy_cv_morph(ctx, &src, HY_CV_DILATE, 3, &out), HY_OK);
    for (int y = 0; y < 7; y++)
        for (int x = 0; x < 7; x++)
            count += *hy_image_at(&out, 0, x, y) == 90;
    ASSERT_EQ(count, 9);
    ASSERT_EQ(*hy_image_at(&out, 0, 2, 2), 90);
    ASSERT_EQ(*hy_image_at(&out, 0, 1, 2), 0);
    /* erode the square back: the point alone */
    {
        hy_image back;
        ASSERT_EQ(hy_cv_morph(ctx, &out, HY_CV_ERODE, 3, &back), HY_OK);
        count = 0;
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 7; x++)
                count += *hy_image_at(&back, 0, x, y) != 0;
        ASSERT_EQ(count, 1);
        ASSERT_EQ(*hy_image_at(&back, 0, 3, 3), 90);
        hy_image_free(ctx, &back);
    }
    hy_image_free(ctx, &out);
    /* opening removes the lone point */
    ASSERT_EQ(hy_cv_morph(ctx, &src, HY_CV_OPEN, 3, &out), HY_OK);
    ASSERT_EQ(*hy_image_at(&out, 0, 3, 3), 0);
    hy_image_free(ctx, &out);
    hy_image_free(ctx, &src);
}

static void test_components(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image m;
    hy_cv_component *c = NULL;
    int n = -1;
    int32_t labels[10 * 6];
    /* . . . . . . . . . .
     * . X X . . . . . . .
     * . X X . . . . X . .
     * . . . X . . . X . .     (3,3) touches (2,2) diagonally: same component
     * . . . . . . . X X .
     * . . . . . . . . . .   */
    static const int px[][2] = {{1, 1}, {2, 1}, {1, 2}, {2, 2}, {3, 3},
                                {7, 2}, {7, 3}, {7, 4}, {8, 4}};
    REQUIRE(hy_image_alloc(ctx, 10, 6, HY_PIX_GRAY8, &m) == HY_OK);
    for (size_t i = 0; i < sizeof(px) / sizeof(px[0]); i++)
        *hy_image_at(&m, 0, px[i][0], px[i][1]) = 255;
    ASSERT_EQ(hy_cv_components(ctx, &m, &c, &n, labels), HY_OK);
    ASSERT_EQ(n, 2);
    REQUIRE(n == 2);
    /* first in raster order: the square + diagonal tail */
    ASSERT_EQ(c[0].x, 1);
    ASSERT_EQ(c[0].y, 1);
    ASSERT_EQ(c[0].w, 3);
    ASSERT_EQ(c[0].h, 3);
    ASSERT_EQ(c[0].area, 5);
    ASSERT_NEAR(c[0].cx, (1 + 2 + 1 + 2 + 3) / 5.0, 1e-9);
    ASSERT_NEAR(c[0].cy, (1 + 1 + 2 + 2 + 3) / 5.0, 1e-9);
    ASSERT_EQ(c[1].x, 7);
    ASSERT_EQ(c[1].w, 2);
    ASSERT_EQ(c[1].h, 3);
    ASSERT_EQ(c[1].area, 4);
    ASSERT_EQ(labels[3 * 10 + 3], 1);
    ASSERT_EQ(labels[4 * 10 + 8], 2);
    ASSERT_EQ(labels[0], 0);
    hy_cv_components_free(ctx, c);
    /* empty mask: none */
    fill(&m, 0, 0);
    ASSERT_EQ(hy_cv_components(ctx, &m, &c, &n, NULL), HY_OK);
    ASSERT_EQ(n, 0);
    ASSERT_TRUE(c == NULL);
    hy_image_free(ctx, &m);
}

static void test_bgsub(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_cv_bgsub *b = NULL;
    hy_image frame, fg = {0};
    int fg_count = 0, fg_inside = 0;
    REQUIRE(hy_cv_bgsub_create(ctx, 50, 16, &b) == HY_OK);
    REQUIRE(hy_image_alloc(ctx, 32, 24, HY_PIX_GRAY8, &frame) == HY_OK);
    fill(&frame, 0, 100);
    for (int i = 0; i < 30; i++)
        ASSERT_EQ(hy_cv_bgsub_apply(b, &frame, -1, &fg), HY_OK);
    /* a bright 10x10 square appears: exactly it is foreground */
    for (int y = 5; y < 15; y++)
        memset(hy_image_at(&frame, 0, 10, y), 250, 10);
    ASSERT_EQ(hy_cv_bgsub_apply(b, &frame, -1, &fg), HY_OK);
    for (int y = 0; y < 24; y++)
        for (int x = 0; x < 32; x++) {
            int on = *hy_image_at(&fg, 0, x, y) == 255;
            fg_count += on;
            fg_inside += on && x >= 10 && x < 20 && y >= 5 && y < 15;
        }
    ASSERT_EQ(fg_count, 100);
    ASSERT_EQ(fg_inside, 100);
    /* a frame of another size is refused, not a crash */
    {
        hy_image other;
        REQUIRE(hy_image_alloc(ctx, 16, 16, HY_PIX_GRAY8, &other) == HY_OK);
        ASSERT_EQ(hy_cv_bgsub_apply(b, &other, -1, &fg), HY_EINVAL);
        ASSERT_CONTAINS(hy_cv_bgsub_errmsg(b), "size");
        hy_image_free(ctx, &other);
    }
    hy_image_free(ctx, &fg);
    hy_image_free(ctx, &frame);
    hy_cv_bgsub_destroy(b);
}

/* A one-layer Darknet network written by hand: a 1x1 convolution with weight 2 and bias 0.5,
 * linear activation. Output = 2 x + 0.5 for every input pixel x (after scaling). */
static void write_darknet(const char *dir, char *cfg_path, char *weights_path, size_t size)
{
    FILE *f;
    int32_t header[3] = {0, 2, 0}; /* major 0, minor 2: "seen" is 64-bit */
    uint64_t seen = 0;
    float bias = 0.5f, weight = 2.0f;
    snprintf(cfg_path, size, "%s/tiny.cfg", dir);
    snprintf(weights_path, size, "%s/tiny.weights", dir);
    f = fopen(cfg_path, "w");
    if (f) {
        fputs("[net]\nwidth=4\nheight=4\nchannels=1\n\n"
              "[convolutional]\nfilters=1\nsize=1\nstride=1\npad=0\nactivation=linear\n",
              f);
        fclose(f);
    }
    f = fopen(weights_path, "wb");
    if (f) {
        fwrite(header, sizeof(header), 1, f);
        fwrite(&seen, sizeof(seen), 1, f);
        fwrite(&bias, sizeof(bias), 1, f);
        fwrite(&weight, sizeof(weight), 1, f);
        fclose(f);
    }
}

static void test_dnn(void)
{
    hy_ctx *ctx = hy_test_ctx();
    const char *dir = hy_test_tmpdir("dnn");
    char cfg[512], weights[512], junk[512];
    hy_cv_net *net = NULL;
    hy_image img;
    float out[32];
    size_t n = 0;
    FILE *f;

    write_darknet(dir, cfg, weights, sizeof(cfg));
    ASSERT_EQ(hy_cv_net_load(ctx, weights, cfg, &net), HY_OK);
    REQUIRE(net);
    REQUIRE(hy_image_alloc(ctx, 4, 4, HY_PIX_GRAY8, &img) == HY_OK);
    fill(&img, 0, 100);
    *hy_image_at(&img, 0, 2, 1) = 255;
    ASSERT_EQ(hy_cv_net_forward(net, &img, 4, 4, 1.0 / 255, NULL, out, 32, &n), HY_OK);
    ASSERT_EQ(n, 16);
    ASSERT_NEAR(out[0], 2.0 * 100 / 255 + 0.5, 1e-5);         /* 1.28431 */
    ASSERT_NEAR(out[1 * 4 + 2], 2.0 * 255 / 255 + 0.5, 1e-5); /* 2.5 */
    hy_image_free(ctx, &img);
    hy_cv_net_destroy(net);

    /* Garbage: OpenCV throws; the wrapper returns a status and logs OpenCV's message. */
    snprintf(junk, sizeof(junk), "%s/junk.onnx", dir);
    f = fopen(junk, "w");
    if (f) {
        fputs("this is not a network", f);
        fclose(f);
    }
    hy_test_log_clear();
    net = (hy_cv_net *)1;
    ASSERT_EQ(hy_cv_net_load(ctx, junk, NULL, &net), HY_ECV);
    ASSERT_TRUE(net == NULL);
    ASSERT_CONTAINS(hy_test_log(), "hy_cv_net_load");
    ASSERT_CONTAINS(hy_test_log(), "OpenCV");
}

/* hy_cv_components (by runs) against OpenCV's connectedComponentsWithStats: the same regions
 * with the same boxes, areas, centroids (to the bit) and labels, in the same order, on random
 * masks of every density, odd and even sizes, one-row and one-column masks, checkerboards
 * (diagonal links only) and full frames. */
static void test_components_match_opencv(void)
{
    hy_ctx *ctx = hy_test_ctx();
    uint32_t rng = 12345;
    int differ = 0, compared = 0, masks = 0;
    for (int round = 0; round < 300; round++) {
        const int kind = round % 5;
        int w, h;
        hy_image m;
        hy_cv_component *a = NULL, *b = NULL;
        int na = -1, nb = -2;
        int32_t *la, *lb;
        rng = rng * 1103515245u + 12345u;
        w = kind == 3 ? 1 : 1 + (int)((rng >> 8) % 97);
        h = kind == 4 ? 1 : 1 + (int)((rng >> 20) % 61);
        REQUIRE(hy_image_alloc(ctx, w, h, HY_PIX_GRAY8, &m) == HY_OK);
        la = calloc((size_t)w * h, sizeof(*la));
        lb = calloc((size_t)w * h, sizeof(*lb));
        REQUIRE(la && lb);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                uint8_t v;
                rng = rng * 1103515245u + 12345u;
                if (round % 50 == 7)
                    v = (uint8_t)(((x + y) & 1) * 255); /* checkerboard */
                else if (round % 50 == 9)
                    v = 1; /* full, and not 255: any non-zero byte counts */
                else
                    v = (rng >> 16) % 100 < (unsigned)(round % 60) ? (uint8_t)(1 + (rng >> 8) % 255)
                                                                   : 0;
                *hy_image_at(&m, 0, x, y) = v;
            }
        REQUIRE(hy_cv_components(ctx, &m, &a, &na, la) == HY_OK);
        REQUIRE(hy__cv_components_opencv(ctx, &m, &b, &nb, lb) == HY_OK);
        differ += na != nb;
        for (int i = 0; i < na && i < nb; i++)
            differ += a[i].x != b[i].x || a[i].y != b[i].y || a[i].w != b[i].w ||
                      a[i].h != b[i].h || a[i].area != b[i].area || a[i].cx != b[i].cx ||
                      a[i].cy != b[i].cy;
        differ += memcmp(la, lb, (size_t)w * h * sizeof(*la)) != 0;
        compared += na;
        masks++;
        hy_cv_components_free(ctx, a);
        hy_cv_components_free(ctx, b);
        free(la);
        free(lb);
        hy_image_free(ctx, &m);
    }
    printf("\n    %d masks, %d regions ", masks, compared);
    ASSERT_EQ(differ, 0);
    ASSERT_EQ(masks, 300);
    ASSERT_TRUE(compared > 5000);
}

/* The 3 x 3 morphology (cv/morph.c) against OpenCV's morphologyEx, byte for byte: erode, dilate,
 * open and close on random images of any byte values, random masks, checkerboards and full
 * images, 1 to 97 wide and 1 to 61 high (single rows and columns included), with strides wider
 * than the rows; the passes built for the baseline CPU and, where the CPU has it, for AVX2. */
static void test_morph_matches_opencv(void)
{
    hy_ctx *ctx = hy_test_ctx();
    const unsigned levels[2] = {0, HY_CPU_AVX2};
    const int nlevels = hy_ctx_cpu_flags(ctx) & HY_CPU_AVX2 ? 2 : 1;
    uint32_t rng = 777;
    int differ = 0, images = 0, passes = 0;
    for (int round = 0; round < 400; round++) {
        const int kind = round % 5;
        const hy_cv_morph_op op = (hy_cv_morph_op)(round % 4);
        int w, h;
        hy_image m, a, b, view;
        rng = rng * 1103515245u + 12345u;
        w = kind == 3 ? 1 : 1 + (int)((rng >> 8) % 97);
        h = kind == 4 ? 1 : 1 + (int)((rng >> 20) % 61);
        REQUIRE(hy_image_alloc(ctx, w + 3, h, HY_PIX_GRAY8, &m) == HY_OK);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w + 3; x++) {
                uint8_t v;
                rng = rng * 1103515245u + 12345u;
                if (round % 40 == 7)
                    v = (uint8_t)(((x + y) & 1) * 255);
                else if (round % 40 == 9)
                    v = 255;
                else if (round % 2)
                    v = (rng >> 16) % 100 < (unsigned)(round % 60) ? 255 : 0;
                else
                    v = (uint8_t)(rng >> 16);
                *hy_image_at(&m, 0, x, y) = v;
            }
        view = m; /* a view 3 pixels narrower than its rows: the stride is wider than the width */
        view.width = w;
        view.owner = NULL;
        REQUIRE(hy_cv_morph(ctx, &view, op, 3, &a) == HY_OK);
        REQUIRE(hy__cv_morph_opencv(ctx, &view, op, 3, &b) == HY_OK);
        for (int y = 0; y < h; y++)
            differ += memcmp(hy_image_at(&a, 0, 0, y), hy_image_at(&b, 0, 0, y), (size_t)w) != 0;
        for (int l = 0; l < nlevels; l++) {
            uint8_t *tmp = malloc((size_t)w * (size_t)h);
            REQUIRE(tmp != NULL);
            memset(a.plane[0], 0xA5, (size_t)a.stride[0] * (size_t)h);
            hy__cv_morph3_into(&view, op, &a, tmp, levels[l]);
            for (int y = 0; y < h; y++)
                differ +=
                    memcmp(hy_image_at(&a, 0, 0, y), hy_image_at(&b, 0, 0, y), (size_t)w) != 0;
            free(tmp);
            passes++;
        }
        images++;
        hy_image_free(ctx, &a);
        hy_image_free(ctx, &b);
        hy_image_free(ctx, &m);
    }
    printf("\n    %d images, each by hy_cv_morph and by %d builds of the passes ", images, nlevels);
    ASSERT_EQ(differ, 0);
    ASSERT_EQ(images, 400);
    ASSERT_EQ(passes, 400 * nlevels);
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"convert", test_convert},
                                    {"resize", test_resize},
                                    {"blur_and_morph", test_blur_and_morph},
                                    {"components", test_components},
                                    {"components_match_opencv", test_components_match_opencv},
                                    {"morph_matches_opencv", test_morph_matches_opencv},
                                    {"bgsub", test_bgsub},
                                    {"dnn", test_dnn},
                                    {NULL, NULL}};
    return hy_test_main("cv", tests, argc, argv);
}
