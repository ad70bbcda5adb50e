#!/usr/bin/env bash
# Captures reduced real /proc and /sys trees from each VM layout into
# src/test/resources/fixtures/vm-<layout>/ (replacing what is there): see guest/capture-guest.sh
# for the exact file list, and <fixture>/meta/CAPTURE.txt for what was done and rewritten.
#
# usage: capture-fixtures.sh [--out DIR] [LAYOUT...]   (default: all of 2node 3node 2node-flat,
#        into $REPO/src/test/resources/fixtures; --out writes vm-<layout> dirs elsewhere)
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUT=$REPO_ROOT/src/test/resources/fixtures
LAYOUTS=()
while (($#)); do
    case $1 in
        --out) OUT=$2; shift ;;
        2node|3node|2node-flat) LAYOUTS+=("$1") ;;
        *) vm_die "capture-fixtures.sh: unknown argument '$1'" ;;
    esac
    shift
done
((${#LAYOUTS[@]})) || LAYOUTS=(2node 3node 2node-flat)

"$VM_DIR/setup.sh" --quiet
WORKLOAD=$("$VM_DIR/build-workload.sh")
mkdir -p "$OUT"
for L in "${LAYOUTS[@]}"; do
    RES=$(mktemp -d "${TMPDIR:-/tmp}/tierd-vm-capture-$L.XXXXXX")
    echo "==== capture: $L"
    (cd "$REPO_ROOT" && "$VM_DIR/boot.sh" -q --layout "$L" --timeout 240 --results "$RES" \
        -- sh "$VM_DIR/guest/capture-guest.sh" "$WORKLOAD" "$RES/fixture") \
        || { vm_log "ERROR: capture in $L failed (results kept in $RES)"; exit 1; }
    [[ -f $RES/fixture/meta/CAPTURE.txt ]] || vm_die "no fixture from $L (results kept in $RES)"
    rm -rf "$OUT/vm-$L.new"
    cp -r "$RES/fixture" "$OUT/vm-$L.new"
    rm -rf "$OUT/vm-$L"
    mv "$OUT/vm-$L.new" "$OUT/vm-$L"
    rm -rf "$RES"
    echo "  -> $OUT/vm-$L: $(find "$OUT/vm-$L" -type f | wc -l) files, $(find "$OUT/vm-$L" -type f -printf "%s\n" | awk "{s += \$1} END {print s}") bytes"
done
echo "fixture content (bytes, files):"
for d in "$OUT"/vm-*; do printf "  %s %s\n" "$(basename "$d")" "$(find "$d" -type f -printf "%s\n" | awk "{s += \$1} END {print s, NR}")"; done
