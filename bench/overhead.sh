#!/usr/bin/env bash
# Daemon overhead (issue 8, benchmark 4): CPU of one core, RSS and heap of a running tierd at the
# default interval with 100 managed processes, launched by bin/tierd (the launcher's JVM flags).
#
#   bench/overhead.sh [--procs N] [--buffers B[,B...]] [--warmup SECONDS] [--seconds SECONDS]
#                     [--numa-maps-max-age DURATION]
#   defaults: 100 processes; 4 and 75 buffers each (about 2,900 and 10,000 tracked regions);
#             60 s warm-up, then 150 s measured (30 cycles at 5 s); processes.numaMapsMaxAge as
#             the default config (30s); 0s reads every numa_maps in every cycle
#
# Like bench/scan-cost.sh it runs the whole pipeline over the host's real /proc with a 2-node
# fixture's sysfs (this host has one NUMA node), so it is a dry run with the read-only heat source
# numa-maps-active (regions = the VMAs with pages). Config: the defaults (interval 5s, ...) plus
# processes.comm = tierd-workload so that only the benchmark's processes are managed.
# CPU % = utime+stime of the JVM over the measured wall time; floor = the CPU of one cat pass over
# the files a cycle reads (as bench/scan-cost.sh: stat of every pid, status, cgroup, maps, numa_maps
# and cpuset of the managed ones, topology), made every 5 s in the same window, start-up of cat
# subtracted: what any scanner reading all of them every cycle pays; numa_maps per cycle: from
# tierd_scan_numa_maps_total (read by the scan, kept from an earlier read under
# processes.numaMapsMaxAge, re-read before a move); RSS = VmRSS (and VmHWM, the peak) at the end; heap = jvm_memory_used_bytes / committed {area="heap"} from /metrics, sampled every
# 5 s (mean and max).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
procs=100 buffers=4,75 warmup=60 seconds=150 fixture=vm-2node maxage=
while (($#)); do
    case $1 in
        --procs) procs=$2; shift 2 ;;
        --buffers) buffers=$2; shift 2 ;;
        --warmup) warmup=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --numa-maps-max-age) maxage=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/overhead}
mkdir -p "$OUT/run"
trap bench_cleanup EXIT
bench_build
root=$OUT/root
bench_hybrid_root "$fixture" "$root"
cat > "$OUT/tierd.yaml" << EOF
runtimeDirectory: $OUT/run
processes:
  comm: tierd-workload
${maxage:+  numaMapsMaxAge: $maxage}
EOF

