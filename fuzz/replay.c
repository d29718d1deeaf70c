/* fuzz/replay.c - a driver for the fuzz targets without libFuzzer: runs the target on every
 * seed file named on the command line, then on deterministic mutations of each (byte flips,
 * truncations, duplicated and deleted spans), so the sanitizer build tests the parsers on
 * broken input in every CI run. With clang, build the targets with -fsanitize=fuzzer instead
 * (HY_FUZZ=ON) for real coverage-guided fuzzing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint32_t rng = 0x12345678u;
static uint32_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    int mutations = 2000, seeds = 0;
    for (int i = 1; i < argc; i++) {
        size_t size;
        uint8_t *seed = read_file(argv[i], &size), *buf;
        if (!seed) {
            fprintf(stderr, "replay: cannot read %s\n", argv[i]);
            return 1;
        }
        seeds++;
        LLVMFuzzerTestOneInput(seed, size);
        buf = malloc(size * 2 + 16);
        for (int k = 0; k < mutations && buf; k++) {
            size_t n = size;
            memcpy(buf, seed, size);
            for (int e = 0, edits = 1 + (int)(next() % 8); e < edits && n; e++) {
                size_t at = next() % n, span = 1 + next() % 16;
                switch (next() % 4) {
                case 0: /* flip a byte */
                    buf[at] ^= (uint8_t)(1 + next() % 255);
                    break;
                case 1: /* truncate */
                    n = at;
                    break;
                case 2: /* delete a span */
                    if (at + span > n)
                        span = n - at;
                    memmove(buf + at, buf + at + span, n - at - span);
                    n -= span;
                    break;
                default: /* duplicate a span */
                    if (at + span > n)
                        span = n - at;
                    if (n + span <= size * 2 + 16) {
                        memmove(buf + at + span, buf + at, n - at);
                        n += span;
                    }
                    break;
                }
            }
            LLVMFuzzerTestOneInput(buf, n);
        }
        free(buf);
        free(seed);
    }
    printf("replay: %d seeds, %d mutations each: no crash\n", seeds, mutations);
    return seeds ? 0 : 1;
}
