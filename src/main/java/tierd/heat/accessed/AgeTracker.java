package tierd.heat.accessed;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

  private record State(int level, long sinceNanos) {}

  private final Map<Key, State> states = new HashMap<>();
  private final Set<Key> seen = new HashSet<>();

  /** 0 when idle; otherwise 1..4 by quarter of {@code nr / max}. */
  static int level(long nr, long max) {
    if (nr <= 0) {
      return 0;
    }
    return 1 + (int) Math.min(3, nr * 4 / Math.max(1, max));
  }

  Duration age(int pid, AddressRange range, long nr, long max, long nowNanos) {
    Key k = new Key(pid, range.start(), range.end());
    seen.add(k);
    int lvl = level(nr, max);
    State s = states.get(k);
    if (s == null || s.level != lvl) {
      states.put(k, new State(lvl, nowNanos));
      return Duration.ZERO;
    }
    return Duration.ofNanos(Math.max(0, nowNanos - s.sinceNanos));
  }

  /** Forgets regions not seen since the previous call. */
  void endCycle() {
    states.keySet().retainAll(seen);
    seen.clear();
  }

  void forget(int pid) {
    states.keySet().removeIf(k -> k.pid == pid);
  }
}
