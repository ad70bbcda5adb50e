#!/usr/bin/env bash
# Boot "chaos" of the VM scenarios (issue 14 point 6; run by run-scenarios.sh through boot.sh
# --layout 3node --fast-mem 512M; runs INSIDE the guest). Nodes 0 (cpu0) and 1 (cpu1): DRAM, one
# tier; node 2: CPU-less, lower tier. One tierd (#1) tiers three workloads for real while, one after
# the other, the host around it misbehaves:
#   c1 kill -9 mid-move: kv's 160 MiB hot buffer on node 2 is being promoted when kv is killed (the
#      log says "moving: ..."); that cycle ends ok with kv's unmoved pages counted as ESRCH, the
#      following cycles run on (none fails), tierd's kdamond runs on for the survivors;
#   c2 a cgroup removed mid-scan: cg is moved into a fresh cgroup v2 child, out again, and the child
#      removed, over and over for CHURN_S seconds while tierd cycles: every cycle is ok and manages
#      every workload;
#   c3 cpuset.mems shrinks mid-run: cs runs in a cgroup with cpuset.mems=0-2; after tierd has seen it
#      for two cycles (still inside heat.warmup, before any promotion) cpuset.mems becomes 1-2 (the
#      kernel moves cs's node-0 pages to node 1). tierd's own first choice for promoting from node 2
#      is node 0 (nearest faster node, lowest id on a tie): it must promote cs's hot buffer to node 1,
#      never put a page on node 0 (every report from the shrink on), and never ask for node 0
#      (no move refused with EACCES once a cycle has read the new cpuset);
#   c4 another DAMON user starts a kdamond: the kernel's DAMON_LRU_SORT module (built in; its
#      kdamond is not in DAMON's sysfs admin tree); tierd reports a foreign_damon conflict (log line
#      and tierd_source_conflicts) and leaves it alone: its parameters and kthread are unchanged
#      while tierd runs and after tierd exits;
#   c5 numa_balancing switched on: tierd reports the conflict (log line, metric) and the metric goes
#      back to 0 once it is switched off again;
#   c6 200 concurrent scrapes (100 /metrics + 100 /status, one curl --parallel): every one answered
#      200 with a sane body; the median cycle time of the cycles overlapping the burst is <= 2x the
#      median of the 8 cycles before it, and no cycle was skipped;
#   c7 tierd exits 0 on SIGTERM and removes only its own kdamond;
#   s5 checksums intact: a checksum report from cs and cg after every event, and at exit.
# Placement is read from the kernel (the workloads' move_pages reports), never from tierd.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/chaos.yaml
FAST=0,1
KV_MIB=160 KV_PAGES=$((160 * 256))
KILL_MAX_CYCLES=${KILL_MAX_CYCLES:-40} # cycles to wait for kv's promotion to start
CHURN_S=${CHURN_S:-16}
EVENT_MAX_CYCLES=6                     # cycles a conflict may take to show
LRU=/sys/module/damon_lru_sort/parameters
INTERVAL_S=2                           # chaos.yaml's interval

log "boot chaos (3node): kill -9 mid-move, cgroup removed, cpuset shrink, foreign kdamond, numa_balancing, scrape burst"
record_env
T_BASE=$(date +%T.%N)

