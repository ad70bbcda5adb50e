#!/usr/bin/env bash
# Placement quality (issue 8, benchmark 1), in one boot of the 2node VM (src/test/vm, qemu TCG)
# with a fast node smaller than the workload: a Zipf workload whose hot set fits the fast node,
# started afresh under each of
#   none     no tiering                           kernel  numa_balancing=2 + demotion_enabled=1
#   damon    DAMOS migrate_hot/migrate_cold on paddr with quota goals (the kernel's mtier sample,
#            HMSDK)                               damon-scaled  the same, goals scaled to the node
#   tierd    bin/tierd run (bench/guest/placement-tierd.yaml)
# (bench/guest/placement.sh has the details). The workload: a cold filler on node 0 that leaves
# --reserve-mib free there, and a --zipf-mib buffer on node 1 read with Zipf(--zipf-s) popularity
# whose first --hot-mib (the hottest ranks) are the hot set: the ideal puts all of the hot set on
# node 0, which needs cold filler pages to leave it first.
#
#   bench/placement-vm.sh [--duration S] [--interval S] [--zipf-mib N] [--hot-mib N] [--zipf-s S]
#                         [--reserve-mib N] [--fast-mem SIZE] [--slow-mem SIZE] [--variants "..."]
#   defaults: 150 s per variant, a sample every 3 s, 512 MiB Zipf(1.0) buffer, 64 MiB hot set,
#             32 MiB reserve, node 0 512M, node 1 1536M, variants "none kernel damon damon-scaled tierd"
#
# Prints, per variant, the hot-set share on the fast node (from the workload's own move_pages
# queries) over time, and a summary: share at the end and over the last 30 s, time to 90 %, the
# filler and Zipf buffer on the fast node, MiB migrated (pgmigrate_success; pgpromote/pgdemote;
# tierd_migrated_bytes_total) and the workload's accesses per second.
# Needs root (qemu); SKIP_BUILD=1 skips mvn. At most 2 qemu run at once on this host.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
duration=150 interval=3 zipf_mib=512 hot_mib=64 zipf_s=1.0 reserve=32 fast=512M slow=1536M
variants="none kernel damon damon-scaled tierd"
while (($#)); do
    case $1 in
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
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/placement-vm}
rm -rf "$OUT"
mkdir -p "$OUT/res"
bench_build_vm
nvar=$(wc -w <<< "$variants")
wait_vm_slot
bench_log "booting the 2node VM, node 0 $fast, node 1 $slow (log: $OUT/guest.log; ~$((nvar * (duration + 40) / 60 + 1)) min)"
"$BENCH_REPO/src/test/vm/boot.sh" --layout 2node --fast-mem "$fast" --slow-mem "$slow" \
    --timeout $((nvar * (duration + 120) + 300)) --results "$OUT/res" -q -- \
    bash "$BENCH_REPO/bench/guest/placement.sh" "$BENCH_REPO" "$duration" "$interval" "$zipf_mib" \
    "$hot_mib" "$zipf_s" "$reserve" "$variants" \
    > "$OUT/guest.log" 2> "$OUT/boot.err" || bench_die "the VM run failed: $(tail -n 5 "$OUT/boot.err" "$OUT/guest.log")"
grep -q '^SAMPLE ' "$OUT/guest.log" || bench_die "no samples in $OUT/guest.log"
grep '^SAMPLE ' "$OUT/guest.log" | cut -d' ' -f2- > "$OUT/series.txt"

echo
echo "placement: $(date -u +%F), 2node VM (qemu TCG, node 0 $fast with the CPUs, node 1 $slow CPU-less; $(sed -n 's/^ENV kernel=/guest kernel /p' "$OUT/guest.log")) on $(host_facts)"
echo "command: bench/placement-vm.sh --duration $duration --interval $interval --zipf-mib $zipf_mib --hot-mib $hot_mib --zipf-s $zipf_s --reserve-mib $reserve --fast-mem $fast --slow-mem $slow"
sed -n 's/^ENV workload: /workload: /p' "$OUT/guest.log"
echo "ideal: 100 % of the hot set on node 0 (it fits once cold filler pages leave)"
echo
echo "Hot-set share on the fast node (%) by time since the workload started (full series: $OUT/series.txt):"
echo
awk -v step=15 -v dur="$duration" '
    { v = $1; if (!(v in seen)) { seen[v] = 1; order[++nv] = v }
      # the last sample at or before each step
      for (t = 0; t <= dur; t += step) if ($2 <= t + 0.001) at[v, t] = $3 }
    END {
        printf "| variant |"; for (t = 0; t <= dur; t += step) printf " %d s |", t; printf "\n|---|"
        for (t = 0; t <= dur; t += step) printf "---|"; printf "\n"
        for (i = 1; i <= nv; i++) {
            printf "| %s |", order[i]
            for (t = 0; t <= dur; t += step) printf " %s |", ((order[i], t) in at) ? at[order[i], t] : "-"
            printf "\n"
        }
    }' "$OUT/series.txt"
echo
echo "| variant | hot set on fast, end | mean last 30 s | first >= 90 % | filler on fast, end | Zipf buffer on fast, end | migrated MiB (pgmigrate_success) | promoted / demoted MiB (kernel counters) | tierd_migrated_bytes_total MiB | accesses/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for v in $variants; do
    awk -v v="$v" -v dur="$duration" '
        $1 == "SAMPLE" && $2 == v { t = $3; h = $4; z = $5; f = $6; last_t = t
            s[++n] = t; hv[n] = h
            if (h >= 90 && first == "") first = t }
        $1 == "MIGRATED" && $2 == v { mig = $3; pro = $4; dem = $5; tm = $6 }
        $1 == "RATE" && $2 == v { rate = $3 }
        END {
            if (!n) exit
            for (i = 1; i <= n; i++) if (s[i] >= last_t - 30) { sum += hv[i]; k++ }
            printf "| %s | %.1f %% | %.1f %% | %s | %.1f %% | %.1f %% | %.1f | %.1f / %.1f | %s | %s |\n", v, h, sum / k,
                first == "" ? "never" : first " s", f, z, mig, pro, dem, v == "tierd" ? tm : "-", rate
        }' "$OUT/guest.log"
done
awk '
    $1 == "SAMPLE" { n[$2]++; t[$2, n[$2]] = $3; h[$2, n[$2]] = $4 }
    END {
        for (v in n) { last = t[v, n[v]]; sum = 0; k = 0
            for (i = 1; i <= n[v]; i++) if (t[v, i] >= last - 30) { sum += h[v, i]; k++ }
            m[v] = sum / k }
        if ("tierd" in m) {
            printf "\ntierd, mean hot-set share over the last 30 s: %.1f %% of the ideal (target >= 95 %%)", m["tierd"]
            if ("kernel" in m) printf "; kernel tiering %.1f %% (target: tierd not below it)", m["kernel"]
            if ("damon" in m) printf "; DAMON %.1f %%", m["damon"]
            if ("damon-scaled" in m) printf "; DAMON, scaled goals %.1f %%", m["damon-scaled"]
            printf "\n"
        }
    }' "$OUT/guest.log"
