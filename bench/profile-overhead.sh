#!/usr/bin/env bash
# CPU cost of heat and profiling on a host with ONE memory tier (issue 18): `tierd run --dry-run`
# over the real / with the shipped config/tierd.yaml, where the cycle now goes on past discovery
# (heat source, scoring, profile). On this development host the source is clear-refs (DAMON belongs
# to the machine, no idle-page tracking). A tierd-workload with a 64 MiB hot buffer (read every
# 100 ms) and a 192 MiB cold one runs throughout.
#
#   bench/profile-overhead.sh [--warmup SECONDS] [--seconds SECONDS] [--only-workload]
#   defaults: 60 s warm-up, then 150 s measured (30 cycles at 5 s); every process the shipped
#             filter manages (RSS >= 16 MiB); --only-workload adds processes.comm: tierd-workload
#
# CPU % = utime+stime of the JVM over the measured wall time (the kernel's page-table walks for
# smaps and clear_refs run in tierd's context, so they are in stime). Also: cycles, mean stage times
# (wall), managed processes and resident bytes from the last cycle line, RSS at the end.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
warmup=60 seconds=150 only=0
while (($#)); do
    case $1 in
        --warmup) warmup=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --only-workload) only=1; shift ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/profile-overhead}
mkdir -p "$OUT/run"
trap bench_cleanup EXIT
bench_build
# the shipped config, with its own runtime directory (and the workload only, if asked)
sed "s|^runtimeDirectory: .*|runtimeDirectory: $OUT/run|" "$BENCH_REPO/config/tierd.yaml" > "$OUT/tierd.yaml"
if ((only)); then
    sed -i 's@^  # comm: .*@  comm: tierd-workload@' "$OUT/tierd.yaml"
    grep -q '^  comm: tierd-workload' "$OUT/tierd.yaml" || bench_die "could not set processes.comm"
fi
"$BENCH_WL" --buffer hot:64M:-:default:hot --buffer cold:192M:-:default:cold --pause-ms 100 \
    --quiet --pidfile "$OUT/wl.pid" > /dev/null 2>&1 &
BENCH_PIDS+=($!)
for _ in $(seq 100); do [[ -s $OUT/wl.pid ]] && break; sleep 0.1; done
log=$OUT/tierd.log
"$BENCH_REPO/bin/tierd" run --config "$OUT/tierd.yaml" --dry-run --listen 127.0.0.1:0 > "$log" 2>&1 &
tpid=$!
BENCH_PIDS+=("$tpid")
sleep "$warmup"
c0=$(cpu_ticks "$tpid") n0=$(tierd_cycles "$log") t0=$(date +%s%N)
sleep "$seconds"
c1=$(cpu_ticks "$tpid") n1=$(tierd_cycles "$log") t1=$(date +%s%N)
rss=$(rss_kib "$tpid")
last=$(grep ' Daemon: cycle ' "$log" | tail -1)
procs=$(sed -n 's/.*nothing to tier; \([0-9]*\) processes, \([^ ]*\) resident.*/\1 \2/p' <<< "$last")
stages=$(awk -v from="$n0" -v to="$n1" '
    / Daemon: cycle [0-9]+ ok / {
        c = $0; sub(/.* Daemon: cycle /, "", c); c += 0
        if (c < from || c > to || !match($0, /\[[^]]*\]$/)) next
        n++; k = split(substr($0, RSTART + 1, RLENGTH - 2), st, " ")
        for (i = 1; i <= k; i++) { split(st[i], kv, "="); sub(/ms$/, "", kv[2]); if (!(kv[1] in s)) o[++m] = kv[1]; s[kv[1]] += kv[2] }
    }
    END { for (i = 1; i <= m; i++) printf "%s=%.0f ", o[i], s[o[i]] / n }' "$log")
kill -TERM "$tpid"; wait "$tpid" || true
echo "profile-overhead: $(date -u +%F) $(uname -r), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: bench/profile-overhead.sh --warmup $warmup --seconds $seconds$( ((only)) && echo ' --only-workload')"
echo "| managed | processes, resident | cycles | CPU % of one core | CPU ms per cycle | mean stage ms (wall) | RSS MiB |"
echo "|---|---|---|---|---|---|---|"
awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) -v n=$((n1 - n0)) -v rss="$rss" \
    -v who="$( ((only)) && echo 'the workload only' || echo 'shipped filter (RSS >= 16 MiB)')" \
    -v procs="${procs:-?}" -v stages="$stages" 'BEGIN {
        cpu = d / hz; wall = ns / 1e9
        printf "| %s | %s | %d in %.0f s | **%.2f %%** | %.0f | %s | %.1f |\n", who, procs, n, wall, 100 * cpu / wall, 1000 * cpu / n, stages, rss / 1024 }'
