package tierd.heat.accessed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import tierd.model.AddressRange;

/**
 * DAMON-like age for sources that only see one window at a time: how long a region's access level
 * has stayed the same. Levels are coarse (idle, then quarters of the access fraction), so that
 * noise does not reset the age every window; any change of level resets it to zero, as DAMON resets
 * a region's age when its nr_accesses changes significantly (design.rst).
 */
final class AgeTracker {

  /**
   * A region's identity. Hash and equality are written out: region starts are page-aligned and
   * close together, which the record's generated hash spread poorly over the map's buckets.
   */
  private record Key(int pid, long start, long end) {

    @Override
    public int hashCode() {
      long h = start * 0x9E3779B97F4A7C15L + end * 0xC2B2AE3D27D4EB4FL + pid;
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.start == start && k.end == end && k.pid == pid;
    }
  }

  /**
   * A region's level, since when it has held it, and the cycle that last saw the region. Updated in
   * place: one map lookup per region and window, and nothing allocated for a region whose level did
   * not change (the common case, thousands of regions per cycle).
   */
  private static final class State {
    int level;
    long sinceNanos;
    long seenCycle;

    State(int level, long sinceNanos, long seenCycle) {
      this.level = level;
      this.sinceNanos = sinceNanos;
      this.seenCycle = seenCycle;
    }
  }

  private final Map<Key, State> states = new HashMap<>();
  private long cycle;

  /** 0 when idle; otherwise 1..4 by quarter of {@code nr / max}. */
  static int level(long nr, long max) {
    if (nr <= 0) {
      return 0;
    }
    return 1 + (int) Math.min(3, nr * 4 / Math.max(1, max));
  }

  Duration age(int pid, AddressRange range, long nr, long max, long nowNanos) {
    Key k = new Key(pid, range.start(), range.end());
    int lvl = level(nr, max);
    State s = states.get(k);
    if (s == null) {
      states.put(k, new State(lvl, nowNanos, cycle));
      return Duration.ZERO;
    }
    s.seenCycle = cycle;
    if (s.level != lvl) {
      s.level = lvl;
      s.sinceNanos = nowNanos;
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, nowNanos - s.sinceNanos));
  }

  /** Forgets regions not seen since the previous call. */
  void endCycle() {
    long current = cycle++;
    states.values().removeIf(s -> s.seenCycle != current);
  }

  void forget(int pid) {
    states.keySet().removeIf(k -> k.pid == pid);
  }
}
