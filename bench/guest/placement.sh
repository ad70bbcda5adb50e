#!/bin/bash
# Guest side of bench/placement-vm.sh (runs as root inside ONE 2node VM boot): one scenario under
# several tiering setups, RUNS times each, interleaved (run 1 of every variant, then run 2, ...), so
# that every variant sees the same guest and the same host window. Each run starts the tiering
# mechanism first and then a fresh workload (placement reset), as on a host where the daemon or the
# kernel's tiering is already on when a workload starts, and lasts DURATION seconds.
#
# Variants:
#   none     nothing moves pages (kernel.numa_balancing=0)
#   kernel   the kernel's own tiering: kernel.numa_balancing=2 + demotion_enabled=1
#   damon    DAMON's own tiering, as the kernel's mtier sample and HMSDK set it up: two paddr
#            kdamonds, migrate_hot on node 1's range -> node 0 and migrate_cold on node 0's range
#            -> node 1, 200 MiB/s quotas whose goals keep node 0 at 99.7 % used / 0.5 % free
#   damon-scaled  the same with the goals at twice node 0's high watermark free (0.5 % of a small
#            node is below what the kernel keeps free, so the sample's demotion never starts)
#   tierd    `bin/tierd run` with NO config file: tierd's shipped defaults (config/tierd.yaml);
#            for tenants, a config file holding only the `classes:` of
#            src/test/vm/scenarios/tenants.yaml (every other key at its shipped default)
#   tierd@NAME  the shipped defaults run from target/bench-jars/NAME.jar: another build (say, the
#            commit before a change) side by side with this one (variant_jar in bench/guest/lib.sh)
#   tierd-NAME  the same with --config bench/kv-NAME.yaml (the candidate configs of the kv
#            benchmark, e.g. kv-prev.yaml: the defaults before dcd1b55), side by side with tierd
# numa_balancing is 0 for every variant but kernel.
#
# Scenarios (the workload is tierd-workload; "hot" = read continuously, "cold" = never touched):
#   zipf        a cold filler on node 0 leaving RESERVE_MIB free; a ZIPF_MIB buffer on node 1 read
#               with Zipf(ZIPF_S) page popularity; its first HOT_MIB (the hottest ranks) is the hot
#               set. Ideal: all of the hot set on node 0, which needs filler pages to leave first.
#   nopressure  one HOT_MIB buffer on node 1 (swept, 100 ms pause per sweep); node 0 has room.
#   pressure    the workload: a HOT_MIB cold buffer on node 0 and a HOT_MIB hot buffer on node 1,
#               plus three 4 MiB hot buffers bound by policy (bind:1, preferred-many:1 placed on
#               node 1, interleave:0-1); another process: a cold filler on node 0 leaving
#               RESERVE_MIB free. Ideal: the hot buffer on node 0, which needs about
#               HOT_MIB - (free above the high watermark) of cold data to leave first; the policy
#               buffers stay where their policy keeps them.
#   tenants     issue 17, the workload of the CI boot src/test/vm/scenarios/tenants.sh: "batch" in
#               cgroup /tierd-batch (class batch: fastMax 96MiB) with a 160 MiB hot buffer and an
#               8 MiB cold buffer bound to node 0, both faulted in on node 0; then "latency" in
#               /tierd-lat (class latency: fastMin 100%, priority 10) with a HOT_MIB hot buffer on
#               node 1. 2 MiB hugetlb pages reserved on node 0 leave it RESERVE_MIB above its high
#               watermark once batch is in: too little for latency. hugetlb pages are memory that
#               neither kswapd nor tierd (planner.hugetlb: skip) moves, so both variants see the
#               same fast node (a tmpfs ballast, as in the CI boot, kswapd would demote). Ideal:
#               latency all on node 0 (its floor), batch at most 96 MiB there (its ceiling), the
#               bind:0 buffer never off node 0.
#
# stdout rows (the host script makes the tables):
#   SAMPLE scenario variant run t_s hot_fast_pct other_fast_pct accesses_per_s
#       (other: zipf -> the whole Zipf buffer; pressure -> the workload's cold buffer; tenants ->
#        hot is latency's buffer and other batch's hot buffer, from batch's report nearest in time;
#        else 0)
#   MOVED scenario variant run pgmigrate_success_MiB promoted_MiB demoted_MiB room_MiB
#       (promoted / demoted: pgpromote_success / pgdemote_* for kernel, the schemes' sz_applied
#        for damon, tierd_migrated_bytes_total by direction for tierd; room: node 0's free bytes
#        above its high watermark when the workload was in place)
#   TIERD scenario run cycles longest_move_stage_ms longest_gap_between_cycles_ms variant
#       longest_gap_since_in_place_ms   (the second gap: from the moment the workload was in place,
#       that moment to the first cycle line after it included)
#   POLICYPAGES scenario variant run pages   (pressure: pages of the bind:1 / preferred-many:1
#       buffers on node 0 at the end, plus 1 if the interleaved buffer's placement changed;
#       tenants: the most pages of batch's bind:0 buffer off node 0 in any report)
#   CHECKSUM scenario variant run ok(0|1)   (1: every workload exited with its checksums intact)
#   RATE scenario variant run accesses_per_s_whole_run
#   ROOM scenario variant run min_room_MiB samples_below_0 samples end_room_MiB   (node 0's free
#       memory above its high watermark, every 0.5 s from the workload's start to the end of the
#       run; end: the median of the last 10 samples)
#   KSWAPD scenario variant run pgscan_kswapd pgdemote_kswapd   (/proc/vmstat deltas over the run:
#       the kernel had to reclaim or demote by itself)
#   ENV key=value
set -uo pipefail
REPO=$1 SCENARIO=${2:-zipf} DURATION=${3:-150} INTERVAL=${4:-3} RUNS=${5:-1}
ZIPF_MIB=${6:-512} HOT_MIB=${7:-64} ZIPF_S=${8:-1.0} RESERVE_MIB=${9:-32}
VARIANTS=${10:-none kernel damon damon-scaled tierd}
RES=${TIERD_VM_RESULTS:?not in a tierd VM}
WL=$REPO/target/vm/tierd-workload
D=/sys/kernel/mm/damon/admin/kdamonds
NODE=/sys/devices/system/node

