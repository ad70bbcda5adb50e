#!/usr/bin/env bash
# Boot "3node" of the VM scenarios (run by run-scenarios.sh through boot.sh --layout 3node; runs
# INSIDE the guest). Nodes 0 (cpu0) and 1 (cpu1): DRAM, one memory tier; node 2: CPU-less, lower
# tier (HMAT). One tierd manages one workload with buffers on all three nodes:
#   4  nothing ever moves between the two DRAM nodes: in EVERY report (every 2 s), a buffer that
#      started on one DRAM node has no page on the other, and between two reports no buffer loses
#      pages on one DRAM node while gaining on the other. tierd must still tier: the cold buffers
#      of both DRAM nodes go down to node 2 (>= 90 %) and the hot buffer on node 2 goes up (>= 90 %
#      on DRAM), within S4_MAX_CYCLES cycles;
#   2b a hot preferred-many:1-2 VMA on node 2 moves only within its mask: no page on node 0 in any
#      report, and it is promoted to node 1 (>= 90 %);
#   5  checksums unchanged at exit.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/3node.yaml
S4_MAX_CYCLES=${S4_MAX_CYCLES:-40}
FAST=0,1

log "boot 3node: scenarios 4 2b 5"
record_env

tierd_start 1 "$CFG"
wl_start s4 --pause-ms 100 \
    --buffer hot0:16M:0:default:hot --buffer hot1:16M:1:default:hot --buffer hot2:16M:2:default:hot \
    --buffer pm:16M:2:preferred-many:1-2:hot \
    --buffer cold0:16M:0:default:cold --buffer cold1:16M:1:default:cold || exit 1
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
c0=$(tierd_cycles 1)

s4_done() {
    ge "$(pct "$(wl_last s4 cold0)" 2)" 90 && ge "$(pct "$(wl_last s4 cold1)" 2)" 90 \
        && ge "$(pct "$(wl_last s4 hot2)" 0,1)" 90 && ge "$(pct "$(wl_last s4 pm)" 1)" 90
}
conv=''
while :; do
    n=$(($(tierd_cycles 1) - c0))
    if s4_done; then conv=$n; break; fi
    ((n >= S4_MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "s4" "tierd exited during scenario 4"; break; }
    sleep 2
done
if [[ -n $conv ]]; then how="converged after $conv cycles"; else how="not converged after $S4_MAX_CYCLES cycles"; fi
log "scenario 4: $how"
# a few more cycles with everything in place: nothing may move sideways now either
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 4)) 60
tierd_scrape 1
rc=0
tierd_stop 1 TERM || rc=$?
verdict "s4" "tierd exits 0 on SIGTERM (saw $rc)" test "$rc" = 0
wl_stop s4

# --- scenario 4: never sideways, in every report
for b in hot0 cold0; do
    v=$(rows_violating s4 $b '$7 != 0'); verdict "s4" "$b (started on DRAM node 0): no page on DRAM node 1 in any report${v:+; violations: $v}" test -z "$v"
done
for b in hot1 cold1; do
    v=$(rows_violating s4 $b '$6 != 0'); verdict "s4" "$b (started on DRAM node 1): no page on DRAM node 0 in any report${v:+; violations: $v}" test -z "$v"
done
v=$(awk '{ k = $4 } k in p0 && (($6 < p0[k] && $7 > p1[k]) || ($7 < p1[k] && $6 > p0[k])) {
        printf "%s seq %s: n0 %d->%d n1 %d->%d; ", k, $1, p0[k], $6, p1[k], $7 }
        { p0[k] = $6; p1[k] = $7 }' "$RES/s4.rows")
verdict "s4" "no buffer loses pages on one DRAM node while gaining on the other between two reports ($(awk 'END { print $1 + 1 }' "$RES/s4.rows") reports)${v:+; violations: $v}" test -z "$v"
verdict "s4" "within $S4_MAX_CYCLES cycles: cold0, cold1 >= 90 % on slow node 2, hot2 >= 90 % on DRAM, pm >= 90 % on node 1 ($how)" test -n "$conv"
for b in cold0 cold1; do
    r=$(wl_last s4 $b); verdict "s4" "at exit: $b $(pct "$r" 2)% on slow node 2 (expected >= 90 %)" ge "$(pct "$r" 2)" 90
done
r=$(wl_last s4 hot2); verdict "s4" "at exit: hot2 $(pct "$r" 0,1)% on DRAM (expected >= 90 %)" ge "$(pct "$r" 0,1)" 90
for b in hot0 hot1; do
    r=$(wl_last s4 $b); verdict "s4" "at exit: $b untouched on its DRAM node ($(pct "$r" 0,1)% on DRAM, expected 100 %)" test "$(awk '{ print $6 + $7 == $5 }' <<< "$r")" = 1
done

# --- scenario 2b: preferred-many within its mask
v=$(rows_violating s4 pm '$6 != 0'); verdict "s2" "preferred-many:1-2 hot VMA (3node): no page on node 0 (outside its mask) in any report${v:+; violations: $v}" test -z "$v"
r=$(wl_last s4 pm); verdict "s2" "preferred-many:1-2 hot VMA (3node) promoted within its mask: $(pct "$r" 1)% on node 1 at exit (expected >= 90 %)" ge "$(pct "$r" 1)" 90

# --- scenario 5
bad=$(awk '$2 == "exit" && $11 != "true" { printf "%s ", $4 }' "$RES/s4.rows")
verdict "s5" "workload s4 (3node): checksums unchanged at exit (exit status $(cat "$RES/s4.rc"), want 0 (3 = a checksum changed)${bad:+; bad buffers: $bad})" \
    test "$(cat "$RES/s4.rc")" = 0 -a -z "$bad" -a "$(grep -c '"event":"exit"' "$RES/s4.jsonl")" = 1

table ""
table "scenario 4 (3node): two DRAM nodes + one slow node; never DRAM <-> DRAM ($how); scenario 2b: preferred-many:1-2 (buffer pm)"
placement_header
buffer_table s4 $FAST hot0 hot1 cold0 cold1 hot2 pm
table "  tierd moves for s4 (pages, from->to[reason]): $(tierd_moves_of 1 "$(wl_pid s4)")"
table "  tierd: $(tierd_figures 1)"
exit 0
