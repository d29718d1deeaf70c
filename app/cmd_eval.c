/* app/cmd_eval.c - huoyan eval: the camera path scored on labelled data.
 *
 * Three kinds of labels:
 * - a video with per-frame boxes (OpenCV FileStorage XML, "x y w h" rectangles per frame, as
 *   the furg-fire-dataset's): every frame is analysed; frame recall = frames with a truth box
 *   in which some detection overlaps some truth box / frames with a truth box; precision =
 *   detection boxes that overlap a truth box of their frame / all detection boxes; the delay
 *   from the first frame with a truth box to the first overlapping detection;
 * - a clip list (clips/labels.csv: path, label, smoke, flame, ...): every clip is analysed to
 *   its end; a clip alerts when anything is confirmed; positives detected, confirmed false
 *   alerts per negative clip and per hour of negative video, delay to the first alert;
 * - a folder of still images (labelled by the folder's name: fire, non_fire, or --label):
 *   each image is one frame, tested without persistence (1 of 1); accuracy and every miss.
 * Nothing is tuned here: the detectors run with their defaults (or the options given). */
#include "app/app.h"

#include "detect/detect.h"
#include "ingest/ingest.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static void eval_usage(FILE *f)
{
    fputs("usage: huoyan eval [OPTIONS] DATA...\n"
          "\n"
          "Score the camera path on labelled data and print the figures. DATA is:\n"
          "  VIDEO                a video with per-frame boxes in an OpenCV XML file of the same\n"
          "                       name beside it (or --boxes FILE), e.g. furg_house6/house6.mp4:\n"
          "                       frame recall, box precision, delay to the first detection\n"
          "  labels.csv           a clip list (path,label,smoke,flame,...): every clip to its\n"
          "                       end; positives detected, confirmed false alerts per negative\n"
          "                       clip and per hour of negative video, delay to the first alert\n"
          "  FOLDER               still images labelled by the folder's name (fire, non_fire,\n"
          "                       dust) or --label (fire, non_fire, dust, no_dust: the dust\n"
          "                       detector on each picture alone)\n"
          "                       accuracy, and every miss by name\n"
          "Every frame of a video is analysed (clip lists: unless --every); the detectors keep\n"
          "their defaults.\n"
          "Flame and smoke detectors run with their defaults; nothing is tuned here.\n"
          "\n"
          "options:\n"
          "  --boxes FILE         the OpenCV XML of per-frame boxes for the (one) VIDEO\n"
          "  --every SECONDS      clip lists: analyse one frame per SECONDS of stream time, as\n"
          "                       a camera does (watch --every; default 0: every frame); the\n"
          "                       analysed frames of one alert may be up to 2 x SECONDS apart\n"
          "  --masks DIR          per-frame mask pictures for the (one) VIDEO (smoke3's: smoke\n"
          "                       0, background 1; frame i <-> the i-th picture by name): frame\n"
          "                       recall and precision, first detection on a truth pixel\n"
          "  --detect flame|smoke the detector for boxes (default flame) or masks (default\n"
          "                       smoke); clip lists run both\n"
          "  --label L            the label of an image FOLDER: fire, non_fire, dust, no_dust\n"
          "  --persist K/N[/H]    the flame detector's persistence: K of N to confirm, H of N\n"
          "                       to stay confirmed (default 3/5/2: H = round(0.8 K))\n"
          "  --flicker K          the flame detector's flicker test: a region is confirmed only\n"
          "                       if 5 % of its box changed flame state in K of the frames it\n"
          "                       was seen in (default 0: off; docs/camera.md)\n"
          "  --area-change K[/S]  the flame detector's area test: ... only if its pixel count\n"
          "                       changed by S (default 0.1) of the larger since its last\n"
          "                       sighting in K of them (default 0: off; docs/camera.md)\n"
          "  --smoke-colour C     the smoke detector's colour test: genovese (default) or\n"
          "                       toreyin (docs/camera.md)\n"
          "  --soft-edge R        the smoke detector's soft-edge test (Toreyin et al. 2006): a\n"
          "                       region counts where the frame's detail energy is at most R\n"
          "                       times the background's (default off; docs/camera.md)\n"
          "  --view-change S|off  the smoke and dust detectors restart their models when the\n"
          "                       share S of the picture changed at once (default 0.5)\n"
          "  --json               the figures as one JSON object per DATA on stdout\n"
          "  -v, --verbose        debug logging;  -q, --quiet  warnings and errors only\n"
          "  -h, --help           this help\n",
          f);
}

#define DET_FLAME 1
#define DET_SMOKE 2
#define DET_DUST  4

