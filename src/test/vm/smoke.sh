#!/usr/bin/env bash
# Smoke test of the VM harness: boots each layout (default: 2node 3node 2node-flat), runs numactl -H
# and tierd-workload in it, and asserts in the guest (guest/smoke-guest.sh) node count, CPU-less
# node, memory tiers, placement on the slow node, migratepages to node 0 and unchanged checksums.
# Prints the timing of each boot. Exit status 0 only if every layout passed.
#
# usage: smoke.sh [--keep] [LAYOUT...]    (--keep: keep the results dirs; env as for boot.sh)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KEEP=0
LAYOUTS=()
for a in "$@"; do
    case $a in
        --keep) KEEP=1 ;;
        2node|3node|2node-flat) LAYOUTS+=("$a") ;;
        *) vm_die "smoke.sh: unknown argument '$a' (layouts: 2node 3node 2node-flat)" ;;
    esac
done
((${#LAYOUTS[@]})) || LAYOUTS=(2node 3node 2node-flat)

T0=$(vm_now_ms)
"$VM_DIR/setup.sh" --quiet
WORKLOAD=$("$VM_DIR/build-workload.sh")
T1=$(vm_now_ms)

declare -A RESULT TIMING
failed=0
for L in "${LAYOUTS[@]}"; do
    RES=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm-smoke-$L.XXXXXX")
    echo "==== smoke: $L (results in $RES)"
    set +e
    (cd "$REPO_ROOT" && "$VM_DIR/boot.sh" -q --layout "$L" --timeout 180 --results "$RES" \
        -- sh "$VM_DIR/guest/smoke-guest.sh" "$WORKLOAD")
    rc=$?
    set -e
    TIMING[$L]=$(cat "$RES/.tierd-vm/timing" 2>/dev/null || echo "layout=$L (no timing)")
    if ((rc == 0)); then RESULT[$L]=PASS; else RESULT[$L]="FAIL (rc=$rc)"; failed=1; fi
    ((KEEP)) || rm -rf "$RES"
done

echo "==== smoke summary (setup+build $(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", (b-a)/1000}') s)"
for L in "${LAYOUTS[@]}"; do
    printf '  %-11s %-12s %s\n' "$L" "${RESULT[$L]}" "${TIMING[$L]}"
done
echo "  total $(awk -v a="$T0" -v b="$(vm_now_ms)" 'BEGIN{printf "%.1f", (b-a)/1000}') s"
exit "$failed"
