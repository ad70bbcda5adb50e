#!/usr/bin/env bash
# Scale (issue 14, point 5): CPU per cycle and RSS of the daemon's cycle at host scale, under the
# launcher's JVM flags (bin/tierd: -Xmx64m, serial GC, C1), to show that memory stays bounded (no
# OutOfMemoryError, RSS flat) and that CPU per cycle grows no faster than linearly.
#
#   bench/scale.sh [--procs 10,100,1000,2000] [--vmas 250] [--regions 10000,100000,1000000]
#                  [--regions-procs 100] [--cycles 1000] [--interval 100ms] [--daemon]
#
#  1. writes generated --root trees (tierd.bench.ScaleTree: the 3-node guest's sysfs, N processes x
#     V VMAs each, real-shaped, seeded) under target/bench/scale/ (kept for the next run);
#  2. for each tree, runs tierd.bench.ScaleBench (the daemon's TieringCycle wired as
#     `tierd run --dry-run --root TREE`) for CYCLES cycles, one every INTERVAL, with the tree's
#     heat source (numa-maps-active: one region per VMA with pages); then on the --regions-procs
#     tree with a synthetic source reporting R regions a window (tierd.bench.SyntheticHeat, a
#     benchmark tool);
#  3. with --daemon, also runs the real daemon (bin/tierd run --dry-run --root) over the largest
#     tree for CYCLES cycles, RSS sampled every second from /proc/PID/status;
#  4. prints one table row per run: what was tracked and left out (the tracking limits of the
#     64 MiB heap), CPU ms per cycle (utime+stime of the whole JVM, GC and JIT included: mean and
#     median over the cycles after the first 10 %), wall ms per cycle, RSS (mean of the first 10 %
#     of cycles, of the last 10 %, and the maximum), failed cycles, and the exit code.
#
# Everything runs under nice -n 10 (the host is shared). SKIP_BUILD=1 keeps target/ as it is.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

procs=10,100,1000,2000 vmas=250 regions=10000,100000,1000000 rprocs=100 cycles=1000
interval=100ms daemon=0
while (($#)); do
    case $1 in
        --procs) procs=$2; shift 2 ;;
        --vmas) vmas=$2; shift 2 ;;
        --regions) regions=$2; shift 2 ;;
        --regions-procs) rprocs=$2; shift 2 ;;
        --cycles) cycles=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --daemon) daemon=1; shift ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done

OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/scale}
mkdir -p "$OUT"
trap bench_cleanup EXIT
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
    (cd "$BENCH_REPO" && mvn -B -q -o -DskipTests package) || bench_die "mvn package failed"
fi
CP=$BENCH_REPO/target/test-classes:$BENCH_REPO/target/tierd.jar
# the launcher's JVM flags, as bin/tierd passes them
read -r -a FLAGS <<< "$(sed -n '/^exec /,/-jar/p' "$BENCH_REPO/bin/tierd" | sed -n 's/^  \(-.*\) \\$/\1/p' | tr '\n' ' ')"

# tree N: the tree of N processes x $vmas VMAs (written once).
tree() {
    local dir=$OUT/t$1x$vmas
    if [[ ! -d $dir ]]; then
        bench_log "writing $1 processes x $vmas VMAs to $dir"
        nice -n 10 java -cp "$CP" tierd.bench.ScaleTree --procs "$1" --vmas "$vmas" --out "$dir.tmp" >&2
        mv "$dir.tmp" "$dir"
    fi
    echo "$dir"
}

# summary CSV: "tracked-procs tracked-vmas regions cpu-mean cpu-median wall-mean rss-first rss-last
# rss-max failed cycles" from a ScaleBench CSV (CPU and wall over the cycles after the first 10 %).
summary() {
    local n k median
    n=$(($(wc -l < "$1") - 1))
    k=$((n / 10 > 0 ? n / 10 : 1))
    median=$(tail -n +$((k + 2)) "$1" | cut -d, -f4 | sort -n | awk '{ x[NR] = $1 } END { print x[int((NR + 1) / 2)] }')
    awk -F, -v k="$k" -v med="$median" 'NR > 1 { n++; cpu[n] = $4; wall[n] = $3; rss[n] = $5; ok[n] = $2; p[n] = $6; v[n] = $7; r[n] = $8 }
        END {
            for (i = k + 1; i <= n; i++) { c += cpu[i]; w += wall[i]; m++ }
            for (i = 1; i <= k; i++) f += rss[i]
            for (i = n - k + 1; i <= n; i++) l += rss[i]
            for (i = 1; i <= n; i++) { if (rss[i] > mx) mx = rss[i]; if (ok[i] == 0) failed++ }
            printf "%d %d %d %.1f %.1f %.1f %.1f %.1f %.1f %d %d\n", p[n], v[n], r[n], c / m, med, \
                w / m, f / k / 1024, l / k / 1024, mx / 1024, failed, n }' "$1"
}

