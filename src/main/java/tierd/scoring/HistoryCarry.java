package tierd.scoring;

import tierd.model.ProcessId;

/**
 * Carries one process's region history onto this cycle's observations, for a {@link Scorer}.
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
 */
final class HistoryCarry {

  /** The idle start of a region that is not idle. */
  static final long NOT_IDLE = Long.MIN_VALUE;

  private static final double LN2 = Math.log(2);

  private final ScoringConfig config;

  HistoryCarry(ScoringConfig config) {
    this.config = config;
  }

  /**
   * Carries the old history of one process onto this cycle's observations. {@code windowNanos} is
   * the shortest window of its samples: a cycle that comes sooner after the last counted window
   * (cycles faster than the source's window read the same window again) does not count as a window
   * of its own for the hot streak.
   */
  Pending carry(ProcessId key, Observed obs, History old, long now, long windowNanos) {
    int regionCount = obs.n;
    double[] heat = new double[regionCount];
    int[] streak = new int[regionCount];
    long[] idleSince = new long[regionCount];
    double coldThreshold = config.coldThreshold();
    long sinceLastNanos = old == null ? 0 : now - old.lastUpdate;
    double decay =
        sinceLastNanos > 0 ? Math.exp(-LN2 * sinceLastNanos / config.halfLife().toNanos()) : 1.0;
    int firstOverlapping = 0;
    int oldRegions = old == null ? 0 : old.start.length;
    for (int i = 0; i < regionCount; i++) {
      long regionStart = obs.start[i];
      long regionEnd = obs.end[i];
      double observation = obs.fraction[i];
      while (firstOverlapping < oldRegions && old.end[firstOverlapping] <= regionStart) {
        firstOverlapping++;
      }
      long overlapBytesTotal = 0;
      double overlapWeightedHeat = 0;
      long largestOverlapBytes = 0;
      int carriedStreak = 0;
      long carriedIdle = Long.MIN_VALUE + 1; // max over overlaps; NOT_IDLE if any was not idle
      boolean anyNotIdle = false;
      for (int j = firstOverlapping; j < oldRegions && old.start[j] < regionEnd; j++) {
        long overlapBytes = Math.min(regionEnd, old.end[j]) - Math.max(regionStart, old.start[j]);
        if (overlapBytes <= 0) {
          continue;
        }
        overlapBytesTotal += overlapBytes;
        overlapWeightedHeat += overlapBytes * old.heat[j];
        if (overlapBytes > largestOverlapBytes) {
          largestOverlapBytes = overlapBytes;
          carriedStreak = old.streak[j];
        }
        if (old.idleSince[j] == NOT_IDLE) {
          anyNotIdle = true;
        } else {
          carriedIdle = Math.max(carriedIdle, old.idleSince[j]);
        }
      }
      boolean idleNow = observation <= coldThreshold;
      if (overlapBytesTotal == 0) {
        heat[i] = observation;
        streak[i] = 0;
        idleSince[i] = idleNow ? now - obs.ageNanos[i] : NOT_IDLE;
      } else {
        double coverage = (double) overlapBytesTotal / (regionEnd - regionStart);
        double prior =
            (overlapWeightedHeat / overlapBytesTotal) * coverage + observation * (1 - coverage);
        heat[i] = Math.max(0, Math.min(1, prior * decay + observation * (1 - decay)));
        streak[i] = carriedStreak;
        if (!idleNow) {
          idleSince[i] = NOT_IDLE;
        } else if (!anyNotIdle) {
          idleSince[i] = carriedIdle;
        } else {
          // became idle during the last interval: DAMON's age bounds how long ago
          idleSince[i] = now - Math.min(obs.ageNanos[i], Math.max(0, sinceLastNanos));
        }
      }
    }
    boolean newWindow = old == null || now - old.windowCountedAt >= windowNanos * 9 / 10;
    long windowCountedAt = newWindow ? now : old.windowCountedAt;
    return new Pending(key, obs, regionCount, heat, streak, idleSince, newWindow, windowCountedAt);
  }

  /** One process's new state before the threshold is known. */
  record Pending(
      ProcessId key,
      Observed obs,
      int regionCount,
      double[] heat,
      int[] streak,
      long[] idleSince,
      boolean newWindow,
      long windowCountedAt) {}

  /** One process's history: parallel arrays sorted by start, non-overlapping. */
  record History(
      long[] start,
      long[] end,
      double[] heat,
      int[] streak,
      long[] idleSince,
      long lastUpdate,
      long windowCountedAt) {}
}
