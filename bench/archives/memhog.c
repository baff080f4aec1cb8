/* Holds N MiB of incompressible memory (xorshift), prints "ready" (and creates the file named by its second
   argument, for runs whose stdout goes nowhere), then counts once a second.
   Static, so it runs in a busybox rootfs. Build: gcc -O2 -static -o memhog memhog.c */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 64;
    size_t words = mib * 1024 * 1024 / sizeof(uint64_t);
    uint64_t *p = malloc(words * sizeof(uint64_t)), x = 88172645463325252ULL;
    if (!p) return 1;
    for (size_t i = 0; i < words; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; p[i] = x; }
    if (argc > 2) { FILE *f = fopen(argv[2], "w"); if (f) fclose(f); }
    printf("ready\n");
    fflush(stdout);
    for (unsigned long n = 1;; n++) { printf("%lu\n", n); fflush(stdout); sleep(1); }
}
