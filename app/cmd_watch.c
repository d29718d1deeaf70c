/* app/cmd_watch.c - huoyan watch: video files and streams to flame detections. */
#include "app/app.h"

#include "detect/detect.h"
#include "ingest/ingest.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void watch_usage(FILE *f)
{
    fputs("usage: huoyan watch [OPTIONS] SOURCE...\n"
          "\n"
          "Decode video files or stream URLs (anything libavformat opens: files, rtsp://,\n"
          "http(s)://, tcp://, udp://) and report flames (Chen et al. 2004 flame colour,\n"
          "regions, persistence over analysed frames), and with --detect smoke and dust. A file\n"
          "is read to its end. Detections carry the frame index, the box in full-resolution\n"
          "pixels and the UTC time from the stream.\n"
          "\n"
          "options:\n"
          "  --camera ID          camera id in the output (default: the file name)\n"
          "  --detect LIST        flame (default), smoke, dust, or a list: flame,smoke,dust\n"
          "  --every SECONDS      analyse one frame per SECONDS of stream time (default 0: every\n"
          "                       decoded frame)\n"
          "  --decode auto|all|key  which frames are decoded when --every picks some (default\n"
          "                       auto: frames nothing refers to are skipped, and once key\n"
          "                       frames come at least once per --every, only those due are\n"
          "                       decoded; all: every frame; key: key frames only)\n"
          "  --keyframes          the same as --decode key\n"
          "  --size WxH           analysis size (default: the stream's, at most 640 wide)\n"
          "  --persist K/N[/H]    confirm a hit seen in K of the last N analysed frames, and\n"
          "                       keep it confirmed while seen in H of them (default 3/5/2;\n"
          "                       H defaults to round(0.8 K), pyronear's hysteresis)\n"
          "  --snapshot           the SOURCEs are HTTP(S) JPEG snapshot URLs, polled every\n"
          "                       --every seconds (default 2); --frames N stops after N\n"
          "  --timeout SECONDS    a source silent this long fails instead of hanging\n"
          "                       (default 10; 0: wait for ever)\n"
          "  --reconnect N        reopen a lost live source (URL) up to N times in a row, after\n"
          "                       1, 2, 4 ... s with jitter (default -1: for ever; files: never)\n"
          "  --backoff-max SECONDS  the longest wait between attempts (default 60)\n"
          "  --evidence DIR       write each reported hit's full-resolution frame with its box\n"
          "                       as DIR/CAMERA-FRAME-KIND.jpg (its path in the detection)\n"
          "  --soft-edge R        smoke: Toreyin et al.'s soft-edge test, a region counts where\n"
          "                       the frame's detail energy is at most R times the background's\n"
          "                       (default off: it cost recall on the evaluation data)\n"
          "  --smoke-colour genovese|toreyin  smoke: the colour test, Y - U > 40 and Y - V > 40\n"
          "                       (genovese, the default) or Y > 100 (toreyin: fainter smoke\n"
          "                       found earlier, and pale stubble passes too; docs/camera.md)\n"
          "  --view-change SHARE|off  smoke and dust: when this share of the picture\n"
          "                       changed at once (8x8 blocks, by over 24 grey levels: a PTZ\n"
          "                       camera turned to another preset, a knock, a zoom), their\n"
          "                       models restart from the new view (default 0.5; off: never)\n"
          "  --no-memory          report hits that repeat a remembered false alarm too (by\n"
          "                       default, with a database, a hit of the same camera and kind\n"
          "                       whose box overlaps a dismissed one's by IoU 0.3 or more,\n"
          "                       within 60 min of its time of day and 30 days, is not reported)\n"
          "  (with --config, the camera whose id is --camera brings its decode, smoke_colour,\n"
          "  view_change and persist unless the option is given; its exclusion polygons,\n"
          "  cameras[].exclude in image pixels: nothing inside them is reported; and its pose:\n"
          "  each hit gets bearing_deg through the foot of its box, and lon/lat and township\n"
          "  where that ray meets the ground, geo.dem or flat, within geo.max_range_m)\n",
          f);
    fputs(HY_APP_OUT_HELP, f);
}

