/*
 * tierd-workload: a deterministic memory workload for tierd's end-to-end tests in the NUMA VM.
 *
 * usage: tierd-workload --buffer NAME:SIZE:PLACE:POLICY:ACCESS [--buffer ...]
 *                       [--report FILE] [--report-interval SECS] [--duration SECS]
 *                       [--zipf S] [--hot-set SIZE] [--pause-ms MS] [--write] [--thp] [--seed N]
 *                       [--pidfile FILE] [--quiet]
 *
 * --buffer NAME:SIZE:PLACE:POLICY:ACCESS   one buffer = one anonymous private mmap of its own
 *     NAME    [A-Za-z0-9_.-]+, unique
 *     SIZE    bytes, suffix K, M or G (powers of 1024); rounded up to whole pages
 *     PLACE   node to fault the buffer in on (temporary MPOL_BIND + first touch), or "-" to fault
 *             it in under the final POLICY instead
 *     POLICY  the VMA's final mempolicy, set with mbind() WITHOUT MPOL_MF_MOVE after placement:
 *             default | local | bind:NODES | preferred:NODE | preferred-many:NODES | interleave:NODES
 *             (NODES in the kernel's list syntax, e.g. 0-1,3; POLICY may contain ':' because
 *             NAME, SIZE and PLACE are the first three fields and ACCESS is the last)
 *     ACCESS  hot  = read continuously in a loop (with --write each word read is written back
 *                    unchanged, so checksums stay valid and the dirty bit gets set)
 *             cold = never touched after setup
 *             hot-half = ONE mapping whose first half is written in a loop (each word read and
 *                    written back unchanged, with or without --write) and whose second half is
 *                    never touched after setup: a hot and a cold part in one VMA, as a database
 *                    buffer pool or a JVM heap has them. Reports give the first half's placement
 *                    as "hot_set" (the rest = the buffer minus hot_set); --zipf does not apply
 *   Buffers are separated by PROT_NONE guard pages so that the kernel never merges two of them
 *   into one VMA: every buffer is exactly one line in /proc/PID/numa_maps.
 * --report FILE          append JSON lines (format below): at start, every --report-interval
 *                        seconds (default 0 = never), on SIGUSR1, and at exit
 * --duration SECS        exit after SECS (default 0 = run until SIGTERM/SIGINT)
 * --zipf S               hot buffers: instead of sweeping every page in order, pick pages with a
 *                        Zipf(S) distribution over page ranks, rank r = page r (the start of a
 *                        buffer is hottest); S > 0, e.g. 0.99 or 1.2
 * --hot-set SIZE         with --zipf: the first SIZE bytes of each hot buffer (its hottest ranks) are
 *                        its hot set; reports then give that part's placement separately
 *                        ("hot_set" below), e.g. to follow the hot-set share on the fast tier
 * --pause-ms MS          sleep MS after each sweep over the hot buffers (default 0 = continuous;
 *                        under TCG a busy loop halves everyone else's CPU)
 * --thp                  MADV_HUGEPAGE and 2 MiB alignment (default: MADV_NOHUGEPAGE, 4 KiB pages)
 * --seed N               pattern seed (default 1); a buffer's pattern depends on seed and NAME
 * --pidfile FILE         written (atomically) after placement and the start report, so its
 *                        existence means "buffers are in place"
 *
 * Pattern and checksum: word i (64-bit) of a buffer = splitmix64(fnv1a64(NAME) ^ seed + i); the
 * checksum is FNV-1a 64 over the buffer's 64-bit words (h ^= w; h *= 0x100000001b3), which is
 * 8x cheaper than byte-wise FNV under emulation. The expected value is computed while filling.
 *
 * Report line (one JSON object per line, keys in this order):
 *   {"event":"start"|"periodic"|"signal"|"exit", "seq":N, "time_ms":EPOCH_MS, "uptime_ms":MS,
 *    "pid":PID, "reason":null|"duration"|"SIGTERM"|"SIGINT", "sweeps":N, "accesses":N,
 *    "buffers":[{"name":"hot", "size_bytes":B, "pages":P, "page_size":4096,
 *                "start":DEC, "end":DEC, "start_hex":"7f..", "end_hex":"7f..",   (VMA [start,end))
 *                "place":1|null, "policy":"bind:1", "access":"hot"|"cold", "thp":false,
 *                "pages_per_node":{"0":12,"1":4084},        (move_pages(nodes=NULL))
 *                "pages_not_present":0, "pages_error":0,
 *                "hot_set":{"pages":P,"pages_per_node":{"0":..}},  (only with --zipf and --hot-set,
 *                                                                  hot buffers, and for hot-half
 *                                                                  buffers: the written half;
 *                                                                  else absent)
 *                "mempolicy":{"mode":"bind","nodes":"1"},  (get_mempolicy(MPOL_F_ADDR) now)
 *                "checksum":"0x0123456789abcdef"|null, "checksum_expected":"0x..",
 *                "checksum_ok":true|null}]}
 *   The checksum is computed for start, signal and exit reports; periodic ones carry null.
 *   "accesses" counts the words read by the access loop since start (one per page touch), so two
 *   reports give accesses per second.
 *   ("start_hex" is formatted like numa_maps' first column: lower-case hex without 0x.)
 *
 * stdout: one line per buffer at start and at exit: "tierd-workload: <name> checksum 0x.. (start|end)".
 * Exit status: 0, or 3 if any checksum at exit differs from the expected one, 2 on usage errors,
 * 1 on setup errors (mmap/mbind failures are reported with errno).
 *
 * Raw syscalls (mbind, get_mempolicy, move_pages): no libnuma needed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MPOL_DEFAULT 0
#define MPOL_PREFERRED 1
#define MPOL_BIND 2
#define MPOL_INTERLEAVE 3
#define MPOL_LOCAL 4
#define MPOL_PREFERRED_MANY 5
#define MPOL_WEIGHTED_INTERLEAVE 6
#define MPOL_F_ADDR (1 << 1)
#define MPOL_MODE_FLAGS_MASK 0xffff0000u /* MPOL_F_STATIC_NODES etc. in the high bits */

