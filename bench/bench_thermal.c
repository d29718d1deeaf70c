/* bench/bench_thermal.c - VIIRS fire detection on a full-size synthetic granule (VNP02IMG +
 * VNP03IMG, 6400 x 6464 I-band pixels, NetCDF4): seconds to read (decode and convert every
 * strip, the baseline), seconds to read and detect on one thread and on all, the detection's
 * share against the baseline, and the detecting process's peak memory (VmHWM of a child
 * process that only reads and detects: getrusage's figure would include the writer's peak,
 * which Linux carries over to a spawned child).
 * Usage: bench_thermal [WIDTHxHEIGHT] (default 6400x6464) */
#include "detect/detect.h"
#include "ingest/ingest.h"
#include "samples/samples.h"

#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static unsigned rng = 12345;
static unsigned next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* A daytime granule over Henan: textured crops, 8 % cloud in 64 x 64 blocks, 400 fires and
 * 100 pixels whose candidacy the BT4S median decides. */
static int write_granule(const char *dir, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    float *buf = malloc(n * 12 * sizeof(float));
    uint8_t *lw = malloc(n);
    float *p[12];
    hy_sample_granule g;
    char l1[4096], geo[4096], err[1024];
    hy_status st;
    if (!buf || !lw)
        return -1;
    for (int k = 0; k < 12; k++)
        p[k] = buf + (size_t)k * n;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * (size_t)w + (size_t)x;
            int cloud = ((x / 64) * 7 + (y / 64) * 13) % 25 < 2;
            p[0][i] = 300.0f + (float)(((x * 7 + y * 13) % 11) - 5) / 5.0f;
            p[1][i] = cloud ? 255.0f : 290.0f + (float)(((x * 5 + y * 3) % 7) - 3) / 3.0f;
            p[2][i] = p[1][i] - 2;
            p[3][i] = cloud ? 0.5f : 0.07f, p[4][i] = cloud ? 0.5f : 0.24f, p[5][i] = 0.16f;
            p[6][i] = 35, p[7][i] = (float)(fabs(x - w / 2.0) / (w / 2.0) * 56);
            p[8][i] = 140, p[9][i] = x < w / 2 ? 280.0f : 100.0f;
            p[10][i] = 36.0f - 0.0034f * (float)y * 0.9f;
            p[11][i] = 110.0f + 0.0041f * (float)x * 0.9f;
            lw[i] = 1;
        }
    for (int k = 0; k < 500; k++) {
        size_t i = (size_t)(next() % (unsigned)h) * (size_t)w + next() % (unsigned)w;
        if (k < 400) {
            p[0][i] = 330.0f + (float)(next() % 30);
            p[1][i] = p[0][i] - 30.0f - (float)(next() % 20);
        } else {
            p[0][i] = 327.0f;
            p[1][i] = 303.0f;
        }
    }
    memset(&g, 0, sizeof(g));
    g.sensor = HY_SENSOR_VIIRS;
    g.width = w;
    g.height = h;
    g.pass = "A2026150.0530";
    g.bt4 = p[0], g.bt11 = p[1], g.bt12 = p[2], g.red = p[3], g.nir = p[4], g.swir = p[5];
    g.sza = p[6], g.vza = p[7], g.saa = p[8], g.vaa = p[9], g.lat = p[10], g.lon = p[11];
    g.landwater = lw;
    st = hy_samples_granule(&g, dir, l1, geo, sizeof(l1), err, sizeof(err));
    free(buf);
    free(lw);
    if (st != HY_OK) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

