#!/usr/bin/env bash
# Runs the built daemon (target/tierd.jar, built by mvn -B verify before this) on this machine in
# dry-run, twice: as root and as an unprivileged user (uid/gid 65534 via setpriv), and for each:
#   - waits for /healthz to answer 200 and for two completed cycles;
#   - scrapes /metrics and runs `promtool check metrics` on it. promtool exits 0 when clean,
#     3 for lint problems only and 1 for a parse error. Policy: a parse error fails; tierd's own
#     families (tierd_*) must lint clean (exit 0, checked on their own); lint problems in the
#     JVM/process meters Micrometer adds (e.g. system_cpu_count, process_cpu_time_ns_total when
#     those binders are on) are listed but tolerated, because their names are Micrometer's;
#   - checks that /status is JSON and says dryRun=true and healthy=true;
#   - sends SIGTERM and requires exit status 0 within 10 seconds.
# The config limits heat sources to numa-maps-active (read-only), so the check never writes
# DAMON or idle-page state on the machine, and keeps runtime state (the instance lock) in a
# temporary directory.
# Installs promtool (prometheus), curl and jq with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

jar=target/tierd.jar
[ -f "$jar" ] || { echo "metrics.sh: $jar missing; run mvn -B verify (or package) first" >&2; exit 1; }
need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v curl >/dev/null || need+=(curl)
command -v jq >/dev/null || need+=(jq)
command -v setpriv >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Everything the daemon reads is copied into a world-readable directory, so the unprivileged run
# does not depend on where the checkout is (CI's clone may sit under a 0700 home directory).
tmp=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
chmod 0755 "$tmp"
install -m0755 bin/tierd "$tmp/tierd"
install -m0644 "$jar" "$tmp/tierd.jar"
# One runtime directory per run: each run takes the instance lock (tierd.lock) in it, and the
# root run's lock file is not writable by the unprivileged one.
config() { # config LABEL: a config file whose runtime directory is the label's own
  mkdir -m0777 "$tmp/run-$1"
  cat >"$tmp/$1.yaml" <<EOF
interval: 1s
runtimeDirectory: $tmp/run-$1
heat:
  sources: [numa-maps-active]
EOF
  chmod 0644 "$tmp/$1.yaml"
}

check_run() { # check_run LABEL [setpriv args...]
  local label=$1 log="$tmp/$1.log" port="" i code status
  shift
  config "$label"
  : >"$log"
  chmod 0666 "$log"
  local t0
  t0=$(date +%s%N)
  # setpriv execs the launcher, so $! is the JVM's pid in both cases.
  if [ $# -gt 0 ]; then
    setpriv "$@" env HOME=/nonexistent TIERD_JAR="$tmp/tierd.jar" \
      "$tmp/tierd" run --dry-run --config "$tmp/$label.yaml" --listen 127.0.0.1:0 >"$log" 2>&1 &
  else
    TIERD_JAR="$tmp/tierd.jar" \
      "$tmp/tierd" run --dry-run --config "$tmp/$label.yaml" --listen 127.0.0.1:0 >"$log" 2>&1 &
  fi
  pid=$!
  for i in $(seq 1 300); do
    port=$(sed -nE 's#.*serving metrics on http://127\.0\.0\.1:([0-9]+)/metrics.*#\1#p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "FAIL ($label): tierd did not start serving; its log:" >&2
    cat "$log" >&2
    return 1
  fi
  local base="http://127.0.0.1:$port"
  for i in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)
    [ "$code" = 200 ] && break
    sleep 0.1
  done
  [ "$code" = 200 ] || { echo "FAIL ($label): /healthz answered $code" >&2; cat "$log" >&2; return 1; }
  echo "ok ($label): /healthz 200 after $((($(date +%s%N) - t0) / 1000000)) ms (uid $(stat -c %u /proc/$pid))"
  for i in $(seq 1 100); do
    curl -sf "$base/metrics" >"$tmp/$label.prom"
    n=$(sed -nE 's/^tierd_cycles_total\{result="ok",?\} ([0-9.E]+)$/\1/p' "$tmp/$label.prom")
    awk -v n="${n:-0}" 'BEGIN { exit !(n >= 2) }' && break
    sleep 0.2
  done

  status=0
  promtool check metrics <"$tmp/$label.prom" >"$tmp/lint.txt" 2>&1 || status=$?
  case $status in
    0) echo "ok ($label): promtool check metrics: clean ($(grep -c '^# TYPE' "$tmp/$label.prom") families)" ;;
    3)
      echo "info ($label): promtool lint problems outside tierd_* (tolerated, Micrometer's names):"
      sed 's/^/  /' "$tmp/lint.txt"
      ;;
    *)
      echo "FAIL ($label): promtool check metrics exited $status (parse error):" >&2
      cat "$tmp/lint.txt" >&2
      return 1
      ;;
  esac
  if ! awk '/^# (HELP|TYPE) tierd_/ || /^tierd_/' "$tmp/$label.prom" | promtool check metrics >"$tmp/lint.txt" 2>&1; then
    echo "FAIL ($label): tierd's own metrics do not lint clean:" >&2
    cat "$tmp/lint.txt" >&2
    return 1
  fi
  echo "ok ($label): tierd_* families lint clean ($(grep -c '^# TYPE tierd_' "$tmp/$label.prom") families)"

  curl -sf "$base/status" >"$tmp/status.json"
  if ! jq -e '.dryRun == true and .healthy == true and (.version | type == "string")' "$tmp/status.json" >/dev/null; then
    echo "FAIL ($label): /status is not the expected JSON:" >&2
    cat "$tmp/status.json" >&2
    return 1
  fi
  echo "ok ($label): /status is JSON: $(jq -c '{version, dryRun, dryRunReason, healthy, cycle: .lastCycle.number}' "$tmp/status.json")"

  local t1 rc=0
  t1=$(date +%s%N)
  kill -TERM "$pid"
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "FAIL ($label): still running 10 s after SIGTERM" >&2
    return 1
  fi
  wait "$pid" || rc=$?
  pid=
  local ms=$((($(date +%s%N) - t1) / 1000000))
  if [ "$rc" != 0 ]; then
    echo "FAIL ($label): exit status $rc after SIGTERM; log:" >&2
    cat "$log" >&2
    return 1
  fi
  grep -q 'tierd stopped' "$log" || { echo "FAIL ($label): no 'tierd stopped' in the log" >&2; return 1; }
  echo "ok ($label): SIGTERM -> exit 0 in $ms ms"
  grep -E ' (WARN|ERROR) ' "$log" | sed "s/^/info ($label) log: /" || true
}

check_run root
check_run unprivileged --reuid=65534 --regid=65534 --clear-groups
echo "metrics.sh: passed"