#define MAX_NODES 1024
#define MASK_WORDS (MAX_NODES / 64)
#define MAX_BUFFERS 256
#define PAGE 4096UL
#define HUGE_ALIGN (2UL << 20)
#define MOVE_PAGES_BATCH 4096

struct buffer {
    char name[64];
    size_t size;       /* bytes, whole pages */
    size_t pages;
    int place;         /* node or -1 */
    char policy_str[128];
    int mode;          /* MPOL_* */
    unsigned long mask[MASK_WORDS];
    int hot;
    int half;          /* hot-half: only the first half is accessed, always written */
    uint64_t seed;
    uint64_t expected; /* checksum of the pattern */
    volatile uint64_t *addr;
    double *zipf_cdf;  /* per page, when --zipf */
    size_t hot_pages;  /* pages of the hot set (--hot-set with --zipf), else 0 */
};

static struct buffer bufs[MAX_BUFFERS];
static int nbufs;
static const char *report_path;
static const char *pidfile;
static double report_interval, duration, zipf_s;
static size_t hot_set_bytes;
static long pause_ms;
static int opt_write, opt_thp, quiet;
static uint64_t seed = 1;
static int report_fd = -1;
static long seq;
static unsigned long sweeps;
static unsigned long long accesses;
static struct timespec t_start;
static volatile sig_atomic_t got_usr1, got_term;
static volatile uint64_t sink;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tierd-workload: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tierd-workload: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nusage: tierd-workload --buffer NAME:SIZE:PLACE:POLICY:ACCESS [--buffer ...] [--report FILE]\n"
          "       [--report-interval SECS] [--duration SECS] [--zipf S] [--hot-set SIZE] [--pause-ms MS]\n"
          "       [--write] [--thp] [--seed N] [--pidfile FILE] [--quiet]   (see the comment at the top of tierd-workload.c)\n",
          stderr);
    va_end(ap);
    exit(2);
}

static long sys_mbind(void *addr, unsigned long len, int mode, const unsigned long *mask,
                      unsigned long maxnode, unsigned flags)
{
    return syscall(SYS_mbind, addr, len, mode, mask, maxnode, flags);
}

static long sys_get_mempolicy(int *mode, unsigned long *mask, unsigned long maxnode, void *addr,
                              unsigned long flags)
{
    return syscall(SYS_get_mempolicy, mode, mask, maxnode, addr, flags);
}

