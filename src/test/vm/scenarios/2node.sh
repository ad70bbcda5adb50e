#!/usr/bin/env bash
# Boot "2node" of the VM scenarios (run by run-scenarios.sh through boot.sh --layout 2node
# --fast-mem 512M; runs INSIDE the guest). Node 0: DRAM with the CPUs (fast tier); node 1: CPU-less,
# lower memory tier (HMAT). One tierd (#1) manages three workloads at once, then scenario 7 kills it
# and starts #2:
#   1  hot buffer (32 MiB) on the slow node, cold buffer (48 MiB) on the fast node, fast node near
#      full (a tmpfs ballast bound to node 0 leaves only ~8 MiB above the high watermark, less than
#      the hot buffer): within S1_MAX_CYCLES cycles >= 90 % of hot on node 0 and >= 90 % of cold on
#      node 1, held until tierd #1 stops; hot still >= 90 % at exit, after tierd #2;
#   2  VMA policies: hot bind:1 never moves; hot preferred-many:1 stays within its mask {1}; hot
#      interleave:0-1 untouched (same pages per node in every report); cold bind:0 never demoted;
#   3  a hot buffer of a workload in a cgroup v2 cpuset with cpuset.mems=1 stays 100 % on node 1;
#   5  every buffer's checksum at exit equals the pattern's (workload exit status 0, not 3);
#   7  tierd's kdamond exists while it runs; kill -9 leaves it (with the state file in /run/tierd);
#      a new tierd removes it, runs its own, and SIGTERM leaves nr_kdamonds as before tierd started;
#      the same for tierd's tracefs instance (instances/tierd-damon), through which it reads DAMON's
#      aggregations (the damon_aggregated tracepoint).
# Placement is read from the kernel (the workloads' move_pages reports every 2 s), never from tierd.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/2node.yaml
S1_MAX_CYCLES=${S1_MAX_CYCLES:-80} # cycles run every 1 s while moving (busyInterval): 80 of them take about what 40 took at 2 s
FAST=0

log "boot 2node: scenarios 1 2 3 5 7"
record_env
nr0=$(nr_kdamonds)
th0=$(kdamond_threads)

# cgroup for scenario 3: cpuset.mems = the slow node only
echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control
CG=/sys/fs/cgroup/tierd-s3
mkdir -p $CG
echo 1 > $CG/cpuset.mems
echo 0-1 > $CG/cpuset.cpus
log "cgroup $CG: cpuset.mems=$(cat $CG/cpuset.mems) effective=$(cat $CG/cpuset.mems.effective)"

# tierd first (its JVM's memory is in place before the fast node is filled); the policy workloads
# start while it does
tierd_start 1 "$CFG"
wl_start s2 --pause-ms 100 --buffer bound:8M:1:bind:1:hot --buffer pmany:8M:1:preferred-many:1:hot \
    --buffer ilv:8M:-:interleave:0-1:hot --buffer fastbind:8M:0:bind:0:cold || exit 1
wl_start s3 --cgroup $CG --pause-ms 100 --buffer hot:8M:1:default:hot || exit 1
[[ $(cat /proc/"$(wl_pid s3)"/cpuset) == /tierd-s3 ]] || fail "setup" "s3 is not in $CG: $(cat /proc/"$(wl_pid s3)"/cpuset)"
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
c0=$(tierd_cycles 1)
log "tierd #1 cycle $c0 done; nr_kdamonds=$(nr_kdamonds) (before tierd: $nr0)"

# Scenario 1's "near full": a ballast that tierd cannot move (tmpfs pages bound to node 0, mapped by
# no process) fills node 0 so that, once s1's cold buffer is in, free memory is 8 MiB above the high
# watermark: promoting the 32 MiB hot buffer would take node 0 below it, so it needs demotion first.
high0=$(node_high_kb 0) low0=$(node_low_kb 0)
mkdir -p /run/ballast
mount -t tmpfs -o mpol=bind:0 tierd-ballast /run/ballast
ballast() { # ballast NAME KB
    (($2 > 0)) && dd if=/dev/zero of="/run/ballast/$1" bs=4k count=$(($2 / 4)) status=none
}
ballast a $(($(node_free_kb 0) - high0 - 8192 - 49152 - 4096))
# More cold than hot data: while node 0 sits between its low and high watermark, an exchange must
# free the hot bytes plus the way back up to the high watermark (up to ~38 MiB here); with exactly
# 32 MiB of cold data it cannot, and tierd then never promotes a hot range larger than the room
# left (see the README, "Findings").
wl_start s1 --pause-ms 100 --buffer hot:32M:1:default:hot --buffer cold:48M:0:default:cold || exit 1
ballast b $(($(node_free_kb 0) - high0 - 8192))
free1=$(node_free_kb 0)
log "node 0: free $free1 kB after a $(du -sk /run/ballast | cut -f1) kB ballast (low $low0 kB, high $high0 kB)"
table "boot 2node: node 0 $(awk '/MemTotal/ { print int($4 / 1024) }' /sys/devices/system/node/node0/meminfo) MiB; after the ballast ($(($(du -sk /run/ballast | cut -f1) / 1024)) MiB tmpfs bound to node 0) free $((free1 / 1024)) MiB (low watermark $((low0 / 1024)) MiB, high $((high0 / 1024)) MiB)"
verdict "s1" "fast node near full: free on node 0 $((free1 / 1024)) MiB - 32 MiB hot buffer < high watermark $((high0 / 1024)) MiB (promotion needs a demotion first)" \
    test $((free1 - 32768)) -lt "$high0"

