#!/usr/bin/env bash
# Boot "tenants" of the VM scenarios (issue 17; run by run-scenarios.sh through boot.sh --layout
# 2node --fast-mem 512M; runs INSIDE the guest). Two tenants in cgroups v2 on a fast node too small
# for both hot sets (scenarios/tenants.yaml):
#   latency  /tierd-lat: a 48 MiB hot buffer that starts on the slow node; fastMin 100 %, priority 10;
#   batch    /tierd-batch: a 160 MiB hot buffer on the fast node, which a ballast leaves with 16 MiB
#            of room above its high watermark, and an 8 MiB cold buffer bound to node 0; fastMax 96 MiB.
# Every byte of batch is hot, so no exchange can make room for latency: only the classes do.
#   t1  the latency tenant's floor holds: within T_MAX_CYCLES cycles >= 90 % of its buffer on node 0,
#       in every report after that, and at exit;
#   t2  batch at or under its ceiling: at exit at most 96 MiB + one 2 MiB unit of its two buffers
#       on node 0, brought there by TENANT_CEILING demotions (tierd's log);
#   t3  policy first: batch's bind:0 buffer stays all on node 0 in every report, ceiling or not;
#   t4  /status lists both tenants with their floor and ceiling (tierd status prints them; it is
#       only tabled: under TCG its 2 s connect timeout can miss a daemon busy in a long cycle);
#   t5  checksums intact.
# Placement is read from the kernel (the workloads' move_pages reports every 2 s), never from tierd.
# shellcheck disable=SC2016  # awk conditions are passed in single quotes
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/tenants.yaml
T_MAX_CYCLES=${T_MAX_CYCLES:-40}
PAGE_KB=4

log "boot tenants: t1 t2 t3 t4 t5"
record_env
for cg in tierd-lat tierd-batch; do mkdir -p /sys/fs/cgroup/$cg; done

# tierd first: its JVM's memory is in place before the fast node is filled
tierd_start 1 "$CFG"
tierd_wait_cycle 1 1 180 || { fail "setup" "tierd #1 did not complete a cycle in 180 s"; tail -20 "$RES/tierd-1.log"; exit 1; }

# A ballast tierd cannot move (tmpfs bound to node 0, mapped by no process) leaves node 0 with room
# for batch's 168 MiB and 16 MiB more above its high watermark: less than latency's 48 MiB.
high0=$(node_high_kb 0)
mkdir -p /run/ballast
mount -t tmpfs -o mpol=bind:0 tierd-ballast /run/ballast
fill=$(($(node_free_kb 0) - high0 - 168 * 1024 - 16 * 1024))
((fill > 0)) && dd if=/dev/zero of=/run/ballast/a bs=4k count=$((fill / PAGE_KB)) status=none
wl_start batch --cgroup /sys/fs/cgroup/tierd-batch --pause-ms 100 \
    --buffer hot:160M:0:default:hot --buffer pinned:8M:0:bind:0:cold || exit 1
wl_start lat --cgroup /sys/fs/cgroup/tierd-lat --pause-ms 100 --buffer hot:48M:1:default:hot || exit 1
c0=$(tierd_cycles 1)
free0=$(node_free_kb 0)
table "boot tenants: node 0 $(awk '/MemTotal/ { print int($4 / 1024) }' /sys/devices/system/node/node0/meminfo) MiB; with batch in, free $((free0 / 1024)) MiB (high watermark $((high0 / 1024)) MiB)"
verdict "t1" "fast node too small for both hot sets: free on node 0 $((free0 / 1024)) MiB - 48 MiB < high watermark $((high0 / 1024)) MiB (precondition)" \
    test $((free0 - 48 * 1024)) -lt "$high0"

t_done() { ge "$(pct "$(wl_last lat hot)" 0)" 90; }
conv=''
while :; do
    n=$(($(tierd_cycles 1) - c0))
    if t_done; then conv=$n; break; fi
    ((n >= T_MAX_CYCLES)) && break
    kill -0 "$(tierd_pid 1)" 2> /dev/null || { fail "t1" "tierd #1 exited"; break; }
    sleep 2
