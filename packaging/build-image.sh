#!/usr/bin/env bash
# Builds the tierd container image from the top-level Dockerfile with buildah, on a machine that
# has no Docker engine and cannot pull from a registry (like this project's developer and CI
# machines), then proves the image by running `tierd version` and one dry-run cycle in it.
#
#   packaging/build-image.sh            # build localhost/tierd:dev
#   TIERD_IMAGE=localhost/tierd:0.1 packaging/build-image.sh
#
# How it works without a registry: the Dockerfile's FROM lines are ARGs (BUILD_IMAGE,
# RUNTIME_IMAGE) that default to public images. Here they point at two local bases made from a
# Debian bookworm debootstrap (minbase) plus Debian's openjdk-17 packages:
#   localhost/tierd-jdk17:bookworm   openjdk-17-jdk-headless + maven   (build stage)
#   localhost/tierd-jre17:bookworm   openjdk-17-jre-headless           (runtime stage)
# The debootstrap rootfs is cached as a tarball in $TIERD_BUILD_CACHE (/var/cache/tierd-build) and
# reused when present; it is never required (a missing or broken one is rebuilt). The two bases
# are kept in buildah's storage and reused too; TIERD_REBUILD_BASE=1 rebuilds them. Untagged
# build-stage layers are pruned at the end (TIERD_KEEP_LAYERS=1 keeps them).
#
# Runs as root. Installs buildah and debootstrap with apt-get when they are missing. Needs only
# Debian's archive and Maven Central: the archive is the one this machine's apt uses (its sources
# for bookworm and bookworm-security, packaging/apt-sources.sh), or DEBIAN_MIRROR and
# DEBIAN_SECURITY_MIRROR. Storage: vfs (no overlay mounts needed); isolation: chroot (no user
# namespaces or runc needed). Prints the time of every step.
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/apt-sources.sh

CACHE=${TIERD_BUILD_CACHE:-/var/cache/tierd-build}
SUITE=bookworm
# archives: sets MIRROR and SECURITY (only a new debootstrap rootfs needs them).
archives() {
  MIRROR=${DEBIAN_MIRROR:-$(debian_archive_uri "$SUITE")} || no_source "$SUITE" DEBIAN_MIRROR
  SECURITY=${DEBIAN_SECURITY_MIRROR:-$(debian_archive_uri "$SUITE-security")} \
    || no_source "$SUITE-security" DEBIAN_SECURITY_MIRROR
}
no_source() {
  echo "build-image.sh: this machine has no apt source for Debian $1 (/etc/apt/sources.list," \
    "sources.list.d/*.list or *.sources); add one, or set $2=URI of a Debian archive" >&2
  exit 1
}
IMAGE=${TIERD_IMAGE:-localhost/tierd:dev}
BASE=localhost/tierd-base:$SUITE
JDK=localhost/tierd-jdk17:$SUITE
JRE=localhost/tierd-jre17:$SUITE
TARBALL=$CACHE/debian-$SUITE-minbase-$(dpkg --print-architecture).tar.gz
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
buildah() { command buildah --storage-driver vfs "$@"; }

t0=$(date +%s)
last=$t0
step() {
  local now
  now=$(date +%s)
  echo "--- [+$((now - last))s, total $((now - t0))s] $*"
  last=$now
}

step "tools"
need=()
for pkg in buildah debootstrap; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

has_image() { buildah images --quiet "$1" >/dev/null 2>&1; }

# A container made from a base, or removed again if the caller fails.
containers=()
cleanup() {
  local c
  for c in "${containers[@]+"${containers[@]}"}"; do
    command buildah --storage-driver vfs rm "$c" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

if [ "${TIERD_REBUILD_BASE:-0}" = 1 ] || ! has_image "$BASE"; then
  if ! gzip -t "$TARBALL" 2>/dev/null; then
    archives
    step "debootstrap $SUITE (minbase) from $MIRROR into $TARBALL"
    mkdir -p "$CACHE"
    work=$(mktemp -d "$CACHE/rootfs.XXXXXX")
    debootstrap --variant=minbase "$SUITE" "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
      tail -20 "$work/debootstrap.log" >&2
      exit 1
    }
    # Updates and security fixes come from the same places as on the host.
    cat >"$work/rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
