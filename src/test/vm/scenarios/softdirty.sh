#!/usr/bin/env bash
# Boot "softdirty" of the VM scenarios (run by run-scenarios.sh through boot.sh --kernel 6.1
# --layout 2node; runs INSIDE the guest). Debian 12's stock 6.1 kernel: no DAMON, no idle-page
# tracking, soft-dirty; both nodes in ONE memory tier despite HMAT. One workload with ONE 64 MiB
# mapping faulted in on the CPU-less node 1, whose first half is written in a loop and whose second
# half is never touched again (tierd-workload ACCESS hot-half):
#   sd-precondition  the kernel has no DAMON sysfs, no page_idle/bitmap and one memory tier;
#   sd-heat   the source on its own (tierd.heat.select.HeatProbeMain, test classes): clear-refs+soft-dirty
#             opens, and over 3 windows of 2 s the written half reads >= 0.9 and the rest <= 0.1
#             (the per-VMA clear-refs source, measured next, can only say ~0.5 for the whole VMA);
#   sd-source tierd, SHIPPED defaults plus the process selection (softdirty.yaml), picks
#             clear-refs+soft-dirty by itself (its log line and tierd_heat_source_info), says in
#             /status what that source cannot see, and classifies the tiers itself (node 0 above
#             node 1);
#   sd-tier   within SD_MAX_CYCLES cycles >= 90 % of the written half is on fast node 0, and in
#             every report from start to exit <= 10 % of the untouched half is on node 0;
#   sd5       checksums unchanged at exit.
# No SIGUSR1 snapshots while tierd runs: the workload's signal reports checksum (read) the whole
# buffer, which the source would rightly see as reads of the VMA.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/softdirty.yaml
SD_MAX_CYCLES=${SD_MAX_CYCLES:-24} # shipped interval 5 s: 2 min
JAVA_FLAGS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
SOURCE=clear-refs+soft-dirty

log "boot softdirty: kernel $(uname -r); scenarios sd-precondition sd-heat sd-source sd-tier sd5"
record_env
tiers=(/sys/devices/virtual/memory_tiering/memory_tier*)
verdict "sd-precondition" "the kernel has no DAMON sysfs (saw $([[ -d /sys/kernel/mm/damon ]] && echo present || echo absent))" test ! -d /sys/kernel/mm/damon
verdict "sd-precondition" "the kernel has no idle-page tracking (page_idle/bitmap $([[ -e /sys/kernel/mm/page_idle/bitmap ]] && echo present || echo absent))" test ! -e /sys/kernel/mm/page_idle/bitmap
verdict "sd-precondition" "the kernel has one memory tier for both nodes (saw ${#tiers[@]})" test "${#tiers[@]}" = 1

wl_start sd --pause-ms 100 --buffer half:64M:1:default:hot-half || exit 1
pid=$(wl_pid sd)

# --- sd-heat: the source alone, before tierd runs (both would clear the same bits)
"$JAVA_HOME/bin/java" "${JAVA_FLAGS[@]}" -cp "$REPO/target/tierd.jar:$REPO/target/test-classes" \
    tierd.heat.select.HeatProbeMain measure --pid "$pid" --report "$RES/sd.jsonl" --runtime-dir /run/tierd-probe \
    --sources "$SOURCE,clear-refs" --cycles 3 --interval-ms 2000 > "$RES/heat-probe.log" 2>&1
grep -E '^(PROBE|SOURCE|CYCLE|HEAT|SKIP|ERROR)|Exception' "$RES/heat-probe.log" | sed 's/^/  /'
heat_of() { # heat_of SOURCE KEY: the mean fraction KEY from the HEAT line of SOURCE
    grep "^HEAT source=$1 " "$RES/heat-probe.log" | sed -n "s|.* $2_fraction=\([^ ]*\).*|\1|p"
}
hot=$(heat_of "$SOURCE" half/hot_set)
rest=$(heat_of "$SOURCE" half/rest)
vma_hot=$(heat_of clear-refs half/hot_set)
vma_rest=$(heat_of clear-refs half/rest)
verdict "sd-heat" "$SOURCE: written half of the one VMA reads hot (mean fraction over 3 windows of 2 s: ${hot:-none}, expected >= 0.9)" ge "${hot:-0}" 0.9
verdict "sd-heat" "$SOURCE: untouched half reads cold (${rest:-none}, expected <= 0.1)" ge 0.1 "${rest:-1}"
log "per-VMA clear-refs on the same VMA: written half ${vma_hot:-none}, untouched half ${vma_rest:-none}"

