/* alerts/evidence.c - evidence pictures: the frame a detection was confirmed on, at full
 * resolution, with its box drawn, or a satellite chip (composites of the scene around the hit,
 * side by side, the hit boxed on each), as a JPEG (TurboJPEG) that grid officers and analysts
 * open. */
#include "alerts/alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>

/* Red on the outside, white on the inside: visible on sky, fields and flames alike. */
static void draw_box(unsigned char *rgb, int w, int h, const int b[4], int t)
{
    for (int k = 0; k < t + 1; k++) {
        const int x0 = b[0] - t + k, y0 = b[1] - t + k;
        const int x1 = b[0] + b[2] - 1 + t - k, y1 = b[1] + b[3] - 1 + t - k;
        const unsigned char col[3] = {255, (unsigned char)(k < t ? 32 : 255),
                                      (unsigned char)(k < t ? 32 : 255)};
        for (int x = x0; x <= x1; x++)
            for (int e = 0; e < 2; e++) {
                const int y = e ? y1 : y0;
                if (x >= 0 && x < w && y >= 0 && y < h)
                    memcpy(rgb + ((size_t)y * (size_t)w + (size_t)x) * 3, col, 3);
            }
        for (int y = y0; y <= y1; y++)
            for (int e = 0; e < 2; e++) {
                const int x = e ? x1 : x0;
                if (x >= 0 && x < w && y >= 0 && y < h)
                    memcpy(rgb + ((size_t)y * (size_t)w + (size_t)x) * 3, col, 3);
            }
    }
}

/* Encode rgb (w x h, packed) and write it to path atomically (a temporary file renamed). */
static hy_status write_jpeg(const char *path, const unsigned char *rgb, int w, int h, int subsamp,
                            int quality, char *err, size_t err_size)
{
    char tmp[4096];
    unsigned char *jpeg = NULL;
    unsigned long size = 0;
    tjhandle tj = tjInitCompress();
    FILE *f;
    if (!tj || tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &size, subsamp, quality,
                           TJFLAG_ACCURATEDCT) != 0) {
        snprintf(err, err_size, "%s: cannot encode the JPEG: %s", path,
                 tj ? tjGetErrorStr2(tj) : "no TurboJPEG");
        if (tj)
            tjDestroy(tj);
        tjFree(jpeg);
        return HY_EFORMAT;
    }
    tjDestroy(tj);
    if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp)) {
        snprintf(err, err_size, "%.200s...: the path is too long", path);
        tjFree(jpeg);
        return HY_EINVAL;
    }
    f = fopen(tmp, "wb");
    if (f) {
        int ok = fwrite(jpeg, 1, size, f) == size;
        ok = (fclose(f) == 0) && ok;
        if (!ok || rename(tmp, path) != 0) {
            remove(tmp);
            f = NULL;
        }
    }
    tjFree(jpeg);
    if (!f) {
        snprintf(err, err_size, "%s: cannot write", path);
        return HY_EIO;
    }
    return HY_OK;
}

hy_status hy_evidence_write(const char *path, const hy_image *frame, const int box[4], int quality,
                            char *err, size_t err_size)
{
    char dummy[8];
    unsigned char *rgb;
    hy_status st;
    int w, h, t;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || !frame || frame->fmt != HY_PIX_RGBP || !box || quality < 1 || quality > 100)
        return HY_EINVAL;
    w = frame->width;
    h = frame->height;
    rgb = malloc((size_t)w * (size_t)h * 3);
    if (!rgb)
        return HY_ENOMEM;
    for (int y = 0; y < h; y++) {
        const uint8_t *r = hy_image_at(frame, 0, 0, y), *g = hy_image_at(frame, 1, 0, y);
        const uint8_t *b = hy_image_at(frame, 2, 0, y);
        unsigned char *row = rgb + (size_t)y * (size_t)w * 3;
        for (int x = 0; x < w; x++) {
            row[3 * x] = r[x];
            row[3 * x + 1] = g[x];
            row[3 * x + 2] = b[x];
        }
    }
    t = w >= 1280 ? 4 : w >= 640 ? 3 : 2; /* line width by picture size */
    draw_box(rgb, w, h, box, t);
    st = write_jpeg(path, rgb, w, h, TJSAMP_420, quality, err, err_size);
    free(rgb);
    return st;
}

/* A value shown linearly from lo (0) to hi (255), rounded; NaN is 0. */
static unsigned char stretch(float x, double lo, double hi)
{
    const double t = ((double)x - lo) / (hi - lo);
    if (!(t > 0))
        return 0;
    if (t >= 1)
        return 255;
    return (unsigned char)(t * 255 + 0.5);
}

hy_status hy_evidence_write_chip(const char *path, const hy_chip_panel *panels, int npanels, int w,
                                 int h, ptrdiff_t stride, const int box[4], int zoom, int quality,
                                 char *err, size_t err_size)
{
    char dummy[8];
    unsigned char *rgb;
    hy_status st;
    int W, H, pw;
    if (!err) {
        err = dummy;
        err_size = sizeof(dummy);
    }
    err[0] = '\0';
    if (!path || !panels || npanels < 1 || npanels > 4 || w < 1 || h < 1 || w > 4096 || h > 4096 ||
        stride < w || !box || zoom < 1 || zoom > 16 || quality < 1 || quality > 100)
        return HY_EINVAL;
    for (int p = 0; p < npanels; p++)
        if (!panels[p].r || !panels[p].g || !panels[p].b || !(panels[p].hi > panels[p].lo))
            return HY_EINVAL;
    pw = w * zoom;
    W = npanels * pw + (npanels - 1) * HY_CHIP_GAP;
    H = h * zoom;
    rgb = malloc((size_t)W * (size_t)H * 3);
    if (!rgb)
        return HY_ENOMEM;
    memset(rgb, 255, (size_t)W * (size_t)H * 3); /* the gaps are white */
    for (int p = 0; p < npanels; p++) {
        const hy_chip_panel *c = &panels[p];
        const int ox = p * (pw + HY_CHIP_GAP);
        for (int y = 0; y < h; y++) {
            const ptrdiff_t row = (ptrdiff_t)y * stride;
            unsigned char *out = rgb + ((size_t)y * (size_t)zoom * (size_t)W + (size_t)ox) * 3;
            for (int x = 0; x < w; x++) {
                unsigned char v[3] = {0, 0, 0};
                if (!c->valid || c->valid[row + x]) {
                    v[0] = stretch(c->r[row + x], c->lo, c->hi);
                    v[1] = stretch(c->g[row + x], c->lo, c->hi);
                    v[2] = stretch(c->b[row + x], c->lo, c->hi);
                }
                for (int z = 0; z < zoom; z++)
                    memcpy(out + ((size_t)x * (size_t)zoom + (size_t)z) * 3, v, 3);
            }
            for (int z = 1; z < zoom; z++) /* the same row, zoom times */
                memcpy(out + (size_t)z * (size_t)W * 3, out, (size_t)pw * 3);
        }
    }
    for (int p = 0; p < npanels; p++) {
        /* the box, in display pixels, on this panel; drawn outside the hit so it stays seen */
        const int b[4] = {p * (pw + HY_CHIP_GAP) + box[0] * zoom, box[1] * zoom, box[2] * zoom,
                          box[3] * zoom};
        draw_box(rgb, W, H, b, 2);
    }
    st = write_jpeg(path, rgb, W, H, TJSAMP_444, quality, err, err_size);
    free(rgb);
    return st;
}
