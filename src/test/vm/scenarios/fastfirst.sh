#!/usr/bin/env bash
# VM proof of `tierd exec --fast-first` (issue 19, point 3): boots the 2node guest (fast node 0 with
# both CPUs, slow CPU-less node 1) and, per case, fills node 0 with another process's cold memory
# (tierd-workload, bound to node 0 while it faults in, then policy default) until HEADROOM MiB are
# left above its low watermark; then allocates STEPS x STEP MiB, one tierd-workload process per
# step (cold buffer faulted in under the task's policy), PAUSE s apart, from one shell that is
# either started plainly ("default") or with `bin/tierd exec --fast-first` ("fast-first"). Each
# step's bytes per node come from the step's own move_pages(nodes=NULL) start report, right after
# its fault-in. The cases: default, then fast-first, with demotion_enabled=1 (the pairing the
# issue names: allocate fast, let demotion move cold pages down); kernel NUMA balancing off;
# tierd's daemon does not run (the allocator and the kernel's demotion alone are measured).
#
# Asserts, in the guest:
#   - every fast-first step process's mappings carry the task policy "prefer (many):0" (numa_maps),
#     every default one "default";
#   - with demotion enabled, fast-first spills later than default: its first step with < 90 % on
#     node 0 comes later (or never), and it placed more bytes on node 0 in total.
# The figures (MiB per node per step, per case) are printed as FASTFIRST lines and go to
# BENCHMARKS.md. Guest time ~2-2.5 min; .ci/run runs it on its own, after run-scenarios.sh (one
# guest at a time, like heat.sh, kv.sh and pressure.sh).
#
# Before anything is measured the guest's crng is seeded from the host (seed_crng: without it the
# `tierd exec` JVM's start also waits for the crng). On a stall the guest
# prints the stalled tasks' stacks, zoneinfo and (sysrq l) the backtraces of the running CPUs, with
# the console at loglevel 7 so that soft-lockup reports carry their call traces.
#
# usage: fastfirst.sh [--no-build] [--keep]
# Env: FASTFIRST_STEPS, FASTFIRST_STEP_MIB, FASTFIRST_HEADROOM_MIB, FASTFIRST_PAUSE (s),
# FASTFIRST_DEMOTION (see below), FASTFIRST_CASES ("default fastfirst"; one of them alone for a
# look at one case: the verdict then fails, as it compares the two).
# Inside the guest it re-runs itself as: fastfirst.sh --in-guest WORKLOAD_BINARY
set -euo pipefail

STEPS=${FASTFIRST_STEPS:-12} STEP_MIB=${FASTFIRST_STEP_MIB:-8} HEADROOM_MIB=${FASTFIRST_HEADROOM_MIB:-16}
PAUSE=${FASTFIRST_PAUSE:-1}
# demotion_enabled values to run (FASTFIRST_DEMOTION="0 1" adds the cases without demotion: see
# BENCHMARKS.md for why they are not in the default run)
DEMOTION=${FASTFIRST_DEMOTION:-1}

# ------------------------------------------------------------------------------ guest side
node_kb() { awk -v k="$2:" '$3 == k { print $4 }' "/sys/devices/system/node/node$1/meminfo"; }
zone_sum_kb() { # zone_sum_kb NODE min|low|high: the watermark summed over the node's zones
    awk -v n="$1" -v w="$2" '/^Node/ { on = ($2 == n ",") } on && $1 == w { s += $2 } END { print s * 4 }' /proc/zoneinfo
}
# wait_file FILE SECS: until FILE is non-empty, at most SECS of wall time (a starved guest sleeps long)
wait_file() {
    local end=$((SECONDS + $2))
    while ((SECONDS < end)); do [[ -s $1 ]] && return 0; sleep 0.2; done
    return 1
}

