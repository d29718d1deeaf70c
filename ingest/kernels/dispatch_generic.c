/* ingest/kernels/dispatch_generic.c - other CPUs: the reference kernels. */
#include "core/core.h"
#include "ingest/kernels/kernels.h"

void hy__ingest_kernels_init(hy__ingest_kernels *k, unsigned cpu_flags)
{
    (void)cpu_flags;
    k->box420 = hy__box420_ref;
}
