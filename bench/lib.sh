# shellcheck shell=bash
# Helpers shared by the host benchmark scripts in bench/ (sourced, not run).
#
# Everything a benchmark creates lives under target/bench/<name>/ (or $BENCH_OUT); the processes it
# starts are recorded by pid and only those are stopped at exit.

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
CLK_TCK=$(getconf CLK_TCK)
BENCH_PIDS=()

bench_log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
# bench_help SCRIPT: prints a script's header comment (its usage) and exits 0.
bench_help() { sed -n '2,/^set -e/p' "$1" | sed '$d; s/^# \{0,1\}//'; exit 0; }
bench_die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# Stops every process this script started (by pid), newest first.
bench_cleanup() {
    local i
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${BENCH_PIDS[i]}" 2> /dev/null || true
    done
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        wait "${BENCH_PIDS[i]}" 2> /dev/null || true
    done
    BENCH_PIDS=()
}

# bench_build: the shaded jar and the workload binary (SKIP_BUILD=1 keeps target/ as it is).
bench_build() {
    if [[ ${SKIP_BUILD:-0} != 1 ]]; then
        (cd "$BENCH_REPO" && mvn -B -q -DskipTests package) || bench_die "mvn package failed"
    fi
    [[ -f $BENCH_REPO/target/tierd.jar ]] || bench_die "no target/tierd.jar"
    BENCH_WL=$("$BENCH_REPO/src/test/vm/build-workload.sh") || bench_die "building tierd-workload failed"
}

# cpu_ticks PID: utime + stime of a process in clock ticks (fields 14 and 15 of /proc/PID/stat,
# counted after the ')' that ends comm, which may contain spaces).
cpu_ticks() {
    local s
    s=$(< "/proc/$1/stat") || return 1
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo $((${12} + ${13}))
}

# children_ticks PID: cutime + cstime of a shell (its waited-for children), in clock ticks. Pass
# $BASHPID of the shell that runs the children: $(...) itself runs in a subshell.
children_ticks() {
    local s
    s=$(< "/proc/$1/stat")
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo $((${14} + ${15}))
}

# rss_kib PID / hwm_kib PID: VmRSS / VmHWM in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# bench_spawn N BUFFERS DIR: starts N tierd-workload processes, each with one hot buffer of 4 MiB
# (read once a second: --pause-ms 1000) and BUFFERS-1 cold buffers of $BENCH_COLD_SIZE (default
# 4M), every buffer its own VMA. Waits until all are ready; their pids go to DIR/workloads.pids.
bench_spawn() {
    local n=$1 nbuf=$2 dir=$3 i j args
    mkdir -p "$dir/wl"
    : > "$dir/workloads.pids"
    args=(--buffer hot:4M:-:default:hot)
    for ((j = 1; j < nbuf; j++)); do
        args+=(--buffer "cold$j:${BENCH_COLD_SIZE:-4M}:-:default:cold")
    done
    for ((i = 0; i < n; i++)); do
        rm -f "$dir/wl/$i.pid"
        "$BENCH_WL" "${args[@]}" --pause-ms 1000 --quiet --pidfile "$dir/wl/$i.pid" \
            > /dev/null 2> "$dir/wl/$i.err" &
        BENCH_PIDS+=($!)
        echo $! >> "$dir/workloads.pids"
    done
    for ((i = 0; i < n; i++)); do
        for ((j = 0; j < 600; j++)); do
            [[ -s $dir/wl/$i.pid ]] && break
            sleep 0.1
        done
        [[ -s $dir/wl/$i.pid ]] || bench_die "workload $i did not start: $(cat "$dir/wl/$i.err")"
    done
}

# bench_hybrid_root FIXTURE OUT: a root whose sys/ is a copy of a fixture's (a multi-node topology)
# while proc -> /proc and sys/fs/cgroup -> /sys/fs/cgroup are the host's, so tierd's whole pipeline
# (topology, discover, heat, score, plan) runs over the host's real processes on this 1-node host.
# The fixture's DAMON tree is left out (damon-observe would report the fixture's captured pid).
# tierd treats any root other than / as a fixture: dry-run, read-only heat sources only.
bench_hybrid_root() {
    local fixture=$BENCH_REPO/src/test/resources/fixtures/$1 out=$2
    [[ -d $fixture/sys ]] || bench_die "no fixture $fixture"
    rm -rf "$out"
    mkdir -p "$out"
    cp -r "$fixture/sys" "$out/sys"
    rm -rf "$out/sys/kernel/mm/damon" "$out/sys/fs/cgroup"
    ln -s /proc "$out/proc"
    ln -s /sys/fs/cgroup "$out/sys/fs/cgroup"
}

# tierd_cycles LOG: the number of the last cycle in a tierd log (0 before the first).
tierd_cycles() { sed -n 's/.* Daemon: cycle \([0-9]*\) .*/\1/p' "$1" | tail -1 | grep . || echo 0; }

# wait_cycle LOG PID N TIMEOUT_S: waits until the tierd logging to LOG finished cycle N.
wait_cycle() {
    local log=$1 pid=$2 c=$3 end=$((SECONDS + $4))
    while ((SECONDS < end)); do
        (($(tierd_cycles "$log") >= c)) && return 0
        kill -0 "$pid" 2> /dev/null || bench_die "tierd exited: $(tail -5 "$log")"
        sleep 0.05
    done
    bench_die "tierd did not reach cycle $c in $4 s"
}

