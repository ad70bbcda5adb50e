package tierd.scoring;

import java.util.ArrayList;
import java.util.List;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;

/** One process's observations this cycle, sorted and non-overlapping. */
final class Observed {
  int n;
  long[] start;
  long[] end;
  double[] fraction;
  long[] ageNanos;
  AddressRange[] ranges; // the sample's own range when unchanged, to avoid a copy
  int trimmed;

  /** Sorts, de-overlaps and flattens one process's samples. */
  static Observed of(List<RegionSample> samples) {
    boolean sorted = true;
    for (int i = 1; i < samples.size() && sorted; i++) {
      sorted = samples.get(i - 1).range().compareTo(samples.get(i).range()) <= 0;
    }
    if (!sorted) {
      samples = new ArrayList<>(samples);
      samples.sort((a, b) -> a.range().compareTo(b.range()));
    }
    int n = samples.size();
    Observed o = new Observed(n);
    long prevEnd = Long.MIN_VALUE;
    for (RegionSample s : samples) {
      AddressRange r = s.range();
      long start = r.start();
      if (start < prevEnd) {
        o.trimmed++;
        start = prevEnd;
        if (start >= r.end()) {
          continue;
        }
        r = null;
      }
      if (r != null && r.isEmpty()) {
        continue;
      }
      int i = o.n++;
      o.start[i] = start;
      o.end[i] = s.range().end();
      o.fraction[i] = HeatScale.heat(s.accessRatePerSecond());
      o.ageNanos[i] = s.age().toNanos();
      o.ranges[i] = r;
      prevEnd = s.range().end();
    }
    return o;
  }

  Observed(int capacity) {
    start = new long[capacity];
    end = new long[capacity];
    fraction = new double[capacity];
    ageNanos = new long[capacity];
    ranges = new AddressRange[capacity];
  }

  AddressRange range(int i) {
    AddressRange r = ranges[i];
    return r != null ? r : new AddressRange(start[i], end[i]);
  }

  /**
   * Coalesces runs of neighbours so at most {@code cap} regions remain: access fractions
   * size-weighted, the youngest age. Gaps inside a run are covered; the planner intersects regions
   * with VMAs, so unmapped gaps never reach a move. Returns the regions removed.
   */
  int coalesce(int cap) {
    if (n <= cap) {
      return 0;
    }
    int k = (n + cap - 1) / cap;
    int m = 0;
    for (int i = 0; i < n; i += k) {
      int last = Math.min(n, i + k) - 1;
      double weighted = 0;
      long bytes = 0;
      long age = Long.MAX_VALUE;
      for (int j = i; j <= last; j++) {
        long size = end[j] - start[j];
        weighted += fraction[j] * size;
        bytes += size;
        age = Math.min(age, ageNanos[j]);
      }
      start[m] = start[i];
      end[m] = end[last];
      fraction[m] = bytes == 0 ? 0 : Math.min(1, weighted / bytes);
      ageNanos[m] = age;
      ranges[m] = last == i ? ranges[i] : null;
      m++;
    }
    int removed = n - m;
    n = m;
    return removed;
  }
}