#define MEMORY_MAX       256 /* false alarms remembered per camera, the newest */
#define MEMORY_RELOAD_US (30 * INT64_C(1000000))
#define MEMORY_LOGGED    16 /* suppressions logged once per false alarm, of the latest so many */

/* 1 when id is among the latest ones logged; else remember it and return 0. */
static int seen_id(int64_t *ids, int *n, int64_t id)
{
    for (int i = 0; i < *n; i++)
        if (ids[i] == id)
            return 1;
    if (*n == MEMORY_LOGGED) {
        memmove(ids, ids + 1, (MEMORY_LOGGED - 1) * sizeof(*ids));
        (*n)--;
    }
    ids[(*n)++] = id;
    return 0;
}

/* Where a camera's hits are on the ground: its pose, the DEM (NULL: flat), the range. */
typedef struct placer {
    const hy_config_pose *pose;
    hy_dem *dem;
    double max_range_m;
    const hy_townships *townships;
    double max_outside_m;
} placer;

/* The bearing of each hit, through the foot of its box (where smoke and flame meet the
 * ground), and its ground point and township where the ray meets the ground in range; a hit
 * beyond has a bearing only. width, height: the full-resolution picture the boxes refer to. */
static void place_hits(const placer *pl, int width, int height, hy_detection *d, size_t n)
{
    hy_camera cam;
    if (!pl->pose || width < 1 || height < 1)
        return;
    /* the ray depends on the pixel's place in the picture, whatever its size */
    cam = (hy_camera){pl->pose->lon,
                      pl->pose->lat,
                      pl->pose->height_m,
                      pl->pose->pan_deg,
                      pl->pose->tilt_deg,
                      pl->pose->roll_deg,
                      pl->pose->hfov_deg,
                      pl->pose->vfov_deg,
                      width,
                      height};
    for (size_t i = 0; i < n; i++) {
        const double u = d[i].bbox[0] + d[i].bbox[2] / 2.0, v = d[i].bbox[1] + d[i].bbox[3];
        double dep, lon, lat, dist;
        hy_camera_ray(&cam, u, v, &d[i].bearing_deg, &dep);
        if (hy_camera_ground(&cam, pl->dem, pl->max_range_m, u, v, &lon, &lat, &dist) == HY_OK) {
            d[i].lon = lon;
            d[i].lat = lat;
            hy_geo_assign_township(pl->townships, pl->max_outside_m, &d[i]);
        }
    }
}

int hy_app_decode_named(const char *name)
{
    return strcmp(name, "auto") == 0  ? HY_DECODE_AUTO
           : strcmp(name, "all") == 0 ? HY_DECODE_ALL
           : strcmp(name, "key") == 0 ? HY_DECODE_KEY
                                      : -1;
}

int hy_app_smoke_colour_named(const char *name)
{
    return strcmp(name, "genovese") == 0  ? HY_SMOKE_COLOUR_GENOVESE
           : strcmp(name, "toreyin") == 0 ? HY_SMOKE_COLOUR_TOREYIN
                                          : -1;
}

