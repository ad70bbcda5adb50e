/*
 * move_pages_loop: the plainest userspace page mover, as the baseline for tierd's mover (issue 8,
 * benchmark 2). Maps a buffer, faults it in on the slow node (temporary MPOL_BIND + first touch,
 * then MPOL_DEFAULT again, as tierd.mover.MoverBench does), and moves it slow -> fast and
 * fast -> slow, several rounds, with move_pages(2) in fixed batches: no placement query, no
 * adaptive batch size, no retries. Prints one row per move and checks placement and content.
 *
 * usage: move_pages_loop [--mib N] [--rounds R] [--fast NODE] [--slow NODE] [--batch PAGES]
 *   defaults: 256 MiB, 3 rounds, fast 0, slow 1, batch 1024 pages (0 = all pages in one call)
 *
 * Row: direction MiB/s elapsed_ms longest_call_ms calls calls_over_20ms moved_MiB
 *   MiB/s = pages that reached the target x 4 KiB / wall time of the whole loop.
 * Exit status: 0; 1 on a setup error or when a move left pages behind or changed the content.
 *
 * Built on the host: gcc -O2 -o target/bench/move_pages_loop bench/c/move_pages_loop.c
 * (no libnuma: raw syscalls).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_BIND 2
#define MPOL_MF_MOVE (1 << 1)
#define PAGE 4096UL

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what)
{
    fprintf(stderr, "move_pages_loop: %s: %s\n", what, strerror(errno));
    exit(1);
}

static uint64_t checksum(const volatile uint64_t *w, size_t words)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < words; i++) {
        h ^= w[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* pages of the buffer on `node` (query mode: nodes = NULL) */
static size_t on_node(void **pages, int *status, size_t n, int node)
{
    if (syscall(SYS_move_pages, 0, n, pages, NULL, status, 0) < 0)
        die("move_pages query");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += status[i] == node;
    return k;
}

int main(int argc, char **argv)
{
    long mib = 256, rounds = 3, batch = 1024;
    int fast = 0, slow = 1;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--mib")) mib = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--rounds")) rounds = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--fast")) fast = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--slow")) slow = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--batch")) batch = atol(argv[i + 1]);
        else {
            fprintf(stderr, "move_pages_loop: unknown argument %s\n", argv[i]);
            return 2;
        }
    }
    size_t bytes = (size_t)mib << 20, n = bytes / PAGE;
    if (batch <= 0 || (size_t)batch > n)
        batch = (long)n;
    char *buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED)
        die("mmap");
    if (madvise(buf, bytes, MADV_NOHUGEPAGE))
        die("madvise");
    unsigned long mask = 1UL << slow;
    if (syscall(SYS_mbind, buf, bytes, MPOL_BIND, &mask, 64, 0))
        die("mbind");
    volatile uint64_t *w = (volatile uint64_t *)buf;
    for (size_t i = 0; i < bytes / 8; i++)
        w[i] = i * 0x9e3779b97f4a7c15ULL;
    if (syscall(SYS_mbind, buf, bytes, MPOL_DEFAULT, NULL, 0, 0))
        die("mbind default");
    uint64_t sum = checksum(w, bytes / 8);

    void **pages = malloc(n * sizeof *pages);
    int *nodes = malloc(n * sizeof *nodes), *status = malloc(n * sizeof *status);
    if (!pages || !nodes || !status)
        die("malloc");
    for (size_t i = 0; i < n; i++)
        pages[i] = buf + i * PAGE;
    printf("move_pages_loop: %ld MiB 4 KiB-page buffer, fast node %d, slow node %d, batch %ld pages, "
           "%zu of %zu pages on node %d\n",
           mib, fast, slow, batch, on_node(pages, status, n, slow), n, slow);
    printf("direction        MiB/s   elapsed_ms  longest_call_ms       calls  over_20ms   moved_MiB\n");
    int bad = 0;
    for (long r = 0; r < rounds; r++) {
        for (int d = 0; d < 2; d++) {
            int from = d ? fast : slow, to = d ? slow : fast;
            for (size_t i = 0; i < n; i++)
                nodes[i] = to;
            double t0 = now_ms(), longest = 0;
            long calls = 0, over = 0;
            size_t moved = 0;
            for (size_t off = 0; off < n; off += (size_t)batch) {
                size_t k = n - off < (size_t)batch ? n - off : (size_t)batch;
                double c0 = now_ms();
                long rc = syscall(SYS_move_pages, 0, k, pages + off, nodes + off, status + off,
                                  MPOL_MF_MOVE);
                double c = now_ms() - c0;
                calls++;
                if (c > longest)
                    longest = c;
                over += c > 20.0;
                if (rc < 0)
                    die("move_pages");
                for (size_t i = off; i < off + k; i++)
                    moved += status[i] == to;
            }
            double ms = now_ms() - t0;
            char dir[32];
            snprintf(dir, sizeof dir, "node %d->%d", from, to);
            printf("%-14s %7.1f %12.1f %16.2f %11ld %10ld %11.1f\n", dir,
                   moved * (double)PAGE / (1 << 20) / (ms / 1e3), ms, longest, calls, over,
                   moved * (double)PAGE / (1 << 20));
            size_t there = on_node(pages, status, n, to);
            if (there != n) {
                printf("move_pages_loop: only %zu of %zu pages on node %d\n", there, n, to);
                bad = 1;
            }
        }
    }
    if (checksum(w, bytes / 8) != sum) {
        printf("move_pages_loop: buffer content changed\n");
        bad = 1;
    }
    printf("move_pages_loop: %s\n", bad ? "FAILED" : "all pages moved each time; content verified");
    return bad;
}
