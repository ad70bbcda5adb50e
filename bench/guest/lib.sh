# shellcheck shell=bash
# Helpers for the guest side of the VM benchmarks (sourced inside a tierd VM guest, as root).
#
#   glog MSG...                 a timestamped line on stderr
#   vmstat_of KEY               a /proc/vmstat counter
#   node_free_mib N             MemFree of node N in MiB
#   node_range N                "start end": the physical address range of node N's memory blocks
#   http_get URL                GET with curl or busybox wget, three tries (a guest starved of
#                               host CPU can take a while to answer)
#   variant_jar VARIANT         the jar a tierd variant runs: target/bench-jars/NAME.jar for
#                               tierd@NAME (another build side by side with this one: copy its
#                               target/tierd.jar there before the boot), else empty (bin/tierd's
#                               own); fails when that jar is missing
#   damos_tiering_start F S USED_BP FREE_BP   DAMON's own tiering between fast node F and slow
#                               node S (the kernel's mtier sample / HMSDK set-up, see below)
#   damos_tiering_stop          stops it, logs the schemes' stats, removes the kdamonds
#
# DAMOS tiering: two paddr kdamonds; kdamond 0 watches node S and migrate_hot's young pages to F,
# kdamond 1 watches node F and migrate_cold's non-young pages to S, each under a 200 MiB/s quota
# whose goal keeps node F at USED_BP used (promotion) and FREE_BP free (demotion). The goals'
# node_mem_* metrics came in Linux 6.16; on older kernels they are user_input goals that a
# background loop feeds once a second from node F's meminfo.
GUEST_DAMON=/sys/kernel/mm/damon/admin/kdamonds
GUEST_NODE=/sys/devices/system/node

glog() { printf '[guest %s] %s\n' "$(date +%T)" "$*" >&2; }
vmstat_of() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
node_free_mib() { awk '/MemFree:/ { print int($4 / 1024) }' "$GUEST_NODE/node$1/meminfo"; }

http_get() {
    local try
    for try in 1 2 3; do
        if command -v curl > /dev/null; then curl -fsS --max-time 30 "$1"; else busybox wget -q -T 30 -O - "$1"; fi 2> /dev/null && return 0
        sleep 2
    done
    glog "GET $1 failed 3 times"
    return 1
}

variant_jar() {
    [[ $1 == tierd@* ]] || return 0
    local jar=$REPO/target/bench-jars/${1#tierd@}.jar
    [[ -f $jar ]] || { glog "variant $1: no $jar (copy that build's target/tierd.jar there)"; return 1; }
    echo "$jar"
}

node_range() {
    local bs first=-1 last=-1 m
    bs=$((16#$(cat /sys/devices/system/memory/block_size_bytes)))
    for m in "$GUEST_NODE/node$1"/memory[0-9]*; do
        m=${m##*memory}
        if ((first < 0 || m < first)); then first=$m; fi
        if ((m > last)); then last=$m; fi
    done
    echo $((first * bs)) $(((last + 1) * bs))
}

# damos_scheme K SRC DST ACTION NR_MIN NR_MAX GOAL_BP YOUNG_MATCHING
damos_scheme() {
    local ctx=$GUEST_DAMON/$1/contexts/0 range
    echo 1 > "$GUEST_DAMON/$1/contexts/nr_contexts"
    echo paddr > "$ctx/operations"
    printf '%s\n' 5000 > "$ctx/monitoring_attrs/intervals/sample_us"
    printf '%s\n' 100000 > "$ctx/monitoring_attrs/intervals/aggr_us"
    printf '%s\n' 60000000 > "$ctx/monitoring_attrs/intervals/update_us"
    echo 10 > "$ctx/monitoring_attrs/nr_regions/min"
    echo 1000 > "$ctx/monitoring_attrs/nr_regions/max"
    echo 1 > "$ctx/targets/nr_targets"
    echo 1 > "$ctx/targets/0/regions/nr_regions"
    range=$(node_range "$2")
    echo "${range% *}" > "$ctx/targets/0/regions/0/start"
    echo "${range#* }" > "$ctx/targets/0/regions/0/end"
    echo 1 > "$ctx/schemes/nr_schemes"
    local s=$ctx/schemes/0
    echo "$4" > "$s/action"
    echo "$3" > "$s/target_nid"
    echo 1000000 > "$s/apply_interval_us"
    echo 4096 > "$s/access_pattern/sz/min"
    echo 18446744073709551615 > "$s/access_pattern/sz/max"
    echo "$5" > "$s/access_pattern/nr_accesses/min"
    echo "$6" > "$s/access_pattern/nr_accesses/max"
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
    echo "$7" > "$s/quotas/goals/0/target_value"
    echo "$7" > "$s/quotas/goals/0/current_value"
    # 6.12 filters only exclude what they match: promotion skips pages that are not young,
    # demotion skips young ones.
    echo 1 > "$s/filters/nr_filters"
    echo young > "$s/filters/0/type"
    echo "$8" > "$s/filters/0/matching"
    glog "kdamond $1: paddr node $2 [$range) $4 -> node $3, goal $7 bp"
}

damos_tiering_start() {
    local fast=$1 slow=$2
    echo 2 > "$GUEST_DAMON/nr_kdamonds"
    damos_scheme 0 "$slow" "$fast" migrate_hot 1 4294967295 "$3" N
    damos_scheme 1 "$fast" "$slow" migrate_cold 0 0 "$4" Y
    echo on > "$GUEST_DAMON/0/state"
    echo on > "$GUEST_DAMON/1/state"
    (
        local total free
        while [[ $(cat "$GUEST_DAMON/0/state") == on ]]; do
            read -r total free <<< "$(awk '/MemTotal:/ { t = $4 } /MemFree:/ { f = $4 } END { print t, f }' "$GUEST_NODE/node$fast/meminfo")"
            echo $(((total - free) * 10000 / total)) > "$GUEST_DAMON/0/contexts/0/schemes/0/quotas/goals/0/current_value"
            echo $((free * 10000 / total)) > "$GUEST_DAMON/1/contexts/0/schemes/0/quotas/goals/0/current_value"
            echo commit_schemes_quota_goals > "$GUEST_DAMON/0/state" 2> /dev/null
            echo commit_schemes_quota_goals > "$GUEST_DAMON/1/state" 2> /dev/null
            sleep 1
        done
    ) &
    DAMOS_FEEDER=$!
}

damos_tiering_stop() {
    local k
    for k in 0 1; do
        echo update_schemes_stats > "$GUEST_DAMON/$k/state" 2> /dev/null
        echo off > "$GUEST_DAMON/$k/state" 2> /dev/null
    done
    wait "$DAMOS_FEEDER" 2> /dev/null
    for k in 0 1; do
        glog "kdamond $k stats: $(cd "$GUEST_DAMON/$k/contexts/0/schemes/0/stats" && for f in *; do printf '%s=%s ' "$f" "$(cat "$f")"; done)"
    done
    echo 0 > "$GUEST_DAMON/nr_kdamonds"
}
