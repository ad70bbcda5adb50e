#!/usr/bin/env bash
# Scan cost (issue 8, benchmark 3): CPU seconds of one full tierd cycle over N processes, divided by
# the CPU seconds of reading the same kernel files with cat, the floor for any userspace scanner.
#
#   bench/scan-cost.sh [--procs N] [--buffers B[,B...]] [--warmup CYCLES] [--cycles CYCLES]
#                      [--interval DURATION] [--fixture NAME]
#
# For each B (default 4,100) it:
#  1. starts N (default 100) tierd-workload processes, each with B buffers = B VMAs with pages
#     (one hot buffer of 4 MiB read once a second, B-1 cold ones of 4 MiB, or of 256 KiB when B > 8
#     so that 100 x 100 stays at 3 GiB);
#  2. runs `bin/tierd run --dry-run` (the launcher's JVM flags) over a hybrid root: the host's real
#     /proc and cgroups with the sysfs of a 2-node fixture (vm-2node), because this host has one NUMA
#     node and tierd stops after discover there ("nothing to tier"). Every stage runs: topology,
#     vmstat, discover, heat (numa-maps-active, the read-only source a fixture root allows), conflicts,
#     score, plan, and a dry-run move. Interval 1 s; numaMapsMaxAge 0s, so every cycle reads every
#     managed process's numa_maps (a full cycle; the default skips quiet processes' reads);
#  3. after WARMUP cycles (default 60) reads the daemon's utime+stime from /proc/PID/stat, again after
#     CYCLES more (default 120): CPU per cycle = delta / CYCLES (everything the JVM burns, GC, JIT and
#     idle threads included);
#  4. meanwhile, right after each measured cycle (while tierd sleeps), reads the same files with one
#     `cat` per pass (xargs), CPU from this shell's cutime+cstime; the cost of starting cat (a pass
#     over /dev/null, also once per cycle) is subtracted. Interleaving keeps both under the same
#     load: on a shared host the CPU cost of the same work moves with everyone else's.
#     The file list holds every file a cycle needs, once: stat of every /proc pid; status, stat,
#     cgroup, maps, numa_maps and the cpuset file of every managed pid; the topology's sysfs and
#     proc files (vmstat, zoneinfo, numa_balancing).
#
# Prints one table row per B. Needs root only to read every /proc/PID; SKIP_BUILD=1 skips mvn.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

procs=100 buffers=4,100 warmup=60 cycles=120 interval=1s fixture=vm-2node
while (($#)); do
    case $1 in
        --procs) procs=$2; shift 2 ;;
        --buffers) buffers=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --cycles) cycles=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --fixture) fixture=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done

OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/scan-cost}
mkdir -p "$OUT"
trap bench_cleanup EXIT
bench_build
root=$OUT/root
bench_hybrid_root "$fixture" "$root"


cat > "$OUT/tierd.yaml" << EOF
interval: $interval
runtimeDirectory: $OUT/run
processes:
  comm: tierd-workload
  minRss: 1MiB
  numaMapsMaxAge: 0s
heat:
  sources: [numa-maps-active]
EOF
mkdir -p "$OUT/run"

rows=()
for nbuf in ${buffers//,/ }; do
    bench_log "$procs processes x $nbuf buffers: starting the workloads"
    if ((nbuf > 8)); then BENCH_COLD_SIZE=256K; else BENCH_COLD_SIZE=4M; fi
    bench_spawn "$procs" "$nbuf" "$OUT"
    log=$OUT/tierd-$nbuf.log
    "$BENCH_REPO/bin/tierd" run --root "$root" --config "$OUT/tierd.yaml" --dry-run \
        --listen 127.0.0.1:0 > "$log" 2>&1 &
    tpid=$!
    BENCH_PIDS+=("$tpid")
    bench_log "tierd pid $tpid: warm-up $warmup cycles, then $cycles measured"
    wait_cycle "$log" "$tpid" "$warmup" $((warmup * 10 + 120))
    file_list "$OUT/workloads.pids" "$root" "$OUT/files.list"
    echo /dev/null > "$OUT/empty.list"
    # Interleaved: after each tierd cycle (while it sleeps until the next one) one cat pass, so
    # both are measured under the same load (this host is shared and noisy).
    c0=$(cpu_ticks "$tpid")
    FLOOR_TICKS=0 FLOOR_EMPTY_TICKS=0
    for ((k = 1; k <= cycles; k++)); do
        wait_cycle "$log" "$tpid" $((warmup + k)) 120
        floor_pass "$OUT/files.list" "$OUT/empty.list"
    done
    c1=$(cpu_ticks "$tpid")
    rss=$(rss_kib "$tpid")
    kill -TERM "$tpid"
    wait "$tpid" || true
    stages=$(stage_means "$log" $((warmup + 1)) $((warmup + cycles)))
    # c0 is read after cycle W ended and c1 after cycle W+M ended plus the cat passes, during
    # which tierd sleeps: M cycles in between.
    read -r tierd_ms floor floor_gross < <(awk -v d=$((c1 - c0)) -v f="$FLOOR_TICKS" -v e="$FLOOR_EMPTY_TICKS" \
        -v n="$cycles" -v hz="$CLK_TCK" 'BEGIN {
        k = 1000 / hz / n
        printf "%.2f %.2f %.2f\n", d * k, (f - e) * k, f * k }')
    bench_cleanup
    nfiles=$(wc -l < "$OUT/files.list")
    row=$(awk -v p="$procs" -v b="$nbuf" -v t="$tierd_ms" -v f="$floor" -v fg="$floor_gross" \
        -v nf="$nfiles" -v st="$stages" -v rss="$rss" 'BEGIN {
        split(st, kv, " "); s = ""
        for (i in kv) { split(kv[i], x, "="); v[x[1]] = x[2] }
        printf "| %d x %d | %s | %s | %.1f | %.1f (%.1f) | **%.2f** | %s / %s / %s / %s / %s | %d |", \
            p, b, v["regions"], nf, t, f, fg, t / f, \
            v["topology"], v["discover"], v["heat"], v["score"], v["plan"], rss / 1024 }')
    rows+=("$row")
    bench_log "$row"
done

echo
echo "scan cost: $(date -u +%F) $(host_facts)"
echo "command: bench/scan-cost.sh --procs $procs --buffers $buffers --warmup $warmup --cycles $cycles --interval $interval"
echo
echo "| processes x buffers | regions | files | tierd CPU ms/cycle | cat CPU ms/pass, net (gross) | ratio | tierd wall ms: topology / discover / heat / score / plan | tierd RSS MiB |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
