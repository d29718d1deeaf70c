/* ingest/video.c - camera streams and video files through libavformat/libavcodec, scaled
 * once to the analysis size into planar RGB: by the box kernel (ingest/kernels) when the frame
 * is 8-bit 4:2:0 a whole number of times the analysis size (1280x720, 1920x1080, 2560x1440 and
 * 3840x2160 to 640x360), by libswscale otherwise. Every blocking call runs under a
 * deadline (FFmpeg's interrupt callback), so a silent camera fails instead of hanging; a live
 * source that is lost is reopened with exponential backoff and jitter. */
#include "ingest/ingest.h"
#include "ingest/ingest_internal.h"
#include "ingest/kernels/kernels.h"

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct hy_video {
    const hy_ctx *ctx;
    hy_video_config cfg;
    char *url;
    AVFormatContext *fmt;
    AVCodecContext *dec;
    AVPacket *pkt;
    AVFrame *frame;
    AVFrame *kept; /* the last analysed frame at full resolution (a reference) */
    struct SwsContext *sws, *sws_full;
    hy__ingest_kernels k;
    void *box_scratch; /* the box kernel's row sums; NULL until the first frame it scales */
    int box_f;         /* the factor box_scratch was made for */
    /* Scaling as the decoder goes (decoders that report finished rows: H.264, MPEG-2/4):
     * out.image holds the rows of the picture whose Y plane is band_src scaled so far. */
    int band_on;              /* the picture being decoded is to be analysed */
    const uint8_t *band_src;  /* NULL: out.image holds no decoder's rows */
    int band_fac, band_full;  /* the box factor and range they were scaled with */
    int band_rows, band_luma; /* output rows done; luma rows reported finished */
    int64_t band_frames;      /* analysed frames scaled as they were decoded */
    double decode_s, scale_s; /* seconds in the decoder (less scaling in it), and scaling */
    int stream;
    int out_w, out_h;
    int64_t decoded;   /* frames out of the decoder so far */
    double next_due_s; /* stream time of the next frame to analyse; -inf: the first decoded */
    int64_t time0;     /* UTC of stream time 0 */
    int draining, eof;
    int key_pending;   /* a lone key frame was sent and has not come out yet */
    int flushing;      /* a lone key frame was sent with a drain: flush when it is out */
    int guessed_first; /* the first analysed frame had no timestamp */
    double deadline_s; /* monotonic; 0: none */
    int live;          /* a network source: reconnect when lost */
    int key_only;      /* only key frames are sent to the decoder now (HY_DECODE_AUTO) */
    int keys_seen;     /* key packets with a time since the connection opened: 0, 1, 2+ */
    double last_key_s; /* stream time of the last of them */
    double key_gap_s;  /* the last interval between them */
    int reconnects;    /* successful reopenings */
    double pts_offset; /* stream time of the current connection's time 0 */
    double last_pts;   /* of the last decoded frame, in the continuous timeline */
    unsigned jitter_seed;
    hy_video_info info;
    hy_frame out;
    char err[1024];
};

static void band_ready(AVCodecContext *dec, const AVFrame *src, int offset[AV_NUM_DATA_POINTERS],
                       int y, int type, int height);

static void set_err(hy_video *v, int averr, const char *what)
{
    char buf[AV_ERROR_MAX_STRING_SIZE] = "";
    if (averr)
        av_strerror(averr, buf, sizeof(buf));
    snprintf(v->err, sizeof(v->err), "%s: %s%s%s", v->url, what, averr ? ": " : "", buf);
}

void hy_video_config_init(hy_video_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->start_time = HY_TIME_NONE;
    cfg->timeout_s = 10;
    cfg->backoff_max_s = 60;
}

/* FFmpeg asks this during blocking I/O: non-zero aborts the call with AVERROR_EXIT. */
static int interrupted(void *opaque)
{
    const hy_video *v = opaque;
    return v->deadline_s > 0 && hy_time_mono() > v->deadline_s;
}

/* Start the clock for the next blocking call. */
static void arm(hy_video *v)
{
    v->deadline_s = v->cfg.timeout_s > 0 ? hy_time_mono() + v->cfg.timeout_s : 0;
}

/* UTC of stream time 0: the container's creation_time, else (a live URL) now, else the file's
 * modification time less its duration. */
