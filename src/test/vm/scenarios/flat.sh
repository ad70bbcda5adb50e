#!/usr/bin/env bash
# Boot "2node-flat" of the VM scenarios (run by run-scenarios.sh through boot.sh --layout
# 2node-flat; runs INSIDE the guest). Same nodes as 2node but no HMAT: the kernel puts both nodes in
# ONE memory tier, so tierd's own classifier has to tier them. One workload (hot buffer on the
# CPU-less node 1, cold buffer on node 0), two tierds in turn:
#   classifier  tierd's log shows 2 tiers from source "classified": node 0 above node 1;
#   6  #1 runs with --dry-run until its log has printed a planned promotion over the hot buffer and
#      a planned demotion over the cold one ("dry-run plan: move promote pid P <range> ... node 1 →
#      0 [HOT]: <reason>"): placement in every report identical to the start, and every cycle says
#      "dry-run, nothing moved";
#   1f #2 runs for real: within S1F_MAX_CYCLES cycles >= 90 % of hot on node 0 and >= 90 % of cold
#      on node 1, on the classifier's tiers;
#   5  checksums unchanged at exit.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/flat.yaml
# The cold buffer's demotion is planned once it has been idle for planner.proactiveDemotionAge (12 s).
# Its idle age restarts whenever DAMON merges into it a piece of a region that straddled the
# hot/cold boundary (that region saw accesses; tierd cannot tell which of its pages), so it starts
# counting only once DAMON's regions have settled there: 8-20 s after DAMON starts here, and a CI
# run on a slower host still had not planned it after 28 cycles. The loop ends as soon as both
# moves are printed, so the margin costs only failing runs.
S6_MAX_CYCLES=${S6_MAX_CYCLES:-45}
S1F_MAX_CYCLES=${S1F_MAX_CYCLES:-40}
FAST=0

log "boot 2node-flat: classifier, scenarios 6 1f 5"
record_env
tiers=(/sys/devices/virtual/memory_tiering/memory_tier*)
ntiers=${#tiers[@]}
verdict "classifier" "precondition: the kernel has one memory tier here (saw $ntiers)" test "$ntiers" = 1

wl_start s6 --pause-ms 100 --buffer hot:16M:1:default:hot --buffer cold:16M:0:default:cold || exit 1
pid=$(wl_pid s6)

# --- scenario 6: dry run
tierd_start 1 "$CFG" --dry-run
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
# the plan must name the buffers themselves: a promotion over the hot buffer, a demotion over the cold
planned() { dry_run_planned "$RES/tierd-1.log" "$pid" promote hot s6 && dry_run_planned "$RES/tierd-1.log" "$pid" demote cold s6; }
while ! planned && (($(tierd_cycles 1) < S6_MAX_CYCLES)) && kill -0 "$(tierd_pid 1)" 2> /dev/null; do sleep 2; done
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 2)) 30 # and a little longer: still nothing moves
tierd_scrape 1
rc=0
tierd_stop 1 TERM || rc=$?
seq6=$(wl_snapshot s6)
wl_rows "$RES/s6.jsonl" > "$RES/s6.rows"
cyc6=$(tierd_cycles 1)

verdict "classifier" "tierd's log: two tiers from its classifier, node 0 above node 1 ('topology: 2 memory tiers (source: classified): tier 0 nodes 0; tier 1 nodes 1')" \
    grep -q "topology: 2 memory tiers (source: classified): tier 0 nodes 0; tier 1 nodes 1" "$RES/tierd-1.log"
verdict "s6" "dry run printed its plan within $S6_MAX_CYCLES cycles: 'dry-run plan: move promote pid $pid <range in hot $(wl_vma s6 hot | tr ' ' -)> ...' and 'move demote ... <range in cold $(wl_vma s6 cold | tr ' ' -)>'" planned
for b in hot cold; do
    first=$(wl_first s6 $b)
    v=$(awk -v b=$b -v a="$(cut -d' ' -f6-10 <<< "$first")" -v end="$seq6" '$4 == b && $1 <= end && ($6 " " $7 " " $8 " " $9 " " $10) != a { printf "seq %s: n0=%s n1=%s; ", $1, $6, $7 }' "$RES/s6.rows")
    verdict "s6" "dry run moved nothing: $b buffer at n0=$(cut -d' ' -f6 <<< "$first") n1=$(cut -d' ' -f7 <<< "$first") in every report through $cyc6 cycles${v:+; changed: $v}" test -z "$v"