# --- sd-source, sd-tier: tierd with the shipped defaults
tierd_start 1 "$CFG"
tierd_wait_cycle 1 1 240 || { fail "setup" "tierd #1 did not complete a cycle in 240 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
c0=$(tierd_cycles 1)
conv=''
while :; do
    n=$(($(tierd_cycles 1) - c0))
    if ge "$(pct "$(wl_last sd half/hot_set)" 0)" 90; then conv=$n; break; fi
    ((n >= SD_MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "sd-tier" "tierd #1 exited"; break; }
    sleep 2
done
if [[ -n $conv ]]; then how="promoted after $conv cycles"; else how="not promoted after $SD_MAX_CYCLES cycles"; fi
log "scenario sd-tier: $how"
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 2)) 40 # two more cycles: the untouched half must stay
tierd_scrape 1
rc=0
tierd_stop 1 TERM || rc=$?
wl_stop sd

verdict "sd-source" "tierd's log: 'hotness source: heat source $SOURCE (...)', picked by itself" \
    grep -q -e "hotness source: heat source $SOURCE (" -e "hotness source: heat source $SOURCE\$" "$RES/tierd-1.log"
# Micrometer's exposition writes a trailing comma after the last label: {source="...",} 1.0
verdict "sd-source" "metric tierd_heat_source_info{source=\"$SOURCE\"} 1" \
    grep -q "^tierd_heat_source_info{source=\"$SOURCE\",\{0,1\}} 1" "$RES/tierd-1.metrics"
verdict "sd-source" "tierd's /status says what the source cannot see ('heatSourceDescription': '... cannot see where read-only hot pages lie inside a VMA ...')" \
    grep -q '"heatSourceDescription":"[^"]*cannot see where read-only hot pages lie inside a VMA' "$RES/tierd-1.status"
verdict "sd-source" "tierd's log: two tiers from its classifier, node 0 above node 1" \
    grep -q "topology: 2 memory tiers (source: classified): tier 0 nodes 0; tier 1 nodes 1" "$RES/tierd-1.log"
verdict "sd-tier" "within $SD_MAX_CYCLES cycles >= 90 % of the written half on fast node 0 ($how)" test -n "$conv"
r=$(wl_last sd half/hot_set)
verdict "sd-tier" "at exit: written half $(pct "$r" 0)% on node 0 (expected >= 90 %)" ge "$(pct "$r" 0)" 90
worst=$(awk '$4 == "half/rest" { p = $5 ? 100 * $6 / $5 : 0; if (p > m) m = p } END { printf "%.1f", m }' "$RES/sd.rows")
verdict "sd-tier" "untouched half: at most $worst % on node 0 in any report from start to exit (expected <= 10 %)" ge 10 "$worst"
r=$(wl_last sd half/rest)
verdict "sd-tier" "at exit: untouched half $(pct "$r" 1)% on slow node 1 (expected >= 90 %)" ge "$(pct "$r" 1)" 90
verdict "sd-tier" "tierd exits 0 on SIGTERM (saw $rc)" test "$rc" = 0
bad=$(awk '$2 == "exit" && $4 !~ /\// && $11 != "true" { printf "%s ", $4 }' "$RES/sd.rows")
verdict "sd5" "workload sd (6.1): checksums unchanged at exit (exit status $(cat "$RES/sd.rc"), want 0 (3 = a checksum changed)${bad:+; bad buffers: $bad})" \
    test "$(cat "$RES/sd.rc")" = 0 -a -z "$bad" -a "$(grep -c '"event":"exit"' "$RES/sd.jsonl")" = 1

table ""
table "softdirty (kernel $(uname -r)): $(grep -o 'topology: .*' "$RES/tierd-1.log" | head -1)"
table "  $(grep -o 'hotness source: .*' "$RES/tierd-1.log" | head -1)"
table "  the source alone (mean access fraction, 3 windows of 2 s): $SOURCE written half ${hot:-none}, untouched half ${rest:-none}; per-VMA clear-refs ${vma_hot:-none} / ${vma_rest:-none}"
table "scenario sd-tier: one 64 MiB VMA, first half written, faulted in on node 1 ($how)"
placement_header
for b in half/hot_set half/rest; do
    table "$(placement_row "sd/$b" "$(wl_first sd $b)" "$(wl_last sd $b)" 0)"
done
table "  tierd moves for sd (pages, from->to[reason]): $(tierd_moves_of 1 "$pid")"
table "  tierd #1: $(tierd_figures 1)"
exit 0