typedef struct eval_opts {
    const char *boxes, *label, *masks;
    int detect; /* DET_* the detectors run (clip lists run both) */
    int persist_k, persist_n, hold_k;
    double soft_edge;   /* < 0: off */
    double view_change; /* < 0: the detectors' default */
    double every_s;     /* clip lists: one analysed frame per every_s of stream time; 0 all */
    int flicker_k, area_k;
    hy_smoke_colour smoke_colour;
    double area_change;
    int json;
    hy_ctx *ctx;
} eval_opts;

/* ---- truth boxes ---- */

typedef struct box {
    int x, y, w, h;
} box;

typedef struct truth {
    box *b;
    int *first; /* frame f's boxes are b[first[f] .. first[f + 1]) */
    int frames;
    int nboxes;
} truth;

static void truth_free(truth *t)
{
    free(t->b);
    free(t->first);
    memset(t, 0, sizeof(*t));
}

/* OpenCV 2.4 FileStorage XML: <frameNumber>N</frameNumber> then <annotations> with "x y w h"
 * items until </annotations>. */
static int read_boxes(const char *path, truth *t)
{
    FILE *f = fopen(path, "rb");
    char *text, *p;
    long size;
    int cap = 0, maxframe = -1;
    struct {
        int frame;
        box b;
    } *items = NULL;
    int nitems = 0;
    memset(t, 0, sizeof(*t));
    if (!f) {
        hy_app_error("eval: %s: cannot open", path);
        return -1;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = malloc((size_t)size + 1);
    if (!text || fread(text, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        free(text);
        hy_app_error("eval: %s: cannot read", path);
        return -1;
    }
    fclose(f);
    text[size] = '\0';
    for (p = strstr(text, "<frameNumber>"); p; p = strstr(p, "<frameNumber>")) {
        int frame;
        char *end, *next, *ann;
        p += strlen("<frameNumber>");
        frame = (int)strtol(p, &end, 10);
        if (end == p || frame < 0 || frame > 10000000) {
            hy_app_error("eval: %s: a frameNumber is not a number", path);
            free(text);
            free(items);
            return -1;
        }
        maxframe = frame > maxframe ? frame : maxframe;
        next = strstr(p, "<frameNumber>");
        ann = strstr(p, "<annotations>");
        if (!ann || (next && ann > next))
            continue;
        ann += strlen("<annotations>");
        for (;;) {
            char *item = strstr(ann, "<_>"), *stop = strstr(ann, "</annotations>");
            box b;
            int n;
            if (!item || (stop && item > stop) || (next && item > next))
                break;
            item += 3;
            if (sscanf(item, "%d %d %d %d%n", &b.x, &b.y, &b.w, &b.h, &n) != 4 || b.w <= 0 ||
                b.h <= 0) {
                hy_app_error("eval: %s: frame %d: a box is not \"x y w h\"", path, frame);
                free(text);
                free(items);
                return -1;
            }
            if (nitems == cap) {
                void *v = realloc(items, (size_t)(cap = cap ? 2 * cap : 256) * sizeof(*items));
                if (!v) {
                    free(text);
                    free(items);
                    return -1;
                }
                items = v;
            }
            items[nitems].frame = frame;
            items[nitems++].b = b;
            ann = item + n;
        }
    }
    free(text);
    if (maxframe < 0) {
        hy_app_error("eval: %s: no <frameNumber> entries (not an OpenCV box file)", path);
        free(items);
        return -1;
    }
    t->frames = maxframe + 1;
    t->first = calloc((size_t)t->frames + 1, sizeof(int));
    t->b = malloc((size_t)(nitems ? nitems : 1) * sizeof(box));
    if (!t->first || !t->b) {
        free(items);
        truth_free(t);
        return -1;
    }
    for (int i = 0; i < nitems; i++)
        t->first[items[i].frame + 1]++;
    for (int fr = 0; fr < t->frames; fr++)
        t->first[fr + 1] += t->first[fr];
    {
        int *at = calloc((size_t)t->frames, sizeof(int));
        if (!at) {
            free(items);
            truth_free(t);
            return -1;
        }
        for (int i = 0; i < nitems; i++)
            t->b[t->first[items[i].frame] + at[items[i].frame]++] = items[i].b;
        free(at);
    }
    t->nboxes = nitems;
    free(items);
    return 0;
}

static int overlap(const box *a, const int d[4])
{
    return a->x < d[0] + d[2] && d[0] < a->x + a->w && a->y < d[1] + d[3] && d[1] < a->y + a->h;
}

/* ---- running the detector ---- */

typedef struct run {
    hy_detections dets; /* every confirmed region of every analysed frame */
    int64_t frames;
    double duration_s, fps;
} run;

/* Analyse every frame of url with the flame detector (repeat 0: every frame's confirmed
 * regions), at most 640 wide. */
static int run_video(const eval_opts *e, const char *url, int k, int n, int detect, run *r)
{
    hy_video_config vcfg;
    hy_video *v = NULL;
    hy_flame_config fcfg;
    hy_flame *flame = NULL;
    hy_smoke_config scfg;
    hy_smoke *smoke = NULL;
    hy_dust_config dcfg;
    hy_dust *dust = NULL;
    const hy_frame *frame;
    hy_status st;
    int rc = -1;
    memset(r, 0, sizeof(*r));
    hy_video_config_init(&vcfg);
    vcfg.url = url;
    vcfg.max_width = 640;
    vcfg.every_s = e->every_s;
    if (hy_video_open(e->ctx, &vcfg, &v) != HY_OK)
        return -1; /* logged with the URL */
    r->fps = hy_video_info_get(v)->fps;
    hy_flame_config_init(&fcfg);
    fcfg.camera_id = url;
    fcfg.persist_k = k;
    fcfg.persist_n = n;
    fcfg.hold_k = n == 1 ? 0 : e->hold_k;
    fcfg.repeat_s = 0;
    fcfg.flicker_k = e->flicker_k;
    fcfg.area_k = e->area_k;
    fcfg.area_change = e->area_change;
    if (n == 1)
        fcfg.flicker_k = fcfg.area_k = 0; /* a still image: nothing flickers or grows */
    hy_smoke_config_init(&scfg);
    scfg.camera_id = url;
    scfg.repeat_s = 0;
    scfg.soft_edge = e->soft_edge;
    scfg.colour = e->smoke_colour;
    if (e->view_change >= 0)
        scfg.view_change = e->view_change;
    hy_dust_config_init(&dcfg);
    dcfg.camera_id = url;
    dcfg.repeat_s = 0;
    if (e->view_change >= 0)
        dcfg.view_change = e->view_change;
    if (n == 1) { /* a still image: one picture decides */
        dcfg.motion = 0;
        dcfg.persist_k = dcfg.persist_n = 1;
    }
    if (((detect & DET_FLAME) && hy_flame_create(e->ctx, &fcfg, &flame) != HY_OK) ||
        ((detect & DET_SMOKE) && hy_smoke_create(e->ctx, &scfg, &smoke) != HY_OK) ||
        ((detect & DET_DUST) && hy_dust_create(e->ctx, &dcfg, &dust) != HY_OK))
        goto done;
    while ((st = hy_video_read(v, &frame)) == HY_OK) {
        if ((flame && hy_flame_process(flame, frame, &r->dets) != HY_OK) ||
            (smoke && hy_smoke_process(smoke, frame, &r->dets) != HY_OK) ||
            (dust && hy_dust_process(dust, frame, &r->dets) != HY_OK))
            goto done;
        r->frames++;
        r->duration_s = frame->pts_s + (r->fps > 0 ? 1 / r->fps : 0);
    }
    if (st != HY_EEOF) {
        hy_app_error("eval: %s: %s", url, hy_video_errmsg(v));
        goto done;
    }
    if (e->every_s > 0 && hy_video_info_get(v)->duration_s > r->duration_s)
        r->duration_s = hy_video_info_get(v)->duration_s; /* frames after the last analysed */
    rc = 0;
done:
    hy_flame_destroy(flame);
    hy_smoke_destroy(smoke);
    hy_dust_destroy(dust);
    hy_video_destroy(v);
    if (rc != 0)
        hy_detections_free(e->ctx, &r->dets);
    return rc;
}

/* ---- the three kinds ---- */

static int eval_boxes(const eval_opts *e, const char *video, const char *xml)
{
    truth t;
    run r;
    int64_t pos_frames = 0, hit_frames = 0, good = 0, first_truth = -1, first_hit = -1;
    int64_t det_frames = 0, det_true_frames = 0; /* frames with a detection; of them with truth */
    if (read_boxes(xml, &t) != 0)
        return HY_EXIT_FAILURE;
    if (run_video(e, video, e->persist_k, e->persist_n, e->detect ? e->detect : DET_FLAME, &r) !=
        0) {
        truth_free(&t);
        return HY_EXIT_FAILURE;
    }
    for (int64_t f = 0; f < r.frames; f++) {
        int has = f < t.frames && t.first[f + 1] > t.first[f];
        int hit = 0;
        if (has) {
            pos_frames++;
            if (first_truth < 0)
                first_truth = f;
        }
        int any = 0;
        for (size_t i = 0; i < r.dets.n; i++) {
            const hy_detection *d = &r.dets.v[i];
            int ok = 0;
            if (d->frame != f)
                continue;
            any = 1;
            for (int b = has ? t.first[f] : 0; has && b < t.first[f + 1]; b++)
                ok |= overlap(&t.b[b], d->bbox);
            good += ok;
            hit |= ok;
        }
        det_frames += any;
        det_true_frames += any && has;
        if (hit) {
            hit_frames++;
            if (first_hit < 0)
                first_hit = f;
        }
    }
    {
        const double recall = pos_frames ? (double)hit_frames / (double)pos_frames : NAN;
        const double precision = r.dets.n ? (double)good / (double)r.dets.n : NAN;
        const double delay = first_hit >= 0 && r.fps > 0 ? (first_hit - first_truth) / r.fps : NAN;
        const double fprec = det_frames ? (double)det_true_frames / (double)det_frames : NAN;
        if (e->json)
            printf("{\"data\":\"%s\",\"kind\":\"boxes\",\"frames\":%lld,\"truth_frames\":%lld,"
                   "\"hit_frames\":%lld,\"detections\":%zu,\"overlapping\":%lld,"
                   "\"frame_recall\":%.4f,\"frame_precision\":%.4f,\"box_precision\":%.4f,"
                   "\"delay_s\":%.3f}\n",
                   video, (long long)r.frames, (long long)pos_frames, (long long)hit_frames,
                   r.dets.n, (long long)good, recall, fprec, precision, delay);
        else
            printf("%s: %lld frames, %lld with truth boxes (%d boxes, %d frames in %s)\n"
                   "  flame frame recall %.4f (%lld of %lld frames: a detection overlaps a truth "
                   "box)\n"
                   "  flame frame precision %.4f (%lld of %lld frames with a detection have a "
                   "truth box)\n"
                   "  flame box precision %.4f (%lld of %zu detection boxes overlap a truth "
                   "box of their frame)\n"
                   "  delay to the first detection %.3f s (frame %lld; truth from frame %lld)\n",
                   video, (long long)r.frames, (long long)pos_frames, t.nboxes, t.frames, xml,
                   recall, (long long)hit_frames, (long long)pos_frames, fprec,
                   (long long)det_true_frames, (long long)det_frames, precision, (long long)good,
                   r.dets.n, delay, (long long)first_hit, (long long)first_truth);
    }
    hy_detections_free(e->ctx, &r.dets);
    truth_free(&t);
    return HY_EXIT_OK;
}

static int is_image(const char *name);

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The image files of a folder, sorted by name; *n of them. */
static char **list_images(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    *n = 0;
    if (!d)
        return NULL;
    while ((de = readdir(d)) != NULL) {
        char **v;
        if (!is_image(de->d_name))
            continue;
        v = realloc(names, (*n + 1) * sizeof(*v));
        if (!v)
            break;
        names = v;
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

/* One mask picture: smoke where its first channel is 0 (smoke3's masks are 0 and 1), or below
 * 128 in masks of 0 and 255. *mask gets w x h bytes (1 smoke); NULL if unreadable. */
static uint8_t *read_mask(const eval_opts *e, const char *path, int *w, int *h)
{
    hy_video_config vcfg;
    hy_video *v = NULL;
    const hy_frame *f;
    uint8_t *m = NULL, top = 0;
    hy_video_config_init(&vcfg);
    vcfg.url = path;
    if (hy_video_open(e->ctx, &vcfg, &v) != HY_OK)
        return NULL;
    if (hy_video_read(v, &f) == HY_OK) {
        *w = f->image.width;
        *h = f->image.height;
        m = malloc((size_t)*w * (size_t)*h);
        for (int y = 0; m && y < *h; y++)
            for (int x = 0; x < *w; x++)
                top =
                    *hy_image_at(&f->image, 0, x, y) > top ? *hy_image_at(&f->image, 0, x, y) : top;
        for (int y = 0; m && y < *h; y++)
            for (int x = 0; x < *w; x++)
                m[(size_t)y * (size_t)*w + (size_t)x] = top > 1
                                                            ? *hy_image_at(&f->image, 0, x, y) < 128
                                                            : *hy_image_at(&f->image, 0, x, y) == 0;
    }
    hy_video_destroy(v);
    return m;
}

/* A video with a folder of per-frame masks (frame i <-> the i-th picture by name). */
static int eval_masks(const eval_opts *e, const char *video, const char *dir)
{
    size_t nm = 0;
    char **names = list_images(dir, &nm);
    run r;
    int64_t truth_frames = 0, hit_frames = 0, good = 0, det_frames = 0, det_true = 0;
    int64_t first_truth = -1, first_hit = -1;
    if (!names || !nm) {
        hy_app_error("eval: %s: no mask pictures", dir);
        free(names);
        return HY_EXIT_FAILURE;
    }
    if (run_video(e, video, e->persist_k, e->persist_n, e->detect ? e->detect : DET_SMOKE, &r) !=
        0) {
        for (size_t i = 0; i < nm; i++)
            free(names[i]);
        free(names);
        return HY_EXIT_FAILURE;
    }
    for (int64_t f = 0; f < r.frames && (size_t)f < nm; f++) {
        char path[4096];
        int w = 0, h = 0, has = 0, hit = 0, any = 0;
        uint8_t *m;
        snprintf(path, sizeof(path), "%s/%s", dir, names[f]);
        if (!(m = read_mask(e, path, &w, &h))) {
            hy_app_error("eval: %s: cannot read the mask", path);
            hy_detections_free(e->ctx, &r.dets);
            for (size_t i = 0; i < nm; i++)
                free(names[i]);
            free(names);
            return HY_EXIT_FAILURE;
        }
        for (size_t i = 0; i < (size_t)w * (size_t)h && !has; i++)
            has = m[i];
        for (size_t i = 0; i < r.dets.n; i++) {
            const hy_detection *d = &r.dets.v[i];
            int ok = 0;
            if (d->frame != f)
                continue;
            any = 1;
            for (int y = d->bbox[1]; y < d->bbox[1] + d->bbox[3] && y < h && !ok; y++)
                for (int x = d->bbox[0]; x < d->bbox[0] + d->bbox[2] && x < w && !ok; x++)
                    ok = x >= 0 && y >= 0 && m[(size_t)y * (size_t)w + (size_t)x];
            good += ok;
            hit |= ok;
        }
        free(m);
        truth_frames += has;
        if (has && first_truth < 0)
            first_truth = f;
        det_frames += any;
        det_true += any && has;
        if (hit) {
            hit_frames++;
            if (first_hit < 0)
                first_hit = f;
        }
    }
    if (e->json)
        printf("{\"data\":\"%s\",\"kind\":\"masks\",\"frames\":%lld,\"truth_frames\":%lld,"
               "\"hit_frames\":%lld,\"detections\":%zu,\"overlapping\":%lld,"
               "\"first_truth_frame\":%lld,\"first_hit_frame\":%lld}\n",
               video, (long long)r.frames, (long long)truth_frames, (long long)hit_frames, r.dets.n,
               (long long)good, (long long)first_truth, (long long)first_hit);
    else
        printf("%s: %lld frames, %lld with truth pixels (masks in %s)\n"
               "  frame recall %.4f (%lld of %lld frames: a detection box holds truth pixels)\n"
               "  frame precision %.4f (%lld of %lld frames with a detection have truth pixels)\n"
               "  box precision %.4f (%lld of %zu detection boxes hold truth pixels)\n"
               "  first detection on a truth pixel: frame %lld (truth from frame %lld)\n",
               video, (long long)r.frames, (long long)truth_frames, dir,
               truth_frames ? (double)hit_frames / (double)truth_frames : NAN,
               (long long)hit_frames, (long long)truth_frames,
               det_frames ? (double)det_true / (double)det_frames : NAN, (long long)det_true,
               (long long)det_frames, r.dets.n ? (double)good / (double)r.dets.n : NAN,
               (long long)good, r.dets.n, (long long)first_hit, (long long)first_truth);
    hy_detections_free(e->ctx, &r.dets);
    for (size_t i = 0; i < nm; i++)
        free(names[i]);
    free(names);
    return HY_EXIT_OK;
}

/* A clip's path in labels.csv, relative to the list's folder, its parent, or a subfolder. */
static int find_clip(const char *csv, const char *rel, char *out, size_t size)
{
    char dir[4096];
    struct stat sb;
    const char *slash = strrchr(csv, '/');
    DIR *d;
    struct dirent *de;
    snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - csv) : 1, slash ? csv : ".");
    snprintf(out, size, "%s/%s", dir, rel);
    if (stat(out, &sb) == 0)
        return 0;
    snprintf(out, size, "%s/../%s", dir, rel);
    if (stat(out, &sb) == 0)
        return 0;
    if ((d = opendir(dir)) != NULL) {
        while ((de = readdir(d)) != NULL) {
            if (de->d_name[0] == '.')
                continue;
            snprintf(out, size, "%s/%s/%s", dir, de->d_name, rel);
            if (stat(out, &sb) == 0) {
                closedir(d);
                return 0;
            }
        }
        closedir(d);
    }
    return -1;
}

static int eval_clips(const eval_opts *e, const char *csv)
{
    FILE *f = fopen(csv, "r");
    char line[4096];
    int lineno = 0, flame_pos = 0, flame_hit = 0, smoke_pos = 0, smoke_hit = 0, negatives = 0;
    int neg_alerting = 0, dust_clips = 0, clips = 0;
    int64_t neg_alerts = 0;
    double neg_s = 0, delay_sum[2] = {0, 0};
    if (!f) {
        hy_app_error("eval: %s: cannot open", csv);
        return HY_EXIT_FAILURE;
    }
    while (fgets(line, sizeof(line), f)) {
        char path[4096], *fields[4], *save = NULL, *tok;
        int nf = 0, smoke, flame;
        run r;
        double first[3] = {-1, -1, -1}; /* flame, smoke, dust */
        int64_t alerts[3] = {0, 0, 0};
        line[strcspn(line, "\r\n")] = '\0';
        if (lineno++ == 0 || !line[0])
            continue; /* the header */
        for (tok = strtok_r(line, ",", &save); tok && nf < 4; tok = strtok_r(NULL, ",", &save))
            fields[nf++] = tok;
        if (nf < 4 || (strcmp(fields[2], "0") && strcmp(fields[2], "1")) ||
            (strcmp(fields[3], "0") && strcmp(fields[3], "1"))) {
            hy_app_error("eval: %s: line %d: want path,label,smoke (0/1),flame (0/1),...", csv,
                         lineno);
            fclose(f);
            return HY_EXIT_FAILURE;
        }
        smoke = fields[2][0] == '1';
        flame = fields[3][0] == '1';
        if (find_clip(csv, fields[0], path, sizeof(path)) != 0) {
            hy_app_error("eval: %s: line %d: %s: no such clip beside the list", csv, lineno,
                         fields[0]);
            fclose(f);
            return HY_EXIT_FAILURE;
        }
        if (run_video(e, path, e->persist_k, e->persist_n, DET_FLAME | DET_SMOKE | DET_DUST, &r) !=
            0) {
            fclose(f);
            return HY_EXIT_FAILURE;
        }
        /* an alert: confirmed frames of one kind with gaps of at most 2 s, or of two analysis
         * intervals (a sequence, as pyronear's server groups detections); a longer quiet spell
         * ends it */
        const double gap_s = e->every_s > 1 ? 2 * e->every_s : 2;
        const int64_t gap = r.fps > 0 ? (int64_t)(gap_s * r.fps) : (int64_t)(25 * gap_s);
        for (int k = 0; k < 3; k++) {
            const hy_kind kind = k == 2 ? HY_KIND_DUST : k ? HY_KIND_SMOKE : HY_KIND_FIRE;
            int64_t last = -1;
            for (size_t i = 0; i < r.dets.n; i++) {
                const hy_detection *d = &r.dets.v[i];
                if (d->kind != kind)
                    continue;
                if (first[k] < 0)
                    first[k] = r.fps > 0 ? d->frame / r.fps : 0;
                if (last < 0 || d->frame > last + gap)
                    alerts[k]++;
                last = d->frame;
            }
        }
        if (flame) {
            flame_pos++;
            flame_hit += alerts[0] > 0;
            if (alerts[0] > 0)
                delay_sum[0] += first[0];
        }
        if (smoke) {
            smoke_pos++;
            smoke_hit += alerts[1] > 0;
            if (alerts[1] > 0)
                delay_sum[1] += first[1];
        }
        clips++;
        dust_clips += alerts[2] > 0; /* no clip is labelled dust: each of these is a false one */
        if (!smoke && !flame) {
            negatives++;
            neg_alerting += alerts[0] + alerts[1] > 0;
            neg_alerts += alerts[0] + alerts[1];
            neg_s += r.duration_s;
        }
        if (e->json) {
            printf("{\"data\":\"%s\",\"kind\":\"clip\",\"smoke\":%d,\"flame\":%d,\"frames\":%lld,"
                   "\"duration_s\":%.2f,\"flame_alerts\":%lld,\"first_flame_s\":%.3f,"
                   "\"smoke_alerts\":%lld,\"first_smoke_s\":%.3f,\"dust_alerts\":%lld}\n",
                   path, smoke, flame, (long long)r.frames, r.duration_s, (long long)alerts[0],
                   first[0], (long long)alerts[1], first[1], (long long)alerts[2]);
        } else {
            const int any = alerts[0] + alerts[1] > 0;
            printf("  %-52s smoke %d flame %d  %5lld frames %7.1f s  flame alerts %lld, smoke "
                   "alerts %lld, dust alerts %lld",
                   fields[0], smoke, flame, (long long)r.frames, r.duration_s, (long long)alerts[0],
                   (long long)alerts[1], (long long)alerts[2]);
            printf("%s%s%s\n", !smoke && !flame && any ? "  FALSE ALERT" : "",
                   flame && !alerts[0] ? "  FLAME MISSED" : "",
                   smoke && !alerts[1] ? "  SMOKE MISSED" : "");
        }
        hy_detections_free(e->ctx, &r.dets);
    }
    fclose(f);
    if (!e->json)
        printf("%s: flame clips detected %d of %d (mean delay %.2f s); smoke clips detected %d "
               "of %d (mean delay %.2f s); negative clips with a confirmed alert %d of %d, %lld "
               "alerts in %.1f min of negative video (%.1f per hour)\n",
               csv, flame_hit, flame_pos, flame_hit ? delay_sum[0] / flame_hit : NAN, smoke_hit,
               smoke_pos, smoke_hit ? delay_sum[1] / smoke_hit : NAN, neg_alerting, negatives,
               (long long)neg_alerts, neg_s / 60, neg_s > 0 ? neg_alerts * 3600.0 / neg_s : 0);
    if (!e->json)
        printf("%s: dust (no clip is labelled dust): alerts on %d of %d clips\n", csv, dust_clips,
               clips);
    return HY_EXIT_OK;
}

static int is_image(const char *name)
{
    const char *dot = strrchr(name, '.');
    return dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
                   strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".bmp") == 0);
}