int hy_app_watch_source(hy_ctx *ctx, const hy_config *cfg, const char *config_path, const char *url,
                        const hy_app_watch_opts *w,
                        int (*emit)(void *user, hy_detection *d, size_t n), void *user,
                        hy_app_camera_stats *stats)
{
    hy_video_config vcfg;
    hy_video *v = NULL;
    hy_snapshot_config scfg;
    hy_snapshot *snap = NULL;
    hy_flame_config fcfg;
    hy_flame *flame = NULL;
    hy_smoke_config smcfg;
    hy_smoke *smoke = NULL;
    hy_dust_config dcfg;
    hy_dust *dust = NULL;
    hy_picture_config pcfg;
    hy_picture *picture = NULL;
    hy_picture_state pstate = HY_PICTURE_LIVE;
    hy_detections dets = {0};
    const hy_video_info *info = NULL;
    const hy_frame *frame;
    placer pl = {NULL, NULL, 0, w->townships, w->max_outside_m};
    hy_false_alarm *mem = NULL;
    size_t nmem = 0;
    int64_t mem_loaded = HY_TIME_NONE, suppressed = 0, logged[MEMORY_LOGGED];
    int nlogged = 0;
    hy_fa_params fap;
    const char *base = strrchr(url, '/');
    int rc = HY_EXIT_FAILURE;
    int64_t analysed = 0, reported = 0;
    double detect_s = 0; /* seconds in the detectors */
    hy_status st;

    hy_video_config_init(&vcfg);
    vcfg.url = url;
    vcfg.every_s = w->every_s;
    vcfg.out_width = w->width;
    vcfg.out_height = w->height;
    vcfg.max_width = 640; /* scaling happens once, in the reader */
    vcfg.timeout_s = w->timeout_s;
    vcfg.reconnect = w->reconnect;
    vcfg.backoff_max_s = w->backoff_max_s;
    vcfg.decode = w->decode;
    if (w->snapshot) {
        hy_snapshot_config_init(&scfg);
        scfg.url = url;
        if (w->every_set)
            scfg.every_s = w->every_s;
        scfg.out_width = w->width;
        scfg.out_height = w->height;
        scfg.max_width = 640;
        scfg.timeout_s = w->timeout_s;
        scfg.reconnect = w->reconnect;
        scfg.backoff_max_s = w->backoff_max_s;
        scfg.frames = w->frames;
        if ((st = hy_snapshot_open(ctx, &scfg, &snap)) != HY_OK) {
            hy_app_error("watch: %s: cannot set up the snapshot camera: %s", url,
                         hy_status_str(st));
            goto done;
        }
        hy__log(ctx, HY_LOG_INFO, "%s: snapshot camera, one picture every %g s", url, scfg.every_s);
    } else {
        if ((st = hy_video_open(ctx, &vcfg, &v)) != HY_OK)
            goto done; /* logged with the URL */
        info = hy_video_info_get(v);
        hy__log(ctx, HY_LOG_INFO, "%s: %s %dx%d at %.2f fps", url, info->codec, info->width,
                info->height, info->fps);
    }
    hy_flame_config_init(&fcfg);
    fcfg.camera_id = w->camera ? w->camera : (base ? base + 1 : url);
    fcfg.persist_k = w->persist_k;
    fcfg.persist_n = w->persist_n;
    fcfg.hold_k = w->hold_k;
    hy_smoke_config_init(&smcfg);
    smcfg.camera_id = fcfg.camera_id;
    smcfg.persist_k = w->persist_k;
    smcfg.persist_n = w->persist_n;
    smcfg.hold_k = w->hold_k;
    smcfg.soft_edge = w->soft_edge;
    smcfg.colour = w->smoke_colour;
    if (w->view_change >= 0)
        smcfg.view_change = w->view_change;
    if (cfg) { /* the configured camera's exclusion polygons */
        const hy_config_camera *cc = hy_config_camera_find(cfg, fcfg.camera_id);
        if (!cc)
            hy__log(ctx, HY_LOG_WARN, "%s: no camera \"%s\" in %s: nothing excluded", url,
                    fcfg.camera_id, config_path);
        else if (cc->exclude_count) {
            fcfg.exclude = smcfg.exclude = cc->exclude;
            fcfg.exclude_count = smcfg.exclude_count = cc->exclude_count;
            hy__log(ctx, HY_LOG_INFO, "%s: %u exclusion polygon(s) from %s", url, cc->exclude_count,
                    config_path);
        }
        if (cc && cc->pose) { /* its hits placed on the ground */
            char err[1024];
            pl.pose = cc->pose;
            pl.max_range_m = cfg->geo.max_range_m;
            if (cfg->geo.dem &&
                hy_dem_open(ctx, cfg->geo.dem, &pl.dem, err, sizeof(err)) != HY_OK) {
                hy_app_error("watch: %s", err);
                goto done;
            }
        }
    }
    hy_fa_params_init(&fap);
    if (w->memory && !(mem = calloc(MEMORY_MAX, sizeof(*mem)))) {
        hy_app_error("out of memory");
        goto done;
    }
    hy_dust_config_init(&dcfg);
    dcfg.camera_id = fcfg.camera_id;
    if (w->view_change >= 0)
        dcfg.view_change = w->view_change;
    dcfg.persist_k = w->persist_k;
    dcfg.persist_n = w->persist_n;
    dcfg.hold_k = w->hold_k;
    dcfg.exclude = fcfg.exclude;
    dcfg.exclude_count = fcfg.exclude_count;
    dcfg.motion = !w->snapshot; /* a snapshot camera: each picture alone */
    hy_picture_config_init(&pcfg);
    pcfg.camera_id = fcfg.camera_id;
    if ((st = hy_picture_create(ctx, &pcfg, &picture)) != HY_OK ||
        (w->flame_on && (st = hy_flame_create(ctx, &fcfg, &flame)) != HY_OK) ||
        (w->smoke_on && (st = hy_smoke_create(ctx, &smcfg, &smoke)) != HY_OK) ||
        (w->dust_on && (st = hy_dust_create(ctx, &dcfg, &dust)) != HY_OK)) {
        hy_app_error("watch: cannot create the detectors: %s", hy_status_str(st));
        goto done;
    }
    while ((!stats || !atomic_load(&stats->stop)) &&
           (st = snap ? hy_snapshot_read(snap, &frame) : hy_video_read(v, &frame)) == HY_OK) {
        const double t0 = hy_time_mono();
        dets.n = 0;
        if ((st = hy_picture_step(picture, frame, &pstate)) != HY_OK ||
            (flame && (st = hy_flame_process(flame, frame, &dets)) != HY_OK) ||
            (smoke && (st = hy_smoke_process(smoke, frame, &dets)) != HY_OK) ||
            (dust && (st = hy_dust_process(dust, frame, &dets)) != HY_OK)) {
            hy_app_error("%s: frame %lld: analysis failed: %s", url, (long long)frame->index,
                         hy_status_str(st));
            goto done;
        }
        detect_s += hy_time_mono() - t0;
        analysed++;
        if (dets.n && mem) { /* hits that repeat a remembered false alarm are not reported */
            const int64_t now = hy_time_now();
            size_t keep = 0;
            if (mem_loaded == HY_TIME_NONE || now - mem_loaded > MEMORY_RELOAD_US) {
                if (hy_store_false_alarms(w->memory, fcfg.camera_id, mem, MEMORY_MAX, &nmem) !=
                    HY_OK) {
                    hy__log(ctx, HY_LOG_WARN, "%s: the false-alarm memory cannot be read: %s", url,
                            hy_store_errmsg(w->memory));
                    nmem = 0;
                }
                mem_loaded = now;
            }
            for (size_t i = 0; i < dets.n; i++) {
                const int k = hy_false_alarm_match(mem, nmem, &dets.v[i], &fap);
                if (k < 0) {
                    dets.v[keep++] = dets.v[i];
                    continue;
                }
                suppressed++;
                if (!seen_id(logged, &nlogged, mem[k].id)) { /* once per false alarm */
                    char when[HY_TIME_STRLEN];
                    hy__log(ctx, HY_LOG_INFO,
                            "%s: %s at %d,%d %dx%d not reported: it repeats false alarm %lld "
                            "(%d,%d %dx%d at %s)",
                            url, hy_kind_name(dets.v[i].kind), dets.v[i].bbox[0], dets.v[i].bbox[1],
                            dets.v[i].bbox[2], dets.v[i].bbox[3], (long long)mem[k].id,
                            mem[k].bbox[0], mem[k].bbox[1], mem[k].bbox[2], mem[k].bbox[3],
                            hy_time_format(mem[k].time, when));
                }
            }
            dets.n = keep;
        }
        reported += (int64_t)dets.n;
        if (dets.n && pl.pose) {
            const hy_image *full = snap ? hy_snapshot_full_frame(snap) : NULL;
            if (full)
                place_hits(&pl, full->width, full->height, dets.v, dets.n);
            else if (info)
                place_hits(&pl, info->width, info->height, dets.v, dets.n);
        }
        if (dets.n && w->evidence) {
            /* the full-resolution frame with each box, beside the detection */
            hy_image full = {0};
            const hy_image *pic = NULL;
            if (snap)
                pic = hy_snapshot_full_frame(snap);
            else if (hy_video_full_frame(v, &full) == HY_OK)
                pic = &full;
            for (size_t i = 0; pic && i < dets.n; i++) {
                char err[1024], tail[48];
                hy_detection *d = &dets.v[i];
                snprintf(tail, sizeof(tail), "%lld-%s", (long long)d->frame, hy_kind_name(d->kind));
                if (hy_app_evidence_path(d, w->evidence, tail) != 0) {
                    hy__log(ctx, HY_LOG_WARN, "%s: %s: the evidence path is too long", url,
                            w->evidence);
                    continue;
                }
                if (hy_evidence_write(d->evidence, pic, d->bbox, 85, err, sizeof(err)) != HY_OK) {
                    hy__log(ctx, HY_LOG_WARN, "%s", err);
                    d->evidence[0] = '\0';
                }
            }
            hy_image_free(ctx, &full);
        }
        if (stats) {
            double decode_s = 0, scale_s = 0;
            if (v)
                hy_video_times(v, &decode_s, &scale_s);
            atomic_store(&stats->decode_us, (int64_t)(decode_s * 1e6));
            atomic_store(&stats->scale_us, (int64_t)(scale_s * 1e6));
            atomic_store(&stats->detect_us, (int64_t)(detect_s * 1e6));
            atomic_store(&stats->analysed, analysed);
            atomic_store(&stats->reported, reported);
            atomic_store(&stats->suppressed, suppressed);
            atomic_store(&stats->up, 1);
            atomic_store(&stats->picture, (int)pstate);
        }
        if (dets.n && emit(user, dets.v, dets.n) != HY_EXIT_OK)
            goto done;
    }
    if (stats) {
        atomic_store(&stats->up, 0);
        if (atomic_load(&stats->stop))
            st = HY_EEOF; /* asked to stop: not an error */
    }
    if (st != HY_EEOF) {
        hy_app_error("%s", snap ? hy_snapshot_errmsg(snap) : hy_video_errmsg(v));
        goto done;
    }
    if (snap)
        hy__log(ctx, HY_LOG_INFO, "%s: %lld pictures analysed, %lld detections", url,
                (long long)analysed, (long long)reported);
    else {
        double decode_s, scale_s;
        hy_video_times(v, &decode_s, &scale_s);
        hy__log(ctx, HY_LOG_INFO,
                "%s: %lld frames decoded, %lld analysed, %lld detections, %d reconnects", url,
                (long long)hy_video_frames_decoded(v), (long long)analysed, (long long)reported,
                hy_video_reconnects(v));
        /* what one camera costs: the analysis (scaling and detectors) against decoding */
        hy__log(ctx, HY_LOG_INFO,
                "%s: decoding took %.3f s, scaling %.3f s, the detectors %.3f s: analysis %.1f %% "
                "of decoding",
                url, decode_s, scale_s, detect_s,
                decode_s > 0 ? 100 * (scale_s + detect_s) / decode_s : 0.0);
    }
    rc = HY_EXIT_OK;
done:
    free(mem);
    hy_dem_destroy(pl.dem);
    hy_detections_free(ctx, &dets);
    hy_flame_destroy(flame);
    hy_smoke_destroy(smoke);
    hy_dust_destroy(dust);
    hy_picture_destroy(picture);
    hy_video_destroy(v);
    hy_snapshot_destroy(snap);
    return rc;
}

