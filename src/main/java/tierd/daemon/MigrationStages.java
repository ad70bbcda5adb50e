package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import tierd.config.TierdConfig;
import tierd.mover.DryRunMover;
import tierd.mover.MoveLimits;
import tierd.mover.Outcome;
import tierd.mover.PageMover;
import tierd.mover.Ticker;
import tierd.planner.MigrationPlan;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerState;
import tierd.planner.RegionPlacement;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.scoring.PromotionFeedback;
import tierd.whatif.SimulatedTiers;

/**
 * The stages of {@link TieringCycle} that run on tiered memory only: placement → plan → move, and
 * the state they keep across cycles (the planner's budgets and residency, the promotion feedback
 * the next scoring takes, the placements tierd's own moves left ({@link MovedPlacements}), the
 * demotion-only nodes ({@link DemotionOnlyNodes})). {@link FreshPlanner} plans on VMAs read this
 * cycle; {@link MoveStage} hands the plan's moves to the mover.
 *
 * <p>With simulated tiers ({@code whatIf.fast} on a one-tier host) placement is estimated from the
 * simulated VMAs, the plan is made against the simulated tiers alone, and it goes to a recorder
 * that never moves a page; what it "moved" is not remembered.
 *
 * <p>Not thread-safe: the cycle is its only caller.
 */
final class MigrationStages {

  private final TieringCycle.Parts parts;
  private final DryRunSwitch movers;
  private final FreshPlanner freshPlanner;
  private final MoveStage moveStage;

  /** What-if plans are recorded here, never by the parts' mover: a simulated tier moves nothing. */
  private final PageMover whatIfMover = DryRunMover.recording(Ticker.system());

  private TierdConfig config;
  private Planner planner;
  private DemotionOnlyNodes demotionOnly;
  private MovedPlacements movedPlacements = new MovedPlacements(Duration.ZERO);
  private PlannerState plannerState = PlannerState.initial();
  private PromotionFeedback feedback = PromotionFeedback.NONE;
  private MigrationPlan lastPlan;
  private boolean movesLeft;

  /**
   * @param movers the placement probe and the mover, or dry-run after a native failure
   * @param scanner the cycle's scanner (plans re-read stale numa_maps; moves mark theirs stale)
   */
  MigrationStages(TieringCycle.Parts parts, DryRunSwitch movers, ProcessScanner scanner) {
    this.parts = parts;
    this.movers = movers;
    this.freshPlanner = new FreshPlanner(scanner, parts.metrics().scan());
    this.moveStage = new MoveStage(scanner, System::nanoTime);
  }

  /**
   * Applies a (re)loaded config; the planner state and the demotion-only nodes' history survive.
   */
  void apply(TierdConfig c) {
    this.config = c;
    this.planner = new Planner(c.stages().planner());
    this.demotionOnly =
        demotionOnly == null
            ? DemotionOnlyNodes.of(
                parts.root(), parts.pageBytes(), c.stages().planner(), c.runtimeDirectory())
            : demotionOnly.reconfigured(
                parts.root(), parts.pageBytes(), c.stages().planner(), c.runtimeDirectory());
    this.movedPlacements = new MovedPlacements(c.stages().planner().historyRetention());
    freshPlanner.classes(c.classes());
    this.moveStage.progressLogInterval(c.stages().mover().progressLogInterval());
  }

  /** After discover: what the demotion-only nodes hold of the managed processes, as a metric. */
  void reportDemotionOnly(List<ManagedProcess> procs) {
    demotionOnly.report(procs, parts.metrics().demotionOnly());
  }

  /** The last plan's promotion feedback, for the next cycle's scoring. */
  PromotionFeedback feedback() {
    return feedback;
  }

  MigrationPlan lastPlan() {
    return lastPlan;
  }

  /**
   * True when the last move stage yielded with moves left ({@link Outcome#DEFERRED}) on the
   * kernel's tiers: the next cycle may plan on the same heat window ({@link CarriedWindow}).
   */
  boolean movesLeft() {
    return movesLeft;
  }

  /**
   * Runs "placement", "plan" and "move" under {@code stages}, on what the stages before found in
   * {@code r} (tiers, placed processes, cpus, scores); the plan and the move report go into {@code
   * r}.
   *
   * @param sim the simulated tiers ({@code whatIf.fast}), or null on the kernel's own tiers
   * @param now the cycle's scoring time
   */
  void run(StageRunner stages, StageResults r, SimulatedTiers sim, Instant now) {
    movesLeft = false;
    List<ManagedProcess> procs = r.scan.processes();
    List<RegionPlacement> placements =
        stages.call(
            "placement",
            () ->
                sim != null
                    ? List.<RegionPlacement>of() // estimated from the simulated VMAs
                    : movers
                        .placement()
                        .map(
                            p ->
                                movedPlacements.besides(
                                    p.probe(procs, r.scores.regions()).placements(), procs, now))
                        .orElse(List.of()));
    UnaryOperator<List<Vma>> placeVmas = sim == null ? UnaryOperator.identity() : sim::vmas;
    r.plan =
        stages.call(
            "plan",
            () -> {
              Map<Integer, Long> capacities =
                  sim == null
                      ? demotionOnly.capacitiesNow(parts.metrics().demotionOnly())
                      : Map.of();
              PlanResult planned =
                  freshPlanner.plan(
                      planner,
                      plannerState,
                      now,
                      sim == null ? demotionOnly.forPlan(r.tiers) : r.tiers,
                      r.placed,
                      r.scores,
                      placements,
                      placeVmas,
                      sim == null ? r.cpus : Map.of(),
                      capacities);
              plannerState = planned.next();
              lastPlan = planned.plan();
              feedback = lastPlan.feedback();
              return lastPlan;
            });
    PageMover moveWith = sim != null ? whatIfMover : movers.mover();
    MoveLimits moveLimits =
        sim != null
            ? MoveLimits.NONE
            : demotionOnly.limits(
                MoveStage.limits(config, parts.root(), parts.pageBytes(), r.topo, movers.dryRun()));
    r.moved =
        stages.call(
            "move",
            () -> {
              MoveStage.Moved moved = moveStage.move(r.plan, moveWith, moveLimits);
              if (sim == null) {
                demotionOnly.moved(moved.requests(), moved.report());
                movedPlacements.record(moved.requests(), moved.report(), parts.clock().instant());
                movesLeft =
                    !moved.report().dryRun() && moved.report().total().pages(Outcome.DEFERRED) > 0;
              }
              return moved.report();
            });
  }
}
