package tierd.heat.damon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Each target's regions of its latest whole aggregation, put together from {@code damon_aggregated}
 * events as a reader thread hands them in, and waited for by {@link DamonSource#collect()}.
 *
 * <p>The kdamond emits, at the end of each aggregation interval, one event per region: target by
 * target in index order, each target's regions in address order, each event carrying the target's
 * region count ({@code kdamond_reset_aggregated}, mm/damon/core.c). A target's aggregation is whole
 * when as many events as that count came in a row; an event whose count differs, or whose region
 * starts below the previous one's end, starts the target over. A gap in the stream (the ring buffer
 * overran, {@link #gap()}) drops whatever was half put together. Only whole aggregations are ever
 * handed out, so a lost event costs one aggregation, never a wrong picture.
 *
 * <p>Thread-safe: one thread calls {@link #accept}/{@link #gap}, others wait in {@link #await}.
 */
final class TracedAggregations {

  /**
   * One target's regions at the end of one aggregation, stamped with its first event's time; {@code
   * accessWeight} is the sum over its regions of bytes × nr_accesses.
   */
  record Snapshot(long monoNanos, List<TriedRegion> regions, long accessWeight) {

    static Snapshot of(long monoNanos, List<TriedRegion> regions) {
      long weight = 0;
      for (TriedRegion r : regions) {
        weight += r.range().sizeBytes() * r.nrAccesses();
      }
      return new Snapshot(monoNanos, List.copyOf(regions), weight);
    }
  }

  private static final class Partial {
    final long monoNanos;
    final int expected;
    final List<TriedRegion> regions;

    Partial(long monoNanos, int expected) {
      this.monoNanos = monoNanos;
      this.expected = expected;
      this.regions = new ArrayList<>(Math.min(expected, 4096));
    }

    boolean continuedBy(AggregatedEvent e) {
      return e.targetRegions() == expected
          && regions.size() < expected
          && e.range().start() >= regions.get(regions.size() - 1).range().end();
    }
  }

  private final Map<Integer, Partial> partial = new HashMap<>();
  private final Map<Integer, Snapshot> latest = new HashMap<>();
  private long wholeAggregations;

  /** Hands in the next event of the stream. */
  void accept(AggregatedEvent e) {
    Partial p = partial.get(e.targetIndex());
    if (p == null || !p.continuedBy(e)) {
      p = new Partial(e.monoNanos(), e.targetRegions());
      partial.put(e.targetIndex(), p);
    }
    p.regions.add(e.region());
    if (p.regions.size() == p.expected) {
      partial.remove(e.targetIndex());
      synchronized (this) {
        latest.put(e.targetIndex(), Snapshot.of(p.monoNanos, p.regions));
        wholeAggregations++;
        notifyAll();
      }
    }
  }

  /** Events were lost here: nothing half put together is completed across the gap. */
  void gap() {
    partial.clear();
  }

  /** Target aggregations put together so far (for the log and tests). */
  synchronized long wholeAggregations() {
    return wholeAggregations;
  }

  /**
   * Targets {@code 0..targets-1}, each from an aggregation that ended after {@code afterNanos}
   * (System.nanoTime's clock), waiting up to {@code timeout} for them; empty if they did not all
   * come (a target without a newer aggregation, or the stream stopped).
   */
  synchronized Optional<List<Snapshot>> await(int targets, long afterNanos, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Snapshot> all = newerThan(targets, afterNanos);
      if (all != null) {
        return Optional.of(all);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * The access weight summed over targets {@code 0..targets-1} whose latest aggregation ended after
   * {@code afterNanos}; -1 when none did.
   */
  synchronized long newerWeight(int targets, long afterNanos) {
    long sum = -1;
    for (int i = 0; i < targets; i++) {
      Snapshot s = latest.get(i);
      if (s != null && s.monoNanos() - afterNanos > 0) {
        sum = Math.max(sum, 0) + s.accessWeight();
      }
    }
    return sum;
  }

  /** Wakes the waiters (the stream ended). */
  synchronized void wakeAll() {
    notifyAll();
  }

  private List<Snapshot> newerThan(int targets, long afterNanos) {
    List<Snapshot> all = new ArrayList<>(targets);
    for (int i = 0; i < targets; i++) {
      Snapshot s = latest.get(i);
      if (s == null || s.monoNanos() - afterNanos <= 0) {
        return null;
      }
      all.add(s);
    }
    return all;
  }
}
