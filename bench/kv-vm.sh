#!/usr/bin/env bash
# A real client against a real key-value server (issue 20), in one boot of the 2node VM
# (src/test/vm, qemu TCG): Debian's redis-server holds COLD_KEYS cold keys and HOT_KEYS hot keys
# (the hot ones loaded last), all on the slow node at start; Debian's redis-benchmark GETs only the
# hot keys. Variants, each RUNS times, interleaved, in the same boot:
#   tierd    bin/tierd run with the shipped defaults (no config file; only --listen is given)
#   tierd-NAME  tierd with bench/kv-NAME.yaml (a candidate default, compared in the same boot)
#   kernel   numa_balancing=2 + demotion_enabled=1
#   damon    DAMOS migrate_hot/migrate_cold on paddr (bench/guest/lib.sh)
# bench/guest/kv.sh has the details, including how the hot set's pages are found (the pages the hot
# load added to the server) and where they sit (move_pages in query mode: bench/c/page_nodes.c).
#
#   bench/kv-vm.sh [--duration S] [--interval S] [--runs N] [--variants "..."] [--full]
#                  [--reserve-mib N] [--hot-keys N] [--cold-keys N] [--fast-mem SIZE]
#                  [--slow-mem SIZE]
#   defaults: 60 s per run, a sample every 3 s, 3 runs, variants "tierd kernel damon", 40,000 hot
#             and 160,000 cold keys of 1 KiB, node 0 768M, node 1 1G; --full: a cold filler leaves
#             only --reserve-mib (32) free on the fast node
#
# Prints per variant the median and spread over the runs of: the hot set's share on the fast node
# over time, the time to 90 % (from a query of the hot pages every 500 ms, and from the samples),
# the cold keys' pages promoted with it (MiB, and as a share of the hot set's size), the server's
# startup pages (code, libraries, startup heap) on the fast node, the server's MiB on the fast
# node, pages migrated (pgmigrate_success) and GETs/s.
# Needs root and Debian's redis-server/redis-tools on the host (the guest runs the host's /);
# SKIP_BUILD=1 skips mvn.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
duration=60 interval=3 runs=3 variants="tierd kernel damon" full=0 reserve=32 hot=40000 cold=160000
fast=768M slow=1G
while (($#)); do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --variants) variants=$2; shift 2 ;;
        --full) full=1; shift ;;
        --reserve-mib) reserve=$2; shift 2 ;;
        --hot-keys) hot=$2; shift 2 ;;
        --cold-keys) cold=$2; shift 2 ;;
        --fast-mem) fast=$2; shift 2 ;;
        --slow-mem) slow=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
command -v redis-server > /dev/null && command -v redis-benchmark > /dev/null ||
    bench_die "needs Debian's redis-server and redis-tools: apt-get install redis-server redis-tools"
suffix=
if ((full)); then suffix=-full; fi
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/kv-vm$suffix}
rm -rf "$OUT"
mkdir -p "$OUT/res"
bench_build_vm
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$BENCH_REPO/target/bench/page_nodes" \
    "$BENCH_REPO/bench/c/page_nodes.c" || bench_die "building page_nodes failed"
nv=$(wc -w <<< "$variants")
per_run=$((duration + 90))
wait_vm_slot
bench_log "booting the 2node VM, node 0 $fast, node 1 $slow (log: $OUT/guest.log; ~$((nv * runs * per_run / 60 + 1)) min)"
"$BENCH_REPO/src/test/vm/boot.sh" --layout 2node --fast-mem "$fast" --slow-mem "$slow" \
    --timeout $((nv * runs * (per_run + 120) + 300)) --results "$OUT/res" -q -- \
    bash "$BENCH_REPO/bench/guest/kv.sh" "$BENCH_REPO" "$duration" "$interval" "$runs" "$variants" \
    "$full" "$reserve" "$hot" "$cold" \
    > "$OUT/guest.log" 2> "$OUT/boot.err" || bench_die "the VM run failed: $(tail -n 5 "$OUT/boot.err" "$OUT/guest.log")"
grep -q '^SAMPLE ' "$OUT/guest.log" || bench_die "no samples in $OUT/guest.log"
grep '^SAMPLE ' "$OUT/guest.log" | cut -d' ' -f2- > "$OUT/series.txt"

