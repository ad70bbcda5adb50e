#!/usr/bin/env bash
# Migration throughput (issue 8, benchmark 2), in the 2node VM (src/test/vm, qemu TCG): the same
# buffer moved slow -> fast and fast -> slow between the same nodes (1 = CPU-less, 0 = DRAM) by
#   tierd-mover    tierd.mover.MoverBench: the production path (MovePagesMover, adaptive batches
#                  bound to 20 ms, placement query before each move), JVM with the launcher's flags
#   c-loop-1024    bench/c/move_pages_loop.c: move_pages(2) in fixed batches of 1,024 pages
#   c-loop-all     the same, all pages in one call
#   migratepages   numactl's migratepages on a tierd-workload holding the buffer: one
#                  migrate_pages(2) call (timed with strace -T)
# ROUNDS rounds each way, the four in turn, REPS times.
#
#   bench/mover-vm.sh [--mib N] [--rounds R] [--reps K]      (defaults 256, 3, 2)
#
# MiB/s: moved bytes over the mover's wall time (tierd: the whole move() call, queries included;
# c-loop: the loop; migratepages: its one syscall). Call times twice: as each caller measures them
# (around its JNA call, the C call, strace -T) and in the kernel, from the syscalls' ftrace
# enter/exit tracepoints in the guest (per method, both directions together, move calls only:
# placement queries left out). Prints one row per
# method and direction: median, min and max MiB/s over all rounds, the longest single call and the
# calls over 20 ms.
# Needs root (qemu, as src/test/vm/boot.sh); SKIP_BUILD=1 skips mvn. At most 2 qemu run at once.
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
mib=256 rounds=3 reps=2
while (($#)); do
    case $1 in
        --mib) mib=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --reps) reps=$2; shift 2 ;;
        -h | --help) bench_help "$0" ;;
        *) bench_die "unknown argument $1" ;;
    esac
done
OUT=${BENCH_OUT:-$BENCH_REPO/target/bench/mover-vm}
rm -rf "$OUT"
mkdir -p "$OUT/res"
bench_build_vm
wait_vm_slot
bench_log "booting the 2node VM (log: $OUT/guest.log)"
"$BENCH_REPO/src/test/vm/boot.sh" --layout 2node --timeout 1800 --results "$OUT/res" -q -- \
    bash "$BENCH_REPO/bench/guest/mover.sh" "$BENCH_REPO" "$mib" "$rounds" "$reps" \
    > "$OUT/guest.log" 2> "$OUT/boot.err" || bench_die "the VM run failed: $(tail -n 5 "$OUT/boot.err" "$OUT/guest.log")"
grep -q '^ROW ' "$OUT/guest.log" || bench_die "no results in $OUT/guest.log"
# Full outputs of each mover: $OUT/res/{tierd-mover,c-loop-1024,c-loop-all,migratepages}.txt

echo
echo "mover throughput: $(date -u +%F), 2node VM (qemu TCG, $(sed -n 's/^guest: \([0-9][^,]*\),.*/guest kernel \1/p' "$OUT/guest.log" | head -1)) on $(host_facts)"
echo "command: bench/mover-vm.sh --mib $mib --rounds $rounds --reps $reps"
echo
echo "| method | direction | MiB/s median (min-max) | longest call ms | calls | calls > 20 ms | moves | moving calls in the kernel, both directions: longest ms / calls / calls > 20 ms |"
echo "|---|---|---|---|---|---|---|---|"
sed -n 's/^ROW //p' "$OUT/guest.log" > "$OUT/rows"
sed -n 's/^KROW //p' "$OUT/guest.log" > "$OUT/krows"
declare -A up down
for m in tierd-mover c-loop-1024 c-loop-all migratepages; do
    for d in "1->0" "0->1"; do
        # median and range of MiB/s (mawk has no sort: sort -n does it)
        mapfile -t v < <(awk -v m="$m" -v d="$d" '$1 == m && $2 == d { print $3 }' "$OUT/rows" | sort -n)
        ((${#v[@]})) || continue
        n=${#v[@]}
        med=$(awk -v a="${v[(n - 1) / 2]}" -v b="${v[n / 2]}" 'BEGIN { printf "%.1f", (a + b) / 2 }')
        if [[ $d == "1->0" ]]; then up[$m]=$med; else down[$m]=$med; fi
        kernel=$(awk -v m="$m" '$1 == m { k = 1; if ($2 > l) l = $2; c += $3; o += $4 }
            END { if (k) printf "%.1f / %d / %d", l, c, o; else printf "n/a" }' "$OUT/krows")
        awk -v m="$m" -v d="$d" -v med="$med" -v lo="${v[0]}" -v hi="${v[n - 1]}" -v n="$n" -v k="$kernel" '
            $1 == m && $2 == d { if ($4 > longest) longest = $4; calls += $5; over += $6; moved += $7 }
            END { printf "| %s | %s | %s (%.1f-%.1f) | %.1f | %d | %d | %d x %.0f MiB | %s |\n", m, d, med, lo, hi, longest, calls, over, n, moved / n, k }' "$OUT/rows"
    done
done
if [[ -n ${up[migratepages]:-} && -n ${up[tierd-mover]:-} ]]; then
    awk -v a="${up[tierd-mover]}" -v b="${up[migratepages]}" -v c="${down[tierd-mover]}" -v e="${down[migratepages]}" \
        'BEGIN { printf "\ntierd-mover / migratepages (medians): slow->fast %.2fx, fast->slow %.2fx\n", a / b, c / e }'
fi
