#!/usr/bin/env bash
# Placement quality against the alternatives, in ONE boot of the 2node VM (src/test/vm, qemu TCG):
# one scenario under several tiering setups, --runs times each, interleaved (run 1 of every
# variant, then run 2, ...), so every variant sees the same guest and the same host window.
# tierd runs with its SHIPPED defaults: `bin/tierd run` with no config file.
#
#   scenarios (bench/guest/placement.sh has the details)
#     zipf        a 512 MiB Zipf(1.0) buffer on the slow node whose hottest 64 MiB is the hot set;
#                 a cold filler leaves 32 MiB free on the fast node
#     nopressure  a 32 MiB hot buffer on the slow node; the fast node has room
#     pressure    the fast node full of cold data (the workload's own 64 MiB cold buffer and
#                 another process's filler, 32 MiB left free); a 64 MiB hot buffer on the slow
#                 node; three 4 MiB hot buffers bound by policy (bind:1, preferred-many:1,
#                 interleave:0-1) that must stay put
#     tenants     issue 17: a "latency" tenant (cgroup, fastMin 100%, priority 10) whose 48 MiB hot
#                 buffer starts on the slow node, and a "batch" tenant (fastMax 96MiB) whose 160 MiB
#                 hot buffer fills the fast node (hugetlb pages leave 16 MiB above its high
#                 watermark); tierd runs its shipped defaults plus only the classes of
#                 src/test/vm/scenarios/tenants.yaml
#   variants  none | kernel (numa_balancing=2 + demotion) | damon (DAMOS migrate_hot/cold on paddr,
#             the mtier sample's goals) | damon-scaled (the same, goals scaled to the node) | tierd
#             | tierd-NAME (tierd with bench/kv-NAME.yaml, a candidate config beside the defaults)
#             | tierd@NAME (the defaults run from target/bench-jars/NAME.jar: another build)
#
#   bench/placement-vm.sh [--scenario S] [--runs N] [--duration S] [--interval S] [--zipf-mib N]
#                         [--hot-mib N] [--zipf-s S] [--reserve-mib N] [--fast-mem SIZE]
#                         [--slow-mem SIZE] [--variants "..."]
#   defaults: --scenario zipf --runs 3, 150 s per run (90 s for nopressure/pressure, 120 s for
#             tenants), a sample every 3 s (2 s), --hot-mib 64 (32 for nopressure, 48 for tenants),
#             --reserve-mib 32 (16 for tenants), node 0 512M, node 1 1536M,
#             variants "kernel damon-scaled tierd"
#
# Prints, per variant, the medians and spreads (min-max) over the runs: time to 90 % and 95 % of
# the hot set on the fast node, the share at the end, MiB migrated (pgmigrate_success), promoted
# and demoted MiB, MiB demoted beyond what the promotions needed (demoted - (promoted - room above
# node 0's high watermark)), policy violations and checksums (pressure), tierd's longest move
# stage and longest gap between two cycles (over the whole run, and from the moment the workload
# was in place), the least room node 0 had above its high watermark (sampled every 0.5 s) and the
# room at the end (the median of the last 10 samples), what kswapd scanned (the kernel had to
# reclaim by itself), and the workload's accesses per second.
# Needs root (qemu); SKIP_BUILD=1 skips mvn. Waits for a free qemu slot (at most 2 on this host).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
scenario=zipf runs=3 duration='' interval='' zipf_mib=512 hot_mib='' zipf_s=1.0 reserve=''
fast=512M slow=1536M variants="kernel damon-scaled tierd"
while (($#)); do
    case $1 in
        --scenario) scenario=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --zipf-mib) zipf_mib=$2; shift 2 ;;
        --hot-mib) hot_mib=$2; shift 2 ;;
        --zipf-s) zipf_s=$2; shift 2 ;;
        --reserve-mib) reserve=$2; shift 2 ;;
        --fast-mem) fast=$2; shift 2 ;;
        --slow-mem) slow=$2; shift 2 ;;
        --variants) variants=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
case $scenario in
    zipf) : "${duration:=150}" "${interval:=3}" "${hot_mib:=64}" "${reserve:=32}" ;;
    nopressure) : "${duration:=90}" "${interval:=2}" "${hot_mib:=32}" "${reserve:=32}" ;;
    pressure) : "${duration:=90}" "${interval:=2}" "${hot_mib:=64}" "${reserve:=32}" ;;
    tenants) : "${duration:=120}" "${interval:=2}" "${hot_mib:=48}" "${reserve:=16}" ;;
    *) bench_die "--scenario wants zipf, nopressure, pressure or tenants" ;;
