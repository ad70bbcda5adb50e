#!/usr/bin/env bash
# Boot "accessor" (issue 19 point 0; runs INSIDE the 3node guest): node 0 has CPU 0, node 1 has
# CPU 1 (DRAM, one tier), node 2 is CPU-less and slow, at SLIT distance 28 from both. Two workloads
# with a hot 16 MiB buffer faulted in on node 2, one pinned to CPU 1 (a1), one to CPU 0 (a0):
#   a1  a1's hot buffer is promoted to node 1, the node of the CPU it runs on (>= 90 %), and never
#       has a page on node 0;
#   a0  a0's hot buffer is promoted to node 0 (>= 90 %), never a page on node 1;
#   a5  checksums unchanged at exit.
# Static topology alone cannot tell the two apart (both DRAM nodes are 28 away from node 2): the
# target follows the CPUs the threads ran on (tierd's --explain says "nearest to the CPUs pid N
# runs on").
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/accessor.yaml
MAX_CYCLES=${ACCESSOR_MAX_CYCLES:-30}

log "boot accessor: scenarios a1 a0 a5"
record_env

wl_start a1 --cpus 1 --pause-ms 100 --buffer hot:16M:2:default:hot || exit 1
wl_start a0 --cpus 0 --pause-ms 100 --buffer hot:16M:2:default:hot || exit 1
tierd_start 1 "$CFG"
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
c0=$(tierd_cycles 1)
done_() { ge "$(pct "$(wl_last a1 hot)" 1)" 90 && ge "$(pct "$(wl_last a0 hot)" 0)" 90; }
conv=''
while :; do
    n=$(($(tierd_cycles 1) - c0))
    if done_; then conv=$n; break; fi
    ((n >= MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "a1" "tierd exited"; break; }
    sleep 2
done
if [[ -n $conv ]]; then how="converged after $conv cycles"; else how="not converged after $MAX_CYCLES cycles"; fi
log "accessor: $how"
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 2)) 60
tierd_scrape 1
rc=0
tierd_stop 1 TERM || rc=$?
verdict "a1" "tierd exits 0 on SIGTERM (saw $rc)" test "$rc" = 0
wl_stop a1
wl_stop a0

r=$(wl_last a1 hot); verdict "a1" "a1 (pinned to CPU 1): hot buffer $(pct "$r" 1)% on node 1 at exit (expected >= 90 %, $how)" ge "$(pct "$r" 1)" 90
v=$(rows_violating a1 hot '$6 != 0'); verdict "a1" "a1: no page on node 0 in any report${v:+; violations: $v}" test -z "$v"
r=$(wl_last a0 hot); verdict "a0" "a0 (pinned to CPU 0): hot buffer $(pct "$r" 0)% on node 0 at exit (expected >= 90 %, $how)" ge "$(pct "$r" 0)" 90
v=$(rows_violating a0 hot '$7 != 0'); verdict "a0" "a0: no page on node 1 in any report${v:+; violations: $v}" test -z "$v"
why=$(grep -o 'nearest to the CPUs pid [0-9]* runs on: [^)]*)' "$RES/tierd-1.log" | sort -u | tr '\n' ';')
table "  reasons in tierd's log: ${why:-none}"
for id in a1 a0; do
    verdict "a5" "workload $id: checksums unchanged at exit (exit status $(cat "$RES/$id.rc"), want 0)" test "$(cat "$RES/$id.rc")" = 0
done

table ""
table "accessor (3node): hot buffers on node 2 of a workload pinned to CPU 1 (a1) and one pinned to CPU 0 (a0) ($how)"
placement_header
buffer_table a1 0,1 hot
buffer_table a0 0,1 hot
table "  tierd moves for a1 (pages, from->to): $(tierd_moves_of 1 "$(wl_pid a1)")"
table "  tierd moves for a0 (pages, from->to): $(tierd_moves_of 1 "$(wl_pid a0)")"
table "  tierd: $(tierd_figures 1)"
exit 0
