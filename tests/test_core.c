/* tests/test_core.c - status codes, context, images, tiles, pool, time, configuration. */
#include "tests/testutil.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

static void test_status_names(void)
{
    ASSERT_STR_EQ(hy_status_name(HY_OK), "HY_OK");
    ASSERT_STR_EQ(hy_status_name(HY_EINVAL), "HY_EINVAL");
    ASSERT_STR_EQ(hy_status_name(HY_ECV), "HY_ECV");
    ASSERT_STR_EQ(hy_status_str(HY_ENOMEM), "out of memory");
    ASSERT_STR_EQ(hy_status_name((hy_status)999), "HY_UNKNOWN");
    ASSERT_STR_EQ(hy_status_name((hy_status)-1), "HY_UNKNOWN");
    /* every status has a distinct name beginning with HY_ */
    for (int i = 0; i < HY_STATUS_COUNT; i++) {
        ASSERT_TRUE(strncmp(hy_status_name((hy_status)i), "HY_", 3) == 0);
        for (int j = 0; j < i; j++)
            ASSERT_TRUE(strcmp(hy_status_name((hy_status)i), hy_status_name((hy_status)j)) != 0);
    }
}

static int allocs, frees;
static void *count_malloc(void *u, size_t n)
{
    (void)u;
    allocs++;
    return malloc(n);
}
static void *count_realloc(void *u, void *p, size_t n)
{
    (void)u;
    if (!p)
        allocs++;
    return realloc(p, n);
}
static void count_free(void *u, void *p)
{
    (void)u;
    if (p)
        frees++;
    free(p);
}

static void test_ctx(void)
{
    hy_ctx_config cfg;
    hy_ctx *ctx = NULL;
    hy_allocator a = {count_malloc, count_realloc, count_free, NULL};
    hy_image img;
    hy_cpu_level level;

    hy_ctx_config_init(&cfg);
    cfg.threads = 3;
    cfg.cpu_level = HY_CPU_LEVEL_SCALAR;
    cfg.allocator = &a;
    ASSERT_EQ(hy_ctx_create(&cfg, &ctx), HY_OK);
    REQUIRE(ctx);
    ASSERT_EQ(hy_ctx_threads(ctx), 3);
    ASSERT_EQ(hy_ctx_cpu_flags(ctx), 0); /* scalar forced */
    ASSERT_EQ(hy_image_alloc(ctx, 10, 10, HY_PIX_GRAY8, &img), HY_OK);
    hy_image_free(ctx, &img);
    hy_ctx_destroy(ctx);
    ASSERT_EQ(allocs, 2); /* the ctx and the image, both through our allocator */
    ASSERT_EQ(frees, 2);

    cfg.threads = -1;
    ASSERT_EQ(hy_ctx_create(&cfg, &ctx), HY_EINVAL);
    ASSERT_TRUE(ctx == NULL);
    cfg.threads = 0;
    cfg.cpu_level = HY_CPU_LEVEL_AVX2;
    ASSERT_EQ(hy_ctx_create(&cfg, &ctx), HY_OK);
    ASSERT_TRUE(ctx && hy_ctx_threads(ctx) >= 1);
    ASSERT_EQ(hy_ctx_cpu_flags(ctx) & HY_CPU_AVX512, 0); /* capped at AVX2 */
    hy_ctx_destroy(ctx);
    hy_ctx_destroy(NULL);

    ASSERT_EQ(hy_cpu_level_parse("scalar", &level), HY_OK);
    ASSERT_EQ(level, HY_CPU_LEVEL_SCALAR);
    ASSERT_EQ(hy_cpu_level_parse("avx512", &level), HY_OK);
    ASSERT_EQ(level, HY_CPU_LEVEL_AVX512);
    ASSERT_EQ(hy_cpu_level_parse("sse9", &level), HY_EINVAL);
}

