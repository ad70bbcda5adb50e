#!/usr/bin/env bash
# Runs tierd's end-to-end scenarios in qemu guests with real multi-NUMA kernels (Debian's 6.12, and
# its stock 6.1 for the softdirty boot; issues 7 and 18) and fails on any failed assertion. Every assertion reads placement from the kernel (the workloads'
# move_pages reports), never from tierd. See README.md, "VM scenarios".
#
# usage: run-scenarios.sh [--no-build] [--keep] [--jobs N] [BOOT...]
#   BOOT       2node (scenarios 1 2 3 5 7), 3node (4 2b 5), flat (classifier, 6, 1f, 5), chaos (c1-c7,
#              5: kill -9 mid-move, cgroup removed, cpuset shrink, foreign kdamond, numa_balancing,
#              scrape burst), softdirty (6.1 kernel: heat source, one-VMA hot/cold split, 5),
#              profile (tierd profile with DAMON: p1 p2 p3 p5), tenants (issue 17: t1-t5), accessor
#              (a1 a0 a5: promotion toward the CPUs a process runs on), capacity (k1 k2 k3 k4 k5: a
#              demotion-only node whose capacity shrinks; k4 reads it from a command); default: all
#              but profile (only when named, to keep CI's VM time; it passed once on 2026-12-06)
#   --no-build use target/tierd.jar and target/vm/tierd-workload as they are
#   --keep     keep the results directory (logs, workload reports) even when everything passed
#   --jobs N   guests at once (default 2: each guest keeps one host core busy under TCG)
# Env: TIERD_JAR (a jar to run instead of target/tierd.jar), TMPDIR, and boot.sh's TIERD_VM_*.
# Exit status: 0 when every check passed; 1 when a check failed or a guest died (the message names
# the scenario and what was expected vs seen); 2 on usage errors.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD=1 KEEP=0 JOBS=2 BOOTS=()
while (($#)); do
    case $1 in
        --no-build) BUILD=0 ;;
        --keep) KEEP=1 ;;
        --jobs) JOBS=$2; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        2node|3node|flat|chaos|softdirty|profile|tenants|accessor|capacity) BOOTS+=("$1") ;;
        *) echo "run-scenarios.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done
