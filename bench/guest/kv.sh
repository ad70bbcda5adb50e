#!/bin/bash
# Guest side of bench/kv-vm.sh (runs as root inside one 2node VM boot): a real Redis (Debian's
# redis-server) whose data starts on the slow node, read by a real client (Debian's
# redis-benchmark) that GETs only the hot keys, under each tiering variant in turn, RUNS times:
#   tierd    bin/tierd run with the shipped defaults (config/tierd.yaml; no config file, only
#            --listen), started before the benchmark and left a warm-up while Redis idles
#   tierd@NAME  tierd's shipped defaults run from target/bench-jars/NAME.jar: another build (say,
#               the commit before a change) side by side with this one (variant_jar in bench/guest/lib.sh)
#   tierd-NAME  the same with --config bench/kv-NAME.yaml: a candidate default, side by side with
#            the shipped one in the same boot
#   kernel   kernel.numa_balancing=2 + demotion_enabled=1, switched on when the benchmark starts
#   damon    DAMOS migrate_hot/migrate_cold on paddr (bench/guest/lib.sh), started with it
# With FULL=1 a cold filler (tierd-workload, never touched) first fills the fast node up to
# RESERVE_MIB free, so the hot keys only fit once cold data leaves it.
#
# Per run: redis-server starts; COLD_KEYS cold keys ("cold:N", VALUE_BYTES each) are SET by a Lua
# script, the server's present pages are listed (page_nodes present), then HOT_KEYS hot keys
# ("key:%012d", the names redis-benchmark -r uses) are SET and the pages listed again: the pages
# the hot load added are the hot set. The server's pages are listed once more before the cold load:
# the pages the cold load added hold the cold keys (the cold set; the dict's tables grown for them
# too, which every GET probes); the pages present before it are the server's own (its code,
# libraries, stack and startup heap, which every GET runs through). issue 20's "cold keys
# promoted" is the cold set's share; the startup pages are reported apart (the kernel's NUMA
# balancing never promotes read-only file pages such as code, tierd does when they are hot).
# migratepages puts every page on node 1; then the variant starts and redis-benchmark -t get -r
# HOT_KEYS runs for DURATION s.
#
# stdout rows (the host script makes the tables):
#   SAMPLE variant run t_s server_fast_MiB hot_fast_pct ops_per_s
#   FINAL variant run t_s server_fast_MiB hot_fast_pct cold_fast_MiB startup_fast_MiB (at the
#         end: the cold set's query walks 57,000 pages, too slow under TCG to repeat every sample)
#   SETS variant run hot_set_MiB cold_set_MiB startup_set_MiB
#   MIGRATED variant run pgmigrate_success_MiB tierd_migrated_MiB
#   REACHED variant run t_s|never  (the first of page_nodes watch's 500 ms queries with >= 90 % of
#         the hot set on the fast node)
#   ENV key=value
set -uo pipefail
REPO=$1 DURATION=${2:-60} INTERVAL=${3:-3} RUNS=${4:-3} VARIANTS=${5:-tierd kernel damon}
FULL=${6:-0} RESERVE_MIB=${7:-32} HOT_KEYS=${8:-40000} COLD_KEYS=${9:-160000} VALUE_BYTES=${10:-1024}
RES=${TIERD_VM_RESULTS:?not in a tierd VM}
# shellcheck source=bench/guest/lib.sh
. "$REPO/bench/guest/lib.sh"
PN=$REPO/target/bench/page_nodes
WL=$REPO/target/vm/tierd-workload
CLI=(redis-cli -h 127.0.0.1 -p 6379)

# load PREFIX FORMAT COUNT: SETs COUNT keys with a Lua script, 20,000 per call.
load() {
    local fmt=$1 n=$2 i
    for ((i = 0; i < n; i += 20000)); do
        "${CLI[@]}" EVAL "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do redis.call('SET', string.format(ARGV[3], i), string.rep('v', tonumber(ARGV[4]))) end return 1" \
            0 "$i" "$((i + 20000 > n ? n - 1 : i + 19999))" "$fmt" "$VALUE_BYTES" > /dev/null || return 1
    done
}

fast_mib() { awk '{ for (i = 2; i <= NF; i++) { if ($i ~ /^kernelpagesize_kB=/) { split($i, k, "="); kb = k[2] } if ($i ~ /^N0=/) { split($i, n, "="); p = n[2] } } s += p * kb; p = 0 } END { printf "%.1f", s / 1024 }' "/proc/$1/numa_maps"; }
on_node0() { "$PN" count "$1" "$2" | sed -n 's/.* N0=\([0-9]*\) .*/\1/p'; }
hits() { "${CLI[@]}" INFO stats | tr -d '\r' | awk -F: '$1 == "keyspace_hits" { print $2 }'; }

