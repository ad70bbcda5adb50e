package tierd.planner;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
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
 * @param cpus where each managed process's threads ran, by pid (the planner promotes toward them; a
 *     pid without an entry, or whose start time differs, falls back to static topology)
 * @param capacityBytes usable bytes now of each demotion-only node ({@code
 *     planner.nodes.N.demotionOnly}) whose capacity source could be read; a demotion-only node
 *     without an entry takes no demotion this cycle and is not emptied either
 */
public record PlanInput(
    Instant now,
    Topology topology,
    List<ManagedProcess> processes,
    List<ScoredRegion> regions,
    Thresholds thresholds,
    List<RegionPlacement> placements,
    Tenancy tenancy,
    Map<Integer, ProcessCpus> cpus,
    Map<Integer, Long> capacityBytes) {

  public PlanInput {
    processes = List.copyOf(processes);
    regions = List.copyOf(regions);
    placements = List.copyOf(placements);
    cpus = Map.copyOf(cpus);
    capacityBytes = Map.copyOf(capacityBytes);
  }

  /** Input without classes, without thread placement and without live capacities. */
  public PlanInput(
      Instant now,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      Thresholds thresholds,
      List<RegionPlacement> placements) {
    this(
        now,
        topology,
        processes,
        regions,
        thresholds,
        placements,
        Tenancy.NONE,
        Map.of(),
        Map.of());
  }

  /** The same input with processes in {@code newTenancy}'s tenants. */
  public PlanInput withTenancy(Tenancy newTenancy) {
    return new PlanInput(
        now, topology, processes, regions, thresholds, placements, newTenancy, cpus, capacityBytes);
  }

  /** The same input with where the processes' threads ran. */
  public PlanInput withCpus(Map<Integer, ProcessCpus> newCpus) {
    return new PlanInput(
        now, topology, processes, regions, thresholds, placements, tenancy, newCpus, capacityBytes);
  }

  /** The same input with the demotion-only nodes' usable bytes now. */
  public PlanInput withCapacities(Map<Integer, Long> newCapacityBytes) {
    return new PlanInput(
        now, topology, processes, regions, thresholds, placements, tenancy, cpus, newCapacityBytes);
  }

  /** Input from a scoring result, with every placement estimated from the VMAs. */
  public static PlanInput estimated(
      Topology topology, List<ManagedProcess> processes, ScoringResult scores) {
    return new PlanInput(
        scores.at(), topology, processes, scores.regions(), scores.thresholds(), List.of());
  }
}