# --- scenario 1: wait for convergence, at most S1_MAX_CYCLES cycles after the workloads started
s1_done() {
    local h c
    h=$(wl_last s1 hot) c=$(wl_last s1 cold)
    ge "$(pct "$h" 0)" 90 && ge "$(pct "$c" 1)" 90
}
conv=''
while :; do
    n=$(($(tierd_cycles 1) - c0))
    if s1_done; then conv=$n; break; fi
    ((n >= S1_MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "s1" "tierd #1 exited during scenario 1"; break; }
    sleep 2
done
s1h=$(pct "$(wl_last s1 hot)" 0) s1c=$(pct "$(wl_last s1 cold)" 1)
if [[ -n $conv ]]; then s1how="converged after $conv cycles"; else s1how="not converged after $S1_MAX_CYCLES cycles"; fi
log "scenario 1: $s1how: hot $s1h% on node 0, cold $s1c% on node 1"
# Give the policy scenarios a few more cycles of a tierd that is done with scenario 1.
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 3)) 60
tierd_scrape 1
both_ge_90() { ge "$1" 90 && ge "$2" 90; }
# Where tierd #1 left scenario 1 (the held state; scenario 7 then restarts tierd without history)
h1=$(wl_last s1 hot) c1=$(wl_last s1 cold)

# --- scenario 7: kdamond lifecycle
kd1=$(nr_kdamonds)
verdict "s7" "while tierd #1 runs: nr_kdamonds $kd1 = $((nr0 + 1)) and its state file /run/tierd/damon.state exists" \
    test "$kd1" = $((nr0 + 1)) -a -f /run/tierd/damon.state
TRACE_INSTANCE=/sys/kernel/tracing/instances/tierd-damon
traced=$(grep -c "DAMON regions read from the damon_aggregated tracepoint" "$RES/tierd-1.log")
verdict "s7" "tierd #1 reads DAMON through the damon_aggregated tracepoint (log line) in its tracefs instance $TRACE_INSTANCE" \
    test "$traced" -ge 1 -a -d "$TRACE_INSTANCE"
tierd_stop 1 KILL
sleep 1
left=$(nr_kdamonds) lstate=$(damon_read "$DAMON/$nr0/state") lpid=$(damon_read "$DAMON/$nr0/pid")
verdict "s7" "after kill -9 of tierd #1 its kdamond is left behind (precondition): nr_kdamonds $left = $((nr0 + 1)), state '$lstate' = on" \
    test "$left" = $((nr0 + 1)) -a "$lstate" = on
tierd_start 2 "$CFG"
tierd_wait_cycle 2 1 180 || fail "s7" "tierd #2 did not complete a cycle in 180 s"
removed=$(grep -c "removed kdamond $nr0 left by tierd pid $(tierd_pid 1)" "$RES/tierd-2.log")
verdict "s7" "tierd #2 removed the kdamond left by tierd #1 (log: 'removed kdamond $nr0 left by tierd pid $(tierd_pid 1)')" test "$removed" -ge 1
for _ in $(seq 20); do [[ $(damon_read "$DAMON/$nr0/state") == on ]] && break; sleep 0.5; done
own=$(damon_read "$DAMON/$nr0/pid")
verdict "s7" "tierd #2 runs its own kdamond: nr_kdamonds $(nr_kdamonds) = $((nr0 + 1)), kthread pid $own != leftover's $lpid" \
    test "$(nr_kdamonds)" = $((nr0 + 1)) -a "$own" != "$lpid" -a "$own" != none
tierd_scrape 2
rc=0
tierd_stop 2 TERM || rc=$?
sleep 1
verdict "s7" "tierd #2 exits 0 on SIGTERM (saw $rc)" test "$rc" = 0
verdict "s7" "after SIGTERM: nr_kdamonds $(nr_kdamonds) = $nr0 (before tierd), kdamond threads $(kdamond_threads) = $th0, state file gone" \
    test "$(nr_kdamonds)" = "$nr0" -a "$(kdamond_threads)" = "$th0" -a ! -e /run/tierd/damon.state
verdict "s7" "after SIGTERM: tierd's tracefs instance $TRACE_INSTANCE is gone (tierd #2 replaced the one tierd #1 left)" \
    test ! -e "$TRACE_INSTANCE"

# --- stop the workloads: exit reports carry the checksums
for w in s1 s2 s3; do wl_stop $w; done

