/* fuzz/fuzz_mtl.c - the Landsat MTL parser on arbitrary bytes. */
#include "ingest/ingest_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hy_ctx *ctx;
    char err[256];
    hy__mtl *m;
    if (!ctx && hy_ctx_create(NULL, &ctx) != HY_OK)
        return 0;
    m = hy__mtl_parse(ctx, (const char *)data, size, "fuzz", err, sizeof(err));
    if (m) {
        int ok;
        (void)hy__mtl_num(m, "SUN_ELEVATION", &ok);
        (void)hy__mtl_get(m, "FILE_NAME_BAND_7");
        hy__mtl_free(m);
    }
    return 0;
}
