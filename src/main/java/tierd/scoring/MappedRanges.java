package tierd.scoring;

import java.util.Arrays;
import java.util.List;
import tierd.model.AddressRange;
import tierd.process.Vma;

/** A process's VMA ranges, sorted, to ask whether a region lies across two of them. */
final class MappedRanges {

  private final long[] starts;
  private final long[] ends;

  private MappedRanges(long[] starts, long[] ends) {
    this.starts = starts;
    this.ends = ends;
  }

  static MappedRanges of(List<Vma> vmas) {
    AddressRange[] ranges = new AddressRange[vmas.size()];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = vmas.get(i).range();
    }
    Arrays.sort(ranges); // maps lists them in address order; a test or a caller may not
    long[] starts = new long[ranges.length];
    long[] ends = new long[ranges.length];
    for (int i = 0; i < ranges.length; i++) {
      starts[i] = ranges[i].start();
      ends[i] = ranges[i].end();
    }
    return new MappedRanges(starts, ends);
  }

  /** Whether {@code range} overlaps two or more of the VMAs. */
  boolean spansTwo(AddressRange range) {
    // the first VMA that ends after the range starts: the first the range can overlap
    int first = firstEndingAfter(range.start());
    return first + 1 < starts.length
        && starts[first] < range.end()
        && starts[first + 1] < range.end();
  }

  private int firstEndingAfter(long address) {
    int lo = 0;
    int hi = ends.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] <= address) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
