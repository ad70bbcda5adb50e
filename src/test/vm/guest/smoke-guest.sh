#!/bin/sh
# Runs INSIDE the guest (started by smoke.sh through boot.sh). POSIX sh + the host's tools.
# usage: smoke-guest.sh WORKLOAD_BINARY      (layout from $TIERD_VM_LAYOUT, output dir $TIERD_VM_RESULTS)
#
# Asserts, failing with "SMOKE FAIL: ..." and exit 1:
#  - the layout's node count and its CPU-less node;
#  - memory tiers: the slow node in a different memory_tierN than node0 (2node, 3node), or all nodes
#    in one tier (2node-flat);
#  - a buffer placed on the slow node has all its pages there in numa_maps (and in the workload's own
#    move_pages report), with the VMA policy the workload asked for;
#  - migratepages moves it to node 0, numa_maps and move_pages agree;
#  - the checksums are unchanged (workload exits 0 and reports checksum_ok:true).
set -u
W=${1:?usage: smoke-guest.sh WORKLOAD_BINARY}
L=${TIERD_VM_LAYOUT:?not in a tierd VM}
OUT=${TIERD_VM_RESULTS:?not in a tierd VM}/smoke-$L
mkdir -p "$OUT"

fail() { echo "SMOKE FAIL [$L]: $*"; exit 1; }
ok() { echo "smoke [$L]: ok: $*"; }
now_ms() { date +%s%3N; }

# "0-2,5" contains N?
in_list() {
    n=$1
    for part in $(echo "$2" | tr ',' ' '); do
        lo=${part%-*}; hi=${part#*-}
        [ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ] && return 0
    done
    return 1
}
tier_of() {
    for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
        in_list "$1" "$(cat "$t/nodelist")" && { basename "$t"; return 0; }
    done
    echo none
}

case $L in
    2node|2node-flat) want_online=0-1; want_cpu=0; SLOW=1 ;;
    3node) want_online=0-2; want_cpu=0-1; SLOW=2 ;;
    *) fail "unknown layout $L" ;;
esac

echo "---- numactl -H"
numactl -H || fail "numactl -H failed"
echo "---- memory tiers"
for t in /sys/devices/virtual/memory_tiering/memory_tier*; do echo "$(basename "$t"): $(cat "$t/nodelist")"; done

N=/sys/devices/system/node
[ "$(cat $N/online)" = "$want_online" ] || fail "nodes online: $(cat $N/online), want $want_online"
[ "$(cat $N/has_cpu)" = "$want_cpu" ] || fail "has_cpu: $(cat $N/has_cpu), want $want_cpu"
[ -z "$(cat $N/node$SLOW/cpulist)" ] || fail "node$SLOW should be CPU-less, has cpus $(cat $N/node$SLOW/cpulist)"
in_list "$SLOW" "$(cat $N/has_memory)" || fail "node$SLOW has no memory"
ok "nodes $want_online, CPUs on $want_cpu, node$SLOW CPU-less"

t0=$(tier_of 0); ts=$(tier_of $SLOW)
[ "$t0" != none ] || fail "node0 is in no memory tier"
if [ "$L" = 2node-flat ]; then
    [ "$t0" = "$ts" ] || fail "2node-flat: node0 in $t0 but node$SLOW in $ts; want one tier"
    [ "$(ls -d /sys/devices/virtual/memory_tiering/memory_tier* | wc -l)" = 1 ] || fail "2node-flat: more than one tier"
    ok "all nodes in one tier ($t0)"
else
    [ "$t0" != "$ts" ] || fail "node0 and node$SLOW both in $t0; want the slow node in a lower tier"
    [ "${ts#memory_tier}" -gt "${t0#memory_tier}" ] || fail "node$SLOW's tier $ts is not below node0's $t0"
    [ -r $N/node$SLOW/access0/initiators/read_latency ] || fail "no HMAT access0 attributes on node$SLOW"
    ok "node0 in $t0, node$SLOW in $ts (read_latency $(cat $N/node0/access0/initiators/read_latency) vs $(cat $N/node$SLOW/access0/initiators/read_latency) ns)"
fi

# ---- workload: a cold buffer on the slow node, a bind buffer on the slow node, a hot one on node 0
R=$OUT/workload.jsonl
rm -f "$R" "$OUT/workload.pid"
"$W" --buffer slow:16M:$SLOW:default:cold --buffer pinned:2M:$SLOW:bind:$SLOW:cold \
     --buffer hot:4M:0:default:hot --pause-ms 20 --report "$R" --pidfile "$OUT/workload.pid" \
     > "$OUT/workload.out" 2>&1 &