# shellcheck source=bench/guest/lib.sh
. "$REPO/bench/guest/lib.sh"
log() { glog "$@"; }
demoted_pages() { echo $(($(vmstat_of pgdemote_kswapd) + $(vmstat_of pgdemote_direct) + $(vmstat_of pgdemote_khugepaged))); }
# Node 0's free memory above its high watermark, in MiB (zoneinfo: pages). Free memory is MemFree
# plus the free pages in the per-CPU lists (the pagesets' count), which MemFree leaves out and
# tierd counts: migration frees the pages it moves into the migrating CPU's list.
node0_room_mib() {
    local hi_pcp free
    hi_pcp=$(awk '/^Node 0,/ { n0 = 1; next } /^Node/ { n0 = 0 } n0 && $1 == "high" && NF == 2 { h += $2 } n0 && $1 == "count:" { c += $2 } END { print h + 0, c + 0 }' /proc/zoneinfo)
    free=$(awk '/MemFree:/ { print $4 }' "$NODE/node0/meminfo")
    echo $(((free / 4 + ${hi_pcp#* } - ${hi_pcp% *}) * 4 / 1024))
}

# Pages of process $1 on node 0, from its numa_maps (0 once it is gone).
node0_pages() {
    awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^N0=/) s += substr($i, 4) } END { print s + 0 }' "/proc/$1/numa_maps" 2> /dev/null || echo 0
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
# Prints "promoted_bytes demoted_bytes" (the two schemes' sz_applied) and removes the kdamonds.
damon_stop() {
    local k
    echo update_schemes_stats > "$D/0/state" 2> /dev/null
    echo update_schemes_stats > "$D/1/state" 2> /dev/null
    echo off > "$D/0/state" 2> /dev/null
    echo off > "$D/1/state" 2> /dev/null
    wait "$DAMON_FEED" 2> /dev/null
    for k in 0 1; do
        log "kdamond $k stats: $(cd "$D/$k/contexts/0/schemes/0/stats" && for f in *; do printf '%s=%s ' "$f" "$(cat "$f")"; done)"
    done
    echo "$(cat "$D/0/contexts/0/schemes/0/stats/sz_applied") $(cat "$D/1/contexts/0/schemes/0/stats/sz_applied")"
    echo 0 > "$D/nr_kdamonds"
}
damon_scaled_goals() { # prints "used_bp free_bp": free at twice node 0's high watermark
    local hi total free_bp
    hi=$(awk '/^Node 0,/ { n0 = 1; next } /^Node/ { n0 = 0 } n0 && $1 == "high" { s += $2 } END { print s }' /proc/zoneinfo)
    total=$(awk '/MemTotal:/ { print int($4 / 4) }' "$NODE/node0/meminfo")
    free_bp=$((2 * hi * 10000 / total))
    echo $((10000 - free_bp)) "$free_bp"
}

# --- the workload ------------------------------------------------------------------------------
# wl_start TAG [--cgroup DIR] ARGS...: starts one tierd-workload reporting to $RES/TAG.jsonl (in
# the cgroup v2 directory DIR from its first instruction); waits for placement.
wl_start() {
    local tag=$1 sh pid cg=''
    shift
    if [[ $1 == --cgroup ]]; then cg=$2; shift 2; fi
    rm -f "/run/$tag.pid" "$RES/$tag.jsonl"
    local cmd=("$WL" "$@" --report "$RES/$tag.jsonl" --report-interval "$INTERVAL" --pidfile "/run/$tag.pid")
    if [[ -n $cg ]]; then
        sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "${cmd[@]}" > "$RES/$tag.wl.out" 2>&1 &
    else
        "${cmd[@]}" > "$RES/$tag.wl.out" 2>&1 &
    fi
    sh=$!
    while [[ ! -s /run/$tag.pid ]]; do
        kill -0 "$sh" 2> /dev/null || { log "workload $tag failed: $(cat "$RES/$tag.wl.out")"; return 1; }
        sleep 0.2
    done
    pid=$(cat "/run/$tag.pid")
    WL_SHELLS+=("$sh")
    WL_PIDS+=("$pid")
}
# Stops the workloads; returns 1 when one of them reported a checksum mismatch (exit status 3).
wl_stop_all() {
    local i rc=0 st
    for i in "${!WL_PIDS[@]}"; do kill -TERM "${WL_PIDS[i]}" 2> /dev/null; done
    for i in "${!WL_SHELLS[@]}"; do
        wait "${WL_SHELLS[i]}"
        st=$?
        ((st == 0)) || { log "workload ${WL_PIDS[i]} exit $st"; rc=1; }
    done
    WL_SHELLS=() WL_PIDS=()
    return $rc
}

# --- tenants (issue 17) -------------------------------------------------------------------------
TENANTS_YAML=$REPO/src/test/vm/scenarios/tenants.yaml
BATCH_HOT_MIB=160 BATCH_PINNED_MIB=8
HUGEPAGES0=$NODE/node0/hugepages/hugepages-2048kB/nr_hugepages
# tenant_classes: the `classes:` section of the CI boot's config, as tierd's whole config file.
tenant_classes() { awk '/^classes:/ { on = 1; print; next } on && /^[^ #]/ { exit } on' "$TENANTS_YAML"; }
# ballast_node0 LEAVE_MIB: reserves 2 MiB hugetlb pages on node 0 until LEAVE_MIB are left above
# its high watermark (0: releases them).
ballast_node0() {
    echo 0 > "$HUGEPAGES0"
    (($1)) || return 0
    echo $((($(node0_room_mib) - $1) / 2)) > "$HUGEPAGES0"
    log "ballast: $(cat "$HUGEPAGES0") hugetlb pages of 2 MiB on node 0, $(node0_room_mib) MiB left above high"
}

start_workload() { # tag
    local tag=$1 filler
    sync
    echo 3 > /proc/sys/vm/drop_caches
    sleep 1
    WL_SHELLS=() WL_PIDS=()
    case $SCENARIO in
        zipf)
            filler=$(($(node_free_mib 0) - RESERVE_MIB))
            wl_start "$tag" --buffer "filler:${filler}M:0:default:cold" \
                --buffer "zipf:${ZIPF_MIB}M:1:default:hot" --zipf "$ZIPF_S" --hot-set "${HOT_MIB}M" \
                --pause-ms 100 || return 1 ;;
        nopressure)
            wl_start "$tag" --buffer "hot:${HOT_MIB}M:1:default:hot" --pause-ms 100 || return 1 ;;
        pressure)
            wl_start "$tag" --buffer "cold:${HOT_MIB}M:0:default:cold" \
                --buffer "hot:${HOT_MIB}M:1:default:hot" --buffer "bindslow:4M:1:bind:1:hot" \
                --buffer "pmany:4M:1:preferred-many:1:hot" --buffer "ilv:4M:-:interleave:0-1:hot" \
                --pause-ms 100 || return 1
            filler=$(($(node_free_mib 0) - RESERVE_MIB))
            wl_start "$tag.other" --buffer "other:${filler}M:0:default:cold" || return 1 ;;
        tenants)
            mkdir -p /sys/fs/cgroup/tierd-lat /sys/fs/cgroup/tierd-batch
            ballast_node0 $((BATCH_HOT_MIB + BATCH_PINNED_MIB + RESERVE_MIB))
            wl_start "$tag.other" --cgroup /sys/fs/cgroup/tierd-batch --pause-ms 100 \
                --buffer "hot:${BATCH_HOT_MIB}M:0:default:hot" \
                --buffer "pinned:${BATCH_PINNED_MIB}M:0:bind:0:cold" || return 1
            wl_start "$tag" --cgroup /sys/fs/cgroup/tierd-lat --pause-ms 100 \
                --buffer "hot:${HOT_MIB}M:1:default:hot" || return 1 ;;
        *) log "unknown scenario $SCENARIO"; return 1 ;;
    esac
    log "$tag: workload ${WL_PIDS[*]} in place; node 0 free $(node_free_mib 0) MiB ($(node0_room_mib) MiB above high)"
}

