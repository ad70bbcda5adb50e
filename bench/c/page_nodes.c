/*
 * page_nodes: which pages of another process are present, and on which NUMA node they sit, for the
 * real-client benchmark (bench/kv-vm.sh, issue 20). The server's hot keys are known only by when
 * they were loaded: a snapshot of the server's present pages after the cold keys and another after
 * the hot keys give the pages the hot load added; this tool then says where those pages are.
 *
 * usage: page_nodes present PID          prints the present pages of every mapping of PID, one
 *                                        16-digit hex address a line, ascending (from pagemap bit 63;
 *                                        swapped pages count as absent)
 *        page_nodes count PID FILE       reads addresses (as printed above) and prints
 *                                        "pages=P N0=.. N1=.. absent=.." from move_pages(2) in query
 *                                        mode (nodes = NULL: nothing moves)
 *        page_nodes watch PID FILE MS    the same query every MS milliseconds until PID exits or
 *                                        this is killed, a line each: "EPOCH_S N0 PAGES" (the wall
 *                                        clock after the query, ms resolution), for the time to
 *                                        90 % at a finer step than the benchmark's samples
 *
 * Needs ptrace read access to PID (root). Built on the host by bench/kv-vm.sh:
 * gcc -O2 -o target/bench/page_nodes bench/c/page_nodes.c (no libnuma: the raw syscall).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MAX_NODES 64
#define BATCH 4096

static long page_bytes;

static int present(int pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *maps = fopen(path, "r");
    snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
    int pm = open(path, O_RDONLY);
    if (!maps || pm < 0) {
        perror("page_nodes: open maps/pagemap");
        return 1;
    }
    char line[4096];
    uint64_t entries[512];
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        if (sscanf(line, "%lx-%lx", &start, &end) != 2 || strstr(line, "[vsyscall]")) {
            continue;
        }
        for (unsigned long a = start; a < end;) {
            size_t n = (end - a) / page_bytes;
            if (n > 512) {
                n = 512;
            }
            ssize_t got = pread(pm, entries, n * 8, (off_t)(a / page_bytes) * 8);
            if (got <= 0) {
                break;
            }
            n = (size_t)got / 8;
            for (size_t i = 0; i < n; i++) {
                if (entries[i] >> 63 & 1) {
                    printf("%016lx\n", a + i * page_bytes);
                }
            }
            a += n * page_bytes;
        }
    }
    fclose(maps);
    close(pm);
    return 0;
}

/* The addresses in FILE (as "present" prints them), in *pages; returns their number, -1 on error. */
static long read_list(const char *file, void ***pages) {
    FILE *in = fopen(file, "r");
    if (!in) {
        perror("page_nodes: open list");
        return -1;
    }
    long n = 0, cap = 4096;
    *pages = malloc(cap * sizeof **pages);
    char line[64];
    while (*pages && fgets(line, sizeof line, in)) {
        if (n == cap) {
            cap *= 2;
            void **grown = realloc(*pages, cap * sizeof **pages);
            if (!grown) {
                free(*pages);
                *pages = NULL;
                break;
            }
            *pages = grown;
        }
        (*pages)[n++] = (void *)strtoul(line, NULL, 16);
    }
    fclose(in);
    if (!*pages) {
        fprintf(stderr, "page_nodes: out of memory reading %s\n", file);
        return -1;
    }
    return n;
}

/* Where each of the n pages sits (move_pages in query mode), counted per node into per_node
 * (MAX_NODES) and *absent; 0, or 1 on error. */
static int query(int pid, void **pages, long n, long *per_node, long *absent) {
    static int status[BATCH];
    memset(per_node, 0, MAX_NODES * sizeof *per_node);
    *absent = 0;
    for (long first = 0; first < n; first += BATCH) {
        long batch = n - first < BATCH ? n - first : BATCH;
        if (syscall(SYS_move_pages, pid, (unsigned long)batch, pages + first, NULL, status, 0) < 0) {
            perror("page_nodes: move_pages");
            return 1;
        }
        for (long i = 0; i < batch; i++) {
            if (status[i] >= 0 && status[i] < MAX_NODES) {
                per_node[status[i]]++;
            } else {
                (*absent)++;
            }
        }
    }
    return 0;
}

static int count(int pid, const char *file) {
    void **pages;
    long per_node[MAX_NODES], absent;
    long total = read_list(file, &pages);
    if (total < 0 || query(pid, pages, total, per_node, &absent)) {
        return 1;
    }
    printf("pages=%ld", total);
    for (int i = 0; i < 2; i++) {
        printf(" N%d=%ld", i, per_node[i]);
    }
    printf(" absent=%ld\n", absent);
    free(pages);
    return 0;
}

/* Every interval_ms, until PID exits or this is killed: "EPOCH_S N0 PAGES", EPOCH_S the wall clock
 * after the query (date +%s.%N's clock), flushed per line. */
static int watch(int pid, const char *file, long interval_ms) {
    void **pages;
    long per_node[MAX_NODES], absent;
    long total = read_list(file, &pages);
    if (total < 0) {
        return 1;
    }
    struct timespec pause = {interval_ms / 1000, interval_ms % 1000 * 1000000L}, now;
    while (!query(pid, pages, total, per_node, &absent)) {
        clock_gettime(CLOCK_REALTIME, &now);
        printf("%ld.%03ld %ld %ld\n", (long)now.tv_sec, now.tv_nsec / 1000000, per_node[0], total);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    free(pages);
    return 0;
}

int main(int argc, char **argv) {
    page_bytes = sysconf(_SC_PAGESIZE);
    if (argc == 3 && !strcmp(argv[1], "present")) {
        return present(atoi(argv[2]));
    }
    if (argc == 4 && !strcmp(argv[1], "count")) {
        return count(atoi(argv[2]), argv[3]);
    }
    if (argc == 5 && !strcmp(argv[1], "watch") && atol(argv[4]) > 0) {
        return watch(atoi(argv[2]), argv[3], atol(argv[4]));
    }
    fprintf(stderr, "usage: page_nodes present PID | page_nodes count PID FILE | page_nodes watch PID FILE MS\n");
    return 2;
}
