/* ingest/mtl.c - the Landsat MTL metadata file: "KEY = value" lines nested in GROUP /
 * END_GROUP, as in both Collection 2 and pre-collection products. Only what the readers
 * need: keys are unique enough across groups that the first occurrence is the one. */
#include "ingest/ingest_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MTL_MAX_BYTES (4 << 20)

typedef struct mtl_entry {
    char *key, *value;
    const char *group; /* the innermost GROUP the key sits in ("" at top level) */
} mtl_entry;

struct hy__mtl {
    const hy_ctx *ctx;
    mtl_entry *e;
    size_t n;
    char *text;
};

static char *trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

hy__mtl *hy__mtl_parse(const hy_ctx *ctx, const char *data, size_t len, const char *name, char *err,
                       size_t err_size)
{
    hy__mtl *m = NULL;
    size_t cap = 0, lineno = 0;
    char *line, *save = NULL;
    const char *stack[8] = {""}; /* open GROUPs; stack[depth] is the innermost */
    int depth = 0;

    if (len == 0 || len > MTL_MAX_BYTES) {
        snprintf(err, err_size, "%s: %zu bytes, want 1..%d for an MTL file", name, len,
                 MTL_MAX_BYTES);
        return NULL;
    }
    m = hy__calloc(ctx, 1, sizeof(*m));
    if (!m || !(m->text = hy__malloc(ctx, len + 1))) {
        snprintf(err, err_size, "%s: out of memory", name);
        goto fail;
    }
    m->ctx = ctx;
    memcpy(m->text, data, len);
    m->text[len] = '\0'; /* an embedded NUL ends the text early: harmless */
    for (line = strtok_r(m->text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
        char *eq = strchr(line, '='), *key, *value;
        size_t vlen;
        lineno++;
        if (!eq)
            continue; /* "END" */
        *eq = '\0';
        key = trim(line);
        value = trim(eq + 1);
        vlen = strlen(value);
        if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
            value[vlen - 1] = '\0';
            value++;
        }
        if (strcmp(key, "GROUP") == 0) {
            if (depth + 1 >= (int)(sizeof(stack) / sizeof(stack[0]))) {
                snprintf(err, err_size, "%s: line %zu: GROUPs nested too deep", name, lineno);
                goto fail;
            }
            stack[++depth] = value;
            continue;
        }
        if (strcmp(key, "END_GROUP") == 0) {
            if (depth > 0)
                depth--;
            continue;
        }
        if (!*key)
            continue;
        {
            mtl_entry *ne = hy__grow(ctx, m->e, &cap, m->n + 1, sizeof(*ne));
            if (!ne) {
                snprintf(err, err_size, "%s: out of memory", name);
                goto fail;
            }
            m->e = ne;
        }
        m->e[m->n].key = key;
        m->e[m->n].value = value;
        m->e[m->n].group = stack[depth];
        m->n++;
    }
    if (!hy__mtl_get(m, "SPACECRAFT_ID")) {
        snprintf(err, err_size, "%s: no SPACECRAFT_ID in %zu lines: not a Landsat MTL file", name,
                 lineno);
        goto fail;
    }
    return m;
fail:
    hy__mtl_free(m);
    return NULL;
}

hy__mtl *hy__mtl_load(const hy_ctx *ctx, const char *path, char *err, size_t err_size)
{
    hy__mtl *m = NULL;
    FILE *f;
    long size;
    char *buf = NULL;

    f = fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "%s: cannot open", path);
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        snprintf(err, err_size, "%s: cannot read", path);
    } else if (size == 0 || size > MTL_MAX_BYTES) {
        snprintf(err, err_size, "%s: %ld bytes, want 1..%d for an MTL file", path, size,
                 MTL_MAX_BYTES);
    } else if (!(buf = hy__malloc(ctx, (size_t)size))) {
        snprintf(err, err_size, "%s: out of memory", path);
    } else if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        snprintf(err, err_size, "%s: short read", path);
    } else {
        m = hy__mtl_parse(ctx, buf, (size_t)size, path, err, err_size);
    }
    fclose(f);
    hy__free(ctx, buf);
    return m;
}

const char *hy__mtl_get(const hy__mtl *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].key, key) == 0)
            return m->e[i].value;
    return NULL;
}

const char *hy__mtl_get_in(const hy__mtl *m, const char *group, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->e[i].group, group) == 0 && strcmp(m->e[i].key, key) == 0)
            return m->e[i].value;
    return NULL;
}

double hy__mtl_num_in(const hy__mtl *m, const char *group, const char *key, int *ok)
{
    const char *v = group ? hy__mtl_get_in(m, group, key) : hy__mtl_get(m, key);
    char *end;
    double d;
    *ok = 0;
    if (!v || !*v)
        return 0;
    d = strtod(v, &end);
    if (*end)
        return 0;
    *ok = 1;
    return d;
}

double hy__mtl_num(const hy__mtl *m, const char *key, int *ok)
{
    return hy__mtl_num_in(m, NULL, key, ok);
}

void hy__mtl_free(hy__mtl *m)
{
    if (!m)
        return;
    hy__free(m->ctx, m->e);
    hy__free(m->ctx, m->text);
    hy__free(m->ctx, m);
}
