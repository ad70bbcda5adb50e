/**
 * The managed processes, as the discover stage reads them from /proc: {@link
 * tierd.process.ManagedProcess} and its {@link tierd.process.Vma}s (maps joined with numa_maps).
 *
 * <p>Invariants of what leaves this package: every VMA's page size is a power of two from 4 KiB to
 * 16 GiB, its present bytes fit the VMA, its pages lie on memory nodes of the cycle's topology, and
 * maps and numa_maps agreed on it; a process or VMA for which that does not hold is left out and
 * described by a {@link tierd.kernelfs.Rejection} ({@link tierd.process.VmaJoin}), counted and
 * logged once per process. At most the VMA limit is tracked, largest processes (by RSS) first
 * ({@link tierd.process.ProcessScanner}). Sizes are bytes, counts are pages of {@code pageBytes}.
 */
package tierd.process;
