#!/usr/bin/env bash
# Builds the VM workload program on the host: src/test/vm/workload/tierd-workload.c ->
# target/vm/tierd-workload (or $1). The guest runs it unchanged from the host's read-only root.
# Rebuilt only when the source (or this script) is newer than the binary; atomic replace, so
# concurrent builds and running VMs never see a half-written file.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SRC=$VM_DIR/workload/tierd-workload.c
OUT=${1:-$REPO_ROOT/target/vm/tierd-workload}
command -v gcc >/dev/null || vm_die "gcc missing: run $VM_DIR/setup.sh (or apt-get install gcc libc6-dev)"
if [[ -x $OUT && $OUT -nt $SRC && $OUT -nt ${BASH_SOURCE[0]} ]]; then
    echo "$OUT"
    exit 0
fi
mkdir -p "$(dirname "$OUT")"
tmp=$(mktemp "$OUT.XXXXXX")
trap 'rm -f "$tmp"' EXIT
gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -o "$tmp" "$SRC" -lm
chmod 755 "$tmp"
mv -f "$tmp" "$OUT"
trap - EXIT
echo "$OUT"
