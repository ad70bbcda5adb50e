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

static int count(int pid, const char *file) {
    FILE *in = fopen(file, "r");
    if (!in) {
        perror("page_nodes: open list");
        return 1;
    }
    void *pages[BATCH];
    int status[BATCH];
    long per_node[MAX_NODES] = {0};
    long absent = 0, total = 0;
    char line[64];
    int n = 0;
    for (int done = 0; !done;) {
        if (fgets(line, sizeof line, in)) {
            pages[n++] = (void *)strtoul(line, NULL, 16);
        } else {
            done = 1;
        }
        if (n == BATCH || (done && n > 0)) {
            if (syscall(SYS_move_pages, pid, (unsigned long)n, pages, NULL, status, 0) < 0) {
                perror("page_nodes: move_pages");
                return 1;
            }
            for (int i = 0; i < n; i++) {
                if (status[i] >= 0 && status[i] < MAX_NODES) {
                    per_node[status[i]]++;
                } else {
                    absent++;
                }
            }
            total += n;
            n = 0;
        }
    }
    fclose(in);
    printf("pages=%ld", total);
    for (int i = 0; i < 2; i++) {
        printf(" N%d=%ld", i, per_node[i]);
    }
    printf(" absent=%ld\n", absent);
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
    fprintf(stderr, "usage: page_nodes present PID | page_nodes count PID FILE\n");
    return 2;
}