# Node-0 share rows from a workload's reports: SAMPLE rows, and the POLICY check of the last report.
samples() { # tag variant run
    local files=("$RES/$1.jsonl")
    [[ $SCENARIO == tenants ]] && files=("$RES/$1.other.jsonl" "$RES/$1.jsonl")
    awk -v scen="$SCENARIO" -v v="$2" -v run="$3" -v batch="$RES/$1.other.jsonl" '
    function field(s, key,    i, r) {
        i = index(s, "\"" key "\":"); if (!i) return ""
        r = substr(s, i + length(key) + 3); sub(/[,}].*/, "", r); return r
    }
    function buffer(s, name,    i, rest, j) {   # the JSON text of one buffer of a report line
        i = index(s, "{\"name\":\"" name "\""); if (!i) return ""
        rest = substr(s, i + 1); j = index(rest, "{\"name\":\"")
        return j ? substr(rest, 1, j - 1) : rest
    }
    function on_node(s, node,    m) {   # pages on NODE in the first pages_per_node object of s
        if (!match(s, /"pages_per_node":[{][^}]*[}]/)) return 0
        m = substr(s, RSTART, RLENGTH)
        if (!match(m, "\"" node "\":[0-9]+")) return 0
        return substr(m, RSTART + length(node) + 3, RLENGTH - length(node) - 3) + 0
    }
    function share(b) { return field(b, "pages") ? 100 * on_node(b, 0) / field(b, "pages") : 0 }
    scen == "tenants" && FILENAME == batch {
        nb++; bt[nb] = field($0, "time_ms"); bs[nb] = share(buffer($0, "hot"))
        p = buffer($0, "pinned"); off = field(p, "pages") - on_node(p, 0); if (off > pinned_off) pinned_off = off
        next
    }
    {
        up = field($0, "uptime_ms") / 1000; acc = field($0, "accesses")
        if (scen == "zipf") {
            z = buffer($0, "zipf"); hs = substr(z, index(z, "\"hot_set\":"))
            hot = 100 * on_node(hs, 0) / field(hs, "pages"); other = share(z)
        } else if (scen == "tenants") {
            hot = share(buffer($0, "hot")); t = field($0, "time_ms")
            while (bi < nb && bt[bi + 1] <= t) bi++
            other = bs[bi ? bi : 1]
        } else {
            hot = share(buffer($0, "hot")); other = scen == "pressure" ? share(buffer($0, "cold")) : 0
        }
        if (n == 0) {
            t0 = up; a0 = acc
            ilv0 = on_node(buffer($0, "ilv"), 0) " " on_node(buffer($0, "ilv"), 1)
        }
        rate = n ? (acc - pacc) / (up - pup) : 0
        printf "SAMPLE %s %s %s %.1f %.1f %.1f %.0f\n", scen, v, run, up - t0, hot, other, rate
        pacc = acc; pup = up; n++; last = $0; last_up = up; last_acc = acc
    }
    END {
        if (n > 1) printf "RATE %s %s %s %.0f\n", scen, v, run, (last_acc - a0) / (last_up - t0)
        if (scen == "pressure" && n > 0) {
            # bind:1 and preferred-many:1 (placed on 1) may never reach node 0; interleave is
            # left where it is
            bad = on_node(buffer(last, "bindslow"), 0) + on_node(buffer(last, "pmany"), 0)
            if (on_node(buffer(last, "ilv"), 0) " " on_node(buffer(last, "ilv"), 1) != ilv0) bad++
            printf "POLICYPAGES %s %s %s %d\n", scen, v, run, bad
        }
        if (scen == "tenants") printf "POLICYPAGES %s %s %s %d\n", scen, v, run, pinned_off
    }' "${files[@]}"
}

