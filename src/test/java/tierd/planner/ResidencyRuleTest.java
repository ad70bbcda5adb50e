package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.ScoredRegion;
import tierd.topology.Topology;

/** Residency: no move back (or onward) within the minimum residency; ping-pongs counted. */
class ResidencyRuleTest {

  static final ProcessId P1 = new ProcessId(1, Fixtures.startTime(1));

  /** pid 1's 64 MiB at BASE, half on node 0 and half on node 2, HOT, after {@code state}. */
  static PlanningRun run(PlannerConfig config, PlannerState state) {
    return new PlanningRun(
        config,
        Fixtures.input(
            roomyBox(),
            List.of(
                process(
                    1,
                    ALL,
                    List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB, 2, 32 * MiB))))),
            List.of(hot(1, BASE, 64 * MiB, 0.9))),
        state);
  }

  @Test
  void aMoveBackOrOnwardWithinTheResidencyIsHeldButNotOneThatFollows() {
    // 64 MiB at BASE went 2 → 0, a minute ago
    PlannerState promoted = PlannerRulesTest.movedAgo(1, Direction.PROMOTE, Duration.ofMinutes(1));
    PlanningRun run = run(PlannerConfig.defaults(), promoted);
    assertThat(run.residency.recentlyMoved(0, 0, Direction.DEMOTE)).as("back down").isTrue();
    assertThat(run.residency.recentlyMoved(0, 2, Direction.PROMOTE))
        .as("the rest follows the same way")
        .isFalse();
    run.residency.skip(0, 0, Direction.DEMOTE);
    assertThat(run.skips.listed())
        .singleElement()
        .extracting(Skip::text)
        .isEqualTo("moved (promote) 1m ago, less than the minimum residency 2m");

    PlanningRun later =
        run(
            PlannerConfig.defaults(),
            PlannerRulesTest.movedAgo(1, Direction.PROMOTE, Duration.ofMinutes(3)));
    assertThat(later.residency.recentlyMoved(0, 0, Direction.DEMOTE)).isFalse();
    PlanningRun noResidency =
        run(PlannerConfig.builder().minResidency(Duration.ZERO).build(), promoted);
    assertThat(noResidency.residency.recentlyMoved(0, 0, Direction.DEMOTE)).isFalse();
  }

  @Test
  void aMoveThatReversesTheLastRememberedOneIsAPingPong() {
    PlannerState demoted = PlannerRulesTest.movedAgo(1, Direction.DEMOTE, Duration.ofMinutes(10));
    PlanningRun run = run(PlannerConfig.defaults(), demoted);
    AddressRange part = AddressRange.ofSize(BASE + 8 * MiB, 8 * MiB);
    assertThat(run.residency.pingPong(P1, part, Direction.PROMOTE)).isTrue();
    assertThat(run.residency.pingPong(P1, part, Direction.DEMOTE)).isFalse();
    assertThat(run.residency.pingPong(P1, AddressRange.ofSize(BASE + GiB, MiB), Direction.PROMOTE))
        .as("never moved")
        .isFalse();
    PlanningRun forgotten =
        run(PlannerConfig.builder().historyRetention(Duration.ofMinutes(5)).build(), demoted);
    assertThat(forgotten.residency.pingPong(P1, part, Direction.PROMOTE)).isFalse();
    assertThat(forgotten.residency.forgetBefore()).isEqualTo(T0.minus(Duration.ofMinutes(5)));
  }

  @Test
  void pingPongsAreCountedAndCarried() {
    Topology t = roomyBox();
    Vma v = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(0, 8 * MiB));
    PlannerConfig cfg =
        PlannerConfig.builder()
            .proactiveDemotionAge(Duration.ofMinutes(1))
            .minResidency(Duration.ofMinutes(2))
            .build();
    Planner planner = new Planner(cfg);
    ManagedProcess onDram = process(1, ALL, List.of(v));
    PlanResult down =
        planner.plan(
            Fixtures.input(
                t, List.of(onDram), List.of(cold(1, BASE, 8 * MiB, Duration.ofMinutes(5)))),
            PlannerState.initial());
    assertThat(down.plan().moves()).singleElement().extracting(Move::pingPong).isEqualTo(false);
    assertThat(down.next().residency().entries(P1)).hasSize(1);

    ManagedProcess onCxl =
        process(1, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
    PlanInput hotAgain =
        Fixtures.input(T0.plusSeconds(60), t, List.of(onCxl), List.of(hot(1, BASE, 8 * MiB, 0.9)));
    PlanResult blocked = planner.plan(hotAgain, down.next());
    assertThat(blocked.plan().moves()).isEmpty();
    assertThat(blocked.plan().skipCounts()).containsEntry(SkipReason.RESIDENCY, 1L);

    PlanInput later =
        Fixtures.input(T0.plusSeconds(600), t, List.of(onCxl), List.of(hot(1, BASE, 8 * MiB, 0.9)));
    PlanResult up = planner.plan(later, blocked.next());
    assertThat(up.plan().moves()).singleElement().extracting(Move::pingPong).isEqualTo(true);
    assertThat(up.plan().summary().pingPongs()).isEqualTo(1);
    assertThat(up.next().pingPongsTotal()).isEqualTo(1);
  }

  /**
   * Residency is against moving back, not against finishing a move: the rest of a range promoted in
   * part under a tight budget goes up as soon as the budget refills (in the 2node VM, a cold buffer
   * demoted in part stayed 11 % on DRAM for the whole minResidency).
   */
  @Test
  void residencyDoesNotHoldBackTheRestOfARangeMovingTheSameWay() {
    Topology t = roomyBox();
    PlannerConfig cfg =
        PlannerConfig.builder()
            .promoteBytesPerSecond(16 * MiB)
            .budgetBurst(Duration.ofSeconds(2))
            .minResidency(Duration.ofMinutes(2))
            .build();
    Planner planner = new Planner(cfg);
    List<ScoredRegion> r = List.of(hot(1, BASE, 64 * MiB, 0.9));
    ManagedProcess before =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))));
    PlanResult first = planner.plan(Fixtures.input(t, List.of(before), r), PlannerState.initial());
    // half of it fits the budget: a partial move over the whole range, for 32 MiB of it
    assertThat(first.plan().moves())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.ranges()).containsExactly(new AddressRange(BASE, BASE + 64 * MiB));
              assertThat(m.partial()).isTrue();
              assertThat(m.bytes()).isEqualTo(32 * MiB);
            });

    ManagedProcess half =
        process(
            1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB, 2, 32 * MiB))));
    PlanInput twoSecondsLater = Fixtures.input(T0.plusSeconds(2), t, List.of(half), r);
    PlanResult second = planner.plan(twoSecondsLater, first.next());
    assertThat(second.plan().skipCounts()).doesNotContainKey(SkipReason.RESIDENCY);
    assertThat(second.plan().summary().promoteBytes()).isEqualTo(32 * MiB);
    assertThat(second.plan().moves()).allMatch(m -> !m.pingPong());
  }

  /**
   * The same for demotion: cold data found in two steps goes down in two cycles, while the part
   * that just arrived on the next tier does not cascade on within the minimum residency.
   */
  @Test
  void residencyDoesNotHoldBackTheRestOfAColdRangeDemotedInPart() {
    Topology t = roomyBox();
    PlannerConfig cfg =
        PlannerConfig.builder()
            .proactiveDemotionAge(Duration.ofSeconds(20))
            .minResidency(Duration.ofMinutes(2))
            .build();
    Planner planner = new Planner(cfg);
    Duration idle = Duration.ofMinutes(1);
    ManagedProcess before =
        process(1, ALL, List.of(vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB))));
    PlanResult first =
        planner.plan(
            Fixtures.input(t, List.of(before), List.of(cold(1, BASE, 24 * MiB, idle))),
            PlannerState.initial());
    assertThat(first.plan().summary().demoteBytes()).isEqualTo(24 * MiB);

    ManagedProcess part =
        process(
            1, ALL, List.of(vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(0, 8 * MiB, 2, 24 * MiB))));
    PlanInput later =
        Fixtures.input(T0.plusSeconds(2), t, List.of(part), List.of(cold(1, BASE, 32 * MiB, idle)));
    PlanResult second = planner.plan(later, first.next());
    assertThat(second.plan().moves())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.fromNodes()).isEqualTo(NodeSet.of(0));
              assertThat(m.toNode()).isEqualTo(2);
              assertThat(m.bytes()).isEqualTo(8 * MiB);
              assertThat(m.pingPong()).isFalse();
            });
    // what moved 2 s ago stays where it went: not onward to node 3 within the minimum residency
    assertThat(second.plan().skipped())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.reason()).isEqualTo(SkipReason.RESIDENCY);
              assertThat(k.fromNode()).isEqualTo(2);
            });
  }
}
