package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.heat.select.Conflict;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.ProcessScanner;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/** The report of a cycle from what its stages found; a stage that did not run counts as zero. */
class StageResultsTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<String, Duration> STAGES = Map.of("topology", Duration.ofMillis(3));

  private static Topology read(String fixture) {
    return new TopologyReader(Fixtures.root(fixture), 4096).read(List.of());
  }

  @Test
  void aCycleThatFailedAtTheStartReportsZerosAndTheFailure() {
    CycleReport report =
        new StageResults()
            .report(7, AT, Duration.ofMillis(5), true, "none", STAGES, "topology", "boom");
    assertThat(report.number()).isEqualTo(7);
    assertThat(report.at()).isEqualTo(AT);
    assertThat(report.ok()).isFalse();
    assertThat(report.failedStage()).isEqualTo("topology");
    assertThat(report.error()).isEqualTo("boom");
    assertThat(report.tiered()).isFalse();
    assertThat(report.managedProcesses()).isZero();
    assertThat(report.regions()).isZero();
    assertThat(report.plannedMoves()).isZero();
    assertThat(report.movedBytes()).isZero();
    assertThat(report.conflicts()).isEmpty();
    assertThat(report.heatIntervals()).isNull();
    assertThat(report.profile()).isNull();
    assertThat(report.stages()).isEqualTo(STAGES);
  }

  @Test
  void whatTheStagesFoundIsInTheReport() {
    StageResults r = new StageResults();
    r.topo = read("vm-2node");
    r.tiers = r.topo;
    NodeSet all = NodeSet.parse("0-1");
    ManagedProcess p =
        new ManagedProcess(4242, 1, "w", 0, "/", all, Optional.empty(), all, List.of());
    r.scan =
        new ProcessScanner.Result(List.of(p), 3, 2, 0, 0, 0, List.of(), 1, 0, Map.of(), 0, 0, 0);
    r.conflicts = List.of(new Conflict(Conflict.Type.FOREIGN_DAMON, "kdamond 0 is on"));
    r.skipped = Map.of("cpuset", 2L);
    r.failures = Map.of("EBUSY", 5L);
    r.whatIf = true;
    CycleReport report =
        r.report(8, AT, Duration.ofMillis(5), false, "damon-vaddr", STAGES, null, null);
    assertThat(report.ok()).isTrue();
    assertThat(report.tiered()).isTrue();
    assertThat(report.dryRun()).isFalse();
    assertThat(report.heatSource()).isEqualTo("damon-vaddr");
    assertThat(report.managedProcesses()).isEqualTo(1);
    assertThat(report.conflicts()).containsExactly("kdamond 0 is on");
    assertThat(report.skippedByReason()).containsEntry("cpuset", 2L);
    assertThat(report.failuresByErrno()).containsEntry("EBUSY", 5L);
    assertThat(report.whatIf()).isTrue();
  }

  @Test
  void oneTierIsNotTiered() {
    StageResults r = new StageResults();
    r.topo = read("host-1node");
    r.tiers = r.topo;
    assertThat(r.tiered()).isFalse();
  }
}
