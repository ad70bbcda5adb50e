#!/bin/sh
# Runs INSIDE the guest (started by capture-fixtures.sh through boot.sh). POSIX sh + the host's tools.
# usage: capture-guest.sh WORKLOAD_BINARY DEST
#
# Copies a REDUCED real /proc and /sys into DEST (DEST/proc/..., DEST/sys/... mirror the real paths):
# node masks, per-node cpulist/distance/meminfo/numastat/vmstat, HMAT access0/access1 initiator
# attributes, the names of nodeN/memoryNN (as empty files), memory block size, memory tiers,
# demotion_enabled, numa_balancing, /proc/vmstat, /proc/meminfo; a running tierd-workload with
# buffers of several policies on several nodes as proc/4242/{numa_maps,maps,status,stat,cgroup,comm,cmdline} and /proc/zoneinfo
# plus its cgroup's cpuset.mems(.effective) and memory.numa_stat (3node: cgroup "tierd-test" with
# cpuset.mems=1-2; other layouts: the root cgroup); and /sys/kernel/mm/damon/admin after one vaddr
# kdamond with one "stat" scheme ran update_schemes_tried_regions.
# DEST/meta/ gets the workload's JSON report and CAPTURE.txt (what was done, what was rewritten).
set -u
W=${1:?usage: capture-guest.sh WORKLOAD_BINARY DEST}
D=${2:?usage: capture-guest.sh WORKLOAD_BINARY DEST}
L=${TIERD_VM_LAYOUT:?not in a tierd VM}
FAKE_PID=4242

fail() { echo "CAPTURE FAIL [$L]: $*"; exit 1; }

rm -rf "$D"
mkdir -p "$D" || fail "mkdir $D"
# Built in /tmp (tmpfs) and copied to DEST at the end: every exec and every 9p round trip costs
# tens of ms under TCG, so files are collected in a list and copied by one cp.
T=/tmp/fixture
LIST=/tmp/fixture.list
rm -rf $T; mkdir -p $T/meta; : > $LIST

# add PATH...: regular files (not symlinks) to copy with their content
add() {
    for f in "$@"; do
        [ -f "$f" ] && [ ! -L "$f" ] && printf '%s\n' "$f" >> $LIST
    done
    return 0
}
# add every regular file below DIR (no symlinks, no uevent, no power/)
add_tree() {
    find "$1" -type f ! -name uevent ! -path '*/power/*' 2>/dev/null | sort >> $LIST
}
# copy the list; unreadable (write-only) files become empty files
flush() {
    xargs -d '\n' cp --parents -t $T < $LIST 2>/dev/null
    while read -r f; do
        [ -e "$T$f" ] && continue
        [ -d "$T${f%/*}" ] || mkdir -p "$T${f%/*}"
        : > "$T$f"
    done < $LIST
}

