/* detect/kernels/dispatch_generic.c - other CPUs: the reference kernels. */
#include "core/core.h"
#include "detect/kernels/kernels.h"

void hy__kernels_init(hy__kernels *k, unsigned cpu_flags)
{
    (void)cpu_flags;
    k->fire_oli = hy__fire_oli_ref;
    k->flame_rgb = hy__flame_rgb_ref;
    k->celik = hy__celik_ref;
    k->bare = hy__bare_ref;
    k->byte_sum = hy__byte_sum_ref;
    k->mask_pack = hy__mask_pack_ref;
    k->mask_changes = hy__mask_changes_ref;
    k->smoke = hy__smoke_ref;
}