WPID=$!
i=0
while [ ! -s "$OUT/workload.pid" ]; do
    kill -0 $WPID 2>/dev/null || { cat "$OUT/workload.out"; fail "workload died during setup"; }
    i=$((i + 1)); [ $i -lt 600 ] || fail "workload not ready after 60 s"
    sleep 0.1
done
cat "$OUT/workload.out"
[ "$(cat /proc/$WPID/comm)" = tierd-workload ] || fail "workload comm is $(cat /proc/$WPID/comm)"

json_field() { # json_field BUFFER FIELD (from the LAST report line)
    tail -n 1 "$R" | sed -n "s/.*\"name\":\"$1\"[^}]*\"$2\":\"\\{0,1\\}\\([^\",}]*\\).*/\\1/p"
}
START=$(json_field slow start_hex)
PINNED=$(json_field pinned start_hex)
[ -n "$START" ] || fail "no start_hex for buffer slow in $R"
PAGES=$((16 * 1024 * 1024 / 4096))
cp /proc/$WPID/numa_maps "$OUT/numa_maps.before"
line=$(grep "^$START " /proc/$WPID/numa_maps) || fail "VMA $START not in numa_maps"
echo "numa_maps: $line"
case " $line " in *" default "*) ;; *) fail "slow buffer VMA policy is not default: $line" ;; esac
case " $line " in *" N$SLOW=$PAGES "*) ;; *) fail "slow buffer not entirely on node$SLOW: $line" ;; esac
case " $line " in *" N0="*) fail "slow buffer has pages on node0: $line" ;; esac
pline=$(grep "^$PINNED " /proc/$WPID/numa_maps) || fail "VMA $PINNED not in numa_maps"
case " $pline " in *" bind:$SLOW "*" N$SLOW=512 "*) ;; *) fail "pinned buffer: want bind:$SLOW and N$SLOW=512: $pline" ;; esac
grep -q "\"name\":\"slow\"[^}]*\"pages_per_node\":{\"$SLOW\":$PAGES}" "$R" || fail "workload report disagrees: $(tail -n 1 "$R")"
ok "16M buffer placed on node$SLOW ($PAGES pages, policy default); bind:$SLOW buffer in place"

t=$(now_ms)
migratepages $WPID $SLOW 0 || fail "migratepages $WPID $SLOW 0 failed"
echo "migratepages $SLOW -> 0: $(( $(now_ms) - t )) ms"
cp /proc/$WPID/numa_maps "$OUT/numa_maps.after"
line=$(grep "^$START " /proc/$WPID/numa_maps) || fail "VMA $START gone from numa_maps"
echo "numa_maps: $line"
case " $line " in *" N0=$PAGES "*) ;; *) fail "after migratepages the slow buffer is not on node0: $line" ;; esac
case " $line " in *" N$SLOW="*) fail "after migratepages pages remain on node$SLOW: $line" ;; esac
kill -USR1 $WPID
i=0
until [ "$(grep -c '"event":"signal"' "$R")" -ge 1 ]; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "no SIGUSR1 report"
    sleep 0.1
done
grep '"event":"signal"' "$R" | grep -q "\"name\":\"slow\"[^}]*\"pages_per_node\":{\"0\":$PAGES}" \
    || fail "workload's move_pages view after migration: $(grep '"event":"signal"' "$R")"
ok "migratepages moved the buffer to node0 (numa_maps and move_pages agree)"

kill -TERM $WPID
wait $WPID
rc=$?
grep '(end)' "$OUT/workload.out"
[ $rc = 0 ] || fail "workload exited $rc (3 = checksum mismatch)"
grep '"event":"exit"' "$R" | grep -q '"checksum_ok":false' && fail "checksum mismatch in the exit report"
grep '"event":"exit"' "$R" | grep -q '"checksum_ok":true' || fail "no checksums in the exit report"
ok "checksums unchanged after migration"

if [ "$L" = 2node ] && [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then
    t=$(now_ms)
    /usr/lib/jvm/java-17-openjdk-amd64/bin/java -Xmx64m -version 2>&1 | head -n 1 || fail "java -version failed"
    echo "java -version in the guest: $(( $(now_ms) - t )) ms"
fi
echo "SMOKE OK [$L]"
