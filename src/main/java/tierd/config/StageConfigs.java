package tierd.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonConfig;
import tierd.heat.select.HeatConfig;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.mover.MoverConfig;
import tierd.planner.CapacitySource;
import tierd.planner.PlannerConfig;
import tierd.scoring.ScoringConfig;

/**
 * The sections of tierd.yaml that configure one stage each ({@code heat}, {@code scoring}, {@code
 * planner}, {@code mover}), mapped onto the stages' own records. The records validate their
 * combinations (e.g. the hot/cold hysteresis gap); their messages name the key, and this class adds
 * the file.
 */
public record StageConfigs(
    HeatConfig heat, ScoringConfig scoring, PlannerConfig planner, MoverConfig mover) {

  private static final Duration MS = Duration.ofMillis(1);

  public StageConfigs withHeat(HeatConfig h) {
    return new StageConfigs(h, scoring, planner, mover);
  }

  public StageConfigs withScoring(ScoringConfig s) {
    return new StageConfigs(heat, s, planner, mover);
  }

  private static final Duration DAY = Duration.ofDays(1);

  static StageConfigs from(ConfigNode root, Path runtimeDirectory) {
    return new StageConfigs(
        heat(root.section("heat"), runtimeDirectory),
        scoring(root.section("scoring")),
        planner(root.section("planner")),
        mover(root.section("mover")));
  }

  private static <T> T build(ConfigNode n, java.util.function.Supplier<T> f) {
    try {
      return f.get();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(n.file(), 0, null, e.getMessage());
    }
  }

  static HeatConfig heat(ConfigNode n, Path runtimeDirectory) {
    HeatConfig d = HeatConfig.defaults();
    List<SourceKind> pref = d.preference();
    List<String> labels = n.strings("sources");
    if (!labels.isEmpty()) {
      try {
        pref = HeatConfig.parsePreference(labels);
      } catch (IllegalArgumentException e) {
        throw n.error("sources", e.getMessage());
      }
    }
    long chunk =
        n.size("chunk", DataSize.ofBytes(d.chunkBytes()), DataSize.ofBytes(4096), DataSize.ofGiB(1))
            .bytes();
    ConfigNode dn = n.section("damon");
    DamonConfig dd = DamonConfig.defaults();
    Duration sample =
        dn.duration(
            "sampleInterval", dd.sampleInterval(), Duration.ofNanos(1000), Duration.ofSeconds(10));
    Duration aggr = dn.duration("aggrInterval", dd.aggrInterval(), MS, Duration.ofMinutes(10));
    Duration update = dn.duration("updateInterval", dd.updateInterval(), MS, Duration.ofHours(1));
    int minRegions =
        (int) dn.integer("minRegions", dd.minRegions(), DamonConfig.MIN_REGIONS_FLOOR, 1 << 20);
    int maxRegions =
        (int) dn.integer("maxRegions", dd.maxRegions(), DamonConfig.MIN_REGIONS_FLOOR, 1 << 20);
    Duration minSample =
        dn.duration(
            "minSampleInterval",
            dd.minSampleInterval(),
            Duration.ofNanos(1000),
            Duration.ofSeconds(10));
    Duration maxSample =
        dn.duration(
            "maxSampleInterval",
            dd.maxSampleInterval(),
            Duration.ofNanos(1000),
            Duration.ofSeconds(10));
    boolean tracepoint = dn.bool("tracepoint", dd.tracepoint());
    Duration warmup =
        n.duration("warmup", HeatConfig.DEFAULT_WARMUP, Duration.ZERO, Duration.ofHours(1));
    double goal = n.percent("accessGoal", d.accessGoal(), 0, 0.99);
    HeatConfig.WindowBounds dw = d.windows();
    Duration minWindow = n.duration("minWindow", dw.min(), Duration.ofMillis(10), DAY);
    Duration maxWindow = n.duration("maxWindow", dw.max(), Duration.ofMillis(10), DAY);
    List<SourceKind> p = pref;
    return build(
        n,
        () ->
            new HeatConfig(
                p,
                new DamonConfig(
                    sample, aggr, update, minRegions, maxRegions, minSample, maxSample, tracepoint),
                chunk,
                runtimeDirectory,
                warmup,
                goal,
                new HeatConfig.WindowBounds(minWindow, maxWindow, dw.start())));
  }

  static ScoringConfig scoring(ConfigNode n) {
    ScoringConfig d = ScoringConfig.defaults();
    ScoringConfig.Builder b =
        d.toBuilder()
            .halfLife(n.duration("halfLife", d.halfLife(), MS, DAY))
            .confirmWindows((int) n.integer("confirmWindows", d.confirmWindows(), 2, 1000))
            .coldThreshold(n.percent("coldThreshold", d.coldThreshold(), 0, 0.99))
            .minGap(n.percent("minGap", d.minGap(), 0.001, 0.99))
            .coldMinAge(n.duration("coldMinAge", d.coldMinAge(), Duration.ZERO, DAY))
            .targetUtilisation(n.percent("targetUtilisation", d.targetUtilisation(), 0.01, 1))
            .headroom(n.size("headroom", d.headroom(), DataSize.ZERO, DataSize.ofGiB(1 << 20)))
            .thresholdStep(n.percent("thresholdStep", d.thresholdStep(), 0.001, 0.5))
            .maxRegionsPerProcess(
                (int) n.integer("maxRegionsPerProcess", d.maxRegionsPerProcess(), 16, 1 << 24));
    if (n.has("hotThreshold")) {
      b.hotThreshold(n.percent("hotThreshold", 0, 0.001, 1));
    }
    return build(n, b::build);
  }

  static PlannerConfig planner(ConfigNode n) {
    PlannerConfig d = PlannerConfig.defaults();
    long maxRate = 1L << 40;
    PlannerConfig.Builder b =
        d.toBuilder()
            .promoteBytesPerSecond(n.rate("promoteRate", d.promoteBytesPerSecond(), 4096, maxRate))
            .demoteBytesPerSecond(n.rate("demoteRate", d.demoteBytesPerSecond(), 4096, maxRate))
            .budgetBurst(n.duration("budgetBurst", d.budgetBurst(), MS, Duration.ofHours(1)))
            .maxBytesPerCycle(
                n.size(
                    "maxBytesPerCycle",
                    d.maxBytesPerCycle(),
                    DataSize.ofBytes(4096),
                    DataSize.ofGiB(1 << 20)))
            .minResidency(n.duration("minResidency", d.minResidency(), Duration.ZERO, DAY))
            .historyRetention(
                n.duration(
                    "historyRetention", d.historyRetention(), Duration.ZERO, Duration.ofDays(7)))
            .preferred(n.enumValue("preferred", PlannerConfig.PreferredPolicy.class, d.preferred()))
            .moveInterleaved(n.bool("moveInterleaved", d.moveInterleaved()))
            .moveShared(n.bool("moveShared", d.moveShared()))
            .hugetlb(n.enumValue("hugetlb", PlannerConfig.HugetlbMode.class, d.hugetlb()))
            .thpAlign(n.size("thpAlign", d.thpAlign(), DataSize.ZERO, DataSize.ofGiB(1)))
            .exchange(n.bool("exchange", d.exchange()))
            .roomMargin(n.percent("roomMargin", d.roomMargin(), 0, 0.2))
            .maxSkipsListed((int) n.integer("maxSkipsListed", d.maxSkipsListed(), 0, 1_000_000));
    if (n.has("proactiveDemotionAge")) {
      b.proactiveDemotionAge(
          n.duration(
              "proactiveDemotionAge", Duration.ZERO, Duration.ofSeconds(1), Duration.ofDays(30)));
    }
    ConfigNode fill = n.section("maxFill");
    Map<Integer, Double> fills = new TreeMap<>();
    for (String key : fill.keys()) {
      NodeSet nodes;
      try {
        nodes = NodeSet.parse(key);
      } catch (RuntimeException e) {
        throw fill.error(key, "'" + key + "' is not a node id or nodelist");
      }
      double f = fill.percent(key, 1, 0.01, 1);
      for (int node : nodes.toArray()) {
        fills.put(node, f);
      }
    }
    b.maxFill(fills);
    b.demotionOnly(demotionOnly(n.section("nodes")));
    return build(n, b::build);
  }

  /**
   * {@code planner.nodes}: per node id, {@code demotionOnly: true} with exactly one capacity
   * source: {@code capacity} (a size), {@code capacityFile} (an absolute path holding bytes) or
   * {@code capacityCommand} (argv whose first element is an absolute path; it prints bytes).
   */
  static Map<Integer, CapacitySource> demotionOnly(ConfigNode nodes) {
    Map<Integer, CapacitySource> out = new TreeMap<>();
    for (String key : nodes.keys()) {
      int node;
      try {
        node = NodeSet.checkNode(Integer.parseInt(key));
      } catch (RuntimeException e) {
        throw nodes.error(key, "'" + key + "' is not a node id");
      }
      ConfigNode n = nodes.section(key);
      boolean only = n.bool("demotionOnly", false);
      List<String> given =
          Stream.of("capacity", "capacityFile", "capacityCommand").filter(n::has).toList();
      n.finish(); // a misspelt key is named before the missing source it causes
      if (!only) {
        if (!given.isEmpty()) {
          throw n.error(
              given.get(0), "applies to demotion-only nodes only (set demotionOnly: true)");
        }
        continue;
      }
      if (given.size() != 1) {
        throw n.error(
            "demotionOnly",
            "a demotion-only node needs exactly one of capacity (a size), capacityFile (a file"
                + " holding usable bytes) or capacityCommand (a command printing them)"
                + (given.isEmpty() ? "" : "; got " + String.join(" and ", given)));
      }
      out.put(node, capacitySource(n, given.get(0)));
    }
    return out;
  }

  private static CapacitySource capacitySource(ConfigNode n, String key) {
    switch (key) {
      case "capacity":
        return new CapacitySource.Fixed(
            n.size(key, DataSize.ZERO, DataSize.ZERO, DataSize.ofGiB(1L << 30)).bytes());
      case "capacityFile":
        Path path = Path.of(n.string(key, ""));
        if (!path.isAbsolute()) {
          throw n.error(key, "must be an absolute path (got '" + path + "')");
        }
        return new CapacitySource.FromFile(path);
      default:
        List<String> argv = n.strings(key);
        if (argv.isEmpty() || !Path.of(argv.get(0)).isAbsolute()) {
          throw n.error(
              key,
              "must be a list whose first element is the program's absolute path (got "
                  + argv
                  + ")");
        }
        if (argv.size() == 1 && argv.get(0).strip().contains(" ")) {
          throw n.error(
              key,
              "is run without a shell: give the program and its arguments as a list, e.g. ["
                  + String.join(", ", argv.get(0).strip().split("\\s+"))
                  + "]");
        }
        return new CapacitySource.FromCommand(argv);
    }
  }

  static MoverConfig mover(ConfigNode n) {
    MoverConfig d = MoverConfig.DEFAULT;
    Duration bound =
        n.duration("callBound", d.callBound(), Duration.ofNanos(1000), Duration.ofSeconds(10));
    int initial = (int) n.integer("initialBatchPages", d.initialBatchPages(), 1, 1 << 20);
    int max = (int) n.integer("maxBatchPages", d.maxBatchPages(), 1, 1 << 20);
    boolean all = n.bool("moveAll", d.moveAll());
    boolean retry = n.bool("retryBusy", d.retryBusy());
    Duration progress =
        n.duration("progressLogInterval", d.progressLogInterval(), MS, Duration.ofHours(1));
    return build(n, () -> new MoverConfig(bound, initial, max, all, retry, progress));
  }
}