static int eval_images(const eval_opts *e, const char *dir)
{
    const char *base = strrchr(dir, '/');
    const char *label = e->label ? e->label : base ? base + 1 : dir;
    int want, n = 0, right = 0, det;
    char **names;
    size_t nn = 0;
    if (strcmp(label, "fire") == 0 || strcmp(label, "non_fire") == 0) {
        want = strcmp(label, "fire") == 0;
        det = DET_FLAME;
    } else if (strcmp(label, "dust") == 0 || strcmp(label, "no_dust") == 0) {
        want = strcmp(label, "dust") == 0;
        det = DET_DUST;
    } else {
        hy_app_error("eval: %s: label \"%s\": name the folder fire, non_fire or dust, or give "
                     "--label (fire, non_fire, dust, no_dust)",
                     dir, label);
        return HY_EXIT_USAGE;
    }
    names = list_images(dir, &nn);
    if (!names) {
        hy_app_error("eval: %s: cannot open, or no pictures in it", dir);
        return HY_EXIT_FAILURE;
    }
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        run r;
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        n++;
        if (run_video(e, path, 1, 1, det, &r) != 0) {
            printf("  %s: cannot be read, counted as a miss\n", names[i]);
        } else {
            const int got = r.dets.n > 0;
            right += got == want;
            if (got != want && det == DET_FLAME)
                printf("  %s: %s\n", names[i],
                       want ? "missed (no flame-coloured region)"
                            : "false alarm (a flame-coloured region)");
            else if (got != want && want)
                printf("  %s: missed (too little haze low in the picture, or haze above too)\n",
                       names[i]);
            else if (got != want)
                printf("  %s: false alarm (%s)\n", names[i], r.dets.v[0].tests);
            hy_detections_free(e->ctx, &r.dets);
        }
        free(names[i]);
    }
    free(names);
    if (e->json)
        printf("{\"data\":\"%s\",\"kind\":\"images\",\"label\":\"%s\",\"images\":%d,"
               "\"right\":%d}\n",
               dir, label, n, right);
    else
        printf("%s (%s): %d of %d images right (accuracy %.3f)\n", dir, label, right, n,
               n ? (double)right / n : NAN);
    return HY_EXIT_OK;
}