# --- helpers -------------------------------------------------------------------------------------
# Times of day in seconds (HH:MM:SS.fff, the log's clock); + 86400 once past midnight after T_BASE.
BASE_S=$(awk -v t="$T_BASE" 'BEGIN { split(t, a, ":"); print a[1] * 3600 + a[2] * 60 + a[3] }')
SOD_AWK='function sod(t,    a, s) { split(t, a, ":"); s = a[1] * 3600 + a[2] * 60 + a[3]; if (s < base - 60) s += 86400; return s }'
sod() { awk -v base="$BASE_S" -v t="$1" "$SOD_AWK"' BEGIN { printf "%.3f", sod(t) }'; }
# cycle_rows: one line per completed cycle of tierd #1: "number end_s took_ms ok processes"
cycle_rows() {
    awk -v base="$BASE_S" "$SOD_AWK"'
    / Daemon: cycle [0-9]+ / {
        n = $0; sub(/.* Daemon: cycle /, "", n)
        took = ""; if (match($0, / in [0-9]+ms/)) took = substr($0, RSTART + 4, RLENGTH - 6)
        p = ""; if (match($0, /ms: [0-9]+ processes/)) p = substr($0, RSTART + 4, RLENGTH - 14)
        printf "%d %.3f %d %d %s\n", n + 0, sod($1), took, (n ~ /^[0-9]+ ok /), p
    }' "$RES/tierd-1.log"
}
# metric NAME LABEL=VALUE: a sample of the last scrape ($RES/tierd-1.metrics), 0 when absent
metric() {
    awk -v n="$1" -v l="$2" 'index($0, n "{") == 1 && index($0, l) { v = $NF } END { print v + 0 }' "$RES/tierd-1.metrics"
}
# wait_for_log PATTERN CYCLES: waits (at most CYCLES cycles) until tierd's log has a line matching
# the extended regex; prints the first one
wait_for_log() {
    local end=$(($(tierd_cycles 1) + $2))
    while (($(tierd_cycles 1) <= end)); do
        grep -E -m1 "$1" "$RES/tierd-1.log" && return 0
        kill -0 "$(tierd_pid 1)" 2> /dev/null || return 1
        sleep 0.5
    done
    return 1
}
# checksums_ok ID EVENT: a checksum report now; PASS/FAIL s5 line
checksums_ok() {
    local seq bad
    seq=$(wl_snapshot "$1")
    wl_rows "$RES/$1.jsonl" > "$RES/$1.rows"
    bad=$(awk -v s="$seq" '$1 == s && $11 != "true" { printf "%s ", $4 }' "$RES/$1.rows")
    verdict "s5" "workload $1: checksums intact after $2 (report seq ${seq:-none}${bad:+; bad buffers: $bad})" \
        test -n "$seq" -a -z "$bad"
}
lru_intact() { # lru_intact FILE: same parameters as before, and the kthread still there
    cmp -s /run/lru.before "$1" && [[ -n $(cat "/proc/$lru_pid/comm" 2> /dev/null) ]]
}
lru_params() { # the configuration of DAMON_LRU_SORT (its writable parameters) and its kthread
    local f
    for f in "$LRU"/*; do
        [[ $(stat -c %a "$f") == 600 || ${f##*/} == kdamond_pid ]] && echo "${f##*/}=$(cat "$f")"
    done
}
failed_cycles_after() { cycle_rows | awk -v c="$1" '$1 > c && !$4 { printf "%d ", $1 }'; }

# --- setup: three workloads, tierd ---------------------------------------------------------------
echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control
CS=/sys/fs/cgroup/chaos-cs
mkdir -p $CS
echo 0-2 > $CS/cpuset.mems
echo 0-1 > $CS/cpuset.cpus
tierd_start 1 "$CFG"
wl_start kv --pause-ms 100 --buffer big:${KV_MIB}M:2:default:hot || exit 1
wl_start cs --cgroup $CS --pause-ms 100 --buffer hot:16M:2:default:hot --buffer cold:8M:0:default:cold || exit 1
wl_start cg --pause-ms 100 --buffer hot:8M:2:default:hot --buffer cold:8M:0:default:cold || exit 1
kvpid=$(wl_pid kv) cspid=$(wl_pid cs) cgpid=$(wl_pid cg)
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }
log "tierd #1 cycle $(tierd_cycles 1) done"

# --- c3: cpuset.mems 0-2 -> 1-2 after tierd has seen cs in two cycles ----------------------------
until cycle_rows | awk '$5 == 3 { n++ } END { exit !(n >= 2) }'; do
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "setup" "tierd #1 exited"; exit 1; }
    sleep 0.5