static void test_image_and_tile(void)
{
    hy_ctx *ctx = hy_test_ctx();
    hy_image img;
    hy_tile t;
    int zero = 1;

    ASSERT_EQ(hy_image_alloc(ctx, 100, 7, HY_PIX_RGBP, &img), HY_OK);
    ASSERT_EQ(img.nplanes, 3);
    for (int p = 0; p < 3; p++) {
        ASSERT_EQ(img.stride[p], 128); /* 100 rounded up to 64 */
        ASSERT_EQ((uintptr_t)img.plane[p] % 64, 0);
        for (int y = 0; y < 7; y++)
            for (int x = 0; x < 100; x++)
                zero &= *hy_image_at(&img, p, x, y) == 0;
    }
    ASSERT_TRUE(zero);
    hy_image_free(ctx, &img);
    ASSERT_TRUE(img.plane[0] == NULL);
    hy_image_free(ctx, &img); /* twice is harmless */
    ASSERT_EQ(hy_image_alloc(ctx, 0, 7, HY_PIX_GRAY8, &img), HY_EINVAL);
    ASSERT_EQ(hy_image_alloc(ctx, 10, 10, (hy_pixfmt)42, &img), HY_EINVAL);

    ASSERT_EQ(hy_tile_alloc(ctx, 33, 5, (1u << HY_BAND_RED) | (1u << HY_BAND_SWIR2), &t), HY_OK);
    ASSERT_TRUE(t.band[HY_BAND_RED] != NULL);
    ASSERT_TRUE(t.band[HY_BAND_SWIR2] != NULL);
    ASSERT_TRUE(t.band[HY_BAND_NIR] == NULL);
    ASSERT_EQ(t.stride, 48); /* 33 floats = 132 bytes -> 192 bytes = 48 floats */
    ASSERT_EQ((uintptr_t)t.band[HY_BAND_RED] % 64, 0);
    t.band[HY_BAND_SWIR2][t.stride * 4 + 32] = 1.5f; /* last pixel writable */
    t.valid[t.stride * 4 + 32] = 1;
    hy_tile_free(ctx, &t);
    ASSERT_EQ(hy_tile_alloc(ctx, 10, 10, 1u << HY_BAND_COUNT, &t), HY_EINVAL);
    ASSERT_STR_EQ(hy_band_name(HY_BAND_SWIR2), "swir2");
}

static void test_grow(void)
{
    hy_ctx *ctx = hy_test_ctx();
    size_t cap = 0;
    int *v = hy__grow(ctx, NULL, &cap, 1, sizeof(int)), *w;
    REQUIRE(v);
    ASSERT_EQ(cap, 16); /* the first allocation holds 16 */
    w = hy__grow(ctx, v, &cap, 16, sizeof(int));
    ASSERT_TRUE(w == v); /* room already: unchanged */
    ASSERT_EQ(cap, 16);
    v = hy__grow(ctx, w, &cap, 17, sizeof(int));
    REQUIRE(v);
    ASSERT_EQ(cap, 32); /* doubled */
    v[31] = 7;
    w = hy__grow(ctx, v, &cap, 1000, sizeof(int));
    REQUIRE(w);
    ASSERT_EQ(cap, 1024);
    ASSERT_EQ(w[31], 7);                                           /* contents kept */
    ASSERT_TRUE(hy__grow(ctx, w, &cap, SIZE_MAX / 2, 16) == NULL); /* overflow: refused */
    ASSERT_EQ(cap, 1024);                                          /* and nothing changed */
    hy__free(ctx, w);
}

static atomic_llong pool_sum;
static atomic_int worker_seen[4];
static void add_index(void *user, size_t i, int worker)
{
    (void)user;
    atomic_fetch_add(&pool_sum, (long long)i);
    if (worker >= 0 && worker < 4)
        atomic_fetch_add(&worker_seen[worker], 1);
    else
        atomic_fetch_add(&worker_seen[0], 1000000); /* out of range: fails the count below */
}

static void test_pool(void)
{
    hy_ctx_config cfg;
    hy_ctx *ctx;
    hy_pool *pool;
    hy_ctx_config_init(&cfg);
    cfg.threads = 4;
    REQUIRE(hy_ctx_create(&cfg, &ctx) == HY_OK);
    ASSERT_EQ(hy_pool_create(ctx, &pool), HY_OK);
    ASSERT_EQ(hy_pool_workers(pool), 4);
    for (int round = 0; round < 3; round++) {
        atomic_store(&pool_sum, 0);
        hy_pool_run(pool, 10000, add_index, NULL);
        ASSERT_EQ(atomic_load(&pool_sum), 10000LL * 9999 / 2); /* sum of 0..9999 */
    }
    /* every item ran on a worker 0..3: 3 rounds of 10000 */
    ASSERT_EQ(atomic_load(&worker_seen[0]) + atomic_load(&worker_seen[1]) +
                  atomic_load(&worker_seen[2]) + atomic_load(&worker_seen[3]),
              30000);
    hy_pool_run(pool, 0, add_index, NULL);
    hy_pool_destroy(pool);
    hy_pool_destroy(NULL);
    hy_ctx_destroy(ctx);
}

