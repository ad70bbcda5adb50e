package tierd.heat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import tierd.model.AddressRange;

/**
 * One window's region samples, kept to at most {@code capacity} however many the source reports: a
 * memory bound for the heat stage (the daemon's region limit, {@code TrackingLimits}). Samples are
 * taken one at a time ({@link HeatSource#collect(Consumer)}) into compact arrays (56 bytes a sample
 * instead of about 100 for the objects); when the arrays are full, neighbours of the same process
 * are merged, the pairs that span the fewest bytes first, down to {@code capacity}. So a region is
 * never dropped while its process has another to merge it into, a large region is merged last, and
 * two regions far apart in the address space (a gap between two mappings) are merged only when
 * nothing closer is left.
 *
 * <p>A merged sample is what DAMON makes of two merged regions: the access fraction weighted by the
 * bytes each covered (gaps do not count), the larger {@code maxAccesses}, and the youngest age (so
 * merging never makes data look colder). Each sample keeps its check interval (the shorter one when
 * two are merged), from which the scorer computes its access rate. Only when every process is down
 * to one sample and there are still too many are whole samples dropped, those covering the fewest
 * bytes first.
 *
 * <p>Cost: each compaction sorts the spans of the buffer's neighbour pairs, a buffer of {@code
 * capacity × 3/2}, once per {@code capacity / 2} samples: linear in the samples reported for a
 * fixed capacity.
 */
public final class BoundedSamples implements Consumer<RegionSample> {

  private final int capacity;
  private int n;
  private int[] pid;
  private long[] start;
  private long[] end;
  private long[] coveredBytes;
  private double[] fraction;
  private int[] maxAccesses;
  private long[] ageNanos;
  private Duration[] window;
  private Duration[] checkInterval;
  private String[] source;
  private long merged;
  private long dropped;
  private long reported;

  public BoundedSamples(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    int initial = Math.min(bufferSize(), 1024);
    pid = new int[initial];
    start = new long[initial];
    end = new long[initial];
    coveredBytes = new long[initial];
    fraction = new double[initial];
    maxAccesses = new int[initial];
    ageNanos = new long[initial];
    window = new Duration[initial];
    checkInterval = new Duration[initial];
    source = new String[initial];
  }

  /** The arrays' largest size: half the capacity more, so a compaction comes every capacity/2. */
  private int bufferSize() {
    return (int) Math.min(Integer.MAX_VALUE - 8, capacity * 3L / 2 + 1);
  }

  /** Samples taken. */
  public long reported() {
    return reported;
  }

  /** Samples merged into a neighbour so far. */
  public long merged() {
    return merged;
  }

  /** Samples dropped so far (only when processes outnumber the capacity). */
  public long dropped() {
    return dropped;
  }

  @Override
  public void accept(RegionSample s) {
    reported++;
    if (n == pid.length) {
      int buffer = bufferSize();
      if (n < buffer) {
        grow((int) Math.min(buffer, n * 2L));
      } else {
        compact();
      }
    }
    int i = n++;
    pid[i] = s.pid();
    start[i] = s.range().start();
    end[i] = s.range().end();
    coveredBytes[i] = s.range().sizeBytes();
    fraction[i] = s.accessFraction();
    maxAccesses[i] = s.maxAccesses();
    ageNanos[i] = s.age().toNanos();
    window[i] = s.window();
    checkInterval[i] = s.checkInterval();
    source[i] = s.source();
  }