done
pre=$(wl_snapshot cs)
echo 1-2 > $CS/cpuset.mems
shrunk_at=$(tierd_cycles 1) # cycle shrunk_at + 1 may still have read the old cpuset
post=$(wl_snapshot cs)
wl_rows "$RES/cs.jsonl" > "$RES/cs.rows"
log "c3: cpuset.mems of $CS now $(cat $CS/cpuset.mems) (after cycle $shrunk_at); cs reports $pre -> $post"
cold_before=$(wl_row_at cs cold "$pre") cold_after=$(wl_row_at cs cold "$post")
verdict "c3" "precondition: the shrink moved cs's node-0 pages away (cold buffer pages on node 0: $(cut -d' ' -f6 <<< "$cold_before") before, $(cut -d' ' -f6 <<< "$cold_after") after, expected > 0 then 0)" \
    test "$(cut -d' ' -f6 <<< "$cold_before")" -gt 0 -a "$(cut -d' ' -f6 <<< "$cold_after")" = 0
grep -q 'TieringCycle: move '"$cspid"' ' "$RES/tierd-1.log" && fail "c3" "precondition: tierd moved cs's pages before the shrink (expected none: heat.warmup)"

# --- c1: kill -9 kv while tierd moves its big buffer ---------------------------------------------
# kv's request is the first towards node 0 (requests go by target node, then pid), so a "moving:
# d/t" line with t - d >= 8192 pages (32 MiB) left is in the middle of kv's buffer.
kill_cycle='' kill_line=''
end=$(($(tierd_cycles 1) + KILL_MAX_CYCLES))
while (($(tierd_cycles 1) < end)); do
    kill_line=$(grep -E 'TieringCycle: moving: [0-9]+/[0-9]+ pages' "$RES/tierd-1.log" | tail -1)
    if [[ -n $kill_line ]] && awk '{ split($(NF - 2), p, "/"); exit !(p[2] - p[1] >= 8192) }' <<< "$kill_line"; then
        kill -KILL "$kvpid"
        kill_cycle=$(($(tierd_cycles 1) + 1))
        wait "$(cat /run/kv.shpid)" 2> /dev/null
        break
    fi
    kill_line=''
    kill -0 "$(tierd_pid 1)" 2> /dev/null || break
    sleep 0.1
done
log "c1: killed kv (pid $kvpid) in cycle ${kill_cycle:-none} at: ${kill_line:-never saw a long move}"
verdict "c1" "kv was killed while tierd moved its buffer (log before the kill: '$(sed 's/.*TieringCycle: //' <<< "$kill_line")', expected >= 8192 pages still to settle, within $KILL_MAX_CYCLES cycles)" \
    test -n "$kill_cycle"
