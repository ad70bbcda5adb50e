package tierd.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tierd.heat.RegionSample;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * Turns region samples into scored regions, cycle after cycle. It is the only stateful part of
 * scoring: per process (pid + start time) it keeps each region's heat, hot-window streak and idle
 * start, and through its {@link ThresholdFit} the rate controller's threshold. State is bounded: a
 * process missing from a cycle's process list is forgotten, and a process keeps at most {@code
 * maxRegionsPerProcess} regions (neighbours are coalesced beyond that).
 *
 * <p>History follows DAMON's region splits and merges: a new region takes the size-weighted heat of
 * the old regions it overlaps (a part that overlaps none counts at the new observation), the
 * hot-window streak of the old region it overlaps most, and the most recent idle start of the old
 * regions (the least idle one wins, so merging never makes data look colder).
 *
 * <p>An observation is the sample's access rate on the {@link HeatScale} (rate / (rate + 1/s)), not
 * its raw access fraction, so a source may re-tune its intervals without moving a region's heat.
 * Heat decays in time: {@code heat' = heat·2^(−dt/halfLife) + x·(1 − 2^(−dt/halfLife))}, where
 * {@code x} is the new observation and {@code dt} the time since the process was last scored. A
 * region seen for the first time starts at its observation.
 *
 * <p>Classes: COLD when the region has been idle (every observation at or below the cold threshold)
 * for at least {@code coldMinAge} — age, not frequency, decides cold (seed 003) and it wins over a
 * heat that has not decayed yet; HOT when its heat is at or above the hot threshold in this window;
 * WARM otherwise. A HOT region's streak ({@link ScoredRegion#hotWindows()}) says for how many
 * consecutive windows; it is <em>confirmed</em> after {@code confirmWindows} ({@link
 * Thresholds#confirmed}). The planner moves hot data of one window into free room at once, and
 * demotes other data to make room only for confirmed hot data (issue 16: confirmation matters only
 * when something must go down for it).
 *
 * <p>The hot threshold, unless pinned, is fitted each cycle by {@link ThresholdFit} from the
 * cycle's heat histogram and the previous plan's promotion feedback.
 *
 * <p>Not thread-safe: one cycle at a time.
 */
public final class Scorer {

  private static final long NOT_IDLE = Long.MIN_VALUE;
  private static final double LN2 = Math.log(2);

  private final ScoringConfig config;
  private final Map<ProcessId, History> histories = new HashMap<>();
  private final ThresholdFit thresholdFit;
  private int maxTrackedRegions = Integer.MAX_VALUE;
  private Thresholds thresholds;

  public Scorer(ScoringConfig config) {
    this.config = config;
    this.thresholdFit = new ThresholdFit(config);
    this.thresholds = thresholdFit.initial();
  }

  public ScoringConfig config() {
    return config;
  }

  /** The thresholds of the last cycle (before the first, the floor or the pinned value). */
  public Thresholds thresholds() {
    return thresholds;
  }

  /** Processes the scorer holds history for. */
  public int trackedProcesses() {
    return histories.size();
  }

  /** Regions of history held for {@code key}, 0 when none. */
  public int trackedRegions(ProcessId key) {
    History h = histories.get(key);
    return h == null ? 0 : h.start.length;
  }

  /** Scores one cycle's samples and updates the history. */
  public ScoringResult score(ScoringInput in) {
    long now = nanos(in.now());
    Map<Integer, ProcessId> keyOfPid = new HashMap<>();
    for (ManagedProcess p : in.processes()) {
      keyOfPid.put(p.pid(), new ProcessId(p.pid(), p.startTimeTicks()));
    }
    Set<ProcessId> alive = new HashSet<>(keyOfPid.values());
    histories.keySet().retainAll(alive);

    Map<Integer, List<RegionSample>> byPid = new HashMap<>();
    int physical = 0;
    int unknown = 0;
    int lastPid = RegionSample.PHYSICAL;
    List<RegionSample> last = null; // sources emit a process's samples together: skip the lookup
    for (RegionSample s : in.samples()) {
      if (s.pid() == lastPid && last != null) {
        last.add(s);
      } else if (s.pid() == RegionSample.PHYSICAL) {
        physical++;
      } else if (!keyOfPid.containsKey(s.pid())) {
        unknown++;
      } else {
        lastPid = s.pid();
        last = byPid.computeIfAbsent(s.pid(), k -> new ArrayList<>());
        last.add(s);
      }
    }
    int[] pids = byPid.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();

    long[] bytesPerHeatBin = new long[ThresholdFit.BINS];
    List<Pending> pending = new ArrayList<>(pids.length);
    int trimmed = 0;
    int coalesced = 0;
    for (int pid : pids) {
      ProcessId key = keyOfPid.get(pid);
      List<RegionSample> samplesOfPid = byPid.get(pid);
      Observed obs = Observed.of(samplesOfPid);
      trimmed += obs.trimmed;
      coalesced += obs.coalesce(config.maxRegionsPerProcess());
      Pending p = carry(key, obs, histories.get(key), now, shortestWindowNanos(samplesOfPid));
      for (int i = 0; i < p.n; i++) {
        ThresholdFit.addToHistogram(bytesPerHeatBin, p.heat[i], p.obs.end[i] - p.obs.start[i]);
      }
      pending.add(p);
    }

    thresholds = thresholdFit.fit(in.topology(), bytesPerHeatBin, in.feedback(), thresholds.hot());
    double hot = thresholds.hot();

    List<ScoredRegion> out = new ArrayList<>(pending.stream().mapToInt(p -> p.n).sum());
    long hotBytes = 0;
    long coldBytes = 0;
    long aboveHot = 0;
    long coldMinAge = config.coldMinAge().toNanos();
    for (Pending p : pending) {
      int[] streak = new int[p.n];
      for (int i = 0; i < p.n; i++) {
        double heat = p.heat[i];
        long size = p.obs.end[i] - p.obs.start[i];
        if (heat < hot) {
          streak[i] = 0;
        } else {
          streak[i] = p.newWindow ? Math.min(p.streak[i] + 1, 1_000_000) : p.streak[i];
        }
        long idleAge = p.idleSince[i] == NOT_IDLE ? 0 : Math.max(0, now - p.idleSince[i]);
        HeatClass cls;
        if (p.idleSince[i] != NOT_IDLE && idleAge >= coldMinAge) {
          cls = HeatClass.COLD;
          coldBytes += size;
        } else if (streak[i] >= 1) {
          cls = HeatClass.HOT;
          hotBytes += size;
        } else {
          cls = HeatClass.WARM;
        }
        if (heat >= hot) {
          aboveHot += size;
        }
        out.add(
            new ScoredRegion(
                p.key.pid(),
                p.key.startTimeTicks(),
                p.obs.range(i),
                heat,
                cls,
                streak[i],
                idleAge == 0 ? Duration.ZERO : Duration.ofNanos(idleAge)));
      }
      histories.put(
          p.key,
          new History(
              Arrays.copyOf(p.obs.start, p.n),
              Arrays.copyOf(p.obs.end, p.n),
              p.heat,
              streak,
              p.idleSince,
              now,
              p.windowCountedAt));
    }
    boundHistory(pending);
    thresholds =
        new Thresholds(
            thresholds.hot(),
            thresholds.cold(),
            thresholds.pinned(),
            thresholds.capacityFit(),
            thresholds.rateFit(),
            thresholds.hotCapacityBytes(),
            aboveHot,
            thresholds.confirmWindows());
    return new ScoringResult(
        in.now(),
        out,
        thresholds,
        hotBytes,
        coldBytes,
        physical,
        unknown,
        trimmed,
        coalesced,
        histories.size());
  }

  /**
   * Keeps at most {@code regions} regions of history over all processes, a memory bound (the
   * daemon's region limit). A cycle's samples are bounded before they get here; what can pile up is
   * the history of processes the source stopped reporting, which is dropped first when a cycle ends
   * above the bound (they start afresh if they are sampled again).
   */
  public void maxTrackedRegions(int regions) {
    if (regions < 1) {
      throw new IllegalArgumentException("max tracked regions must be at least 1: " + regions);
    }
    maxTrackedRegions = regions;
  }

  private void boundHistory(List<Pending> sampled) {
    long total = 0;
    for (History h : histories.values()) {
      total += h.start.length;
    }
    if (total > maxTrackedRegions) {
      Set<ProcessId> keep = new HashSet<>();
      sampled.forEach(p -> keep.add(p.key));
      histories.keySet().retainAll(keep);
    }
  }

  /**
   * Carries the old history of one process onto this cycle's observations. {@code windowNanos} is
   * the shortest window of its samples: a cycle that comes sooner after the last counted window
   * (cycles faster than the source's window read the same window again) does not count as a window
   * of its own for the hot streak.
   */
  private Pending carry(ProcessId key, Observed obs, History old, long now, long windowNanos) {
    int n = obs.n;
    double[] heat = new double[n];
    int[] streak = new int[n];
    long[] idleSince = new long[n];
    double cold = config.coldThreshold();
    long dt = old == null ? 0 : now - old.lastUpdate;
    double decay = dt > 0 ? Math.exp(-LN2 * dt / config.halfLife().toNanos()) : 1.0;
    int j0 = 0;
    int m = old == null ? 0 : old.start.length;
    for (int i = 0; i < n; i++) {
      long s = obs.start[i];
      long e = obs.end[i];
      double x = obs.fraction[i];
      while (j0 < m && old.end[j0] <= s) {
        j0++;
      }
      long sumOv = 0;
      double sumHeat = 0;
      long bestOv = 0;
      int carriedStreak = 0;
      long carriedIdle = Long.MIN_VALUE + 1; // max over overlaps; NOT_IDLE if any was not idle
      boolean anyNotIdle = false;
      for (int j = j0; j < m && old.start[j] < e; j++) {
        long ov = Math.min(e, old.end[j]) - Math.max(s, old.start[j]);
        if (ov <= 0) {
          continue;
        }
        sumOv += ov;
        sumHeat += ov * old.heat[j];
        if (ov > bestOv) {
          bestOv = ov;
          carriedStreak = old.streak[j];
        }
        if (old.idleSince[j] == NOT_IDLE) {
          anyNotIdle = true;
        } else {
          carriedIdle = Math.max(carriedIdle, old.idleSince[j]);
        }
      }
      boolean idleNow = x <= cold;
      if (sumOv == 0) {
        heat[i] = x;
        streak[i] = 0;
        idleSince[i] = idleNow ? now - obs.ageNanos[i] : NOT_IDLE;
      } else {
        double coverage = (double) sumOv / (e - s);
        double prior = (sumHeat / sumOv) * coverage + x * (1 - coverage);
        heat[i] = Math.max(0, Math.min(1, prior * decay + x * (1 - decay)));
        streak[i] = carriedStreak;
        if (!idleNow) {
          idleSince[i] = NOT_IDLE;
        } else if (!anyNotIdle) {
          idleSince[i] = carriedIdle;
        } else {
          // became idle during the last interval: DAMON's age bounds how long ago
          idleSince[i] = now - Math.min(obs.ageNanos[i], Math.max(0, dt));
        }
      }
    }
    boolean newWindow = old == null || now - old.windowCountedAt >= windowNanos * 9 / 10;
    long countedAt = newWindow ? now : old.windowCountedAt;
    return new Pending(key, obs, n, heat, streak, idleSince, newWindow, countedAt);
  }

  private static long shortestWindowNanos(List<RegionSample> samples) {
    long shortest = Long.MAX_VALUE;
    for (RegionSample sample : samples) {
      shortest = Math.min(shortest, sample.window().toNanos());
    }
    return shortest == Long.MAX_VALUE ? 0 : shortest;
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  /** One process's new state before the threshold is known. */
  private record Pending(
      ProcessId key,
      Observed obs,
      int n,
      double[] heat,
      int[] streak,
      long[] idleSince,
      boolean newWindow,
      long windowCountedAt) {}

  /** One process's history: parallel arrays sorted by start, non-overlapping. */
  private record History(
      long[] start,
      long[] end,
      double[] heat,
      int[] streak,
      long[] idleSince,
      long lastUpdate,
      long windowCountedAt) {}
}