static void test_time(void)
{
    char buf[HY_TIME_STRLEN];
    int64_t t;
    ASSERT_STR_EQ(hy_time_format(0, buf), "1970-01-01T00:00:00Z");
    /* `date -u -d @1000000000` = Sun Sep 9 01:46:40 UTC 2001 */
    ASSERT_STR_EQ(hy_time_format(1000000000LL * 1000000, buf), "2001-09-09T01:46:40Z");
    ASSERT_EQ(hy_time_parse("2026-05-30T03:12:44Z", &t), HY_OK);
    ASSERT_EQ(t, 1780110764LL * 1000000); /* `date -u -d 2026-05-30T03:12:44Z +%s` */
    ASSERT_EQ(hy_time_parse("2026-05-30T11:12:44+08:00", &t), HY_OK); /* Asia/Shanghai */
    ASSERT_EQ(t, 1780110764LL * 1000000);
    ASSERT_EQ(hy_time_parse("2019-08-25T13:53:10.8714120Z", &t), HY_OK);
    ASSERT_EQ(t, 1566741190871412LL);
    ASSERT_EQ(hy_time_parse("2026-05-30", &t), HY_OK);
    ASSERT_EQ(t, (1780110764LL - 3 * 3600 - 12 * 60 - 44) * 1000000);
    ASSERT_EQ(hy_time_parse("2026-13-01T00:00:00Z", &t), HY_EINVAL);
    ASSERT_EQ(hy_time_parse("yesterday", &t), HY_EINVAL);
    ASSERT_EQ(hy_time_parse("2026-05-30T03:12:44Zjunk", &t), HY_EINVAL);
    ASSERT_TRUE(hy_time_now() > 1780110764LL * 1000000 - 400LL * 86400 * 1000000);
    { /* the monotonic clock across a sleep of 20 ms */
        const double t0 = hy_time_mono();
        const struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        ASSERT_TRUE(hy_time_mono() - t0 >= 0.02 && hy_time_mono() - t0 < 5);
    }
}

static const char *write_file(const char *name, const char *text)
{
    static char path[1024];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", hy_test_tmpdir("config"), name);
    f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return path;
}

static const char *good_config =
    "store: {sqlite: /var/lib/huoyan/huoyan.db}\n"
    "townships: {path: townships.gpkg, layer: townships, code: gbcode, name: name,\n"
    "            county: county, crs: gcj02}\n"
    "cameras:\n"
    "  - id: zm-baisha-01\n"
    "    url: rtsp://10.0.0.5/stream1\n"
    "    analyse_every_s: 2\n"
    "    decode: key\n"
    "    smoke_colour: toreyin\n"
    "    view_change: 0.7\n"
    "    persist: 2/4/1\n"
    "    detect: [smoke, fire]\n"
    "    pose: {lon: 113.889, lat: 34.752, height_m: 45, pan_deg: 120, tilt_deg: 3,\n"
    "           hfov_deg: 60, vfov_deg: 34}\n"
    "    exclude: [[[0,0],[640,0],[640,80],[0,80]], [[10, 100], [20, 100], [15, 120]]]\n"
    "  - id: zm-baisha-02\n"
    "    snapshot: https://cam.example/snapshot.jpg\n"
    "    exclude:\n" /* block style */
    "      - - [1.5, 2]\n"
    "        - [3, 4]\n"
    "        - [5, 6]\n"
    "satellite: {watch: /data/incoming, detect: [fire, bare_soil],\n"
    "            hot_sources: firms_type2.csv, hot_source_radius_m: 750}\n"
    "alerts:\n"
    "  sinks:\n"
    "    - {type: webhook, url: https://grid.example/api/events, secret_env: GRID_SECRET,\n"
    "       townships: [\"410122105\"]}\n"
    /* quoted: braces are not allowed in a plain scalar inside a flow mapping (YAML 1.2) */
    "    - {type: mqtt, host: 127.0.0.1, topic: \"huoyan/{county}/{township}\"}\n"
    "  escalate_after_min: 20\n"
    "server:\n"
    "  listen: 127.0.0.1:8080\n"
    "  tokens:\n"
    "    - {token_env: HY_ADMIN_TOKEN, role: admin}\n"
    "    - {token_env: HY_BAISHA_TOKEN, role: officer, townships: [\"410122105\"]}\n";

