# shellcheck shell=bash
# Guest-side helpers for the VM scenarios (sourced by scenarios/<boot>.sh inside the guest; bash and
# the host's tools through the read-only root; mawk-compatible awk only).
#
# Every scenario asserts on placement read from the KERNEL: the workload's own move_pages(nodes=NULL)
# reports (one JSON line every --report-interval, on SIGUSR1 and at exit), never on tierd's reports.
# tierd's own figures (/metrics, /status, its log) only feed the tables.
#
# Files in $RES (the results share):
#   checks.txt       one line per assertion: "PASS|FAIL <scenario>: <what> (expected ..., saw ...)"
#   tables.txt       the per-scenario placement tables and tierd figures the host runner prints
#   <wl>.jsonl       workload reports;  <wl>.rows  the same as rows (see wl_rows)
#   <wl>.out/.rc     workload stdout/stderr and exit status
#   tierd-<n>.log    tierd's log; tierd-<n>.metrics / .status: last scrape
#   env.txt          guest facts recorded at start (kernel, numa_balancing, demotion_enabled, tiers)

RES=${TIERD_VM_RESULTS:?not in a tierd VM}
LAYOUT=${TIERD_VM_LAYOUT:?not in a tierd VM}
SCN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCN_DIR/../../../.." && pwd)
WL=${TIERD_WORKLOAD:-$REPO/target/vm/tierd-workload}
DAMON=/sys/kernel/mm/damon/admin/kdamonds
T0=$SECONDS

log() { printf '[scn %4ds] %s\n' $((SECONDS - T0)) "$*"; }

# --- assertions ----------------------------------------------------------------------------------
# pass|fail SCENARIO TEXT
pass() { printf 'PASS %s: %s\n' "$1" "$2" | tee -a "$RES/checks.txt"; }
fail() { printf 'FAIL %s: %s\n' "$1" "$2" | tee -a "$RES/checks.txt"; }
# verdict SCENARIO TEXT CMD...: PASS when CMD succeeds
verdict() {
    local s=$1 t=$2
    shift 2
    if "$@"; then pass "$s" "$t"; else fail "$s" "$t"; fi
}
table() { printf '%s\n' "$*" >> "$RES/tables.txt"; }

# Facts that decide whether a result means anything: recorded once per boot.
record_env() {
    sysctl -w kernel.numa_balancing=0 > /dev/null
    {
        echo "layout=$LAYOUT kernel=$(uname -r)"
        echo "kernel.numa_balancing=$(cat /proc/sys/kernel/numa_balancing) (set to 0 so only tierd moves pages)"
        echo "demotion_enabled=$(cat /sys/kernel/mm/numa/demotion_enabled 2>/dev/null || echo n/a)"
        for t in /sys/devices/virtual/memory_tiering/memory_tier*; do
            echo "$(basename "$t") nodes=$(cat "$t/nodelist")"
        done
        for n in /sys/devices/system/node/node[0-9]*; do
            echo "$(basename "$n") cpus=$(cat "$n/cpulist") $(awk '/MemTotal|MemFree/ { printf "%s=%dMiB ", $3, $4 / 1024 }' "$n/meminfo")"
        done
        echo "nr_kdamonds=$(cat $DAMON/nr_kdamonds)"
    } > "$RES/env.txt"
    sed 's/^/  /' "$RES/env.txt"
    [[ $(cat /proc/sys/kernel/numa_balancing) == 0 ]] || fail "setup" "kernel.numa_balancing is not 0"
}