done
notdry=$(grep -c ' Daemon: cycle [0-9]* ok .*; moved ' "$RES/tierd-1.log")
verdict "s6" "every cycle of the dry run logs 'dry-run, nothing moved' (cycles logging a move: $notdry)" test "$notdry" = 0
verdict "s6" "tierd exits 0 on SIGTERM (saw $rc)" test "$rc" = 0

# --- scenario 1 on classified tiers: a real run
tierd_start 2 "$CFG"
tierd_wait_cycle 2 1 180 || { fail "setup" "tierd #2 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-2.log"; exit 1; }
c0=$(tierd_cycles 2)
conv=''
while :; do
    n=$(($(tierd_cycles 2) - c0))
    if ge "$(pct "$(wl_last s6 hot)" 0)" 90 && ge "$(pct "$(wl_last s6 cold)" 1)" 90; then conv=$n; break; fi
    ((n >= S1F_MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 2)" 2> /dev/null || { fail "s1f" "tierd #2 exited"; break; }
    sleep 2
done
if [[ -n $conv ]]; then how="converged after $conv cycles"; else how="not converged after $S1F_MAX_CYCLES cycles"; fi
log "scenario 1f: $how"
tierd_scrape 2
rc=0
tierd_stop 2 TERM || rc=$?
wl_stop s6
verdict "s1f" "within $S1F_MAX_CYCLES cycles on the classifier's tiers: >= 90 % of hot on node 0 and >= 90 % of cold on node 1 ($how)" test -n "$conv"
r=$(wl_last s6 hot); verdict "s1f" "at exit: hot $(pct "$r" 0)% on fast node 0 (expected >= 90 %)" ge "$(pct "$r" 0)" 90
r=$(wl_last s6 cold); verdict "s1f" "at exit: cold $(pct "$r" 1)% on slow node 1 (expected >= 90 %)" ge "$(pct "$r" 1)" 90
verdict "s1f" "tierd #2 exits 0 on SIGTERM (saw $rc)" test "$rc" = 0

bad=$(awk '$2 == "exit" && $11 != "true" { printf "%s ", $4 }' "$RES/s6.rows")
verdict "s5" "workload s6 (2node-flat): checksums unchanged at exit (exit status $(cat "$RES/s6.rc"), want 0 (3 = a checksum changed)${bad:+; bad buffers: $bad})" \
    test "$(cat "$RES/s6.rc")" = 0 -a -z "$bad" -a "$(grep -c '"event":"exit"' "$RES/s6.jsonl")" = 1

table ""
table "2node-flat: $(grep -o 'topology: .*' "$RES/tierd-1.log" | head -1)"
table "scenario 6 (2node-flat): --dry-run for $cyc6 cycles: placement before / after the dry run"
placement_header
for b in hot cold; do
    table "$(placement_row "s6/$b" "$(wl_first s6 $b)" "$(wl_row_at s6 $b "$seq6")" $FAST)"
done
table "  printed plan (last cycle, first 3 moves): $(awk '/dry-run plan: move / { sub(/.*dry-run plan: /, ""); sub(/\]:.*/, "]"); if (++n <= 3) cur = cur (cur == "" ? "" : " | ") $0 } / Daemon: cycle [0-9]+ ok / { last = cur (n > 3 ? " | ... " n - 3 " more" : ""); cur = ""; n = 0 } END { print last }' "$RES/tierd-1.log")"
table "  tierd #1 (dry run): $(tierd_figures 1)"
table ""
table "scenario 1f (2node-flat, classified tiers): hot up, cold down ($how)"
placement_header
for b in hot cold; do
    table "$(placement_row "s6/$b" "$(wl_row_at s6 $b "$seq6")" "$(wl_last s6 $b)" $FAST)"
done
table "  tierd moves for s6 (pages, from->to[reason]): $(tierd_moves_of 2 "$pid")"
table "  tierd #2: $(tierd_figures 2)"
exit 0