/* The confirmation rule's parser (watch's --persist, a camera's persist): K/N or K/N/H with
 * 1 <= H <= K <= N <= max; nothing else, and nothing after it. */
/* The mask walkers: in a row of 40 bytes, the first zero (non-zero) byte from every start is
 * the one a byte-by-byte scan finds, for a single zero (non-zero) byte at every place 0..39 and
 * none at all; non-zero bytes of any value count (1, 0x80, 0xff, and 0x01 next to 0x80, the
 * borrow case of the word test) */
static void test_mask_walkers(void)
{
    static const uint8_t set[] = {1, 0x80, 0xff, 0x7f};
    int wrong = 0, checked = 0;
    for (int at = -1; at < 40; at++)
        for (int flip = 0; flip < 2; flip++) {
            uint8_t row[40];
            for (int i = 0; i < 40; i++)
                row[i] = (uint8_t)(flip ? 0 : set[i % 4]);
            if (at >= 0)
                row[at] = (uint8_t)(flip ? set[at % 4] : 0);
            for (int x = 0; x <= 40; x++) {
                int want = x;
                if (flip)
                    while (want < 40 && !row[want])
                        want++;
                else
                    while (want < 40 && row[want])
                        want++;
                wrong += (flip ? hy__next_nonzero(row, x, 40) : hy__next_zero(row, x, 40)) != want;
                checked++;
            }
        }
    ASSERT_EQ(wrong, 0);
    ASSERT_EQ(checked, 41 * 2 * 41);
    {
        /* a zero after 0x01 bytes and before 0x80: 01 01 01 00 80 80 80 80 */
        static const uint8_t r[] = {1, 1, 1, 0, 0x80, 0x80, 0x80, 0x80, 1};
        ASSERT_EQ(hy__next_zero(r, 0, 9), 3);
        ASSERT_EQ(hy__next_zero(r, 4, 9), 9);
        ASSERT_EQ(hy__next_nonzero(r, 3, 9), 4);
    }
}

static void test_persist_parse(void)
{
    static const char *const bad[] = {"",       "3",    "3/",   "3/5/",   "3/5x",  "3/5/2x",
                                      "6/5",    "0/5",  "3/33", "3/5/0",  "3/5/4", "-1/5",
                                      "3/5/-1", "3//5", "a/b",  "3/5/2/1"};
    int k = -1, n = -1, h = -1;
    ASSERT_EQ(hy_persist_parse("3/5", 32, &k, &n, &h), 0);
    ASSERT_TRUE(k == 3 && n == 5 && h == 0);
    ASSERT_EQ(hy_persist_parse("3/5/2", 32, &k, &n, &h), 0);
    ASSERT_TRUE(k == 3 && n == 5 && h == 2);
    ASSERT_EQ(hy_persist_parse("1/1/1", 32, &k, &n, &h), 0);
    ASSERT_TRUE(k == 1 && n == 1 && h == 1);
    ASSERT_EQ(hy_persist_parse("32/32/32", 32, &k, &n, &h), 0);
    ASSERT_EQ(hy_persist_parse("3/32", 31, &k, &n, &h), -1); /* eval's limit is 31 */
    k = n = h = -7;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        hy_test_check(hy_persist_parse(bad[i], 32, &k, &n, &h) == -1, __LINE__, __FILE__,
                      "\"%s\" accepted", bad[i]);
    ASSERT_TRUE(k == -7 && n == -7 && h == -7); /* untouched on failure */
}