# --- workload ------------------------------------------------------------------------------------
# wl_start ID [--cgroup DIR] [--comm NAME] [--cpus LIST] [WORKLOAD OPTIONS...]: starts tierd-workload
# with reports every 2 s into $RES/ID.jsonl and waits until its buffers are in place. --cgroup runs
# it inside a cgroup v2 directory from its first instruction (so every page is allocated there);
# --comm runs a copy of the binary under another name (a process tierd does not manage); --cpus
# pins it to those CPUs from its first instruction (taskset -c).
wl_start() {
    local id=$1 cg='' bin=$WL pin=()
    shift
    while (($#)); do
        case $1 in
            --cgroup) cg=$2; shift 2 ;;
            --comm) bin=/run/$2; cp "$WL" "$bin"; shift 2 ;;
            --cpus) pin=(taskset -c "$2"); shift 2 ;;
            *) break ;;
        esac
    done
    rm -f "$RES/$id.jsonl" "/run/$id.pid"
    local cmd=("${pin[@]}" "$bin" --report "$RES/$id.jsonl" --report-interval 2 --pidfile "/run/$id.pid" "$@")
    if [[ -n $cg ]]; then
        sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$cg" "${cmd[@]}" > "$RES/$id.out" 2>&1 &
    else
        "${cmd[@]}" > "$RES/$id.out" 2>&1 &
    fi
    echo $! > "/run/$id.shpid"
    local i
    for ((i = 0; i < 600; i++)); do
        [[ -s /run/$id.pid ]] && break
        kill -0 "$(cat "/run/$id.shpid")" 2> /dev/null || break
        sleep 0.1
    done
    if [[ ! -s /run/$id.pid ]]; then
        cat "$RES/$id.out"
        fail "setup" "workload $id did not start"
        return 1
    fi
    cp "/run/$id.pid" "/run/$id.wpid" # the workload removes its pidfile at exit
    log "workload $id pid $(cat "/run/$id.pid"): $*"
}
wl_pid() { cat "/run/$1.wpid"; }
# wl_stop ID: SIGTERM, wait, keep the exit status in $RES/ID.rc (3 = a checksum changed).
wl_stop() {
    local id=$1 pid rc=0
    pid=$(cat "/run/$id.shpid")
    kill -TERM "$(wl_pid "$id")" 2> /dev/null
    wait "$pid" || rc=$?
    echo "$rc" > "$RES/$id.rc"
    wl_rows "$RES/$id.jsonl" > "$RES/$id.rows"
}

