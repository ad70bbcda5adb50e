package tierd.scoring;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one scoring cycle.
 *
 * @param at the cycle's time
 * @param regions scored regions sorted by pid, then start; regions of one process never overlap
 * @param thresholds the thresholds used
 * @param hotBytes bytes classed HOT
 * @param coldBytes bytes classed COLD
 * @param droppedPhysical samples of physical ranges with no owning process (not scored)
 * @param droppedUnknownPid samples of pids that are not managed this cycle
 * @param trimmedOverlaps samples of one process that overlapped an earlier one and were trimmed
 * @param coalescedRegions regions merged into a neighbour to stay within the per-process cap
 * @param trackedProcesses processes the scorer holds history for after this cycle
 */
public record ScoringResult(
    Instant at,
    List<ScoredRegion> regions,
    Thresholds thresholds,
    long hotBytes,
    long coldBytes,
    int droppedPhysical,
    int droppedUnknownPid,
    int trimmedOverlaps,
    int coalescedRegions,
    int trackedProcesses) {

  public ScoringResult {
    regions = List.copyOf(regions);
  }
}