# stage_means LOG FROM TO: mean wall ms per stage over cycles FROM..TO of a tierd log, as
# "stage=ms ..." (from the summary line's [topology=..ms ...] part), plus processes and regions.
stage_means() {
    awk -v from="$2" -v to="$3" '
    / Daemon: cycle [0-9]+ ok / {
        c = $0; sub(/.* Daemon: cycle /, "", c); c += 0
        if (c < from || c > to) next
        n++
        if (match($0, /: [0-9]+ processes, [0-9]+ regions/)) {
            split(substr($0, RSTART + 2, RLENGTH - 2), a, " "); procs = a[1]; regions = a[3]
        }
        if (match($0, /\[[^]]*\]$/)) {
            k = split(substr($0, RSTART + 1, RLENGTH - 2), st, " ")
            for (i = 1; i <= k; i++) {
                split(st[i], kv, "="); sub(/ms$/, "", kv[2])
                if (!(kv[1] in sum)) order[++m] = kv[1]
                sum[kv[1]] += kv[2]
            }
        }
    }
    END {
        printf "processes=%s regions=%s", procs, regions
        for (i = 1; i <= m; i++) printf " %s=%.1f", order[i], sum[order[i]] / n
        printf "\n"
    }' "$1"
}

# cpuset_file PID: the cgroup file tierd reads for the pid's cpuset.mems (v2 unified or v1 cpuset).
cpuset_file() {
    local line path
    while IFS= read -r line; do
        case $line in
            0::*) path=/sys/fs/cgroup${line#0::}/cpuset.mems.effective ;;
            *:cpuset:* | *:cpuset,*:* | *,cpuset:* | *,cpuset,*) path=/sys/fs/cgroup/cpuset${line##*:}/cpuset.effective_mems ;;
            *) continue ;;
        esac
        [[ -r $path ]] && { echo "$path"; return; }
    done < "/proc/$1/cgroup"
}

# file_list PIDFILE ROOT LIST: writes to LIST the files one tierd cycle reads (one path per line):
# stat of every pid; status, stat, cgroup, maps, numa_maps and the cpuset file of every pid in
# PIDFILE; the topology's files under ROOT (a bench_hybrid_root) and /proc's vmstat and zoneinfo.
file_list() {
    local p f root=$2
    {
        for p in /proc/[0-9]*; do echo "$p/stat"; done
        while read -r p; do
            printf '/proc/%s/%s\n' "$p" status "$p" cgroup "$p" maps "$p" numa_maps
            f=$(cpuset_file "$p") && [[ -n $f ]] && echo "$f"
        done < "$1"
        ls -d "$root"/sys/devices/system/node/{possible,online,has_cpu,has_memory,has_normal_memory} \
            "$root"/sys/devices/system/node/node*/{meminfo,distance} \
            "$root"/sys/devices/system/node/node*/access1/initiators/*_* \
            "$root"/sys/devices/virtual/memory_tiering/memory_tier*/nodelist \
            "$root"/sys/kernel/mm/numa/demotion_enabled 2> /dev/null
        for f in "$root"/sys/devices/system/node/node*/cpulist; do
            [[ -s $f ]] && echo "$f"
        done
        echo /proc/vmstat
        echo /proc/zoneinfo
        echo /proc/sys/kernel/numa_balancing
    } > "$3"
}

# cat_pass LIST: one `cat` pass over LIST (xargs: one cat process for all files).
cat_pass() { xargs -a "$1" cat > /dev/null 2>&1 || true; }

# floor_pass LIST EMPTY: one cat_pass over LIST, then one over EMPTY (the cost of starting cat),
# adding their CPU ticks to FLOOR_TICKS and FLOOR_EMPTY_TICKS (set both to 0 first). Call it from
# the script's own shell, not from $(...): the ticks are this shell's waited-for children.
floor_pass() {
    local me=$BASHPID t0 t1 t2
    t0=$(children_ticks "$me")
    cat_pass "$1"
    t1=$(children_ticks "$me")
    cat_pass "$2"
    t2=$(children_ticks "$me")
    FLOOR_TICKS=$((FLOOR_TICKS + t1 - t0)) FLOOR_EMPTY_TICKS=$((FLOOR_EMPTY_TICKS + t2 - t1))
}

# host_facts: one line about the machine (for the tables' "where").
host_facts() {
    printf '%s, %s vCPU (%s), %s GiB RAM, Linux %s, %s; load avg %s' \
        "$(hostname)" "$(nproc)" \
        "$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)" \
        "$(awk '/^MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" "$(uname -r)" \
        "$(java -version 2>&1 | awk -F'"' '/version/ { print "OpenJDK " $2; exit }')" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}

# wait_vm_slot: this host runs at most 2 qemu (one busy core each): waits until fewer run.
wait_vm_slot() {
    local said=0
    while (($(pgrep -c qemu-system || true) >= 2)); do
        ((said)) || bench_log "2 qemu already running: waiting for a slot"
        said=1
        sleep 10
    done
}

# bench_build_vm: jar, test classes, workload, and the C mover loop (target/bench/move_pages_loop).
bench_build_vm() {
    if [[ ${SKIP_BUILD:-0} != 1 ]]; then
        (cd "$BENCH_REPO" && mvn -B -q -DskipTests package) || bench_die "mvn package failed"
    fi
    [[ -f $BENCH_REPO/target/tierd.jar && -d $BENCH_REPO/target/test-classes ]] ||
        bench_die "no target/tierd.jar or target/test-classes"
    BENCH_WL=$("$BENCH_REPO/src/test/vm/build-workload.sh") || bench_die "building tierd-workload failed"
    mkdir -p "$BENCH_REPO/target/bench"
    gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$BENCH_REPO/target/bench/move_pages_loop" \
        "$BENCH_REPO/bench/c/move_pages_loop.c" || bench_die "building move_pages_loop failed"
}
