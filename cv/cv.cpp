// cv/cv.cpp - the OpenCV wrapper behind cv/cv.h. Every entry point catches every exception
// and turns it into a hy_status; OpenCV's message goes to the ctx logger and onto the handle.
#include "cv/cv.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/background_segm.hpp>

#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace
{

cv::Mat wrap(const hy_image *img, int p)
{
    return cv::Mat(img->height, img->width, CV_8UC1, img->plane[p], (size_t)img->stride[p]);
}

// Interleave the planes of an image into one multi-channel Mat (a copy).
cv::Mat interleave(const hy_image *img)
{
    if (img->nplanes == 1)
        return wrap(img, 0);
    std::vector<cv::Mat> planes;
    for (int p = 0; p < img->nplanes; p++)
        planes.push_back(wrap(img, p));
    cv::Mat out;
    cv::merge(planes, out);
    return out;
}

// Copy the channels of m into the planes of dst (same size, dst->nplanes channels).
void deinterleave(const cv::Mat &m, hy_image *dst)
{
    for (int p = 0; p < dst->nplanes; p++) {
        cv::Mat plane = wrap(dst, p);
        if (m.channels() == 1)
            m.copyTo(plane);
        else
            cv::extractChannel(m, plane, p);
    }
}

bool valid_image(const hy_image *img)
{
    if (!img || img->width <= 0 || img->height <= 0 || img->nplanes < 1 ||
        img->nplanes > HY_IMAGE_MAX_PLANES)
        return false;
    for (int p = 0; p < img->nplanes; p++)
        if (!img->plane[p] || img->stride[p] < img->width)
            return false;
    return true;
}

// OpenCV runs single-threaded: huoyan spreads its work across cameras and blocks itself, and
// OpenCV's own TBB worker, started by connectedComponentsWithStats, spun between calls (6,400
// sched_yield calls in a 120 s 1080p watch run, docs/camera.md).
void single_threaded()
{
    static std::once_flag once;
    std::call_once(once, [] { cv::setNumThreads(0); });
}

// Run f, mapping exceptions to status; the message goes to the log and into *msg if given.
template <typename F> hy_status guarded(const hy_ctx *ctx, const char *what, std::string *msg, F f)
{
    try {
        single_threaded();
        return f();
    } catch (const std::bad_alloc &) {
        hy__log(ctx, HY_LOG_ERROR, "%s: out of memory", what);
        if (msg)
            *msg = std::string(what) + ": out of memory";
        return HY_ENOMEM;
    } catch (const cv::Exception &e) {
        std::string m = std::string(what) + ": " + e.what();
        while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
            m.pop_back();
        hy__log(ctx, HY_LOG_ERROR, "%s", m.c_str());
        if (msg)
            *msg = m;
        return HY_ECV;
    } catch (const std::exception &e) {
        std::string m = std::string(what) + ": " + e.what();
        hy__log(ctx, HY_LOG_ERROR, "%s", m.c_str());
        if (msg)
            *msg = m;
        return HY_ECV;
    } catch (...) {
        hy__log(ctx, HY_LOG_ERROR, "%s: unknown C++ exception", what);
        if (msg)
            *msg = std::string(what) + ": unknown C++ exception";
        return HY_ECV;
    }
}

} // namespace

extern "C" hy_status hy_cv_convert(const hy_ctx *ctx, const hy_image *src, hy_pixfmt to,
                                   hy_image *dst)
{
    if (!dst)
        return HY_EINVAL;
    std::memset(dst, 0, sizeof(*dst));
    if (!ctx || !valid_image(src) || src->fmt != HY_PIX_RGBP)
        return HY_EINVAL;
    int code;
    switch (to) {
    case HY_PIX_GRAY8:
        code = cv::COLOR_RGB2GRAY;
        break;
    case HY_PIX_YCRCBP:
        code = cv::COLOR_RGB2YCrCb;
        break;
    case HY_PIX_HSVP:
        code = cv::COLOR_RGB2HSV;
        break;
    default:
        return HY_EINVAL;
    }
    hy_status st = hy_image_alloc(ctx, src->width, src->height, to, dst);
    if (st != HY_OK)
        return st;
    st = guarded(ctx, "hy_cv_convert", nullptr, [&] {
        cv::Mat out;
        cv::cvtColor(interleave(src), out, code);
        deinterleave(out, dst);
        return HY_OK;
    });
    if (st != HY_OK)
        hy_image_free(ctx, dst);
    return st;
}

extern "C" hy_status hy_cv_resize(const hy_ctx *ctx, const hy_image *src, int width, int height,
                                  hy_cv_interp interp, hy_image *dst)
{
    if (!dst)
        return HY_EINVAL;
    std::memset(dst, 0, sizeof(*dst));
    if (!ctx || !valid_image(src) || width <= 0 || height <= 0)
        return HY_EINVAL;
    int flag = interp == HY_CV_INTER_NEAREST  ? cv::INTER_NEAREST
               : interp == HY_CV_INTER_LINEAR ? cv::INTER_LINEAR
                                              : cv::INTER_AREA;
    hy_status st = hy_image_alloc(ctx, width, height, src->fmt, dst);
    if (st != HY_OK)
        return st;
    st = guarded(ctx, "hy_cv_resize", nullptr, [&] {
        for (int p = 0; p < src->nplanes; p++) {
            cv::Mat out = wrap(dst, p);
            cv::resize(wrap(src, p), out, out.size(), 0, 0, flag);
        }
        return HY_OK;
    });
    if (st != HY_OK)
        hy_image_free(ctx, dst);
    return st;
}

