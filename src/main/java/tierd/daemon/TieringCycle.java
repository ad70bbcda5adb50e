package tierd.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.heat.Conflict;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.SourceConflicts;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.PerNode;
import tierd.mover.MoveLimits;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.NodeRoom;
import tierd.mover.Outcome;
import tierd.mover.PageMover;
import tierd.mover.ProcessRef;
import tierd.mover.Tally;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.planner.PlanInput;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerState;
import tierd.planner.RegionPlacement;
import tierd.planner.SkipReason;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ProcessKey;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;
import tierd.source.proc.Vmstat;
import tierd.topology.Tier;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * One cycle of tierd, stage by stage: topology → discover → heat → score → placement → plan → move
 * → publish. Holds the state that lives across cycles (the scorer's history, the planner's budgets
 * and residency, the heat source). Every stage is timed and counted; a stage that throws fails the
 * cycle, which is reported and counted, and the next cycle starts afresh from the kernel's state.
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
  private List<String> lastConflicts = List.of();
  private MigrationPlan lastPlan;

  public TieringCycle(TierdConfig config, Parts parts) {
    this.parts = parts;
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
  }

  public MigrationPlan lastPlan() {
    return lastPlan;
  }

  public String heatSourceName() {
    return heatName;
  }

  private ProcessScanner scanner;

  /** One scanner for the daemon's life: it keeps the last maps and numa_maps of each process. */
  private ProcessScanner scanner() {
    if (scanner == null || !scanner.root().equals(parts.root())) {
      scanner = new ProcessScanner(parts.root());
    }
    return scanner;
  }

  /** Runs one cycle; never throws for a kernel or data problem (it is in the report). */
  public CycleReport run() {
    number++;
    Instant start = parts.clock().instant();
    long t0 = System.nanoTime();
    Stages st = new Stages(parts.metrics());
    Builder r = new Builder();
    try {
      Topology topo =
          st.run(
              "topology",
              () -> new TopologyReader(parts.root(), parts.pageBytes()).read(config.tiers()));
      parts.metrics().topology(topo);
      parts.metrics().fillLimits(topo, config.stages().planner().maxFill());
      parts.metrics().interval(config.interval());
      reportTiers(topo);
      r.tiered = topo.isTiered();
      st.run(
          "vmstat",
          () -> {
            if (KernelFiles.exists(parts.root().proc("vmstat"))) {
              parts.metrics().vmstat(Vmstat.read(parts.root()));
            }
            return null;
          });
      long self = parts.root().isHost() ? ProcessHandle.current().pid() : -1;
      ProcessScanner.Result scan =
          st.run(
              "discover",
              () -> {
                scanner()
                    .numaMapsMaxAge(config.processes().numaMapsMaxAgeCycles(config.interval()));
                return scanner().scan(config.processes().filter(self));
              });
      List<ManagedProcess> procs = scan.processes();
      parts.metrics().managedProcesses(procs.size());
      parts.metrics().scanSkipped(scan.gone(), scan.denied(), scan.malformed());
      parts.metrics().numaMaps("read", scan.numaMapsRead());
      parts.metrics().numaMaps("kept", scan.numaMapsKept());
      parts.metrics().numaMaps("rechecked", 0);
      r.managed = procs.size();
      if (!topo.isTiered()) {
        if (!saidUntiered) {
          log.info(
              "only one memory tier ({}): nothing to tier; tierd keeps serving metrics",
              topo.tiers().isEmpty() ? "no memory nodes" : topo.tiers().get(0).nodes());
          saidUntiered = true;
        }
        return r.finish(st, start, t0, null, null);
      }
      saidUntiered = false;
      List<RegionSample> samples = st.run("heat", () -> collectHeat(procs));
      List<Conflict> conflicts =
          st.run("conflicts", () -> parts.conflicts().check(Optional.ofNullable(heat), procs));
      reportConflicts(conflicts);
      r.conflicts = conflicts.stream().map(Conflict::message).toList();
      Instant now = parts.clock().instant();
      ScoringResult scores =
          st.run(
              "score", () -> scorer.score(new ScoringInput(now, topo, procs, samples, feedback)));
      r.regions = scores.regions().size();
      r.hotBytes = scores.hotBytes();
      r.coldBytes = scores.coldBytes();
      r.hot = scores.thresholds().hot();
      r.cold = scores.thresholds().cold();
      parts.metrics().thresholds(scores.thresholds().hot(), scores.thresholds().cold());
      parts.metrics().regionBytes(bytesByClassAndTier(scores.regions(), procs, topo));
      List<RegionPlacement> placements =
          st.run(
              "placement",
              () ->
                  parts
                      .placement()
                      .map(p -> p.probe(procs, scores.regions()).placements())
                      .orElse(List.of()));
      PlanResult planned =
          st.run("plan", () -> planOnFreshVmas(now, topo, procs, scores, placements));
      plannerState = planned.next();
      MigrationPlan plan = planned.plan();
      lastPlan = plan;
      feedback = plan.feedback();
      publishPlan(plan, r);
      if (parts.dryRun()) {
        logDryRunPlan(plan);
      }
      MoveReport moved =
          st.run(
              "move", () -> parts.mover().move(requests(plan), moveLimits(topo), this::progress));
      if (!moved.dryRun()) {
        // Their numa_maps changed (that was the point): the next scan reads it.
        plan.moves().forEach(m -> scanner().readNextScan(m.pid()));
      }
      publishMoves(plan, moved, r);
      return r.finish(st, start, t0, null, null);
    } catch (StageFailure f) {
      if (f.getCause() instanceof Daemon.StopRequested stop) {
        // SIGTERM between two move_pages calls: an orderly stop, not a failed cycle.
        log.info("cycle {}: {}", number, stop.getMessage());
        return r.finish(st, start, t0, null, null);
      }
      log.warn("cycle {}: stage {} failed: {}", number, f.stage, f.getCause().toString());
      log.debug("stage failure", f.getCause());
      return r.finish(st, start, t0, f.stage, String.valueOf(f.getCause().getMessage()));
    }
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
      List<RegionPlacement> placements) {
    List<ManagedProcess> current = procs;
    for (int round = 1; ; round++) {
      PlanResult planned =
          planner.plan(
              new PlanInput(now, topo, current, scores.regions(), scores.thresholds(), placements),
              plannerState);
      Map<Integer, List<Vma>> changed = new HashMap<>();
      Set<Integer> gone = new HashSet<>();
      for (Move m : planned.plan().moves()) {
        int pid = m.pid();
        if (scanner().readThisScan(pid) || gone.contains(pid)) {
          continue;
        }
        parts.metrics().numaMaps("rechecked", 1);
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
        next.add(v == null ? p : p.withVmas(v));
      }
      current = next;
    }
  }

  /**
   * A move stage yields after one interval (the rest is planned again next cycle, with fresh
   * checks) and never moves into a node below its high watermark.
   */
  private MoveLimits moveLimits(Topology topo) {
    return new MoveLimits(
        config.interval(),
        parts.dryRun() ? NodeRoom.UNLIMITED : MeminfoNodeRoom.of(parts.root(), topo));
  }

  /** Moves listed per cycle in a dry run's log; the rest are counted. */
  static final int DRY_RUN_MOVES_LOGGED = 20;

  private String lastTiers;

  /**
   * Logs the memory tiers and where they came from (kernel, classifier, config) when they change.
   */
  private void reportTiers(Topology topo) {
    StringBuilder sb = new StringBuilder();
    sb.append(topo.tiers().size())
        .append(" memory tier")
        .append(topo.tiers().size() == 1 ? "" : "s")
        .append(" (source: ")
        .append(topo.tierSource().name().toLowerCase(Locale.ROOT))
        .append("):");
    for (var t : topo.tiers()) {
      sb.append(" tier ").append(t.rank()).append(" nodes ").append(t.nodes());
      if (t.kernelId() >= 0) {
        sb.append(" (").append(t.label()).append(')');
      }
      sb.append(t.rank() + 1 < topo.tiers().size() ? ";" : "");
    }
    String line = sb.toString();
    if (!line.equals(lastTiers)) {
      log.info("topology: {}", line);
      lastTiers = line;
    }
  }

  /** A dry run prints the plan it would carry out: one line per move, with its reason. */
  private void logDryRunPlan(MigrationPlan plan) {
    List<Move> moves = plan.moves();
    for (int i = 0; i < moves.size() && i < DRY_RUN_MOVES_LOGGED; i++) {
      log.info("dry-run plan: {}", tierd.planner.Explain.moveLine(moves.get(i)));
    }
    if (moves.size() > DRY_RUN_MOVES_LOGGED) {
      log.info("dry-run plan: … {} more moves", moves.size() - DRY_RUN_MOVES_LOGGED);
    }
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
      return warmedUp(heat.collect(), procs);
    } catch (RuntimeException e) {
      // A source that broke (e.g. its kdamond was removed under it) is closed and re-opened later.
      log.warn("hotness source {} failed: {}; closing it", heatName, e.getMessage());
      closeHeat();
      throw e;
    }
  }

  /**
   * Drops the samples of processes the source has watched for less than {@code heat.warmup}: a new
   * DAMON target starts with a few large regions, and one over a hot and a cold buffer makes the
   * cold one look hot until DAMON has split it.
   */
  private List<RegionSample> warmedUp(List<RegionSample> samples, List<ManagedProcess> procs) {
    Duration warmup = config.stages().heat().warmup();
    if (warmup.isZero()) {
      return samples;
    }
    Instant now = parts.clock().instant();
    Map<Integer, Long> startOf = new java.util.HashMap<>();
    procs.forEach(p -> startOf.put(p.pid(), p.startTimeTicks()));
    watchedSince
        .keySet()
        .removeIf(k -> !startOf.containsKey(k.pid()) || startOf.get(k.pid()) != k.startTimeTicks());
    java.util.Set<Integer> warming = new java.util.HashSet<>();
    for (ManagedProcess p : procs) {
      Instant since =
          watchedSince.computeIfAbsent(new ProcessKey(p.pid(), p.startTimeTicks()), k -> now);
      if (now.isBefore(since.plus(warmup))) {
        warming.add(p.pid());
      }
    }
    if (warming.isEmpty()) {
      return samples;
    }
    log.debug(
        "heat: {} processes still warming up ({}): their samples are not scored yet",
        warming.size(),
        warmup);
    return samples.stream().filter(r -> !warming.contains(r.pid())).toList();
  }

  private final Map<ProcessKey, Instant> watchedSince = new java.util.HashMap<>();

  private void reportConflicts(List<Conflict> conflicts) {
    List<String> messages = conflicts.stream().map(Conflict::message).toList();
    for (String c : messages) {
      if (!lastConflicts.contains(c)) {
        log.warn("conflict: {}", c);
      }
    }
    lastConflicts = messages;
    Map<String, Integer> byKind = new TreeMap<>();
    for (Conflict.Type t : Conflict.Type.values()) {
      byKind.put(t.label(), 0);
    }
    for (Conflict c : conflicts) {
      byKind.merge(c.type().label(), 1, Integer::sum);
    }
    parts.metrics().conflicts(byKind);
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

  private void publishPlan(MigrationPlan plan, Builder r) {
    r.moves = plan.moves().size();
    r.promote = plan.summary().promoteBytes();
    r.demote = plan.summary().demoteBytes();
    r.pingPongs = plan.summary().pingPongs();
    parts.metrics().pingpong(plan.summary().pingPongs());
    for (Move m : plan.moves()) {
      for (int from : m.fromNodes().toArray()) {
        parts.metrics().planned(direction(m), from, m.toNode(), m.bytes() / m.fromNodes().size());
      }
    }
    Map<String, Long> skipped = new TreeMap<>();
    for (Map.Entry<SkipReason, Long> e : plan.skipCounts().entrySet()) {
      String reason = e.getKey().name().toLowerCase(Locale.ROOT);
      skipped.put(reason, e.getValue());
      parts.metrics().skipped(reason, e.getValue());
    }
    r.skipped = skipped;
    Map<String, Double> budget = new LinkedHashMap<>();
    var s = plan.summary();
    budget.put("promote", ratio(s.promoteBytes(), s.promoteBytes() + s.promoteTokensBytes()));
    budget.put("demote", ratio(s.demoteBytes(), s.demoteBytes() + s.demoteTokensBytes()));
    parts.metrics().budgetUsed(budget);
  }

  private static double ratio(long used, long available) {
    return available <= 0 ? 0 : Math.min(1.0, (double) used / available);
  }

  private static String direction(Move m) {
    return m.direction().name().toLowerCase(Locale.ROOT);
  }

  private void publishMoves(MigrationPlan plan, MoveReport report, Builder r) {
    List<Tally> per = report.perRequest();
    Map<String, Long> failures = new TreeMap<>();
    for (int i = 0; i < per.size() && i < plan.moves().size(); i++) {
      Move m = plan.moves().get(i);
      Tally t = per.get(i);
      String from =
          m.fromNodes().size() == 1
              ? Integer.toString(m.fromNodes().first())
              : m.fromNodes().toString();
      long pages = t.pages(Outcome.MOVED);
      if (report.dryRun()) {
        parts.metrics().wouldMove(direction(m), m.fromNodes().first(), m.toNode(), t.bytesMoved());
      } else if (pages > 0) {
        parts
            .metrics()
            .migrated(direction(m), m.fromNodes().first(), m.toNode(), pages, t.bytesMoved());
      }
      for (var e : t.asMap().entrySet()) {
        Outcome o = e.getKey();
        if (o.isFailure()) {
          failures.merge(o.name(), e.getValue(), Long::sum);
        } else if (o.isDeferral()) {
          parts.metrics().moveDeferred(o, e.getValue());
        }
      }
      if (!from.isEmpty()) {
        log.debug("move {} {} -> {} [{}]: {}", m.pid(), from, m.toNode(), m.reason().code(), t);
      }
    }
    failures.forEach((errno, n) -> parts.metrics().moveFailures(errno, n));
    parts.metrics().moveCalls(report.moveCalls(), report.queryCalls(), report.longestCall());
    r.movedBytes = report.dryRun() ? 0 : report.total().bytesMoved();
    r.movedPages = report.dryRun() ? 0 : report.total().pages(Outcome.MOVED);
    r.failures = failures;
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
      Vma[] vmas = idx.vmas;
      int from = idx.firstOverlapping(s.range().start());
      for (int i = from;
          i < vmas.length && (!idx.disjoint || vmas[i].range().start() < s.range().end());
          i++) {
        Vma v = vmas[i];
        long overlap = v.range().overlapBytes(s.range());
        if (overlap == 0 || v.presentPages() == 0) {
          continue;
        }
        double perPage = (double) overlap / Math.max(1, v.range().sizeBytes() / v.pageBytes());
        PerNode pages = v.pages();
        for (int j = 0; j < pages.size(); j++) {
          int rank = topo.rankOf(pages.node(j));
          if (rank >= 0) {
            perTier[rank] += (long) (perPage * pages.count(j));
          }
        }
      }
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

  /**
   * A process's VMAs sorted by start. Real VMAs never overlap, so their ends ascend too and the
   * first VMA a range overlaps is found by binary search; a list that overlaps (only a hand-made
   * one can) is scanned whole, as before.
   */
  private record VmaIndex(Vma[] vmas, boolean disjoint) {

    static VmaIndex of(List<Vma> list) {
      Vma[] a = list.toArray(new Vma[0]);
      java.util.Arrays.sort(a, java.util.Comparator.comparingLong(v -> v.range().start()));
      boolean disjoint = true;
      for (int i = 1; i < a.length && disjoint; i++) {
        disjoint = a[i].range().start() >= a[i - 1].range().end();
      }
      return new VmaIndex(a, disjoint);
    }

    /** Index of the first VMA that ends after {@code start} (0 when the VMAs overlap). */
    int firstOverlapping(long start) {
      if (!disjoint) {
        return 0;
      }
      int lo = 0;
      int hi = vmas.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (vmas[mid].range().end() <= start) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }
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
      watchedSince.clear();
      cyclesSinceHeatAttempt = 0;
    }
  }

  /** Removes every piece of kernel state tierd created (kdamonds). Idempotent. */
  @Override
  public void close() {
    closeHeat();
  }

  /** A stage that threw, with its name. */
  static final class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String stage;

    StageFailure(String stage, Throwable cause) {
      super(stage + ": " + cause, cause);
      this.stage = stage;
    }
  }

  /** Times stages and records them in order. */
  static final class Stages {
    private final TierdMetrics metrics;
    final Map<String, Duration> durations = new LinkedHashMap<>();

    Stages(TierdMetrics metrics) {
      this.metrics = metrics;
    }

    <T> T run(String name, Supplier<T> body) {
      long t = System.nanoTime();
      boolean ok = false;
      try {
        T v = body.get();
        ok = true;
        return v;
      } catch (Daemon.StopRequested e) {
        ok = true;
        throw new StageFailure(name, e);
      } catch (RuntimeException e) {
        throw new StageFailure(name, e);
      } finally {
        Duration d = Duration.ofNanos(System.nanoTime() - t);
        durations.put(name, d);
        metrics.stage(name, d, ok);
      }
    }
  }

  /** Collects the report's fields as the stages fill them. */
  private final class Builder {
    boolean tiered;
    int managed;
    int regions;
    long hotBytes;
    long coldBytes;
    double hot;
    double cold;
    int moves;
    long promote;
    long demote;
    long movedBytes;
    long movedPages;
    Map<String, Long> failures = Map.of();
    int pingPongs;
    Map<String, Long> skipped = Map.of();
    List<String> conflicts = List.of();

    CycleReport finish(Stages st, Instant start, long t0, String failedStage, String error) {
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      Instant end = parts.clock().instant();
      parts.metrics().cycle(took, failedStage == null, end);
      parts.metrics().dryRun(parts.dryRun());
      return new CycleReport(
          number,
          start,
          took,
          parts.dryRun(),
          tiered,
          heatName,
          managed,
          regions,
          hotBytes,
          coldBytes,
          hot,
          cold,
          moves,
          promote,
          demote,
          movedBytes,
          movedPages,
          failures,
          pingPongs,
          skipped,
          conflicts,
          st.durations,
          failedStage,
          error);
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
