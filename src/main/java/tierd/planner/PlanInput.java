package tierd.planner;

import java.time.Instant;
import java.util.List;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;
import tierd.scoring.ScoringResult;
import tierd.scoring.Thresholds;
import tierd.topology.Topology;

/**
 * What one planning cycle needs; all of it is read at the start of the cycle.
 *
 * @param now the cycle's time (the planner never reads a clock)
 * @param topology nodes with free memory and watermarks, tiers, targets
 * @param processes managed processes with their allowed nodes and VMAs (policy, pages per node)
 * @param regions scored regions, best sorted by pid then start (as {@link ScoringResult} gives
 *     them); regions of one process must not overlap
 * @param thresholds the scoring thresholds (for the hysteresis gap and the explanations)
 * @param placements bytes per node for ranges of the regions, sorted by pid then start and
 *     non-overlapping per pid; a part of a region no placement covers is estimated from its VMA (so
 *     an empty list means "estimate everything")
 * @param tenancy the tenant of each process ({@link Tenancy#NONE} without classes)
 */
public record PlanInput(
    Instant now,
    Topology topology,
    List<ManagedProcess> processes,
    List<ScoredRegion> regions,
    Thresholds thresholds,
    List<RegionPlacement> placements,
    Tenancy tenancy) {

  public PlanInput {
    processes = List.copyOf(processes);
    regions = List.copyOf(regions);
    placements = List.copyOf(placements);
  }

  /** Input without classes. */
  public PlanInput(
      Instant now,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      Thresholds thresholds,
      List<RegionPlacement> placements) {
    this(now, topology, processes, regions, thresholds, placements, Tenancy.NONE);
  }

  /** The same input with processes in {@code newTenancy}'s tenants. */
  public PlanInput withTenancy(Tenancy newTenancy) {
    return new PlanInput(now, topology, processes, regions, thresholds, placements, newTenancy);
  }

  /** Input from a scoring result, with every placement estimated from the VMAs. */
  public static PlanInput estimated(
      Topology topology, List<ManagedProcess> processes, ScoringResult scores) {
    return new PlanInput(
        scores.at(), topology, processes, scores.regions(), scores.thresholds(), List.of());
  }
}
