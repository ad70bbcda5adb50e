#!/usr/bin/env bash
# Prepares everything the VM harness needs; idempotent, safe on a fresh CI machine (run as root).
#
#  1. apt-get install (only what is missing): qemu, busybox-static, cpio, kmod, numactl, gcc, ...
#  2. adds bookworm-backports (deb822, the archive of this machine's bookworm source; no source is
#     an error: the repository names no archive host) if absent, runs
#     apt-get update only when a needed package has no candidate, and unpacks the newest
#     linux-image-6.12.*-amd64 from backports with dpkg -x into $TIERD_VM_CACHE (default
#     /var/cache/tierd-vm); depmod -b on the unpacked tree. With --kernel 6.1: the newest
#     linux-image-6.1.0-<abi>-amd64 instead (the stock Debian 12 kernel, from the machine's own
#     bookworm sources).
#  3. builds the initramfs (busybox-static + the 9p/overlay modules in modules.dep order + guest/init)
#     into the cache; rebuilt when guest/init, the module list, busybox or the kernel change.
#
# Writes $TIERD_VM_CACHE/current.env (KVER, KERNEL, INITRD, MODDIR) for boot.sh; for --kernel 6.1
# current-6.1.env.
# Options: --quiet (less output), --kernel 6.12|6.1 (which kernel series; default 6.12, or
# $TIERD_VM_KERNEL), --kernel-package NAME (pin a specific linux-image package).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/../../../packaging/apt-sources.sh"

QUIET=0
KPKG_PIN=${TIERD_VM_KERNEL_PACKAGE:-}
SERIES=${TIERD_VM_KERNEL:-6.12}
while (($#)); do
    case $1 in
        --quiet) QUIET=1 ;;
        --kernel) SERIES=$2; shift ;;
        --kernel-package) KPKG_PIN=$2; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) vm_die "setup.sh: unknown option $1" ;;
    esac
    shift
done
say() { ((QUIET)) || vm_log "$@"; }
vm_kernel_series "$SERIES"
VM_CURRENT_ENV=$(vm_current_env "$SERIES")

[[ $(id -u) == 0 ]] || vm_die "setup.sh must run as root (apt-get, dpkg, depmod)"

# Several VMs (and so several setup.sh runs) may start at once: one setup at a time.
mkdir -p "$TIERD_VM_CACHE"
exec 9> "$TIERD_VM_CACHE/.setup.lock"
flock 9

# Modules the initramfs loads (with their dependencies, in modules.dep order).
# virtio_pci / virtio_fs are built in on Debian's 6.12 kernel and modules on its 6.1 kernel (where
# the root mount fails without them: "no channels available" / "No such device"); names that are
# built in are skipped (modprobe --show-depends prints no insmod line for them).
INITRAMFS_MODULES="virtio_pci netfs 9pnet 9pnet_virtio 9p overlay virtiofs"

HOST_PACKAGES="qemu-system-x86 qemu-system-common qemu-utils busybox-static cpio kmod numactl gcc libc6-dev xz-utils zstd"

APT_UPDATED=0
apt_update() {
    ((APT_UPDATED)) && return 0
    say "apt-get update"
    apt-get update -qq >&2 || vm_die "apt-get update failed"
    APT_UPDATED=1
}

# ---------------------------------------------------------------- 1. host packages
missing=()
for p in $HOST_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    # A fresh machine may have no package lists at all: update once if a package has no candidate.
    for p in "${missing[@]}"; do
        if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt_update; break; fi
    done
    log=$(mktemp)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" > "$log" 2>&1 \
        || { cat "$log" >&2; rm -f "$log"; vm_die "apt-get install ${missing[*]} failed"; }
    rm -f "$log"
fi

# ---------------------------------------------------------------- 2. backports source
if ! grep -rqsE '(^|[[:space:]])bookworm-backports([[:space:]]|$)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    # The archive this machine's bookworm source uses (one-line .list or deb822 .sources).
    uri=$(debian_archive_uri bookworm) \
        || vm_die "no apt source for Debian bookworm on this machine (/etc/apt/sources.list, sources.list.d/*.list or *.sources): add one, then run setup.sh again"
    say "adding bookworm-backports ($uri) as /etc/apt/sources.list.d/bookworm-backports.sources"
    cat > /etc/apt/sources.list.d/bookworm-backports.sources <<EOF
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    APT_UPDATED=0
    apt_update
fi

# ---------------------------------------------------------------- 3. guest kernel
# 6.12: newest linux-image-6.12.<n>[+bpo|+deb12]-amd64; 6.1: newest linux-image-6.1.0-<abi>-amd64
# (signed images; not -dbg/-unsigned/-rt/-cloud).
case $SERIES in
    6.12) KPKG_PATTERN='^linux-image-6\.12\.[0-9]+(\+[a-z0-9.]+)?-amd64$' KPKG_GLOB='linux-image-6.12.*_*' ;;
    6.1) KPKG_PATTERN='^linux-image-6\.1\.0-[0-9]+-amd64$' KPKG_GLOB='linux-image-6.1.0-*_*' ;;
