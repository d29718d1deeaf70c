/* detect/kernels/dispatch_x86.c - choose kernels by CPU flags on x86-64. */
#include "core/core.h"
#include "detect/kernels/kernels.h"

void hy__kernels_init(hy__kernels *k, unsigned cpu_flags)
{
    k->fire_oli = hy__fire_oli_ref;
    k->flame_rgb = hy__flame_rgb_ref;
    k->celik = hy__celik_ref;
    k->bare = hy__bare_ref;
    k->byte_sum = hy__byte_sum_ref;
    k->mask_pack = hy__mask_pack_ref;
    k->mask_changes = hy__mask_changes_ref;
    k->smoke = hy__smoke_ref;
    if (cpu_flags & HY_CPU_AVX2) {
        k->fire_oli = hy__fire_oli_avx2;
        k->flame_rgb = hy__flame_rgb_avx2;
        k->celik = hy__celik_avx2; /* also with AVX-512: no wider version */
        k->bare = hy__bare_avx2;
        k->byte_sum = hy__byte_sum_avx2; /* memory-bound: no wider version */
        k->mask_pack = hy__mask_pack_avx2;
        k->mask_changes = hy__mask_changes_avx2;
        k->smoke = hy__smoke_avx2;
    }
    if (cpu_flags & HY_CPU_AVX512) {
        k->fire_oli = hy__fire_oli_avx512;
        k->flame_rgb = hy__flame_rgb_avx512;
        k->bare = hy__bare_avx512;
    }
}