  /** The samples kept, at most {@code capacity}, by pid and address. */
  public List<RegionSample> samples() {
    if (n > capacity) {
      compact();
    } else {
      sortIfNeeded();
    }
    List<RegionSample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int max = maxAccesses[i];
      int nr = (int) Math.min(max, Math.round(fraction[i] * max));
      out.add(
          new RegionSample(
              pid[i],
              new AddressRange(start[i], end[i]),
              nr,
              max,
              window[i],
              checkInterval[i],
              Duration.ofNanos(ageNanos[i]),
              source[i]));
    }
    return out;
  }

  /** Merges (and if need be drops) samples until at most {@code capacity} remain. */
  private void compact() {
    sortIfNeeded();
    int excess = n - capacity;
    // the span of each neighbour pair of one process: merging it costs that much resolution
    long[] spans = new long[n];
    int pairs = 0;
    for (int i = 1; i < n; i++) {
      if (pid[i] == pid[i - 1]) {
        spans[pairs++] = end[i] - start[i - 1];
      }
    }
    if (pairs > 0) {
      int toMerge = Math.min(excess, pairs);
      long[] sorted = Arrays.copyOf(spans, pairs);
      Arrays.sort(sorted);
      long threshold = sorted[toMerge - 1];
      int atThreshold = 0; // pairs of exactly the threshold's span that may merge
      for (int k = 0; k < toMerge; k++) {
        atThreshold += sorted[k] == threshold ? 1 : 0;
      }
      mergePairs(threshold, atThreshold);
      excess = n - capacity;
    }
    if (excess > 0) {
      dropSmallest(excess);
    }
  }

  /** One pass that merges each pair of neighbours whose span is below the threshold. */
  private void mergePairs(long threshold, int atThreshold) {
    int out = 0;
    for (int i = 1; i < n; i++) {
      boolean merge = false;
      if (pid[i] == pid[i - 1]) {
        long span = end[i] - start[i - 1];
        if (span < threshold) {
          merge = true;
        } else if (span == threshold && atThreshold > 0) {
          merge = true;
          atThreshold--;
        }
      }
      if (merge) {
        mergeInto(out, i);
        merged++;
      } else {
        out++;
        copy(i, out);
      }
    }
    n = out + 1;
  }

  /** Folds sample {@code i} into sample {@code into} (its left neighbour, already written). */
  private void mergeInto(int into, int i) {
    long a = coveredBytes[into];
    long b = coveredBytes[i];
    double weighted = a + b == 0 ? 0 : (fraction[into] * a + fraction[i] * b) / (a + b);
    end[into] = Math.max(end[into], end[i]);
    coveredBytes[into] = a + b;
    fraction[into] = Math.min(1.0, weighted);
    maxAccesses[into] = Math.max(maxAccesses[into], maxAccesses[i]);
    ageNanos[into] = Math.min(ageNanos[into], ageNanos[i]);
    if (checkInterval[i].compareTo(checkInterval[into]) < 0) {
      checkInterval[into] = checkInterval[i];
    }
  }

  /** Drops the {@code count} samples that cover the fewest bytes. */
  private void dropSmallest(int count) {
    long[] sizes = Arrays.copyOf(coveredBytes, n);
    Arrays.sort(sizes);
    long threshold = sizes[count - 1];
    int atThreshold = 0;
    for (int k = 0; k < count; k++) {
      atThreshold += sizes[k] == threshold ? 1 : 0;
    }
    int out = 0;
    for (int i = 0; i < n; i++) {
      boolean drop =
          coveredBytes[i] < threshold || (coveredBytes[i] == threshold && atThreshold-- > 0);
      if (!drop) {
        copy(i, out++);
      }
    }
    dropped += n - out;
    n = out;
  }

  private void copy(int from, int to) {
    if (from == to) {
      return;
    }
    pid[to] = pid[from];
    start[to] = start[from];
    end[to] = end[from];
    coveredBytes[to] = coveredBytes[from];
    fraction[to] = fraction[from];
    maxAccesses[to] = maxAccesses[from];
    ageNanos[to] = ageNanos[from];
    window[to] = window[from];
    checkInterval[to] = checkInterval[from];
    source[to] = source[from];
  }

  /**
   * Sorts the buffer by pid and start unless it already is (sources report each process's samples
   * together and in address order, so it usually is).
   */
  private void sortIfNeeded() {
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = pid[i - 1] < pid[i] || (pid[i - 1] == pid[i] && start[i - 1] <= start[i]);
    }
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) ->
            pid[x] != pid[y] ? Integer.compare(pid[x], pid[y]) : Long.compare(start[x], start[y]));
    int[] p = new int[pid.length];
    long[] s = new long[pid.length];
    long[] e = new long[pid.length];
    long[] c = new long[pid.length];
    double[] f = new double[pid.length];
    int[] m = new int[pid.length];
    long[] a = new long[pid.length];
    Duration[] w = new Duration[pid.length];
    Duration[] check = new Duration[pid.length];
    String[] src = new String[pid.length];
    for (int k = 0; k < n; k++) {
      int i = order[k];
      p[k] = pid[i];
      s[k] = start[i];
      e[k] = end[i];
      c[k] = coveredBytes[i];
      f[k] = fraction[i];
      m[k] = maxAccesses[i];
      a[k] = ageNanos[i];
      w[k] = window[i];
      check[k] = checkInterval[i];
      src[k] = source[i];
    }
    pid = p;
    start = s;
    end = e;
    coveredBytes = c;
    fraction = f;
    maxAccesses = m;
    ageNanos = a;
    window = w;
    checkInterval = check;
    source = src;
  }

  private void grow(int size) {
    pid = Arrays.copyOf(pid, size);
    start = Arrays.copyOf(start, size);
    end = Arrays.copyOf(end, size);
    coveredBytes = Arrays.copyOf(coveredBytes, size);
    fraction = Arrays.copyOf(fraction, size);
    maxAccesses = Arrays.copyOf(maxAccesses, size);
    ageNanos = Arrays.copyOf(ageNanos, size);
    window = Arrays.copyOf(window, size);
    checkInterval = Arrays.copyOf(checkInterval, size);
    source = Arrays.copyOf(source, size);
  }
}