rows=()
# run NAME TREE PROCS REGIONS: one ScaleBench run; appends its table row.
run() {
    local name=$1 dir=$2 n=$3 r=$4 log csv rc=0
    log=$OUT/$name.log csv=$OUT/$name.csv
    bench_log "$name: $cycles cycles over $dir (regions: $r)"
    nice -n 10 java "${FLAGS[@]}" -cp "$CP" tierd.bench.ScaleBench --root "$dir" --csv "$csv" \
        --cycles "$cycles" --interval "$interval" --regions "$r" > "$log" 2>&1 || rc=$?
    local s left
    s=$(summary "$csv")
    left=$(sed -n 's/.*cover the \([0-9]*\) largest processes; \([0-9]*\) smaller.* and \([0-9]*\) VMAs of the largest.*/\2 \/ \3/p' "$log" | head -1)
    local merged
    merged=$(sed -n 's/.* reported \([0-9]*\) regions; tierd keeps \([0-9]*\) .*/\1 → \2/p' "$log" | head -1)
    read -r tp tv tr cmean cmed wall rf rl rmax failed done <<< "$s"
    local row
    row=$(printf '| %s | %d x %d | %s | %d / %d / %d | %s | %s | %.1f | %.1f | %.1f | %s | %.1f → %.1f (max %.1f) | %d of %d | %d |' \
        "$name" "$n" "$vmas" "$( ((r < 0)) && echo "numa-maps-active" || echo "synthetic $r")" \
        "$tp" "$tv" "$tr" "${left:-0 / 0}" "${merged:-none}" "$cmean" "$cmed" "$wall" \
        "$(awk -v c="$cmean" -v p="$n" -v v="$vmas" 'BEGIN { printf "%.3f", 1000 * c / (p * v) }')" \
        "$rf" "$rl" "$rmax" "$failed" "$done" "$rc")
    rows+=("$row")
    bench_log "$row"
}

for n in ${procs//,/ }; do
    run "p$n" "$(tree "$n")" "$n" -1
done
rtree=$(tree "$rprocs")
for r in ${regions//,/ }; do
    run "r$r" "$rtree" "$rprocs" "$r"
done

if ((daemon)); then
    largest=$(echo "${procs//,/ }" | tr ' ' '\n' | sort -n | tail -1)
    dir=$(tree "$largest")
    cat > "$OUT/daemon.yaml" << EOF
interval: $interval
runtimeDirectory: $OUT/run
processes:
  minRss: 0
heat:
  sources: [numa-maps-active]
  warmup: 0s
EOF
    mkdir -p "$OUT/run"
    bench_log "bin/tierd run over $dir: $cycles cycles"
    nice -n 10 "$BENCH_REPO/bin/tierd" run --dry-run --root "$dir" --config "$OUT/daemon.yaml" \
        --listen 127.0.0.1:0 --cycles "$cycles" > "$OUT/daemon.log" 2>&1 &
    tpid=$!
    BENCH_PIDS+=("$tpid")
    : > "$OUT/daemon-rss.txt"
    wait_cycle "$OUT/daemon.log" "$tpid" 1 600 # start-up and the first cycle are not measured
    c0=$(cpu_ticks "$tpid")
    c1=$c0
    while kill -0 "$tpid" 2> /dev/null; do
        rss_kib "$tpid" >> "$OUT/daemon-rss.txt" 2> /dev/null || true
        c1=$(cpu_ticks "$tpid" 2> /dev/null || echo "$c1")
        sleep 1
    done
    rc=0
    wait "$tpid" || rc=$?
    ok=$(grep -c 'Daemon: cycle [0-9]* ok' "$OUT/daemon.log" || true)
    failed=$(grep -c 'Daemon: cycle [0-9]* FAILED' "$OUT/daemon.log" || true)
    row=$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$cycles" -v ok="$ok" -v f="$failed" -v rc="$rc" \
        -v p="$largest" -v v="$vmas" '
        { x[++k] = $1; if ($1 > m) m = $1 }
        END { q = int(k / 10); if (q < 1) q = 1
            for (i = 1; i <= q; i++) a += x[i]; for (i = k - q + 1; i <= k; i++) b += x[i]
            printf "| bin/tierd run | %d x %d | numa-maps-active | (as p%d) | | | %.1f | | | | %.1f → %.1f (max %.1f) | %d of %d | %d |", \
                p, v, p, 1000 * c / hz / (n - 1), a / q / 1024, b / q / 1024, m / 1024, f, ok + f, rc }' "$OUT/daemon-rss.txt")
    rows+=("$row")
    bench_log "$row"
fi

echo
echo "scale: $(date -u +%F) $(host_facts)"
echo "command: bench/scale.sh --procs $procs --vmas $vmas --regions $regions --regions-procs $rprocs --cycles $cycles --interval $interval$( ((daemon)) && echo ' --daemon')"
echo "JVM flags (bin/tierd): ${FLAGS[*]}"
echo
echo "| run | processes x VMAs | heat | tracked: processes / VMAs / regions | left out: processes / VMAs | regions reported → kept | CPU ms/cycle, mean | median | wall ms/cycle | CPU µs per process x VMA | RSS MiB: first 10 % → last 10 % (max) | failed cycles | exit |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