static void test_view_change_parse(void)
{
    static const char *const bad[] = {"", "0", "-0.5", "1.01", "0.5x", "x", "OFF", "nan", "inf"};
    ASSERT_NEAR(hy_view_change_parse("off"), 0, 0);
    ASSERT_NEAR(hy_view_change_parse("0.5"), 0.5, 0);
    ASSERT_NEAR(hy_view_change_parse("1"), 1, 0);
    ASSERT_NEAR(hy_view_change_parse("1e-3"), 0.001, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        hy_test_check(hy_view_change_parse(bad[i]) == -1, __LINE__, __FILE__, "\"%s\" accepted",
                      bad[i]);
}

static void test_config_good(void)
{
    hy_config *c = NULL;
    char err[512];
    ASSERT_EQ(hy_config_load(write_file("good.yaml", good_config), &c, err, sizeof(err)), HY_OK);
    REQUIRE(c);
    ASSERT_STR_EQ(c->store.sqlite, "/var/lib/huoyan/huoyan.db");
    ASSERT_STR_EQ(c->townships.code, "gbcode");
    ASSERT_STR_EQ(c->townships.crs, "gcj02");
    ASSERT_EQ(c->cameras_count, 2);
    ASSERT_STR_EQ(c->cameras[0].id, "zm-baisha-01");
    ASSERT_NEAR(c->cameras[0].analyse_every_s, 2, 0);
    ASSERT_EQ(c->cameras[0].detect_count, 2);
    ASSERT_STR_EQ(c->cameras[0].detect[1], "fire");
    ASSERT_TRUE(hy_config_camera_find(c, c->cameras[0].id) == &c->cameras[0]);
    ASSERT_TRUE(hy_config_camera_find(c, "no-such-camera") == NULL);
    ASSERT_TRUE(hy_config_camera_find(c, NULL) == NULL);
    REQUIRE(c->cameras[0].pose);
    ASSERT_NEAR(c->cameras[0].pose->lon, 113.889, 1e-12);
    ASSERT_NEAR(c->cameras[0].pose->vfov_deg, 34, 0);
    ASSERT_TRUE(c->cameras[1].pose == NULL);
    ASSERT_NEAR(c->cameras[1].analyse_every_s, 2, 0); /* default */
    ASSERT_STR_EQ(c->cameras[0].decode, "key");
    ASSERT_STR_EQ(c->cameras[1].decode, "auto"); /* default */
    ASSERT_STR_EQ(c->cameras[0].smoke_colour, "toreyin");
    ASSERT_STR_EQ(c->cameras[1].smoke_colour, "genovese"); /* default */
    ASSERT_NEAR(c->cameras[0].view_change_share, 0.7, 0);
    ASSERT_NEAR(c->cameras[1].view_change_share, -1, 0); /* not given: the detectors' default */
    ASSERT_EQ(c->cameras[0].persist_k, 2);
    ASSERT_EQ(c->cameras[0].persist_n, 4);
    ASSERT_EQ(c->cameras[0].hold_k, 1);
    ASSERT_STR_EQ(c->cameras[1].persist, "3/5"); /* default: 3 of 5, the detectors' hold */
    ASSERT_EQ(c->cameras[1].persist_k, 3);
    ASSERT_EQ(c->cameras[1].persist_n, 5);
    ASSERT_EQ(c->cameras[1].hold_k, 0);
    /* exclusion polygons, and the point-in-polygon test on points worked out by hand */
    ASSERT_EQ(c->cameras[0].exclude_count, 2);
    ASSERT_EQ(c->cameras[0].exclude[0].n, 4);
    ASSERT_NEAR(c->cameras[0].exclude[0].xy[5], 80, 0); /* third point's y */
    ASSERT_EQ(c->cameras[0].exclude[1].n, 3);
    ASSERT_NEAR(c->cameras[0].exclude[1].xy[4], 15, 0);
    ASSERT_EQ(c->cameras[1].exclude_count, 1);
    ASSERT_EQ(c->cameras[1].exclude[0].n, 3);
    ASSERT_NEAR(c->cameras[1].exclude[0].xy[0], 1.5, 0);
    ASSERT_NEAR(c->cameras[1].exclude[0].xy[5], 6, 0);
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 320, 40), 1); /* in the band */
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 320, 81), 0); /* below it */
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 641, 40), 0); /* right of it */
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 15, 110), 1); /* in the triangle */
    /* left edge of the triangle at y = 119: x = 10 + 5 * 19 / 20 = 14.75 */
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 14.7, 119), 0);
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 2, 14.8, 119), 1);
    ASSERT_EQ(hy_polygons_contain(c->cameras[0].exclude, 1, 15, 110), 0); /* first only */
    ASSERT_STR_EQ(c->satellite.hot_sources, "firms_type2.csv");
    ASSERT_NEAR(c->satellite.hot_source_radius_m, 750, 0);
    ASSERT_EQ(c->alerts.sinks_count, 2);
    ASSERT_EQ(c->alerts.sinks[1].port, 1883); /* MQTT's default port */
    ASSERT_STR_EQ(c->alerts.sinks[1].topic, "huoyan/{county}/{township}");
    ASSERT_EQ(c->alerts.sinks[0].townships_count, 1);
    ASSERT_STR_EQ(c->alerts.sinks[0].townships[0], "410122105");
    ASSERT_EQ(c->alerts.sinks[1].townships_count, 0);
    ASSERT_EQ(c->alerts.max_attempts, 10); /* defaults */
    ASSERT_NEAR(c->alerts.backoff_s, 2, 0);
    ASSERT_NEAR(c->alerts.backoff_max_s, 600, 0);
    ASSERT_NEAR(c->alerts.escalate_after_min, 20, 0);
    ASSERT_EQ(c->server.tokens_count, 2);
    ASSERT_STR_EQ(c->server.tokens[1].townships[0], "410122105");
    hy_config_free(c);

    /* An empty file is all defaults. */
    ASSERT_EQ(hy_config_load(write_file("empty.yaml", ""), &c, err, sizeof(err)), HY_OK);
    REQUIRE(c);
    ASSERT_STR_EQ(c->store.sqlite, "huoyan.db");
    ASSERT_STR_EQ(c->townships.code, "code");
    ASSERT_STR_EQ(c->server.listen, "127.0.0.1:8080");
    ASSERT_NEAR(c->alerts.escalate_after_min, 15, 0);
    hy_config_free(c);
}