esac
pick_kernel() {
    local names
    names=$(apt-cache pkgnames "linux-image-$SERIES" 2>/dev/null | grep -E "$KPKG_PATTERN" || true)
    [[ -n $names ]] || return 0
    # One apt-cache call for all names (one call per name costs ~0.5 s each).
    # shellcheck disable=SC2086
    apt-cache policy $names 2>/dev/null \
        | awk '/^[^ ]/{p=$1; sub(/:$/, "", p)} /Candidate:/ && $2 != "(none)" {print p, $2}' \
        | sort -t' ' -k2,2V | tail -n1
}

kdir_of() { printf '%s/kernel/%s_%s' "$TIERD_VM_CACHE" "$1" "$2"; }

mkdir -p "$TIERD_VM_CACHE/kernel"
KPKG='' KVERSION=''
if [[ -n $KPKG_PIN ]]; then
    KPKG=$KPKG_PIN
else
    read -r KPKG KVERSION < <(pick_kernel) || true
    if [[ -z $KPKG ]]; then apt_update; read -r KPKG KVERSION < <(pick_kernel) || true; fi
fi
if [[ -z $KVERSION && -n $KPKG ]]; then
    KVERSION=$(apt-cache policy "$KPKG" 2>/dev/null | awk '/Candidate:/{print $2}')
fi
if [[ -z $KPKG || -z $KVERSION || $KVERSION == "(none)" ]]; then
    # Offline but a kernel is cached already: use the newest cached one.
    cached=$(ls -d "$TIERD_VM_CACHE"/kernel/$KPKG_GLOB 2>/dev/null | sort -V | tail -n1 || true)
    [[ -n $cached ]] || vm_die "no linux-image-$SERIES kernel package found in the apt sources and none cached"
    say "no candidate from apt; reusing cached $(basename "$cached")"
    KDIR=$cached
else
    KDIR=$(kdir_of "$KPKG" "$KVERSION")
fi

