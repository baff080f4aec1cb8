/* floor PAGES_FILE TEXT [THREADS] [CHUNK_KIB]: the least a memory search can cost here.
 *
 * Counts TEXT in one pages file the way `stasis checkpoint memsearch` reads it (each chunk mapped
 * read-only, searched in place, unmapped; THREADS workers, default 2, taking chunks in order), with
 * glibc's memchr for the first byte and memcmp for the rest, and nothing else: no process tree, no
 * pagemap, no runtime. Prints the hits and the wall time of the scan alone, in ms. Used by
 * bench/inspect/run.sh to show how close the search is to the machine's limit (mapping the page
 * cache and one pass over it). Matches across chunk boundaries are not counted; this only times. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int fd;
static long file_size, chunk;
static const char *text;
static size_t text_len;
static atomic_long next_chunk, hits;

static void *worker(void *arg)
{
    (void)arg;
    for (;;) {
        long off = atomic_fetch_add(&next_chunk, 1) * chunk;
        if (off >= file_size)
            return NULL;
        long len = file_size - off < chunk ? file_size - off : chunk;
        const char *p = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, fd, off);
        if (p == MAP_FAILED) {
            perror("floor: mmap");
            exit(1);
        }
        const char *end = p + len, *q = p;
        while (q < end && (q = memchr(q, text[0], (size_t)(end - q))) != NULL) {
            if ((size_t)(end - q) >= text_len && memcmp(q, text, text_len) == 0)
                atomic_fetch_add(&hits, 1);
            q++;
        }
        munmap((void *)p, (size_t)len);
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PAGES_FILE TEXT [THREADS] [CHUNK_KIB]\n", argv[0]);
        return 2;
    }
    text = argv[2];
    text_len = strlen(text);
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    chunk = (argc > 4 ? atol(argv[4]) : 2048) * 1024;
    if (text_len == 0 || threads < 1 || threads > 64 || chunk <= 0 || chunk % sysconf(_SC_PAGESIZE) != 0) {
        fprintf(stderr, "floor: bad arguments\n");
        return 2;
    }
    fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror("floor: open");
        return 1;
    }
    file_size = st.st_size;

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t tid[64];
    for (int i = 0; i < threads; i++)
        pthread_create(&tid[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(tid[i], NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld hits in %ld bytes, %.1f ms\n", (long)hits, file_size,
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    return 0;
}