EOF
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    tar -C "$work/rootfs" --numeric-owner -czf "$work/base.tar.gz" .
    mv "$work/base.tar.gz" "$TARBALL"
    rm -rf "$work"
  else
    step "reusing the cached debootstrap rootfs $TARBALL"
  fi
  step "import the rootfs as $BASE"
  c=$(buildah from scratch)
  containers+=("$c")
  buildah add --quiet "$c" "$TARBALL" / >/dev/null
  buildah config --env LANG=C.UTF-8 --cmd /bin/bash "$c"
  buildah commit --quiet --rm "$c" "$BASE" >/dev/null
  containers=()
  TIERD_REBUILD_BASE=1 # the derived bases must follow a new base
fi

# derive NAME CAS PACKAGES...: BASE plus Debian packages, committed as NAME (kept unless
# rebuilding). With CAS=host-cas, the CA certificates the build host added locally
# (/usr/local/share/ca-certificates) are trusted too, before the packages are installed, so that
# ca-certificates-java puts them into the JDK's cacerts: behind a TLS-inspecting proxy the build
# stage reaches Maven Central exactly as the host's own mvn does. Only the build-stage base gets
# them; the runtime image never sees them (it does not use the network).
derive() {
  local name=$1 cas=$2 c
  shift 2
  if [ "${TIERD_REBUILD_BASE:-0}" != 1 ] && has_image "$name"; then
    step "reusing $name"
    return
  fi
  step "make $name: $*"
  c=$(buildah from "$BASE")
  containers+=("$c")
  if [ "$cas" = host-cas ] && compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    buildah copy --quiet "$c" /usr/local/share/ca-certificates/ /usr/local/share/ca-certificates/ >/dev/null
  fi
  buildah run "$c" -- sh -ec "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $* >/dev/null
    apt-get clean
    rm -rf /var/lib/apt/lists/*"
  buildah commit --quiet --rm "$c" "$name" >/dev/null
  containers=()
}
derive "$JRE" no-cas openjdk-17-jre-headless
derive "$JDK" host-cas openjdk-17-jdk-headless maven

step "buildah bud -t $IMAGE (BUILD_IMAGE=$JDK, RUNTIME_IMAGE=$JRE)"
# The Maven repository of the build stage is a cache mount (RUN --mount=type=cache in the
# Dockerfile), so a rebuild does not download the dependencies again.
buildah bud --isolation chroot --layers --force-rm \
  --build-arg BUILD_IMAGE="$JDK" --build-arg RUNTIME_IMAGE="$JRE" \
  -t "$IMAGE" -f Dockerfile .

step "prove it: tierd version, and one dry-run cycle, in $IMAGE"
c=$(buildah from "$IMAGE")
containers+=("$c")
buildah run "$c" -- tierd version
buildah run "$c" -- tierd run --dry-run --cycles 1 --listen 127.0.0.1:0
size=$(buildah images --format '{{.Size}}' "$IMAGE" | head -1)
# vfs stores every layer as a full copy: each build leaves ~0.5-1 GB of untagged build-stage
# layers. They only speed up a rebuild of unchanged sources, so they go unless TIERD_KEEP_LAYERS=1.
if [ "${TIERD_KEEP_LAYERS:-0}" != 1 ]; then
  buildah rm "${containers[@]}" >/dev/null 2>&1 || true
  containers=()
  buildah rmi --prune >/dev/null 2>&1 || true
fi
step "done: $IMAGE ($size; buildah storage $(du -sh /var/lib/containers/storage 2>/dev/null | cut -f1))"
