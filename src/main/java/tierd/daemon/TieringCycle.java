package tierd.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.daemon.StageRunner.StageFailure;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.CpuList;
import tierd.mover.PageMover;
import tierd.planner.MigrationPlan;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.process.ThreadCpus;
import tierd.profile.ProfileHistory;
import tierd.profile.WindowProfile;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;
import tierd.source.proc.Vmstat;
import tierd.topology.Topology;
import tierd.whatif.SimulatedTiers;

/**
 * One cycle of tierd, stage by stage ({@link #STAGES}): topology → vmstat → discover → heat →
 * conflicts → score → profile → placement → plan → move → publish. Holds the state that lives
 * across cycles (the scorer's history, the profile, the heat source; the planner's budgets and
 * residency in {@link MigrationStages}).
 *
 * <p>Everything a cycle does runs under one failure boundary, {@link StageRunner}: every stage is
 * timed and counted, and a stage that throws fails the cycle, which is reported, logged (once, see
 * {@link FailureLog}) and counted in tierd_cycle_failures_total{stage}; the next cycle starts
 * afresh from the kernel's state. "publish" (metrics, log lines, the report) runs after the other
 * stages, also after one of them failed, with whatever they found. A LinkageError (a native library
 * or symbol JNA cannot link) switches this cycle to dry-run for good.
 *
 * <p>The concerns are units of their own: {@link HeatSupervisor} (the heat source across cycles),
 * {@link MigrationStages} (placement, plan and move: {@link FreshPlanner} plans on VMAs read this
 * cycle, {@link MoveStage} takes a plan's moves through the mover, with progress lines), {@link
 * DryRunSwitch} (the mover and placement probe, and the switch to dry-run after a native failure),
 * {@link CyclePublisher} (metrics and log lines), {@link StageResults} (what the stages found, and
 * the report made of it).
 *
 * <p>Not thread-safe: the daemon loop is its only caller.
 */
