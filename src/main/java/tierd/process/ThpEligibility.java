package tierd.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import tierd.source.proc.Smaps;

/**
 * Which VMAs of one process may hold PMD-mapped THP folios, by start address, from its smaps
 * ({@link Smaps.Entry#thpEligible}). A VMA smaps did not list, and every VMA of {@link #UNKNOWN},
 * counts as eligible: the planner then snaps its ranges to {@code planner.thpAlign}, which is
 * always folio-safe. Kept per process between scans (starts and one bit per VMA).
 */
final class ThpEligibility {

  /** Nothing known: every VMA counts as eligible. */
  static final ThpEligibility UNKNOWN = new ThpEligibility(new long[0], new BitSet(0));

  /** VMA starts, ascending. */
  private final long[] starts;

  /** Bit i: the VMA at {@code starts[i]} is eligible. */
  private final BitSet eligible;

  private ThpEligibility(long[] starts, BitSet eligible) {
    this.starts = starts;
    this.eligible = eligible;
  }

  static ThpEligibility of(List<Smaps.Entry> entries) {
    List<Smaps.Entry> byStart = new ArrayList<>(entries);
    byStart.sort(Comparator.comparingLong(e -> e.range().start()));
    long[] starts = new long[byStart.size()];
    BitSet eligible = new BitSet(starts.length);
    for (int i = 0; i < starts.length; i++) {
      starts[i] = byStart.get(i).range().start();
      eligible.set(i, byStart.get(i).thpEligible());
    }
    return new ThpEligibility(starts, eligible);
  }

  /** Whether the VMA starting at {@code start} may hold THPs; true when smaps did not list it. */
  boolean eligible(long start) {
    int i = Arrays.binarySearch(starts, start);
    return i < 0 || eligible.get(i);
  }
}