# wl_rows FILE: one row per buffer per report:
#   seq event uptime_ms name pages n0 n1 n2 n3 not_present checksum_ok
# (nN = pages on node N from move_pages; checksum_ok true|false|null). A buffer whose report has a
# "hot_set" (hot-half buffers: the written half) gets two more rows, NAME/hot_set and NAME/rest (the
# buffer minus its hot set), with not_present and checksum_ok "null".
wl_rows() {
    awk '
    function num(s, key,    i, r) {
        i = index(s, "\"" key "\":")
        if (i == 0) return ""
        r = substr(s, i + length(key) + 3)
        sub(/[,}\]].*/, "", r)
        gsub(/"/, "", r)
        return r
    }
    {
        head = $0; sub(/"buffers":.*/, "", head)
        ev = num(head, "event"); seq = num(head, "seq"); up = num(head, "uptime_ms")
        n = split($0, parts, /[{]"name":"/)
        for (i = 2; i <= n; i++) {
            c = parts[i]
            name = substr(c, 1, index(c, "\"") - 1)
            for (k = 0; k < 4; k++) node[k] = 0
            if (match(c, /"pages_per_node":[{][^}]*[}]/)) {
                m = substr(c, RSTART + 18, RLENGTH - 18)
                gsub(/[{}"]/, "", m)
                cnt = split(m, kv, ",")
                for (j = 1; j <= cnt; j++) {
                    split(kv[j], p, ":")
                    if (p[1] != "") node[p[1] + 0] = p[2] + 0
                }
            }
            print seq, ev, up, name, num(c, "pages"), node[0], node[1], node[2], node[3], \
                num(c, "pages_not_present"), num(c, "checksum_ok")
            h = index(c, "\"hot_set\":")
            if (h) {
                hs = substr(c, h)
                for (k = 0; k < 4; k++) hn[k] = 0
                if (match(hs, /"pages_per_node":[{][^}]*[}]/)) {
                    m = substr(hs, RSTART + 18, RLENGTH - 18)
                    gsub(/[{}"]/, "", m)
                    cnt = split(m, kv, ",")
                    for (j = 1; j <= cnt; j++) {
                        split(kv[j], p, ":")
                        if (p[1] != "") hn[p[1] + 0] = p[2] + 0
                    }
                }
                hp = num(hs, "pages")
                print seq, ev, up, name "/hot_set", hp, hn[0], hn[1], hn[2], hn[3], "null", "null"
                print seq, ev, up, name "/rest", num(c, "pages") - hp, node[0] - hn[0], node[1] - hn[1], \
                    node[2] - hn[2], node[3] - hn[3], "null", "null"
            }
        }
    }' "$1"
}

# wl_last ID NAME: the newest row of buffer NAME (fresh from the report file).
wl_last() { wl_rows "$RES/$1.jsonl" | awk -v b="$2" '$4 == b { r = $0 } END { print r }'; }
wl_first() { wl_rows "$RES/$1.jsonl" | awk -v b="$2" '$4 == b { print; exit }'; }

# pct ROW NODES: percent of the buffer's pages on the nodes NODES (comma separated), one decimal.
pct() { awk -v nodes="$2" '{ s = 0; k = split(nodes, a, ","); for (i = 1; i <= k; i++) s += $(6 + a[i]); printf "%.1f", $5 ? 100 * s / $5 : 0 }' <<< "$1"; }
# ge A B: A >= B for decimals
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# rows_violating ID NAME AWK-CONDITION: rows of NAME where the condition (on n0..n3 = $6..$9,
# pages $5) holds, as "seq event uptime n0/n1/n2"; empty when none.
rows_violating() {
    awk -v b="$2" "\$4 == b && ($3) { printf \"seq %s (%s, %.0f s): n0=%s n1=%s n2=%s\\n\", \$1, \$2, \$3 / 1000, \$6, \$7, \$8 }" "$RES/$1.rows"
}

# placement_row LABEL FIRST_ROW LAST_ROW FASTNODES: one table line.
placement_row() {
    local label=$1 a=$2 b=$3 fast=$4
    awk -v l="$label" -v fa="$(pct "$a" "$fast")" -v fb="$(pct "$b" "$fast")" -v a="$a" -v b="$b" 'BEGIN {
        split(a, x, " "); split(b, y, " ")
        printf "  %-22s %6d | %7d %7d %7d %6.1f%% | %7d %7d %7d %6.1f%%\n", l, x[5], x[6], x[7], x[8], fa, y[6], y[7], y[8], fb }'
}
placement_header() {
    table "  $(printf '%-22s %6s | %7s %7s %7s %7s | %7s %7s %7s %7s' buffer pages 'n0' 'n1' 'n2' 'fast%' 'n0' 'n1' 'n2' 'fast%')"
    table "  $(printf '%-22s %6s | %-31s | %-31s' '' '' '   before (pages per node)' '   after (pages per node)')"
}
# buffer_table ID FASTNODES NAME...: placement before/after for each buffer of workload ID.
buffer_table() {
    local id=$1 fast=$2 b
    shift 2
    for b in "$@"; do
        table "$(placement_row "$id/$b" "$(awk -v b="$b" '$4 == b { print; exit }' "$RES/$id.rows")" \
            "$(awk -v b="$b" '$4 == b { r = $0 } END { print r }' "$RES/$id.rows")" "$fast")"
    done
}

# --- tierd ---------------------------------------------------------------------------------------
TIERD_PORT=9464
# tierd_start N CONFIG [ARGS...]: bin/tierd run in the background, log in $RES/tierd-N.log. Debug
# logging for TieringCycle gives one "move PID FROM -> TO: tally" line per move request.
tierd_start() {
    local n=$1 cfg=$2
    shift 2
    JAVA_OPTS="-Dlogback.configurationFile=$SCN_DIR/logback-vm.xml ${TIERD_JAVA_OPTS:-}" \
        "$REPO/bin/tierd" run --config "$cfg" --listen "127.0.0.1:$TIERD_PORT" "$@" \
        > "$RES/tierd-$n.log" 2>&1 &
    echo $! > "/run/tierd-$n.pid"
    log "tierd #$n started (pid $!, config $(basename "$cfg") $*)"
}
tierd_pid() { cat "/run/tierd-$1.pid"; }
# tierd_cycles N: number of the last completed cycle in tierd N's log (0 before the first).
tierd_cycles() { sed -n 's/.* Daemon: cycle \([0-9]*\) .*/\1/p' "$RES/tierd-$1.log" | tail -1 | grep . || echo 0; }
# tierd_wait_cycle N CYCLE TIMEOUT_S: waits until tierd N completed CYCLE cycles.
tierd_wait_cycle() {
    local n=$1 c=$2 end=$((SECONDS + $3))
    while ((SECONDS < end)); do
        (($(tierd_cycles "$n") >= c)) && return 0
        kill -0 "$(tierd_pid "$n")" 2> /dev/null || { log "tierd #$n exited"; return 1; }
        sleep 0.5
    done
    return 1
}
http_get() {
    if command -v curl > /dev/null; then
        curl -fsS --max-time 20 "$1"
    elif command -v wget > /dev/null; then
        wget -q -T 20 -O - "$1"
    else
        busybox wget -q -T 20 -O - "$1"
    fi
}
# tierd_scrape N: keeps /metrics and /status in $RES/tierd-N.{metrics,status}.
tierd_scrape() {
    http_get "http://127.0.0.1:$TIERD_PORT/metrics" > "$RES/tierd-$1.metrics" 2> /dev/null || log "tierd #$1: /metrics failed"
    http_get "http://127.0.0.1:$TIERD_PORT/status" > "$RES/tierd-$1.status" 2> /dev/null || log "tierd #$1: /status failed"
}
# tierd_stop N [SIGNAL]: signals tierd and waits for it (default TERM); returns its exit status.
tierd_stop() {
    local n=$1 sig=${2:-TERM} pid rc=0
    pid=$(tierd_pid "$n")
    kill -"$sig" "$pid" 2> /dev/null
    wait "$pid" || rc=$?
    log "tierd #$n stopped by SIG$sig: exit $rc"
    return $rc
}
# tierd_figures N: one table line from tierd N's last /metrics scrape and log.
tierd_figures() {
    local n=$1 m=$RES/tierd-$1.metrics
    awk '
    /^tierd_migrated_pages_total[{]/ { d = $0; sub(/.*direction="/, "", d); sub(/".*/, "", d); moved[d] += $NF }
    /^tierd_move_failures_total[{]/ { e = $0; sub(/.*errno="/, "", e); sub(/".*/, "", e); if ($NF > 0) fails = fails sprintf("%s%s=%d", fails == "" ? "" : " ", e, $NF) }
    /^tierd_cycle_duration_seconds_count/ { cnt = $NF } /^tierd_cycle_duration_seconds_sum/ { sum = $NF }
    /^tierd_cycle_duration_seconds_max/ { max = $NF }
    /^tierd_dry_run_bytes_total[{]/ { d = $0; sub(/.*direction="/, "", d); sub(/".*/, "", d); dry[d] += $NF }
    END {
        printf "pages moved: promote %d, demote %d; failures by errno: %s; cycles %d, cycle time mean %.2f s (max of last window %.2f s)", \
            moved["promote"], moved["demote"], fails == "" ? "none" : fails, cnt, cnt ? sum / cnt : 0, max
        if (dry["promote"] + dry["demote"] > 0) printf "; dry-run would move: promote %.1f MiB, demote %.1f MiB", dry["promote"] / 1048576, dry["demote"] / 1048576
    }' "$m" 2> /dev/null
    awk '/ Daemon: cycle [0-9]+ / { t = $0; sub(/.* in /, "", t); sub(/ms.*/, "", t); if (t + 0 > mx) mx = t + 0 } END { if (mx) printf "; longest cycle in log %.1f s", mx / 1000 }' "$RES/tierd-$n.log"
}
# tierd_moves_of N PID: pages tierd's log says it moved for PID, as "from->to=pages ...".
tierd_moves_of() {
    awk -v pid="$2" '$0 ~ (" TieringCycle: move " pid " ") {
        k = $0; sub(/.* move [0-9]+ /, "", k); sub(/:.*/, "", k); gsub(/ /, "", k)
        v = $0; if (match(v, /MOVED=[0-9]+/)) moved[k] += substr(v, RSTART + 6, RLENGTH - 6) }
        END { for (k in moved) printf "%s%s=%d", (o++ ? " " : ""), k, moved[k]; if (!o) printf "none" }' "$RES/tierd-$1.log"
}

# --- DAMON ---------------------------------------------------------------------------------------
# damon_read FILE: a DAMON sysfs file, retried: DAMON's sysfs answers EBUSY while another writer
# (tierd's per-cycle update_schemes_tried_regions, up to one aggregation interval) holds its lock.
damon_read() {
    local i v
    for ((i = 0; i < 60; i++)); do
        v=$(cat "$1" 2> /dev/null) && { echo "$v"; return 0; }
        [[ -e $1 ]] || break
        sleep 0.25
    done
    echo none
    return 1
}
nr_kdamonds() { damon_read "$DAMON/nr_kdamonds"; }
# kdamond threads running (kernel threads named kdamond.N)
kdamond_threads() { grep -l '^kdamond' /proc/[0-9]*/comm 2> /dev/null | wc -l; }

# --- memory --------------------------------------------------------------------------------------
node_free_kb() { awk '/MemFree/ { print $4 }' "/sys/devices/system/node/node$1/meminfo"; }
# high watermark of node N in kB (sum over its zones, from /proc/zoneinfo)
node_high_kb() {
    awk -v n="$1" '/^Node/ { on = ($2 == n ",") } on && $1 == "high" { s += $2 } END { print s * 4 }' /proc/zoneinfo
}
node_low_kb() {
    awk -v n="$1" '/^Node/ { on = ($2 == n ",") } on && $1 == "low" { s += $2 } END { print s * 4 }' /proc/zoneinfo
}

# wl_snapshot ID: asks the workload for a report now (SIGUSR1) and prints its seq once written.
wl_snapshot() {
    local id=$1 before after i
    before=$(grep -c . "$RES/$id.jsonl")
    kill -USR1 "$(wl_pid "$id")"
    for ((i = 0; i < 100; i++)); do
        after=$(grep -c . "$RES/$id.jsonl")
        ((after > before)) && break
        sleep 0.1
    done
    grep '"event":"signal"' "$RES/$id.jsonl" | tail -1 | sed 's/.*"seq":\([0-9]*\).*/\1/'
}
# wl_row_at ID NAME SEQ: the row of buffer NAME in report SEQ (from $RES/ID.rows).
wl_row_at() { awk -v b="$2" -v s="$3" '$4 == b && $1 == s { print; exit }' "$RES/$1.rows"; }

# wl_vma ID NAME: the buffer's VMA as "start_hex end_hex" (from its start report).
wl_vma() {
    head -1 "$RES/$1.jsonl" | awk -v b="$2" '{
        n = split($0, parts, /[{]"name":"/)
        for (i = 2; i <= n; i++) if (substr(parts[i], 1, length(b) + 1) == b "\"") {
            c = parts[i]; match(c, /"start_hex":"[0-9a-f]*"/); s = substr(c, RSTART + 13, RLENGTH - 14)
            match(c, /"end_hex":"[0-9a-f]*"/); e = substr(c, RSTART + 11, RLENGTH - 12); print s, e }
    }'
}
# dry_run_planned LOG PID DIRECTION NAME ID: whether a "dry-run plan: move DIRECTION pid PID a-b ..."
# line has a range overlapping buffer NAME of workload ID (hex of equal length compares as text).
dry_run_planned() {
    local vma
    vma=$(wl_vma "$5" "$4")
    awk -v pid="$2" -v dir="$3" -v s="${vma% *}" -v e="${vma#* }" '
        function pad(x) { return sprintf("%016s", x) }
        BEGIN { head = "dry-run plan: move " dir " pid " pid " " }
        (at = index($0, head)) {
            # the ranges follow the first "pid PID " (a reason may name the pid again later)
            r = substr($0, at + length(head)); sub(/ .*/, "", r)
            k = split(r, rs, ",")
            for (i = 1; i <= k; i++) { split(rs[i], ab, "-"); if (pad(ab[1]) < pad(e) && pad(ab[2]) > pad(s)) found = 1 }
        }
        END { exit !found }' "$1"
}