static int emit_out(void *user, hy_detection *d, size_t n)
{
    return hy_app_out_emit(user, d, n);
}

/* watch's options: the loop's, whether the false-alarm memory is off, and whether --decode
 * and --smoke-colour were given (else the configured camera's own apply) */
typedef struct watch_cli {
    hy_app_watch_opts w;
    int no_memory;
    int decode_given, colour_given, persist_given, view_given;
} watch_cli;

static int watch_one(hy_app_out *o, const char *url, const void *user)
{
    const watch_cli *wc = user;
    hy_app_watch_opts w = wc->w;
    w.townships = o->townships;
    w.max_outside_m = o->max_outside_m;
    w.memory = wc->no_memory ? NULL : o->store;
    if (o->cfg && w.camera) { /* both names were checked with the configuration */
        const hy_config_camera *cc = hy_config_camera_find(o->cfg, w.camera);
        if (cc && !wc->decode_given)
            w.decode = (hy_decode)hy_app_decode_named(cc->decode);
        if (cc && !wc->colour_given)
            w.smoke_colour = (hy_smoke_colour)hy_app_smoke_colour_named(cc->smoke_colour);
        if (cc && !wc->view_given)
            w.view_change = cc->view_change_share;
        if (cc && !wc->persist_given)
            w.persist_k = cc->persist_k, w.persist_n = cc->persist_n, w.hold_k = cc->hold_k;
    }
    return hy_app_watch_source(o->ctx, o->cfg, o->config, url, &w, emit_out, o, NULL);
}

