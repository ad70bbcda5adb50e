#!/bin/bash
# Guest side of bench/placement-vm.sh (runs as root inside one 2node VM boot, fast node 0 smaller
# than the workload): the same workload under four tiering setups in turn, each from a fresh start
# of the workload (placement reset) for DURATION seconds:
#   none     nothing moves pages (kernel.numa_balancing=0)
#   kernel   the kernel's own tiering: kernel.numa_balancing=2 + demotion_enabled=1
#   damon    DAMON's own tiering, as the kernel's mtier sample and HMSDK set it up: two paddr
#            kdamonds, migrate_hot on node 1's range -> node 0 and migrate_cold on node 0's range
#            -> node 1, 200 MiB/s quotas whose goals keep node 0 at 99.7 % used / 0.5 % free
#   damon-scaled  the same with the goals at twice node 0's high watermark free (0.5 % of a small
#            node is below what the kernel keeps free, so the sample's demotion never starts)
#   tierd    bin/tierd run with bench/guest/placement-tierd.yaml
# numa_balancing is 0 for none, damon, damon-scaled and tierd.
#
# The workload (tierd-workload): "zipf", ZIPF_MIB on the slow node, read with Zipf(ZIPF_S) page
# popularity, its first HOT_MIB (the hottest ranks) being the hot set; "filler", cold (never read),
# sized at each start to leave RESERVE_MIB free on node 0, so that the hot set only fits the fast
# node if cold data leaves it. Reports every INTERVAL seconds give the hot set's pages per node.
#
# stdout rows (the host script makes the tables):
#   SAMPLE variant t_s hot_fast_pct zipf_fast_pct filler_fast_pct accesses_per_s
#   MIGRATED variant pgmigrate_success_MiB pgpromote_MiB pgdemote_MiB tierd_migrated_MiB
#   RATE variant accesses_per_s_whole_run
#   ENV key=value
set -uo pipefail
REPO=$1 DURATION=${2:-150} INTERVAL=${3:-3} ZIPF_MIB=${4:-512} HOT_MIB=${5:-64} ZIPF_S=${6:-1.0}
RESERVE_MIB=${7:-32} VARIANTS=${8:-none kernel damon damon-scaled tierd}
RES=${TIERD_VM_RESULTS:?not in a tierd VM}
WL=$REPO/target/vm/tierd-workload
D=/sys/kernel/mm/damon/admin/kdamonds
NODE=/sys/devices/system/node

http_get() {
    if command -v curl > /dev/null; then curl -fsS --max-time 20 "$1"; else busybox wget -q -T 20 -O - "$1"; fi 2> /dev/null
}
log() { printf '[guest %s] %s\n' "$(date +%T)" "$*" >&2; }
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
node_free_mib() { awk '/MemFree:/ { print int($4 / 1024) }' "$NODE/node$1/meminfo"; }

