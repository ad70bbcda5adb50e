package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tierd.heat.HeatSource;
import tierd.heat.select.Conflict;
import tierd.mover.MoveReport;
import tierd.mover.Outcome;
import tierd.planner.MigrationPlan;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
import tierd.process.ProcessScanner;
import tierd.profile.ProfileSummary;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;

/**
 * What the stages of one cycle found, for the "publish" stage and the {@link CycleReport}. Filled
 * in stage by stage; a stage that did not run (it failed, or the cycle ended before it) left null.
 */
final class StageResults {
  Topology topo;
  HeatSource.Intervals heatIntervals;
  ProcessScanner.Result scan;
  Map<Integer, ProcessCpus> cpus = Map.of();
  List<Conflict> conflicts;
  ScoringResult scores;
  ProfileSummary profile;
  MigrationPlan plan;
  MoveReport moved;

  /** The tiers planned against: the kernel's, or simulated ones ({@code whatIf.fast}). */
  Topology tiers;

  /** The managed processes as placed on {@link #tiers}. */
  List<ManagedProcess> placed;

  /** The tiers were simulated ({@code whatIf.fast} on a one-tier host). */
  boolean whatIf;

  /** Skipped candidates by reason, as published. */
  Map<String, Long> skipped = Map.of();

  /** Pages that failed to move, by errno name, as published. */
  Map<String, Long> failures = Map.of();

  /** True when the cycle planned against more than one tier. */
  boolean tiered() {
    return tiers != null && tiers.isTiered();
  }

  /**
   * The cycle's report.
   *
   * @param failedStage the stage that failed, or null
   * @param error the failure in words, or null
   */
  CycleReport report(
      long number,
      Instant start,
      Duration took,
      boolean dryRun,
      String heatSource,
      Map<String, Duration> stageDurations,
      String failedStage,
      String error) {
    boolean scored = scores != null;
    var planned = plan == null ? null : plan.summary();
    boolean moves = moved != null && !moved.dryRun();
    return new CycleReport(
        number,
        start,
        took,
        dryRun,
        tiered(),
        heatSource,
        heatIntervals,
        scan == null ? 0 : scan.processes().size(),
        scored ? scores.regions().size() : 0,
        scored ? scores.hotBytes() : 0,
        scored ? scores.coldBytes() : 0,
        scored ? scores.thresholds().hot() : 0,
        scored ? scores.thresholds().cold() : 0,
        plan == null ? 0 : plan.moves().size(),
        planned == null ? 0 : planned.promoteBytes(),
        planned == null ? 0 : planned.demoteBytes(),
        moves ? moved.total().bytesMoved() : 0,
        moves ? moved.total().pages(Outcome.MOVED) : 0,
        failures,
        planned == null ? 0 : planned.pingPongs(),
        skipped,
        conflicts == null ? List.of() : conflicts.stream().map(Conflict::message).toList(),
        stageDurations,
        failedStage,
        error,
        whatIf,
        profile,
        plan == null ? List.of() : plan.tenants());
  }
}
