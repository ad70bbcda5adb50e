#!/bin/bash
# Guest side of bench/floor-vm.sh (root, one 2node VM boot): the slowest per-page access rate each
# heat source detects with tierd's shipped config. For each SOURCE in turn: one tierd-workload
# process per RATE, each with a BUF_MIB buffer on the slow node whose every page is read once per
# sweep and then --pause-ms 1000/RATE (so each page is touched RATE times a second), plus one
# process with a cold buffer; then bin/tierd run with the shipped defaults, except heat.sources =
# [SOURCE] and processes.comm = tierd-workload. After DURATION s, a buffer that tierd promoted
# (>= 90 % on the fast node) was classified hot.
#
# stdout rows: FLOOR source rate_per_s measured_rate_per_s fast_pct_end first_s_at_90pct
set -uo pipefail
REPO=$1 DURATION=${2:-90} SOURCES=${3:-damon-vaddr damon-paddr clear-refs} RATES=${4:-0.1 0.2 0.5 1 2 5} BUF_MIB=${5:-24}
RES=${TIERD_VM_RESULTS:?not in a tierd VM}
# shellcheck source=bench/guest/lib.sh
. "$REPO/bench/guest/lib.sh"
WL=$REPO/target/vm/tierd-workload
sysctl -qw kernel.numa_balancing=0
echo 0 > /sys/kernel/mm/numa/demotion_enabled

fast_pct() { awk '{ for (i = 2; i <= NF; i++) { if ($i ~ /^N0=/) { split($i, a, "="); n0 += a[2] } if ($i ~ /^N[0-9]+=/) { split($i, b, "="); all += b[2] } } } END { printf "%.1f", all ? 100 * n0 / all : 0 }' "/proc/$1/numa_maps"; }
sweeps() { tail -1 "$1" | sed -n 's/.*"uptime_ms":\([0-9]*\),.*"sweeps":\([0-9]*\),.*/\2 \1/p'; }

for src in $SOURCES; do
    pids=() rates=()
    for r in $RATES; do
        pause=$(awk -v r="$r" 'BEGIN { printf "%d", 1000 / r }')
        rm -f "/run/fl-$r.pid" "$RES/fl-$src-$r.jsonl"
        "$WL" --buffer "r$r:${BUF_MIB}M:1:default:hot" --pause-ms "$pause" --report "$RES/fl-$src-$r.jsonl" \
            --report-interval 10 --pidfile "/run/fl-$r.pid" --quiet &
        pids+=($!) rates+=("$r")
    done
    "$WL" --buffer "cold:${BUF_MIB}M:1:default:cold" --pidfile /run/fl-cold.pid --quiet &
    cold=$!
    for r in $RATES; do while [[ ! -s /run/fl-$r.pid ]]; do sleep 0.2; done; done
    printf 'heat:\n  sources: [%s]\nprocesses:\n  comm: tierd-workload\n' "$src" > /run/floor.yaml
    JAVA_OPTS="-Dlogback.configurationFile=$REPO/src/test/vm/scenarios/logback-vm.xml" \
        "$REPO/bin/tierd" run --config /run/floor.yaml --listen 127.0.0.1:9464 > "$RES/floor-$src.log" 2>&1 &
    tpid=$!
    until grep -q ' cycle 1 ' "$RES/floor-$src.log" 2> /dev/null; do sleep 1; done
    t0=$SECONDS
    declare -A first=()
    while ((SECONDS - t0 < DURATION)); do
        sleep 3
        for i in "${!pids[@]}"; do
            p=$(fast_pct "${pids[i]}")
            if [[ -z ${first[$i]:-} ]] && awk -v p="$p" 'BEGIN { exit !(p >= 90) }'; then first[$i]=$((SECONDS - t0)); fi
        done
    done
    glog "$src: $(grep -o 'via [a-z-]* ([^)]*)' "$RES/floor-$src.log" | tail -1); cold buffer on fast $(fast_pct "$cold") %"
    for i in "${!pids[@]}"; do
        kill -USR1 "${pids[i]}"
    done
    sleep 1
    for i in "${!pids[@]}"; do
        read -r sw up <<< "$(sweeps "$RES/fl-$src-${rates[i]}.jsonl")"
        echo "FLOOR $src ${rates[i]} $(awk -v s="${sw:-0}" -v u="${up:-1}" 'BEGIN { printf "%.2f", s / (u / 1000) }') $(fast_pct "${pids[i]}") ${first[$i]:-never}"
    done
    echo "FLOOR $src cold 0 $(fast_pct "$cold") -"
    kill -TERM "$tpid"; wait "$tpid"
    kill "${pids[@]}" "$cold" 2> /dev/null; wait "${pids[@]}" "$cold" 2> /dev/null
    unset first
done