[[ -n $kill_cycle ]] || kill_cycle=$(tierd_cycles 1)
tierd_wait_cycle 1 $((kill_cycle + 5)) 90 || fail "c1" "tierd did not complete 5 cycles after the kill in 90 s"
tierd_scrape 1
# kv's move line of the kill cycle: "move PID 2 -> 0 [HOT]: {MOVED=..., ESRCH=...}"
kvmove=$(awk -v c="$kill_cycle" -v pid="$kvpid" '/ Daemon: cycle [0-9]+ / { done = $0; sub(/.* Daemon: cycle /, "", done); done += 0 }
    done + 1 == c && index($0, " TieringCycle: move " pid " ") { sub(/.* TieringCycle: /, ""); print }' "$RES/tierd-1.log")
kvmoved=$(sed -n 's/.*MOVED=\([0-9]*\).*/\1/p' <<< "$kvmove")
kvlost=$(sed -n 's/.*ESRCH=\([0-9]*\).*/\1/p' <<< "$kvmove")
verdict "c1" "the kill landed mid-move: kv's request in cycle $kill_cycle moved some pages and the rest were counted ESRCH (saw '${kvmove:-no move line}', expected 0 < MOVED < $KV_PAGES and ESRCH > 0)" \
    test "${kvmoved:-0}" -gt 0 -a "${kvmoved:-0}" -lt "$KV_PAGES" -a "${kvlost:-0}" -gt 0
krow=$(cycle_rows | awk -v c="$kill_cycle" '$1 == c')
verdict "c1" "the cycle of the kill ended ok ($(awk '{ printf "cycle %d: ok=%d, %d ms", $1, $4, $3 }' <<< "$krow"))" \
    test "$(cut -d' ' -f4 <<< "$krow")" = 1
bad=$(failed_cycles_after $((kill_cycle - 1)))
after=$(cycle_rows | awk -v c="$kill_cycle" '$1 > c { n++ } END { print n + 0 }')
procs=$(cycle_rows | awk -v c="$kill_cycle" '$1 > c { printf "%s ", $5 }')
verdict "c1" "cycles go on after the kill: $after cycles after cycle $kill_cycle, failed: ${bad:-none}; managed processes ${procs}(expected >= 5 cycles, none failed, 2 processes each)" \
    test "$after" -ge 5 -a -z "$bad" -a -z "$(tr -d '2 ' <<< "$procs")"
esrch=$(metric tierd_move_failures_total 'errno="ESRCH"')
verdict "c1" "tierd_move_failures_total{errno=\"ESRCH\"} counts kv's unmoved pages (saw $esrch, expected ${kvlost:-> 0})" \
    test "${esrch%.*}" = "${kvlost:-x}"
kd_state=$(damon_read "$DAMON/0/state") kd_targets=$(damon_read "$DAMON/0/contexts/0/targets/nr_targets")
verdict "c1" "tierd's kdamond runs on for the survivors: state '$kd_state', nr_targets $kd_targets (expected on, 2)" \
    test "$kd_state" = on -a "$kd_targets" = 2
checksums_ok cs "the kill"
checksums_ok cg "the kill"

# --- c2: cg's cgroup created and removed over and over while tierd scans ---------------------------
cg_home=$(sed -n 's/^0:://p' "/proc/$cgpid/cgroup")
churn_from=$(tierd_cycles 1)
churns=0 churn_errors=0
churn_end=$((SECONDS + CHURN_S))
while ((SECONDS < churn_end)); do
    d=/sys/fs/cgroup/chaos-churn-$churns
    { mkdir "$d" && echo "$cgpid" > "$d/cgroup.procs" && sleep 0.$((RANDOM % 4)) \
        && echo "$cgpid" > "/sys/fs/cgroup${cg_home%/}/cgroup.procs" && rmdir "$d"; } || churn_errors=$((churn_errors + 1))
    churns=$((churns + 1))
done
churn_to=$(tierd_cycles 1)
tierd_wait_cycle 1 $((churn_to + 1)) 30
log "c2: $churns cgroups created and removed around cg (pid $cgpid) during cycles $((churn_from + 1))-$((churn_to + 1))"
verdict "c2" "precondition: the churn ran ($churns cgroups created, joined, left and removed in ${CHURN_S} s; errors $churn_errors, cg back in '${cg_home}': $(sed -n 's/^0:://p' "/proc/$cgpid/cgroup"))" \
    test "$churns" -ge 10 -a "$churn_errors" = 0 -a "$(sed -n 's/^0:://p' "/proc/$cgpid/cgroup")" = "$cg_home"
rows=$(cycle_rows | awk -v a="$churn_from" -v b="$((churn_to + 1))" '$1 > a && $1 <= b')
verdict "c2" "every cycle during the churn is ok and manages both workloads ($(wc -l <<< "$rows") cycles; failed: $(awk '!$4 { printf "%d ", $1 }' <<< "$rows")none; processes: $(awk '{ printf "%s ", $5 }' <<< "$rows")expected 2 each)" \
    test -n "$rows" -a -z "$(awk '!$4 || $5 != 2' <<< "$rows")"
skipped=$(grep -c 'skipping pid' "$RES/tierd-1.log")
verdict "c2" "no process skipped as malformed during the churn (log 'skipping pid' lines: $skipped)" test "$skipped" = 0
checksums_ok cg "the cgroup churn"

# --- c4: another DAMON user: the kernel's DAMON_LRU_SORT ------------------------------------------
nr_before=$(nr_kdamonds)
echo Y > $LRU/enabled
for _ in $(seq 20); do [[ $(cat $LRU/kdamond_pid) != -1 ]] && break; sleep 0.25; done
lru_pid=$(cat $LRU/kdamond_pid)
lru_params > /run/lru.before
log "c4: DAMON_LRU_SORT enabled: kdamond pid $lru_pid ($(cat "/proc/$lru_pid/comm" 2> /dev/null)); DAMON sysfs nr_kdamonds $(nr_kdamonds)"
verdict "c4" "precondition: DAMON_LRU_SORT runs a kdamond of its own (kthread pid $lru_pid, comm '$(cat "/proc/$lru_pid/comm" 2> /dev/null)'); DAMON sysfs nr_kdamonds unchanged ($nr_before -> $(nr_kdamonds))" \
    test "$lru_pid" -gt 0 -a "$(nr_kdamonds)" = "$nr_before"
c4_from=$(tierd_cycles 1)
line=$(wait_for_log 'WARN +TieringCycle: conflict: .*foreign kdamond.*damon_lru_sort' $EVENT_MAX_CYCLES)
tierd_scrape 1
verdict "c4" "tierd reports the foreign kdamond within $EVENT_MAX_CYCLES cycles (log: '$(sed 's/.*TieringCycle: //' <<< "$line")'; tierd_source_conflicts{kind=\"foreign_damon\"} $(metric tierd_source_conflicts 'kind="foreign_damon"'), expected >= 1)" \
    test -n "$line" -a "$(metric tierd_source_conflicts 'kind="foreign_damon"' | cut -d. -f1)" -ge 1
bad=$(failed_cycles_after "$c4_from")
verdict "c4" "cycles stay ok next to the foreign kdamond (failed after cycle $c4_from: ${bad:-none})" test -z "$bad"
checksums_ok cs "the foreign kdamond"

# --- c5: numa_balancing switched on, then off again -----------------------------------------------
c5_from=$(tierd_cycles 1)
sysctl -w kernel.numa_balancing=1 > /dev/null
line=$(wait_for_log 'WARN +TieringCycle: conflict: NUMA balancing is on' $EVENT_MAX_CYCLES)
tierd_scrape 1
on_metric=$(metric tierd_source_conflicts 'kind="kernel_numa_balancing"')
sysctl -w kernel.numa_balancing=0 > /dev/null
off_at=$(tierd_cycles 1)
tierd_wait_cycle 1 $((off_at + 2)) 30
tierd_scrape 1
off_metric=$(metric tierd_source_conflicts 'kind="kernel_numa_balancing"')
verdict "c5" "numa_balancing=1 is reported within $EVENT_MAX_CYCLES cycles (log: '$(sed 's/.*TieringCycle: //' <<< "$line" | cut -c1-90)...'; tierd_source_conflicts{kind=\"kernel_numa_balancing\"} $on_metric, expected 1)" \
    test -n "$line" -a "${on_metric%.*}" = 1
verdict "c5" "switched off again, the conflict clears (tierd_source_conflicts{kind=\"kernel_numa_balancing\"} $off_metric two cycles later, expected 0)" \
    test "${off_metric%.*}" = 0
bad=$(failed_cycles_after "$c5_from")
verdict "c5" "cycles stay ok while numa_balancing changes (failed after cycle $c5_from: ${bad:-none})" test -z "$bad"
checksums_ok cs "numa_balancing on and off"
checksums_ok cg "numa_balancing on and off"

# --- c6: 200 concurrent scrapes --------------------------------------------------------------------
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 8)) 60 # 8 quiet cycles before the burst
BURST=$RES/burst
mkdir -p "$BURST"
args=()
for i in $(seq 1 200); do
    if ((i % 2)); then path=metrics; else path=status; fi
    args+=("http://127.0.0.1:$TIERD_PORT/$path" -o "$BURST/$i.$path")