public final class TieringCycle implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  /** The parts a cycle needs; tests pass fakes (fixture root, fake kernel, recording mover). */
  public record Parts(
      KernelRoot root,
      long pageBytes,
      Clock clock,
      PageMover mover,
      boolean dryRun,
      Optional<PlacementProbe> placement,
      HeatSourceFactory heat,
      ConflictCheck conflicts,
      TierdMetrics metrics) {}

  /** The stages of a cycle, in the order they run: the values of the {@code stage} labels. */
  public static final List<String> STAGES =
      List.of(
          "topology",
          "vmstat",
          "discover",
          "heat",
          "conflicts",
          "score",
          "profile",
          "placement",
          "plan",
          "move",
          "publish");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Parts parts;
  private final CyclePublisher publisher;
  private final FailureLog failures;
  private final HeatSupervisor heat;

  /** One scanner for the daemon's life: it keeps the last maps and numa_maps of each process. */
  private final ProcessScanner scanner;

  private final ThreadCpus threadCpus;
  private final AdaptingTopology topology = new AdaptingTopology();
  private final WhatIfTiers whatIf = new WhatIfTiers();

  private TierdConfig config;
  private Scorer scorer;
  private HeatBudget heatBudget;
  private TrackingLimits limits = TrackingLimits.forHeap(Runtime.getRuntime().maxMemory());
  private ProfileHistory profile = ProfileHistory.forDaemon();
  private final DryRunSwitch movers;
  private final MigrationStages migration;
  private final CarriedWindow carriedWindow = new CarriedWindow();
  private long number;
  private Consumer<String> beforeEachStage = stage -> {};

  public TieringCycle(TierdConfig config, Parts parts) {
    this.parts = parts;
    this.movers =
        new DryRunSwitch(parts.mover(), parts.placement(), parts.dryRun(), parts.metrics());
    this.publisher = new CyclePublisher(parts.metrics());
    this.failures = new FailureLog(log, parts.clock());
    this.heat = new HeatSupervisor(parts.heat(), parts.metrics(), parts.clock());
    this.scanner = new ProcessScanner(parts.root());
    this.threadCpus = new ThreadCpus(parts.root());
    this.migration = new MigrationStages(parts, movers, scanner);
    parts.metrics().cycleFailureStages(STAGES);
    apply(config);
  }

  /** Applies a (re)loaded config; history and budgets survive, thresholds re-fit. */
  public void apply(TierdConfig c) {
    this.config = c;
    this.scorer =
        scorer == null || !scorer.config().equals(c.stages().scoring())
            ? new Scorer(c.stages().scoring())
            : scorer;
    migration.apply(c);
    carriedWindow.clear();
    parts.metrics().tenants().configure(c.classes());
    this.heatBudget = new HeatBudget(c.profile().cpuBudget());
    this.scorer.maxTrackedRegions(limits.maxRegions());
  }

  public MigrationPlan lastPlan() {
    return migration.lastPlan();
  }

  public String heatSourceName() {
    return heat.name();
  }

  /**
   * Processes whose heat is held back until their regions split, or that were discovered this cycle
   * and whose first samples come in the next window (the daemon runs at its busy interval then).
   */
  public int warmingProcesses() {
    return heat.warmingProcesses();
  }

  /**
   * Whether the heat source already shows a load that started since this cycle's collect: the loop
   * then starts the next cycle early ({@link tierd.heat.HeatSource#surged()}).
   */
  public boolean heatSurged() {
    return heat.surged();
  }

  /** Replaces the limits derived from the heap (tests, benchmarks). */
  public void limits(TrackingLimits l) {
    limits = l;
    scorer.maxTrackedRegions(l.maxRegions());
  }

  /**
   * Runs one cycle; never throws for a kernel or data problem, nor for a bug in a stage: every
   * stage, and publishing what the stages found, runs under {@link StageRunner}'s failure boundary,
   * and a failure is in the report (only a VirtualMachineError goes through).
   */
  public CycleReport run() {
    number++;
    Instant start = parts.clock().instant();
    long startNanos = System.nanoTime();
    StageRunner stages = new StageRunner(parts.metrics()::stage, System::nanoTime, beforeEachStage);
    StageResults r = new StageResults();
    StageFailure failure = null;
    try {
      runStages(stages, r);
    } catch (StageFailure f) {
      failure = f;
    }
    try {
      stages.run("publish", () -> publisher.publish(r, config, limits, dryRun()));
    } catch (StageFailure f) {
      if (failure == null) {
        failure = f;
      } else {
        log.debug("cycle {}: publishing after the failure failed too", number, f.getCause());
        switchToDryRunOn(f);
      }
    }
    return finish(stages, failure, r, start, startNanos);
  }

  /**
   * The stages from topology to move; each keeps its result in {@code r} for publish. On a host
   * with one memory tier the cycle ends after the profile (heat and scoring run on every host),
   * unless {@code whatIf.fast} simulates a fast tier: then it plans against the simulated tiers and
   * the plan goes to a recorder that never moves a page.
   */
  private void runStages(StageRunner stages, StageResults r) {
    r.topo =
        stages.call(
            "topology",
            () ->
                topology.read(
                    parts.root(), parts.pageBytes(), config.tiers(), parts.metrics().scan()));
    stages.run(
        "vmstat",
        () -> {
          if (KernelFiles.exists(parts.root().proc("vmstat"))) {
            parts.metrics().vmstat(Vmstat.read(parts.root()));
          }
        });
    long self = parts.root().isHost() ? ProcessHandle.current().pid() : -1;
    r.scan =
        stages.call(
            "discover",
            () -> {
              scanner.numaMapsMaxAge(config.processes().numaMapsMaxAgeCycles(config.interval()));
              scanner.maxFileBytes(limits.maxFileBytes());
              ProcessScanner.Result scanned =
                  scanner.scan(config.processes().filter(self), r.topo.nodeIds(), limits.maxVmas());
              r.cpus = threadCpus.read(scanned.processes(), cpusByNode(r.topo));
              return scanned;
            });
    List<ManagedProcess> procs = r.scan.processes();
    migration.reportDemotionOnly(procs);
    SimulatedTiers sim =
        config.whatIf().enabled()
            ? stages.call("whatif", () -> whatIf.of(r.topo, config.whatIf()).orElse(null))
            : null;
    r.tiers = sim == null ? r.topo : sim.topology();
    r.whatIf = sim != null;
    r.placed = sim == null ? procs : sim.processes(procs);
    if (!r.tiers.isTiered() && !heatBudget.due(System.nanoTime())) {
      // Nothing to tier and the heat source spent its CPU share (profile.cpuBudget): the profile
      // keeps its last window until the next collect.
      r.profile = profile.summary().orElse(null);
      return;
    }
    Optional<ScoringResult> carried =
        sim == null ? carriedWindow.reusable(migration.movesLeft()) : Optional.empty();
    if (carried.isPresent()) {
      log.info(
          "cycle {}: planning on the last heat window again (the last move stage left moves)",
          number);
      r.scores = carried.get();
      r.heatIntervals = heat.intervals().orElse(null);
      r.profile = profile.summary().orElse(null);
      migration.run(stages, r, sim, parts.clock().instant());
      return;
    }
    long heatCpuNanos = THREADS.getCurrentThreadCpuTime();
    List<RegionSample> samples =
        stages.call("heat", () -> heat.collect(procs, limits, config.stages().heat().warmup()));
    heatBudget.spent(THREADS.getCurrentThreadCpuTime() - heatCpuNanos, System.nanoTime());
    r.heatIntervals = heat.intervals().orElse(null);
    parts
        .metrics()
        .heatIntervals(
            r.heatIntervals == null ? null : r.heatIntervals.check(),
            r.heatIntervals == null ? null : r.heatIntervals.window());
    r.conflicts = stages.call("conflicts", () -> parts.conflicts().check(heat.active(), procs));
    Instant now = parts.clock().instant();
    r.scores =
        stages.call(
            "score",
            () ->
                scorer.score(
                    new ScoringInput(now, r.tiers, r.placed, samples, migration.feedback())));
    carriedWindow.scored(r.scores);
    r.profile =
        stages.call(
            "profile",
            () -> {
              profile.record(WindowProfile.of(now, procs, r.scores.regions()));
              return profile.summary().orElse(null);
            });
    if (!r.tiers.isTiered()) {
      return;
    }
    migration.run(stages, r, sim, now);
  }

  /** Logs and counts the cycle's failure, if any, and makes its report. */
  private CycleReport finish(
      StageRunner stages, StageFailure failure, StageResults r, Instant start, long startNanos) {
    String failedStage = null;
    String error = null;
    if (failure == null) {
      failures.succeeded(number);
    } else if (failure.cancelled()) {
      // SIGTERM between two move_pages calls: an orderly stop, not a failed cycle.
      log.info("cycle {}: {}", number, failure.getCause().getMessage());
    } else {
      failedStage = failure.stage();
      error = failure.reason();
      failures.failed(number, failedStage, failure.getCause());
      parts.metrics().cycleFailure(failedStage);
      switchToDryRunOn(failure);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    parts.metrics().cycle(took, failedStage == null, parts.clock().instant());
    return r.report(
        number, start, took, dryRun(), heat.name(), stages.durations(), failedStage, error);
  }

  private void switchToDryRunOn(StageFailure f) {
    if (f.linkage()) {
      switchToDryRun(f.stage(), f.getCause());
    }
  }

  /**
   * A native library or symbol could not be linked ({@code where} names the stage): tierd stops
   * moving pages for the rest of its life ({@link DryRunSwitch}).
   */
  void switchToDryRun(String where, Throwable cause) {
    movers.switchAfter(where, cause);
  }

  /** Why this cycle switched itself to dry-run after a native failure, if it did. */
  public Optional<String> nativeFailure() {
    return movers.nativeFailure();
  }

  /** True when moves are recorded rather than made: asked for, or after a native failure. */
  public boolean dryRun() {
    return movers.dryRun();
  }

  /** Fault injection for tests: runs at the start of every stage, inside its boundary. */
  void beforeEachStage(Consumer<String> hook) {
    this.beforeEachStage = hook;
  }

  /** The profile so far (a daemon keeps the host's figures over the last 10 minutes). */
  public ProfileHistory profile() {
    return profile;
  }

  /** Records the profile into {@code history} from now on (the profile command keeps more). */
  public void profileInto(ProfileHistory history) {
    this.profile = history;
  }

  private static Map<Integer, CpuList> cpusByNode(Topology topo) {
    Map<Integer, CpuList> out = new HashMap<>();
    topo.nodes().values().forEach(n -> out.put(n.id(), n.cpus()));
    return out;
  }

  /** Removes every piece of kernel state tierd created (kdamonds). Idempotent. */
  @Override
  public void close() {
    heat.close();
  }
}
