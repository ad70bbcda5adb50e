package tierd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.mover.Outcome;
import tierd.topology.TopologyReader;

/** The move families: at zero from the first scrape, then what was planned, moved and refused. */
class MoveMetricsTest {

  private final TierdMetrics metrics = new TierdMetrics("test");

  @Test
  void failuresDeferralsAndCallsAreThereAtZeroBeforeAnyMove() {
    assertThat(metrics.scrape())
        .contains("tierd_move_failures_total{errno=\"EBUSY\",} 0.0")
        .contains("tierd_move_deferred_pages_total{reason=\"time_budget\",} 0.0")
        .contains("tierd_move_deferred_pages_total{reason=\"no_room\",} 0.0")
        .contains("tierd_move_deferred_pages_total{reason=\"over_plan\",} 0.0")
        .contains("tierd_move_calls_total{kind=\"query\",} 0.0")
        .contains("tierd_move_longest_call_seconds 0.0");
  }

  @Test
  void everyTargetPairOfTheTopologyStartsAtZero() {
    metrics.topology(new TopologyReader(Fixtures.root("vm-2node"), 4096).read(List.of()));

    assertThat(metrics.scrape())
        .contains(
            "tierd_planned_bytes_total{direction=\"promote\",from_node=\"1\",to_node=\"0\",} 0.0")
        .contains(
            "tierd_migrated_pages_total{direction=\"demote\",from_node=\"0\",to_node=\"1\",} 0.0");
  }

  @Test
  void whatMovedAndWhatTheKernelRefusedAddUp() {
    MoveMetrics moves = metrics.moves();
    moves.planned("promote", 1, 0, 8192);
    moves.migrated("promote", 1, 0, 2, 8192);
    moves.migrated("promote", 1, 0, 1, 4096);
    moves.failures(Outcome.EBUSY.name(), 3);
    moves.deferred(Outcome.NO_ROOM, 5);
    moves.deferred(Outcome.OVER_PLAN, 7);
    moves.calls(2, 1, Duration.ofMillis(5));

    assertThat(metrics.scrape())
        .contains(
            "tierd_planned_bytes_total{direction=\"promote\",from_node=\"1\",to_node=\"0\",}"
                + " 8192.0")
        .contains(
            "tierd_migrated_pages_total{direction=\"promote\",from_node=\"1\",to_node=\"0\",} 3.0")
        .contains("tierd_move_failures_total{errno=\"EBUSY\",} 3.0")
        .contains("tierd_move_deferred_pages_total{reason=\"no_room\",} 5.0")
        .contains("tierd_move_deferred_pages_total{reason=\"over_plan\",} 7.0")
        .contains("tierd_move_calls_total{kind=\"move\",} 2.0")
        .contains("tierd_move_longest_call_seconds 0.005");
  }
}
