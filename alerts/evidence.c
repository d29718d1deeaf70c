/* alerts/evidence.c - evidence pictures: the frame a detection was confirmed on, at full
 * resolution, with its box drawn, as a JPEG (TurboJPEG) that grid officers and analysts open. */
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

hy_status hy_evidence_write(const char *path, const hy_image *frame, const int box[4], int quality,
                            char *err, size_t err_size)
{
    char dummy[8], tmp[4096];
    unsigned char *rgb, *jpeg = NULL;
    unsigned long size = 0;
    tjhandle tj;
    FILE *f;
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
    tj = tjInitCompress();
    if (!tj || tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &size, TJSAMP_420, quality,
                           TJFLAG_ACCURATEDCT) != 0) {
        snprintf(err, err_size, "%s: cannot encode the JPEG: %s", path,
                 tj ? tjGetErrorStr2(tj) : "no TurboJPEG");
        if (tj)
            tjDestroy(tj);
        tjFree(jpeg);
        free(rgb);
        return HY_EFORMAT;
    }
    tjDestroy(tj);
    free(rgb);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f || fwrite(jpeg, 1, size, f) != size || fclose(f) != 0 || rename(tmp, path) != 0) {
        if (f)
            remove(tmp);
        snprintf(err, err_size, "%s: cannot write", path);
        tjFree(jpeg);
        return HY_EIO;
    }
    tjFree(jpeg);
    return HY_OK;
}