esac
# what the SAMPLE rows' two shares are, per scenario
case $scenario in
    zipf) hot_label="hot set" other_label="Zipf buffer" ;;
    pressure) hot_label="hot set" other_label="cold buffer" ;;
    tenants) hot_label="latency (floor 100 %)" other_label="batch's hot buffer (ceiling 96 MiB = 60 %)" ;;
    *) hot_label="hot set" other_label='' ;;
esac
[[ $runs =~ ^[1-9][0-9]*$ ]] || bench_die "--runs wants a positive number"
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/placement-vm-$scenario}
rm -rf "$OUT"
mkdir -p "$OUT/res"
bench_build_vm
nvar=$(wc -w <<< "$variants")
wait_vm_slot
minutes=$((runs * nvar * (duration + 45) / 60 + 1))
bench_log "booting the 2node VM, node 0 $fast, node 1 $slow: $scenario, $runs run(s) of $variants (log: $OUT/guest.log; ~$minutes min)"
"$BENCH_REPO/src/test/vm/boot.sh" --layout 2node --fast-mem "$fast" --slow-mem "$slow" \
    --timeout $((runs * nvar * (duration + 150) + 300)) --results "$OUT/res" -q -- \
    bash "$BENCH_REPO/bench/guest/placement.sh" "$BENCH_REPO" "$scenario" "$duration" "$interval" \
    "$runs" "$zipf_mib" "$hot_mib" "$zipf_s" "$reserve" "$variants" \
    > "$OUT/guest.log" 2> "$OUT/boot.err" || bench_die "the VM run failed: $(tail -n 5 "$OUT/boot.err" "$OUT/guest.log")"
grep -q '^SAMPLE ' "$OUT/guest.log" || bench_die "no samples in $OUT/guest.log"
grep '^SAMPLE ' "$OUT/guest.log" | cut -d' ' -f2- > "$OUT/series.txt"

echo
echo "placement, scenario $scenario: $(date -u +%F), 2node VM (qemu TCG, node 0 $fast with the CPUs, node 1 $slow CPU-less; $(sed -n 's/^ENV kernel=/guest kernel /p' "$OUT/guest.log")) on $(host_facts)"
echo "command: bench/placement-vm.sh --scenario $scenario --runs $runs --duration $duration --interval $interval --hot-mib $hot_mib --reserve-mib $reserve --fast-mem $fast --slow-mem $slow --variants \"$variants\"$([[ $scenario == zipf ]] && echo " --zipf-mib $zipf_mib --zipf-s $zipf_s")"
sed -n 's/^ENV workload: /workload: /p' "$OUT/guest.log"
if [[ $scenario == tenants ]]; then
    echo "tierd: shipped defaults plus the classes of src/test/vm/scenarios/tenants.yaml (bin/tierd run --config FILE, FILE holding only classes:); each run starts the tiering first, then the workload"
else
    echo "tierd: shipped defaults (bin/tierd run, no config file); each run starts the tiering first, then the workload"