extern "C" hy_status hy_cv_blur(const hy_ctx *ctx, const hy_image *src, int ksize, double sigma,
                                hy_image *dst)
{
    if (!dst)
        return HY_EINVAL;
    std::memset(dst, 0, sizeof(*dst));
    if (!ctx || !valid_image(src) || ksize < 1 || ksize % 2 == 0 || sigma < 0)
        return HY_EINVAL;
    hy_status st = hy_image_alloc(ctx, src->width, src->height, src->fmt, dst);
    if (st != HY_OK)
        return st;
    st = guarded(ctx, "hy_cv_blur", nullptr, [&] {
        for (int p = 0; p < src->nplanes; p++) {
            cv::Mat out = wrap(dst, p);
            if (sigma > 0)
                cv::GaussianBlur(wrap(src, p), out, cv::Size(ksize, ksize), sigma, sigma,
                                 cv::BORDER_REPLICATE);
            else
                cv::blur(wrap(src, p), out, cv::Size(ksize, ksize), cv::Point(-1, -1),
                         cv::BORDER_REPLICATE);
        }
        return HY_OK;
    });
    if (st != HY_OK)
        hy_image_free(ctx, dst);
    return st;
}

/* hy_cv_morph's arguments: dst cleared, then whether the rest is valid */
static bool morph_args(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op, int ksize,
                       hy_image *dst)
{
    if (!dst)
        return false;
    std::memset(dst, 0, sizeof(*dst));
    return ctx && valid_image(src) && src->nplanes == 1 && ksize >= 1 && op >= HY_CV_ERODE &&
           op <= HY_CV_CLOSE;
}

extern "C" hy_status hy_cv_morph(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op,
                                 int ksize, hy_image *dst)
{
    if (!morph_args(ctx, src, op, ksize, dst))
        return HY_EINVAL;
    if (ksize == 3)
        return hy__cv_morph3(ctx, src, op, dst); /* cv/morph.c: OpenCV's output, faster */
    return hy__cv_morph_opencv(ctx, src, op, ksize, dst);
}

extern "C" hy_status hy__cv_morph_opencv(const hy_ctx *ctx, const hy_image *src, hy_cv_morph_op op,
                                         int ksize, hy_image *dst)
{
    if (!morph_args(ctx, src, op, ksize, dst))
        return HY_EINVAL;
    static const int ops[] = {cv::MORPH_ERODE, cv::MORPH_DILATE, cv::MORPH_OPEN, cv::MORPH_CLOSE};
    hy_status st = hy_image_alloc(ctx, src->width, src->height, src->fmt, dst);
    if (st != HY_OK)
        return st;
    st = guarded(ctx, "hy_cv_morph", nullptr, [&] {
        cv::Mat out = wrap(dst, 0);
        cv::Mat kernel = cv::getStructuringElement(cv::MORPH_RECT, cv::Size(ksize, ksize));
        cv::morphologyEx(wrap(src, 0), out, ops[op], kernel);
        return HY_OK;
    });
    if (st != HY_OK)
        hy_image_free(ctx, dst);
    return st;
}

extern "C" hy_status hy__cv_components_opencv(const hy_ctx *ctx, const hy_image *mask,
                                              hy_cv_component **comps, int *n, int32_t *labels)
{
    if (!comps || !n)
        return HY_EINVAL;
    *comps = nullptr;
    *n = 0;
    if (!ctx || !valid_image(mask) || mask->nplanes != 1)
        return HY_EINVAL;
    return guarded(ctx, "hy__cv_components_opencv", nullptr, [&] {
        cv::Mat lab, stats, cents;
        int count = cv::connectedComponentsWithStats(wrap(mask, 0), lab, stats, cents, 8, CV_32S);
        int k = count - 1;
        hy_cv_component *out = nullptr;
        if (k > 0) {
            out = static_cast<hy_cv_component *>(hy__calloc(ctx, (size_t)k, sizeof(*out)));
            if (!out)
                return HY_ENOMEM;
            for (int i = 0; i < k; i++) {
                out[i].x = stats.at<int>(i + 1, cv::CC_STAT_LEFT);
                out[i].y = stats.at<int>(i + 1, cv::CC_STAT_TOP);
                out[i].w = stats.at<int>(i + 1, cv::CC_STAT_WIDTH);
                out[i].h = stats.at<int>(i + 1, cv::CC_STAT_HEIGHT);
                out[i].area = stats.at<int>(i + 1, cv::CC_STAT_AREA);
                out[i].cx = cents.at<double>(i + 1, 0);
                out[i].cy = cents.at<double>(i + 1, 1);
            }
        }
        if (labels) {
            cv::Mat dst(mask->height, mask->width, CV_32S, labels);
            lab.copyTo(dst);
        }
        *comps = out;
        *n = k;
        return HY_OK;
    });
}

