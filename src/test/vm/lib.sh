# shellcheck shell=bash
# Shared helpers for the tierd VM harness (sourced by setup.sh, boot.sh, smoke.sh, ...).
#
# Cache layout (everything is derived, nothing is required to exist beforehand):
#   $TIERD_VM_CACHE/kernel/<package>_<version>/   dpkg -x of the guest kernel image package
#   $TIERD_VM_CACHE/initramfs-<hash>.cpio         initramfs for that kernel + guest/init
#   $TIERD_VM_CACHE/current.env                   KVER, KERNEL, INITRD, MODDIR of the last setup
#                                                 of the 6.12 guest kernel (the default)
#   $TIERD_VM_CACHE/current-6.1.env               the same for the 6.1 guest kernel (--kernel 6.1)

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
REPO_ROOT=$(cd "$VM_DIR/../../.." && pwd)
TIERD_VM_CACHE=${TIERD_VM_CACHE:-/var/cache/tierd-vm}
VM_CURRENT_ENV="$TIERD_VM_CACHE/current.env"

# The guest kernel series the harness knows: 6.12 (Debian bookworm-backports/-security, DAMON,
# HMAT tiers; the default) and 6.1 (Debian 12's stock kernel: no DAMON, no idle-page tracking,
# soft-dirty, one memory tier for every node).
vm_kernel_series() {
    case $1 in
        6.12|6.1) ;;
        *) vm_die "unknown guest kernel '$1' (6.12 or 6.1)" ;;
    esac
}
# vm_current_env SERIES: the env file setup.sh writes for that kernel series.
vm_current_env() {
    if [[ $1 == 6.12 ]]; then echo "$TIERD_VM_CACHE/current.env"; else echo "$TIERD_VM_CACHE/current-$1.env"; fi
}

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