done
burst_from=$(date +%T.%N)
curl -sS -Z --parallel-immediate --parallel-max 200 --max-time 60 \
    -w '%{http_code} %{size_download} %{time_total} %{url_effective}\n' "${args[@]}" > "$BURST/results.txt" 2> "$BURST/curl.err"
burst_to=$(date +%T.%N)
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 2)) 30
b0=$(sod "$burst_from") b1=$(sod "$burst_to")
log "c6: burst from $burst_from to $burst_to ($(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.1f", b - a }') s)"
answered=$(awk '$1 == 200' "$BURST/results.txt" | wc -l)
lat=$(awk '{ print $3 }' "$BURST/results.txt" | sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "median %.2f s, max %.2f s", v[int((NR + 1) / 2)], v[NR] }')
verdict "c6" "200 concurrent scrapes (100 /metrics, 100 /status) all answered 200 ($answered answered 200; latency $lat; curl errors: $(wc -l < "$BURST/curl.err"))" \
    test "$answered" = 200
insane=0
for f in "$BURST"/*.metrics; do
    grep -q '^tierd_cycle_duration_seconds_count ' "$f" && [[ $(tail -c1 "$f" | od -An -c | tr -d ' ') == '\n' ]] || insane=$((insane + 1))
done
for f in "$BURST"/*.status; do
    [[ $(head -c1 "$f") == '{' ]] && grep -q '"lastCycle":{"number":[0-9]*' "$f" && grep -q '}$' "$f" || insane=$((insane + 1))
done
verdict "c6" "every body is sane: /metrics has tierd_cycle_duration_seconds_count and ends in a newline, /status is one JSON object with lastCycle ($insane bodies not)" \
    test "$insane" = 0
# cycles: before = the 8 that ended before the burst; during = those overlapping it
cycle_rows > "$RES/cycles.txt"
read -r before_n before_med during_n during_med during_list max_gap < <(awk -v a="$b0" -v b="$b1" '
    function median(x, n,    i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t }
        return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2 }
    { start = $2 - $3 / 1000 }
    $2 < a { nb++; bt[nb] = $3 }
    start <= b && $2 >= a { nd++; dt[nd] = $3; dl = dl (dl == "" ? "" : ",") $3
        if (prev != "") { g = start - prev; if (g > mg) mg = g } }
    { prev = start }
    END { k = 0; for (i = (nb > 8 ? nb - 7 : 1); i <= nb; i++) last[++k] = bt[i]
        printf "%d %.0f %d %.0f %s %.2f\n", k, median(last, k), nd, median(dt, nd), dl == "" ? "-" : dl, mg }' "$RES/cycles.txt")
verdict "c6" "cycle time unchanged within noise: median of the $during_n cycles overlapping the burst ${during_med} ms (${during_list} ms) <= 2 x median of the $before_n cycles before it (${before_med} ms)" \
    awk -v d="$during_med" -v b="$before_med" -v n="$during_n" 'BEGIN { exit !(n >= 1 && d <= 2 * b) }'
# The loop starts a cycle every interval, or at once when the last one took longer: a gap of more
# than 1.5 intervals between two cycle starts is a skipped cycle.
gaps=$(awk -v a="$b0" -v b="$b1" -v iv="$INTERVAL_S" '{ start = $2 - $3 / 1000 }
    start <= b + iv && $2 >= a - iv && prev != "" { g = start - prev; lim = (ptook / 1000 > iv ? ptook / 1000 : iv) + iv / 2
        if (g > lim) printf "cycle %d started %.2f s after cycle %d (limit %.2f s); ", $1, g, $1 - 1, lim }
    { prev = start; ptook = $3 }' "$RES/cycles.txt")
verdict "c6" "no cycle skipped around the burst (largest gap between two cycle starts ${max_gap} s, interval ${INTERVAL_S} s${gaps:+; $gaps})" test -z "$gaps"
bad=$(failed_cycles_after 0)
verdict "c6" "no cycle of the whole run failed (failed: ${bad:-none})" test -z "$bad"

# --- c4 again, c7: the foreign kdamond is intact, while tierd runs and after it exits --------------
lru_params > /run/lru.during
verdict "c4" "while tierd runs: DAMON_LRU_SORT's parameters and kdamond unchanged ($(diff /run/lru.before /run/lru.during | grep -c '^[<>]') lines differ; kdamond_pid $lru_pid, comm '$(cat "/proc/$lru_pid/comm" 2> /dev/null)')" \
    lru_intact /run/lru.during
tierd_scrape 1
rc=0
tierd_stop 1 TERM || rc=$?
sleep 1
verdict "c7" "tierd exits 0 on SIGTERM (saw $rc)" test "$rc" = 0
verdict "c7" "tierd removed its own kdamond only: DAMON sysfs nr_kdamonds $(nr_kdamonds) (expected 0), no state file" \
    test "$(nr_kdamonds)" = 0 -a ! -e /run/tierd/damon.state
lru_params > /run/lru.after
verdict "c4" "after tierd exits: DAMON_LRU_SORT still enabled with the same kdamond and parameters ($(diff /run/lru.before /run/lru.after | grep -c '^[<>]') lines differ; enabled=$(cat $LRU/enabled), kdamond_pid $(cat $LRU/kdamond_pid), thread '$(cat "/proc/$lru_pid/comm" 2> /dev/null)')" \
    lru_intact /run/lru.after
echo N > $LRU/enabled

# --- stop the workloads: exit reports carry the checksums -----------------------------------------
for w in cs cg; do wl_stop $w; done
wl_rows "$RES/kv.jsonl" > "$RES/kv.rows"

# --- c3: from the shrink on, nothing on node 0; promoted within the new set
v=$(awk -v s="$post" '$1 >= s && $6 != 0 { printf "seq %s %s n0=%s; ", $1, $4, $6 }' "$RES/cs.rows")
verdict "c3" "after the shrink to cpuset.mems=1-2: no page of cs on node 0 in any report ($(awk -v s="$post" '$1 >= s && $4 == "hot"' "$RES/cs.rows" | wc -l) reports${v:+; violations: $v})" test -z "$v"
eacces=$(awk -v c="$shrunk_at" -v pid="$cspid" '/ Daemon: cycle [0-9]+ / { done = $0; sub(/.* Daemon: cycle /, "", done); done += 0 }
    done > c && index($0, " TieringCycle: move " pid " ") && /EACCES=[1-9]/ { n++ } END { print n + 0 }' "$RES/tierd-1.log")
verdict "c3" "tierd never asked for a node outside the new cpuset: move requests of cs refused with EACCES from cycle $((shrunk_at + 2)) on: $eacces (expected 0)" test "$eacces" = 0
r=$(wl_last cs hot)
verdict "c3" "tierd still tiers within the new set: cs's hot buffer $(pct "$r" 1)% on node 1 at exit (expected >= 90 %; tierd moves: $(tierd_moves_of 1 "$cspid"))" ge "$(pct "$r" 1)" 90

# --- s5 at exit
for w in cs cg; do
    bad=$(awk '$2 == "exit" && $11 != "true" { printf "%s ", $4 }' "$RES/$w.rows")
    verdict "s5" "workload $w: checksums unchanged at exit (exit status $(cat "$RES/$w.rc"), want 0 (3 = a checksum changed)${bad:+; bad buffers: $bad})" \
        test "$(cat "$RES/$w.rc")" = 0 -a -z "$bad" -a "$(grep -c '"event":"exit"' "$RES/$w.jsonl")" = 1
done

# --- tables
table ""
table "chaos (3node): one tierd tiering three workloads through kill -9, cgroup churn, cpuset shrink, a foreign kdamond, numa_balancing and a scrape burst"
placement_header
buffer_table kv $FAST big
buffer_table cs $FAST hot cold
buffer_table cg $FAST hot cold
table "  c1 kill -9 of kv in cycle $kill_cycle at '$(sed 's/.*TieringCycle: //' <<< "$kill_line")': ${kvmove:-no move line}"
table "  c2 $churns cgroups created/joined/left/removed around cg in ${CHURN_S} s (cycles $((churn_from + 1))-$((churn_to + 1)))"
table "  c3 cpuset.mems 0-2 -> 1-2 after cycle $shrunk_at; tierd moves for cs: $(tierd_moves_of 1 "$cspid")"
table "  c4 DAMON_LRU_SORT kdamond pid $lru_pid; c5 numa_balancing conflict metric on $on_metric / off $off_metric"
table "  c6 burst $(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.1f", b - a }') s, scrape latency $lat; cycle ms before (last $before_n): $(awk -v a="$b0" '$2 < a { l = l " " $3 } END { n = split(l, x, " "); for (i = (n > 8 ? n - 7 : 1); i <= n; i++) printf "%s%s", x[i], i < n ? "," : "" }' "$RES/cycles.txt") (median $before_med); during: $during_list (median $during_med)"
table "  tierd: $(tierd_figures 1)"
exit 0