fi
# over_time COLUMN: the share in series.txt's COLUMN (5: hot, 6: other), median over the runs,
# every sixth of the run.
over_time() {
    awk -v step=$((duration / 6 > 0 ? duration / 6 : 1)) -v dur="$duration" -v col="$1" '
    { v = $2; if (!(v in seen)) { seen[v] = 1; order[++nv] = v }
      runs[v, $3] = 1
      for (t = 0; t <= dur; t += step) if ($4 <= t + 0.001) at[v, $3, t] = $col }
    function median(a, n,    i, j, x) {
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {
        printf "| variant |"; for (t = 0; t <= dur; t += step) printf " %d s |", t; printf "\n|---|"
        for (t = 0; t <= dur; t += step) printf "---|"; printf "\n"
        for (i = 1; i <= nv; i++) {
            printf "| %s |", order[i]
            for (t = 0; t <= dur; t += step) {
                n = 0; delete vals
                for (k in runs) { split(k, kk, SUBSEP); if (kk[1] == order[i] && ((order[i], kk[2], t) in at)) vals[++n] = at[order[i], kk[2], t] }
                printf " %s |", n ? sprintf("%.1f", median(vals, n)) : "-"
            }
            printf "\n"
        }
    }' "$OUT/series.txt"
}
echo
echo "Share of the $hot_label on the fast node (%), median over the runs, by time since the workload started (full series: $OUT/series.txt):"
echo
over_time 5
if [[ $scenario == tenants ]]; then
    echo
    echo "Share of the $other_label on the fast node (%), the same way:"
    echo
    over_time 6
fi
echo
# Per run: t90, t95, end share, other share at end, migrated, promoted, demoted, over-demotion,
# policy pages, checksum, tierd's longest move stage and cycle gap, accesses/s; then medians.
awk -v dur="$duration" -v scen="$scenario" -v hot_label="$hot_label" -v other_label="$other_label" '
    function median(a, n,    i, j, x) {
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function stat(v, key, fmt, never,    n, i, k, vals, lo, hi, m, s) {
        n = 0
        for (k in have) { split(k, kk, SUBSEP); if (kk[1] == v && ((v, kk[2], key) in val)) vals[++n] = val[v, kk[2], key] }
        if (!n) return "-"
        lo = vals[1]; hi = vals[1]
        for (i = 1; i <= n; i++) { if (vals[i] < lo) lo = vals[i]; if (vals[i] > hi) hi = vals[i] }
        m = median(vals, n)
        s = (never != "" && m >= never) ? "never" : sprintf(fmt, m)
        if (n > 1) s = s " (" ((never != "" && lo >= never) ? "never" : sprintf(fmt, lo)) "-" ((never != "" && hi >= never) ? "never" : sprintf(fmt, hi)) ")"
        return s
    }
    $1 == "SAMPLE" { v = $3; r = $4; have[v, r] = 1; if (!(v in seen)) { seen[v] = 1; order[++nv] = v }
        if ($6 >= 90 && !((v, r, "t90") in val)) val[v, r, "t90"] = $5
        if ($6 >= 95 && !((v, r, "t95") in val)) val[v, r, "t95"] = $5
        val[v, r, "end"] = $6; val[v, r, "other"] = $7 }
    $1 == "MOVED" { v = $3; r = $4; val[v, r, "mig"] = $5; val[v, r, "pro"] = $6; val[v, r, "dem"] = $7
        need = $6 - $8; if (need < 0) need = 0; over = $7 - need; val[v, r, "over"] = over < 0 ? 0 : over }
    $1 == "POLICYPAGES" { val[$3, $4, "pol"] = $5 }
    $1 == "CHECKSUM" { val[$3, $4, "ck"] = $5 }
    $1 == "TIERD" { tv = NF >= 7 ? $7 : "tierd"; val[tv, $3, "cycles"] = $4; val[tv, $3, "mv"] = $5 / 1000; val[tv, $3, "gap"] = $6 / 1000; if (NF >= 8) val[tv, $3, "gapin"] = $8 / 1000 }
    $1 == "RATE" { val[$3, $4, "rate"] = $5 }
    $1 == "ROOM" { val[$3, $4, "room"] = $5; if (NF >= 8) val[$3, $4, "endroom"] = $8 }
    $1 == "KSWAPD" { val[$3, $4, "kscan"] = $5 * 4 / 1024 }
    END {
        for (k in have) { split(k, kk, SUBSEP); if (!((kk[1], kk[2], "t90") in val)) val[kk[1], kk[2], "t90"] = 1e9
            if (!((kk[1], kk[2], "t95") in val)) val[kk[1], kk[2], "t95"] = 1e9 }
        printf "| variant | to 90 %% | to 95 %% | %s on fast, end | %s on fast, end | migrated MiB | promoted / demoted MiB | demoted beyond need, MiB | policy violations (pages) | checksums ok | longest move stage | longest gap between cycles | the same since the workload was in place | least room above high wmark, MiB | room above high wmark at the end, MiB | kswapd scanned MiB | accesses/s |\n", hot_label, other_label == "" ? "-" : other_label
        printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
        for (i = 1; i <= nv; i++) {
            v = order[i]
            printf "| %s | %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", v,
                stat(v, "t90", "%.0f s", 1e9), stat(v, "t95", "%.0f s", 1e9), stat(v, "end", "%.1f %%"),
                scen == "nopressure" ? "-" : stat(v, "other", "%.1f %%"), stat(v, "mig", "%.1f"),
                stat(v, "pro", "%.1f"), stat(v, "dem", "%.1f"), stat(v, "over", "%.1f"),
                scen == "pressure" || scen == "tenants" ? stat(v, "pol", "%d") : "-", stat(v, "ck", "%d"),
                v ~ /^tierd/ ? stat(v, "mv", "%.1f s") : "-", v ~ /^tierd/ ? stat(v, "gap", "%.1f s") : "-",
                v ~ /^tierd/ ? stat(v, "gapin", "%.1f s") : "-",
                stat(v, "room", "%d"), stat(v, "endroom", "%d"), stat(v, "kscan", "%.1f"), stat(v, "rate", "%.0f")
        }
        printf "\nmedian (min-max) over the runs; \"never\": not within the %d s of a run. checksums ok: 1 when every workload of the run exited with its checksums intact.\n", dur
    }' "$OUT/guest.log"
