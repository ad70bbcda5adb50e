package tierd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demotion-only gauges follow each cycle's values, and the node set when it changes. */
class DemotionOnlyMetricsTest {

  @Test
  void valuesChangeInPlaceAndANodeThatLeavesLosesItsSeries() {
    TierdMetrics metrics = new TierdMetrics("test");
    DemotionOnlyMetrics gauges = metrics.demotionOnly();
    gauges.foreign(Map.of(2, 8L << 20));
    gauges.capacities(Map.of(2, 64L << 20, 3, 1L << 30));
    assertThat(metrics.scrape())
        .contains("tierd_demotion_only_foreign_bytes{node=\"2\",} 8388608.0")
        .contains("tierd_demotion_only_capacity_bytes{node=\"3\",} 1.073741824E9");
    gauges.foreign(Map.of(2, 0L));
    gauges.capacities(Map.of(2, 32L << 20));
    assertThat(metrics.scrape())
        .contains("tierd_demotion_only_foreign_bytes{node=\"2\",} 0.0")
        .contains("tierd_demotion_only_capacity_bytes{node=\"2\",} 3.3554432E7")
        .doesNotContain("tierd_demotion_only_capacity_bytes{node=\"3\"");
  }
}
