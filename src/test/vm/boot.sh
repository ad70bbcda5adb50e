#!/usr/bin/env bash
# Boots a multi-NUMA qemu guest (Debian's 6.12 or 6.1 kernel, TCG) and runs ONE command in it.
#
# usage: boot.sh --layout 2node|3node|2node-flat [options] -- CMD [ARGS...]
#
#   --layout L          2node:      node0 cpus 0-1 DRAM (100 ns, 20 GB/s); node1 CPU-less slow
#                                   (300 ns, 5 GB/s); HMAT -> node1 in a lower memory tier
#                       3node:      node0 cpu0, node1 cpu1 (both DRAM, distance 21); node2 CPU-less
#                                   slow; HMAT -> node2 in a lower tier
#                       2node-flat: as 2node but without HMAT: the kernel puts both nodes in one tier
#   --kernel 6.12|6.1   guest kernel (default 6.12, or $TIERD_VM_KERNEL): 6.12 from bookworm-
#                       backports/-security (DAMON, HMAT memory tiers); 6.1 is Debian 12's stock
#                       kernel (no DAMON, no idle-page tracking, soft-dirty; every node in one
#                       memory tier even with HMAT)
#   --timeout SECS      kill qemu after SECS (default 300) and fail
#   --results DIR       read-write share, mounted in the guest at the same path (default: fresh
#                       mktemp dir, printed on stderr). The harness keeps its own files in DIR/.tierd-vm/
#   --fast-mem SIZE     memory of EACH DRAM node (default 768M; suffix M or G, plain number = MiB)
#   --slow-mem SIZE     memory of the CPU-less node (default 1G)
#   --cmdline-extra S   appended to the guest kernel command line
#   --env K=V           exported to CMD's environment in the guest (repeatable)
#   --fs 9p|virtiofs    how the host's / is shared (default 9p, or $TIERD_VM_FS)
#   --cpu MODEL         qemu -cpu (default Nehalem, or $TIERD_VM_CPU)
#   -q|--quiet          no harness messages on stderr except errors and the timing line
#
# The guest sees the host's / read-only under a tmpfs overlay (writes are discarded at poweroff), so
# the host's JDK, numactl and the project's build output run at the same paths. CMD runs as root via
# `sh -c` with cwd = the host's cwd (one argument is taken as a shell script as-is; several are quoted
# and joined), with PATH, JAVA_HOME (java-17), HOME=/root, TIERD_VM=1, TIERD_VM_LAYOUT,
# TIERD_VM_KERNEL and TIERD_VM_RESULTS set. Its stdout/stderr arrive on this script's stdout
# (serial console).
#
# Exit status: CMD's exit status. If the guest wrote no status (crash, panic, init failure) boot.sh
# fails with 125; on timeout with 124 - both with an ERROR line on stderr.
# Timing: stderr gets "[tierd-vm] timing layout=... boot_s=... cmd_s=... total_s=..." and the same
# key=value line is kept in DIR/.tierd-vm/timing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }

LAYOUT='' TIMEOUT=300 RESULTS='' FAST_MEM=768M SLOW_MEM=1G CMDLINE_EXTRA='' QUIET=0
FS=${TIERD_VM_FS:-9p}
CPU=${TIERD_VM_CPU:-Nehalem}
KSERIES=${TIERD_VM_KERNEL:-6.12}
ENVS=()
while (($#)); do
    case $1 in
        --layout) LAYOUT=$2; shift ;;
        --kernel) KSERIES=$2; shift ;;
        --timeout) TIMEOUT=$2; shift ;;
        --results) RESULTS=$2; shift ;;
        --fast-mem) FAST_MEM=$2; shift ;;
        --slow-mem) SLOW_MEM=$2; shift ;;
        --cmdline-extra) CMDLINE_EXTRA=$2; shift ;;
        --env) [[ $2 == [A-Za-z_]*=* ]] || vm_die "--env wants K=V, got '$2'"; ENVS+=("$2"); shift ;;
        --fs) FS=$2; shift ;;
        --cpu) CPU=$2; shift ;;
        -q|--quiet) QUIET=1 ;;
        -h|--help) usage 0 ;;
        --) shift; break ;;
        *) echo "boot.sh: unknown option '$1'" >&2; usage ;;
    esac
    shift
