package tierd.metrics;

import static tierd.metrics.MetricNames.CLASS_CEILING;
import static tierd.metrics.MetricNames.CLASS_FAST;
import static tierd.metrics.MetricNames.CLASS_FLOOR;
import static tierd.metrics.MetricNames.CLASS_FLOOR_DEFICIT;
import static tierd.metrics.MetricNames.CLASS_PLANNED_MOVES;
import static tierd.metrics.MetricNames.CLASS_SLOW;
import static tierd.metrics.MetricNames.CLASS_TENANTS;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tierd.planner.ReasonCode;
import tierd.planner.TenantClass;
import tierd.planner.TenantShare;

/**
 * The fast-tier shares of the classes ({@code classes:}), per class — never per tenant or pid, so
 * the labels stay bounded by the config: fast and slow bytes, the floors and ceilings, the floor
 * deficit, the number of tenants, and the moves planned per reason. Nothing is exported without
 * classes. Part of {@link TierdMetrics}, on its registry.
 */
public final class TenantMetrics {

  private final MeterRegistry registry;
  private final MultiGauge fast;
  private final MultiGauge slow;
  private final MultiGauge floor;
  private final MultiGauge ceiling;
  private final MultiGauge deficit;
  private final MultiGauge tenants;
  private List<TenantClass> configuredClasses = List.of();

  TenantMetrics(MeterRegistry registry) {
    this.registry = registry;
    fast = gauge(CLASS_FAST, "Bytes of a class's processes on the fast tier (tier 0)");
    slow = gauge(CLASS_SLOW, "Bytes of a class's processes on the slower tiers");
    floor = gauge(CLASS_FLOOR, "Fast-tier floors (fastMin) of a class's tenants, summed");
    ceiling = gauge(CLASS_CEILING, "Fast-tier ceilings (fastMax) of a class's tenants, summed");
    deficit =
        gauge(
            CLASS_FLOOR_DEFICIT,
            "Bytes a class's tenants are short of their fast-tier floors, as the cycle found them");
    tenants =
        MultiGauge.builder(CLASS_TENANTS)
            .description("Tenants of a class (one per cgroup when the class matches cgroups)")
            .register(registry);
  }

  private MultiGauge gauge(String name, String description) {
    return MultiGauge.builder(name).description(description).baseUnit("bytes").register(registry);
  }

  /**
   * The classes of the config (and {@code default}, which takes the rest): each has its series from
   * the next plan on, at zero while it has no process, and a ceiling series when it has a ceiling.
   * Empty: no classes, no series.
   */
  public void configure(List<TenantClass> classes) {
    List<TenantClass> all = new ArrayList<>(classes);
    if (!all.isEmpty() && all.stream().noneMatch(c -> c.name().equals(TenantClass.DEFAULT_NAME))) {
      all.add(TenantClass.DEFAULT);
    }
    configuredClasses = List.copyOf(all);
  }

  /** One class's tenants, summed. Bytes. */
  private static final class ClassTotals {
    long fastBytes;
    long slowBytes;
    long floorBytes;
    long ceilingBytes;
    long deficitBytes;
    long tenants;

    /** The class has a ceiling (so each of its tenants has one). */
    boolean hasCeiling = true;
  }

  /** The shares of one plan's tenants, summed per class; the moves counted per class and reason. */
  public void publish(List<TenantShare> shares) {
    Map<String, ClassTotals> byClass = new LinkedHashMap<>();
    for (TenantClass configured : configuredClasses) {
      ClassTotals sums = new ClassTotals();
      sums.hasCeiling = configured.fastMax().isPresent();
      byClass.put(configured.name(), sums);
      for (ReasonCode code : ReasonCode.values()) {
        moves(configured.name(), code);
      }
    }
    for (TenantShare t : shares) {
      ClassTotals sums = byClass.computeIfAbsent(t.className(), c -> new ClassTotals());
      sums.fastBytes += t.fastBytes();
      sums.slowBytes += Math.max(0, t.residentBytes() - t.fastBytes());
      sums.floorBytes += Math.max(0, t.floorBytes());
      sums.ceilingBytes += Math.max(0, t.ceilingBytes());
      sums.deficitBytes += t.floorBytes() < 0 ? 0 : Math.max(0, t.floorBytes() - t.fastBytes());
      sums.tenants++;
      sums.hasCeiling &= t.ceilingBytes() >= 0;
      for (ReasonCode code : ReasonCode.values()) {
        moves(t.className(), code).increment(t.movesByReason().getOrDefault(code, 0L));
      }
    }
    List<MultiGauge.Row<?>> fastRows = new ArrayList<>();
    List<MultiGauge.Row<?>> slowRows = new ArrayList<>();
    List<MultiGauge.Row<?>> floorRows = new ArrayList<>();
    List<MultiGauge.Row<?>> ceilingRows = new ArrayList<>();
    List<MultiGauge.Row<?>> deficitRows = new ArrayList<>();
    List<MultiGauge.Row<?>> tenantRows = new ArrayList<>();
    byClass.forEach(
        (className, sums) -> {
          Tags tags = Tags.of("class", className);
          fastRows.add(MultiGauge.Row.of(tags, sums.fastBytes));
          slowRows.add(MultiGauge.Row.of(tags, sums.slowBytes));
          floorRows.add(MultiGauge.Row.of(tags, sums.floorBytes));
          if (sums.hasCeiling) {
            ceilingRows.add(MultiGauge.Row.of(tags, sums.ceilingBytes));
          }
          deficitRows.add(MultiGauge.Row.of(tags, sums.deficitBytes));
          tenantRows.add(MultiGauge.Row.of(tags, sums.tenants));
        });
    fast.register(fastRows, true);
    slow.register(slowRows, true);
    floor.register(floorRows, true);
    ceiling.register(ceilingRows, true);
    deficit.register(deficitRows, true);
    tenants.register(tenantRows, true);
  }

  private Counter moves(String className, ReasonCode code) {
    return Counter.builder(CLASS_PLANNED_MOVES)
        .description("Moves planned for a class's processes, by reason code")
        .tags("class", className, "reason", code.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }
}
