package tierd.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micrometer.core.instrument.Meter;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.metrics.MetricNames;
import tierd.metrics.TierdMetrics;
import tierd.mover.Outcome;
import tierd.planner.Direction;
import tierd.source.proc.Vmstat;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * The alert rules, their promtool tests and the Grafana dashboard name only metrics, labels and
 * label values that tierd really exports. The reference is a real scrape: a {@link TierdMetrics}
 * fed with every kind of observation (over the 2-node VM fixture's topology and vmstat), exposed
 * through the same Prometheus registry the /metrics endpoint serves. The Micrometer names in {@link
 * MetricNames} are converted by hand (dots to underscores, the base unit appended, {@code _total}
 * for counters) and the result is checked against that scrape too, so the conversion the docs
 * describe is the one Micrometer does.
 */
class MonitoringNamesTest {

  /** family name → label names seen on its samples. */
  static final Map<String, Set<String>> LABELS = new TreeMap<>();

  /** family name → label name → label values seen. */
  static final Map<String, Map<String, Set<String>>> VALUES = new TreeMap<>();

  static TierdMetrics metrics;
  static String scrape;

  @BeforeAll
  static void scrapeEverything() {
    metrics = new TierdMetrics("test");
    Topology topo = new TopologyReader(Fixtures.root("vm-2node"), 4096).read(List.of());
    metrics.topology(topo);
    metrics.fillLimits(topo, java.util.Map.of(1, 0.8));
    metrics.interval(java.time.Duration.ofSeconds(5));
    metrics.vmstat(Vmstat.read(Fixtures.root("vm-2node")));
    metrics.managedProcesses(3);
    metrics.dryRun(false);
    metrics.heatSource("damon-vaddr");
    metrics.heatIntervals(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(4));
    metrics.conflicts(Map.of("damon", 1));
    metrics.thresholds(0.4, 0.02);
    metrics.budgetUsed(Map.of("promote", 0.5, "demote", 0.25));
    Map<String, Map<String, Long>> regions = new TreeMap<>();
    for (String cls : List.of("HOT", "WARM", "COLD")) {
      regions.put(cls, Map.of(topo.tiers().get(0).label(), 1L << 20));
    }
    metrics.regionBytes(regions);
    for (String stage : List.of("topology", "vmstat", "discover", "heat", "score", "plan")) {
      metrics.stage(stage, Duration.ofMillis(3), !stage.equals("heat"));
    }
    metrics.cycleFailure("heat");
    metrics.cycle(Duration.ofMillis(40), true, Instant.now());
    metrics.cycle(Duration.ofMillis(40), false, Instant.now());
    for (Direction d : Direction.values()) {
      String dir = d.name().toLowerCase(Locale.ROOT);
      metrics.moves().planned(dir, 0, 1, 8192);
      metrics.moves().migrated(dir, 0, 1, 2, 8192);
      metrics.moves().wouldMove(dir, 0, 1, 8192);
    }
    metrics.moves().failures(Outcome.ENOMEM.name(), 4);
    metrics.moves().failures(Outcome.EBUSY.name(), 1);
    metrics.moves().calls(2, 1, Duration.ofMillis(5));
    metrics.pingpong(1);
    metrics.skipped("policy", 2);
    metrics.scan().skipped(1, 1, 0);
    metrics.scan().numaMaps("read", 2);
    metrics.scan().numaMaps("kept", 1);
    metrics.scan().numaMaps("rechecked", 1);
    metrics
        .tenants()
        .publish(
            List.of(
                new tierd.planner.TenantShare(
                    "web/web-1",
                    "web",
                    10,
                    4L << 30,
                    1L << 30,
                    2L << 30,
                    2L << 30,
                    3L << 30,
                    "50 %",
                    "3GiB",
                    Map.of(tierd.planner.ReasonCode.HOT, 3L)),
                new tierd.planner.TenantShare(
                    "batch",
                    "batch",
                    0,
                    8L << 30,
                    2L << 30,
                    2L << 30,
                    -1,
                    2L << 30,
                    "",
                    "2GiB",
                    Map.of(tierd.planner.ReasonCode.TENANT_CEILING, 1L))));
    metrics.configReload(true);
    metrics.configReload(false);
    tierd.profile.ProfileHistory profile = tierd.profile.ProfileHistory.forDaemon();
    profile.record(tierd.profile.WindowProfile.of(Instant.now(), List.of(), List.of()));
    metrics.profile().publish(profile.summary().orElseThrow());
    scrape = metrics.scrape();

    Pattern type = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? \\S+$");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    for (String line : scrape.split("\n")) {
      Matcher t = type.matcher(line);
      if (t.matches()) {
        LABELS.putIfAbsent(t.group(1), new TreeSet<>());
        if (t.group(2).equals("summary") || t.group(2).equals("histogram")) {
          LABELS.putIfAbsent(t.group(1) + "_count", new TreeSet<>());
          LABELS.putIfAbsent(t.group(1) + "_sum", new TreeSet<>());
        }
        continue;
      }
      Matcher s = sample.matcher(line);
      if (!line.startsWith("#") && s.matches()) {
        Set<String> names = LABELS.computeIfAbsent(s.group(1), k -> new TreeSet<>());
        if (s.group(3) != null) {
          Matcher l = label.matcher(s.group(3));
          while (l.find()) {
            names.add(l.group(1));
            VALUES
                .computeIfAbsent(s.group(1), k -> new TreeMap<>())
                .computeIfAbsent(l.group(1), k -> new TreeSet<>())
                .add(l.group(2));
          }
        }
      }
    }
  }

  // --- MetricNames → Prometheus names ----------------------------------------------------------

  static Stream<Arguments> metricNames() throws IllegalAccessException {
    List<Arguments> out = new ArrayList<>();
    for (Field f : MetricNames.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        out.add(Arguments.of(f.getName(), (String) f.get(null)));
      }
    }
    return out.stream();
  }

  /**
   * Micrometer's Prometheus naming: dots become underscores, the base unit is appended unless the
   * name already ends with it (timers are in seconds), and counters end in {@code _total}.
   */
  static String prometheusName(Meter.Id id) {
    String name = id.getName().replace('.', '_');
    String unit = id.getBaseUnit();
    if (id.getType() == Meter.Type.TIMER) {
      unit = "seconds";
    }
    if (unit != null && !name.endsWith("_" + unit)) {
      name += "_" + unit;
    }
    if (id.getType() == Meter.Type.COUNTER && !name.endsWith("_total")) {
      name += "_total";
    }
    return name;
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("metricNames")
  void everyMetricNameIsExportedUnderItsConvertedName(String constant, String micrometerName) {
    List<Meter> meters = List.copyOf(metrics.registry().find(micrometerName).meters());
    assertThat(meters)
        .as(
            "%s (%s) is registered once TierdMetrics has seen every kind of observation",
            constant, micrometerName)
        .isNotEmpty();
    String prom = prometheusName(meters.get(0).getId());
    assertThat(LABELS).as("the scrape has a family %s", prom).containsKey(prom);
    String javadocName = MetricNamesSource.documentedName(constant);
    if (javadocName != null) {
      assertThat(prom)
          .as("the javadoc of MetricNames.%s names it", constant)
          .isEqualTo(javadocName);
    }
  }

  /** The Prometheus names MetricNames' javadoc gives, read from its source. */
  static final class MetricNamesSource {
    private static Map<String, String> byConstant;

    static synchronized String documentedName(String constant) {
      if (byConstant == null) {
        byConstant = new TreeMap<>();
        try {
          String src = Files.readString(Path.of("src/main/java/tierd/metrics/MetricNames.java"));
          Matcher m =
              Pattern.compile(
                      "/\\*\\*\\s*(tierd_[a-z0-9_]+)[^*]*(?:\\*(?!/)[^*]*)*\\*/\\s*"
                          + "public static final String (\\w+)")
                  .matcher(src);
          while (m.find()) {
            byConstant.put(m.group(2), m.group(1));
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return byConstant.get(constant);
    }
  }

  // --- PromQL in the alert rules, their tests and the dashboard -------------------------------

  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> alertExpressions() throws IOException {
    JsonNode rules = YAML.readTree(Path.of("monitoring/tierd-alerts.yml").toFile());
    List<Arguments> out = new ArrayList<>();
    for (JsonNode g : rules.get("groups")) {
      for (JsonNode r : g.get("rules")) {
        String name = r.has("alert") ? r.get("alert").asText() : r.get("record").asText();
        out.add(Arguments.of(name, r.get("expr").asText()));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> alertTestSeries() throws IOException {
    JsonNode tests = YAML.readTree(Path.of("monitoring/tierd-alerts.test.yml").toFile());
    List<Arguments> out = new ArrayList<>();
    for (JsonNode t : tests.get("tests")) {
      for (JsonNode s : t.get("input_series")) {
        out.add(Arguments.of(t.get("name").asText(), s.get("series").asText()));
      }
    }
    return out.stream();
  }

  static Stream<Arguments> dashboardExpressions() throws IOException {
    JsonNode d = JSON.readTree(Path.of("monitoring/grafana-dashboard.json").toFile());
    List<Arguments> out = new ArrayList<>();
    for (JsonNode p : d.get("panels")) {
      for (JsonNode t : p.path("targets")) {
        out.add(Arguments.of(p.get("title").asText(), t.get("expr").asText()));
      }
    }
    for (JsonNode a : d.path("annotations").path("list")) {
      if (a.has("expr")) {
        out.add(Arguments.of("annotation " + a.get("name").asText(), a.get("expr").asText()));
      }
    }
    for (JsonNode v : d.path("templating").path("list")) {
      if (v.has("definition")) {
        out.add(Arguments.of("variable " + v.get("name").asText(), v.get("definition").asText()));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "alert {0}")
  @MethodSource("alertExpressions")
  void alertRulesUseOnlyExportedNames(String alert, String expr) {
    checkExpression(expr);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("alertTestSeries")
  void alertTestsFeedOnlyExportedSeries(String test, String series) {
    checkExpression(series);
  }

  @ParameterizedTest(name = "panel {0}")
  @MethodSource("dashboardExpressions")
  void dashboardUsesOnlyExportedNames(String panel, String expr) {
    checkExpression(expr);
  }

  @Test
  void theDashboardCoversTheMetricsOperatorsNeed() throws IOException {
    String d = Files.readString(Path.of("monitoring/grafana-dashboard.json"));
    for (String name :
        List.of(
            "tierd_region_bytes",
            "tierd_migrated_bytes_total",
            "tierd_move_failures_total",
            "tierd_cycle_duration_seconds",
            "tierd_stage_duration_seconds",
            "tierd_threshold_ratio",
            "tierd_budget_used_ratio",
            "tierd_pingpong_total",
            "tierd_node_free_bytes",
            "tierd_node_total_bytes",
            "tierd_kernel_vmstat_total",
            "tierd_dry_run")) {
      assertThat(d).as("dashboard shows %s", name).contains(name);
    }
  }

  /** Target labels Prometheus adds; they are not in tierd's exposition. */
  static final Set<String> TARGET_LABELS = Set.of("job", "instance");

  /** Series that are Prometheus's own, not the exporter's. */
  static final Set<String> PROMETHEUS_SERIES = Set.of("up");

  /** A string literal (skipped), a selector with its matchers, or a bare identifier. */
  static final Pattern TOKEN =
      Pattern.compile(
          "\"(?:[^\"\\\\]|\\\\.)*\""
              + "|([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)}"
              + "|([a-zA-Z_:][a-zA-Z0-9_:]*)");

  static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

  /**
   * Every metric name in {@code expr} that tierd's scrape could contain (prefix tierd_, jvm_ or
   * process_) is in the scrape; the labels used in selectors and in by/on clauses are labels of the
   * metrics in the expression (or target labels); equality matchers on errno, direction and result
   * use values tierd produces.
   */
  static void checkExpression(String expr) {
    // Grafana's variables: $__rate_interval, $__range, $instance, ${datasource}.
    String e = expr.replaceAll("\\$\\{?\\w+}?", "x");
    Set<String> metricsUsed = new TreeSet<>();
    Set<String> labelsUsed = new TreeSet<>();
    Map<String, String> equalities = new TreeMap<>();
    Matcher g = GROUPING.matcher(e);
    while (g.find()) {
      for (String l : g.group(2).split(",")) {
        if (!l.isBlank()) {
          labelsUsed.add(l.strip());
        }
      }
    }
    Matcher t = TOKEN.matcher(GROUPING.matcher(e).replaceAll(" "));
    while (t.find()) {
      String name = t.group(1) != null ? t.group(1) : t.group(3);
      if (name == null || !(isExporterMetric(name) || PROMETHEUS_SERIES.contains(name))) {
        continue; // a string literal, a function, a keyword, a duration
      }
      metricsUsed.add(name);
      if (t.group(2) != null) {
        Matcher m = MATCHER.matcher(t.group(2));
        while (m.find()) {
          labelsUsed.add(m.group(1));
          if (m.group(2).equals("=") && isExporterMetric(name)) {
            equalities.put(name + "/" + m.group(1), m.group(3));
          }
        }
      }
    }
    assertThat(metricsUsed).as("metrics in: %s", expr).isNotEmpty();
    for (String m : metricsUsed) {
      if (isExporterMetric(m)) {
        assertThat(LABELS).as("metric %s in: %s", m, expr).containsKey(m);
      }
    }
    Set<String> available = new TreeSet<>(TARGET_LABELS);
    for (String m : metricsUsed) {
      available.addAll(LABELS.getOrDefault(m, Set.of()));
    }
    assertThat(available).as("labels used in: %s", expr).containsAll(labelsUsed);
    equalities.forEach((key, value) -> checkLabelValue(key, value, expr));
  }

  static boolean isExporterMetric(String name) {
    return name.startsWith("tierd_") || name.startsWith("jvm_") || name.startsWith("process_");
  }

  static void checkLabelValue(String metricSlashLabel, String value, String expr) {
    String label = metricSlashLabel.substring(metricSlashLabel.indexOf('/') + 1);
    switch (label) {
      case "errno" ->
          assertThat(Arrays.stream(Outcome.values()).map(Enum::name).collect(Collectors.toSet()))
              .as("errno value in: %s", expr)
              .contains(value);
      case "direction" ->
          assertThat(
                  Arrays.stream(Direction.values())
                      .map(d -> d.name().toLowerCase(Locale.ROOT))
                      .collect(Collectors.toSet()))
              .as("direction value in: %s", expr)
              .contains(value);
      case "job", "instance", "node" -> {
        // target labels, and node ids, are the host's
      }
      default -> {
        String metric = metricSlashLabel.substring(0, metricSlashLabel.indexOf('/'));
        assertThat(VALUES.getOrDefault(metric, Map.of()).getOrDefault(label, Set.of()))
            .as("value of %s in: %s", label, expr)
            .contains(value);
      }
    }
  }
}
