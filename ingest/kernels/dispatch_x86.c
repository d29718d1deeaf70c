/* ingest/kernels/dispatch_x86.c - choose the ingest kernels by CPU flags on x86-64. */
#include "core/core.h"
#include "ingest/kernels/kernels.h"

void hy__ingest_kernels_init(hy__ingest_kernels *k, unsigned cpu_flags)
{
    k->box420 = hy__box420_ref;
    if (cpu_flags & HY_CPU_AVX2)
        k->box420 = hy__box420_avx2;
}
