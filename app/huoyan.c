/* app/huoyan.c - the huoyan program: subcommand dispatch, the context, and messages. */
#include "app/app.h"

#include "ingest/ingest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const level_names[] = {"error", "warning", "info", "debug"};

static void log_stderr(void *user, hy_log_level level, const char *msg)
{
    (void)user;
    fprintf(stderr, "huoyan: %s: %s\n", level_names[level], msg);
}

void hy_app_error(const char *fmt, ...)
{
    va_list ap;
    fputs("huoyan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int hy_app_ctx(int verbose, int quiet, hy_ctx **ctx)
{
    hy_ctx_config cfg;
    const char *cpu = getenv("HY_CPU"), *threads = getenv("HY_THREADS");
    hy_status st;

    hy_ctx_config_init(&cfg);
    cfg.log = log_stderr;
    cfg.log_level = verbose ? HY_LOG_DEBUG : quiet ? HY_LOG_WARN : HY_LOG_INFO;
    if (cpu && hy_cpu_level_parse(cpu, &cfg.cpu_level) != HY_OK) {
        hy_app_error("HY_CPU=%s: expected auto, scalar, avx2 or avx512", cpu);
        return HY_EXIT_USAGE;
    }
    if (threads) {
        char *end;
        long n = strtol(threads, &end, 10);
        if (*end || n < 1 || n > 256) {
            hy_app_error("HY_THREADS=%s: expected a number of threads in 1..256", threads);
            return HY_EXIT_USAGE;
        }
        cfg.threads = (int)n;
    }
    hy_video_set_ffmpeg_verbosity(verbose ? 2 : quiet ? 0 : 1);
    /* GDAL's cache: 128 MB holds a row of 512-pixel blocks of every band of a full scene
     * with room to spare; GDAL_CACHEMAX in the environment wins, as GDAL documents. */
    if (!getenv("GDAL_CACHEMAX"))
        hy_scene_set_cache((size_t)128 << 20);
    st = hy_ctx_create(&cfg, ctx);
    if (st != HY_OK) {
        hy_app_error("cannot create the context: %s", hy_status_str(st));
        return HY_EXIT_FAILURE;
    }
    return HY_EXIT_OK;
}

static void usage(FILE *f)
{
    fputs(
        "usage: huoyan COMMAND [OPTIONS] [ARGS]\n"
        "\n"
        "huoyan (火眼) finds straw burning, smoke and dust in camera streams and satellite\n"
        "scenes, places every hit in its township and stores it for the grid system.\n"
        "\n"
        "commands:\n"
        "  scan SCENE...               satellite scenes (Landsat-8/9, Sentinel-2, VIIRS, MODIS):\n"
        "                              fire; bare soil with --detect bare_soil\n"
        "  watch SOURCE...             video files or stream URLs: flame detection\n"
        "  import FILE...              MODIS/VIIRS fire points (FIRMS CSV, CSPP lists)\n"
        "  townships lookup LON LAT    the township containing a point\n"
        "  townships check             invalid polygons, overlaps and gaps in a layer\n"
        "  locate --camera ID --pixel X,Y  a camera pixel's bearing, ground point, township;\n"
        "                              with two or more cameras, the cross-bearing fix\n"
        "  eval DATA...                score the camera path on labelled videos, clips, images\n"
        "  report                      detections by township, from the database\n"
        "  events [list|show|set|confirm|escalate]  events (detections merged by place and\n"
        "                              time) and their lifecycle, new -> ... -> verified\n"
        "  deliver --config FILE       event changes to the alert sinks (webhook, CAP, MQTT)\n"
        "  serve --config FILE         the service: HTTP API, escalation and delivery\n"
        "  samples DIR                 write the synthetic demo samples into DIR\n"
        "  config check FILE           load and check a configuration file\n"
        "  version                     print the version\n"
        "\n"
        "`huoyan COMMAND --help` describes each command. Exit status: 0 success, 1 runtime\n"
        "failure, 2 usage error. Environment: HY_CPU=auto|scalar|avx2|avx512 caps the kernels\n"
        "used; HY_THREADS=N sets worker threads.\n",
        f);
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"scan", hy_cmd_scan},           {"import", hy_cmd_import},   {"watch", hy_cmd_watch},
        {"townships", hy_cmd_townships}, {"report", hy_cmd_report},   {"samples", hy_cmd_samples},
        {"config", hy_cmd_config},       {"locate", hy_cmd_locate},   {"eval", hy_cmd_eval},
        {"events", hy_cmd_events},       {"deliver", hy_cmd_deliver}, {"serve", hy_cmd_serve}};

    if (argc < 2) {
        usage(stderr);
        return HY_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return HY_EXIT_OK;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("huoyan %s\n", HY_VERSION);
        return HY_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    hy_app_error("unknown command \"%s\" (huoyan --help lists them)", argv[1]);
    return HY_EXIT_USAGE;
}
