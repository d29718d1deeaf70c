/* ingest/snapshot.c - snapshot cameras: an HTTP(S) URL polled for a JPEG (libcurl, with a
 * deadline on every fetch), decoded with TurboJPEG and scaled to the analysis size, handed
 * out as the same hy_frame a video stream gives. A failed fetch (refused, timed out, an HTTP
 * error, not a JPEG) is retried with the stream's backoff; the loss and the return are logged
 * once each. */
#include "ingest/ingest.h"

#include "cv/cv.h"

#include <curl/curl.h>
#include <turbojpeg.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_JPEG (32u << 20)

struct hy_snapshot {
    const hy_ctx *ctx;
    hy_snapshot_config cfg;
    char *url;
    CURL *curl;
    tjhandle tj;
    unsigned char *body;
    size_t len, cap;
    hy_frame out;
    hy_image full; /* the decoded picture, interleaved into planes */
    int64_t fetched;
    double t0_s;       /* monotonic seconds of the first fetch */
    double next_due_s; /* monotonic seconds of the next fetch */
    int down;          /* the last fetch failed */
    unsigned seed;
    char err[1024];
};

static void sleep_s(double s)
{
    struct timespec ts;
    if (s <= 0)
        return;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL);
}

void hy_snapshot_config_init(hy_snapshot_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->every_s = 2;
    cfg->timeout_s = 10;
    cfg->reconnect = -1;
    cfg->backoff_max_s = 60;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    hy_snapshot *s = user;
    size_t add = size * n;
    if (s->len + add > MAX_JPEG)
        return 0; /* too big: abort the transfer */
    if (s->len + add > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        unsigned char *b;
        while (cap < s->len + add)
            cap *= 2;
        b = hy__realloc(s->ctx, s->body, cap);
        if (!b)
            return 0;
        s->body = b;
        s->cap = cap;
    }
    memcpy(s->body + s->len, data, add);
    s->len += add;
    return add;
}

hy_status hy_snapshot_open(const hy_ctx *ctx, const hy_snapshot_config *cfg, hy_snapshot **out)
{
    hy_snapshot *s;
    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !cfg->url || !(cfg->every_s >= 0) || !(cfg->timeout_s >= 0) ||
        cfg->reconnect < -1 || !(cfg->backoff_max_s > 0) || cfg->out_width < 0 ||
        cfg->out_height < 0 || (!cfg->out_width != !cfg->out_height) || cfg->max_width < 0)
        return HY_EINVAL;
    pthread_once(&curl_once, curl_init);
    s = hy__calloc(ctx, 1, sizeof(*s));
    if (!s)
        return HY_ENOMEM;
    s->ctx = ctx;
    s->cfg = *cfg;
    s->url = hy__strdup(ctx, cfg->url);
    s->curl = curl_easy_init();
    s->tj = tjInitDecompress();
    if (!s->url || !s->curl || !s->tj) {
        hy_snapshot_destroy(s);
        return HY_ENOMEM;
    }
    s->cfg.url = s->url;
    s->seed = (unsigned)(hy_time_mono() * 1e6);
    curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
    curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(s->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(s->curl, CURLOPT_FAILONERROR, 1L);
    if (cfg->timeout_s > 0)
        curl_easy_setopt(s->curl, CURLOPT_TIMEOUT_MS, (long)(cfg->timeout_s * 1000));
    *out = s;
    return HY_OK;
}

