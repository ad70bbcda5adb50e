package tierd.scoring;

import java.util.ArrayList;
import java.util.List;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.process.Vma;

/** One process's observations this cycle, sorted and non-overlapping. */
final class Observed {
  int n;
  long[] start;
  long[] end;
  double[] fraction;

  /**
   * The window's evidence may start a hot streak ({@link #mayStartStreak}): false only for a region
   * that lies across two or more of its process's VMAs and was found accessed at one check.
   */
  boolean[] mayStartStreak;

  long[] ageNanos;
  AddressRange[] ranges; // the sample's own range when unchanged, to avoid a copy
  int trimmed;

  /** Sorts, de-overlaps and flattens one process's samples; {@code vmas} are the process's. */
  static Observed of(List<RegionSample> samples, List<Vma> vmas) {
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
    MappedRanges mapped = MappedRanges.of(vmas);
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
      o.mayStartStreak[i] = mayStartStreak(s, mapped);
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
    mayStartStreak = new boolean[capacity];
    ageNanos = new long[capacity];
    ranges = new AddressRange[capacity];
  }

  /**
   * Whether a sample's window may start its region's hot streak. One accessed check is the least a
   * check can see, and DAMON's sampled page gives it to a region for any page the region covers: a
   * region that lies across a cold buffer's VMA and a few pages of another VMA that its process
   * touches all the time reads one access now and then, and a region hot in one window goes up into
   * free room at once (the capacity boot's cold 8 MiB buffer on a demotion-only node did,
   * intermittently). Such a region needs two accessed checks in a window (or its only check, for a
   * source with one per window). A region inside one VMA starts a streak on one check, as before:
   * requiring two of every region cost Redis a DAMON window (docs/heat-sources.md).
   */
  static boolean mayStartStreak(RegionSample s, MappedRanges mapped) {
    return s.nrAccesses() >= Math.min(2, s.maxAccesses()) || !mapped.spansTwo(s.range());
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
      boolean mayStart = false;
      for (int j = i; j <= last; j++) {
        long size = end[j] - start[j];
        mayStart |= mayStartStreak[j];
        weighted += fraction[j] * size;
        bytes += size;
        age = Math.min(age, ageNanos[j]);
      }
      start[m] = start[i];
      end[m] = end[last];
      fraction[m] = bytes == 0 ? 0 : Math.min(1, weighted / bytes);
      mayStartStreak[m] = mayStart;
      ageNanos[m] = age;
      ranges[m] = last == i ? ranges[i] : null;
      m++;
    }
    int removed = n - m;
    n = m;
    return removed;
  }
}
