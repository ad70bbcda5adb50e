#!/usr/bin/env bash
# Checks monitoring/ with promtool (Debian package `prometheus`, installed when missing):
#   1. promtool check rules monitoring/tierd-alerts.yml      (syntax, PromQL, templates)
#   2. promtool test rules monitoring/tierd-alerts.test.yml  (alerts fire when, and only when, meant)
#   3. every PromQL query of monitoring/grafana-dashboard.json parses: the queries, with Grafana's
#      variables replaced by sample values, are checked as recording rules by promtool.
# That the rules and the dashboard name only metrics tierd exports is checked by the JUnit test
# tierd.packaging.MonitoringNamesTest (it compares them with a real scrape).
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v jq >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  # --no-install-recommends: promtool only, not the server's recommended exporters.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

promtool check rules monitoring/tierd-alerts.yml
promtool test rules monitoring/tierd-alerts.test.yml

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dash=monitoring/grafana-dashboard.json
jq -e '.uid and .title and (.panels | length > 0)' "$dash" >/dev/null
dups=$(jq -r '[.panels[].id] | group_by(.) | map(select(length > 1) | .[0]) | .[]' "$dash")
if [ -n "$dups" ]; then
  echo "FAIL: $dash has duplicate panel ids: $dups" >&2
  exit 1
fi
{
  echo "groups:"
  echo "  - name: grafana-dashboard-queries"
  echo "    rules:"
  jq -r '
    [.panels[] | select(.targets) | . as $p | .targets[] | {title: $p.title, expr}]
    + [.annotations.list[] | select(.expr) | {title: .name, expr}]
    | to_entries[]
    | "      - record: dashboard:query_\(.key)\n        expr: \(.value.expr
        | gsub("\\$__rate_interval"; "5m") | gsub("\\$__range"; "1h")
        | gsub("\\$instance"; ".*") | gsub("\\$job"; "tierd") | tojson)"' "$dash"
} >"$tmp/dashboard-queries.yml"
n=$(grep -c 'record:' "$tmp/dashboard-queries.yml")
if ! promtool check rules "$tmp/dashboard-queries.yml" >"$tmp/out" 2>&1; then
  cat "$tmp/out" >&2
  echo "FAIL: a PromQL query of $dash does not parse (see above)" >&2
  exit 1
fi
echo "ok: all $n PromQL queries of $dash parse"
echo "rules.sh: passed"
