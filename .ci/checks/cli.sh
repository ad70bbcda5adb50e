#!/usr/bin/env bash
# The README's first command, on this machine, as root and as an unprivileged user (uid 65534):
# `tierd topology` and `tierd scan --all` read the real /proc and /sys; processes the user may not
# read are skipped and counted, never fatal. Also `tierd plan --explain` over the captured 3-node
# guest tree, and two expected errors as one line each. Needs target/tierd.jar (mvn -B verify
# builds it).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/tierd.jar ] || { echo "cli.sh: target/tierd.jar missing; run mvn -B verify first" >&2; exit 1; }

# The unprivileged user must be able to read the jar and the launcher: copy them out of /work.
dir=$(mktemp -d /var/tmp/tierd-cli.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/target"
cp bin/tierd "$dir/bin/" && cp target/tierd.jar "$dir/target/"
chmod -R a+rX "$dir"

fail() { echo "cli.sh: FAIL: $*" >&2; exit 1; }
for who in root nobody; do
  if [ $who = root ]; then run=(); else run=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
  out=$("${run[@]}" "$dir/bin/tierd" topology) || fail "topology as $who exited $?"
  grep -q '^NODE ' <<<"$out" || fail "topology as $who printed no node table"
  out=$("${run[@]}" "$dir/bin/tierd" scan --all) || fail "scan as $who exited $?"
  line=$(grep '^Processes:' <<<"$out") || fail "scan as $who printed no summary"
  echo "scan as $who: $line"
  if [ $who = nobody ]; then
    # Other users' processes are counted as 'not permitted', and the scan still succeeds.
    denied=$(sed -E 's/.* ([0-9]+) not permitted.*/\1/' <<<"$line")
    [ "$denied" -gt 0 ] || fail "an unprivileged scan should count processes it may not read"
  fi
done
# Expected errors are one line, "tierd: <what> (<the fix>)", with no stack trace (issue 14; the
# JUnit test tierd.cli.CliErrorsTest runs every error path). Here the first one a new user meets:
# `tierd run` as an unprivileged user cannot use /run/tierd.
one_line() { # one_line EXPECTED_EXIT PATTERN -- COMMAND...: exits as expected, one matching line
  local want=$1 pattern=$2 rc=0
  shift 3
  out=$("$@" 2>&1) || rc=$?
  [ "$rc" = "$want" ] || fail "$* exited $rc, not $want: $out"
  [ "$(wc -l <<<"$out")" = 1 ] || fail "$* printed more than one line: $out"
  grep -qE "^tierd: $pattern.* \(.+\)$" <<<"$out" || fail "$* printed: $out"
  echo "one line: $*: $out"
}
one_line 1 '.*/run/tierd.*: permission denied' -- \
  setpriv --reuid=65534 --regid=65534 --clear-groups "$dir/bin/tierd" run --dry-run
one_line 1 'no daemon answers on 127.0.0.1:1: connection refused' -- "$dir/bin/tierd" status --listen 127.0.0.1:1
out=$(bin/tierd plan --explain --root src/test/resources/fixtures/vm-3node 2>/dev/null) \
  || fail "plan over the 3-node fixture exited $?"
grep -q 'move promote pid 4242 .* node 2 → 1' <<<"$out" || fail "plan over the 3-node fixture: no promotion 2 → 1"
echo "cli.sh: passed"