echo
echo "kv: $(date -u +%F), 2node VM (qemu TCG, node 0 $fast with the CPUs, node 1 $slow CPU-less; $(sed -n 's/^ENV kernel=/guest kernel /p' "$OUT/guest.log"), redis $(sed -n 's/^ENV redis=//p' "$OUT/guest.log")) on $(host_facts)"
full_args=
if ((full)); then full_args=" --full --reserve-mib $reserve"; fi
echo "command: bench/kv-vm.sh --duration $duration --interval $interval --runs $runs --variants \"$variants\"$full_args --hot-keys $hot --cold-keys $cold --fast-mem $fast --slow-mem $slow"
sed -n 's/^ENV workload: /workload: /p' "$OUT/guest.log"
grep '^FAILED' "$OUT/guest.log" || true
echo
echo "Hot set on the fast node (%), median of the runs, by time since the benchmark started:"
echo
awk -v step=6 -v dur="$duration" '
    { v = $1; if (!(v in seen)) { seen[v] = 1; order[++nv] = v }
      for (t = 0; t <= dur; t += step) if ($3 <= t + 0.001) at[v, $2, t] = $5; runs[v, $2] = 1 }
    function median(v, t,    n, a, r, i, j, x) {
        n = 0
        for (r = 1; r <= 9; r++) if ((v, r) in runs) a[++n] = ((v, r, t) in at) ? at[v, r, t] : 0
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return n ? a[int((n + 1) / 2)] : "-"
    }
    END {
        printf "| variant |"; for (t = 0; t <= dur; t += step) printf " %d s |", t; printf "\n|---|"
        for (t = 0; t <= dur; t += step) printf "---|"; printf "\n"
        for (i = 1; i <= nv; i++) {
            printf "| %s |", order[i]
            for (t = 0; t <= dur; t += step) printf " %s |", median(order[i], t)
            printf "\n"
        }
    }' "$OUT/series.txt"
echo
echo "Per variant, median [min-max] over the runs:"
echo
echo "| variant | >= 90 % hot on fast (500 ms watch) | first sample >= 90 % | hot on fast, end | cold keys promoted, end (MiB) | cold keys promoted / hot set | startup pages on fast, end (MiB) | all pages from before the hot load / hot set | server on fast, end (MiB) | migrated MiB (pgmigrate_success) | tierd_migrated MiB | GETs/s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
awk '
    $1 == "SETS" { hotset[$2, $3] = $4 }
    $1 == "SAMPLE" { v = $2; r = $3; if (!(v in seen)) { seen[v] = 1; order[++nv] = v }; runs[v, r] = 1
        t = $4; ops[v, r] += $7; nops[v, r]++
        if ($6 >= 90 && !((v, r) in first)) first[v, r] = t }
    $1 == "FINAL" { fast[$2, $3] = $5; hot[$2, $3] = $6; cold[$2, $3] = $7; own[$2, $3] = $8 }
    $1 == "MIGRATED" { mig[$2, $3] = $4; tm[$2, $3] = $5 }
    $1 == "REACHED" { reached[$2, $3] = $4 == "never" ? 1e9 : $4 }
    function stat(name, v,    n, a, r, i, j, x, val) {
        n = 0
        for (r = 1; r <= 9; r++) if ((v, r) in runs) {
            if (name == "first") val = ((v, r) in first) ? first[v, r] : 1e9
            else if (name == "reached") val = ((v, r) in reached) ? reached[v, r] : 1e9
            else if (name == "hot") val = hot[v, r]
            else if (name == "cold") val = cold[v, r]
            else if (name == "ratio") val = hotset[v, r] ? 100 * cold[v, r] / hotset[v, r] : 0
            else if (name == "own") val = own[v, r]
            else if (name == "before") val = hotset[v, r] ? 100 * (cold[v, r] + own[v, r]) / hotset[v, r] : 0
            else if (name == "fast") val = fast[v, r]
            else if (name == "mig") val = mig[v, r]
            else if (name == "tm") val = tm[v, r]
            else if (name == "ops") val = ops[v, r] / nops[v, r]
            a[++n] = val
        }
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return fmt(name, a[int((n + 1) / 2)]) " [" fmt(name, a[1]) "-" fmt(name, a[n]) "]"
    }
    function fmt(name, x) {
        if (name == "first") return x >= 1e9 ? "never" : sprintf("%.0f s", x)
        if (name == "reached") return x >= 1e9 ? "never" : sprintf("%.1f s", x)
        if (name == "hot" || name == "ratio" || name == "before") return sprintf("%.1f %%", x)
        if (name == "ops") return sprintf("%.0f", x)
        return sprintf("%.1f", x)
    }
    END {
        for (i = 1; i <= nv; i++) { v = order[i]
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v, stat("reached", v), stat("first", v), stat("hot", v),
                stat("cold", v), stat("ratio", v), stat("own", v), stat("before", v), stat("fast", v),
                stat("mig", v), v ~ /^tierd/ ? stat("tm", v) : "-", stat("ops", v)
        }
    }' "$OUT/guest.log"
sed -n 's/^SETS \([^ ]*\) \([0-9]*\) \([^ ]*\) \([^ ]*\) \([^ ]*\)$/\1 run \2: hot set \3 MiB, cold set (the cold keys) \4 MiB, startup pages \5 MiB/p' "$OUT/guest.log" | head -3
