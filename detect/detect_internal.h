/* detect/detect_internal.h - shared inside detect/ only. */
#ifndef HY_DETECT_INTERNAL_H
#define HY_DETECT_INTERNAL_H

#include "cv/cv.h"
#include "detect/detect.h"
#include "detect/kernels/kernels.h"

/** A flagged pixel: scene column and row, and the kernel's bits. */
typedef hy_fire_pixel hy__pixel;

/** A satellite scene's detection of a group of pixels: kind, source, sensor, time, the box
 *  [x0, x1] x [y0, y1], the pixel count, the centre (sx, sy: sums of the pixel centres) and
 *  the area (pixels x the scene's pixel area); the rest as hy_detection_init leaves it. */
void hy__scene_detection(hy_detection *d, hy_kind kind, const hy_scene_info *info, int x0, int y0,
                         int x1, int y1, int pixels, double sx, double sy);

/* ---- camera detectors (flame, smoke, dust) ---- */

/** 1 when every pixel of an RGB frame is grey (|R - G| and |B - G| within HY_FLAME_GREY_TOL):
 *  an infrared / night picture, where no colour test can work. */
int hy__image_grey(const hy_image *img);
/** Set bits in v. */
int hy__popcount(unsigned v);
/** The sightings an open hit needs to stay open: hold when it is set (1..k), else round(0.8 k),
 *  pyronear's drop of its threshold to 0.8 of itself while an alert is open (docs/camera.md). */
int hy__hold_k(int k, int hold);
/** A hit's confirmation: open (confirmed) or not, and the frame it was confirmed in. */
typedef struct hy__confirm {
    int open;
    long long opened;
} hy__confirm;
/** Confirmation by persistence with hysteresis. history holds a hit's sightings over the last
 *  n analysed frames (bit 0: this one, frame). A closed hit opens when it was seen in this
 *  frame, in at least k of them, and may_open (the detector's other tests) holds; an open one
 *  stays open while it was seen in at least hold of them. Its end is logged (debug), naming the
 *  camera and what (flame, smoke, dust). Returns the new state: 1 open, 0 closed. */
int hy__confirm_step(const hy_ctx *ctx, const char *camera_id, const char *what, long long frame,
                     unsigned history, int may_open, int k, int hold, int n, hy__confirm *c);
/** A camera's detection of the box x, y, w, h (pixels of the analysed picture) with `pixels`
 *  pixels in frame: kind, source, sensor, time, frame index, and box, pixel count and centre
 *  scaled to the stream's full resolution; confidence from 0.5 + 0.5 / (n - k + 1) when
 *  seen in k of the last n analysed frames to 1 at n of n, and 0.5 seen / k when seen in fewer
 *  (a detection the hysteresis holds). The rest as hy_detection_init leaves it. */
void hy__camera_detection(hy_detection *d, hy_kind kind, const char *camera_id,
                          const hy_frame *frame, int x, int y, int w, int h, double pixels,
                          int seen, int k, int n);

/** Has the view changed (detect/view.c)? The frame's 8 x 8 blocks' mean grey levels (from rows
 *  2 and 5 of each block, (R + 2 G + B) / 4) against the last analysed frame's: the view
 *  changed when at least `share` of the blocks moved by more than HY__VIEW_LEVELS levels. */
#define HY__VIEW_LEVELS 24
typedef struct hy__view {
    uint16_t *blocks; /* two pictures of bw x bh block sums (cur: the last frame's), a row */
    int bw, bh, cur, have;
    double share;  /* the last step's share of blocks that moved */
    int identical; /* ... and 1 when every block's sum was the same as the last frame's */
} hy__view;
/** Compare img (RGB planes) with the last frame given, and keep it for the next: *changed = 1
 *  when the view changed (never on the first frame, or with share <= 0: the test off). */
HY_NODISCARD hy_status hy__view_step(const hy_ctx *ctx, hy__view *v, const hy_image *img,
                                     double share, int *changed);
/** hy__view_step on frame for a detector: *turned = 1 when the view changed and the detector
 *  had started its models (`started`), which it is then to restart; logged once, as
 *  "CAMERA: frame N: the view changed (S % of the picture): WHAT restarted". */
HY_NODISCARD hy_status hy__view_turned(const hy_ctx *ctx, hy__view *v, const hy_frame *frame,
                                       double share, int started, const char *camera_id,
                                       const char *what, int *turned);
/** Forget the last frame (the next step starts afresh), as after a pause. */
void hy__view_forget(hy__view *v);
void hy__view_free(const hy_ctx *ctx, hy__view *v);

/** Shrink the box [x0, x1) x [y0, y1) to mask's non-zero pixels in it; 0 when it has none. */
int hy__mask_box(const hy_image *mask, int *x0, int *y0, int *x1, int *y1);
/** The regions of a candidate mask's non-zero pixels within [x0, x1) x [y0, y1), after a 3 x 3
 *  closing: what hy_cv_morph (HY_CV_CLOSE, 3) and hy_cv_components give on the whole mask when
 *  it has no pixel outside the box (tests/test_cv.c), worked out on the pixels' box and 2
 *  pixels around it, from an even row and column. *comps (free with hy_cv_components_free)
 *  gets *ncomps regions in frame coordinates; NULL and 0 when there is none. scratch (zeroed
 *  at first) keeps the closing's buffers from call to call: a detector allocates and clears
 *  none per frame. */
