package tierd.process;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tierd.model.AddressRange;

/**
 * A process's VMAs sorted by start, to find the VMAs a range overlaps without visiting all of them.
 * Real VMAs never overlap, so their ends ascend too and the first VMA a range overlaps is found by
 * binary search; a list that overlaps (only a hand-made one can) is scanned whole.
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

  public static VmaIndex of(List<Vma> list) {
    Vma[] a = list.toArray(new Vma[0]);
    Arrays.sort(a, Comparator.comparingLong(v -> v.range().start()));
    boolean disjoint = true;
    for (int i = 1; i < a.length && disjoint; i++) {
      disjoint = a[i].range().start() >= a[i - 1].range().end();
    }
    return new VmaIndex(a, disjoint);
  }

  /** Calls {@code visitor} for every VMA that overlaps {@code range}, in address order. */
  public void forEachOverlap(AddressRange range, OverlapVisitor visitor) {
    for (int i = firstOverlapping(range.start());
        i < vmas.length && (!disjoint || vmas[i].range().start() < range.end());
        i++) {
      long overlap = vmas[i].range().overlapBytes(range);
      if (overlap > 0) {
        visitor.visit(vmas[i], overlap);
      }
    }
  }

  /**
   * Present bytes inside {@code range}: each overlapping VMA's present bytes pro rata of the share
   * of the VMA the range covers (numa_maps counts pages per VMA, not per address).
   */
  public long presentBytes(AddressRange range) {
    long[] sum = {0};
    forEachOverlap(
        range,
        (v, overlap) -> {
          if (v.presentPages() > 0) {
            sum[0] += (long) ((double) overlap / v.range().sizeBytes() * v.presentBytes());
          }
        });
    return sum[0];
  }

  /** Index of the first VMA that ends after {@code start} (0 when the VMAs overlap). */
  private int firstOverlapping(long start) {
    if (!disjoint) {
      return 0;
    }
    int lo = 0;
    int hi = vmas.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (vmas[mid].range().end() <= start) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
