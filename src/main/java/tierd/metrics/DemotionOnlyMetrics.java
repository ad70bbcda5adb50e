package tierd.metrics;

import static tierd.metrics.MetricNames.DEMOTION_ONLY_CAPACITY;
import static tierd.metrics.MetricNames.DEMOTION_ONLY_FOREIGN;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demotion-only nodes ({@code planner.nodes.N.demotionOnly}): their usable capacity now ({@code
 * tierd_demotion_only_capacity_bytes}) and the bytes of managed processes on them that tierd did
 * not demote there ({@code tierd_demotion_only_foreign_bytes}). Labelled by node only: which
 * processes, is what {@code tierd scan} lists. Part of {@link TierdMetrics}, on its registry.
 */
public final class DemotionOnlyMetrics {

  private final MultiGauge capacity;
  private final MultiGauge foreign;
  private final ByNode capacityBytes = new ByNode();
  private final ByNode foreignBytes = new ByNode();

  DemotionOnlyMetrics(MeterRegistry registry) {
    capacity =
        MultiGauge.builder(DEMOTION_ONLY_CAPACITY)
            .description("Usable capacity of a demotion-only node, as its source gave it")
            .baseUnit("bytes")
            .register(registry);
    foreign =
        MultiGauge.builder(DEMOTION_ONLY_FOREIGN)
            .description(
                "Bytes of managed processes on a demotion-only node that tierd did not demote"
                    + " there (tierd scan lists the processes)")
            .baseUnit("bytes")
            .register(registry);
  }

  /** The capacities read this cycle, by node (a node whose capacity is unknown has no series). */
  public void capacities(Map<Integer, Long> bytesByNode) {
    capacityBytes.set(capacity, bytesByNode);
  }

  /** Foreign bytes by node, every demotion-only node included. */
  public void foreign(Map<Integer, Long> bytesByNode) {
    foreignBytes.set(foreign, bytesByNode);
  }

  /**
   * The values of one gauge family by node. The series are registered again only when the set of
   * nodes changes; otherwise the values change in place, so a scrape never falls between a removal
   * and a registration and finds no series.
   */
  private static final class ByNode {
    private Map<Integer, AtomicLong> values = Map.of();

    synchronized void set(MultiGauge gauge, Map<Integer, Long> bytesByNode) {
      if (!bytesByNode.keySet().equals(values.keySet())) {
        Map<Integer, AtomicLong> fresh = new TreeMap<>();
        bytesByNode.forEach((node, bytes) -> fresh.put(node, new AtomicLong(bytes)));
        values = fresh;
        gauge.register(rows(fresh), true);
        return;
      }
      bytesByNode.forEach((node, bytes) -> values.get(node).set(bytes));
    }
  }

  private static List<MultiGauge.Row<?>> rows(Map<Integer, AtomicLong> bytesByNode) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    bytesByNode.forEach(
        (node, bytes) ->
            rows.add(
                MultiGauge.Row.of(
                    Tags.of("node", Integer.toString(node)), bytes, AtomicLong::doubleValue)));
    return rows;
  }
}
