/* memhog N: hold N MiB of touched anonymous memory, then sleep.
 *
 * Every page is written with a pattern that differs from page to page (no zero pages, nothing a
 * dumper could skip), "ready" is printed once all of them are resident, and the process sleeps
 * until it is killed. Built static by bench/run.sh so that it runs in a busybox rootfs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s MIB\n", argv[0]);
        return 2;
    }
    char *end;
    long mib = strtol(argv[1], &end, 10);
    if (*end != '\0' || mib <= 0 || mib > (1L << 20)) {
        fprintf(stderr, "memhog: bad size '%s'\n", argv[1]);
        return 2;
    }
    size_t size = (size_t)mib << 20;
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *mem = malloc(size);
    if (mem == NULL) {
        perror("memhog: malloc");
        return 1;
    }
    for (size_t off = 0, i = 0; off < size; off += (size_t)page, i++)
        memset(mem + off, (int)(0x5a ^ (i * 131u)) | 1, (size_t)page);

    printf("ready %ld MiB\n", mib);
    fflush(stdout);
    for (;;)
        pause();
}