extern "C" void hy_cv_components_free(const hy_ctx *ctx, hy_cv_component *comps)
{
    hy__free(ctx, comps);
}

/* ---- background subtraction ---- */

struct hy_cv_bgsub {
    const hy_ctx *ctx;
    cv::Ptr<cv::BackgroundSubtractorMOG2> mog;
    std::string err;
};

extern "C" hy_status hy_cv_bgsub_create(const hy_ctx *ctx, int history, double var_threshold,
                                        hy_cv_bgsub **out)
{
    if (!out)
        return HY_EINVAL;
    *out = nullptr;
    if (!ctx || history < 1 || var_threshold <= 0)
        return HY_EINVAL;
    hy_cv_bgsub *b = nullptr;
    hy_status st = guarded(ctx, "hy_cv_bgsub_create", nullptr, [&] {
        b = new hy_cv_bgsub();
        b->ctx = ctx;
        b->mog = cv::createBackgroundSubtractorMOG2(history, var_threshold, false);
        return HY_OK;
    });
    if (st != HY_OK) {
        delete b;
        return st;
    }
    *out = b;
    return HY_OK;
}

extern "C" hy_status hy_cv_bgsub_apply(hy_cv_bgsub *b, const hy_image *frame, double learning_rate,
                                       hy_image *fg)
{
    if (!b || !valid_image(frame) || !fg)
        return HY_EINVAL;
    if (fg->plane[0] && (fg->width != frame->width || fg->height != frame->height)) {
        b->err = "hy_cv_bgsub_apply: frame size changed";
        return HY_EINVAL;
    }
    if (!fg->plane[0]) {
        hy_status st = hy_image_alloc(b->ctx, frame->width, frame->height, HY_PIX_GRAY8, fg);
        if (st != HY_OK)
            return st;
    }
    return guarded(b->ctx, "hy_cv_bgsub_apply", &b->err, [&] {
        cv::Mat out = wrap(fg, 0);
        b->mog->apply(interleave(frame), out, learning_rate);
        return HY_OK;
    });
}

extern "C" const char *hy_cv_bgsub_errmsg(const hy_cv_bgsub *b)
{
    return b ? b->err.c_str() : "no handle";
}

extern "C" void hy_cv_bgsub_destroy(hy_cv_bgsub *b)
{
    delete b;
}

/* ---- networks ---- */

struct hy_cv_net {
    const hy_ctx *ctx;
    cv::dnn::Net net;
    std::string err;
};

extern "C" hy_status hy_cv_net_load(const hy_ctx *ctx, const char *model, const char *config,
                                    hy_cv_net **out)
{
    if (!out)
        return HY_EINVAL;
    *out = nullptr;
    if (!ctx || !model)
        return HY_EINVAL;
    hy_cv_net *n = nullptr;
    hy_status st = guarded(ctx, "hy_cv_net_load", nullptr, [&] {
        n = new hy_cv_net();
        n->ctx = ctx;
        n->net = cv::dnn::readNet(model, config ? config : "");
        if (n->net.empty()) {
            hy__log(ctx, HY_LOG_ERROR, "hy_cv_net_load: %s: no network", model);
            return HY_EFORMAT;
        }
        n->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        n->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        return HY_OK;
    });
    if (st != HY_OK) {
        delete n;
        return st;
    }
    *out = n;
    return HY_OK;
}

extern "C" hy_status hy_cv_net_forward(hy_cv_net *net, const hy_image *img, int in_w, int in_h,
                                       double scale, const double mean[3], float *out, size_t cap,
                                       size_t *n)
{
    if (n)
        *n = 0;
    if (!net || !valid_image(img) || in_w <= 0 || in_h <= 0 || (!out && cap) || !n)
        return HY_EINVAL;
    return guarded(net->ctx, "hy_cv_net_forward", &net->err, [&] {
        cv::Scalar m = mean ? cv::Scalar(mean[0], mean[1], mean[2]) : cv::Scalar();
        cv::Mat blob = cv::dnn::blobFromImage(interleave(img), scale, cv::Size(in_w, in_h), m,
                                              false, false, CV_32F);
        net->net.setInput(blob);
        cv::Mat result = net->net.forward();
        cv::Mat flat = result.isContinuous() ? result : result.clone();
        size_t total = flat.total();
        size_t k = total < cap ? total : cap;
        if (k)
            std::memcpy(out, flat.ptr<float>(), k * sizeof(float));
        *n = total;
        return HY_OK;
    });
}

extern "C" const char *hy_cv_net_errmsg(const hy_cv_net *net)
{
    return net ? net->err.c_str() : "no handle";
}

extern "C" void hy_cv_net_destroy(hy_cv_net *net)
{
    delete net;
}
