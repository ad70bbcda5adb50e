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

# Each move_pages(2) / migrate_pages(2) call timed by the kernel: the syscalls' enter and exit
# tracepoints (ftrace, global clock), so a call's time is what it spent in the kernel, without the
# caller's own overhead (a JVM's JNA marshalling, a safepoint it waits for on return, strace).
# KROW lines: KROW method longest_ms calls calls_over_20ms (both directions; move calls only: the
# placement queries, move_pages without a node list, by the movers and by MoverBench's own checks
# after each move, are left out).
TR=/sys/kernel/tracing
[[ -d $TR/events ]] || mount -t tracefs nodev "$TR" 2> /dev/null || true
if [[ -d $TR/events/syscalls/sys_enter_move_pages ]]; then
    echo global > "$TR/trace_clock"
    echo 8192 > "$TR/buffer_size_kb"
    KTRACE=1
else
    echo "guest: no syscall tracepoints: no in-kernel call times" >&2
    KTRACE=0
fi
ktrace_start() {
    ((KTRACE)) || return 0
    echo 0 > "$TR/tracing_on"
    : > "$TR/trace"
    local e
    for e in sys_enter_move_pages sys_exit_move_pages sys_enter_migrate_pages sys_exit_migrate_pages; do
        echo 1 > "$TR/events/syscalls/$e/enable"
    done
    echo 1 > "$TR/tracing_on"
}
# ktrace_stop METHOD: stops tracing, keeps the trace in $RES/METHOD-ktrace.txt, prints one KROW.
ktrace_stop() {
    ((KTRACE)) || return 0
    echo 0 > "$TR/tracing_on"
    cat "$TR/trace" >> "$RES/$1-ktrace.txt"
    awk -v m="$1" '
        # "  comm-TID  [cpu] flags  SECONDS: sys_move_pages(...)" then "... sys_move_pages -> 0x0";
        # comm may hold spaces, so the tid is the number before " [" and the time the one before ":"
        match($0, /-[0-9]+ +\[[0-9]+\]/) {
            tid = substr($0, RSTART + 1); sub(/ .*/, "", tid)
            if (!match($0, /[0-9]+\.[0-9]+: sys_(move|migrate)_pages/)) next
            t = substr($0, RSTART); sub(/:.*/, "", t)
            # a move_pages call without a node list only queries placement: not a move
            if ($0 ~ /_pages\(/) { if ($0 ~ /nodes: 0,/) delete start[tid]; else start[tid] = t }
            else if ($0 ~ /_pages ->/ && tid in start) {
                ms = (t - start[tid]) * 1000; delete start[tid]
                calls++; if (ms > longest) longest = ms; if (ms > 20) over++
            }
        }
        END { printf "KROW %s %.2f %d %d\n", m, longest, calls, over }' "$TR/trace"
    : > "$TR/trace"
}

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
    ktrace_start
    tierd_mover
    ktrace_stop tierd-mover
    ktrace_start
    c_loop 1024 "c-loop-1024"
    ktrace_stop c-loop-1024
    ktrace_start
    c_loop 0 "c-loop-all"
    ktrace_stop c-loop-all
    ktrace_start
    migratepages_run
    ktrace_stop migratepages
done
