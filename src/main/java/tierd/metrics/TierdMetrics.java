package tierd.metrics;

import static tierd.metrics.MetricNames.*;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tierd.planner.SkipReason;
import tierd.source.proc.Vmstat;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * tierd's meters in one Micrometer {@link PrometheusMeterRegistry} (on the Prometheus
 * simpleclient). The daemon reports each stage's outcome here; the HTTP endpoint scrapes it. Names
 * are in {@link MetricNames}. Gauges whose label sets change with the host (nodes, tiers) are
 * {@link MultiGauge}s that are overwritten each cycle, so a node that goes away stops being
 * exported.
 */
public final class TierdMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private final AtomicLong managed = new AtomicLong();
  private final AtomicLong dryRun = new AtomicLong();
  private final AtomicLong tiers = new AtomicLong();
  private final AtomicLong lastCycleEpochMillis = new AtomicLong();
  private final AtomicLong intervalMillis = new AtomicLong();
  private final Map<String, AtomicLong> vmstat = new ConcurrentHashMap<>();
  private final MultiGauge nodeFree;
  private final MultiGauge nodeTotal;
  private final MultiGauge nodeRank;
  private final MultiGauge nodeFillLimit;
  private final MultiGauge regionBytes;
  private final MultiGauge thresholds;
  private final MultiGauge budgets;
  private final MultiGauge conflicts;
  private final MultiGauge heatSource;
  private final MultiGauge heatIntervals;
  private final ScanMetrics scan;
  private final MoveMetrics moves;
  private final ProfileMetrics profile;
  private final TenantMetrics tenants;

  public TierdMetrics(String version) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("tierd build information; always 1")
        .tags("version", version, "java_version", System.getProperty("java.version"))
        .register(registry);
    Gauge.builder(MANAGED_PROCESSES, managed, AtomicLong::get)
        .description("Processes tierd manages in the current cycle")
        .register(registry);
    Gauge.builder(DRY_RUN, dryRun, AtomicLong::get)
        .description("1 when tierd records moves instead of making them")
        .register(registry);
    Gauge.builder(TIERS, tiers, AtomicLong::get)
        .description("Memory tiers on this host; 1 means there is nothing to tier")
        .register(registry);
    Gauge.builder(LAST_CYCLE, lastCycleEpochMillis, v -> v.get() / 1000.0)
        .description("Unix time of the last completed cycle")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder(INTERVAL, intervalMillis, v -> v.get() / 1000.0)
        .description("The configured cycle interval")
        .baseUnit("seconds")
        .register(registry);
    nodeFillLimit =
        MultiGauge.builder(NODE_FILL_LIMIT)
            .description("Fill limit per node (planner.maxFill); 1 where none is set")
            .baseUnit("ratio")
            .register(registry);
    nodeFree =
        MultiGauge.builder(NODE_FREE)
            .description("Free memory per NUMA node")
            .baseUnit("bytes")
            .register(registry);
    nodeTotal =
        MultiGauge.builder(NODE_TOTAL)
            .description("Total memory per NUMA node")
            .baseUnit("bytes")
            .register(registry);
    nodeRank =
        MultiGauge.builder(NODE_TIER_RANK)
            .description("Tier rank of each memory node, 0 = fastest")
            .register(registry);
    regionBytes =
        MultiGauge.builder(REGION_BYTES)
            .description("Scored bytes per heat class and tier")
            .baseUnit("bytes")
            .register(registry);
    thresholds =
        MultiGauge.builder(THRESHOLD)
            .description("Access-fraction thresholds in use (hot and cold)")
            .baseUnit("ratio")
            .register(registry);
    budgets =
        MultiGauge.builder(BUDGET_USED)
            .description("Share of the per-direction migration budget used by the last plan")
            .baseUnit("ratio")
            .register(registry);
    conflicts =
        MultiGauge.builder(SOURCE_CONFLICTS)
            .description("Other users of the kernel mechanisms tierd relies on, by kind")
            .register(registry);
    heatSource =
        MultiGauge.builder(HEAT_SOURCE)
            .description("1 for the hotness source in use")
            .register(registry);
    heatIntervals =
        MultiGauge.builder(HEAT_INTERVAL)
            .description("The heat source's check interval and window in force (tuned)")
            .baseUnit("seconds")
            .register(registry);
    for (String r : List.of("ok", "failed")) {
      cycles(r);
      configReloads(r.equals("ok") ? "ok" : "rejected");
    }
    Counter.builder(PINGPONG)
        .description("Moves that reversed a recent move of the same range")
        .register(registry);
    // Families with a known label set are registered at zero, so that rate() and alerts see a
    // series from the first scrape instead of an absent one.
    for (SkipReason r : SkipReason.values()) {
      skipped(r.name().toLowerCase(Locale.ROOT), 0);
    }
    scan = new ScanMetrics(registry);
    moves = new MoveMetrics(registry);
    profile = new ProfileMetrics(registry);
    tenants = new TenantMetrics(registry);
  }

  /** What the scan read, skipped and rejected, and the tracking limits. */
  public ScanMetrics scan() {
    return scan;
  }

  /** What was planned and moved, what the kernel refused, and the move_pages calls. */
  public MoveMetrics moves() {
    return moves;
  }

  /** The profile's host figures (idle ages, sizing, hot set). */
  public ProfileMetrics profile() {
    return profile;
  }

  /** The fast-tier shares of the classes. */
  public TenantMetrics tenants() {
    return tenants;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  private Counter cycles(String result) {
    return Counter.builder(CYCLES)
        .description("Cycles run, by result")
        .tag("result", result)
        .register(registry);
  }

  private Counter configReloads(String result) {
    return Counter.builder(CONFIG_RELOADS)
        .description("Configuration reloads on SIGHUP, by result")
        .tag("result", result)
        .register(registry);
  }

  public void cycle(Duration took, boolean ok, Instant now) {
    Timer.builder(CYCLE_DURATION)
        .description("Duration of a whole cycle")
        .register(registry)
        .record(took);
    cycles(ok ? "ok" : "failed").increment();
    lastCycleEpochMillis.set(now.toEpochMilli());
  }

  public void stage(String stage, Duration took, boolean ok) {
    Timer.builder(STAGE_DURATION)
        .description("Duration of each stage of a cycle")
        .tag("stage", stage)
        .register(registry)
        .record(took.toNanos(), TimeUnit.NANOSECONDS);
    Counter failures =
        Counter.builder(STAGE_FAILURES)
            .description("Stages that failed, by stage")
            .tag("stage", stage)
            .register(registry);
    if (!ok) {
      failures.increment();
    }
  }

  /**
   * Registers {@code tierd_cycle_failures_total} at zero for each of {@code stages}, so that rate()
   * and alerts see every stage from the first scrape.
   */
  public void cycleFailureStages(Iterable<String> stages) {
    stages.forEach(this::cycleFailures);
  }

  /** One cycle failed, first in {@code stage}. */
  public void cycleFailure(String stage) {
    cycleFailures(stage).increment();
  }

  private Counter cycleFailures(String stage) {
    return Counter.builder(CYCLE_FAILURES)
        .description("Failed cycles, by the stage that failed first")
        .tag("stage", stage)
        .register(registry);
  }

  public void pingpong(long n) {
    registry.get(PINGPONG).counter().increment(n);
  }

  public void skipped(String reason, long n) {
    Counter.builder(SKIPPED)
        .description("Candidates the planner left alone, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment(n);
  }

  public void managedProcesses(int n) {
    managed.set(n);
  }

  public void interval(Duration interval) {
    intervalMillis.set(interval.toMillis());
  }

  /** Fill limits of the topology's nodes (a fraction of their total), 1 where none is set. */
  public void fillLimits(Topology t, Map<Integer, Double> maxFill) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (int n : t.nodeIds().toArray()) {
      rows.add(
          MultiGauge.Row.of(Tags.of("node", Integer.toString(n)), maxFill.getOrDefault(n, 1.0)));
    }
    nodeFillLimit.register(rows, true);
  }

  public void dryRun(boolean on) {
    dryRun.set(on ? 1 : 0);
  }

  public void configReload(boolean ok) {
    configReloads(ok ? "ok" : "rejected").increment();
  }

  public void topology(Topology t) {
    tiers.set(t.tiers().size());
    moves.zeroForTargets(t);
    List<MultiGauge.Row<?>> free = new ArrayList<>();
    List<MultiGauge.Row<?>> total = new ArrayList<>();
    List<MultiGauge.Row<?>> rank = new ArrayList<>();
    for (NodeInfo n : t.nodes().values()) {
      Tags tags = Tags.of("node", Integer.toString(n.id()));
      free.add(MultiGauge.Row.of(tags, n.freeBytes()));
      total.add(MultiGauge.Row.of(tags, n.totalBytes()));
      rank.add(MultiGauge.Row.of(tags, t.rankOf(n.id())));
    }
    nodeFree.register(free, true);
    nodeTotal.register(total, true);
    nodeRank.register(rank, true);
  }

  /** Bytes per (heat class, tier label). */
  public void regionBytes(Map<String, Map<String, Long>> bytesByClassThenTier) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    bytesByClassThenTier.forEach(
        (cls, perTier) ->
            perTier.forEach(
                (tier, b) ->
                    rows.add(
                        MultiGauge.Row.of(
                            Tags.of("class", cls.toLowerCase(Locale.ROOT), "tier", tier), b))));
    regionBytes.register(rows, true);
  }

  public void thresholds(double hot, double cold) {
    thresholds.register(
        List.of(
            MultiGauge.Row.of(Tags.of("kind", "hot"), hot),
            MultiGauge.Row.of(Tags.of("kind", "cold"), cold)),
        true);
  }

  public void budgetUsed(Map<String, Double> ratioByDirection) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    ratioByDirection.forEach((d, r) -> rows.add(MultiGauge.Row.of(Tags.of("direction", d), r)));
    budgets.register(rows, true);
  }

  public void conflicts(Map<String, Integer> countByKind) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    countByKind.forEach((k, n) -> rows.add(MultiGauge.Row.of(Tags.of("kind", k), n)));
    conflicts.register(rows, true);
  }

  public void heatSource(String name) {
    heatSource.register(List.of(MultiGauge.Row.of(Tags.of("source", name), 1)), true);
  }

  /** The heat source's intervals in force; both null when it has none. */
  public void heatIntervals(Duration check, Duration window) {
    if (check == null || window == null) {
      heatIntervals.register(List.of(), true);
      return;
    }
    heatIntervals.register(
        List.of(
            MultiGauge.Row.of(Tags.of("kind", "check"), check.toNanos() / 1e9),
            MultiGauge.Row.of(Tags.of("kind", "window"), window.toNanos() / 1e9)),
        true);
  }

  /** Mirrors the kernel's tiering counters; they are monotonic, so they export as counters. */
  public void vmstat(Vmstat v) {
    v.counters()
        .forEach(
            (name, value) ->
                vmstat
                    .computeIfAbsent(
                        name,
                        k -> {
                          AtomicLong holder = new AtomicLong();
                          FunctionCounter.builder(KERNEL_VMSTAT, holder, AtomicLong::get)
                              .description(
                                  "The kernel's tiering and migration counters (/proc/vmstat)")
                              .tag("counter", k)
                              .register(registry);
                          return holder;
                        })
                    .set(Math.max(0, value)));
  }
}