# --- one run of one variant --------------------------------------------------------------------
run_variant() { # variant run
    local v=$1 run=$2 tag="$SCENARIO.$1.$2" m0 p0 d0 room promoted demoted ok goals tierd_pid inplace
    sysctl -qw kernel.numa_balancing=0
    echo 0 > /sys/kernel/mm/numa/demotion_enabled
    case $v in
        none) ;;
        kernel)
            sysctl -qw kernel.numa_balancing=2
            echo 1 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon) damon_start 9970 50 ;;
        damon-scaled)
            read -r -a goals <<< "$(damon_scaled_goals)"
            damon_start "${goals[0]}" "${goals[1]}" ;;
        tierd | tierd-* | tierd@*)
            rm -rf /run/tierd
            local config=()
            [[ $v == tierd-* ]] && config=(--config "$REPO/bench/kv-${v#tierd-}.yaml")
            if [[ $SCENARIO == tenants ]]; then
                tenant_classes > /run/tenant-classes.yaml
                config=(--config /run/tenant-classes.yaml)
            fi
            TIERD_JAR=$(variant_jar "$v") || return 1
            TIERD_JAR=$TIERD_JAR JAVA_OPTS="-Dlogback.configurationFile=$REPO/src/test/vm/scenarios/logback-vm.xml" \
                "$REPO/bin/tierd" run "${config[@]}" > "$RES/$tag.tierd.log" 2>&1 &
            tierd_pid=$!
            # the daemon is up when it has finished its first cycle (as on a host where it runs)
            for _ in $(seq 1 240); do
                grep -q ' cycle 1 ' "$RES/$tag.tierd.log" && break
                kill -0 "$tierd_pid" 2> /dev/null || break
                sleep 0.5
            done ;;
    esac
    m0=$(vmstat_of pgmigrate_success)
    p0=$(vmstat_of pgpromote_success)
    d0=$(demoted_pages)
    start_workload "$tag" || return 1
    inplace=$(date +%T.%3N)
    room=$(node0_room_mib)
    local scan0 kdemote0 sampler
    scan0=$(vmstat_of pgscan_kswapd)
    kdemote0=$(vmstat_of pgdemote_kswapd)
    # each line: node 0's room (MiB above high) and the workload's pages on node 0 (numa_maps)
    while :; do echo "$(node0_room_mib) $(node0_pages "${WL_PIDS[0]}")"; sleep 0.5; done > "$RES/$tag.room" 2> /dev/null &
    sampler=$!
    log "$tag: running for $DURATION s"
    sleep "$DURATION"
    kill "$sampler" 2> /dev/null
    wait "$sampler" 2> /dev/null
    # the room at the end: the median of the last 10 samples (5 s), once the moves have settled
    awk -v scen="$SCENARIO" -v v="$v" -v run="$run" '
        NF { n++; if (n == 1 || $1 < min) min = $1; if ($1 < 0) below++; last[n % 10] = $1 }
        END {
            k = n < 10 ? n : 10
            for (i = 0; i < k; i++) sorted[i] = last[(n - i) % 10]
            for (i = 1; i < k; i++) for (j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) { t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t }
            printf "ROOM %s %s %s %d %d %d %d\n", scen, v, run, min, below, n, k ? sorted[int(k / 2)] : 0
        }' "$RES/$tag.room"
    echo "KSWAPD $SCENARIO $v $run $(($(vmstat_of pgscan_kswapd) - scan0)) $(($(vmstat_of pgdemote_kswapd) - ${kdemote0:-0}))"
    promoted=$((($(vmstat_of pgpromote_success) - p0) * 4096))
    demoted=$((($(demoted_pages) - d0) * 4096))
    case $v in
        kernel)
            sysctl -qw kernel.numa_balancing=0
            echo 0 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon | damon-scaled) read -r promoted demoted <<< "$(damon_stop | tail -n 1)" ;;
        tierd | tierd-* | tierd@*)
            read -r promoted demoted <<< "$(http_get http://127.0.0.1:9464/metrics | awk '
                /^tierd_migrated_bytes_total/ && /direction="promote"/ { p += $NF }
                /^tierd_migrated_bytes_total/ && /direction="demote"/ { d += $NF }
                END { printf "%.0f %.0f\n", p, d }')"
            kill -TERM "$tierd_pid"
            wait "$tierd_pid"
            log "$tag: tierd exit $?"
            # longest move stage, and the longest gap between two cycle lines (a blocked loop):
            # over the whole log, and from the moment the workload was in place on (its set-up,
            # which faults in and places every buffer, saturates the guest's two vCPUs before it)
            awk -v scen="$SCENARIO" -v run="$run" -v variant="$v" -v from="$inplace" '
                function secs(hms,    f) { split(hms, f, ":"); return f[1] * 3600 + f[2] * 60 + f[3] }
                BEGIN { fromT = secs(from) }
                / cycle [0-9]+ (ok|FAILED)/ {
                    t = secs($1)
                    if (!n && fromT < t - 43200) fromT += 86400   # past midnight: the next day
                    if (n && t + day < pt - 43200) day += 86400
                    t += day
                    if (n++ && t - pt > gap) gap = t - pt
                    if (t >= fromT) { g = after++ ? t - pt : t - fromT; if (g > gapAfter) gapAfter = g }
                    pt = t
                    if (match($0, /move=[0-9]+ms/)) { mv = substr($0, RSTART + 5, RLENGTH - 7) + 0; if (mv > longest) longest = mv }
                }
                END { printf "TIERD %s %s %d %d %d %s %d\n", scen, run, n, longest, gap * 1000, variant, gapAfter * 1000 }' "$RES/$tag.tierd.log" ;;
    esac
    echo "MOVED $SCENARIO $v $run $(awk -v m=$(($(vmstat_of pgmigrate_success) - m0)) -v p="$promoted" -v d="$demoted" -v r="$room" \
        'BEGIN { printf "%.1f %.1f %.1f %d", m * 4 / 1024, p / 1048576, d / 1048576, r }')"
    ok=1
    wl_stop_all || ok=0
    [[ $SCENARIO == tenants ]] && ballast_node0 0
    samples "$tag" "$v" "$run"
    echo "CHECKSUM $SCENARIO $v $run $ok"
}

