package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tierd.heat.RegionSample;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * Holds back the samples of processes whose heat source has not split their regions yet. A new
 * DAMON target starts with a few large regions, and one spanning a hot and a cold buffer makes the
 * cold one look hot. A process's warm-up ends once its region count differs from the count in the
 * first window that had samples of it (DAMON has split and merged at least once since), or after
 * {@code heat.warmup} at the latest. Sources whose regions do not adapt (one sample per page chunk
 * or per VMA) need no warm-up.
 */
final class WarmUp {

  /** One watched process: when its first samples came, and how many regions they had. */
  private record Watch(Instant firstSeen, int firstRegions, boolean warm) {}

  private final Map<ProcessId, Watch> watched = new HashMap<>();
  private Set<ProcessId> known = Set.of();
  private int newcomers;

  /**
   * The samples that may be scored. {@code regionsAdapt}: the source's regions split and merge
   * (DAMON); {@code longest}: the latest a warm-up ends ({@code heat.warmup}; zero turns it off).
   */
  List<RegionSample> warmedUp(
      List<RegionSample> samples,
      List<ManagedProcess> processes,
      Instant now,
      boolean regionsAdapt,
      Duration longest) {
    Map<Integer, ProcessId> keyOfPid = new HashMap<>();
    processes.forEach(p -> keyOfPid.put(p.pid(), new ProcessId(p.pid(), p.startTimeTicks())));
    Set<ProcessId> keysNow = Set.copyOf(keyOfPid.values());
    newcomers = (int) keysNow.stream().filter(k -> !known.contains(k)).count();
    known = keysNow;
    if (!regionsAdapt || longest.isZero()) {
      return samples;
    }
    watched.keySet().retainAll(keyOfPid.values());
    Map<Integer, Integer> regionsOfPid = new HashMap<>();
    samples.forEach(s -> regionsOfPid.merge(s.pid(), 1, Integer::sum));
    Set<Integer> warming = new HashSet<>();
    for (Map.Entry<Integer, Integer> entry : regionsOfPid.entrySet()) {
      ProcessId key = keyOfPid.get(entry.getKey());
      if (key == null) {
        continue; // not a managed process: the scorer counts it
      }
      int regions = entry.getValue();
      Watch watch = watched.computeIfAbsent(key, k -> new Watch(now, regions, false));
      boolean warm =
          watch.warm()
              || regions != watch.firstRegions()
              || !now.isBefore(watch.firstSeen().plus(longest));
      if (warm != watch.warm()) {
        watched.put(key, new Watch(watch.firstSeen(), watch.firstRegions(), true));
      }
      if (!warm) {
        warming.add(entry.getKey());
      }
    }
    if (warming.isEmpty()) {
      return samples;
    }
    return samples.stream().filter(s -> !warming.contains(s.pid())).toList();
  }

  /**
   * Processes managed this cycle that were not the cycle before: their heat source has just been
   * told to watch them, and their first samples come in the next window.
   */
  int newcomers() {
    return newcomers;
  }

  /** Processes whose samples are held back now. */
  int warming() {
    return (int) watched.values().stream().filter(w -> !w.warm()).count();
  }

  /** Forgets everything (a new source starts over). */
  void clear() {
    watched.clear();
    known = Set.of();
  }
}