typedef struct hy__regions {
    uint8_t *buf; /* the closing's output and its rows' scratch, kept from frame to frame */
    size_t cap;
} hy__regions;
HY_NODISCARD hy_status hy__mask_regions(const hy_ctx *ctx, hy__regions *scratch,
                                        const hy_image *mask, int x0, int y0, int x1, int y1,
                                        hy_cv_component **comps, int *ncomps);
/** Free what the scratch holds (it may be used again). */
void hy__regions_free(const hy_ctx *ctx, hy__regions *scratch);

/** A growable list of pixels. */
typedef struct hy__pixel_list {
    hy__pixel *v;
    size_t n, cap;
} hy__pixel_list;

/** Append the pixels of lists[0..n) (per-block results, each freed and emptied) to out, then
 *  sort out into raster order (row, then column), as hy__cluster_pixels wants it. */
HY_NODISCARD hy_status hy__pixels_gather(const hy_ctx *ctx, hy__pixel_list *lists, size_t n,
                                         hy__pixel_list *out);

/** Group pixels into 8-connected clusters. px must be sorted by (y, x) without duplicates.
 *  label[i] receives the 0-based cluster of px[i], clusters numbered in order of their first
 *  pixel; *nclusters their count. Memory O(n). */
HY_NODISCARD hy_status hy__cluster_pixels(const hy_ctx *ctx, const hy__pixel *px, size_t n,
                                          uint32_t *label, size_t *nclusters);

/* ---- OLI fire rules other than the Schroeder kernel (detect/fire_oli_rules.c) ---- */

/** Schroeder et al. 2016's water test (REFERENCES.md). */
int hy__oli_water_schroeder(float r1, float r2, float r3, float r4, float r5, float r6, float r7);
/** Per-pixel classes of a whole tile (w x h, row stride `stride` floats, bits row stride w)
 *  for Kumar & Roy 2018 (unambiguous, candidate) and Murphy et al. 2016 (unambiguous), then
 *  the 3 x 3 neighbour rule of each. Invalid pixels get 0. */
void hy__oli_classify_kumar_roy(const hy_tile *t, uint8_t *bits);
void hy__oli_classify_murphy(const hy_tile *t, uint8_t *bits);
void hy__oli_classify_sahm(const hy_tile *t, uint8_t *bits);
extern const double hy__cropland_a, hy__cropland_b;
void hy__oli_classify_cropland(const hy_tile *t, uint8_t *bits);
void hy__oli_classify_hu(const hy_tile *t, uint8_t *bits, hy_fire_biome biome);
void hy__oli_classify_tai(const hy_tile *t, uint8_t *bits, float *tai, uint8_t *seed, double *sat);
/** The background mask (1 = usable) of a tile for the context test of an algorithm. */
void hy__oli_background(const hy_tile *t, const uint8_t *bits, hy_fire_oli_algorithm a,
                        uint8_t *bg);

/* ---- bare soil (detect/baresoil.c) ---- */

/** The bare-soil classifier of a sensor: Sentinel-2's, or Landsat's for every other. */
const hy__bare_model *hy__bare_model_for(hy_sensor sensor);

/** The 2 x 2 Haar detail energy of plane p (w wide) over the box (x0, y0, bw, bh): the sum over
 *  the box's whole 2 x 2 blocks from its corner of |LH| + |HL| + |HH|, unnormalised: for a
 *  block a b / c d, |a - b + c - d| + |a + b - c - d| + |a - b - c + d|; *blocks gets their
 *  number. The smoke detector's soft-edge test (Toreyin et al. 2006). */
double hy__detail_energy(const float *p, int w, int x0, int y0, int bw, int bh, int *blocks);

/** A camera's exclusion polygons and their raster at the last analysis size. */
typedef struct hy__exclusion {
    const hy_ctx *ctx;
    hy_polygon *poly; /* a copy: the caller's may go */
    unsigned n;
    uint8_t *raster; /* w x h, 1 = excluded */
    int w, h, src_w, src_h;
} hy__exclusion;

/** Copy n polygons (none: nothing is excluded); HY_EINVAL for one of under 3 points. */
HY_NODISCARD hy_status hy__exclusion_init(const hy_ctx *ctx, hy__exclusion *ex, const hy_polygon *p,
                                          unsigned n);
/** Clear the pixels of mask (the frame's analysis size) whose centres, at the frame's full
 *  resolution, are inside a polygon. */
HY_NODISCARD hy_status hy__exclusion_apply(hy__exclusion *ex, const hy_frame *frame,
                                           hy_image *mask);
void hy__exclusion_free(hy__exclusion *ex);

#endif
