#!/usr/bin/env bash
# Runs systemd/tierd.service under a real systemd (252, Debian 12) although systemd is not PID 1
# on this machine: the tierd image (packaging/build-image.sh) plus systemd is booted with
# systemd-nspawn (--register=no --keep-unit --private-network: no D-Bus and no machined needed),
# and the unit is checked from inside:
#   - Type=notify: the unit becomes active and STATUS= shows the daemon's per-cycle status;
#   - sandbox of the main process: bounding set = the 5 capabilities of the unit, NoNewPrivs,
#     a seccomp filter, and move_pages not refused by it (tierd's probe reports no EPERM);
#   - ProtectKernelTunables=yes with ReadWritePaths=: in the service's mount namespace /sys and
#     /proc/sys are read-only and /sys/kernel/mm/damon/admin is writable (checked with access(2),
#     nothing is written), and without the ReadWritePaths= line it is read-only;
#   - ExecReload: a valid config is applied, a broken one rejected (tierd_config_reloads_total);
#   - the watchdog (WatchdogSec lowered to 6s in a runtime drop-in): the daemon's pings keep it
#     alive across a 20 s interval, and a SIGSTOPped JVM is killed and restarted;
#   - SIGTERM (systemctl stop): exit status 0 within TimeoutStopSec;
#   - systemd-analyze security tierd (with a running manager) and the dedicated-user drop-in.
# The host's DAMON admin directory is bind-mounted into the container so the mount flags are the
# host's; the config limits heat sources to numa-maps-active, so nothing writes to it.
#
# Skipped unless TIERD_CHECK_BOOT=1 (it needs the image: 4-6 min cold, see docker.sh; the boot
# test itself takes about 1.5 min).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${TIERD_CHECK_BOOT:-0}" != 1 ]; then
  echo "systemd-boot.sh: SKIPPED: needs the container image (4-6 min cold build); run it with" \
    "TIERD_CHECK_BOOT=1 bash .ci/checks/systemd-boot.sh"
  exit 0
fi
t0=$(date +%s)
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
buildah() { command buildah --storage-driver vfs "$@"; }
command -v systemd-nspawn >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd-container
}
image=${TIERD_IMAGE:-localhost/tierd:ci}
buildah images --quiet "$image" >/dev/null 2>&1 || TIERD_IMAGE=$image packaging/build-image.sh

name=tierd-boot-$$
c=
nspawn=
cleanup() {
  if [ -n "$nspawn" ] && kill -0 "$nspawn" 2>/dev/null; then
    kill -TERM "$nspawn" 2>/dev/null || true
    sleep 2
    kill -KILL "$nspawn" 2>/dev/null || true
  fi
  if [ -n "$c" ]; then
    buildah umount "$c" >/dev/null 2>&1 || true
    buildah rm "$c" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  if [ "${TIERD_BOOT_KEEP:-0}" = 1 ]; then
    echo "keeping the container: nsenter -t $leader -a bash; kill $nspawn when done" >&2
    nspawn=
    c=
  fi
  [ -n "${E:-}" ] && $E journalctl -u tierd --no-pager -n 30 >&2 || true
  exit 1
}