# Credits the 64 bytes the host side wrote into the results share to the guest's entropy pool
# (RNDADDENTROPY; systemd-random-seed does the same with a credited seed file). The TCG guest has no
# RDRAND and no virtio-rng, and until its crng is ready a read of /dev/urandom runs the kernel's
# jitter-entropy loop (try_to_generate_entropy, Linux 5.18+). `tierd exec`'s JVM reads it at start
# (JNA names the temp file it unpacks its native library into with NativePRNG), so without this its
# start took that loop's wait too: ~3 s on a quiet host, more on a starved one (BENCHMARKS.md,
# "Fast-first allocation"). PYTHONHASHSEED keeps python itself off /dev/urandom.
seed_crng() {
    local seed=$TIERD_VM_RESULTS/crng.seed
    [[ -s $seed ]] || return 0
    PYTHONHASHSEED=0 python3 -c '
import fcntl, struct, sys
data = open(sys.argv[1], "rb").read()
with open("/dev/random", "wb") as pool:  # RNDADDENTROPY = _IOW("R", 0x03, int[2])
    fcntl.ioctl(pool, 0x40085203, struct.pack("ii", len(data) * 8, len(data)) + data)
' "$seed" && rm -f "$seed"
}

# The kernel's counters that tell demotion and reclaim apart, as one line.
vm_counters() {
    awk '$1 ~ /^(pgdemote_kswapd|pgdemote_direct|pgsteal_kswapd|allocstall_normal|compact_stall|pgscan_kswapd)$/ { printf "%s=%s ", $1, $2 }' /proc/vmstat
}

# What a stalled step is doing: its kernel stack and state, kswapd's, node 0's free memory.
diagnose() {
    local pid
    echo "FASTFIRST DIAG node0_free=$(($(node_kb 0 MemFree) / 1024))MiB $(vm_counters)"
    for pid in $(grep -lxE 'tierd-workload|kswapd0|kcompactd0' /proc/[0-9]*/comm 2> /dev/null | cut -d/ -f3); do
        echo "FASTFIRST DIAG pid $pid $(tr '\0' ' ' < "/proc/$pid/cmdline" | cut -c1-60) $(grep State "/proc/$pid/status")"
        echo "FASTFIRST DIAG   stat: $(cut -d' ' -f3,10-15 "/proc/$pid/stat") wchan=$(cat "/proc/$pid/wchan")"
        sed 's/^/FASTFIRST DIAG   /' "/proc/$pid/stack" 2> /dev/null | head -12
    done
    grep -E '^(Node|  pages free|        (min|low|high)|  +nr_free_pages)|^  +protection' /proc/zoneinfo | sed 's/^/FASTFIRST DIAG zoneinfo /'
    echo l > /proc/sysrq-trigger; sleep 5; echo l > /proc/sysrq-trigger
}

