package tierd.planner;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import tierd.model.AddressRange;
import tierd.model.ProcessId;

/**
 * When each range of each process last moved, and which way. Immutable: {@link #withMoves} returns
 * a new history that shares the unchanged processes. Per process the recorded ranges never overlap;
 * a new move overwrites the parts of older entries it covers.
 *
 * <p>Bounded: entries older than the retention passed to {@link #withMoves} are dropped, so are
 * processes that are gone, and beyond {@link #MAX_ENTRIES} the oldest entries go first.
 */
public final class ResidencyHistory {

  /** Hard bound on recorded ranges over all processes. */
  public static final int MAX_ENTRIES = 1 << 20;

  private static final ResidencyHistory EMPTY = new ResidencyHistory(Map.of());

  /** One recorded move of a range, to node {@code toNode}. */
  public record Entry(AddressRange range, Direction direction, Instant movedAt, int toNode) {}

  private final Map<ProcessId, NavigableMap<Long, Entry>> byProcess;

  private ResidencyHistory(Map<ProcessId, NavigableMap<Long, Entry>> byProcess) {
    this.byProcess = byProcess;
  }

  public static ResidencyHistory empty() {
    return EMPTY;
  }

  /** Number of recorded ranges. */
  public int size() {
    int n = 0;
    for (var m : byProcess.values()) {
      n += m.size();
    }
    return n;
  }

  /** The recorded ranges of one process, by start. */
  public List<Entry> entries(ProcessId process) {
    NavigableMap<Long, Entry> m = byProcess.get(process);
    return m == null ? List.of() : List.copyOf(m.values());
  }

  /** The most recent move of any part of {@code range}, if one is recorded. */
  public Optional<Entry> lastMove(ProcessId process, AddressRange range) {
    return lastMove(process, range, e -> true);
  }

  /** The most recent of the moves of any part of {@code range} that {@code which} accepts. */
  public Optional<Entry> lastMove(ProcessId process, AddressRange range, Predicate<Entry> which) {
    NavigableMap<Long, Entry> m = byProcess.get(process);
    if (m == null || m.isEmpty()) {
      return Optional.empty();
    }
    Entry best = null;
    var floor = m.floorEntry(range.start());
    if (floor != null && floor.getValue().range().overlaps(range) && which.test(floor.getValue())) {
      best = floor.getValue();
    }
    for (Entry e : m.subMap(range.start(), false, range.end(), false).values()) {
      if (which.test(e) && (best == null || e.movedAt().isAfter(best.movedAt()))) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * A history with {@code moves} recorded at {@code at}, without entries that moved before {@code
   * forgetBefore} or belong to processes outside {@code alive}.
   */
  public ResidencyHistory withMoves(
      Collection<Move> moves, Instant at, Instant forgetBefore, Set<ProcessId> alive) {
    Map<ProcessId, NavigableMap<Long, Entry>> next = new HashMap<>();
    for (var e : byProcess.entrySet()) {
      if (!alive.contains(e.getKey())) {
        continue;
      }
      NavigableMap<Long, Entry> m = e.getValue();
      boolean stale = false;
      for (Entry en : m.values()) {
        if (en.movedAt().isBefore(forgetBefore)) {
          stale = true;
          break;
        }
      }
      if (stale) {
        TreeMap<Long, Entry> fresh = new TreeMap<>();
        for (Entry en : m.values()) {
          if (!en.movedAt().isBefore(forgetBefore)) {
            fresh.put(en.range().start(), en);
          }
        }
        m = Collections.unmodifiableNavigableMap(fresh);
      }
      if (!m.isEmpty()) {
        next.put(e.getKey(), m);
      }
    }
    Map<ProcessId, TreeMap<Long, Entry>> touched = new HashMap<>();
    for (Move mv : moves) {
      ProcessId key = new ProcessId(mv.pid(), mv.startTimeTicks());
      if (!alive.contains(key)) {
        continue;
      }
      TreeMap<Long, Entry> m =
          touched.computeIfAbsent(
              key,
              k -> {
                NavigableMap<Long, Entry> old = next.get(k);
                return old == null ? new TreeMap<>() : new TreeMap<>(old);
              });
      for (AddressRange r : mv.ranges()) {
        put(m, new Entry(r, mv.direction(), at, mv.toNode()));
      }
    }
    for (var e : touched.entrySet()) {
      next.put(e.getKey(), Collections.unmodifiableNavigableMap(e.getValue()));
    }
    ResidencyHistory h = new ResidencyHistory(Collections.unmodifiableMap(next));
    return h.size() > MAX_ENTRIES ? h.keepNewest(MAX_ENTRIES) : h;
  }

  private static void put(TreeMap<Long, Entry> m, Entry e) {
    AddressRange r = e.range();
    List<Entry> keep = new ArrayList<>();
    var floor = m.floorEntry(r.start());
    if (floor != null && floor.getValue().range().overlaps(r)) {
      m.remove(floor.getKey());
      cut(floor.getValue(), r, keep);
    }
    for (var it = m.subMap(r.start(), true, r.end(), false).entrySet().iterator(); it.hasNext(); ) {
      Entry old = it.next().getValue();
      it.remove();
      cut(old, r, keep);
    }
    for (Entry k : keep) {
      m.put(k.range().start(), k);
    }
    m.put(r.start(), e);
  }

  /** The parts of {@code old} outside {@code r}. */
  private static void cut(Entry old, AddressRange r, List<Entry> out) {
    AddressRange o = old.range();
    if (o.start() < r.start()) {
      out.add(
          new Entry(
              new AddressRange(o.start(), r.start()),
              old.direction(),
              old.movedAt(),
              old.toNode()));
    }
    if (o.end() > r.end()) {
      out.add(
          new Entry(
              new AddressRange(r.end(), o.end()), old.direction(), old.movedAt(), old.toNode()));
    }
  }

  private ResidencyHistory keepNewest(int max) {
    List<Instant> times = new ArrayList<>();
    for (var m : byProcess.values()) {
      for (Entry e : m.values()) {
        times.add(e.movedAt());
      }
    }
    times.sort(Collections.reverseOrder());
    Instant cutoff = times.get(max - 1);
    Map<ProcessId, NavigableMap<Long, Entry>> next = new HashMap<>();
    int kept = 0;
    for (var e : byProcess.entrySet()) {
      TreeMap<Long, Entry> m = new TreeMap<>();
      for (Entry en : e.getValue().values()) {
        if (en.movedAt().isAfter(cutoff) || (en.movedAt().equals(cutoff) && kept < max)) {
          m.put(en.range().start(), en);
          kept++;
        }
      }
      if (!m.isEmpty()) {
        next.put(e.getKey(), Collections.unmodifiableNavigableMap(m));
      }
    }
    return new ResidencyHistory(Collections.unmodifiableMap(next));
  }
}
