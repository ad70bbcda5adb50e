package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.config.TierdConfig;
import tierd.heat.select.Conflict;
import tierd.metrics.TierdMetrics;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.mover.MoveReport;
import tierd.mover.Outcome;
import tierd.mover.Tally;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.planner.Reason;
import tierd.planner.ReasonCode;
import tierd.planner.SkipReason;
import tierd.scoring.Thresholds;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * The publish stage: what a cycle found, into the metrics and the log. Lines that would repeat
 * every cycle (the tiers, the conflicts) are logged when they change; a dry run lists its moves.
 */
class CyclePublisherTest {

  private static final long PAGE = 4096;
  private static final long MIB = 1L << 20;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private final TierdMetrics metrics = new TierdMetrics("test");
  private final CyclePublisher publisher = new CyclePublisher(metrics);
  private final TierdConfig config = TierdConfig.parse("test", "interval: 2s\n");

  private static Topology topology(String fixture) {
    return new TopologyReader(Fixtures.root(fixture), PAGE).read(List.of());
  }

  private static Move promotion(int pid, long start) {
    return new Move(
        pid,
        1000,
        List.of(AddressRange.ofSize(start, MIB)),
        NodeSet.of(1),
        0,
        MIB,
        false,
        ReasonCode.HOT.direction(),
        PAGE,
        false,
        false,
        false,
        new Reason(ReasonCode.HOT, "test"));
  }

  private static MigrationPlan plan(List<Move> moves, Map<SkipReason, Long> skipCounts) {
    long promoted = moves.stream().mapToLong(Move::bytes).sum();
    MigrationPlan.Summary summary =
        new MigrationPlan.Summary(
            promoted,
            0,
            promoted,
            0,
            4 * promoted,
            0,
            64 * MIB,
            0,
            moves.size(),
            moves.size(),
            0,
            new Thresholds(0.40, 0.02, false, 0.40, 0.07, 1L << 30, 0, 2),
            List.of());
    return new MigrationPlan(
        Instant.EPOCH, moves, List.of(), skipCounts, Map.of(), 0, summary, List.of());
  }

  private static Tally tally(Outcome outcome, long pages) {
    return new Tally.Builder().add(outcome, pages, PAGE).build();
  }

  /** A mover's report of {@code perRequest}, its total their sum. */
  static MoveReport report(boolean dryRun, List<Tally> perRequest) {
    Tally total = perRequest.stream().reduce(Tally.EMPTY, Tally::plus);
    return new MoveReport(
        dryRun,
        total,
        perRequest,
        new TreeMap<>(),
        new TreeMap<>(),
        perRequest.size(),
        0,
        Duration.ofMillis(1),
        0,
        Duration.ofMillis(2));
  }

  @Test
  void theTiersAreLoggedOnceAndAgainWhenTheyChange() {
    publisher.topology(topology("vm-2node"), config);
    publisher.topology(topology("vm-2node"), config);
    publisher.topology(topology("vm-3node"), config);

    List<String> lines = logged.startingWith("topology: ");
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("topology: 2 memory tiers (source: ");
    assertThat(lines.get(1)).startsWith("topology: ").isNotEqualTo(lines.get(0));
  }

  @Test
  void aConflictIsWarnedAboutWhenItAppearsAndCountedByKind() {
    Conflict damon = new Conflict(Conflict.Type.FOREIGN_DAMON, "kdamond 0 is not tierd's");
    Conflict balancing = new Conflict(Conflict.Type.KERNEL_NUMA_BALANCING, "NUMA balancing is on");

    publisher.conflicts(List.of(damon));
    publisher.conflicts(List.of(damon));
    publisher.conflicts(List.of(damon, balancing));

    assertThat(logged.at(Level.WARN))
        .containsExactly("conflict: kdamond 0 is not tierd's", "conflict: NUMA balancing is on");
    assertThat(metrics.scrape())
        .contains("tierd_source_conflicts{kind=\"foreign_damon\",} 1.0")
        .contains("tierd_source_conflicts{kind=\"kernel_numa_balancing\",} 1.0")
        .contains("tierd_source_conflicts{kind=\"kernel_numa_tiering\",} 0.0");
  }

  @Test
  void aDryRunListsItsFirstMovesAndCountsTheRest() {
    List<Move> moves = new ArrayList<>();
    for (int i = 0; i < CyclePublisher.DRY_RUN_MOVES_LOGGED + 3; i++) {
      moves.add(promotion(4242, 0x7f0000000000L + i * MIB));
    }

    publisher.dryRunPlan(plan(moves, Map.of()));

    List<String> lines = logged.startingWith("dry-run plan: ");
    assertThat(lines).hasSize(CyclePublisher.DRY_RUN_MOVES_LOGGED + 1);
    assertThat(lines.get(0)).contains("4242").contains("node 1 → 0");
    assertThat(lines.get(CyclePublisher.DRY_RUN_MOVES_LOGGED))
        .isEqualTo("dry-run plan: … 3 more moves");
  }

  @Test
  void thePlanGivesTheSkipsByReasonInTheMetricsWords() {
    Map<String, Long> skipped =
        publisher.plan(plan(List.of(), Map.of(SkipReason.CPUSET, 2L, SkipReason.POLICY, 1L)));

    assertThat(skipped).containsExactly(Map.entry("cpuset", 2L), Map.entry("policy", 1L));
    assertThat(metrics.scrape()).contains("tierd_skipped_candidates_total{reason=\"cpuset\",} 2.0");
  }

  @Test
  void failedPagesAreCountedByErrnoAndMovedBytesByDirection() {
    List<Move> moves = List.of(promotion(41, 0x7f0000000000L), promotion(42, 0x7f1000000000L));
    MoveReport moved =
        report(
            false,
            List.of(
                tally(Outcome.MOVED, 200),
                tally(Outcome.EBUSY, 56).plus(tally(Outcome.MOVED, 200))));

    Map<String, Long> failures = publisher.moves(plan(moves, Map.of()), moved);

    assertThat(failures).containsExactly(Map.entry("EBUSY", 56L));
    assertThat(metrics.scrape())
        .contains("tierd_move_failures_total{errno=\"EBUSY\",} 56.0")
        .containsPattern(
            "tierd_migrated_bytes_total\\{direction=\"promote\",from_node=\"1\",to_node=\"0\",\\} "
                + (400 * PAGE)
                + "\\.0");
  }
}