# run_case NAME DEMOTION PREFIX...: one filler, one stepping shell (under PREFIX), the figures.
run_case() {
    local name=$1 demotion=$2 wl=$WL res=$TIERD_VM_RESULTS
    shift 2
    echo "$demotion" > /sys/kernel/mm/numa/demotion_enabled
    sync
    echo 3 > /proc/sys/vm/drop_caches
    local low free fill
    low=$(zone_sum_kb 0 low) free=$(node_kb 0 MemFree)
    fill=$(((free - low) / 1024 - HEADROOM_MIB))
    rm -f /run/ff-*.pid /run/ff-go /run/ff-ready
    "$wl" --buffer "fill:${fill}M:0:default:cold" --pidfile /run/ff-fill.pid --quiet \
        > "$res/$name-fill.out" 2>&1 &
    local fillpid=$!
    wait_file /run/ff-fill.pid 60 || { echo "FASTFIRST FAIL: $name: the filler did not start"; exit 1; }
    # The stepping shell: says it is ready (after tierd exec's JVM has gone), waits for go, then
    # starts one workload per step and keeps them alive until killed.
    "$@" bash -c '
        echo $$ > /run/ff-ready
        while [ ! -e /run/ff-go ]; do sleep 0.1; done
        for i in $(seq 1 "$1"); do
            "$2" --buffer "s$i:$3M:-:default:cold" --report "$4/$5-$i.jsonl" \
                --pidfile "/run/ff-$i.pid" --quiet &
            while [ ! -s "/run/ff-$i.pid" ]; do sleep 0.05; done
            sleep "$6"
        done
        echo done > /run/ff-done
        wait' stepper "$STEPS" "$wl" "$STEP_MIB" "$res" "$name" "$PAUSE" > "$res/$name.out" 2>&1 &
    local shpid=$! shell_t0=$SECONDS
    wait_file /run/ff-ready 240 || { echo "FASTFIRST FAIL: $name: the stepping shell did not start"; exit 1; }
    sleep 2 # the JVM's pages are freed; page cache from reading it is dropped next
    sync
    echo 3 > /proc/sys/vm/drop_caches
    free=$(node_kb 0 MemFree)
    echo "FASTFIRST CASE $name demotion=$demotion filler=${fill}MiB node0_free=$((free / 1024))MiB" \
        "shell_start_s=$((SECONDS - shell_t0)) low=$((low / 1024))MiB min=$(($(zone_sum_kb 0 min) / 1024))MiB high=$(($(zone_sum_kb 0 high) / 1024))MiB"
    local before
    before=$(vm_counters)
    rm -f /run/ff-done
    touch /run/ff-go
    local steps_t0=$SECONDS
    if ! wait_file /run/ff-done 150; then
        echo "FASTFIRST FAIL: $name: the steps did not finish"
        diagnose
        exit 1
    fi
    local steps_s=$((SECONDS - steps_t0)) pol
    pol=$(awk 'NR == 1 { print $2 == "prefer" ? $2 " " $3 : $2 }' "/proc/$(cat /run/ff-1.pid)/numa_maps")
    local counts n0 n1 i total0=0 spill=never
    for i in $(seq 1 "$STEPS"); do
        counts=$(sed -n '1{s/.*"pages_per_node":{\([^}]*\)}.*/\1/;p;q}' "$res/$name-$i.jsonl" |
            awk -F, '{ for (f = 1; f <= NF; f++) { split($f, kv, ":"); gsub(/"/, "", kv[1]); p[kv[1]] = kv[2] } }
                     END { print p["0"] + 0, p["1"] + 0 }')
        n0=${counts% *} n1=${counts#* } # the guest has no /dev/fd for <(...)
        echo "FASTFIRST STEP $name $i $(awk -v a="$n0" -v b="$n1" 'BEGIN { printf "node0=%.1fMiB node1=%.1fMiB", a / 256, b / 256 }')"
        total0=$((total0 + n0))
        if [[ $spill == never ]] && ((n0 * 10 < (n0 + n1) * 9)); then spill=$i; fi
    done
    echo "FASTFIRST TOTAL $name node0=$((total0 * 4 / 1024))MiB of $((STEPS * STEP_MIB))MiB first_spill_step=$spill steps_s=$steps_s policy=$pol node0_free_after=$(($(node_kb 0 MemFree) / 1024))MiB filler_on_node0=$(($(awk '/N0=/ { for (f = 1; f <= NF; f++) if ($f ~ /^N0=/) s += substr($f, 4) } END { print s + 0 }' "/proc/$fillpid/numa_maps") * 4 / 1024))MiB"
    echo "FASTFIRST VMSTAT $name before: $before"
    echo "FASTFIRST VMSTAT $name after:  $(vm_counters)"
    kill "$shpid" "$fillpid" $(cat /run/ff-[0-9]*.pid) 2> /dev/null || true
    wait 2> /dev/null || true
    sleep 1
}

guest() {
    WL=$1
    local jar_cmd=("$REPO_ROOT/bin/tierd" exec --fast-first --)
    seed_crng
    sysctl -w kernel.numa_balancing=0 > /dev/null
    echo 7 > /proc/sys/kernel/printk
    echo 1 > /proc/sys/kernel/sysrq
    echo "guest: $(uname -r); node0 $(($(node_kb 0 MemTotal) / 1024)) MiB, node1 $(($(node_kb 1 MemTotal) / 1024)) MiB;" \
        "crng entropy $(cat /proc/sys/kernel/random/entropy_avail);" "tiers: $(for t in /sys/devices/virtual/memory_tiering/memory_tier*; do printf '%s=%s ' "${t##*/}" "$(cat "$t/nodelist")"; done)"
    for demotion in $DEMOTION; do
        [[ ${FASTFIRST_CASES:-default fastfirst} != *default* ]] || run_case "default-d$demotion" "$demotion" env
        [[ ${FASTFIRST_CASES:-default fastfirst} != *fastfirst* ]] || run_case "fastfirst-d$demotion" "$demotion" "${jar_cmd[@]}"
    done
}

if [[ ${1:-} == --in-guest ]]; then
    REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)
    guest "$2" 2>&1 | tee "$TIERD_VM_RESULTS/fastfirst.log"
    exit "${PIPESTATUS[0]}"
fi

# ------------------------------------------------------------------------------ host side
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
BUILD=1 KEEP=0
while (($#)); do
    case $1 in
        --no-build) BUILD=0 ;;
        --keep) KEEP=1 ;;
        *) vm_die "fastfirst.sh: unknown argument '$1'" ;;
    esac
    shift
done
"$VM_DIR/setup.sh" --quiet
WORKLOAD=$("$VM_DIR/build-workload.sh")
if ((BUILD)); then
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
fi
[[ -f $REPO_ROOT/target/tierd.jar ]] || vm_die "no target/tierd.jar: run mvn -DskipTests package"
RES=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm-fastfirst.XXXXXX")
head -c 64 /dev/urandom > "$RES/crng.seed" # credited by the guest (seed_crng)
envs=()
for v in FASTFIRST_CASES FASTFIRST_STEPS FASTFIRST_STEP_MIB FASTFIRST_HEADROOM_MIB FASTFIRST_PAUSE FASTFIRST_DEMOTION; do
    [[ -z ${!v:-} ]] || envs+=(--env "$v=${!v}")
done
echo "==== fastfirst: 2node --fast-mem 512M (results in $RES)"
set +e
(cd "$REPO_ROOT" && "$VM_DIR/boot.sh" -q --layout 2node --fast-mem 512M --timeout 900 --results "$RES" "${envs[@]}" \
    -- bash "$VM_DIR/scenarios/fastfirst.sh" --in-guest "$WORKLOAD") > "$RES/console.log" 2>&1
rc=$?
set -e
echo "==== fastfirst (rc=$rc) $(cat "$RES/.tierd-vm/timing" 2>/dev/null)"
grep -E '^(FASTFIRST|guest:)' "$RES/console.log" || true
verdict=$(awk '
    $1 == "FASTFIRST" && $2 == "TOTAL" {
        split($4, a, "="); node0[$3] = a[2] + 0
        for (f = 5; f <= NF; f++) { split($f, kv, "="); if (kv[1] == "first_spill_step") spill[$3] = kv[2] }
        pol[$3] = $0
    }
    END {
        for (c in node0) {
            want = c ~ /^fastfirst/ ? "policy=prefer (many):0" : "policy=default"
            if (index(pol[c], want)) printf "PASS %s: the step processes carry %s\n", c, want
            else printf "FAIL %s: expected %s in: %s\n", c, want, pol[c]
        }
        d = "default-d1"; f = "fastfirst-d1"
        if (!(d in node0) || !(f in node0)) { print "FAIL demotion on: a case is missing"; exit }
        sd = spill[d] == "never" ? 1e9 : spill[d] + 0; sf = spill[f] == "never" ? 1e9 : spill[f] + 0
        if (sf > sd) printf "PASS demotion on: fast-first spills at step %s, default at step %s\n", spill[f], spill[d]
        else printf "FAIL demotion on: fast-first spills at step %s, not later than default (%s)\n", spill[f], spill[d]
        if (node0[f] > node0[d]) printf "PASS demotion on: fast-first placed %d MiB on node 0, default %d MiB\n", node0[f], node0[d]
        else printf "FAIL demotion on: fast-first placed %d MiB on node 0, not more than default (%d MiB)\n", node0[f], node0[d]
    }' "$RES/console.log")
echo "$verdict"
((KEEP)) || [[ $verdict == *FAIL* || $rc != 0 ]] || rm -rf "$RES"
[[ $rc == 0 && $verdict != *FAIL* ]] || { echo "FASTFIRST SCENARIO FAILED (results kept in $RES)"; exit 1; }