static long sys_move_pages(int pid, unsigned long count, void **pages, const int *nodes,
                           int *status, int flags)
{
    return syscall(SYS_move_pages, pid, count, pages, nodes, status, flags);
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t fnv1a_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t_start.tv_sec) + (t.tv_nsec - t_start.tv_nsec) / 1e9;
}

/* "0-3,8" -> mask; returns 0 or -1 */
static int parse_nodelist(const char *s, unsigned long *mask)
{
    memset(mask, 0, MASK_WORDS * sizeof(long));
    if (!*s)
        return -1;
    while (*s) {
        char *end;
        long a = strtol(s, &end, 10), b;
        if (end == s || a < 0 || a >= MAX_NODES)
            return -1;
        b = a;
        s = end;
        if (*s == '-') {
            s++;
            b = strtol(s, &end, 10);
            if (end == s || b < a || b >= MAX_NODES)
                return -1;
            s = end;
        }
        for (long n = a; n <= b; n++)
            mask[n / 64] |= 1UL << (n % 64);
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return 0;
}

static void format_nodelist(const unsigned long *mask, char *out, size_t outsz)
{
    size_t len = 0;
    out[0] = 0;
    for (int n = 0; n < MAX_NODES; n++) {
        if (!(mask[n / 64] & (1UL << (n % 64))))
            continue;
        int m = n;
        while (m + 1 < MAX_NODES && (mask[(m + 1) / 64] & (1UL << ((m + 1) % 64))))
            m++;
        len += snprintf(out + len, outsz > len ? outsz - len : 0, "%s%d", len ? "," : "", n);
        if (m > n)
            len += snprintf(out + len, outsz > len ? outsz - len : 0, "-%d", m);
        n = m;
    }
}

static size_t parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s)
        return 0;
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    case 0: break;
    default: return 0;
    }
    if (*end == 'i' || *end == 'B')  /* tolerate "MiB"/"MB" */
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end)
        return 0;
    return (size_t)((v + PAGE - 1) / PAGE * PAGE);
}