run_one() {
    local v=$1 run=$2 fpid="" rpid tpid="" bpid wpid m0 t0 hot cold own hot_pages cold_pages own_pages tm=0
    sysctl -qw kernel.numa_balancing=0
    echo 0 > /sys/kernel/mm/numa/demotion_enabled
    sync
    echo 3 > /proc/sys/vm/drop_caches
    if ((FULL)); then
        local filler=$(($(node_free_mib 0) - RESERVE_MIB - 300)) # 300: room for redis at first
        rm -f /run/filler.pid
        "$WL" --buffer "filler:${filler}M:0:default:cold" --pidfile /run/filler.pid --quiet > "$RES/filler.out" 2>&1 &
        fpid=$!
        while [[ ! -s /run/filler.pid ]]; do sleep 0.2; done
    fi
    redis-server --port 6379 --bind 127.0.0.1 --save '' --appendonly no --protected-mode no \
        --loglevel warning --dir /tmp > "$RES/redis.log" 2>&1 &
    rpid=$!
    until "${CLI[@]}" PING > /dev/null 2>&1; do sleep 0.2; done
    "$PN" present "$rpid" > /run/startup.txt
    load 'cold:%d' "$COLD_KEYS" || { glog "loading cold keys failed"; return 1; }
    "$PN" present "$rpid" > /run/before.txt
    load 'key:%012d' "$HOT_KEYS" || { glog "loading hot keys failed"; return 1; }
    "$PN" present "$rpid" > /run/after.txt
    comm -13 /run/before.txt /run/after.txt > /run/hot.txt
    comm -13 /run/startup.txt /run/before.txt > /run/cold.txt
    comm -12 /run/startup.txt /run/before.txt > /run/own.txt
    hot_pages=$(wc -l < /run/hot.txt) cold_pages=$(wc -l < /run/cold.txt) own_pages=$(wc -l < /run/own.txt)
    migratepages "$rpid" 0 1
    if ((FULL)); then
        # the fast node is now the filler's, with RESERVE_MIB free
        local more=$(($(node_free_mib 0) - RESERVE_MIB))
        if ((more > 0)); then
            "$WL" --buffer "filler2:${more}M:0:default:cold" --pidfile /run/filler2.pid --quiet > "$RES/filler2.out" 2>&1 &
            fpid="$fpid $!"
            while [[ ! -s /run/filler2.pid ]]; do sleep 0.2; done
        fi
    fi
    glog "$v run $run: redis $rpid, $(awk -v h="$hot_pages" -v c="$cold_pages" 'BEGIN { printf "hot set %.1f MiB, cold set %.1f MiB", h / 256, c / 256 }'), on node 0 now: hot $(on_node0 "$rpid" /run/hot.txt) cold $(on_node0 "$rpid" /run/cold.txt) pages; node 0 free $(node_free_mib 0) MiB"
    echo "SETS $v $run $(awk -v h="$hot_pages" -v c="$cold_pages" -v o="$own_pages" 'BEGIN { printf "%.1f %.1f %.1f", h / 256, c / 256, o / 256 }')"
    if [[ $v == tierd* ]]; then
        local config=()
        [[ $v == tierd-* ]] && config=(--config "$REPO/bench/kv-${v#tierd-}.yaml")
        TIERD_JAR=$(variant_jar "$v") || return 1
        TIERD_JAR=$TIERD_JAR JAVA_OPTS="-Dlogback.configurationFile=$REPO/src/test/vm/scenarios/logback-vm.xml" \
            "$REPO/bin/tierd" run "${config[@]}" --listen 127.0.0.1:9464 > "$RES/$v-$run.log" 2>&1 &
        tpid=$!
        until grep -q ' cycle 1 ' "$RES/$v-$run.log" 2> /dev/null; do
            kill -0 "$tpid" 2> /dev/null || { glog "tierd died: $(tail -5 "$RES/$v-$run.log")"; return 1; }
            sleep 1
        done
        sleep 25 # the heat warm-up (10 s) and a few idle cycles, as on a host where tierd runs
    fi
    m0=$(vmstat_of pgmigrate_success)
    case $v in
        kernel)
            sysctl -qw kernel.numa_balancing=2
            echo 1 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon)
            local hi total free_bp
            hi=$(awk '/^Node 0,/ { n0 = 1; next } /^Node/ { n0 = 0 } n0 && $1 == "high" { s += $2 } END { print s }' /proc/zoneinfo)
            total=$(awk '/MemTotal:/ { print int($4 / 4) }' "$GUEST_NODE/node0/meminfo")
            free_bp=$((2 * hi * 10000 / total))
            damos_tiering_start 0 1 $((10000 - free_bp)) "$free_bp" ;;
    esac
    # 4 connections, 16 requests in flight each: about 15,000 GETs/s under TCG, as in issue 20
    redis-benchmark -h 127.0.0.1 -p 6379 -t get -r "$HOT_KEYS" -n 2000000000 -c 4 -P 16 -q > /dev/null 2>&1 &
    bpid=$!
    t0=$(date +%s.%N)
    # the hot set's share on the fast node every 500 ms (one process, no fork per sample: the
    # SAMPLE rows below are 5-6 s apart under TCG, too coarse for a time to 90 %)
    "$PN" watch "$rpid" /run/hot.txt 500 > "$RES/watch-$v-$run.txt" 2> /dev/null &
    wpid=$!
    local h0 h1 tp tn
    h0=$(hits) tp=$t0
    while :; do
        sleep "$INTERVAL"
        tn=$(date +%s.%N)
        h1=$(hits)
        hot=$(on_node0 "$rpid" /run/hot.txt)
        awk -v v="$v" -v r="$run" -v t="$tn" -v t0="$t0" -v tp="$tp" -v f="$(fast_mib "$rpid")" -v h="$hot" -v hp="$hot_pages" \
            -v a="$h0" -v b="$h1" \
            'BEGIN { printf "SAMPLE %s %s %.1f %s %.1f %.0f\n", v, r, t - t0, f, 100 * h / hp, (b - a) / (t - tp) }'
        h0=$h1 tp=$tn
        awk -v t="$tn" -v t0="$t0" -v d="$DURATION" 'BEGIN { exit !(t - t0 >= d) }' && break
    done
    kill "$wpid" 2> /dev/null
    wait "$wpid" 2> /dev/null
    awk -v v="$v" -v r="$run" -v t0="$t0" '$2 >= 0.9 * $3 { printf "REACHED %s %s %.1f\n", v, r, $1 - t0; found = 1; exit }
        END { if (!found) printf "REACHED %s %s never\n", v, r }' "$RES/watch-$v-$run.txt"
    cold=$(on_node0 "$rpid" /run/cold.txt)
    own=$(on_node0 "$rpid" /run/own.txt)
    awk -v v="$v" -v r="$run" -v t="$(date +%s.%N)" -v t0="$t0" -v f="$(fast_mib "$rpid")" -v h="$(on_node0 "$rpid" /run/hot.txt)" \
        -v hp="$hot_pages" -v c="$cold" -v o="$own" 'BEGIN { printf "FINAL %s %s %.1f %s %.1f %.1f %.1f\n", v, r, t - t0, f, 100 * h / hp, c / 256, o / 256 }'
    kill "$bpid" 2> /dev/null
    wait "$bpid" 2> /dev/null
    case $v in
        kernel)
            sysctl -qw kernel.numa_balancing=0
            echo 0 > /sys/kernel/mm/numa/demotion_enabled ;;
        damon) damos_tiering_stop ;;
        tierd*)
            tm=$(http_get http://127.0.0.1:9464/metrics |
                awk '/^tierd_migrated_bytes_total/ { s += $NF } END { printf "%.1f", s / 1048576 }')
            http_get http://127.0.0.1:9464/status > "$RES/$v-$run.status.json"
            kill -TERM "$tpid"
            wait "$tpid"
            glog "tierd exit $?: $(grep -c ' cycle [0-9]* ok' "$RES/$v-$run.log") cycles; $(grep -o 'via damon-vaddr ([^)]*)' "$RES/$v-$run.log" | tail -1)" ;;
    esac
    echo "MIGRATED $v $run $(awk -v m=$(($(vmstat_of pgmigrate_success) - m0)) -v t="$tm" 'BEGIN { printf "%.1f %s", m / 256, t }')"
    "${CLI[@]}" SHUTDOWN NOSAVE > /dev/null 2>&1
    wait "$rpid" 2> /dev/null
    # shellcheck disable=SC2086
    [[ -n $fpid ]] && { kill $fpid 2> /dev/null; wait $fpid 2> /dev/null; }
    rm -f /run/filler.pid /run/filler2.pid
    return 0
}

echo "ENV kernel=$(uname -r)"
echo "ENV redis=$(redis-server --version | awk '{ print $3, $5 }')"
for n in "$GUEST_NODE"/node[0-9]*; do
    echo "ENV $(basename "$n") cpus=$(cat "$n/cpulist") $(awk '/MemTotal/ { printf "total=%dMiB", $4 / 1024 }' "$n/meminfo")"
done
echo "ENV workload: redis ${COLD_KEYS} cold + ${HOT_KEYS} hot keys x ${VALUE_BYTES} B, all on node 1 at start; redis-benchmark GET on the hot keys only, ${DURATION}s per run, sample every ${INTERVAL}s; fast node full: ${FULL} (reserve ${RESERVE_MIB} MiB)"
for ((run = 1; run <= RUNS; run++)); do
    for v in $VARIANTS; do
        run_one "$v" "$run" || echo "FAILED $v $run"
    done
done