/* Each bad file must be refused with a message naming the file, the key and the value. */
static void check_refused(const char *name, const char *text, const char *k1, const char *k2,
                          const char *k3)
{
    hy_config *c = (hy_config *)1;
    char err[1024];
    const char *path = write_file(name, text);
    hy_status st = hy_config_load(path, &c, err, sizeof(err));
    ASSERT_EQ(st, HY_ECONFIG);
    ASSERT_TRUE(c == NULL);
    ASSERT_CONTAINS(err, name);
    ASSERT_CONTAINS(err, k1);
    if (k2)
        ASSERT_CONTAINS(err, k2);
    if (k3)
        ASSERT_CONTAINS(err, k3);
}

static void test_config_errors(void)
{
    hy_config *c;
    char err[512];
    check_refused("unknown.yaml", "store: {sqlite: a.db}\nbogus_key: 3\n", "bogus_key", NULL, NULL);
    check_refused("range.yaml", "cameras:\n  - {id: a, url: x.mp4, analyse_every_s: -1}\n",
                  "cameras[0].analyse_every_s", "-1", "(0, 86400]");
    check_refused("type.yaml", "cameras:\n  - {id: a, url: x.mp4, analyse_every_s: often}\n",
                  "analyse_every_s", "often", NULL);
    check_refused("decode.yaml", "cameras:\n  - {id: a, url: x.mp4, decode: some}\n",
                  "cameras[0].decode", "some", "auto, all or key");
    check_refused("colour.yaml", "cameras:\n  - {id: a, url: x.mp4, smoke_colour: white}\n",
                  "cameras[0].smoke_colour", "white", "genovese or toreyin");
    check_refused("view.yaml", "cameras:\n  - {id: a, url: x.mp4, view_change: 0}\n",
                  "cameras[0].view_change", "0", "a share in (0, 1], or off");
    check_refused("persist.yaml", "cameras:\n  - {id: a, url: x.mp4, persist: 3/5/4}\n",
                  "cameras[0].persist", "3/5/4", "K/N or K/N/H");
    check_refused("crs.yaml", "townships: {path: t.gpkg, crs: bd09}\n", "townships.crs", "bd09",
                  "wgs84 or gcj02");
    check_refused("radius.yaml", "satellite: {hot_source_radius_m: 90000}\n",
                  "satellite.hot_source_radius_m", "90000", "(0, 50000]");
    check_refused("detect.yaml", "satellite: {detect: [fire, lava]}\n", "satellite.detect[1]",
                  "lava", "fire, bare_soil (a satellite scene)");
    /* each source detects what it can: no smoke from a scene, no bare soil from a camera */
    check_refused("detect2.yaml", "satellite: {detect: [smoke]}\n", "satellite.detect[0]", "smoke",
                  "fire, bare_soil (a satellite scene)");
    check_refused("detect3.yaml", "cameras:\n  - {id: a, url: x.mp4, detect: [dust, bare_soil]}\n",
                  "cameras[0].detect[1]", "bare_soil", "fire, smoke, dust (a camera)");
    check_refused("lat.yaml",
                  "cameras:\n  - {id: a, url: x, pose: {lon: 113.9, lat: 134.7, hfov_deg: 60,"
                  " vfov_deg: 34}}\n",
                  "cameras[0].pose.lat", "134.7", "[-90, 90]");
    check_refused("nourl.yaml", "cameras:\n  - {id: a}\n", "cameras[0]", "url or snapshot", NULL);
    check_refused("dup.yaml", "cameras:\n  - {id: a, url: x}\n  - {id: a, url: y}\n",
                  "cameras[1].id", "unique", NULL);
    check_refused("role.yaml", "server:\n  tokens:\n    - {token_env: T, role: root}\n",
                  "server.tokens[0].role", "root", "officer");
    check_refused("listen.yaml", "server: {listen: localhost}\n", "server.listen", "localhost",
                  "HOST:PORT");
    check_refused("sink.yaml", "alerts:\n  sinks:\n    - {type: pager, url: x}\n",
                  "alerts.sinks[0].type", "pager", "webhook");
    check_refused("syntax.yaml", "cameras: [\n", "parser error", "line: 1", NULL);
    check_refused("tries.yaml", "alerts: {max_attempts: -1}\n", "alerts.max_attempts", "-1",
                  "1..1000");
    check_refused("backoff.yaml", "alerts: {backoff_s: -2}\n", "alerts.backoff_s", "-2",
                  "(0, 86400]");
    check_refused("ex2.yaml", "cameras:\n  - {id: a, url: x, exclude: [[[0,0],[1,1]]]}\n",
                  "cameras[0].exclude[0]", "2 points", "at least 3");
    check_refused("exv.yaml",
                  "cameras:\n  - {id: a, url: x}\n"
                  "  - {id: b, url: y, exclude: [[[0,0],[1,1],[x,2]]]}\n",
                  "cameras[1].exclude[0][2]", "\"x\"", "0..65536");
    check_refused("exneg.yaml", "cameras:\n  - {id: a, url: x, exclude: [[[0,0],[1,-1],[2,2]]]}\n",
                  "cameras[0].exclude[0][1]", "\"-1\"", "0..65536");
    check_refused("ex3.yaml", "cameras:\n  - {id: a, url: x, exclude: [[[0,0,3],[1,1],[2,2]]]}\n",
                  "cameras[0].exclude[0][0]", "[x, y]", NULL);
    check_refused("exflat.yaml", "cameras:\n  - {id: a, url: x, exclude: [0, 1]}\n",
                  "cameras[0].exclude[0]", "list of [x, y] points", NULL);
    check_refused("exnum.yaml", "cameras:\n  - {id: a, url: x, exclude: 5}\n", "cameras[0].exclude",
                  "list of polygons", NULL);
    ASSERT_EQ(hy_config_load("/nonexistent/huoyan.yaml", &c, err, sizeof(err)), HY_EIO);
    ASSERT_CONTAINS(err, "/nonexistent/huoyan.yaml");
}

int main(int argc, char **argv)
{
    static const hy_test tests[] = {{"status_names", test_status_names},
                                    {"ctx", test_ctx},
                                    {"image_and_tile", test_image_and_tile},
                                    {"grow", test_grow},
                                    {"pool", test_pool},
                                    {"time", test_time},
                                    {"mask_walkers", test_mask_walkers},
                                    {"persist_parse", test_persist_parse},
                                    {"view_change_parse", test_view_change_parse},
                                    {"config_good", test_config_good},
                                    {"config_errors", test_config_errors},
                                    {NULL, NULL}};
    return hy_test_main("core", tests, argc, argv);
}
