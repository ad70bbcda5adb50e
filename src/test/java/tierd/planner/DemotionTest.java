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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.topology.Topology;

/**
 * One demotion and its sealed outcome: moved (all or a prefix), held back (with the reason, as a
 * skip, or barred when it was an exchange victim), or the budget exhausted.
 */
class DemotionTest {

  static final Demotion.Purpose PRESSURE = new Demotion.Purpose(ReasonCode.COLD_PRESSURE, "test");
  static final Demotion.Purpose VICTIM = new Demotion.Purpose(ReasonCode.EXCHANGE, "test");

  /** pid 1's 8 MiB on node 0, COLD, one entry of node 0. */
  static PlanningRun run(PlannerConfig config, Topology topology, MemPolicy policy) {
    return Fixtures.run(
        config,
        topology,
        List.of(process(1, ALL, List.of(vma(BASE, 8 * MiB, policy, on(0, 8 * MiB))))),
        List.of(cold(1, BASE, 8 * MiB, Duration.ofMinutes(10))));
  }

  static PlanningRun run(PlannerConfig config) {
    return run(config, Fixtures.roomyBox(), MemPolicy.DEFAULT);
  }

  @Test
  void anEntryMovesToTheNextLowerTierAndIsDecided() {
    PlanningRun run = run(PlannerConfig.defaults());
    assertThat(run.demotion.demote(0, 0, PRESSURE)).isEqualTo(new Demotion.Moved(8 * MiB));
    assertThat(Fixtures.booked(run)).containsExactly("1 0→2 COLD_PRESSURE " + 8 * MiB);
    assertThat(run.demotions.open(0, 0)).isFalse();
    assertThat(run.ledger.planned().get(0).text())
        .isEqualTo(
            "cold (idle 10m, heat 0.00) on node 0 (tier 0, test) → node 2 (tier 1, nearest allowed"
                + " in the next lower tier, 11.6GiB free above high wmark + margin)");
  }

  @Test
  void aPrefixMovesWhenTheBudgetAllowsNoMoreAndTheRestIsASkip() {
    PlanningRun run =
        run(
            PlannerConfig.builder()
                .demoteBytesPerSecond(5 * MiB)
                .budgetBurst(Duration.ofSeconds(1))
                .build());
    assertThat(run.demotion.demote(0, 0, PRESSURE)).isEqualTo(new Demotion.Moved(4 * MiB));
    assertThat(Fixtures.skipped(run)).containsExactly("1 0 BUDGET " + 4 * MiB);
    assertThat(run.skips.listed().get(0).text())
        .isEqualTo("the rest of a range whose first 4MiB fit this cycle's budget");
  }

  @Test
  void onlyThePartThatIsNeededMovesAndTheRestIsNoSkip() {
    PlanningRun run = run(PlannerConfig.defaults());
    assertThat(run.demotion.demote(0, 0, PRESSURE, 3 * MiB))
        .as("3 MiB needed of 8: aligned up to the 2 MiB THP unit")
        .isEqualTo(new Demotion.Moved(4 * MiB));
    assertThat(Fixtures.booked(run)).containsExactly("1 0→2 COLD_PRESSURE " + 4 * MiB);
    assertThat(run.skips.listed()).isEmpty();
    assertThat(run.demotions.open(0, 0)).isFalse();
  }

  @Test
  void aRuleHoldsItBackAsASkipOrBarsAVictim() {
    PlanningRun candidate = run(PlannerConfig.defaults(), Fixtures.roomyBox(), bind01());
    assertThat(candidate.demotion.demote(0, 0, PRESSURE))
        .isEqualTo(new Demotion.HeldBack(SkipReason.POLICY));
    assertThat(Fixtures.skipped(candidate)).containsExactly("1 0 POLICY " + 8 * MiB);
    assertThat(candidate.demotions.open(0, 0)).isFalse();

    PlanningRun victim = run(PlannerConfig.defaults(), Fixtures.roomyBox(), bind01());
    assertThat(victim.demotion.demote(0, 0, VICTIM))
        .isEqualTo(new Demotion.HeldBack(SkipReason.POLICY));
    assertThat(victim.skips.listed()).as("a victim is no candidate of its own").isEmpty();
    assertThat(victim.demotions.open(0, 0)).isFalse();
  }