int hy_cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {{"boxes", required_argument, NULL, 'b'},
                                         {"label", required_argument, NULL, 'l'},
                                         {"masks", required_argument, NULL, 'm'},
                                         {"detect", required_argument, NULL, 'd'},
                                         {"persist", required_argument, NULL, 'p'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"soft-edge", required_argument, NULL, 's'},
                                         {"flicker", required_argument, NULL, 'f'},
                                         {"area-change", required_argument, NULL, 'a'},
                                         {"smoke-colour", required_argument, NULL, 'c'},
                                         {"view-change", required_argument, NULL, 'V'},
                                         {"every", required_argument, NULL, 'e'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    eval_opts e;
    int c, verbose = 0, quiet = 0, rc = HY_EXIT_OK;
    memset(&e, 0, sizeof(e));
    e.persist_k = 3;
    e.persist_n = 5;
    e.soft_edge = -1;
    e.view_change = -1;
    e.area_change = 0.1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "vqh", opts, NULL)) != -1) {
        switch (c) {
        case 'b':
            e.boxes = optarg;
            break;
        case 'm':
            e.masks = optarg;
            break;
        case 'd':
            e.detect = strcmp(optarg, "flame") == 0   ? DET_FLAME
                       : strcmp(optarg, "smoke") == 0 ? DET_SMOKE
                                                      : 0;
            if (!e.detect) {
                hy_app_error("eval: --detect %s: expected flame or smoke", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'l':
            e.label = optarg;
            break;
        case 'p':
            if (hy_persist_parse(optarg, 31, &e.persist_k, &e.persist_n, &e.hold_k) != 0) {
                hy_app_error(
                    "eval: --persist %s: expected K/N or K/N/H with 1 <= H <= K <= N <= 31",
                    optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'j':
            e.json = 1;
            break;
        case 's': {
            char *end;
            e.soft_edge = strtod(optarg, &end);
            if (*end || !(e.soft_edge > 0 && e.soft_edge <= 1)) {
                hy_app_error("eval: --soft-edge %s: expected a ratio in (0, 1]", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        }
        case 'e': {
            char *end;
            e.every_s = strtod(optarg, &end);
            if (end == optarg || *end || !(e.every_s >= 0 && e.every_s <= 86400)) {
                hy_app_error("eval: --every %s: expected seconds in [0, 86400]", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        }
        case 'V':
            if ((e.view_change = hy_view_change_parse(optarg)) < 0) {
                hy_app_error("eval: --view-change %s: expected a share in (0, 1], or off", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'c': {
            const int named = hy_app_smoke_colour_named(optarg);
            if (named < 0) {
                hy_app_error("eval: --smoke-colour %s: expected genovese or toreyin", optarg);
                return HY_EXIT_USAGE;
            }
            e.smoke_colour = (hy_smoke_colour)named;
            break;
        }
        case 'f':
            if (sscanf(optarg, "%d%c", &e.flicker_k, &(char){0}) != 1 || e.flicker_k < 0) {
                hy_app_error("eval: --flicker %s: expected a count of frames, 0 or more", optarg);
                return HY_EXIT_USAGE;
            }
            break;
        case 'a': {
            int got = sscanf(optarg, "%d/%lf%c", &e.area_k, &e.area_change, &(char){0});
            if (!(got == 1 || got == 2) || (got == 1 && strchr(optarg, '/')) || e.area_k < 0 ||
                !(e.area_change >= 0 && e.area_change <= 1)) {
                hy_app_error("eval: --area-change %s: expected K or K/SHARE, a count of frames "
                             "and a share in [0, 1]",
                             optarg);
                return HY_EXIT_USAGE;
            }
            break;
        }
        case 'v':
            verbose = 1;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            eval_usage(stdout);
            return HY_EXIT_OK;
        default:
            eval_usage(stderr);
            return HY_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        hy_app_error("eval: no DATA given");
        eval_usage(stderr);
        return HY_EXIT_USAGE;
    }
    if (e.flicker_k > e.persist_n || e.area_k > e.persist_n) {
        hy_app_error("eval: --flicker %d and --area-change %d: at most N of --persist K/N (%d)",
                     e.flicker_k, e.area_k, e.persist_n);
        return HY_EXIT_USAGE;
    }
    if ((e.boxes || e.masks) && argc - optind > 1) {
        hy_app_error("eval: --boxes and --masks go with one VIDEO (got %d)", argc - optind);
        return HY_EXIT_USAGE;
    }
    if ((rc = hy_app_ctx(verbose, quiet, &e.ctx)) != HY_EXIT_OK)
        return rc;
    hy_video_set_ffmpeg_verbosity(verbose ? 2 : 0);
    for (int i = optind; i < argc && rc == HY_EXIT_OK; i++) {
        const char *data = argv[i];
        struct stat sb;
        const char *dot = strrchr(data, '.');
        if (stat(data, &sb) != 0) {
            hy_app_error("eval: %s: no such file or folder", data);
            rc = HY_EXIT_FAILURE;
        } else if (e.every_s > 0 && (S_ISDIR(sb.st_mode) || !dot || strcasecmp(dot, ".csv") != 0)) {
            hy_app_error("eval: %s: --every goes with clip lists (per-frame truth and pictures are "
                         "scored frame by frame)",
                         data);
            rc = HY_EXIT_USAGE;
        } else if (S_ISDIR(sb.st_mode)) {
            rc = eval_images(&e, data);
        } else if (dot && strcasecmp(dot, ".csv") == 0) {
            rc = eval_clips(&e, data);
        } else if (e.masks) {
            rc = eval_masks(&e, data, e.masks);
        } else {
            char xml[4096];
            if (e.boxes) {
                snprintf(xml, sizeof(xml), "%s", e.boxes);
            } else {
                snprintf(xml, sizeof(xml), "%.*s.xml", dot ? (int)(dot - data) : (int)strlen(data),
                         data);
                if (stat(xml, &sb) != 0) {
                    hy_app_error("eval: %s: no box file %s beside it (give --boxes FILE)", data,
                                 xml);
                    rc = HY_EXIT_FAILURE;
                    break;
                }
            }
            rc = eval_boxes(&e, data, xml);
        }
    }
    hy_ctx_destroy(e.ctx);
    return rc;
}
