package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.topology.TopologyReader;

/** What /status, /healthz and systemd's STATUS= say, from the last cycle and the clock. */
class DaemonStatusTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final Map<String, Duration> STAGES = Map.of("topology", Duration.ofMillis(3));

  private final TieringCycleLogTest.StepClock clock = new TieringCycleLogTest.StepClock();

  private DaemonStatus status() {
    clock.now = START;
    return new DaemonStatus(
        "1.2.3", clock, Optional.of(Path.of("/etc/tierd.yaml")), Duration.ofSeconds(10));
  }

  private static CycleReport failed(long number, Instant at) {
    return new StageResults()
        .report(number, at, Duration.ofSeconds(1), true, "none", STAGES, "topology", "boom");
  }

  private static CycleReport tiered(long number, boolean dryRun) {
    StageResults r = new StageResults();
    r.topo = new TopologyReader(Fixtures.root("vm-2node"), 4096).read(List.of());
    r.tiers = r.topo;
    return r.report(number, START, Duration.ofSeconds(1), dryRun, "none", STAGES, null, null);
  }

  @Test
  void healthyUntilNoCycleEndedForThreeIntervalsAndThirtySeconds() {
    DaemonStatus status = status();
    clock.now = START.plusSeconds(60);
    assertThat(status.healthProblem()).isNull();

    clock.now = START.plusSeconds(61);
    assertThat(status.healthProblem()).isEqualTo("no cycle completed for 61s (allowed 60s)");

    status.cycleEnded(failed(1, START.plusSeconds(50)));
    assertThat(status.healthProblem()).as("a failed cycle still ended").isNull();
  }

  @Test
  void aReloadedIntervalMovesTheLimit() {
    DaemonStatus status = status();
    status.interval(Duration.ofSeconds(30));
    clock.now = START.plusSeconds(121);

    assertThat(status.healthProblem()).isEqualTo("no cycle completed for 121s (allowed 120s)");
  }

  @Test
  void theStatusDocumentSaysWhyItRunsDryAndWhatTheLastCycleDid() throws Exception {
    DaemonStatus status = status();
    status.dryRunReason(Optional.of("--dry-run given"));
    status.cycleEnded(tiered(4, true));
    clock.now = START.plusSeconds(5);

    JsonNode json = new ObjectMapper().readTree(status.json());

    assertThat(json.get("version").asText()).isEqualTo("1.2.3");
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(json.get("uptimeSeconds").asLong()).isEqualTo(5);
    assertThat(json.get("intervalMillis").asLong()).isEqualTo(10_000);
    assertThat(json.get("dryRun").asBoolean()).isTrue();
    assertThat(json.get("dryRunReason").asText()).isEqualTo("--dry-run given");
    assertThat(json.get("config").asText()).isEqualTo("/etc/tierd.yaml");
    assertThat(json.get("healthy").asBoolean()).isTrue();
    assertThat(json.get("lastCycle")).isNotNull();
  }

  @Test
  void beforeTheFirstCycleThereIsNoLastCycle() throws Exception {
    JsonNode json = new ObjectMapper().readTree(status().json());

    assertThat(json.has("lastCycle")).isFalse();
    assertThat(json.get("dryRun").asBoolean()).isFalse();
    assertThat(json.get("dryRunReason").isNull()).isTrue();
  }

  @Test
  void theOneLineStatusSaysWhatTheCycleDid() {
    assertThat(DaemonStatus.shortStatus(failed(3, START))).isEqualTo("cycle 3 failed in topology");
    assertThat(DaemonStatus.shortStatus(tiered(4, true)))
        .isEqualTo("cycle 4: 0 processes, 0 moves planned, 0B moved (dry-run)");
    assertThat(DaemonStatus.shortStatus(tiered(5, false)))
        .isEqualTo("cycle 5: 0 processes, 0 moves planned, 0B moved");
  }
}