  static Stream<Arguments> fullTargets() {
    return Stream.of(
        Arguments.of(
            "CXL node below its floor (high watermark + margin)",
            PlannerConfig.defaults(),
            Fixtures.box(6 * GiB, 6 * GiB, 100 * MiB, 24 * GiB),
            SkipReason.WATERMARK,
            "no allowed node of the next lower tier has 8MiB free above its high wmark + margin"
                + " (node 2 0B above high + margin)"),
        Arguments.of(
            "CXL node at its fill limit",
            PlannerConfig.builder().maxFill(Map.of(2, 0.25)).build(),
            Fixtures.roomyBox(),
            SkipReason.FILL_LIMIT,
            "every allowed node of the next lower tier is at its fill limit (node 2 25% used,"
                + " maxFill 25%)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fullTargets")
  void aFullTargetHoldsItBack(
      String name, PlannerConfig config, Topology topology, SkipReason reason, String text) {
    PlanningRun run = run(config, topology, MemPolicy.DEFAULT);
    assertThat(run.demotion.demote(0, 0, PRESSURE)).isEqualTo(new Demotion.HeldBack(reason));
    assertThat(run.skips.listed()).singleElement().extracting(Skip::text).isEqualTo(text);
  }

  @Test
  void noBudgetLeftExhaustsItAndOnlyACandidateIsReported() {
    PlannerConfig tinyCap =
        PlannerConfig.builder().maxBytesPerCycle(DataSize.ofBytes(4096)).build();
    PlanningRun candidate = run(tinyCap);
    assertThat(candidate.demotion.demote(0, 0, PRESSURE))
        .isInstanceOf(Demotion.BudgetExhausted.class);
    assertThat(Fixtures.skipped(candidate)).containsExactly("1 0 CYCLE_CAP " + 8 * MiB);
    assertThat(candidate.demotions.open(0, 0)).isFalse();

    PlanningRun victim = run(tinyCap);
    assertThat(victim.demotion.demote(0, 0, VICTIM)).isInstanceOf(Demotion.BudgetExhausted.class);
    assertThat(victim.skips.listed()).isEmpty();
    assertThat(victim.demotions.open(0, 0)).as("left for the next exchange").isTrue();
  }

  @Test
  void dataThatMovedRecentlyStaysAndAVictimIsBarred() {
    PlannerState promotedAMinuteAgo =
        PlannerRulesTest.movedAgo(1, Direction.PROMOTE, Duration.ofMinutes(1));
    PlanInput input =
        Fixtures.input(
            Fixtures.roomyBox(),
            List.of(
                process(1, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(0, 8 * MiB))))),
            List.of(cold(1, BASE, 8 * MiB, Duration.ofMinutes(10))));
    PlanningRun candidate = new PlanningRun(PlannerConfig.defaults(), input, promotedAMinuteAgo);
    assertThat(candidate.demotion.demote(0, 0, PRESSURE))
        .isEqualTo(new Demotion.HeldBack(SkipReason.RESIDENCY));
    assertThat(candidate.skips.listed().get(0).text())
        .isEqualTo("moved (promote) 1m ago, less than the minimum residency 2m");

    PlanningRun victim = new PlanningRun(PlannerConfig.defaults(), input, promotedAMinuteAgo);
    assertThat(victim.demotion.demote(0, 0, VICTIM))
        .isEqualTo(new Demotion.HeldBack(SkipReason.RESIDENCY));
    assertThat(victim.skips.listed()).isEmpty();
    assertThat(victim.demotions.open(0, 0)).isFalse();
  }

  private static MemPolicy bind01() {
    return MemPolicy.parse("bind:0-1");
  }
}