int hy_cmd_watch(int argc, char **argv)
{
    static const struct option opts[] = {{"camera", required_argument, NULL, 'c'},
                                         {"every", required_argument, NULL, 'e'},
                                         {"size", required_argument, NULL, 's'},
                                         {"persist", required_argument, NULL, 'p'},
                                         {"timeout", required_argument, NULL, 't'},
                                         {"reconnect", required_argument, NULL, 'r'},
                                         {"backoff-max", required_argument, NULL, 'b'},
                                         {"snapshot", no_argument, NULL, 'S'},
                                         {"keyframes", no_argument, NULL, 'K'},
                                         {"decode", required_argument, NULL, 'O'},
                                         {"smoke-colour", required_argument, NULL, 'C'},
                                         {"detect", required_argument, NULL, 'D'},
                                         {"evidence", required_argument, NULL, 'E'},
                                         {"frames", required_argument, NULL, 'F'},
                                         {"soft-edge", required_argument, NULL, 'W'},
                                         {"no-memory", no_argument, NULL, 'M'},
                                         {"view-change", required_argument, NULL, 'V'},
                                         HY_APP_OUT_OPTIONS,
                                         {NULL, 0, NULL, 0}};
    hy_app_out o;
    hy_app_watch_opts w = {.persist_k = 3,
                           .persist_n = 5,
                           .timeout_s = 10,
                           .backoff_max_s = 60,
                           .reconnect = -1,
                           .flame_on = 1,
                           .soft_edge = -1,
                           .view_change = -1};
    watch_cli wc;
    int c, n, no_memory = 0;
    char *end;

    memset(&wc, 0, sizeof(wc));
    hy_app_out_init(&o);
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        if (hy_app_out_option(&o, c, optarg))
            continue;
        switch (c) {
        case 'c':
            w.camera = optarg;
            break;
        case 'M':
            no_memory = 1;
            break;
        case 'W':
            w.soft_edge = strtod(optarg, &end);
            if (*end || !(w.soft_edge > 0 && w.soft_edge <= 1)) {
                hy_app_error("watch: --soft-edge %s: expected a ratio in (0, 1]", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'V':
            if ((w.view_change = hy_view_change_parse(optarg)) < 0) {
                hy_app_error("watch: --view-change %s: expected a share in (0, 1], or off", optarg);
                return HY_EXIT_USAGE;
            }
            wc.view_given = 1;
            break;
        case 'S':
            w.snapshot = 1;
            break;
        case 'K':
            w.decode = HY_DECODE_KEY;
            wc.decode_given = 1;
            break;
        case 'C':
            if ((n = hy_app_smoke_colour_named(optarg)) < 0) {
                hy_app_error("watch: --smoke-colour %s: expected genovese or toreyin", optarg);
                return HY_EXIT_USAGE;
            }
            w.smoke_colour = (hy_smoke_colour)n;
            wc.colour_given = 1;
            break;
        case 'O':
            if ((n = hy_app_decode_named(optarg)) < 0) {
                hy_app_error("watch: --decode %s: expected auto, all or key", optarg);
                return HY_EXIT_USAGE;
            }
            w.decode = (hy_decode)n;
            wc.decode_given = 1;
            break;
        case 'E': {
            struct stat sb;
            if (stat(optarg, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                hy_app_error("watch: --evidence %s: not a folder", optarg);
                return HY_EXIT_USAGE;
            }
            w.evidence = optarg;
            break;
        }
        case 'D': {
            char buf[64], *save = NULL;
            int bad = 0;
            w.flame_on = w.smoke_on = w.dust_on = 0;
            snprintf(buf, sizeof(buf), "%s", optarg);
            for (char *t = strtok_r(buf, ",", &save); t && !bad; t = strtok_r(NULL, ",", &save)) {
                if (strcmp(t, "flame") == 0 || strcmp(t, "fire") == 0)
                    w.flame_on = 1;
                else if (strcmp(t, "smoke") == 0)
                    w.smoke_on = 1;
                else if (strcmp(t, "dust") == 0)
                    w.dust_on = 1;
                else
                    bad = 1;
            }
            if (bad || (!w.flame_on && !w.smoke_on && !w.dust_on)) {
                hy_app_error("watch: --detect %s: expected a list of flame, smoke and dust, e.g. "
                             "flame,smoke",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        }
        case 'F': {
            long long x = strtoll(optarg, &end, 10);
            if (*end || x < 1 || x > 1000000000) {
                hy_app_error("watch: --frames %s: expected a whole number of pictures, 1 or more",
                             optarg);
                return HY_EXIT_USAGE;
            }
            w.frames = x;
            break;
        }
        case 'e':
            w.every_set = 1;
            w.every_s = strtod(optarg, &end);
            if (*end || !(w.every_s >= 0 && w.every_s <= 86400)) {
                hy_app_error("watch: --every %s: expected seconds in 0..86400", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 's':
            if (sscanf(optarg, "%dx%d%n", &w.width, &w.height, &n) != 2 || optarg[n] ||
                w.width < 16 || w.height < 16 || w.width > 8192 || w.height > 8192) {
                hy_app_error("watch: --size %s: expected WxH, each 16..8192", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'p':
            if (hy_persist_parse(optarg, 32, &w.persist_k, &w.persist_n, &w.hold_k) != 0) {
                hy_app_error(
                    "watch: --persist %s: expected K/N or K/N/H with 1 <= H <= K <= N <= 32",
                    optarg);
                return HY_EXIT_USAGE;
            }
            wc.persist_given = 1;
            break;
        case 't':
        case 'b': {
            double x = strtod(optarg, &end);
            if (*end || !(x >= (c == 't' ? 0 : 0.001) && x <= 86400)) {
                hy_app_error("watch: --%s %s: expected seconds in %s..86400",
                             c == 't' ? "timeout" : "backoff-max", optarg,
                             c == 't' ? "0" : "0.001");
                return HY_EXIT_USAGE;
            }
            *(c == 't' ? &w.timeout_s : &w.backoff_max_s) = x;
            break;
        }
        case 'r': {
            long x = strtol(optarg, &end, 10);
            if (*end || x < -1 || x > 1000000) {
                hy_app_error("watch: --reconnect %s: expected -1 (for ever) or 0..1000000", optarg);
                return HY_EXIT_USAGE;
            }
            w.reconnect = (int)x;
            break;
        }
        case 'h':
            watch_usage(stdout);
            return HY_EXIT_OK;
        default:
            watch_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (w.frames && !w.snapshot) {
        hy_app_error("watch: --frames goes with --snapshot");
        return HY_EXIT_USAGE;
    }
    if (optind >= argc) {
        hy_app_error("watch: no SOURCE given");
        watch_usage(stderr);
        return HY_EXIT_USAGE;
    }
    wc.w = w;
    wc.no_memory = no_memory;
    return hy_app_out_run(&o, argc, argv, optind, watch_one, &wc);
}
