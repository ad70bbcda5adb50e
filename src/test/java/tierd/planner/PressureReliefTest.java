package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.topology.Topology;

/**
 * Node 0 of the reference box (8 GiB: low watermark 81.9 MiB, high 122.9 MiB) holding four COLD
 * ranges of 16 MiB of pid 1, idle 10, 40, 20 and 30 minutes.
 */
class PressureReliefTest {

  static PlanningRun run(PlannerConfig config, long freeOnNode0) {
    Topology topology = Fixtures.box(freeOnNode0, 6 * GiB, 12 * GiB, 24 * GiB);
    return Fixtures.run(
        config,
        topology,
        List.of(process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB))))),
        List.of(
            cold(1, BASE, 16 * MiB, Duration.ofMinutes(10)),
            cold(1, BASE + 16 * MiB, 16 * MiB, Duration.ofMinutes(40)),
            cold(1, BASE + 32 * MiB, 16 * MiB, Duration.ofMinutes(20)),
            cold(1, BASE + 48 * MiB, 16 * MiB, Duration.ofMinutes(30))));
  }

  static List<Long> demotedStarts(PlanningRun run) {
    return run.ledger.planned().stream().map(m -> run.segments.start(m.segment()) - BASE).toList();
  }

  @Test
  void aNodeUnderItsLowWatermarkDemotesLongestIdleFirstUntilTheFloorAndNoMore() {
    // no margin: the floor is the high watermark. 80 MiB free: 42.9 MiB short of it, so two
    // ranges of 16 MiB and of the third only the 10.9 MiB still needed, aligned up to 2 MiB
    PlanningRun run = run(PlannerConfig.builder().roomMargin(0).build(), 80 * MiB);
    run.pressureRelief.run();
    assertThat(demotedStarts(run)).containsExactly(16 * MiB, 48 * MiB, 32 * MiB);
    assertThat(run.ledger.planned())
        .extracting(Ledger.PlannedMove::bytes)
        .containsExactly(16 * MiB, 16 * MiB, 12 * MiB);
    assertThat(run.ledger.planned())
        .allMatch(m -> m.code() == ReasonCode.COLD_PRESSURE && m.target() == 2);
    assertThat(run.ledger.planned().get(0).text())
        .contains("(tier 0, free 80MiB < low wmark 81.9MiB, 42.9MiB short of high + margin)");
    assertThat(run.demotions.open(0, 0)).as("the 10-minute range is not needed").isTrue();
    assertThat(run.skips.listed()).as("the part not needed is no held-back candidate").isEmpty();
  }

  @Test
  void theDefaultMarginAboveTheHighWatermarkIsPartOfWhatIsNeeded() {
    // 8 GiB node: floor = high 122.9 MiB + 1 % (81.9 MiB); 80 MiB free is 124.8 MiB short of it,
    // more than the 64 MiB of cold data, so all four ranges go, longest idle first
    PlanningRun run = run(PlannerConfig.defaults(), 80 * MiB);
    run.pressureRelief.run();
    assertThat(demotedStarts(run)).containsExactly(16 * MiB, 48 * MiB, 32 * MiB, 0L);
    assertThat(run.ledger.planned().get(0).text()).contains("124.8MiB short of high + margin");
  }

  @Test
  void aNodeAboveItsLowWatermarkDemotesNothing() {
    PlanningRun run = run(PlannerConfig.defaults(), 90 * MiB);
    run.pressureRelief.run();
    assertThat(run.ledger.planned()).isEmpty();
    assertThat(run.skips.listed()).isEmpty();
  }

  @Test
  void onceTheBudgetIsGoneWhatItWouldDemoteIsHeldBackByIt() {
    PlanningRun run =
        run(PlannerConfig.builder().maxBytesPerCycle(DataSize.ofBytes(16 * MiB)).build(), 10 * MiB);
    run.pressureRelief.run();
    assertThat(demotedStarts(run)).containsExactly(16 * MiB);
    assertThat(Fixtures.skipped(run))
        .containsExactly(
            "1 0 CYCLE_CAP " + 16 * MiB, "1 0 CYCLE_CAP " + 16 * MiB, "1 0 CYCLE_CAP " + 16 * MiB);
  }
}