# --- scenario 1
h=$(wl_last s1 hot) c=$(wl_last s1 cold)
verdict "s1" "within $S1_MAX_CYCLES cycles of tierd: >= 90 % of hot on fast node 0 and >= 90 % of cold on slow node 1 ($s1how: hot $s1h%, cold $s1c%)" test -n "$conv"
verdict "s1" "held by tierd #1 until it stopped: hot $(pct "$h1" 0)% on fast node 0, cold $(pct "$c1" 1)% on slow node 1 (expected >= 90 % each)" \
    both_ge_90 "$(pct "$h1" 0)" "$(pct "$c1" 1)"
verdict "s1" "at exit, after tierd #2's cycles: hot $(pct "$h" 0)% on fast node 0 (expected >= 90 %)" ge "$(pct "$h" 0)" 90
# Not asserted: cold at exit. tierd #2 starts without history; DAMON's first regions may join a
# part of the cold buffer to the hot one, and a range hot in one window goes up at once into free
# room (issue 16). One CI run saw it take 5.7 MiB of the 48 MiB cold buffer up (88 % left on node
# 1); the table above gives tierd #2's moves of s1, and it is demoted again once idle for
# scoring.coldMinAge.
table "  s1 at exit: cold $(pct "$c" 1)% on slow node 1 (after tierd #2, which starts without history)"

# --- scenario 2: every report, from start to exit
v=$(rows_violating s2 bound '$7 != $5'); verdict "s2" "bind:1 hot VMA: all pages on node 1 in every report${v:+; violations: $v}" test -z "$v"
v=$(rows_violating s2 pmany '$7 != $5'); verdict "s2" "preferred-many:1 hot VMA: all pages within its mask {1} in every report${v:+; violations: $v}" test -z "$v"
i0=$(wl_first s2 ilv)
v=$(awk -v a="$(cut -d' ' -f6-9 <<< "$i0")" '$4 == "ilv" && ($6 " " $7 " " $8 " " $9) != a { printf "seq %s: %s %s; ", $1, $6, $7 }' "$RES/s2.rows")
verdict "s2" "interleave:0-1 hot VMA untouched: pages per node $(cut -d' ' -f6-7 <<< "$i0") (n0 n1) in every report${v:+; changed: $v}" test -z "$v"
v=$(rows_violating s2 fastbind '$6 != $5'); verdict "s2" "bind:0 cold VMA never demoted: all pages on node 0 in every report${v:+; violations: $v}" test -z "$v"

# --- scenario 3
v=$(rows_violating s3 hot '$7 != $5'); verdict "s3" "cpuset.mems=1 workload: hot buffer 100 % on node 1 in every report${v:+; violations: $v}" test -z "$v"
eacces=$(grep -h 'TieringCycle: move '"$(wl_pid s3)"' ' "$RES"/tierd-[12].log | grep -c 'EACCES=[1-9]')
verdict "s3" "tierd never asked the kernel to move the cpuset-bound pages (move requests refused with EACCES: $eacces)" test "$eacces" = 0

# --- scenario 5
for w in s1 s2 s3; do
    bad=$(awk '$2 == "exit" && $11 != "true" { printf "%s ", $4 }' "$RES/$w.rows")
    verdict "s5" "workload $w: checksums unchanged at exit (exit status $(cat "$RES/$w.rc"), want 0 (3 = a checksum changed)${bad:+; bad buffers: $bad})" \
        test "$(cat "$RES/$w.rc")" = 0 -a -z "$bad" -a "$(grep -c '"event":"exit"' "$RES/$w.jsonl")" = 1
done

# --- tables
f1=$(tierd_figures 1) f2=$(tierd_figures 2)
table ""
table "scenario 1 (2node): hot on slow + cold on fast, fast node near full -> hot up, cold down ($s1how)"
placement_header
buffer_table s1 $FAST hot cold
table "  tierd moves for s1 (pages, from->to[reason]): #1: $(tierd_moves_of 1 "$(wl_pid s1)") / #2 (scenario 7, after the restart): $(tierd_moves_of 2 "$(wl_pid s1)")"
table ""
table "scenario 2 (2node): VMA policies (bind:1, preferred-many:1, interleave:0-1 hot; bind:0 cold)"
placement_header
buffer_table s2 $FAST bound pmany ilv fastbind
table "  tierd moves for s2 (pages, other VMAs of the process): #1: $(tierd_moves_of 1 "$(wl_pid s2)") / #2: $(tierd_moves_of 2 "$(wl_pid s2)")"
table ""
table "scenario 3 (2node): workload in cgroup cpuset.mems=1"
placement_header
buffer_table s3 $FAST hot
table "  tierd moves for s3 (pages): #1: $(tierd_moves_of 1 "$(wl_pid s3)") / #2: $(tierd_moves_of 2 "$(wl_pid s3)")"
table ""
table "tierd #1 (scenarios 1-3): $f1"
table "tierd #2 (scenario 7, after kill -9 of #1): $f2"
table "scenario 7: nr_kdamonds before tierd $nr0, while #1 ran $kd1, after kill -9 $left, with #2 (own kdamond) 1, after SIGTERM $(nr_kdamonds)"
exit 0
