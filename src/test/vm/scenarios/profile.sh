#!/usr/bin/env bash
# Boot "profile" of the VM scenarios (run by run-scenarios.sh through boot.sh --layout 2node; runs
# INSIDE the guest). `tierd profile --json` with DAMON vaddr over a workload with a known split: a
# 32 MiB hot buffer (read every ~110 ms) and a 96 MiB cold one (never touched after setup), both on
# node 0. Checks (issue 18: "in the VM, with DAMON, it reports the hot and cold buffers within
# 10 %"), from the workload's row of the profile:
#   p1  hot bytes within 10 % of 32 MiB and cold bytes within 10 % of 96 MiB;
#   p2  nothing moved: placement in every workload report identical to the start (a profile is dry);
#   p3  tierd removed its kdamond at exit (nr_kdamonds as before).
# The hot set (p95) and idle >= 1 min figures go to the table.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CFG=$SCN_DIR/profile.yaml
DURATION=${PROFILE_DURATION:-60s}
MIB=1048576

log "boot profile: tierd profile with DAMON, p1 p2 p3"
record_env
nr0=$(cat $DAMON/nr_kdamonds)
wl_start prof --pause-ms 100 --buffer hot:32M:0:default:hot --buffer cold:96M:0:default:cold || exit 1
pid=$(wl_pid prof)
log "tierd profile --duration $DURATION (workload pid $pid)"
JAVA_OPTS="-Dlogback.configurationFile=$SCN_DIR/logback-vm.xml ${TIERD_JAVA_OPTS:-}" \
    "$REPO/bin/tierd" profile --config "$CFG" --duration "$DURATION" --json --progress 20s \
    > "$RES/profile.json" 2> "$RES/profile.err"
rc=$?
log "tierd profile exited $rc"
grep '^profile ' "$RES/profile.err" | sed 's/^/  /'
seq=$(wl_snapshot prof)
wl_stop prof

# the workload's row: "hot cold hotset idle1m resident" in bytes, or nothing
row=$(python3 - "$RES/profile.json" "$pid" << 'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for p in d["processes"]:
    if p["pid"] == int(sys.argv[2]):
        print(p["hotBytes"], p["coldBytes"], p["hotSetBytes"], p["idleBytesAtLeastSeconds"]["60"], p["residentBytes"])
PY
)
verdict "p1" "tierd profile exited 0 and listed the workload (pid $pid)" test "$rc" = 0 -a -n "$row"
read -r hot cold hotset idle1m resident <<< "${row:-0 0 0 0 0}"
within() { awk -v v="$1" -v t="$2" 'BEGIN { exit !(v >= 0.9 * t && v <= 1.1 * t) }'; }
mib() { awk -v v="$1" -v m=$MIB 'BEGIN { printf "%.1f", v / m }'; }
verdict "p1" "hot bytes within 10 % of the 32 MiB hot buffer (saw $(mib "$hot") MiB)" within "$hot" $((32 * MIB))
verdict "p1" "cold bytes within 10 % of the 96 MiB cold buffer (saw $(mib "$cold") MiB)" within "$cold" $((96 * MIB))
table "profile (DAMON vaddr, $DURATION): workload resident $(mib "$resident") MiB: hot $(mib "$hot"), cold $(mib "$cold"), hot set (p95) $(mib "$hotset"), idle >= 1 min $(mib "$idle1m") MiB; truth hot 32, cold 96"
table "  $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sentence"])' "$RES/profile.json" 2> /dev/null)"

for b in hot cold; do
    first=$(wl_first prof $b)
    v=$(awk -v b=$b -v a="$(cut -d' ' -f6-10 <<< "$first")" -v end="$seq" '$4 == b && $1 <= end && ($6 " " $7 " " $8 " " $9 " " $10) != a { printf "seq %s: n0=%s n1=%s; ", $1, $6, $7 }' "$RES/prof.rows")
    verdict "p2" "the profile moved nothing: $b buffer as at the start in every report${v:+; changed: $v}" test -z "$v"
done
verdict "p3" "tierd removed its kdamond at exit (nr_kdamonds $(cat $DAMON/nr_kdamonds), before $nr0)" test "$(cat $DAMON/nr_kdamonds)" = "$nr0"
verdict "p5" "workload checksums intact (exit status $(cat "$RES/prof.rc" 2> /dev/null))" test "$(cat "$RES/prof.rc" 2> /dev/null)" = 0