c=$(buildah from --name "$name" "$image")
# /bin/kill (ExecReload) is procps's: minimal images lack it, real hosts have it.
buildah run "$c" -- sh -ec 'export DEBIAN_FRONTEND=noninteractive; apt-get update -qq
  apt-get install -y -qq --no-install-recommends systemd systemd-sysv procps curl >/dev/null
  apt-get clean; rm -rf /var/lib/apt/lists/*' 2>/dev/null
buildah copy --quiet "$c" systemd/tierd.service /etc/systemd/system/tierd.service >/dev/null
buildah copy --quiet "$c" systemd/dedicated-user.conf /root/dedicated-user.conf >/dev/null
buildah run "$c" -- sh -ec '
  ln -sf /etc/systemd/system/tierd.service /etc/systemd/system/multi-user.target.wants/tierd.service
  printf "interval: 2s\nlisten: 127.0.0.1:0\nheat:\n  sources: [numa-maps-active]\n" > /etc/tierd/tierd.yaml'
mnt=$(buildah mount "$c")
bind=()
[ -d /sys/kernel/mm/damon/admin ] && bind=(--bind=/sys/kernel/mm/damon/admin)
# Not --private-network: it makes nspawn mount a second, read-only sysfs over the DAMON bind.
# The host's network namespace is shared, so tierd listens on a free port (listen 127.0.0.1:0).
systemd-nspawn -D "$mnt" -b --register=no --keep-unit --console=pipe \
  --machine "$name" "${bind[@]}" >"/tmp/$name.log" 2>&1 &
nspawn=$!
leader=
for _ in $(seq 1 100); do
  # nspawn's first child is short-lived; the container's init is the child named systemd.
  for p in $(pgrep -P "$nspawn" || true); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] && leader=$p
  done
  [ -n "$leader" ] && break
  sleep 0.2
done
[ -n "$leader" ] || fail "systemd-nspawn did not start: $(cat "/tmp/$name.log")"
E="nsenter -t $leader -a"
for _ in $(seq 1 120); do
  state=$($E systemctl is-active tierd 2>/dev/null || true)
  [ "$state" = active ] && break
  sleep 0.5
done
[ "$state" = active ] || fail "tierd.service is $state"
t1=$(date +%s)
echo "ok: booted systemd $($E systemctl --version | head -1 | cut -d' ' -f2) in nspawn; tierd.service active (Type=notify) $((t1 - t0))s after start"
sleep 3
status=$($E systemctl show tierd -p StatusText --value)
[ -n "$status" ] || fail "no STATUS= from the daemon"
echo "ok: STATUS=\"$status\""

pid=$($E systemctl show tierd -p MainPID --value)
procstatus=$($E cat "/proc/$pid/status")
grep -q '^CapBnd:[[:space:]]*0000000000a80006$' <<<"$procstatus" \
  || fail "bounding set is not DAC_OVERRIDE+DAC_READ_SEARCH+SYS_PTRACE+SYS_ADMIN+SYS_NICE: $(grep CapBnd <<<"$procstatus")"
grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$procstatus" || fail "NoNewPrivs is not set"
grep -q '^Seccomp:[[:space:]]*2' <<<"$procstatus" || fail "no seccomp filter"
if $E journalctl -u tierd --no-pager -o cat | grep -qE 'EPERM|cannot load the native'; then
  fail "move_pages refused or JNA not loaded under the unit's sandbox"
fi
echo "ok: CapBnd=a80006, NoNewPrivs=1, seccomp on, move_pages allowed (no EPERM from the probe), JNA loaded"

f=/sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds
access() { # access PID PATH: writable|read-only in PID's mount namespace (access(2), no write)
  $E nsenter -t "$1" -m sh -c "test -w '$2' && echo writable || echo read-only"
}
[ "$(access "$pid" /proc/sys/vm/swappiness)" = read-only ] || fail "/proc/sys is writable"
[ "$(access "$pid" /etc/tierd/tierd.yaml)" = read-only ] || fail "/etc is writable"
[ "$(access "$pid" /run/tierd)" = writable ] || fail "/run/tierd is not writable"
if [ ${#bind[@]} -gt 0 ]; then
  [ "$(access "$pid" "$f")" = writable ] || fail "DAMON admin is not writable for the service: $(access "$pid" "$f"); $($E grep damon /proc/$pid/mountinfo)"
  $E sh -c 'mkdir -p /run/systemd/system/tierd.service.d
    printf "[Service]\nReadWritePaths=\n" > /run/systemd/system/tierd.service.d/norw.conf
    systemctl daemon-reload; systemctl restart tierd'
  sleep 2
  [ "$(access "$($E systemctl show tierd -p MainPID --value)" "$f")" = read-only ] \
    || fail "DAMON admin writable even without ReadWritePaths="
  $E sh -c 'rm -r /run/systemd/system/tierd.service.d; systemctl daemon-reload; systemctl restart tierd'
  sleep 2
  echo "ok: ProtectKernelTunables=yes: /proc/sys, /etc read-only; /sys/kernel/mm/damon/admin writable, and read-only without ReadWritePaths="
else
  echo "info: this kernel has no /sys/kernel/mm/damon/admin; ReadWritePaths part skipped"
fi

port() {
  $E journalctl -u tierd --no-pager -o cat | sed -nE 's#.*serving metrics on http://127\.0\.0\.1:([0-9]+)/.*#\1#p' | tail -1
}
metric() { $E curl -s "127.0.0.1:$(port)/metrics" | sed -nE "s/^tierd_config_reloads_total\{result=\"$1\",?\} ([0-9.]+)/\1/p"; }
$E sh -c 'printf "interval: 3s\nlisten: 127.0.0.1:0\nheat:\n  sources: [numa-maps-active]\n" > /etc/tierd/tierd.yaml; systemctl reload tierd'
sleep 2
$E sh -c 'printf "interval: banana\n" > /etc/tierd/tierd.yaml; systemctl reload tierd'
sleep 2
[ "$(metric ok)" = 1.0 ] && [ "$(metric rejected)" = 1.0 ] \
  || fail "reloads: ok=$(metric ok) rejected=$(metric rejected)"
$E systemctl is-active tierd >/dev/null || fail "a rejected reload stopped tierd"
echo "ok: systemctl reload: valid config applied, broken one rejected, tierd still active"

$E sh -c 'printf "interval: 20s\nlisten: 127.0.0.1:0\nheat:\n  sources: [numa-maps-active]\n" > /etc/tierd/tierd.yaml
  mkdir -p /run/systemd/system/tierd.service.d
  printf "[Service]\nWatchdogSec=6s\n" > /run/systemd/system/tierd.service.d/wd.conf
  systemctl daemon-reload; systemctl restart tierd'
sleep 20
[ "$($E systemctl show tierd -p NRestarts --value)" = 0 ] || fail "restarted although the loop is fine"
$E kill -STOP "$($E systemctl show tierd -p MainPID --value)"
for _ in $(seq 1 40); do
  [ "$($E systemctl show tierd -p NRestarts --value)" = 1 ] && break
  sleep 0.5
done
[ "$($E systemctl show tierd -p NRestarts --value)" = 1 ] || fail "the watchdog did not restart a stopped JVM"
$E journalctl -u tierd --no-pager -o cat | grep -q 'Watchdog timeout' || fail "no watchdog timeout logged"
echo "ok: watchdog: alive across a 20s interval with WatchdogSec=6s; a SIGSTOPped JVM was killed and restarted"
$E sh -c 'rm -r /run/systemd/system/tierd.service.d; systemctl daemon-reload; systemctl restart tierd'
sleep 2

s=$(date +%s%N)
$E systemctl stop tierd
ms=$((($(date +%s%N) - s) / 1000000))
[ "$($E systemctl show tierd -p ExecMainStatus --value)" = 0 ] \
  && [ "$($E systemctl show tierd -p Result --value)" = success ] || fail "stop did not exit 0"
echo "ok: systemctl stop: exit 0, Result=success in $ms ms"

echo "info: $($E systemd-analyze security tierd --no-pager 2>&1 | tail -1)"
$E sh -c 'mkdir -p /etc/systemd/system/tierd.service.d
  cp /root/dedicated-user.conf /etc/systemd/system/tierd.service.d/
  systemctl daemon-reload; systemctl start tierd'
sleep 3
pid=$($E systemctl show tierd -p MainPID --value)
uid=$($E awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
amb=$($E awk '/^CapAmb:/ { print $2 }' "/proc/$pid/status")
[ "$uid" != 0 ] && [ "$amb" = 0000000000a80006 ] || fail "dedicated user: uid=$uid CapAmb=$amb"
echo "ok: dedicated-user.conf: runs as uid $uid with CapAmb=$amb"
$E systemctl start poweroff.target --job-mode=replace-irreversibly --no-block || true
wait "$nspawn" 2>/dev/null || true
nspawn=
echo "systemd-boot.sh: passed in $(($(date +%s) - t0))s"
