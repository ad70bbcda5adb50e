# shellcheck shell=bash
# Shared helpers for the tierd VM harness (sourced by setup.sh, boot.sh, smoke.sh, ...).
#
# Cache layout (everything is derived, nothing is required to exist beforehand):
#   $TIERD_VM_CACHE/kernel/<package>_<version>/   dpkg -x of the guest kernel image package
#   $TIERD_VM_CACHE/initramfs-<hash>.cpio         initramfs for that kernel + guest/init
#   $TIERD_VM_CACHE/current.env                   KVER, KERNEL, INITRD, MODDIR of the last setup

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
REPO_ROOT=$(cd "$VM_DIR/../../.." && pwd)
TIERD_VM_CACHE=${TIERD_VM_CACHE:-/var/cache/tierd-vm}
VM_CURRENT_ENV="$TIERD_VM_CACHE/current.env"

vm_log() { printf '[tierd-vm] %s\n' "$*" >&2; }
vm_die() { printf '[tierd-vm] ERROR: %s\n' "$*" >&2; exit 1; }

# Milliseconds since the epoch (GNU date).
vm_now_ms() { date +%s%3N; }

# Quote one word for POSIX sh (single quotes, ' -> '\'').
vm_shquote() {
    local s=$1
    printf "'%s'" "${s//\'/\'\\\'\'}"
}

# Loads current.env written by setup.sh; returns 1 if it is missing or points to files that are gone.
vm_load_current() {
    [[ -r $VM_CURRENT_ENV ]] || return 1
    # shellcheck disable=SC1090
    . "$VM_CURRENT_ENV"
    [[ -n ${KVER:-} && -r ${KERNEL:-/nonexistent} && -r ${INITRD:-/nonexistent} && -d ${MODDIR:-/nonexistent} ]]
}