static void parse_buffer(char *spec)
{
    if (nbufs == MAX_BUFFERS)
        usage_error("at most %d buffers", MAX_BUFFERS);
    struct buffer *b = &bufs[nbufs];
    char *orig = strdup(spec);
    char *f1 = strchr(spec, ':');
    char *f2 = f1 ? strchr(f1 + 1, ':') : NULL;
    char *f3 = f2 ? strchr(f2 + 1, ':') : NULL;
    char *last = strrchr(spec, ':');
    if (!f3 || last == f2 || last < f3)
        usage_error("--buffer '%s': want NAME:SIZE:PLACE:POLICY:ACCESS", orig);
    *f1 = *f2 = *f3 = *last = 0;
    const char *name = spec, *size = f1 + 1, *place = f2 + 1, *policy = f3 + 1, *access = last + 1;

    if (!*name || strlen(name) >= sizeof b->name || strspn(name,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != strlen(name))
        usage_error("--buffer '%s': NAME must be 1-63 chars of [A-Za-z0-9_.-]", orig);
    for (int i = 0; i < nbufs; i++)
        if (!strcmp(bufs[i].name, name))
            usage_error("--buffer '%s': duplicate NAME", orig);
    strcpy(b->name, name);

    b->size = parse_size(size);
    if (!b->size)
        usage_error("--buffer '%s': bad SIZE '%s' (e.g. 64M)", orig, size);
    b->pages = b->size / PAGE;

    if (!strcmp(place, "-")) {
        b->place = -1;
    } else {
        char *end;
        long n = strtol(place, &end, 10);
        if (end == place || *end || n < 0 || n >= MAX_NODES)
            usage_error("--buffer '%s': PLACE must be a node number or '-'", orig);
        b->place = (int)n;
    }

    snprintf(b->policy_str, sizeof b->policy_str, "%s", policy);
    memset(b->mask, 0, sizeof b->mask);
    const char *nodes = NULL;
    if (!strcmp(policy, "default")) {
        b->mode = MPOL_DEFAULT;
    } else if (!strcmp(policy, "local")) {
        b->mode = MPOL_LOCAL;
    } else if (!strncmp(policy, "bind:", 5)) {
        b->mode = MPOL_BIND; nodes = policy + 5;
    } else if (!strncmp(policy, "preferred-many:", 15)) {
        b->mode = MPOL_PREFERRED_MANY; nodes = policy + 15;
    } else if (!strncmp(policy, "preferred:", 10)) {
        b->mode = MPOL_PREFERRED; nodes = policy + 10;
    } else if (!strncmp(policy, "interleave:", 11)) {
        b->mode = MPOL_INTERLEAVE; nodes = policy + 11;
    } else {
        usage_error("--buffer '%s': POLICY must be default, local, bind:NODES, preferred:NODE, "
                    "preferred-many:NODES or interleave:NODES", orig);
    }
    if (nodes && parse_nodelist(nodes, b->mask))
        usage_error("--buffer '%s': bad node list '%s'", orig, nodes);
    if (b->mode == MPOL_PREFERRED && strpbrk(nodes, ",-"))
        usage_error("--buffer '%s': preferred takes exactly one node", orig);

    b->half = 0;
    if (!strcmp(access, "hot"))
        b->hot = 1;
    else if (!strcmp(access, "cold"))
        b->hot = 0;
    else if (!strcmp(access, "hot-half"))
        b->hot = b->half = 1;
    else
        usage_error("--buffer '%s': ACCESS must be hot, cold or hot-half", orig);
    free(orig);
    nbufs++;
}

static const char *mode_name(int mode)
{
    switch (mode & ~MPOL_MODE_FLAGS_MASK) {
    case MPOL_DEFAULT: return "default";
    case MPOL_PREFERRED: return "preferred";
    case MPOL_BIND: return "bind";
    case MPOL_INTERLEAVE: return "interleave";
    case MPOL_LOCAL: return "local";
    case MPOL_PREFERRED_MANY: return "preferred-many";
    case MPOL_WEIGHTED_INTERLEAVE: return "weighted-interleave";
    default: return "unknown";
    }
}

static uint64_t checksum(const struct buffer *b)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t words = b->size / 8;
    for (size_t i = 0; i < words; i++) {
        h ^= b->addr[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void setup_buffer(struct buffer *b)
{
    size_t guard = opt_thp ? HUGE_ALIGN : PAGE;
    size_t align = opt_thp ? HUGE_ALIGN : PAGE;
    size_t total = b->size + 2 * guard + align;
    char *raw = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED)
        die("%s: mmap(%zu): %s", b->name, total, strerror(errno));
    uintptr_t start = ((uintptr_t)raw + guard + align - 1) & ~(uintptr_t)(align - 1);
    if (mprotect((void *)start, b->size, PROT_READ | PROT_WRITE))
        die("%s: mprotect: %s", b->name, strerror(errno));
    b->addr = (volatile uint64_t *)start;
    if (madvise((void *)start, b->size, opt_thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
        die("%s: madvise(%s): %s", b->name, opt_thp ? "MADV_HUGEPAGE" : "MADV_NOHUGEPAGE",
            strerror(errno));

    unsigned long maxnode = MAX_NODES + 1; /* the kernel reads maxnode-1 bits */
    if (b->place >= 0) {
        unsigned long m[MASK_WORDS] = {0};
        m[b->place / 64] = 1UL << (b->place % 64);
        if (sys_mbind((void *)start, b->size, MPOL_BIND, m, maxnode, 0))
            die("%s: mbind(MPOL_BIND, node %d) for placement: %s", b->name, b->place, strerror(errno));
    } else if (b->mode != MPOL_DEFAULT) {
        if (sys_mbind((void *)start, b->size, b->mode, b->mode == MPOL_LOCAL ? NULL : b->mask,
                      b->mode == MPOL_LOCAL ? 0 : maxnode, 0))
            die("%s: mbind(%s): %s", b->name, b->policy_str, strerror(errno));
    }

    /* First touch: fill with the pattern and compute the expected checksum on the way. */
    uint64_t s = fnv1a_str(b->name) ^ seed, h = 0xcbf29ce484222325ULL;
    size_t words = b->size / 8;
    for (size_t i = 0; i < words; i++) {
        uint64_t w = splitmix64(s + i);
        b->addr[i] = w;
        h ^= w;
        h *= 0x100000001b3ULL;
    }
    b->expected = h;

    /* Final VMA policy, without MPOL_MF_MOVE: pages stay where they were faulted in. */
    if (b->place >= 0) {
        int ok;
        if (b->mode == MPOL_DEFAULT)
            ok = sys_mbind((void *)start, b->size, MPOL_DEFAULT, NULL, 0, 0) == 0;
        else if (b->mode == MPOL_LOCAL)
            ok = sys_mbind((void *)start, b->size, MPOL_LOCAL, NULL, 0, 0) == 0;
        else
            ok = sys_mbind((void *)start, b->size, b->mode, b->mask, maxnode, 0) == 0;
        if (!ok)
            die("%s: mbind(%s) after placement: %s", b->name, b->policy_str, strerror(errno));
    }

    if (b->half)
        b->hot_pages = b->pages / 2;
    if (b->hot && !b->half && zipf_s > 0) {
        b->zipf_cdf = malloc(b->pages * sizeof(double));
        if (!b->zipf_cdf)
            die("%s: out of memory for the zipf table", b->name);
        double sum = 0;
        for (size_t r = 0; r < b->pages; r++)
            b->zipf_cdf[r] = (sum += 1.0 / pow((double)(r + 1), zipf_s));
        for (size_t r = 0; r < b->pages; r++)
            b->zipf_cdf[r] /= sum;
        if (hot_set_bytes)
            b->hot_pages = hot_set_bytes / PAGE < b->pages ? hot_set_bytes / PAGE : b->pages;
    }
}

/* placement of the first npages pages via move_pages(nodes=NULL); counts[] per node, plus
   not-present and other errors */
static void placement(const struct buffer *b, size_t npages, unsigned long *counts,
                      unsigned long *not_present, unsigned long *errors)
{
    static void *pages[MOVE_PAGES_BATCH];
    static int status[MOVE_PAGES_BATCH];
    *not_present = *errors = 0;
    for (size_t off = 0; off < npages; off += MOVE_PAGES_BATCH) {
        size_t n = npages - off < MOVE_PAGES_BATCH ? npages - off : MOVE_PAGES_BATCH;
        for (size_t i = 0; i < n; i++) {
            pages[i] = (char *)b->addr + (off + i) * PAGE;
            status[i] = INT32_MIN;
        }
        if (sys_move_pages(0, n, pages, NULL, status, 0) < 0) {
            *errors += n;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            if (status[i] >= 0 && status[i] < MAX_NODES)
                counts[status[i]]++;
            else if (status[i] == -ENOENT)
                (*not_present)++;
            else
                (*errors)++;
        }
    }
}

/* Appends to a growing heap string. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_printf(struct sbuf *sb, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(sb->p ? sb->p + sb->len : NULL, sb->p ? sb->cap - sb->len : 0, fmt, ap);
        va_end(ap);
        if (sb->p && (size_t)n < sb->cap - sb->len) {
            sb->len += n;
            return;
        }
        sb->cap = (sb->cap + n + 1) * 2;
        sb->p = realloc(sb->p, sb->cap);
        if (!sb->p)
            die("out of memory");
    }
}

static int report(const char *event, const char *reason, int with_checksum, int print_stdout)
{
    static unsigned long counts[MAX_NODES];
    struct sbuf sb = {0};
    struct timespec wall;
    int mismatches = 0;
    clock_gettime(CLOCK_REALTIME, &wall);
    sb_printf(&sb, "{\"event\":\"%s\",\"seq\":%ld,\"time_ms\":%lld,\"uptime_ms\":%lld,\"pid\":%d,"
                   "\"reason\":%s%s%s,\"sweeps\":%lu,\"accesses\":%llu,\"buffers\":[",
              event, seq++, (long long)wall.tv_sec * 1000 + wall.tv_nsec / 1000000,
              (long long)(now_s() * 1000), (int)getpid(), reason ? "\"" : "", reason ? reason : "null",
              reason ? "\"" : "", sweeps, accesses);
    for (int i = 0; i < nbufs; i++) {
        struct buffer *b = &bufs[i];
        uintptr_t start = (uintptr_t)b->addr, end = start + b->size;
        unsigned long np, ne, pol_mask[MASK_WORDS] = {0};
        int pol_mode = -1;
        char pol_nodes[512] = "", place[16] = "null";
        memset(counts, 0, sizeof counts);
        placement(b, b->pages, counts, &np, &ne);
        if (sys_get_mempolicy(&pol_mode, pol_mask, MAX_NODES + 1, (void *)start, MPOL_F_ADDR) == 0)
            format_nodelist(pol_mask, pol_nodes, sizeof pol_nodes);
        if (b->place >= 0)
            snprintf(place, sizeof place, "%d", b->place);
        sb_printf(&sb, "%s{\"name\":\"%s\",\"size_bytes\":%zu,\"pages\":%zu,\"page_size\":%lu,"
                       "\"start\":%llu,\"end\":%llu,\"start_hex\":\"%llx\",\"end_hex\":\"%llx\","
                       "\"place\":%s,\"policy\":\"%s\",\"access\":\"%s\",\"thp\":%s,"
                       "\"pages_per_node\":{",
                  i ? "," : "", b->name, b->size, b->pages, PAGE, (unsigned long long)start,
                  (unsigned long long)end, (unsigned long long)start, (unsigned long long)end, place,
                  b->policy_str, b->half ? "hot-half" : b->hot ? "hot" : "cold",
                  opt_thp ? "true" : "false");
        int first = 1;
        for (int n = 0; n < MAX_NODES; n++)
            if (counts[n]) {
                sb_printf(&sb, "%s\"%d\":%lu", first ? "" : ",", n, counts[n]);
                first = 0;
            }
        sb_printf(&sb, "},\"pages_not_present\":%lu,\"pages_error\":%lu,", np, ne);
        if (b->hot_pages) {
            unsigned long hnp, hne;
            memset(counts, 0, sizeof counts);
            placement(b, b->hot_pages, counts, &hnp, &hne);
            sb_printf(&sb, "\"hot_set\":{\"pages\":%zu,\"pages_per_node\":{", b->hot_pages);
            first = 1;
            for (int n = 0; n < MAX_NODES; n++)
                if (counts[n]) {
                    sb_printf(&sb, "%s\"%d\":%lu", first ? "" : ",", n, counts[n]);
                    first = 0;
                }
            sb_printf(&sb, "}},");
        }
        sb_printf(&sb, "\"mempolicy\":{\"mode\":\"%s\",\"nodes\":\"%s\"},",
                  pol_mode < 0 ? "error" : mode_name(pol_mode), pol_nodes);
        if (with_checksum) {
            uint64_t c = checksum(b);
            if (c != b->expected)
                mismatches++;
            sb_printf(&sb, "\"checksum\":\"0x%016llx\",", (unsigned long long)c);
            sb_printf(&sb, "\"checksum_expected\":\"0x%016llx\",\"checksum_ok\":%s}",
                      (unsigned long long)b->expected, c == b->expected ? "true" : "false");
            if (print_stdout && !quiet)
                printf("tierd-workload: %s checksum 0x%016llx (%s)%s\n", b->name, (unsigned long long)c,
                       print_stdout == 1 ? "start" : "end",
                       c == b->expected ? "" : " MISMATCH: pattern was corrupted");
        } else {
            sb_printf(&sb, "\"checksum\":null,\"checksum_expected\":\"0x%016llx\",\"checksum_ok\":null}",
                      (unsigned long long)b->expected);
        }
    }
    sb_printf(&sb, "]}\n");
    if (report_fd >= 0) {
        /* one write() per line: a concurrent reader never sees half a line from us */
        size_t off = 0;
        while (off < sb.len) {
            ssize_t w = write(report_fd, sb.p + off, sb.len - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                fprintf(stderr, "tierd-workload: writing %s: %s\n", report_path, strerror(errno));
                break;
            }
            off += w;
        }
    }
    fflush(stdout);
    free(sb.p);
    return mismatches;
}

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        got_usr1 = 1;
    else
        got_term = sig;
}

static size_t zipf_page(const struct buffer *b, uint64_t *rng)
{
    *rng = splitmix64(*rng);
    double u = (*rng >> 11) * (1.0 / 9007199254740992.0);
    size_t lo = 0, hi = b->pages - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (b->zipf_cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static inline void touch(struct buffer *b, size_t page)
{
    volatile uint64_t *w = b->addr + page * (PAGE / 8);
    uint64_t v = *w;
    if (opt_write || b->half)
        *w = v;
    sink += v;
    accesses++;
}

static void write_pidfile(void)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", pidfile, (int)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f || fprintf(f, "%d\n", (int)getpid()) < 0 || fclose(f) || rename(tmp, pidfile))
        die("writing pidfile %s: %s", pidfile, strerror(errno));
}

int main(int argc, char **argv)
{
    clock_gettime(CLOCK_MONOTONIC, &t_start);
    prctl(PR_SET_NAME, "tierd-workload", 0, 0, 0);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define NEEDV() do { if (!v) usage_error("%s needs a value", a); i++; } while (0)
        if (!strcmp(a, "--buffer")) { NEEDV(); parse_buffer(strdup(v)); }
        else if (!strcmp(a, "--report")) { NEEDV(); report_path = v; }
        else if (!strcmp(a, "--report-interval")) { NEEDV(); report_interval = atof(v); }
        else if (!strcmp(a, "--duration")) { NEEDV(); duration = atof(v); }
        else if (!strcmp(a, "--zipf")) { NEEDV(); zipf_s = atof(v); if (zipf_s <= 0) usage_error("--zipf wants S > 0"); }
        else if (!strcmp(a, "--hot-set")) { NEEDV(); hot_set_bytes = parse_size(v); if (!hot_set_bytes) usage_error("--hot-set wants a SIZE (e.g. 64M)"); }
        else if (!strcmp(a, "--pause-ms")) { NEEDV(); pause_ms = atol(v); }
        else if (!strcmp(a, "--seed")) { NEEDV(); seed = strtoull(v, NULL, 0); }
        else if (!strcmp(a, "--pidfile")) { NEEDV(); pidfile = v; }
        else if (!strcmp(a, "--write")) opt_write = 1;
        else if (!strcmp(a, "--thp")) opt_thp = 1;
        else if (!strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) usage_error("help");
        else usage_error("unknown argument '%s'", a);
#undef NEEDV
    }
    if (!nbufs)
        usage_error("at least one --buffer is required");
    if (report_interval < 0 || duration < 0 || pause_ms < 0)
        usage_error("intervals must be >= 0");
    if (hot_set_bytes && zipf_s <= 0)
        usage_error("--hot-set needs --zipf");

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    if (report_path) {
        report_fd = open(report_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (report_fd < 0)
            die("opening %s: %s", report_path, strerror(errno));
    }
    for (int i = 0; i < nbufs; i++)
        setup_buffer(&bufs[i]);
    report("start", NULL, 1, 1);
    if (pidfile)
        write_pidfile();

    int any_hot = 0;
    for (int i = 0; i < nbufs; i++)
        any_hot |= bufs[i].hot;
    double next_report = report_interval > 0 ? report_interval : INFINITY;
    uint64_t rng = seed ^ 0x5eed;
    const char *reason = NULL;

    for (;;) {
        /* one sweep: every page of every hot buffer once (or as many zipf picks) */
        for (int i = 0; i < nbufs && !got_term && !got_usr1; i++) {
            struct buffer *b = &bufs[i];
            if (!b->hot)
                continue;
            size_t pages = b->half ? b->pages / 2 : b->pages;
            for (size_t p = 0; p < pages; p++) {
                touch(b, b->zipf_cdf ? zipf_page(b, &rng) : p);
                if ((p & 1023) == 1023 && (got_term || got_usr1))
                    break;
            }
        }
        if (any_hot)
            sweeps++;
        if (!any_hot || pause_ms > 0) {
            long ms = any_hot ? pause_ms : 50;
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            nanosleep(&ts, NULL); /* EINTR on a signal: fine */
        }
        double t = now_s();
        if (got_term) {
            reason = got_term == SIGINT ? "SIGINT" : "SIGTERM";
            break;
        }
        if (duration > 0 && t >= duration) {
            reason = "duration";
            break;
        }
        if (got_usr1) {
            got_usr1 = 0;
            report("signal", "SIGUSR1", 1, 0);
        }
        if (t >= next_report) {
            report("periodic", NULL, 0, 0);
            while (next_report <= t)
                next_report += report_interval;
        }
    }
    int bad = report("exit", reason, 1, 2);
    if (pidfile)
        unlink(pidfile);
    return bad ? 3 : 0;
}
