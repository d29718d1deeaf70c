/* detect/cluster.c - 8-connected clusters of sparse flagged pixels by union-find. Fire pixels
 * are rare, so the scene never needs a full label image: memory follows the flagged pixels. */
#include "detect/detect_internal.h"

#include <stdlib.h>
#include <string.h>

static int by_row_then_column(const void *a, const void *b)
{
    const hy__pixel *p = a, *q = b;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

hy_status hy__pixels_gather(const hy_ctx *ctx, hy__pixel_list *lists, size_t n, hy__pixel_list *out)
{
    for (size_t b = 0; b < n; b++) {
        hy__pixel *v;
        if (!lists[b].n)
            continue;
        v = hy__grow(ctx, out->v, &out->cap, out->n + lists[b].n, sizeof(*v));
        if (!v)
            return HY_ENOMEM;
        out->v = v;
        memcpy(out->v + out->n, lists[b].v, lists[b].n * sizeof(*v));
        out->n += lists[b].n;
        hy__free(ctx, lists[b].v);
        memset(&lists[b], 0, sizeof(lists[b]));
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof(*out->v), by_row_then_column);
    return HY_OK;
}

static uint32_t find(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

static void unite(uint32_t *parent, uint32_t a, uint32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    /* keep the earlier pixel as root so labels follow raster order */
    if (a < b)
        parent[b] = a;
    else if (b < a)
        parent[a] = b;
}

hy_status hy__cluster_pixels(const hy_ctx *ctx, const hy__pixel *px, size_t n, uint32_t *label,
                             size_t *nclusters)
{
    uint32_t *parent;
    size_t prev_start = 0, prev_end = 0, row_start = 0, k = 0;

    *nclusters = 0;
    if (n == 0)
        return HY_OK;
    if (n > UINT32_MAX - 1)
        return HY_EINVAL;
    parent = hy__malloc(ctx, n * sizeof(*parent));
    if (!parent)
        return HY_ENOMEM;
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    /* Scan rows; [prev_start, prev_end) is the previous row's run when it is y - 1. */
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || px[i].y != px[i - 1].y) {
            if (i > 0 && px[i].y == px[i - 1].y + 1) {
                prev_start = row_start;
                prev_end = i;
            } else {
                prev_start = prev_end = i;
            }
            row_start = i;
            k = prev_start;
        }
        if (i > row_start && px[i - 1].x == px[i].x - 1)
            unite(parent, (uint32_t)(i - 1), (uint32_t)i);
        /* Neighbours in the row above: x-1, x, x+1. k only moves forward along the row. */
        while (k < prev_end && px[k].x < px[i].x - 1)
            k++;
        for (size_t j = k; j < prev_end && px[j].x <= px[i].x + 1; j++)
            unite(parent, (uint32_t)j, (uint32_t)i);
    }
    /* Number roots in order of first pixel. */
    for (size_t i = 0; i < n; i++) {
        uint32_t r = find(parent, (uint32_t)i);
        if (r == i)
            label[i] = (uint32_t)(*nclusters)++;
        else
            label[i] = label[r];
    }
    hy__free(ctx, parent);
    return HY_OK;
}