((${#BOOTS[@]})) || BOOTS=(chaos flat 2node tenants softdirty capacity 3node accessor) # longest first
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "run-scenarios.sh: --jobs wants a positive number" >&2; exit 2; }

# boot -> boot.sh arguments (and the guest script scenarios/<boot>.sh)
declare -A ARGS=(
    [2node]="--layout 2node --fast-mem 512M"
    [3node]="--layout 3node --fast-mem 512M"
    [flat]="--layout 2node-flat --fast-mem 512M"
    [profile]="--layout 2node --fast-mem 512M"
    [tenants]="--layout 2node --fast-mem 512M"
    [chaos]="--layout 3node --fast-mem 512M"
    [softdirty]="--kernel 6.1 --layout 2node --fast-mem 512M"
    [accessor]="--layout 3node --fast-mem 512M"
    [capacity]="--layout 3node --fast-mem 512M"
)
declare -A WHAT=(
    [2node]="scenarios 1 (near-full fast node), 2 (bind, preferred-many, interleave), 3 (cpuset), 5, 7 (kdamond on SIGTERM / kill -9 + restart)"
    [3node]="scenarios 4 (never DRAM <-> DRAM), 2b (preferred-many moves within its mask), 5"
    [flat]="classifier (kernel has one tier), scenarios 6 (--dry-run), 1f (promotion + demotion on classified tiers), 5"
    [profile]="tierd profile with DAMON: p1 (hot and cold buffers within 10 %), p2 (nothing moves), p3 (kdamond removed), p5"
    [accessor]="accessor: a1 (pinned to CPU 1: hot data to node 1), a0 (pinned to CPU 0: to node 0), a5"
    [capacity]="capacity: k1 (demotion stops at a demotion-only node's capacity), k2 (foreign pages), k3 (capacity shrinks: data moves off), k4 (the capacity from capacityCommand), k5"
    [tenants]="tenants (issue 17): t1 (latency's floor holds), t2 (batch at its ceiling), t3 (bind:0 never moves), t4 (/status per tenant), t5"
    [chaos]="chaos: c1 kill -9 mid-move, c2 cgroup removed mid-scan, c3 cpuset.mems shrinks, c4 foreign kdamond, c5 numa_balancing on, c6 200 concurrent scrapes, c7 SIGTERM, 5"
    [softdirty]="Debian 12's 6.1 kernel (no DAMON): clear-refs+soft-dirty chosen by itself, the written half of one VMA promoted and the rest left, 5"
)
TIMEOUT=${TIERD_SCENARIO_TIMEOUT:-480}
t0=$(date +%s)
say() { printf '[scenarios %3ds] %s\n' $(($(date +%s) - t0)) "$*"; }

# --- build on the host (the guests run the host's files read-only)
"$VM_DIR/setup.sh" --quiet
for b in "${BOOTS[@]}"; do
    [[ $b == softdirty ]] && "$VM_DIR/setup.sh" --quiet --kernel 6.1
done
if ((BUILD)); then
    jar=$REPO_ROOT/target/tierd.jar
    # softdirty also runs tierd.heat.select.HeatProbeMain from target/test-classes
    if [[ ! -f $jar || ! -d $REPO_ROOT/target/test-classes ]] \
        || [[ -n $(find "$REPO_ROOT/src/main" "$REPO_ROOT/src/test/java" "$REPO_ROOT/pom.xml" -newer "$jar" -print -quit) ]]; then
        say "building target/tierd.jar and the test classes (mvn -B -q -DskipTests package)"
        (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
    fi
    "$VM_DIR/build-workload.sh" > /dev/null
fi
[[ -f ${TIERD_JAR:-$REPO_ROOT/target/tierd.jar} ]] || vm_die "no tierd jar: build it with mvn -B -q -DskipTests package"
[[ -x $REPO_ROOT/target/vm/tierd-workload ]] || vm_die "no target/vm/tierd-workload: run $VM_DIR/build-workload.sh"
envs=()
[[ -n ${TIERD_JAR:-} ]] && envs+=(--env "TIERD_JAR=$(realpath "$TIERD_JAR")")

RES=$(mktemp -d "${TMPDIR:-/tmp}/tierd-scenarios.XXXXXX")
say "results in $RES; ${#BOOTS[@]} boots, $JOBS at a time"

# --- boots, at most JOBS at once
declare -A PID RC
run_boot() { # runs in the background: exec makes its pid boot.sh's, which stops qemu on SIGTERM
    local b=$1
    mkdir -p "$RES/$b"
    cd "$REPO_ROOT"
    # shellcheck disable=SC2086  # ARGS are words
    exec "$VM_DIR/boot.sh" -q ${ARGS[$b]} --timeout "$TIMEOUT" --results "$RES/$b" "${envs[@]}" \
        -- bash "$VM_DIR/scenarios/$b.sh" > "$RES/$b/console.log" 2>&1
}
trap 'for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM
queue=("${BOOTS[@]}")
running=()
while ((${#queue[@]} || ${#running[@]})); do
    while ((${#queue[@]} && ${#running[@]} < JOBS)); do
        b=${queue[0]}
        queue=("${queue[@]:1}")
        run_boot "$b" &
        PID[$b]=$!
        running+=("$b")
        say "boot $b started: ${WHAT[$b]}"
    done
    wait -n || true
    still=()
    for b in "${running[@]}"; do
        if kill -0 "${PID[$b]}" 2> /dev/null; then
            still+=("$b")
        else
            rc=0
            wait "${PID[$b]}" || rc=$?
            RC[$b]=$rc
            say "boot $b done: exit $rc, $(cat "$RES/$b/.tierd-vm/timing" 2> /dev/null || echo 'no timing')"
        fi
    done
    running=("${still[@]}")
done
trap - EXIT INT TERM

# --- report: tables and checks per boot, then the verdict
fails=0 passes=0
for b in "${BOOTS[@]}"; do
    d=$RES/$b
    echo
    echo "=================== boot $b: ${WHAT[$b]}"
    cat "$d/.tierd-vm/timing" 2> /dev/null || echo "timing: none"
    [[ -f $d/env.txt ]] && sed 's/^/  guest: /' "$d/env.txt"
    [[ -f $d/tables.txt ]] && cat "$d/tables.txt"
    echo
    [[ -f $d/checks.txt ]] && cat "$d/checks.txt"
    n=$(grep -c '^FAIL ' "$d/checks.txt" 2> /dev/null || true)
    p=$(grep -c '^PASS ' "$d/checks.txt" 2> /dev/null || true)
    fails=$((fails + ${n:-0})) passes=$((passes + ${p:-0}))
    if [[ ${RC[$b]} != 0 ]]; then
        fails=$((fails + 1))
        took=$(sed -n 's/.*total_s=\([0-9]*\).*/\1/p' "$d/.tierd-vm/timing" 2> /dev/null)
        case ${RC[$b]} in
            124) if ((${took:-$TIMEOUT} < TIMEOUT - 10)); then
                     why="qemu was killed after ${took}s, before the ${TIMEOUT}s timeout (the host's OOM killer? see dmesg)"
                 else
                     why="timed out after ${TIMEOUT}s"
                 fi ;;
            125) why="the guest died (panic/oops) without an exit status" ;;
            *) why="the guest script exited ${RC[$b]}" ;;
        esac
        echo "FAIL boot $b: $why; last lines of $d/console.log:"
        tail -25 "$d/console.log" | sed 's/^/    /'
    elif [[ ! -s $d/checks.txt ]]; then
        fails=$((fails + 1))
        echo "FAIL boot $b: no checks were recorded (see $d/console.log)"
    fi
done
echo
total=$(($(date +%s) - t0))
if ((fails)); then
    echo "VM SCENARIOS FAILED: $fails failed, $passes passed, ${total}s; results kept in $RES"
    grep -h '^FAIL ' "$RES"/*/checks.txt 2> /dev/null | sed 's/^/  /' || true
    exit 1
fi
echo "VM SCENARIOS PASSED: $passes checks in ${#BOOTS[@]} boots, ${total}s"
if ((KEEP)); then echo "results kept in $RES"; else rm -rf "$RES"; fi