done
(($#)) || { echo "boot.sh: missing -- CMD" >&2; usage; }
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -gt 0 ]] || vm_die "--timeout wants a positive number of seconds"
case $FS in 9p|virtiofs) ;; *) vm_die "--fs must be 9p or virtiofs" ;; esac
vm_kernel_series "$KSERIES"
VM_CURRENT_ENV=$(vm_current_env "$KSERIES")
# The guest mounts its own tmpfs on /tmp and /run over the host's: a checkout or a cwd there is
# invisible to it (the guest script would fail with "No such file or directory").
for p in "$PWD" "$(dirname "${BASH_SOURCE[0]}")"; do
    case $(realpath -m "$p")/ in
        /tmp/* | /run/*) vm_die "the guest has its own /tmp and /run and cannot see $(realpath -m "$p"); run from a checkout outside them" ;;
    esac
done
say() { ((QUIET)) || vm_log "$@"; }

to_mib() {
    local v=${1^^}
    case $v in
        *G) echo $(( ${v%G} * 1024 )) ;;
        *M) echo "${v%M}" ;;
        *[0-9]) echo "$v" ;;
        *) vm_die "bad memory size '$1' (use e.g. 512M or 1G)" ;;
    esac
}
FAST_MIB=$(to_mib "$FAST_MEM")
SLOW_MIB=$(to_mib "$SLOW_MEM")

# ---------------------------------------------------------------- kernel + initramfs
if ! vm_load_current || [[ ${INIT_SHA:-} != "$(sha256sum < "$VM_DIR/guest/init" | cut -d' ' -f1)" ]]; then
    say "no prepared $KSERIES kernel/initramfs (or guest/init changed) in $TIERD_VM_CACHE: running setup.sh"
    "$VM_DIR/setup.sh" --quiet --kernel "$KSERIES"
    vm_load_current || vm_die "setup.sh did not produce $VM_CURRENT_ENV"
fi
KERNEL=${TIERD_VM_KERNEL_IMAGE:-$KERNEL}
command -v qemu-system-x86_64 >/dev/null || vm_die "qemu-system-x86_64 missing: run $VM_DIR/setup.sh"

# ---------------------------------------------------------------- NUMA layout
# memdev backend: virtiofs (vhost-user) needs guest RAM in shared memfds.
if [[ $FS == virtiofs ]]; then BACKEND="memory-backend-memfd,share=on"; else BACKEND="memory-backend-ram"; fi
NUMA=()
node() { # node ID SIZE_MIB [extra -numa node options]
    NUMA+=(-object "$BACKEND,id=mem$1,size=$2M" -numa "node,nodeid=$1,memdev=mem$1${3:+,$3}")
}
dist() { NUMA+=(-numa "dist,src=$1,dst=$2,val=$3"); }
lb() { # initiator target latency_ns bandwidth
    NUMA+=(-numa "hmat-lb,initiator=$1,target=$2,hierarchy=memory,data-type=access-latency,latency=$3"
           -numa "hmat-lb,initiator=$1,target=$2,hierarchy=memory,data-type=access-bandwidth,bandwidth=$4")
}
case $LAYOUT in
    2node|2node-flat)
        SMP=2
        if [[ $LAYOUT == 2node ]]; then
            MACHINE=q35,hmat=on
            node 0 "$FAST_MIB" cpus=0-1
            node 1 "$SLOW_MIB" initiator=0
            lb 0 0 100 20G
            lb 0 1 300 5G
        else
            MACHINE=q35   # no HMAT (qemu accepts initiator= only with hmat=on)
            node 0 "$FAST_MIB" cpus=0-1
            node 1 "$SLOW_MIB"
        fi
        dist 0 1 28
        TOTAL_MIB=$((FAST_MIB + SLOW_MIB)) ;;
    3node)
        SMP=2
        MACHINE=q35,hmat=on
        node 0 "$FAST_MIB" cpus=0
        node 1 "$FAST_MIB" cpus=1
        node 2 "$SLOW_MIB" initiator=0
        dist 0 1 21
        dist 0 2 28
        dist 1 2 28
        lb 0 0 100 20G
        lb 0 1 150 10G
        lb 0 2 300 5G
        lb 1 0 150 10G
        lb 1 1 100 20G
        lb 1 2 300 5G
        TOTAL_MIB=$((2 * FAST_MIB + SLOW_MIB)) ;;
    '') vm_die "--layout is required (2node, 3node, 2node-flat)" ;;
    *) vm_die "unknown layout '$LAYOUT' (2node, 3node, 2node-flat)" ;;
esac

# ---------------------------------------------------------------- per-VM state
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm.XXXXXX")
VIRTIOFSD_PID=
QEMU_PID=
cleanup() {
    if [[ -n $QEMU_PID ]]; then
        kill -TERM "$QEMU_PID" 2>/dev/null   # timeout passes it on to qemu
        wait "$QEMU_PID" 2>/dev/null
    fi
    [[ -n $VIRTIOFSD_PID ]] && kill "$VIRTIOFSD_PID" 2>/dev/null && wait "$VIRTIOFSD_PID" 2>/dev/null
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z $RESULTS ]]; then
    RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm-results.XXXXXX")
    say "results share: $RESULTS"
fi
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd -P)
[[ $RESULTS != *[[:space:]]* ]] || vm_die "--results path must not contain whitespace"
HOST_CWD=$(pwd -P)
CTL=$RESULTS/.tierd-vm
mkdir -p "$CTL"
rm -f "$CTL/exit-status" "$CTL/started" "$CTL/timing"

if (($# == 1)); then
    CMD=$1
else
    CMD=
    for a in "$@"; do CMD+="$(vm_shquote "$a") "; done
fi
{
    echo "# written by boot.sh; sourced by the guest's /init"
    echo "export VM_RESULTS=$(vm_shquote "$RESULTS")"
    echo "export VM_CWD=$(vm_shquote "$HOST_CWD")"
    echo "export VM_MODDIR=$(vm_shquote "$MODDIR")"
    echo "export VM_CMD=$(vm_shquote "$CMD")"
    echo "export TIERD_VM_LAYOUT=$(vm_shquote "$LAYOUT")"
    echo "export TIERD_VM_KERNEL=$(vm_shquote "$KSERIES")"
    echo "export TIERD_VM_RESULTS=$(vm_shquote "$RESULTS")"
    for kv in "${ENVS[@]}"; do echo "export ${kv%%=*}=$(vm_shquote "${kv#*=}")"; done
} > "$CTL/job"

# ---------------------------------------------------------------- root filesystem share
ROOTFS=()
if [[ $FS == 9p ]]; then
    ROOTFS=(-fsdev "local,id=fsroot,path=/,security_model=none,readonly=on,multidevs=remap"
            -device "virtio-9p-pci,fsdev=fsroot,mount_tag=hostroot")
else
    VIRTIOFSD=/usr/lib/qemu/virtiofsd
    [[ -x $VIRTIOFSD ]] || vm_die "$VIRTIOFSD missing (qemu-system-common)"
    SOCK=$RUN_DIR/virtiofs.sock
    # virtiofsd has no read-only mode: serve a read-only recursive bind of / from a private mount
    # namespace (every submount remounted ro, deepest first).
    unshare --mount --propagation private -- sh -c '
        set -e
        m=$1/rootfs; mkdir -p "$m"
        mount --rbind / "$m"
        awk -v m="$m" '\''$5 == m || index($5, m "/") == 1 {print $5}'\'' /proc/self/mountinfo \
            | sort -r | while read -r p; do mount -o remount,bind,ro "$p" 2>/dev/null || true; done
        exec "$2" --socket-path="$3" -o source="$m" -o cache=auto -o sandbox=chroot -o log_level=err
    ' virtiofsd-ro "$RUN_DIR" "$VIRTIOFSD" "$SOCK" 2> "$RUN_DIR/virtiofsd.log" &
    VIRTIOFSD_PID=$!
    for _ in $(seq 100); do [[ -S $SOCK ]] && break; sleep 0.05; done
    [[ -S $SOCK ]] || vm_die "virtiofsd did not create $SOCK"
    ROOTFS=(-chardev "socket,id=vfs,path=$SOCK" -device "vhost-user-fs-pci,chardev=vfs,tag=hostroot")
fi

APPEND="console=ttyS0 panic=-1 oops=panic mitigations=off tsc=reliable quiet tierd.fs=$FS"
[[ -n $CMDLINE_EXTRA ]] && APPEND+=" $CMDLINE_EXTRA"

QEMU=(qemu-system-x86_64
    -name "tierd-vm-$LAYOUT" -nodefaults -no-user-config -no-reboot
    -accel tcg,thread=single -machine "$MACHINE" -cpu "$CPU"
    -smp "$SMP" -m "${TOTAL_MIB}M" "${NUMA[@]}"
    -display none -vga none
    -chardev stdio,id=con,signal=off -serial chardev:con
    -kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND"
    "${ROOTFS[@]}"
    -fsdev "local,id=fsres,path=$RESULTS,security_model=passthrough"
    -device "virtio-9p-pci,fsdev=fsres,mount_tag=results"
)
if [[ ${TIERD_VM_DEBUG:-} == 1 ]]; then printf '%q ' "${QEMU[@]}" >&2; echo >&2; fi

say "booting $LAYOUT (kernel $KVER, $FS, ${TOTAL_MIB} MiB, timeout ${TIMEOUT}s): $CMD"
T0=$(vm_now_ms)
set +e
# The only kernel line after the command is the emergency-level "reboot: Power down" (console
# loglevel cannot hide it): drop it so stdout is the command's output plus real kernel warnings.
mkfifo "$RUN_DIR/console"
sed -u -e '/^\[ *[0-9]*\.[0-9]*\] reboot: Power down\r\{0,1\}$/d' \
       -e 's/\[ *[0-9]*\.[0-9]*\] reboot: Power down\r\{0,1\}$//' < "$RUN_DIR/console" &
SED_PID=$!
# stdin from /dev/null: qemu must neither read nor put the caller's terminal in raw mode.
# In the background + wait, so that a SIGTERM/SIGINT to boot.sh is handled at once (cleanup kills
# qemu through timeout) instead of after the guest finishes.
timeout --kill-after=5 "$TIMEOUT" "${QEMU[@]}" < /dev/null > "$RUN_DIR/console" &
QEMU_PID=$!
wait "$QEMU_PID"
QRC=$?
QEMU_PID=
wait "$SED_PID"
set -e
T1=$(vm_now_ms)

mtime_ms() { local t; t=$(stat -c '%.3Y' "$1" 2>/dev/null) || return 1; echo "${t/./}"; }
total_s=$(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", (b-a)/1000}')
boot_s='?' cmd_s='?'
if S=$(mtime_ms "$CTL/started"); then
    boot_s=$(awk -v a="$T0" -v b="$S" 'BEGIN{printf "%.1f", (b-a)/1000}')
    if E=$(mtime_ms "$CTL/exit-status"); then
        cmd_s=$(awk -v a="$S" -v b="$E" 'BEGIN{printf "%.1f", (b-a)/1000}')
    fi
fi
TIMING="layout=$LAYOUT fs=$FS boot_s=$boot_s cmd_s=$cmd_s total_s=$total_s kernel=$KVER"
echo "$TIMING" > "$CTL/timing"
vm_log "timing $TIMING"

if ((QRC == 124 || QRC == 137)); then
    vm_log "ERROR: guest ($LAYOUT) timed out after ${TIMEOUT}s; command: $CMD"
    exit 124
fi
if [[ ! -s $CTL/exit-status ]]; then
    vm_log "ERROR: guest ($LAYOUT) powered off without an exit status (crash, panic or init failure; qemu rc=$QRC); command: $CMD"
    exit 125
fi
RC=$(<"$CTL/exit-status")
[[ $RC =~ ^[0-9]+$ ]] || vm_die "garbled exit status '$RC' in $CTL/exit-status"
((QRC == 0)) || vm_log "warning: qemu exited with $QRC after the command finished"
exit "$RC"
