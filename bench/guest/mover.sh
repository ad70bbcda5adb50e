#!/bin/bash
# Guest side of bench/mover-vm.sh (runs inside the 2node VM as root): the same amount of memory
# moved between the same two nodes by tierd's mover (tierd.mover.MoverBench), a plain C move_pages
# loop (1,024 pages per call, and all pages in one call) and numactl's migratepages; REPS times in
# turn. Every row goes to stdout as
#   ROW method direction MiB/s longest_call_ms calls calls_over_20ms moved_MiB
set -uo pipefail
REPO=$1 MIB=$2 ROUNDS=$3 REPS=$4
RES=${TIERD_VM_RESULTS:-/tmp}
LOOP=$REPO/target/bench/move_pages_loop
WL=$REPO/target/vm/tierd-workload
JAVA_FLAGS="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MaxMetaspaceSize=64m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m"
sysctl -qw kernel.numa_balancing=0
echo "guest: $(uname -r), numa_balancing=$(cat /proc/sys/kernel/numa_balancing)"
numactl -H | sed 's/^/guest: /'
migrated() { awk '/^pgmigrate_success/ { print $2 }' /proc/vmstat; }

tierd_mover() {
    # shellcheck disable=SC2086
    java $JAVA_FLAGS -cp "$REPO/target/tierd.jar:$REPO/target/test-classes" tierd.mover.MoverBench \
        --mib "$MIB" --rounds "$ROUNDS" --fast 0 --slow 1 | tee -a "$RES/tierd-mover.txt" |
        awk '/^node [0-9]+->[0-9]+/ { printf "ROW tierd-mover %s %s %s %s %s %s\n", $2, $3, $5, $6 + $7, $8, $9 }'
}

c_loop() {
    local batch=$1 label=$2
    "$LOOP" --mib "$MIB" --rounds "$ROUNDS" --fast 0 --slow 1 --batch "$batch" | tee -a "$RES/$label.txt" |
        awk -v m="$label" '/^node [0-9]+->[0-9]+/ { printf "ROW %s %s %s %s %s %s %s\n", m, $2, $3, $5, $6, $7, $8 }'
}

migratepages_run() {
    local pidf=/run/mp.pid r from to m0 m1 t0 t1 call
    rm -f "$pidf"
    "$WL" --buffer "b:${MIB}M:1:default:cold" --pidfile "$pidf" --quiet > /dev/null &
    local shpid=$!
    while [[ ! -s $pidf ]]; do sleep 0.1; done
    local pid
    pid=$(cat "$pidf")
    for ((r = 0; r < ROUNDS; r++)); do
        for dir in "1 0" "0 1"; do
            read -r from to <<< "$dir"
            m0=$(migrated)
            t0=$(date +%s%N)
            # one migrate_pages(2) call: strace -T gives its own duration
            call=$(strace -T -e trace=migrate_pages migratepages "$pid" "$from" "$to" 2>&1 >/dev/null |
                sed -n 's/^migrate_pages(.*<\([0-9.]*\)>$/\1/p' | tail -1)
            t1=$(date +%s%N)
            m1=$(migrated)
            awk -v f="$from" -v t="$to" -v p=$((m1 - m0)) -v ns=$((t1 - t0)) -v c="$call" 'BEGIN {
                mib = p * 4096 / 1048576
                printf "migratepages: node %s->%s %.1f MiB in %.1f ms (migrate_pages call %.1f ms)\n", f, t, mib, ns / 1e6, (c * 1000) >> "'"$RES/migratepages.txt"'"
                printf "ROW migratepages %s->%s %.1f %.2f 1 %d %.1f\n", f, t, mib / (c > 0 ? c : ns / 1e9), c * 1000, (c > 0.02 ? 1 : 0), mib }'
        done
    done
    kill -TERM "$pid"
    wait "$shpid"
}

for ((rep = 1; rep <= REPS; rep++)); do
    echo "guest: repetition $rep" >&2
    tierd_mover
    c_loop 1024 "c-loop-1024"
    c_loop 0 "c-loop-all"
    migratepages_run
done
