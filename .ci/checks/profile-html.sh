#!/usr/bin/env bash
# The HTML report of `tierd profile --html` in a real headless browser (issue 18): profiles the
# captured 2-node guest tree (windows take no time on a fixture), opens the report in Debian's
# chromium over the DevTools pipe (html_in_chromium.py) and fails unless every chart decoded with a
# nonzero size, the page logged no console error and made no request, and it shows the one-line
# answer. Installs chromium (and the fonts the charts use) when missing. Needs target/tierd.jar.
# Keeps the screenshot in target/profile-report-ci.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
fail() { echo "profile-html.sh: FAIL: $*" >&2; exit 1; }
[ -f target/tierd.jar ] || fail "target/tierd.jar missing; run mvn -B verify first"
need=()
command -v chromium > /dev/null || need+=(chromium)
command -v python3 > /dev/null || need+=(python3)
dpkg -s fonts-dejavu-core > /dev/null 2>&1 || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /dev/null
fi
dir=$(mktemp -d /var/tmp/tierd-html.XXXXXX)
trap 'rm -rf "$dir"' EXIT
bin/tierd profile --root src/test/resources/fixtures/vm-2node --duration 1m \
  --html "$dir/report.html" > "$dir/out.txt" 2> "$dir/err.txt" \
  || fail "tierd profile exited $?: $(tail -5 "$dir/err.txt")"
grep -q '^your hot set is ' "$dir/out.txt" || fail "no one-line answer in the text report"
if grep -qE 'src="(https?:)?//|href="https?:' "$dir/report.html"; then
  fail "the report refers to something outside itself"
fi
timeout 180 python3 .ci/checks/html_in_chromium.py "$dir/report.html" --min-images 4 \
  --expect "your hot set is" --expect "Sizing curve" --expect "Idle age" \
  --screenshot target/profile-report-ci.png || fail "the report did not render cleanly in chromium"
echo "profile-html.sh: passed ($(wc -c < "$dir/report.html") bytes, screenshot target/profile-report-ci.png)"
