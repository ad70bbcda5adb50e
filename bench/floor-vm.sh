#!/usr/bin/env bash
# The detection floor of each heat source (issue 20: "know the floor"), measured in one boot of the
# 2node VM: one tierd-workload process per access rate, each touching every page of its buffer
# RATE times a second, all starting on the slow node, and tierd with the shipped defaults (only
# heat.sources and processes.comm set). A rate whose buffer tierd promoted was classified hot; the
# floor is the slowest such rate. bench/guest/floor.sh has the details.
#
#   bench/floor-vm.sh [--duration S] [--sources "..."] [--rates "..."] [--buffer-mib N]
#   defaults: 90 s per source, sources "damon-vaddr damon-paddr clear-refs", rates
#             "0.1 0.2 0.5 1 2 5" per second, 24 MiB buffers
# Needs root; SKIP_BUILD=1 skips mvn.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
duration=90 sources="damon-vaddr damon-paddr clear-refs" rates="0.1 0.2 0.5 1 2 5" buf=24
while (($#)); do
    case $1 in
        --duration) duration=$2; shift 2 ;;
        --sources) sources=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --buffer-mib) buf=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/floor-vm}
rm -rf "$OUT"
mkdir -p "$OUT/res"
bench_build_vm
ns=$(wc -w <<< "$sources")
wait_vm_slot
bench_log "booting the 2node VM (log: $OUT/guest.log; ~$((ns * (duration + 40) / 60 + 1)) min)"
"$BENCH_REPO/src/test/vm/boot.sh" --layout 2node --timeout $((ns * (duration + 120) + 200)) \
    --results "$OUT/res" -q -- bash "$BENCH_REPO/bench/guest/floor.sh" "$BENCH_REPO" "$duration" \
    "$sources" "$rates" "$buf" > "$OUT/guest.log" 2> "$OUT/boot.err" ||
    bench_die "the VM run failed: $(tail -n 5 "$OUT/boot.err" "$OUT/guest.log")"
echo "floor: $(date -u +%F), 2node VM (qemu TCG), tierd shipped defaults, ${duration}s per source, ${buf} MiB buffers"
echo "command: bench/floor-vm.sh --duration $duration --sources \"$sources\" --rates \"$rates\" --buffer-mib $buf"
echo
echo "| source | rate asked (/s) | rate measured (/s) | on fast at end | first >= 90 % |"
echo "|---|---|---|---|---|"
awk '$1 == "FLOOR" { printf "| %s | %s | %s | %s %% | %s |\n", $2, $3, $4, $5, $6 == "-" || $6 == "never" ? $6 : $6 " s" }' "$OUT/guest.log"
