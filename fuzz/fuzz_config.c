/* fuzz/fuzz_config.c - the configuration loader (libcyaml + our checks) on arbitrary bytes. */
#include "core/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hy_config *c = NULL;
    char err[512];
    if (hy_config_load_data("fuzz.yaml", (const char *)data, size, &c, err, sizeof(err)) == HY_OK)
        hy_config_free(c);
    return 0;
}
