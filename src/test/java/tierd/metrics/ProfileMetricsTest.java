package tierd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;
import tierd.profile.ProfileHistory;
import tierd.profile.WindowProfile;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/** The profile's gauges: none before a profile exists, the hot set NaN until it is known. */
class ProfileMetricsTest {

  private final TierdMetrics metrics = new TierdMetrics("test");

  @Test
  void withoutAProfileTheHotSetIsNotANumberAndNoRowIsExported() {
    metrics.profile().publish(null);

    String scrape = metrics.scrape();
    assertThat(scrape).contains("tierd_hot_set_bytes NaN");
    assertThat(scrape).doesNotContain("tierd_idle_age_seconds{");
    assertThat(scrape).doesNotContain("tierd_sizing_fast_tier_bytes{");
  }

  @Test
  void aWindowGivesIdleAgesIdleBytesAndTheSizingPoints() {
    long mib = 1L << 20;
    long start = 0x7f0000000000L;
    ManagedProcess process =
        Fixtures.process(
            10,
            NodeSet.of(0, 1),
            List.of(Fixtures.vma(start, 8 * mib, MemPolicy.DEFAULT, Map.of(0, 8 * mib))));
    List<ScoredRegion> regions =
        List.of(
            new ScoredRegion(
                10,
                Fixtures.startTime(10),
                AddressRange.ofSize(start, 4 * mib),
                0.9,
                HeatClass.HOT,
                3,
                Duration.ZERO),
            new ScoredRegion(
                10,
                Fixtures.startTime(10),
                AddressRange.ofSize(start + 4 * mib, 4 * mib),
                0.0,
                HeatClass.COLD,
                0,
                Duration.ofMinutes(20)));
    ProfileHistory history = ProfileHistory.forDaemon();
    history.record(
        WindowProfile.of(Instant.parse("2026-01-01T00:00:00Z"), List.of(process), regions));

    metrics.profile().publish(history.summary().orElseThrow());

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("tierd_idle_age_seconds{percentile=\"50\",}")
        .contains("tierd_idle_age_seconds{percentile=\"99\",} 1200.0")
        .contains("tierd_idle_bytes{min_age_seconds=\"600\",} " + (double) (4 * mib))
        .contains("tierd_idle_bytes{min_age_seconds=\"3600\",} 0.0")
        .contains("tierd_sizing_fast_tier_bytes{served=\"0.95\",}");
  }
}