# Physical address range of a node: its memory blocks x block_size_bytes.
node_range() {
    local bs min=-1 max=-1 m
    bs=$((16#$(cat /sys/devices/system/memory/block_size_bytes)))
    for m in "$NODE/node$1"/memory[0-9]*; do
        m=${m##*memory}
        ((min < 0 || m < min)) && min=$m
        ((m > max)) && max=$m
    done
    echo $((min * bs)) $(((max + 1) * bs))
}

# --- DAMON tiering (mtier sample / HMSDK): two kdamonds, one paddr context each -----------------
damon_ctx() { # k src dst action nr_min nr_max target_bp young_matching
    local k=$1 src=$2 dst=$3 action=$4 nmin=$5 nmax=$6 bp=$7 young=$8 c s start end
    c=$D/$k/contexts/0
    echo 1 > "$D/$k/contexts/nr_contexts"
    echo paddr > "$c/operations"
    echo 5000 > "$c/monitoring_attrs/intervals/sample_us"
    echo 100000 > "$c/monitoring_attrs/intervals/aggr_us"
    echo 60000000 > "$c/monitoring_attrs/intervals/update_us"
    echo 10 > "$c/monitoring_attrs/nr_regions/min"
    echo 1000 > "$c/monitoring_attrs/nr_regions/max"
    echo 1 > "$c/targets/nr_targets"
    echo 1 > "$c/targets/0/regions/nr_regions"
    read -r start end <<< "$(node_range "$src")" # no /dev/fd in the guest: no <(...)
    echo "$start" > "$c/targets/0/regions/0/start"
    echo "$end" > "$c/targets/0/regions/0/end"
    echo 1 > "$c/schemes/nr_schemes"
    s=$c/schemes/0
    echo "$action" > "$s/action"
    echo "$dst" > "$s/target_nid"
    echo 1000000 > "$s/apply_interval_us"
    echo 4096 > "$s/access_pattern/sz/min"
    echo 18446744073709551615 > "$s/access_pattern/sz/max"
    echo "$nmin" > "$s/access_pattern/nr_accesses/min"
    echo "$nmax" > "$s/access_pattern/nr_accesses/max"
    echo 0 > "$s/access_pattern/age/min"
    echo 4294967295 > "$s/access_pattern/age/max"
    echo 1000 > "$s/quotas/reset_interval_ms"
    echo $((200 << 20)) > "$s/quotas/bytes"
    echo 0 > "$s/quotas/ms"
    echo 0 > "$s/quotas/weights/sz_permil"
    echo 100 > "$s/quotas/weights/nr_accesses_permil"
    echo 100 > "$s/quotas/weights/age_permil"
    echo 1 > "$s/quotas/goals/nr_goals"
    echo user_input > "$s/quotas/goals/0/target_metric"
    echo "$bp" > "$s/quotas/goals/0/target_value"
    echo "$bp" > "$s/quotas/goals/0/current_value"
    # 6.12 filters only filter out: promotion skips pages that are not young, demotion young ones
    echo 1 > "$s/filters/nr_filters"
    echo young > "$s/filters/0/type"
    echo "$young" > "$s/filters/0/matching"
    log "kdamond $k: paddr node $src [$start, $end) $action -> node $dst, goal $bp bp"
}
damon_start() { # used_bp free_bp: the goals for node 0
    echo 2 > "$D/nr_kdamonds"
    damon_ctx 0 1 0 migrate_hot 1 4294967295 "$1" N
    damon_ctx 1 0 1 migrate_cold 0 0 "$2" Y
    echo on > "$D/0/state"
    echo on > "$D/1/state"
    # The goals' metrics (node_mem_used_bp / node_mem_free_bp of node 0) arrived in Linux 6.16;
    # on 6.12 the same goals are user_input metrics fed here once per quota reset interval (1 s).
    (
        while [[ $(cat "$D/0/state") == on ]]; do
            read -r total free <<< "$(awk '/MemTotal:/ { t = $4 } /MemFree:/ { f = $4 } END { print t, f }' "$NODE/node0/meminfo")"
            echo $(((total - free) * 10000 / total)) > "$D/0/contexts/0/schemes/0/quotas/goals/0/current_value"
            echo $((free * 10000 / total)) > "$D/1/contexts/0/schemes/0/quotas/goals/0/current_value"
            echo commit_schemes_quota_goals > "$D/0/state" 2> /dev/null
            echo commit_schemes_quota_goals > "$D/1/state" 2> /dev/null
            sleep 1
        done
    ) &
    DAMON_FEED=$!
}
damon_stop() {
    echo update_schemes_stats > "$D/0/state" 2> /dev/null
    echo update_schemes_stats > "$D/1/state" 2> /dev/null
    echo off > "$D/0/state" 2> /dev/null
    echo off > "$D/1/state" 2> /dev/null
    wait "$DAMON_FEED" 2> /dev/null
    for k in 0 1; do
        log "kdamond $k stats: $(cd "$D/$k/contexts/0/schemes/0/stats" && for f in *; do printf '%s=%s ' "$f" "$(cat "$f")"; done)"
    done
    echo 0 > "$D/nr_kdamonds"
}

# --- the workload ------------------------------------------------------------------------------
wl_start() {
    local v=$1 filler
    sync
    echo 3 > /proc/sys/vm/drop_caches
    sleep 1
    filler=$(($(node_free_mib 0) - RESERVE_MIB))
    rm -f /run/wl.pid "$RES/$v.jsonl"
    "$WL" --buffer "filler:${filler}M:0:default:cold" --buffer "zipf:${ZIPF_MIB}M:1:default:hot" \
        --zipf "$ZIPF_S" --hot-set "${HOT_MIB}M" --pause-ms 100 --report "$RES/$v.jsonl" \
        --report-interval "$INTERVAL" --pidfile /run/wl.pid > "$RES/$v.wl.out" 2>&1 &
    WL_SH=$!
    while [[ ! -s /run/wl.pid ]]; do
        kill -0 "$WL_SH" 2> /dev/null || { log "workload failed: $(cat "$RES/$v.wl.out")"; return 1; }
        sleep 0.2
    done
    WL_PID=$(cat /run/wl.pid)
    log "$v: workload $WL_PID: filler ${filler} MiB on node 0 (node 0 free now $(node_free_mib 0) MiB), zipf ${ZIPF_MIB} MiB on node 1, hot set ${HOT_MIB} MiB"
}
wl_stop() {
    kill -TERM "$WL_PID" 2> /dev/null
    wait "$WL_SH"
    echo "workload exit $?" >> "$RES/$1.wl.out"
}

# rows SAMPLE from a workload's reports: t from the start report, pages on node 0 / all.
samples() {
    awk -v v="$1" '
    function field(s, key,    i, r) {
        i = index(s, "\"" key "\":"); if (!i) return ""
        r = substr(s, i + length(key) + 3); sub(/[,}].*/, "", r); return r
    }
    function node0(s,    m) {   # pages on node 0 in the first pages_per_node object of s
        if (!match(s, /"pages_per_node":[{][^}]*[}]/)) return 0
        m = substr(s, RSTART, RLENGTH)
        if (!match(m, /"0":[0-9]+/)) return 0
        return substr(m, RSTART + 4, RLENGTH - 4) + 0
    }
    {
        up = field($0, "uptime_ms") / 1000; acc = field($0, "accesses")
        z = substr($0, index($0, "{\"name\":\"zipf\""))
        f = substr($0, index($0, "{\"name\":\"filler\""))
        hs = substr(z, index(z, "\"hot_set\":"))
        hp = field(hs, "pages"); zp = field(z, "pages"); fp = field(f, "pages")
        if (n == 0) { t0 = up; a0 = acc }
        rate = n ? (acc - pacc) / (up - pup) : 0
        printf "SAMPLE %s %.1f %.1f %.1f %.1f %.0f\n", v, up - t0, 100 * node0(hs) / hp, 100 * node0(z) / zp, 100 * node0(f) / fp, rate
        pacc = acc; pup = up; n++
        last_up = up; last_acc = acc
    }
    END { if (n > 1) printf "RATE %s %.0f\n", v, (last_acc - a0) / (last_up - t0) }' "$RES/$1.jsonl"
}

# --- one variant -------------------------------------------------------------------------------
run_variant() {
    local v=$1 m0 p0 d0 tm
    sysctl -qw kernel.numa_balancing=0
    echo 0 > /sys/kernel/mm/numa/demotion_enabled
    wl_start "$v" || return 1
    m0=$(vmstat_of pgmigrate_success)
    p0=$(vmstat_of pgpromote_success)
    d0=$(($(vmstat_of pgdemote_kswapd) + $(vmstat_of pgdemote_direct) + $(vmstat_of pgdemote_khugepaged)))
    case $v in
        none) ;;
        kernel)
            sysctl -qw kernel.numa_balancing=2
            echo 1 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon) damon_start 9970 50 ;;
        damon-scaled)
            # The sample's 0.5 % free is below what the kernel keeps free on a 512 MiB node (its
            # watermarks), so demotion never starts there: the same goals at twice node 0's high
            # watermark.
            local hi total
            hi=$(awk '/^Node 0,/ { n0 = 1; next } /^Node/ { n0 = 0 } n0 && $1 == "high" { s += $2 } END { print s }' /proc/zoneinfo)
            total=$(awk '/MemTotal:/ { print int($4 / 4) }' "$NODE/node0/meminfo")
            local free_bp=$((2 * hi * 10000 / total))
            log "node 0 high watermark $hi pages of $total: goals used $((10000 - free_bp)) bp, free $free_bp bp"
            damon_start $((10000 - free_bp)) "$free_bp" ;;
        tierd)
            JAVA_OPTS="-Dlogback.configurationFile=$REPO/src/test/vm/scenarios/logback-vm.xml" \
                "$REPO/bin/tierd" run --config "$REPO/bench/guest/placement-tierd.yaml" \
                --listen 127.0.0.1:9464 > "$RES/tierd.log" 2>&1 &
            TIERD=$! ;;
    esac
    log "$v: running for $DURATION s"
    sleep "$DURATION"
    tm=0
    case $v in
        kernel)
            sysctl -qw kernel.numa_balancing=0
            echo 0 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon | damon-scaled) damon_stop ;;
        tierd)
            tm=$(http_get http://127.0.0.1:9464/metrics |
                awk '/^tierd_migrated_bytes_total/ { s += $NF } END { printf "%.1f", s / 1048576 }')
            kill -TERM "$TIERD"
            wait "$TIERD"
            log "tierd exit $?; $(grep -c ' cycle [0-9]* ok' "$RES/tierd.log") cycles" ;;
    esac
    echo "MIGRATED $v $(awk -v m=$(($(vmstat_of pgmigrate_success) - m0)) -v p=$(($(vmstat_of pgpromote_success) - p0)) \
        -v d=$(($(vmstat_of pgdemote_kswapd) + $(vmstat_of pgdemote_direct) + $(vmstat_of pgdemote_khugepaged) - d0)) -v t="$tm" \
        'BEGIN { printf "%.1f %.1f %.1f %s", m * 4 / 1024, p * 4 / 1024, d * 4 / 1024, t }')"
    wl_stop "$v"
    samples "$v"
}

echo "ENV kernel=$(uname -r)"
for n in "$NODE"/node[0-9]*; do
    echo "ENV $(basename "$n") cpus=$(cat "$n/cpulist") $(awk '/MemTotal/ { printf "total=%dMiB", $4 / 1024 }' "$n/meminfo") range=$(node_range "${n##*node}" | tr ' ' -)"
done
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do echo "ENV $(basename "$t")=$(cat "$t/nodelist")"; done
echo "ENV workload: zipf ${ZIPF_MIB}MiB s=${ZIPF_S} hot set ${HOT_MIB}MiB on node 1 at start; filler leaves ${RESERVE_MIB}MiB free on node 0; ${DURATION}s per variant, reports every ${INTERVAL}s"
for v in $VARIANTS; do
    run_variant "$v"
done