static int64_t stream_epoch(hy_video *v)
{
    AVDictionaryEntry *e = av_dict_get(v->fmt->metadata, "creation_time", NULL, 0);
    int64_t t;
    struct stat sb;
    if (e && hy_time_parse(e->value, &t) == HY_OK)
        return t;
    if (v->fmt->start_time_realtime != AV_NOPTS_VALUE && v->fmt->start_time_realtime > 0)
        return v->fmt->start_time_realtime;
    if (strstr(v->url, "://") == NULL && stat(v->url, &sb) == 0)
        return (int64_t)sb.st_mtime * 1000000 - (int64_t)(v->info.duration_s * 1e6);
    return hy_time_now();
}

/* Open the source and its decoder into v (the first time, or reconnecting): v->fmt, v->dec,
 * v->stream and the frame size in v->info. */
static hy_status open_input(hy_video *v)
{
    const AVCodec *codec = NULL;
    AVStream *st;
    int ret;
    v->fmt = avformat_alloc_context();
    if (!v->fmt)
        return HY_ENOMEM;
    v->fmt->interrupt_callback.callback = interrupted;
    v->fmt->interrupt_callback.opaque = v;
    arm(v);
    if ((ret = avformat_open_input(&v->fmt, v->url, NULL, NULL)) < 0) {
        set_err(v, ret == AVERROR_EXIT ? 0 : ret,
                ret == AVERROR_EXIT ? "cannot open: no answer within the timeout" : "cannot open");
        return ret == AVERROR_EXIT ? HY_ETIMEOUT : HY_EIO;
    }
    arm(v);
    if ((ret = avformat_find_stream_info(v->fmt, NULL)) < 0) {
        set_err(v, ret == AVERROR_EXIT ? 0 : ret,
                ret == AVERROR_EXIT ? "no stream information within the timeout"
                                    : "cannot read stream information");
        return ret == AVERROR_EXIT ? HY_ETIMEOUT : HY_EFORMAT;
    }
    ret = av_find_best_stream(v->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (ret < 0 || !codec) {
        set_err(v, ret, "no decodable video stream");
        return HY_EFORMAT;
    }
    v->stream = ret;
    st = v->fmt->streams[v->stream];
    v->dec = avcodec_alloc_context3(codec);
    if (!v->dec)
        return HY_ENOMEM;
    v->dec->opaque = v;
    v->dec->draw_horiz_band = band_ready;
    v->band_src = NULL;
    v->info.fps = st->avg_frame_rate.den ? av_q2d(st->avg_frame_rate) : 0;
    if (v->cfg.decode == HY_DECODE_KEY)
        v->dec->skip_frame = AVDISCARD_NONKEY;
    else if (v->cfg.decode == HY_DECODE_AUTO && v->info.fps > 0 &&
             v->cfg.every_s * v->info.fps >= 2)
        v->dec->skip_frame = AVDISCARD_NONREF; /* nothing needs them, and they are not due */
    v->key_only = 0; /* a new connection learns its key-frame interval again */
    v->flushing = 0;
    v->key_pending = 0;
    v->keys_seen = 0;
    if ((ret = avcodec_parameters_to_context(v->dec, st->codecpar)) < 0 ||
        (ret = avcodec_open2(v->dec, codec, NULL)) < 0) {
        set_err(v, ret, "cannot open the decoder");
        return HY_EFORMAT;
    }
    if (v->dec->width <= 0 || v->dec->height <= 0) {
        set_err(v, 0, "the video stream has no frame size");
        return HY_EFORMAT;
    }
    v->info.width = v->dec->width;
    v->info.height = v->dec->height;
    v->info.duration_s = v->fmt->duration > 0 ? v->fmt->duration / (double)AV_TIME_BASE : 0;
    v->info.codec = codec->name;
    v->draining = 0;
    return HY_OK;
}

static void close_input(hy_video *v)
{
    avcodec_free_context(&v->dec);
    avformat_close_input(&v->fmt);
}

hy_status hy_video_open(const hy_ctx *ctx, const hy_video_config *cfg, hy_video **out)
{
    hy_video *v;
    hy_status status = HY_EIO;

    if (!out)
        return HY_EINVAL;
    *out = NULL;
    if (!ctx || !cfg || !cfg->url || cfg->every_s < 0 || cfg->out_width < 0 ||
        cfg->out_height < 0 || cfg->max_width < 0 || (!cfg->out_width != !cfg->out_height) ||
        !(cfg->timeout_s >= 0) || cfg->reconnect < -1 || !(cfg->backoff_max_s > 0))
        return HY_EINVAL;
    v = hy__calloc(ctx, 1, sizeof(*v));
    if (!v)
        return HY_ENOMEM;
    v->ctx = ctx;
    v->cfg = *cfg;
    v->url = hy__strdup(ctx, cfg->url);
    v->pkt = av_packet_alloc();
    v->frame = av_frame_alloc();
    v->kept = av_frame_alloc();
    if (!v->url || !v->pkt || !v->frame || !v->kept) {
        status = HY_ENOMEM;
        goto fail;
    }
    v->cfg.url = v->url;
    hy__ingest_kernels_init(&v->k, hy_ctx_cpu_flags(ctx));
    /* the grid of due times starts at the first frame, whatever its time: an RTSP stream's
     * first frame may lie before its start time (B frames), or its first packet have none */
    v->next_due_s = -INFINITY;
    v->live = strstr(v->url, "://") != NULL && strncmp(v->url, "file:", 5) != 0;
    v->jitter_seed = (unsigned)(hy_time_mono() * 1e6);
    if ((status = open_input(v)) != HY_OK)
        goto fail;
    v->out_w = cfg->out_width ? cfg->out_width : v->info.width;
    v->out_h = cfg->out_height ? cfg->out_height : v->info.height;
    if (!cfg->out_width && cfg->max_width && v->info.width > cfg->max_width) {
        v->out_w = cfg->max_width;
        v->out_h = (int)((double)v->info.height * cfg->max_width / v->info.width + 0.5) & ~1;
        if (v->out_h < 2)
            v->out_h = 2;
    }
    v->time0 = cfg->start_time != HY_TIME_NONE ? cfg->start_time : stream_epoch(v);
    if ((status = hy_image_alloc(ctx, v->out_w, v->out_h, HY_PIX_RGBP, &v->out.image)) != HY_OK)
        goto fail;
    *out = v;
    return HY_OK;
fail:
    hy__log(ctx, HY_LOG_ERROR, "%s", v->err[0] ? v->err : "hy_video_open: out of memory");
    hy_video_destroy(v);
    return status;
}

/* A live source was lost (why: the status and v->err): reopen it with backoff. HY_OK when it
 * is back; the last failure's status when the attempts ran out. */
static hy_status reconnect(hy_video *v, hy_status why)
{
    double delay = 1;
    char lost[1024];
    snprintf(lost, sizeof(lost), "%s", v->err);
    hy__log(v->ctx, HY_LOG_WARN, "%s: lost (%s); reconnecting", v->url,
            why == HY_EEOF ? "the stream ended" : lost);
    for (int attempt = 1; v->cfg.reconnect < 0 || attempt <= v->cfg.reconnect; attempt++) {
        const double jitter = 0.8 + 0.4 * (rand_r(&v->jitter_seed) / (double)RAND_MAX);
        const double wait = (delay < v->cfg.backoff_max_s ? delay : v->cfg.backoff_max_s) * jitter;
        struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
        hy_status st;
        nanosleep(&ts, NULL);
        close_input(v);
        st = open_input(v);
        if (st == HY_OK) {
            /* the new connection's time 0 follows the last frame: indices and times go on */
            v->pts_offset = v->last_pts + (v->info.fps > 0 ? 1 / v->info.fps : 0.04);
            v->time0 = hy_time_now() - (int64_t)(v->pts_offset * 1e6);
            v->reconnects++;
            hy__log(v->ctx, HY_LOG_INFO, "%s: back after %d attempt%s", v->url, attempt,
                    attempt > 1 ? "s" : "");
            return HY_OK;
        }
        hy__log(v->ctx, HY_LOG_DEBUG, "%s: reconnect attempt %d failed: %s", v->url, attempt,
                v->err);
        why = st;
        delay *= 2;
    }
    snprintf(v->err + strlen(v->err), sizeof(v->err) - strlen(v->err),
             " (gave up after %d reconnect attempts)", v->cfg.reconnect);
    return why == HY_EEOF ? HY_EIO : why;
}

const hy_video_info *hy_video_info_get(const hy_video *v)
{
    return &v->info;
}

int64_t hy_video_frames_decoded(const hy_video *v)
{
    return v->decoded;
}

/* A frame's pixel format, with FFmpeg's YUVJ formats named as the YUV formats they are, and
 * whether its samples are full range (YUVJ, or flagged JPEG range). */
static enum AVPixelFormat plain_format(int format, enum AVColorRange range, int *full)
{
    static const struct {
        enum AVPixelFormat jpeg, plain;
    } map[] = {{AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUV420P},
               {AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUV422P},
               {AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUV444P},
               {AV_PIX_FMT_YUVJ440P, AV_PIX_FMT_YUV440P},
               {AV_PIX_FMT_YUVJ411P, AV_PIX_FMT_YUV411P}};
    *full = range == AVCOL_RANGE_JPEG;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (format == (int)map[i].jpeg) {
            *full = 1;
            return map[i].plain;
        }
    return format;
}

/* A converter from frame f to GBRP at w x h into *sws. YUVJ is passed as full-range YUV, so
 * libswscale does not warn about a deprecated format on every camera that sends MJPEG. */
static struct SwsContext *converter(struct SwsContext *sws, const AVFrame *f, int w, int h,
                                    int flags)
{
    int full;
    const enum AVPixelFormat fmt = plain_format(f->format, f->color_range, &full);
    sws = sws_getCachedContext(sws, f->width, f->height, fmt, w, h, AV_PIX_FMT_GBRP, flags, NULL,
                               NULL, NULL);
    if (sws) {
        const int *coef = sws_getCoefficients(SWS_CS_DEFAULT);
        sws_setColorspaceDetails(sws, coef, full, coef, 1, 0, 1 << 16, 1 << 16);
    }
    return sws;
}

hy_status hy_video_full_frame(hy_video *v, hy_image *out)
{
    AVFrame *f;
    uint8_t *dst[4];
    int stride[4];
    hy_status st;
    if (!v || !out)
        return HY_EINVAL;
    memset(out, 0, sizeof(*out));
    f = v->kept;
    if (!f || !f->data[0] || f->width <= 0 || f->height <= 0)
        return HY_ENOTFOUND;
    v->sws_full =
        converter(v->sws_full, f, f->width, f->height, SWS_POINT | SWS_BITEXACT | SWS_ACCURATE_RND);
    if (!v->sws_full)
        return HY_EFORMAT;
    if ((st = hy_image_alloc(v->ctx, f->width, f->height, HY_PIX_RGBP, out)) != HY_OK)
        return st;
    dst[0] = out->plane[1]; /* G */
    dst[1] = out->plane[2]; /* B */
    dst[2] = out->plane[0]; /* R */
    dst[3] = NULL;
    stride[0] = (int)out->stride[1];
    stride[1] = (int)out->stride[2];
    stride[2] = (int)out->stride[0];
    stride[3] = 0;
    sws_scale(v->sws_full, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, stride);
    return HY_OK;
}

int64_t hy__video_band_frames(const hy_video *v)
{
    return v ? v->band_frames : 0;
}

int hy_video_reconnects(const hy_video *v)
{
    return v ? v->reconnects : 0;
}

const char *hy_video_errmsg(const hy_video *v)
{
    return v ? v->err : "no video";
}

/* The box kernel's factor for a picture of this format and size, 0 when it does not apply: 8-bit
 * 4:2:0 at a whole multiple of the analysis size (the common camera resolutions). On a 1080p
 * frame libswscale takes 3.3-4.1 times as long (bench_kernels). *full: its range. */
static int box_factor(const hy_video *v, int format, enum AVColorRange range, int width, int height,
                      int *full)
{
    const int fac = v->out_w > 0 ? width / v->out_w : 0;
    return plain_format(format, range, full) == AV_PIX_FMT_YUV420P && fac >= 2 && fac <= 16 &&
                   width == fac * v->out_w && height == fac * v->out_h
               ? fac
               : 0;
}

/* Output rows y0 .. y1 - 1 of picture p (its Y, U and V planes) by the box kernel with factor
 * fac. The kernel takes the planes from the first row it makes, so fac y0 must be even: then its
 * chroma rows start at row fac y0 / 2, and the rows are those of the whole picture. */
static hy_status box_rows(hy_video *v, uint8_t *const p[], const int linesize[], int fac, int full,
                          int y0, int y1)
{
    const ptrdiff_t ss[3] = {linesize[0], linesize[1], linesize[2]};
    const uint8_t *src[3] = {p[0] + (ptrdiff_t)fac * y0 * ss[0],
                             p[1] + (ptrdiff_t)(fac * y0 / 2) * ss[1],
                             p[2] + (ptrdiff_t)(fac * y0 / 2) * ss[2]};
    const hy_image *o = &v->out.image;
    uint8_t *dst[3] = {o->plane[0] + (ptrdiff_t)y0 * (ptrdiff_t)o->stride[0],
                       o->plane[1] + (ptrdiff_t)y0 * (ptrdiff_t)o->stride[1],
                       o->plane[2] + (ptrdiff_t)y0 * (ptrdiff_t)o->stride[2]};
    const ptrdiff_t ds[3] = {(ptrdiff_t)o->stride[0], (ptrdiff_t)o->stride[1],
                             (ptrdiff_t)o->stride[2]};
    hy__yuv_coef coef;
    if (v->box_f != fac) {
        hy__free(v->ctx, v->box_scratch);
        v->box_scratch = hy__calloc(v->ctx, 1, hy__box420_scratch_size(fac, v->out_w));
        v->box_f = v->box_scratch ? fac : 0;
        if (!v->box_scratch) {
            snprintf(v->err, sizeof(v->err), "%s: out of memory", v->url);
            return HY_ENOMEM;
        }
    }
    hy__yuv_coef_bt601(&coef, full);
    v->k.box420(src, ss, fac, v->out_w, y1 - y0, &coef, dst, ds, v->box_scratch);
    return HY_OK;
}

/* FFmpeg's draw_horiz_band: rows y .. y + height - 1 of picture src are final (decoded and
 * deblocked), reported top to bottom. While the picture is to be analysed, the box kernel
 * scales each output row as soon as its source rows are final, in even numbers of rows: the
 * decoder has just written them, so they are read from the core's own caches (a 1080p picture
 * is 3 MB, more than the L2 holds; scaled after decoding, a key frame of the fog stream took
 * 0.88-1.03 ms, scaled this way 0.39-0.59 ms, docs/camera.md). convert() uses the rows only if
 * the picture that comes out is this one, complete, and was not repaired afterwards. */
static void band_ready(AVCodecContext *dec, const AVFrame *src, int offset[AV_NUM_DATA_POINTERS],
                       int y, int type, int height)
{
    hy_video *v = dec->opaque;
    int ready;
    (void)offset;
    (void)type;
    if (y == 0) { /* a new picture (or the second field of one) */
        v->band_src = NULL;
        if (!v->band_on || !(v->band_fac = box_factor(v, src->format, src->color_range, dec->width,
                                                      dec->height, &v->band_full)))
            return;
        v->band_src = src->data[0];
        v->band_rows = v->band_luma = 0;
    }
    if (!v->band_src || src->data[0] != v->band_src)
        return;
    if (y > v->band_luma) { /* rows were skipped (a damaged slice): not this way */
        v->band_src = NULL;
        return;
    }
    if (y + height > v->band_luma)
        v->band_luma = y + height;
    ready = v->band_luma / v->band_fac;
    if (ready < v->out_h)
        ready &= ~1; /* the next piece starts on an even row */
    else
        ready = v->out_h;
    if (ready > v->band_rows) {
        const double t0 = hy_time_mono();
        const hy_status st =
            box_rows(v, src->data, src->linesize, v->band_fac, v->band_full, v->band_rows, ready);
        v->scale_s += hy_time_mono() - t0;
        if (st != HY_OK) {
            v->band_src = NULL;
            return;
        }
        v->band_rows = ready;
    }
}

/* Scale the decoded frame into the output planes, unless its rows were scaled as it was
 * decoded. */
static hy_status convert(hy_video *v)
{
    AVFrame *f = v->frame;
    uint8_t *dst[4];
    int dst_stride[4];
    int fac, full;
    const uint8_t *band = v->band_src;

    if (f->width != v->info.width || f->height != v->info.height) {
        snprintf(v->err, sizeof(v->err), "%s: frame %lld is %dx%d, the stream is %dx%d", v->url,
                 (long long)v->decoded, f->width, f->height, v->info.width, v->info.height);
        return HY_EFORMAT;
    }
    v->band_src = NULL; /* out.image is this frame's now, either way */
    fac = box_factor(v, f->format, f->color_range, f->width, f->height, &full);
    if (fac && band == f->data[0] && v->band_rows == v->out_h && fac == v->band_fac &&
        full == v->band_full && !f->decode_error_flags && !(f->flags & AV_FRAME_FLAG_CORRUPT)) {
        v->band_frames++;
        return HY_OK;
    }
    if (fac)
        return box_rows(v, f->data, f->linesize, fac, full, 0, v->out_h);
    /* SWS_BITEXACT + ACCURATE_RND: the same pixels on every CPU, so results are reproducible. */
    v->sws =
        converter(v->sws, f, v->out_w, v->out_h, SWS_BILINEAR | SWS_BITEXACT | SWS_ACCURATE_RND);
    if (!v->sws) {
        snprintf(v->err, sizeof(v->err), "%s: cannot convert pixel format %s", v->url,
                 av_get_pix_fmt_name(f->format) ? av_get_pix_fmt_name(f->format) : "?");
        return HY_EFORMAT;
    }
    dst[0] = v->out.image.plane[1]; /* G */
    dst[1] = v->out.image.plane[2]; /* B */
    dst[2] = v->out.image.plane[0]; /* R */
    dst[3] = NULL;
    dst_stride[0] = (int)v->out.image.stride[1];
    dst_stride[1] = (int)v->out.image.stride[2];
    dst_stride[2] = (int)v->out.image.stride[0];
    dst_stride[3] = 0;
    sws_scale(v->sws, (const uint8_t *const *)f->data, f->linesize, 0, f->height, dst, dst_stride);
    return HY_OK;
}

/* avcodec_send_packet and avcodec_receive_frame, timed: decoding is the time in them less the
 * rows scaled meanwhile (band_ready). */
static int decode_send(hy_video *v, const AVPacket *pkt)
{
    const double s0 = v->scale_s, t0 = hy_time_mono();
    const int ret = avcodec_send_packet(v->dec, pkt);
    v->decode_s += hy_time_mono() - t0 - (v->scale_s - s0);
    return ret;
}

static int decode_receive(hy_video *v)
{
    const double s0 = v->scale_s, t0 = hy_time_mono();
    const int ret = avcodec_receive_frame(v->dec, v->frame);
    v->decode_s += hy_time_mono() - t0 - (v->scale_s - s0);
    return ret;
}

void hy_video_times(const hy_video *v, double *decode_s, double *scale_s)
{
    *decode_s = v ? v->decode_s : 0;
    *scale_s = v ? v->scale_s : 0;
}

/* A key frame, or an intra-coded one (what a key packet decodes to). */
static int frame_is_key(const AVFrame *f)
{
#ifdef AV_FRAME_FLAG_KEY
    const int key = (f->flags & AV_FRAME_FLAG_KEY) != 0;
#else
    const int key = f->key_frame;
#endif
    return key || f->pict_type == AV_PICTURE_TYPE_I;
}

/* Half a frame: stream times are rounded to the stream's time base. */
static double half_frame(const hy_video *v)
{
    return v->info.fps > 0 ? 0.5 / v->info.fps : 0.02;
}

/* Whether a frame at stream time t is due for analysis: at its due time, or half a frame
 * before. Decoding key frames only, the key frame (key) nearest the due time is, up to half a
 * key-frame interval before it: key frames need not fall on the grid of due times. */
static int is_due(const hy_video *v, double t, int key)
{
    double early = half_frame(v);
    if (key && (v->cfg.decode == HY_DECODE_KEY || v->key_only) && v->keys_seen >= 2 &&
        v->key_gap_s / 2 > early)
        early = v->key_gap_s / 2;
    return t + early >= v->next_due_s;
}

/* Whether a packet of the video stream goes to the decoder (hy_decode). Key packets' times
 * teach the key-frame interval, by which HY_DECODE_AUTO switches. */
static int wanted(hy_video *v, const AVPacket *pkt, const AVStream *st)
{
    const int key = (pkt->flags & AV_PKT_FLAG_KEY) != 0;
    const int64_t ts = pkt->pts != AV_NOPTS_VALUE ? pkt->pts : pkt->dts;
    const int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
    const double t =
        ts != AV_NOPTS_VALUE ? v->pts_offset + (ts - start) * av_q2d(st->time_base) : -1;
    const double slack = half_frame(v);
    int due;

    if (v->cfg.decode == HY_DECODE_ALL || (v->cfg.decode == HY_DECODE_AUTO && v->cfg.every_s <= 0))
        return 1;
    if (key && ts != AV_NOPTS_VALUE) {
        if (v->keys_seen > 0 && t > v->last_key_s) {
            v->key_gap_s = t - v->last_key_s;
            v->keys_seen = 2;
        } else {
            v->keys_seen = 1; /* the first, or time went back: start again */
        }
        v->last_key_s = t;
    }
    /* a key frame not yet due is not needed: no frame sent after it refers to it */
    due = ts == AV_NOPTS_VALUE || is_due(v, t, key);
    if (v->cfg.decode == HY_DECODE_KEY)
        return key && due;
    if (key && ts != AV_NOPTS_VALUE && v->keys_seen >= 2) {
        if (!v->key_only && v->key_gap_s <= v->cfg.every_s + slack) {
            v->key_only = 1;
            hy__log(v->ctx, HY_LOG_INFO,
                    "%s: a key frame every %.3g s, an analysed frame every %.3g s: decoding key "
                    "frames only",
                    v->url, v->key_gap_s, v->cfg.every_s);
            due = is_due(v, t, key);
        } else if (v->key_only && v->key_gap_s > v->cfg.every_s + slack) {
            v->key_only = 0;
            hy__log(v->ctx, HY_LOG_INFO,
                    "%s: key frames %.3g s apart, more than the analysis interval of %.3g s: "
                    "decoding every reference frame again",
                    v->url, v->key_gap_s, v->cfg.every_s);
            return 1;
        }
    }
    return !v->key_only || (key && due);
}

hy_status hy_video_read(hy_video *v, const hy_frame **frame)
{
    AVStream *st;
    int ret;

    if (!v || !frame)
        return HY_EINVAL;
    *frame = NULL;
    st = v->fmt->streams[v->stream];
    for (;;) {
        ret = decode_receive(v);
        if (ret == AVERROR(EAGAIN) && v->key_pending) {
            /* The decoder holds the lone key frame back (it reorders frames, or decodes several
             * at once on threads) and no other frame follows it in: drain it now, or it would
             * come out only has_b_frames key-frame intervals later, seconds on a live camera.
             * Draining ends in a flush, which makes H.264 rebuild its tables, so it is done only
             * when needed. */
            v->key_pending = 0;
            decode_send(v, NULL);
            v->flushing = 1;
            continue;
        }
        if (ret == 0) {
            int64_t ts = v->frame->best_effort_timestamp;
            int64_t start = st->start_time != AV_NOPTS_VALUE ? st->start_time : 0;
            double pts =
                v->pts_offset + (ts != AV_NOPTS_VALUE ? (ts - start) * av_q2d(st->time_base)
                                 : v->info.fps > 0    ? v->decoded / v->info.fps
                                                      : 0);
            int64_t index = v->decoded++;
            hy_status s;
            v->key_pending = 0;
            v->last_pts = pts;
            if (v->info.fps > 0 && (v->cfg.decode == HY_DECODE_KEY ||
                                    (v->cfg.decode == HY_DECODE_AUTO && v->cfg.every_s > 0)))
                index = pts > 0 ? (int64_t)(pts * v->info.fps + 0.5) : 0; /* skipped ones count */
            if (v->cfg.every_s > 0 && !is_due(v, pts, frame_is_key(v->frame))) {
                av_frame_unref(v->frame);
                continue;
            }
            /* on the grid of due times while frames come within an interval of theirs (a
             * skipped frame must not delay every later one); after a gap, from this frame. A
             * first frame without a timestamp (an RTSP stream's first packet may have none)
             * has a guessed time, so the grid starts at the next one. */
            if (v->cfg.every_s > 0 && isinf(v->next_due_s) && ts == AV_NOPTS_VALUE &&
                !v->guessed_first)
                v->guessed_first = 1;
            else if (v->cfg.every_s > 0)
                v->next_due_s = pts < v->next_due_s + v->cfg.every_s
                                    ? v->next_due_s + v->cfg.every_s
                                    : pts + v->cfg.every_s;
            {
                const double t0 = hy_time_mono();
                s = convert(v);
                v->scale_s += hy_time_mono() - t0;
            }
            av_frame_unref(v->kept);
            if (s == HY_OK)
                av_frame_move_ref(v->kept, v->frame); /* for evidence pictures, no copy */
            else
                av_frame_unref(v->frame);
            if (s != HY_OK)
                return s;
            v->out.index = index;
            v->out.pts_s = pts;
            v->out.time =
                v->time0 == HY_TIME_NONE ? HY_TIME_NONE : v->time0 + (int64_t)(pts * 1e6 + 0.5);
            v->out.src_width = v->info.width;
            v->out.src_height = v->info.height;
            *frame = &v->out;
            return HY_OK;
        }
        if (ret == AVERROR_EOF && v->flushing) { /* the lone key frame is out: go on */
            avcodec_flush_buffers(v->dec);
            v->flushing = 0;
            continue;
        }
        if (ret == AVERROR_EOF || (ret == AVERROR(EAGAIN) && v->draining)) {
            /* the end: of a file, or of a live stream that may come back */
            if (v->live && v->cfg.reconnect != 0) {
                hy_status r = reconnect(v, HY_EEOF);
                if (r != HY_OK)
                    return r;
                st = v->fmt->streams[v->stream];
                continue;
            }
            return HY_EEOF;
        }
        if (ret != AVERROR(EAGAIN)) {
            set_err(v, ret, "decoding failed");
            return HY_EFORMAT;
        }
        arm(v);
        ret = av_read_frame(v->fmt, v->pkt);
        if (ret == AVERROR_EOF) {
            v->draining = 1;
            decode_send(v, NULL);
            continue;
        }
        if (ret < 0) {
            hy_status why = ret == AVERROR_EXIT ? HY_ETIMEOUT : HY_EIO;
            if (ret == AVERROR_EXIT)
                snprintf(v->err, sizeof(v->err), "%s: no data for %g s (timed out)", v->url,
                         v->cfg.timeout_s);
            else
                set_err(v, ret, "reading failed");
            if (v->live && v->cfg.reconnect != 0) {
                hy_status r = reconnect(v, why);
                if (r != HY_OK)
                    return r;
                st = v->fmt->streams[v->stream];
                continue;
            }
            return why;
        }
        if (v->pkt->stream_index == v->stream && wanted(v, v->pkt, st)) {
            /* Scale as it decodes a picture that is analysed: every one with --every 0 (unless
             * they come out in another order), each key frame sent alone. */
            v->band_on = v->cfg.every_s <= 0 ? v->dec->has_b_frames == 0
                                             : v->cfg.decode == HY_DECODE_KEY || v->key_only;
            ret = decode_send(v, v->pkt);
            if (ret < 0 && ret != AVERROR(EAGAIN))
                hy__log(v->ctx, HY_LOG_WARN, "%s: corrupt packet at %lld skipped", v->url,
                        (long long)v->pkt->pts);
            else if (ret >= 0 && (v->cfg.decode == HY_DECODE_KEY || v->key_only))
                v->key_pending = 1; /* no other frame follows it into the decoder */
        }
        av_packet_unref(v->pkt);
    }
}

void hy_video_destroy(hy_video *v)
{
    if (!v)
        return;
    sws_freeContext(v->sws);
    sws_freeContext(v->sws_full);
    hy__free(v->ctx, v->box_scratch);
    av_frame_free(&v->kept);
    close_input(v);
    av_packet_free(&v->pkt);
    av_frame_free(&v->frame);
    hy_image_free(v->ctx, &v->out.image);
    hy__free(v->ctx, v->url);
    hy__free(v->ctx, v);
}

void hy_video_set_ffmpeg_verbosity(int level)
{
    av_log_set_level(level <= 0 ? AV_LOG_ERROR : level == 1 ? AV_LOG_WARNING : AV_LOG_VERBOSE);
}