echo "ENV kernel=$(uname -r)"
for n in "$NODE"/node[0-9]*; do
    echo "ENV $(basename "$n") cpus=$(cat "$n/cpulist") $(awk '/MemTotal/ { printf "total=%dMiB", $4 / 1024 }' "$n/meminfo") range=$(node_range "${n##*node}" | tr ' ' -)"
done
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do echo "ENV $(basename "$t")=$(cat "$t/nodelist")"; done
case $SCENARIO in
    zipf) echo "ENV workload: zipf ${ZIPF_MIB}MiB s=${ZIPF_S} hot set ${HOT_MIB}MiB on node 1 at start; a cold filler leaves ${RESERVE_MIB}MiB free on node 0" ;;
    nopressure) echo "ENV workload: one ${HOT_MIB}MiB hot buffer on node 1 at start (swept, 100 ms pause per sweep); node 0 has room" ;;
    pressure) echo "ENV workload: ${HOT_MIB}MiB cold on node 0 + ${HOT_MIB}MiB hot on node 1 + 4MiB hot each bind:1, preferred-many:1, interleave:0-1; another process's cold filler leaves ${RESERVE_MIB}MiB free on node 0" ;;
    tenants) echo "ENV workload: batch (/tierd-batch) ${BATCH_HOT_MIB}MiB hot + ${BATCH_PINNED_MIB}MiB cold bind:0 on node 0; latency (/tierd-lat) ${HOT_MIB}MiB hot on node 1; hugetlb pages leave node 0 ${RESERVE_MIB}MiB above its high watermark with batch in; classes: $(tenant_classes | tr -s ' \n' ' ')" ;;
esac
echo "ENV ${DURATION}s per run, reports every ${INTERVAL}s, ${RUNS} run(s) per variant, interleaved"
for run in $(seq 1 "$RUNS"); do
    for v in $VARIANTS; do
        run_variant "$v" "$run"
    done
done
