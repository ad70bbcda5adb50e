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
import tierd.scoring.HistoryCarry.History;
import tierd.scoring.HistoryCarry.Pending;

/**
 * Turns region samples into scored regions, cycle after cycle. It is the only stateful part of
 * scoring: per process (pid + start time) it keeps each region's heat, hot-window streak and idle
 * start, and through its {@link ThresholdFit} the rate controller's threshold. State is bounded: a
 * process missing from a cycle's process list is forgotten, and a process keeps at most {@code
 * maxRegionsPerProcess} regions (neighbours are coalesced beyond that).
 *
 * <p>Each cycle, {@link HistoryCarry} carries a process's history onto its new observations,
 * following DAMON's region splits and merges and decaying heat in time.
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

  private final ScoringConfig config;
  private final Map<ProcessId, History> histories = new HashMap<>();
  private final HistoryCarry historyCarry;
  private final ThresholdFit thresholdFit;
  private int maxTrackedRegions = Integer.MAX_VALUE;
  private Thresholds thresholds;

  public Scorer(ScoringConfig config) {
    this.config = config;
    this.historyCarry = new HistoryCarry(config);
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
    History history = histories.get(key);
    return history == null ? 0 : history.start().length;
  }

  /** Scores one cycle's samples and updates the history. */
  public ScoringResult score(ScoringInput in) {
    long now = nanos(in.now());
    Map<Integer, ProcessId> keyOfPid = new HashMap<>();
    for (ManagedProcess process : in.processes()) {
      keyOfPid.put(process.pid(), new ProcessId(process.pid(), process.startTimeTicks()));
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
      Pending carried =
          historyCarry.carry(key, obs, histories.get(key), now, shortestWindowNanos(samplesOfPid));
      for (int i = 0; i < carried.regionCount(); i++) {
        ThresholdFit.addToHistogram(
            bytesPerHeatBin, carried.heat()[i], carried.obs().end[i] - carried.obs().start[i]);
      }
      pending.add(carried);
    }

    thresholds = thresholdFit.fit(in.topology(), bytesPerHeatBin, in.feedback(), thresholds.hot());
    double hot = thresholds.hot();

    List<ScoredRegion> out = new ArrayList<>(pending.stream().mapToInt(Pending::regionCount).sum());
    long hotBytes = 0;
    long coldBytes = 0;
    long aboveHot = 0;
    long coldMinAge = config.coldMinAge().toNanos();
    for (Pending carried : pending) {
      int[] streak = new int[carried.regionCount()];
      for (int i = 0; i < carried.regionCount(); i++) {
        double heat = carried.heat()[i];
        long size = carried.obs().end[i] - carried.obs().start[i];
        if (heat < hot) {
          streak[i] = 0;
        } else {
          int carriedStreak = carried.streak()[i];
          streak[i] = carried.newWindow() ? Math.min(carriedStreak + 1, 1_000_000) : carriedStreak;
        }
        long idleSince = carried.idleSince()[i];
        long idleAge = idleSince == HistoryCarry.NOT_IDLE ? 0 : Math.max(0, now - idleSince);
        HeatClass cls;
        if (idleSince != HistoryCarry.NOT_IDLE && idleAge >= coldMinAge) {
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
                carried.key().pid(),
                carried.key().startTimeTicks(),
                carried.obs().range(i),
                heat,
                cls,
                streak[i],
                idleAge == 0 ? Duration.ZERO : Duration.ofNanos(idleAge)));
      }
      histories.put(
          carried.key(),
          new History(
              Arrays.copyOf(carried.obs().start, carried.regionCount()),
              Arrays.copyOf(carried.obs().end, carried.regionCount()),
              carried.heat(),
              streak,
              carried.idleSince(),
              now,
              carried.windowCountedAt()));
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
    for (History history : histories.values()) {
      total += history.start().length;
    }
    if (total > maxTrackedRegions) {
      Set<ProcessId> keep = new HashSet<>();
      sampled.forEach(carried -> keep.add(carried.key()));
      histories.keySet().retainAll(keep);
    }
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
}
