package tierd.daemon;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.heat.select.Conflict;
import tierd.metrics.TierdMetrics;
import tierd.model.DataSize;
import tierd.mover.MoveReport;
import tierd.mover.Outcome;
import tierd.mover.Tally;
import tierd.planner.Explain;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.planner.Skip;
import tierd.planner.SkipReason;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;

/**
 * What a cycle found, into the metrics and the log: the "publish" stage of {@link TieringCycle}.
 * Keeps what it said last (the tiers, the conflicts) so that a line is logged when it changes, not
 * every cycle. Logs as {@code TieringCycle}: operators and the VM scenarios filter on that name.
 */
final class CyclePublisher {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  /** Skips named one by one in the debug line of what a plan held back. */
  static final int HELD_BACK_LISTED = 4;

  /** Moves listed per cycle in a dry run's log; the rest are counted. */
  static final int DRY_RUN_MOVES_LOGGED = 20;

  private final TierdMetrics metrics;
  private String lastTiers;
  private List<String> lastConflicts = List.of();
  private boolean saidUntiered;

  CyclePublisher(TierdMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * The "publish" stage: what the stages found, into the metrics and the log; records in {@code r}
   * what the report takes from publishing (skips by reason, failures by errno).
   *
   * @param dryRun moves are recorded rather than made
   */
  void publish(StageResults r, TierdConfig config, TrackingLimits limits, boolean dryRun) {
    if (r.topo != null) {
      topology(r.topo, config);
      boolean tiered = r.tiered();
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
      scan(r.scan);
      limits.publish(metrics.scan(), r.scan);
    }
    if (r.conflicts != null) {
      conflicts(r.conflicts);
    }
    if (r.scores != null) {
      scores(r.scores, r.placed, r.tiers);
    }
    if (r.profile != null) {
      metrics.profile().publish(r.profile);
    }
    if (r.plan != null) {
      r.skipped = plan(r.plan);
      if (dryRun || r.whatIf) {
        dryRunPlan(r.plan);
      }
    }
    if (r.moved != null) {
      r.failures = moves(r.plan, r.moved);
    }
    metrics.dryRun(dryRun);
  }

  /** The topology's metrics; the memory tiers and their source when they changed. */
  void topology(Topology topo, TierdConfig config) {
    metrics.topology(topo);
    metrics.fillLimits(topo, config.stages().planner().maxFill());
    metrics.interval(config.interval());
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

  void scan(ProcessScanner.Result scan) {
    metrics.managedProcesses(scan.processes().size());
    metrics.scan().skipped(scan.gone(), scan.denied(), scan.malformed());
    metrics.scan().rejected(scan.rejected());
    metrics.scan().numaMaps("read", scan.numaMapsRead());
    metrics.scan().numaMaps("kept", scan.numaMapsKept());
    metrics.scan().numaMaps("rechecked", 0);
  }

  /** Logs each conflict once, when it appears; the gauge counts them by kind. */
  void conflicts(List<Conflict> conflicts) {
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
    metrics.conflicts(byKind);
  }

  void scores(ScoringResult scores, List<ManagedProcess> procs, Topology topo) {
    metrics.thresholds(scores.thresholds().hot(), scores.thresholds().cold());
    metrics.regionBytes(TierBytes.byClassAndTier(scores.regions(), procs, topo));
  }

  /** The plan's metrics; returns the skipped candidates by reason. */
  Map<String, Long> plan(MigrationPlan plan) {
    metrics.pingpong(plan.summary().pingPongs());
    for (Move m : plan.moves()) {
      for (int from : m.fromNodes().toArray()) {
        metrics.moves().planned(direction(m), from, m.toNode(), m.bytes() / m.fromNodes().size());
      }
    }
    Map<String, Long> skipped = new TreeMap<>();
    for (Map.Entry<SkipReason, Long> e : plan.skipCounts().entrySet()) {
      String reason = e.getKey().name().toLowerCase(Locale.ROOT);
      skipped.put(reason, e.getValue());
      metrics.skipped(reason, e.getValue());
    }
    Map<String, Double> budget = new LinkedHashMap<>();
    var s = plan.summary();
    budget.put("promote", ratio(s.promoteBytes(), s.promoteBytes() + s.promoteTokensBytes()));
    budget.put("demote", ratio(s.demoteBytes(), s.demoteBytes() + s.demoteTokensBytes()));
    metrics.budgetUsed(budget);
    metrics.tenants().publish(plan.tenants());
    if (log.isDebugEnabled() && !plan.skipBytes().isEmpty()) {
      log.debug("held back: {}", heldBack(plan));
    }
    return skipped;
  }

  /** Bytes held back by reason, then the largest listed skips with their texts. */
  static String heldBack(MigrationPlan plan) {
    StringBuilder sb = new StringBuilder();
    plan.skipBytes()
        .forEach(
            (reason, bytes) ->
                sb.append(sb.length() == 0 ? "" : ", ")
                    .append(reason.name().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(DataSize.human(bytes)));
    plan.skipped().stream()
        .sorted(Comparator.comparingLong(Skip::bytes).reversed())
        .limit(HELD_BACK_LISTED)
        .forEach(
            skip ->
                sb.append("; ")
                    .append(skip.pid())
                    .append(' ')
                    .append(skip.range())
                    .append(' ')
                    .append(DataSize.human(skip.bytes()))
                    .append(' ')
                    .append(skip.direction().name().toLowerCase(Locale.ROOT))
                    .append(": ")
                    .append(skip.text()));
    return sb.toString();
  }

  /** A dry run prints the plan it would carry out: one line per move, with its reason. */
  void dryRunPlan(MigrationPlan plan) {
    List<Move> moves = plan.moves();
    for (int i = 0; i < moves.size() && i < DRY_RUN_MOVES_LOGGED; i++) {
      log.info("dry-run plan: {}", Explain.moveLine(moves.get(i)));
    }
    if (moves.size() > DRY_RUN_MOVES_LOGGED) {
      log.info("dry-run plan: … {} more moves", moves.size() - DRY_RUN_MOVES_LOGGED);
    }
  }

  /** The mover's metrics, one debug line per move; returns the pages that failed, by errno. */
  Map<String, Long> moves(MigrationPlan plan, MoveReport report) {
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
        metrics.moves().wouldMove(direction(m), m.fromNodes().first(), m.toNode(), t.bytesMoved());
      } else if (pages > 0) {
        metrics
            .moves()
            .migrated(direction(m), m.fromNodes().first(), m.toNode(), pages, t.bytesMoved());
      }
      for (var e : t.asMap().entrySet()) {
        Outcome o = e.getKey();
        if (o.isFailure()) {
          failures.merge(o.name(), e.getValue(), Long::sum);
        } else if (o.isDeferral()) {
          metrics.moves().deferred(o, e.getValue());
        }
      }
      if (!from.isEmpty()) {
        log.debug("move {} {} -> {} [{}]: {}", m.pid(), from, m.toNode(), m.reason().code(), t);
      }
    }
    failures.forEach(metrics.moves()::failures);
    metrics.moves().calls(report.moveCalls(), report.queryCalls(), report.longestCall());
    return failures;
  }

  private static double ratio(long used, long available) {
    return available <= 0 ? 0 : Math.min(1.0, (double) used / available);
  }

  private static String direction(Move m) {
    return m.direction().name().toLowerCase(Locale.ROOT);
  }
}
