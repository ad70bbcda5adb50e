#!/usr/bin/env bash
# VM scenario (issue 20): a real Redis's hot keys reach the fast node under tierd's SHIPPED
# defaults. Boots the 2node guest and runs one tierd run of the real-client benchmark's guest side
# (bench/guest/kv.sh: Debian's redis-server with 160,000 cold and then 40,000 hot 1 KiB keys, all
# moved to the slow node; bin/tierd run without a config file; redis-benchmark GETs only the hot
# keys). Asserts from the guest's own placement queries (move_pages in query mode over the pages the
# hot load added; bench/c/page_nodes.c):
#   - the hot set is >= 90 % on the fast node within BOUND s (default 120) of the benchmark's start;
#   - the pages from before the hot load that were promoted with it (the cold keys' pages and the
#     server's startup pages) stay below the hot set's size (no wholesale promotion); the cold
#     keys' share, the issue's target of 25 %, is reported against, not asserted (BENCHMARKS.md, 6.).
# Needs Debian's redis-server and redis-tools on the host (.ci/run installs them).
#
# usage: kv.sh [--no-build] [--keep] [--bound S]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
BUILD=1 KEEP=0 BOUND=120
while (($#)); do
    case $1 in
        --no-build) BUILD=0 ;;
        --keep) KEEP=1 ;;
        --bound) BOUND=$2; shift ;;
        *) vm_die "kv.sh: unknown argument '$1'" ;;
    esac
    shift
done
command -v redis-server > /dev/null && command -v redis-benchmark > /dev/null ||
    vm_die "kv.sh needs Debian's redis-server and redis-tools on the host"
"$VM_DIR/setup.sh" --quiet
"$VM_DIR/build-workload.sh" > /dev/null
if ((BUILD)); then
    (cd "$REPO_ROOT" && mvn -B -q -DskipTests package)
fi
[[ -f $REPO_ROOT/target/tierd.jar ]] || vm_die "no target/tierd.jar: run mvn -DskipTests package"
mkdir -p "$REPO_ROOT/target/bench"
gcc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$REPO_ROOT/target/bench/page_nodes" \
    "$REPO_ROOT/bench/c/page_nodes.c"
RES=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm-kv.XXXXXX")
duration=$((BOUND + 6))
echo "==== kv: 2node, redis hot keys under tierd's shipped defaults (results in $RES)"
set +e
(cd "$REPO_ROOT" && "$VM_DIR/boot.sh" -q --layout 2node --timeout 600 --results "$RES" \
    -- bash "$REPO_ROOT/bench/guest/kv.sh" "$REPO_ROOT" "$duration" 3 1 tierd) > "$RES/guest.log" 2>&1
rc=$?
set -e
echo "==== kv (rc=$rc) $(cat "$RES/.tierd-vm/timing" 2>/dev/null)"
grep -E '^(SAMPLE|FINAL|SETS|MIGRATED|FAILED)|\[guest' "$RES/guest.log" || true
verdict=$(awk -v bound="$BOUND" '
    $1 == "SETS" { hotset = $4 }
    $1 == "SAMPLE" { n++; if ($6 >= 90 && first == "") first = $4 }
    $1 == "FINAL" { cold = $7; own = $8 }
    END {
        if (!n) { print "FAIL no samples"; exit }
        if (first == "" || first > bound) printf "FAIL hot set not >= 90 %% on the fast node within %s s (first: %s)\n", bound, first == "" ? "never" : first " s"
        else printf "PASS hot set >= 90 %% on the fast node after %s s (bound %s s)\n", first, bound
        if (hotset > 0 && cold + own >= hotset) printf "FAIL promoted from before the hot load %.1f MiB >= the %.1f MiB hot set\n", cold + own, hotset
        else printf "PASS promoted from before the hot load %.1f MiB: cold keys %.1f MiB (%.0f %% of the %.1f MiB hot set; target <= 25 %%), startup pages %.1f MiB\n", cold + own, cold, 100 * cold / hotset, hotset, own
    }' "$RES/guest.log")
echo "$verdict"
((KEEP)) || [[ $verdict == *FAIL* || $rc != 0 ]] || rm -rf "$RES"
[[ $rc == 0 && $verdict != *FAIL* ]] || { echo "KV SCENARIO FAILED (results kept in $RES)"; exit 1; }
echo "KV PASS"