done
tierd_wait_cycle 1 $(($(tierd_cycles 1) + 3)) 60 # a few more cycles: nothing may undo it
tierd_scrape 1
status=$("$REPO/bin/tierd" status --listen "127.0.0.1:$TIERD_PORT" 2>&1)
tierd_stop 1 TERM
tenants=$(python3 - "$RES/tierd-1.status" << 'PY'
import json, sys
for t in json.load(open(sys.argv[1]))["lastCycle"].get("tenants", []):
    print(t["name"], t["floor"] or "-", t["ceiling"] or "-", t["fastBytes"])
PY
)
for w in lat batch; do wl_stop $w; done

h=$(wl_last lat hot) b=$(wl_last batch hot)
if [[ -n $conv ]]; then how="floor reached after $conv cycles"; else how="floor not reached after $T_MAX_CYCLES cycles"; fi
verdict "t1" "within $T_MAX_CYCLES cycles: >= 90 % of latency's hot buffer on node 0 ($how)" test -n "$conv"
verdict "t1" "at exit: latency $(pct "$h" 0)% on node 0 (expected >= 90 %)" ge "$(pct "$h" 0)" 90
dips=$(awk '$4 == "hot" && $5 { up = $6 >= 0.9 * $5; if (held && !up) printf "%s:%.1f%% ", $1, 100 * $6 / $5; if (up) held = 1 }' "$RES/lat.rows")
verdict "t1" "once reached, the floor held: no later report with latency below 90 % on node 0${dips:+; reports (seq:share): $dips}" test -z "$dips"
# the tenant's buffers together (its code and stack, a few hundred KiB, are not in the reports)
bfast=$(($(awk '{ print $6 }' <<< "$b") + $(wl_last batch pinned | awk '{ print $6 }')))
verdict "t2" "at exit: batch's buffers (hot and bind:0) have $((bfast * PAGE_KB / 1024)) MiB on node 0 (ceiling 96 MiB + one 2 MiB unit)" \
    test "$bfast" -le $(((96 + 2) * 1024 / PAGE_KB))
ceil=$(grep -c "$(wl_pid batch) .*TENANT_CEILING\|tenant batch/tierd-batch over ceiling" "$RES/tierd-1.log")
verdict "t2" "tierd demoted batch for its ceiling (log lines naming the rule: $ceil)" test "$ceil" -ge 1
v=$(rows_violating batch pinned '$6 != $5'); verdict "t3" "batch's bind:0 buffer all on node 0 in every report${v:+; violations: $v}" test -z "$v"
verdict "t4" "/status lists tenant latency/tierd-lat with floor 100 % ($(tr '\n' ';' <<< "$tenants"))" \
    grep -q "^latency/tierd-lat 100 % - " <<< "$tenants"
verdict "t4" "/status lists tenant batch/tierd-batch with ceiling 96MiB" grep -q "^batch/tierd-batch - 96MiB " <<< "$tenants"
for w in lat batch; do
    bad=$(awk '$2 == "exit" && $11 != "true" { printf "%s ", $4 }' "$RES/$w.rows")
    verdict "t5" "workload $w: checksums unchanged at exit (exit status $(cat "$RES/$w.rc"))${bad:+; bad buffers: $bad}" \
        test "$(cat "$RES/$w.rc")" = 0 -a -z "$bad"
done

table "tenants (2node): latency floor 100 %, priority 10; batch ceiling 96 MiB ($how)"
placement_header
buffer_table lat 0 hot
buffer_table batch 0 hot pinned
table "  tierd moves (pages, from->to): latency $(tierd_moves_of 1 "$(wl_pid lat)"); batch $(tierd_moves_of 1 "$(wl_pid batch)")"
table "  tierd status: $(grep '^  tenant' <<< "$status" | tr -s ' ' | paste -sd ';' -)"
table "  $(tierd_figures 1)"
exit 0