/* One fetch and decode into s->out. */
static hy_status fetch(hy_snapshot *s)
{
    CURLcode rc;
    int w, h, sub, cs;
    unsigned char *rgb;
    hy_status st;
    s->len = 0;
    rc = curl_easy_perform(s->curl);
    if (rc != CURLE_OK) {
        long code = 0;
        curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
        if (rc == CURLE_HTTP_RETURNED_ERROR)
            snprintf(s->err, sizeof(s->err), "%s: HTTP %ld", s->url, code);
        else
            snprintf(s->err, sizeof(s->err), "%s: %s", s->url, curl_easy_strerror(rc));
        return rc == CURLE_OPERATION_TIMEDOUT ? HY_ETIMEOUT : HY_EIO;
    }
    if (s->len < 4 || s->body[0] != 0xFF || s->body[1] != 0xD8 ||
        tjDecompressHeader3(s->tj, s->body, s->len, &w, &h, &sub, &cs) != 0 || w <= 0 || h <= 0 ||
        w > 16384 || h > 16384) {
        snprintf(s->err, sizeof(s->err), "%s: the answer (%zu bytes) is not a JPEG picture", s->url,
                 s->len);
        return HY_EFORMAT;
    }
    rgb = hy__malloc(s->ctx, (size_t)w * (size_t)h * 3);
    if (!rgb)
        return HY_ENOMEM;
    if (tjDecompress2(s->tj, s->body, s->len, rgb, w, 0, h, TJPF_RGB, TJFLAG_ACCURATEDCT) != 0) {
        snprintf(s->err, sizeof(s->err), "%s: corrupt JPEG: %s", s->url, tjGetErrorStr2(s->tj));
        hy__free(s->ctx, rgb);
        return HY_EFORMAT;
    }
    if (s->full.plane[0] && (s->full.width != w || s->full.height != h))
        hy_image_free(s->ctx, &s->full);
    if (!s->full.plane[0] && (st = hy_image_alloc(s->ctx, w, h, HY_PIX_RGBP, &s->full)) != HY_OK) {
        hy__free(s->ctx, rgb);
        return st;
    }
    for (int y = 0; y < h; y++) {
        const unsigned char *row = rgb + (size_t)y * (size_t)w * 3;
        uint8_t *r = hy_image_at(&s->full, 0, 0, y), *g = hy_image_at(&s->full, 1, 0, y);
        uint8_t *b = hy_image_at(&s->full, 2, 0, y);
        for (int x = 0; x < w; x++) {
            r[x] = row[3 * x];
            g[x] = row[3 * x + 1];
            b[x] = row[3 * x + 2];
        }
    }
    hy__free(s->ctx, rgb);
    {
        int ow = s->cfg.out_width, oh = s->cfg.out_height;
        if (!ow) {
            ow = w, oh = h;
            if (s->cfg.max_width && w > s->cfg.max_width) {
                ow = s->cfg.max_width;
                oh = (int)((double)h * ow / w + 0.5) & ~1;
                if (oh < 2)
                    oh = 2;
            }
        }
        hy_image_free(s->ctx, &s->out.image);
        if (ow == w && oh == h)
            st = hy_image_alloc(s->ctx, w, h, HY_PIX_RGBP, &s->out.image) == HY_OK ? HY_OK
                                                                                   : HY_ENOMEM;
        else
            st = hy_cv_resize(s->ctx, &s->full, ow, oh, HY_CV_INTER_AREA, &s->out.image);
        if (st != HY_OK)
            return st;
        if (ow == w && oh == h)
            for (int p = 0; p < 3; p++)
                for (int y = 0; y < h; y++)
                    memcpy(hy_image_at(&s->out.image, p, 0, y), hy_image_at(&s->full, p, 0, y),
                           (size_t)w);
    }
    s->out.src_width = w;
    s->out.src_height = h;
    return HY_OK;
}

hy_status hy_snapshot_read(hy_snapshot *s, const hy_frame **frame)
{
    double delay = 1, now;
    int attempts = 0;
    if (!s || !frame)
        return HY_EINVAL;
    *frame = NULL;
    if (s->cfg.frames > 0 && s->fetched >= s->cfg.frames)
        return HY_EEOF;
    now = hy_time_mono();
    if (s->fetched > 0)
        sleep_s(s->next_due_s - now);
    for (;;) {
        hy_status st = fetch(s);
        if (st == HY_OK)
            break;
        if (st == HY_ENOMEM)
            return st;
        if (!s->down) {
            hy__log(s->ctx, HY_LOG_WARN, "%s: lost (%s); retrying", s->url, s->err);
            s->down = 1;
        }
        if (s->cfg.reconnect >= 0 && attempts >= s->cfg.reconnect) {
            snprintf(s->err + strlen(s->err), sizeof(s->err) - strlen(s->err),
                     " (gave up after %d retries)", attempts);
            return st;
        }
        attempts++;
        sleep_s((delay < s->cfg.backoff_max_s ? delay : s->cfg.backoff_max_s) *
                (0.8 + 0.4 * (rand_r(&s->seed) / (double)RAND_MAX)));
        delay *= 2;
    }
    if (s->down) {
        hy__log(s->ctx, HY_LOG_INFO, "%s: back after %d retr%s", s->url, attempts,
                attempts == 1 ? "y" : "ies");
        s->down = 0;
    }
    now = hy_time_mono();
    if (s->fetched == 0)
        s->t0_s = now;
    s->next_due_s = now + s->cfg.every_s;
    s->out.index = s->fetched++;
    s->out.pts_s = now - s->t0_s;
    s->out.time = hy_time_now();
    *frame = &s->out;
    return HY_OK;
}

const hy_image *hy_snapshot_full_frame(const hy_snapshot *s)
{
    return s && s->full.plane[0] ? &s->full : NULL;
}

int64_t hy_snapshot_fetched(const hy_snapshot *s)
{
    return s ? s->fetched : 0;
}

const char *hy_snapshot_errmsg(const hy_snapshot *s)
{
    return s ? s->err : "no snapshot camera";
}

void hy_snapshot_destroy(hy_snapshot *s)
{
    if (!s)
        return;
    if (s->curl)
        curl_easy_cleanup(s->curl);
    if (s->tj)
        tjDestroy(s->tj);
    hy_image_free(s->ctx, &s->out.image);
    hy_image_free(s->ctx, &s->full);
    hy__free(s->ctx, s->body);
    hy__free(s->ctx, s->url);
    hy__free(s->ctx, s);
}
