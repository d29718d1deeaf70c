/* cv/components.c - connected components (8-connectivity) of a mask by runs: each row's runs of
 * non-zero pixels, joined with the touching runs of the row above in a union-find, then each
 * component's box, area and centroid summed from its runs. Masks are mostly empty, so runs are
 * far fewer than pixels; OpenCV's connectedComponentsWithStats (hy__cv_components_opencv, the
 * reference in tests/test_cv.c) labels every pixel. The output is OpenCV's, order included:
 * OpenCV's 8-connected labelling (Bolelli et al.'s Spaghetti, or Grana et al.'s BBDT) scans
 * 2 x 2 blocks, so a component's label follows its first block in raster order (the 4 pixels of
 * a block always belong to one component). */
#include "cv/cv.h"

#include <stdlib.h>
#include <string.h>

typedef struct run {
    int y, x0, x1; /* pixels [x0, x1) of row y */
    int parent;    /* union-find over runs */
} run;

typedef struct comp {
    int x0, y0, x1, y1;   /* box, inclusive */
    int64_t area, sx, sy; /* pixel count, sums of x and y */
    int64_t key;          /* first 2 x 2 block: (y / 2) * blocks_per_row + x / 2 */
    int root;
} comp;

static int find(run *r, int i)
{
    while (r[i].parent != i) {
        r[i].parent = r[r[i].parent].parent; /* path halving */
        i = r[i].parent;
    }
    return i;
}

static void join(run *r, int a, int b)
{
    a = find(r, a);
    b = find(r, b);
    if (a != b) {
        if (a < b)
            r[b].parent = a;
        else
            r[a].parent = b;
    }
}

static int by_key(const void *a, const void *b)
{
    const comp *p = a, *q = b;
    return (p->key > q->key) - (p->key < q->key);
}

hy_status hy_cv_components(const hy_ctx *ctx, const hy_image *mask, hy_cv_component **comps, int *n,
                           int32_t *labels)
{
    run *runs = NULL;
    comp *cs = NULL;
    int *rank = NULL;
    size_t nruns = 0, cap = 0;
    int ncomp = 0, prev0 = 0, prev1 = 0; /* the row above's runs: [prev0, prev1) */
    hy_status st = HY_ENOMEM;

    if (!comps || !n)
        return HY_EINVAL;
    *comps = NULL;
    *n = 0;
    if (!ctx || !mask || mask->nplanes != 1 || mask->width <= 0 || mask->height <= 0 ||
        !mask->plane[0] || mask->stride[0] < mask->width)
        return HY_EINVAL;
    for (int y = 0; y < mask->height; y++) {
        const uint8_t *row = hy_image_at(mask, 0, 0, y);
        const int first = (int)nruns;
        int j = prev0;
        for (int x = hy__next_nonzero(row, 0, mask->width); x < mask->width;
             x = hy__next_nonzero(row, x, mask->width)) {
            run *r;
            const int x0 = x;
            x = hy__next_zero(row, x, mask->width);
            if (nruns == cap) {
                run *more = hy__grow(ctx, runs, &cap, nruns + 1, sizeof(*runs));
                if (!more)
                    goto done;
                runs = more;
            }
            r = &runs[nruns];
            *r = (run){y, x0, x, (int)nruns};
            /* the row above's runs touching [x0 - 1, x]: skip those ending before x0 - 1 */
            while (j < prev1 && runs[j].x1 < x0)
                j++;
            for (int k = j; k < prev1 && runs[k].x0 <= x; k++)
                join(runs, k, (int)nruns);
            nruns++;
        }
        prev0 = first;
        prev1 = (int)nruns;
    }
    if (nruns == 0) {
        st = HY_OK;
        goto done;
    }
    /* one entry per component, in the order of its root run */
    rank = hy__malloc(ctx, nruns * sizeof(*rank));
    cs = hy__malloc(ctx, nruns * sizeof(*cs));
    if (!rank || !cs)
        goto done;
    for (size_t i = 0; i < nruns; i++) {
        const int root = find(runs, (int)i);
        const run *r = &runs[i];
        const int64_t len = r->x1 - r->x0;
        const int64_t key = (int64_t)(r->y / 2) * ((mask->width + 1) / 2) + r->x0 / 2;
        comp *c;
        if (root == (int)i) {
            rank[i] = ncomp;
            cs[ncomp++] = (comp){r->x0, r->y, r->x1 - 1, r->y, 0, 0, 0, key, (int)i};
        }
        c = &cs[rank[root]]; /* a root comes before the runs that join it */
        c->x0 = r->x0 < c->x0 ? r->x0 : c->x0;
        c->x1 = r->x1 - 1 > c->x1 ? r->x1 - 1 : c->x1;
        c->y1 = r->y; /* runs come row by row */
        c->area += len;
        c->sx += len * (r->x0 + r->x1 - 1) / 2;
        c->sy += len * r->y;
        c->key = key < c->key ? key : c->key;
    }
    qsort(cs, (size_t)ncomp, sizeof(*cs), by_key);
    *comps = hy__calloc(ctx, (size_t)ncomp, sizeof(**comps));
    if (!*comps)
        goto done;
    for (int k = 0; k < ncomp; k++) {
        const comp *c = &cs[k];
        (*comps)[k] = (hy_cv_component){c->x0,
                                        c->y0,
                                        c->x1 - c->x0 + 1,
                                        c->y1 - c->y0 + 1,
                                        (int)c->area,
                                        (double)c->sx / (double)c->area,
                                        (double)c->sy / (double)c->area};
        rank[cs[k].root] = k; /* the final label, less one, of that root */
    }
    *n = ncomp;
    st = HY_OK;
done:
    if (st == HY_OK && labels) {
        memset(labels, 0, (size_t)mask->width * (size_t)mask->height * sizeof(*labels));
        for (size_t i = 0; i < nruns; i++) {
            int32_t *l = labels + (size_t)runs[i].y * (size_t)mask->width;
            const int32_t v = rank[find(runs, (int)i)] + 1;
            for (int x = runs[i].x0; x < runs[i].x1; x++)
                l[x] = v;
        }
    }
    if (st != HY_OK) {
        hy__free(ctx, *comps);
        *comps = NULL;
        *n = 0;
        hy__log(ctx, HY_LOG_ERROR, "hy_cv_components: out of memory");
    }
    hy__free(ctx, runs);
    hy__free(ctx, cs);
    hy__free(ctx, rank);
    return st;
}
