package tierd.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.daemon.StageRunner.StageFailure;
import tierd.heat.Conflict;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.SourceConflicts;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.PerNode;
import tierd.mover.DryRunMover;
import tierd.mover.MoveLimits;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.NodeRoom;
import tierd.mover.Outcome;
import tierd.mover.PageMover;
import tierd.mover.ProcessRef;
import tierd.mover.Ticker;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.planner.PlanInput;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerState;
import tierd.planner.RegionPlacement;
import tierd.planner.Tenancy;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.process.VmaIndex;
import tierd.profile.ProfileHistory;
import tierd.profile.ProfileSummary;
import tierd.profile.WindowProfile;
import tierd.scoring.HeatClass;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;
import tierd.source.proc.Vmstat;
import tierd.topology.Tier;
import tierd.topology.Topology;
import tierd.whatif.SimulatedTiers;

/**
 * One cycle of tierd, stage by stage ({@link #STAGES}): topology → vmstat → discover → heat →
 * conflicts → score → profile → placement → plan → move → publish. Holds the state that lives
 * across cycles (the scorer's history, the planner's budgets and residency, the heat source).
 *
 * <p>Everything a cycle does runs under one failure boundary, {@link StageRunner}: every stage is
 * timed and counted, and a stage that throws fails the cycle, which is reported, logged (once, see
 * {@link FailureLog}) and counted in tierd_cycle_failures_total{stage}; the next cycle starts
 * afresh from the kernel's state. "publish" (metrics, log lines, the report) runs after the other
 * stages, also after one of them failed, with whatever they found. A LinkageError (a native library
 * or symbol JNA cannot link) switches this cycle to dry-run for good.
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

  /** Opens the hotness source; may throw when none is available (the cycle then has no heat). */
  @FunctionalInterface
  public interface HeatSourceFactory {
    HeatSource open();
  }

  /** Reads conflicts with other users of the kernel mechanisms tierd uses. */
  @FunctionalInterface
  public interface ConflictCheck {
    List<Conflict> check(Optional<HeatSource> active, Collection<ManagedProcess> processes);

    ConflictCheck NONE = (a, p) -> List.of();
  }

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

  /** Re-open the heat source after this many cycles without one (DAMON may become free). */
  static final int HEAT_RETRY_CYCLES = 12;

  private final Parts parts;
  private TierdConfig config;
  private Scorer scorer;
  private Planner planner;
  private PlannerState plannerState = PlannerState.initial();
  private PromotionFeedback feedback = PromotionFeedback.NONE;
  private HeatSource heat;
  private String heatName = "none";
  private int cyclesSinceHeatAttempt = HEAT_RETRY_CYCLES;
  private long number;
  private boolean saidUntiered;
  private boolean saidWhatIf;
  private ProfileHistory profile = ProfileHistory.forDaemon();
  private HeatBudget heatBudget;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** What-if plans are recorded here, never by the parts' mover: a simulated tier moves nothing. */
  private final PageMover whatIfMover = DryRunMover.recording(Ticker.system());

  private MigrationPlan lastPlan;
  private PageMover mover;
  private Optional<PlacementProbe> placement;
  private Optional<String> nativeFailure = Optional.empty();
  private final CyclePublisher publisher;
  private final FailureLog failures;
  private Consumer<String> beforeEachStage = stage -> {};

  public TieringCycle(TierdConfig config, Parts parts) {
    this.parts = parts;
    this.mover = parts.mover();
    this.placement = parts.placement();
    this.publisher = new CyclePublisher(parts.metrics());
    this.failures = new FailureLog(log, parts.clock());
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
    this.planner = new Planner(c.stages().planner());
    parts.metrics().tenants().configure(c.classes());
    this.heatBudget = new HeatBudget(c.profile().cpuBudget());
    this.scorer.maxTrackedRegions(limits.maxRegions());
  }

  public MigrationPlan lastPlan() {
    return lastPlan;
  }

  public String heatSourceName() {
    return heatName;
  }

  private ProcessScanner scanner;
  private final AdaptingTopology topology = new AdaptingTopology();
  private TrackingLimits limits = TrackingLimits.forHeap(Runtime.getRuntime().maxMemory());

  /** Replaces the limits derived from the heap (tests, benchmarks). */
  public void limits(TrackingLimits l) {
    limits = l;
    scorer.maxTrackedRegions(l.maxRegions());
  }

  /** One scanner for the daemon's life: it keeps the last maps and numa_maps of each process. */
  private ProcessScanner scanner() {
    if (scanner == null || !scanner.root().equals(parts.root())) {
      scanner = new ProcessScanner(parts.root());
    }
    return scanner;
  }

  /**
   * Runs one cycle; never throws for a kernel or data problem, nor for a bug in a stage: every
   * stage, and publishing what the stages found, runs under {@link StageRunner}'s failure boundary,
   * and a failure is in the report (only a VirtualMachineError goes through).
   */
  public CycleReport run() {
    number++;
    Instant start = parts.clock().instant();
    long t0 = System.nanoTime();
    StageRunner stages = new StageRunner(parts.metrics()::stage, System::nanoTime, beforeEachStage);
    Builder r = new Builder();
    r.startNanos = t0;
    StageFailure failure = null;
    try {
      runStages(stages, r);
    } catch (StageFailure f) {
      failure = f;
    }
    try {
      stages.run("publish", () -> publish(r));
    } catch (StageFailure f) {
      if (failure == null) {
        failure = f;
      } else {
        log.debug("cycle {}: publishing after the failure failed too", number, f.getCause());
        switchToDryRunOn(f);
      }
    }
    return finish(stages, failure, r, start, t0);
  }

  /**
   * The stages from topology to move; each keeps its result in {@code r} for publish. On a host
   * with one memory tier the cycle ends after the profile (heat and scoring run on every host),
   * unless {@code whatIf.fast} simulates a fast tier: then it plans against the simulated tiers and
   * the plan goes to a recorder that never moves a page.
   */
  private void runStages(StageRunner stages, Builder r) {
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
              scanner().numaMapsMaxAge(config.processes().numaMapsMaxAgeCycles(config.interval()));
              scanner().maxFileBytes(limits.maxFileBytes());
              return scanner()
                  .scan(config.processes().filter(self), r.topo.nodeIds(), limits.maxVmas());
            });
    List<ManagedProcess> procs = r.scan.processes();
    SimulatedTiers sim =
        config.whatIf().enabled() ? stages.call("whatif", () -> simulated(r.topo)) : null;
    r.tiers = sim == null ? r.topo : sim.topology();
    r.whatIf = sim != null;
    List<ManagedProcess> placed = sim == null ? procs : sim.processes(procs);
    r.placed = placed;
    if (!r.tiers.isTiered() && !heatBudget.due(System.nanoTime())) {
      // Nothing to tier and the heat source spent its CPU share (profile.cpuBudget): the profile
      // keeps its last window until the next collect.
      r.profile = profile.summary().orElse(null);
      return;
    }
    long heatCpuNanos = THREADS.getCurrentThreadCpuTime();
    List<RegionSample> samples = stages.call("heat", () -> collectHeat(procs));
    heatBudget.spent(THREADS.getCurrentThreadCpuTime() - heatCpuNanos, System.nanoTime());
    r.heatIntervals = heat == null ? null : heat.intervals().orElse(null);
    parts
        .metrics()
        .heatIntervals(
            r.heatIntervals == null ? null : r.heatIntervals.check(),
            r.heatIntervals == null ? null : r.heatIntervals.window());
    r.conflicts =
        stages.call("conflicts", () -> parts.conflicts().check(Optional.ofNullable(heat), procs));
    Instant now = parts.clock().instant();
    r.scores =
        stages.call(
            "score", () -> scorer.score(new ScoringInput(now, r.tiers, placed, samples, feedback)));
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
    List<RegionPlacement> placements =
        stages.call(
            "placement",
            () ->
                sim != null
                    ? List.<RegionPlacement>of() // estimated from the simulated VMAs
                    : placement
                        .map(p -> p.probe(procs, r.scores.regions()).placements())
                        .orElse(List.of()));
    r.plan =
        stages.call(
            "plan",
            () -> {
              PlanResult planned = planOnFreshVmas(now, r.tiers, placed, r.scores, placements, sim);
              plannerState = planned.next();
              lastPlan = planned.plan();
              feedback = lastPlan.feedback();
              return lastPlan;
            });
    PageMover moveWith = sim != null ? whatIfMover : mover;
    MoveLimits limits =
        sim != null
            ? MoveLimits.NONE
            : moveLimits(r.topo, Duration.ofNanos(System.nanoTime() - r.startNanos));
    r.moved =
        stages.call(
            "move",
            () -> {
              MoveReport moved = moveWith.move(requests(r.plan), limits, this::progress);
              if (!moved.dryRun()) {
                // Their numa_maps changed (that was the point): the next scan reads it.
                r.plan.moves().forEach(m -> scanner().readNextScan(m.pid()));
              }
              return moved;
            });
  }

  /** The "publish" stage: what the stages found, into the metrics, the log and the report. */
  private void publish(Builder r) {
    if (r.topo != null) {
      publisher.topology(r.topo, config);
      boolean tiered = r.tiers != null && r.tiers.isTiered();
      if (r.tiers != null && !tiered && !saidUntiered) {
        log.info(
            "only one memory tier ({}): nothing to tier; tierd profiles the managed processes'"
                + " heat (hot set, idle ages) and keeps serving metrics; whatIf.fast simulates a"
                + " fast tier",
            r.topo.tiers().isEmpty() ? "no memory nodes" : r.topo.tiers().get(0).nodes());
      }
      saidUntiered = r.tiers != null && !tiered;
    }
    if (r.scan != null) {
      publisher.scan(r.scan);
      limits.publish(parts.metrics().scan(), r.scan);
    }
    if (r.conflicts != null) {
      publisher.conflicts(r.conflicts);
    }
    if (r.scores != null) {
      publisher.scores(r.scores, r.placed, r.tiers);
    }
    if (r.profile != null) {
      parts.metrics().profile(r.profile);
    }
    if (r.plan != null) {
      r.skipped = publisher.plan(r.plan);
      if (dryRun() || r.whatIf) {
        publisher.dryRunPlan(r.plan);
      }
    }
    if (r.moved != null) {
      r.failures = publisher.moves(r.plan, r.moved);
    }
    parts.metrics().dryRun(dryRun());
  }

  /** Logs and counts the cycle's failure, if any, and makes its report. */
  private CycleReport finish(
      StageRunner stages, StageFailure failure, Builder r, Instant start, long t0) {
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
    return r.finish(stages, start, t0, failedStage, error);
  }

  private void switchToDryRunOn(StageFailure f) {
    if (f.linkage()) {
      switchToDryRun(f.stage(), f.getCause());
    }
  }

  /**
   * A native library or symbol could not be linked ({@code where} names the stage): tierd stops
   * moving pages for the rest of its life — the mover becomes a recording dry run and the placement
   * probe is dropped — says why once, and reports it ({@link #nativeFailure}, tierd_dry_run).
   */
  void switchToDryRun(String where, Throwable cause) {
    if (nativeFailure.isPresent()) {
      return;
    }
    nativeFailure =
        Optional.of(
            "a native call failed in stage " + where + " (" + StageRunner.reason(cause) + ")");
    mover = DryRunMover.recording(Ticker.system());
    placement = Optional.empty();
    parts.metrics().dryRun(true);
    log.warn(
        "dry-run from now on: {}; tierd records moves instead of making them until it is"
            + " restarted",
        nativeFailure.get());
  }

  /** Why this cycle switched itself to dry-run after a native failure, if it did. */
  public Optional<String> nativeFailure() {
    return nativeFailure;
  }

  /** True when moves are recorded rather than made: asked for, or after a native failure. */
  public boolean dryRun() {
    return parts.dryRun() || nativeFailure.isPresent();
  }

  /** Fault injection for tests: runs at the start of every stage, inside its boundary. */
  void beforeEachStage(Consumer<String> hook) {
    this.beforeEachStage = hook;
  }

  /**
   * Plans, and makes sure that every process the plan moves pages of had its numa_maps read this
   * cycle: the scan may have kept a quiet process's VMAs from an earlier cycle ({@code
   * processes.numaMapsMaxAge}). Those processes' maps and numa_maps are read again; if they changed
   * (a policy, a VMA, pages the kernel moved), the plan is made again from the same planner state
   * with the new VMAs, until every process with a move is fresh. A process gone meanwhile drops
   * out. So no move rests on a policy, cpuset or placement older than this cycle.
   */
  private PlanResult planOnFreshVmas(
      Instant now,
      Topology topo,
      List<ManagedProcess> procs,
      ScoringResult scores,
      List<RegionPlacement> placements,
      SimulatedTiers sim) {
    List<ManagedProcess> current = procs;
    for (int round = 1; ; round++) {
      PlanResult planned =
          planner.plan(
              new PlanInput(now, topo, current, scores.regions(), scores.thresholds(), placements)
                  .withTenancy(Tenancy.assign(config.classes(), current, scanner()::argv0)),
              plannerState);
      Map<Integer, List<Vma>> changed = new HashMap<>();
      Set<Integer> gone = new HashSet<>();
      for (Move m : planned.plan().moves()) {
        int pid = m.pid();
        if (scanner().readThisScan(pid) || gone.contains(pid)) {
          continue;
        }
        parts.metrics().scan().numaMaps("rechecked", 1);
        try {
          scanner().refresh(pid, m.startTimeTicks()).ifPresent(v -> changed.put(pid, v));
        } catch (KernelFsException e) {
          gone.add(pid);
        }
      }
      if (changed.isEmpty() && gone.isEmpty()) {
        return planned;
      }
      log.debug(
          "plan round {}: numa_maps changed since it was last read for pids {}, gone {}: planning"
              + " again",
          round,
          changed.keySet(),
          gone);
      List<ManagedProcess> next = new ArrayList<>(current.size());
      for (ManagedProcess p : current) {
        if (gone.contains(p.pid())) {
          continue;
        }
        List<Vma> v = changed.get(p.pid());
        next.add(v == null ? p : p.withVmas(sim == null ? v : sim.vmas(v)));
      }
      current = next;
    }
  }

  /**
   * The what-if tiers of {@code whatIf.fast} on a one-tier host, or null: none configured, or the
   * host has tiers of its own (then the real ones are planned, still without moving a page).
   */
  private SimulatedTiers simulated(Topology topo) {
    var fast = config.whatIf().fast();
    if (fast.isEmpty()) {
      return null;
    }
    if (topo.isTiered()) {
      if (!saidWhatIf) {
        log.warn(
            "whatIf.fast is set but this host has {} memory tiers: planning on them (dry-run)",
            topo.tiers().size());
        saidWhatIf = true;
      }
      return null;
    }
    SimulatedTiers sim = SimulatedTiers.of(topo, fast.get().bytes());
    if (!saidWhatIf) {
      log.info("{}", sim.describe());
      saidWhatIf = true;
    }
    return sim;
  }

  /** The profile so far (a daemon keeps the host's figures over the last 10 minutes). */
  public ProfileHistory profile() {
    return profile;
  }

  /** Records the profile into {@code history} from now on (the profile command keeps more). */
  public void profileInto(ProfileHistory history) {
    this.profile = history;
  }

  /**
   * A move stage yields once the cycle has run one interval ({@code spent} so far, at least a fifth
   * of an interval for the moves; the rest is planned again next cycle, with fresh checks) and
   * never moves into a node below the planner's floor (high watermark plus margin).
   */
  private MoveLimits moveLimits(Topology topo, Duration spent) {
    return new MoveLimits(
        MoveLimits.budgetWithin(config.interval(), spent),
        dryRun()
            ? NodeRoom.UNLIMITED
            : MeminfoNodeRoom.of(parts.root(), topo, config.stages().planner()));
  }

  private long lastProgressLog;

  private void progress(long done, long total) {
    long now = System.nanoTime();
    if (now - lastProgressLog > config.stages().mover().progressLogInterval().toNanos()) {
      lastProgressLog = now;
      log.info("moving: {}/{} pages ({}%)", done, total, total == 0 ? 100 : done * 100 / total);
    }
  }

  private List<RegionSample> collectHeat(List<ManagedProcess> procs) {
    if (heat == null) {
      if (cyclesSinceHeatAttempt++ < HEAT_RETRY_CYCLES) {
        return List.of();
      }
      cyclesSinceHeatAttempt = 0;
      try {
        heat = parts.heat().open();
        heatName = heat.name();
        parts.metrics().heatSource(heatName);
      } catch (RuntimeException e) {
        heatName = "none";
        parts.metrics().heatSource("none");
        log.warn(
            "no hotness source available: {}; retrying in {} cycles",
            e.getMessage(),
            HEAT_RETRY_CYCLES);
        return List.of();
      }
    }
    try {
      heat.update(procs);
      return warmedUp(limits.collect(heat, parts.metrics().scan()), procs);
    } catch (HeatSourceUnavailableException e) {
      // Another DAMON user took DAMON over, or a DAMON module holds it: the same condition as a
      // source that cannot open, not a failed cycle. This cycle goes on without heat.
      log.warn(
          "hotness source {} lost: {}; retrying in {} cycles",
          heatName,
          e.getMessage(),
          HEAT_RETRY_CYCLES);
      closeHeat();
      parts.metrics().heatSource("none");
      return List.of();
    } catch (RuntimeException | LinkageError e) {
      // A source that broke (e.g. its kdamond was removed under it) is closed and re-opened later.
      log.warn("hotness source {} failed: {}; closing it", heatName, e.getMessage());
      closeHeat();
      throw e;
    }
  }

  /**
   * The samples that may be scored: processes whose regions have not split wait ({@link WarmUp}).
   */
  private List<RegionSample> warmedUp(List<RegionSample> samples, List<ManagedProcess> procs) {
    List<RegionSample> scored =
        warmUp.warmedUp(
            samples,
            procs,
            parts.clock().instant(),
            heat.regionsAdapt(),
            config.stages().heat().warmup());
    if (scored.size() < samples.size()) {
      log.debug(
          "heat: {} processes still warming up (until their regions split, at most {})",
          warmUp.warming(),
          config.stages().heat().warmup());
    }
    return scored;
  }

  private final WarmUp warmUp = new WarmUp();

  /**
   * Processes whose heat is held back until their regions split, or that were discovered this cycle
   * and whose first samples come in the next window ({@link WarmUp}).
   */
  public int warmingProcesses() {
    return warmUp.warming() + warmUp.newcomers();
  }

  static List<MoveRequest> requests(MigrationPlan plan) {
    List<MoveRequest> out = new ArrayList<>();
    for (Move m : plan.moves()) {
      out.add(
          new MoveRequest(
              new ProcessRef(m.pid(), m.startTimeTicks()),
              m.ranges(),
              m.fromNodes(),
              m.toNode(),
              m.pageBytes()));
    }
    return out;
  }

  static Map<String, Map<String, Long>> bytesByClassAndTier(
      List<ScoredRegion> regions, List<ManagedProcess> procs, Topology topo) {
    // Tier of a region: the tier holding most of its VMA's pages (an estimate; exact placement is
    // only queried for the regions that may move). Summed in an array per class and tier rank and
    // turned into labelled maps once at the end.
    HeatClass[] classes = HeatClass.values();
    List<Tier> tiers = topo.tiers();
    long[][] sums = new long[classes.length][tiers.size()];
    // Per process its VMAs by start address, so that each region visits only the VMAs it overlaps
    // (a binary search for the first) instead of all of them: regions x VMAs per process was the
    // largest single cost of a cycle at 100 regions per process.
    Map<Integer, VmaIndex> byPid = new java.util.HashMap<>();
    procs.forEach(p -> byPid.put(p.pid(), VmaIndex.of(p.vmas())));
    for (ScoredRegion s : regions) {
      VmaIndex idx = byPid.get(s.pid());
      if (idx == null) {
        continue;
      }
      long[] perTier = sums[s.heatClass().ordinal()];
      idx.forEachOverlap(
          s.range(),
          (v, overlapBytes) -> {
            if (v.presentPages() == 0) {
              return;
            }
            PerNode pages = v.pages();
            double share = v.shareOf(overlapBytes);
            for (int j = 0; j < pages.size(); j++) {
              int rank = topo.rankOf(pages.node(j));
              if (rank >= 0) {
                perTier[rank] += v.bytesInShare(pages.count(j), share);
              }
            }
          });
    }
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (HeatClass c : classes) {
      Map<String, Long> perTier = new TreeMap<>();
      for (int rank = 0; rank < tiers.size(); rank++) {
        perTier.merge(tiers.get(rank).label(), sums[c.ordinal()][rank], Long::sum);
      }
      out.put(c.name(), perTier);
    }
    return out;
  }

  private void closeHeat() {
    if (heat != null) {
      try {
        heat.close();
      } catch (RuntimeException e) {
        log.warn("closing hotness source {}: {}", heatName, e.getMessage());
      }
      heat = null;
      heatName = "none";
      warmUp.clear();
      cyclesSinceHeatAttempt = 0;
    }
  }

  /** Removes every piece of kernel state tierd created (kdamonds). Idempotent. */
  @Override
  public void close() {
    closeHeat();
  }

  /** What the stages found, for publish and the report; a stage that did not run left null. */
  private final class Builder {
    long startNanos;
    Topology topo;
    HeatSource.Intervals heatIntervals;
    ProcessScanner.Result scan;
    List<Conflict> conflicts;
    ScoringResult scores;
    MigrationPlan plan;
    MoveReport moved;
    Map<String, Long> skipped = Map.of();
    Map<String, Long> failures = Map.of();

    /** The tiers planned against: the kernel's, or simulated ones ({@code whatIf.fast}). */
    Topology tiers;

    /** The managed processes as placed on {@link #tiers}. */
    List<ManagedProcess> placed;

    boolean whatIf;
    ProfileSummary profile;

    CycleReport finish(
        StageRunner stages, Instant start, long t0, String failedStage, String error) {
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      parts.metrics().cycle(took, failedStage == null, parts.clock().instant());
      boolean scored = scores != null;
      var planned = plan == null ? null : plan.summary();
      boolean moves = moved != null && !moved.dryRun();
      return new CycleReport(
          number,
          start,
          took,
          dryRun(),
          tiers != null && tiers.isTiered(),
          heatName,
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
          stages.durations(),
          failedStage,
          error,
          whatIf,
          profile,
          plan == null ? List.of() : plan.tenants());
    }
  }

  /** The default conflict check: the kernel's tiering knobs, DAMON users, accessed-bit clearers. */
  public static ConflictCheck kernelConflicts(
      KernelRoot root, tierd.heat.damon.DamonFs damonFs, Supplier<Set<Integer>> ownKdamonds) {
    return (active, procs) -> {
      List<SourceConflicts.ActiveSource> act = new ArrayList<>();
      if (active.isPresent()) {
        tierd.heat.SourceKind kind;
        try {
          kind = tierd.heat.SourceKind.ofLabel(active.get().name());
        } catch (IllegalArgumentException e) {
          kind = null;
        }
        if (kind != null) {
          Set<Integer> pids = new java.util.HashSet<>();
          procs.forEach(p -> pids.add(p.pid()));
          act.add(new SourceConflicts.ActiveSource(kind, pids));
        }
      }
      return SourceConflicts.read(root, damonFs, ownKdamonds.get(), act);
    };
  }
}
