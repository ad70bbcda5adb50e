package tierd.process;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tierd.model.AddressRange;

/**
 * A process's VMAs sorted by start, for finding the VMAs a range overlaps. Real VMAs never overlap,
 * so their ends ascend too and the first VMA a range overlaps is found by binary search; a list
 * that overlaps (only a hand-made one can) is walked from its first VMA. Walk the VMAs a range
 * {@code [start, end)} overlaps as {@code for (int i = index.firstEndingAfter(start); i <
 * index.size() && index.get(i).range().start() < end; i++)}, skipping those whose overlap is empty.
 */
public final class VmaIndex {

  /** Receives each VMA a range overlaps, with the overlapping bytes (> 0). */
  @FunctionalInterface
  public interface OverlapVisitor {
    void visit(Vma vma, long overlapBytes);
  }

  private final Vma[] vmas;
  private final boolean disjoint;

  private VmaIndex(Vma[] vmas, boolean disjoint) {
    this.vmas = vmas;
    this.disjoint = disjoint;
  }

  /** The VMAs sorted by start (a stable sort: VMAs with the same start keep their order). */
  public static VmaIndex of(List<Vma> vmas) {
    Vma[] sorted = vmas.toArray(new Vma[0]);
    Arrays.sort(sorted, Comparator.comparingLong(v -> v.range().start()));
    boolean disjoint = true;
    for (int i = 1; i < sorted.length && disjoint; i++) {
      disjoint = sorted[i].range().start() >= sorted[i - 1].range().end();
    }
    return new VmaIndex(sorted, disjoint);
  }

  public int size() {
    return vmas.length;
  }

  /** The i-th VMA by start. */
  public Vma get(int i) {
    return vmas[i];
  }

  /** True when no two VMAs overlap (always, for VMAs read from the kernel). */
  public boolean disjoint() {
    return disjoint;
  }

  /**
   * Index of the first VMA that ends after {@code address}: where the walk over a range starting at
   * {@code address} begins. 0 when the VMAs overlap each other.
   */
  public int firstEndingAfter(long address) {
    if (!disjoint) {
      return 0;
    }
    int lo = 0;
    int hi = vmas.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (vmas[mid].range().end() <= address) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * {@link #firstEndingAfter(long)} for a walk whose addresses only rise: it searches on from
   * {@code from}, the index the walk found for an earlier address, one VMA at a time, which costs
   * O(1) a range when ranges come in address order (the planner's sorted regions do).
   */
  public int firstEndingAfter(long address, int from) {
    if (!disjoint) {
      return 0;
    }
    int i = from;
    while (i < vmas.length && vmas[i].range().end() <= address) {
      i++;
    }
    return i;
  }

  /** Calls {@code visitor} for every VMA that overlaps {@code range}, in address order. */
  public void forEachOverlap(AddressRange range, OverlapVisitor visitor) {
    for (int i = firstEndingAfter(range.start());
        i < vmas.length && vmas[i].range().start() < range.end();
        i++) {
      long overlapBytes = vmas[i].range().overlapBytes(range);
      if (overlapBytes > 0) {
        visitor.visit(vmas[i], overlapBytes);
      }
    }
  }

  /**
   * Present bytes inside {@code range}: each overlapping VMA's present bytes pro rata of the share
   * of the VMA the range covers (numa_maps counts pages per VMA, not per address).
   */
  public long presentBytes(AddressRange range) {
    long[] sumBytes = {0};
    forEachOverlap(
        range,
        (vma, overlapBytes) -> {
          if (vma.presentPages() > 0) {
            sumBytes[0] += vma.bytesInShare(vma.presentPages(), vma.shareOf(overlapBytes));
          }
        });
    return sumBytes[0];
  }
}