if [[ ! -f $KDIR/.complete ]]; then
    say "fetching $KPKG $KVERSION"
    tmp=$(mktemp -d "$TIERD_VM_CACHE/kernel/.dl.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # apt-get download writes as the _apt user when it can (otherwise it warns and runs unsandboxed)
    chmod 755 "$tmp"
    getent passwd _apt >/dev/null && chown _apt "$tmp"
    if ! (cd "$tmp" && apt-get download -qq "$KPKG=$KVERSION" >&2); then
        apt_update
        (cd "$tmp" && apt-get download -qq "$KPKG=$KVERSION" >&2) || vm_die "apt-get download $KPKG=$KVERSION failed"
    fi
    mkdir -p "$tmp/root"
    dpkg -x "$tmp"/*.deb "$tmp/root"
    rm -rf "$KDIR"
    mv "$tmp/root" "$KDIR"
    rm -rf "$tmp"
    trap - EXIT
    touch "$KDIR/.complete"
fi

# Modules live in lib/modules (bookworm) or usr/lib/modules (merged-/usr packaging).
MODBASE=
for d in "$KDIR/lib/modules" "$KDIR/usr/lib/modules"; do
    [[ -d $d ]] && MODBASE=$d && break
done
[[ -n $MODBASE ]] || vm_die "no lib/modules in $KDIR"
KVER=$(ls "$MODBASE" | head -n1)
MODDIR=$MODBASE/$KVER
KERNEL=$(ls "$KDIR"/boot/vmlinuz-* | head -n1)
[[ -r $KERNEL ]] || vm_die "no vmlinuz in $KDIR/boot"
# Uncompressed vmlinux for qemu's PVH entry: skips the real-mode setup and the in-guest zstd
# decompression, which saves ~1 s per boot under TCG. Falls back to the bzImage if extraction
# fails or the ELF has no PVH note (XEN_ELFNOTE_PHYS32_ENTRY, type 0x12).
VMLINUX=$KDIR/vmlinux-pvh
if [[ ! -s $VMLINUX ]]; then
    for magic in '\x28\xb5\x2f\xfd:zstd -qdc' '\x1f\x8b\x08:gzip -dc' '\xfd\x37\x7a\x58\x5a\x00:xz -dc'; do
        # No match is normal (the kernel uses another compressor): || true keeps set -e/pipefail quiet.
        off=$(LC_ALL=C grep -obUaP "${magic%%:*}" "$KERNEL" | head -n1 | cut -d: -f1 || true)
        [[ -n $off ]] || continue
        tail -c "+$((off + 1))" "$KERNEL" | ${magic#*:} > "$VMLINUX.tmp" 2>/dev/null || true
        if LC_ALL=C readelf -n "$VMLINUX.tmp" 2>/dev/null | grep -q 'Xen.*(0x00000012)\|PHYS32_ENTRY'; then
            mv "$VMLINUX.tmp" "$VMLINUX"
            break
        fi
    done
    rm -f "$VMLINUX.tmp"
    [[ -s $VMLINUX ]] || { say "no PVH vmlinux could be extracted; booting the bzImage"; : > "$VMLINUX"; }
fi
BOOT_KERNEL=$KERNEL
[[ -s $VMLINUX ]] && BOOT_KERNEL=$VMLINUX

if [[ ! -s $MODDIR/modules.dep.bin || $MODDIR/modules.dep.bin -ot $KDIR/.complete ]]; then
    say "depmod -b for $KVER"
    depmod -b "${MODBASE%/lib/modules}" "$KVER"
fi

# ---------------------------------------------------------------- 4. initramfs
BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || vm_die "$BUSYBOX missing (busybox-static)"
file_is_static() { ! LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'INTERP'; }
file_is_static "$BUSYBOX" || vm_die "$BUSYBOX is not static: install busybox-static"

HASH=$( { cat "$VM_DIR/guest/init"; echo "$INITRAMFS_MODULES"; echo "$KDIR"; sha256sum < "$BUSYBOX"; } \
        | sha256sum | cut -c1-16)
INITRD=$TIERD_VM_CACHE/initramfs-$KVER-$HASH.cpio
if [[ ! -s $INITRD ]]; then
    say "building initramfs $INITRD"
    stage=$(mktemp -d "$TIERD_VM_CACHE/.initramfs.XXXXXX")
    trap 'rm -rf "$stage"' EXIT
    mkdir -p "$stage"/{bin,sbin,dev,proc,sys,mnt,newroot,lib/modules,tmp,run}
    mknod -m 600 "$stage/dev/console" c 5 1
    mknod -m 666 "$stage/dev/null" c 1 3
    cp "$BUSYBOX" "$stage/bin/busybox"
    for applet in sh mount umount mkdir cat echo insmod switch_root poweroff sleep ls cp; do
        ln -s busybox "$stage/bin/$applet"
    done
    cp "$VM_DIR/guest/init" "$stage/init"
    chmod 755 "$stage/init"
    # Resolve dependencies with kmod against the unpacked tree; keep modules.dep order and
    # decompress (.ko.xz/.ko.zst) so busybox insmod needs no decompressor.
    : > "$stage/lib/modules/load-order"
    seen=" "
    for m in $INITRAMFS_MODULES; do
        deps=$(modprobe -d "${MODBASE%/lib/modules}" -S "$KVER" --show-depends "$m" 2>/dev/null || true)
        while read -r kind path _; do
            [[ $kind == insmod ]] || continue
            name=$(basename "$path"); name=${name%%.ko*}
            [[ $seen == *" $name "* ]] && continue
            seen="$seen$name "
            case $path in
                *.ko.xz) xz -dc "$path" > "$stage/lib/modules/$name.ko" ;;
                *.ko.zst) zstd -qdc "$path" > "$stage/lib/modules/$name.ko" ;;
                *.ko.gz) gzip -dc "$path" > "$stage/lib/modules/$name.ko" ;;
                *) cp "$path" "$stage/lib/modules/$name.ko" ;;
            esac
            echo "$name" >> "$stage/lib/modules/load-order"
        done <<< "$deps"
    done
    echo "$KVER" > "$stage/kver"
    (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) > "$INITRD.tmp"
    mv "$INITRD.tmp" "$INITRD"
    rm -rf "$stage"
    trap - EXIT
    # Old initramfs images of the same kernel are garbage now.
    for old in "$TIERD_VM_CACHE"/initramfs-"$KVER"-*.cpio; do
        [[ $old == "$INITRD" ]] || rm -f "$old"
    done
fi

cat > "$VM_CURRENT_ENV.tmp" <<EOF
KPKG='$(basename "$KDIR")'
KVER='$KVER'
KERNEL='$BOOT_KERNEL'
BZIMAGE='$KERNEL'
INITRD='$INITRD'
MODDIR='$MODDIR'
INIT_SHA='$(sha256sum < "$VM_DIR/guest/init" | cut -d' ' -f1)'
EOF
mv "$VM_CURRENT_ENV.tmp" "$VM_CURRENT_ENV"
say "ready: kernel $KVER ($(basename "$KDIR")), initramfs $(basename "$INITRD"), cache $(du -sh "$TIERD_VM_CACHE" | cut -f1)"