N=/sys/devices/system/node
for f in online possible has_cpu has_memory has_normal_memory; do add $N/$f; done
for nd in $N/node[0-9]*; do
    for f in cpulist distance meminfo numastat vmstat; do add "$nd/$f"; done
    for a in access0 access1; do
        [ -d "$nd/$a/initiators" ] && add "$nd/$a/initiators"/*
    done
    # nodeN/memoryNN are symlinks: record their names as empty files
    mkdir -p "$T$nd"
    for m in "$nd"/memory[0-9]*; do
        [ -e "$m" ] && : > "$T$m"
    done
done
add /sys/devices/system/memory/block_size_bytes
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do add "$t/nodelist"; done
# NUMA balancing (on by default in the guest) would pull the hot buffers off the CPU-less node
# before the snapshot; operators of a tiering daemon switch it off, and so does the capture.
echo 0 > /proc/sys/kernel/numa_balancing || fail "numa_balancing=0"
add /sys/kernel/mm/numa/demotion_enabled /proc/sys/kernel/numa_balancing

# ---- workload: several policies on several nodes
case $L in
    3node)
        CG=/sys/fs/cgroup/tierd-test
        echo +cpuset > /sys/fs/cgroup/cgroup.subtree_control || fail "enable cpuset controller"
        echo +memory > /sys/fs/cgroup/cgroup.subtree_control || fail "enable memory controller"
        mkdir -p $CG || fail "mkdir $CG"
        echo 1-2 > $CG/cpuset.mems || fail "cpuset.mems"
        # Not an ideal placement on purpose: the hot buffer sits on the slow node and the cold one on
        # a fast node, so that a plan over this tree has something to do.
        # Hot buffers first and cold ones last: mmap hands out descending addresses, so each group is
        # contiguous and DAMON's regions can separate them.
        BUFS="--buffer hot:4M:2:default:hot --buffer bound:4M:2:bind:2:hot
              --buffer prefmany:4M:2:preferred-many:0-1:hot --buffer interleaved:4M:-:interleave:1-2:hot
              --buffer cold:8M:1:default:cold --buffer preferred:2M:2:preferred:1:cold" ;;
    *)
        CG=/sys/fs/cgroup
        BUFS="--buffer hot:4M:1:default:hot --buffer bound:4M:1:bind:1:hot
              --buffer prefmany:4M:1:preferred-many:0:hot --buffer interleaved:4M:-:interleave:0-1:hot
              --buffer cold:8M:0:default:cold --buffer preferred:2M:1:preferred:0:cold" ;;
esac
R=/tmp/tierd-workload.jsonl
# shellcheck disable=SC2086
sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' cg "$CG" \
    "$W" $BUFS --pause-ms 1 --report $R --pidfile /tmp/tierd-workload.pid --quiet &
WPID=$!
i=0
while [ ! -s /tmp/tierd-workload.pid ]; do
    kill -0 $WPID 2>/dev/null || fail "workload died during setup"
    i=$((i + 1)); [ $i -lt 600 ] || fail "workload not ready after 60 s"
    sleep 0.1
done
[ "$(cat /tmp/tierd-workload.pid)" = $WPID ] || fail "pidfile $(cat /tmp/tierd-workload.pid) != $WPID"
CGPATH=$(sed -n 's/^0:://p' /proc/$WPID/cgroup)

# ---- DAMON: one kdamond, vaddr on the workload, one stat scheme matching everything
A=/sys/kernel/mm/damon/admin
[ -d $A ] || fail "no DAMON sysfs"
K=$A/kdamonds/0
C=$K/contexts/0
S=$C/schemes/0
echo 1 > $A/kdamonds/nr_kdamonds || fail "nr_kdamonds"
echo 1 > $K/contexts/nr_contexts || fail "nr_contexts"
echo vaddr > $C/operations || fail "operations"
echo 1 > $C/targets/nr_targets || fail "nr_targets"
echo $WPID > $C/targets/0/pid_target || fail "pid_target"
# Enough regions, and long enough, that DAMON's adaptive splitting separates the buffers (with the
# default minimum of 10 regions and 3 s under emulation it still had one region over hot and cold).
echo 30 > $C/monitoring_attrs/nr_regions/min || fail "nr_regions/min"
# A 500 ms aggregation (100 checks) smooths the emulated CPU's stalls out of one window.
echo 500000 > $C/monitoring_attrs/intervals/aggr_us || fail "aggr_us"
echo 1 > $C/schemes/nr_schemes || fail "nr_schemes"
echo stat > $S/action || fail "action"
# A new scheme's access pattern is min=max=0 (matches nothing): open the maximums.
echo 18446744073709551615 > $S/access_pattern/sz/max || fail "sz/max"
echo 4294967295 > $S/access_pattern/nr_accesses/max || fail "nr_accesses/max"
echo 4294967295 > $S/access_pattern/age/max || fail "age/max"
echo on > $K/state || fail "kdamond on"
sleep 15
echo update_schemes_stats > $K/state || fail "update_schemes_stats"
echo update_schemes_tried_regions > $K/state || fail "update_schemes_tried_regions"
[ "$(cat $S/tried_regions/total_bytes 2>/dev/null || echo 0)" != 0 ] || [ -d $S/tried_regions/0 ] \
    || fail "no tried regions after update_schemes_tried_regions"

# ---- snapshot (workload report first, so placement in the report matches numa_maps)
kill -USR1 $WPID
i=0
until grep -q '"event":"signal"' $R; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "no SIGUSR1 report"
    sleep 0.1
done
add /proc/vmstat /proc/meminfo /proc/zoneinfo
for f in cpuset.mems.effective cpuset.mems memory.numa_stat; do add "/sys/fs/cgroup${CGPATH%/}/$f"; done
add /sys/fs/cgroup/cgroup.controllers /sys/fs/cgroup/cpuset.mems.effective
add_tree $A
flush
P=$T/proc/$FAKE_PID
mkdir -p "$P"
for f in numa_maps maps status stat cgroup comm cmdline; do cat /proc/$WPID/$f > "$P/$f" || fail "read /proc/$WPID/$f"; done
# The fixture's pid is $FAKE_PID everywhere the process names itself.
sed -i -e "s/^\(Pid\|Tgid\|NSpid\|NStgid\):\([[:space:]]*\)$WPID\$/\1:\2$FAKE_PID/" "$P/status"
sed -i -e "s/^$WPID (/$FAKE_PID (/" "$P/stat"
sed -i "s/^$WPID\$/$FAKE_PID/" "$T$C/targets/0/pid_target"
sed -n '1p; /"event":"signal"/p' $R | sed "s/\"pid\":$WPID,/\"pid\":$FAKE_PID,/" > "$T/meta/workload-report.jsonl"

echo off > $K/state
kill -TERM $WPID
wait $WPID || fail "workload exited $? (3 = checksum mismatch)"

cat > "$T/meta/CAPTURE.txt" <<EOF
Captured by src/test/vm/capture-fixtures.sh (guest script src/test/vm/guest/capture-guest.sh)
layout: $L
kernel: $(uname -r) ($(uname -v))
numactl -H:
$(numactl -H | sed 's/^/  /')
memory tiers: $(for t in /sys/devices/virtual/memory_tiering/memory_tier*; do printf '%s=%s ' "$(basename "$t")" "$(cat "$t/nodelist")"; done)
workload (pid $WPID, renamed to $FAKE_PID; cgroup ${CGPATH:-/}):
  $(basename "$W")$(echo " $BUFS" | tr -s ' \n' ' ') --pause-ms 1 --report $R
DAMON: kdamond 0, vaddr on the workload, scheme 0 action=stat with sz/nr_accesses/age max opened,
  nr_regions/min=30, aggr_us=500000, state=on, 15 s, then update_schemes_stats and update_schemes_tried_regions.
Rewritten after reading (everything else is verbatim):
  proc/$FAKE_PID/status Pid/Tgid/NSpid/NStgid and proc/$FAKE_PID/stat field 1: $WPID -> $FAKE_PID
  damon .../targets/0/pid_target: $WPID -> $FAKE_PID; meta/workload-report.jsonl "pid": $WPID -> $FAKE_PID
Reduced: only the files listed in capture-guest.sh; nodeN/memoryNN are empty files (names only);
  unreadable (write-only) files are empty.
EOF
cp -r $T/. "$D/" || fail "copy to $D"
echo "CAPTURE OK [$L]: $(find $T -type f | wc -l) files, $(find $T -type f -printf '%s\n' | awk '{s += $1} END {print s}') bytes"