# heap_mib URL: "used committed" heap MiB from the metrics endpoint.
heap_mib() {
    curl -fsS --max-time 5 "$1" 2> /dev/null | awk '
        /^jvm_memory_used_bytes\{.*area="heap"/ { u += $NF }
        /^jvm_memory_committed_bytes\{.*area="heap"/ { c += $NF }
        END { printf "%.1f %.1f\n", u / 1048576, c / 1048576 }'
}

# numa_maps_counts URL: "read kept rechecked" from tierd_scan_numa_maps_total.
numa_maps_counts() {
    curl -fsS --max-time 5 "$1" 2> /dev/null | awk '
        /^tierd_scan_numa_maps_total\{.*outcome="read"/ { r = $NF }
        /^tierd_scan_numa_maps_total\{.*outcome="kept"/ { k = $NF }
        /^tierd_scan_numa_maps_total\{.*outcome="rechecked"/ { c = $NF }
        END { printf "%d %d %d\n", r, k, c }'
}

rows=()
for nbuf in ${buffers//,/ }; do
    if ((nbuf > 8)); then BENCH_COLD_SIZE=256K; else BENCH_COLD_SIZE=4M; fi
    bench_log "$procs processes x $nbuf buffers"
    bench_spawn "$procs" "$nbuf" "$OUT"
    log=$OUT/tierd-$nbuf.log
    "$BENCH_REPO/bin/tierd" run --root "$root" --config "$OUT/tierd.yaml" --dry-run \
        --listen 127.0.0.1:0 > "$log" 2>&1 &
    tpid=$!
    BENCH_PIDS+=("$tpid")
    for ((i = 0; i < 100; i++)); do
        url=$(sed -n 's/.*serving metrics on \(http[^ ,]*\).*/\1/p' "$log" | head -1)
        [[ -n $url ]] && break
        sleep 0.2
    done
    [[ -n $url ]] || bench_die "no metrics URL in $log"
    sleep "$warmup"
    file_list "$OUT/workloads.pids" "$root" "$OUT/files.list"
    echo /dev/null > "$OUT/empty.list"
    FLOOR_TICKS=0 FLOOR_EMPTY_TICKS=0
    read -r nr0 nk0 nc0 <<< "$(numa_maps_counts "$url")"
    c0=$(cpu_ticks "$tpid")
    n0=$(tierd_cycles "$log")
    t0=$(date +%s%N)
    : > "$OUT/heap-$nbuf.txt"
    end=$((SECONDS + seconds))
    while ((SECONDS < end)); do
        heap_mib "$url" >> "$OUT/heap-$nbuf.txt"
        # The floor: the same files read once per interval by cat (start-up cost subtracted).
        floor_pass "$OUT/files.list" "$OUT/empty.list"
        sleep 5
    done
    c1=$(cpu_ticks "$tpid")
    n1=$(tierd_cycles "$log")
    read -r nr1 nk1 nc1 <<< "$(numa_maps_counts "$url")"
    t1=$(date +%s%N)
    rss=$(rss_kib "$tpid")
    hwm=$(hwm_kib "$tpid")
    regions=$(stage_means "$log" "$n0" "$n1" | sed -n 's/.*regions=\([0-9]*\).*/\1/p')
    kill -TERM "$tpid"
    wait "$tpid" || true
    bench_cleanup
    row=$(awk -v p="$procs" -v b="$nbuf" -v r="$regions" -v d=$((c1 - c0)) -v hz="$CLK_TCK" \
        -v ns=$((t1 - t0)) -v n=$((n1 - n0)) -v rss="$rss" -v hwm="$hwm" -v fl=$((FLOOR_TICKS - FLOOR_EMPTY_TICKS)) \
        -v nr=$((nr1 - nr0)) -v nk=$((nk1 - nk0)) -v nc=$((nc1 - nc0)) '
        { u += $1; c += $2; k++; if ($1 > um) um = $1; if ($2 > cm) cm = $2 }
        END {
            cpu = d / hz; wall = ns / 1e9
            printf "| %d x %d | %s | %d cycles in %.0f s | **%.2f %%** | %.2f %% | %.0f | %.1f / %.1f / %.1f | **%.1f** (peak %.1f) | %.1f / %.1f | %.1f / %.1f |", \
                p, b, r, n, wall, 100 * cpu / wall, 100 * fl / hz / wall, 1000 * cpu / n, nr / n, nk / n, nc / n, rss / 1024, hwm / 1024, u / k, um, c / k, cm
        }' "$OUT/heap-$nbuf.txt")
    rows+=("$row")
    bench_log "$row"
done

echo
echo "overhead: $(date -u +%F) $(host_facts)"
echo "command: bench/overhead.sh --procs $procs --buffers $buffers --warmup $warmup --seconds $seconds${maxage:+ --numa-maps-max-age $maxage}"
echo "JVM flags (bin/tierd): $(sed -n '/^exec /,/-jar/p' "$BENCH_REPO/bin/tierd" | sed -n 's/^  \(-.*\) \\$/\1/p' | tr '\n' ' ')${JAVA_OPTS:+ + JAVA_OPTS=$JAVA_OPTS}"
echo
echo "| processes x buffers | regions | measured | CPU % of one core | floor: cat of the same files every 5 s, % of a core | CPU ms per cycle | numa_maps per cycle: read / kept / re-read before a move | RSS MiB | heap used MiB, mean / max | heap committed MiB, mean / max |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