/* In the child: read, then detect, printing the figures. */
static int run(const char *l1, int threads)
{
    hy_ctx_config cc;
    hy_ctx *ctx;
    hy_granule *g;
    hy_detections d = {0};
    const hy_granule_info *info;
    hy_fire_thermal_config cfg;
    double t0, read_s, det1_s, detn_s;
    size_t n1;
    int width, height;
    hy_scene_set_cache((size_t)128 << 20); /* as the huoyan program does */
    hy_ctx_config_init(&cc);
    cc.threads = 1;
    if (hy_ctx_create(&cc, &ctx) != HY_OK || hy_granule_open(ctx, l1, NULL, &g) != HY_OK)
        return 1;
    info = hy_granule_info_get(g);
    width = info->width, height = info->height; /* info goes with the granule */
    t0 = hy_time_mono();
    hy_fire_thermal_config_init(&cfg); /* the strips detection reads */
    for (int y = 0; y < info->height; y += cfg.strip_rows) {
        hy_swath sw;
        int rows = y + cfg.strip_rows > info->height ? info->height - y : cfg.strip_rows;
        if (hy_granule_read(g, y, rows, HY_TFIRE_VIIRS_HALO, &sw) != HY_OK)
            return 1;
        hy_swath_free(ctx, &sw);
    }
    read_s = hy_time_mono() - t0;
    t0 = hy_time_mono();
    if (hy_fire_thermal_detect(ctx, g, NULL, &d, NULL) != HY_OK)
        return 1;
    det1_s = hy_time_mono() - t0;
    n1 = d.n;
    hy_detections_free(ctx, &d);
    hy_granule_destroy(g);
    hy_ctx_destroy(ctx);

    cc.threads = threads;
    if (hy_ctx_create(&cc, &ctx) != HY_OK || hy_granule_open(ctx, l1, NULL, &g) != HY_OK)
        return 1;
    t0 = hy_time_mono();
    if (hy_fire_thermal_detect(ctx, g, NULL, &d, NULL) != HY_OK)
        return 1;
    detn_s = hy_time_mono() - t0;
    printf("granule %dx%d (%.1f Mpx)\n", width, height, width * (double)height / 1e6);
    printf("baseline: read every strip (decode + convert), 1 thread  %.2f s\n", read_s);
    printf("read + detect, 1 thread                                 %.2f s (%zu fire pixels)\n",
           det1_s, n1);
    printf("read + detect, %d threads                                %.2f s (%zu fire pixels)\n",
           hy_ctx_threads(ctx), detn_s, d.n);
    printf("detection alone / baseline read: %.2f\n", (det1_s - read_s) / read_s);
    {
        FILE *f = fopen("/proc/self/status", "r");
        char line[256];
        while (f && fgets(line, sizeof(line), f))
            if (strncmp(line, "VmHWM:", 6) == 0)
                printf("peak memory of the detecting process: %.0f MB\n",
                       strtod(line + 6, NULL) / 1024);
        if (f)
            fclose(f);
    }
    {
        const size_t nn = d.n; /* freeing d clears its count */
        hy_detections_free(ctx, &d);
        hy_granule_destroy(g);
        hy_ctx_destroy(ctx);
        if (n1 != nn)
            fprintf(stderr, "bench_thermal: %zu fire pixels on 1 thread, %zu on %d\n", n1, nn,
                    threads);
        return n1 == nn ? 0 : 1;
    }
}

int main(int argc, char **argv)
{
    int w = 6400, h = 6464;
    char dir[] = "/tmp/hy_bench_thermal_XXXXXX", l1[4096], threads[16];
    pid_t pid;
    int status;
    double t0;
    if (argc == 4 && strcmp(argv[1], "run") == 0)
        return run(argv[2], atoi(argv[3]));
    if (argc > 1 && sscanf(argv[1], "%dx%d", &w, &h) != 2) {
        fprintf(stderr, "usage: bench_thermal [WIDTHxHEIGHT]\n");
        return 2;
    }
    if (!mkdtemp(dir))
        return 1;
    t0 = hy_time_mono();
    if (write_granule(dir, w, h) != 0)
        return 1;
    printf("wrote the synthetic granule in %.1f s\n", hy_time_mono() - t0);
    fflush(stdout);
    snprintf(l1, sizeof(l1), "%s/VNP02IMG.A2026150.0530.002.SYNTHETIC.nc", dir);
    snprintf(threads, sizeof(threads), "%ld", sysconf(_SC_NPROCESSORS_ONLN));
    {
        char *args[] = {argv[0], "run", l1, threads, NULL};
        if (posix_spawn(&pid, argv[0], NULL, NULL, args, environ) != 0)
            return 1;
    }
    if (waitpid(pid, &status, 0) != pid)
        return 1;
    {
        char cmd[4200];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (getenv("HY_BENCH_KEEP") == NULL && system(cmd) != 0)
            fprintf(stderr, "cannot remove %s\n", dir);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
