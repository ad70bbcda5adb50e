package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;
import static tierd.planner.Fixtures.warm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/**
 * Making room first on DRAM node 0 of the reference box (8 GiB; floor = high watermark 122.9 MiB
 * plus the 1 % margin, 204.8 MiB) for hot data of pid 1 on CXL node 2, allowed only on node 0 (its
 * cpuset is 0 and 2). pid 2 holds 64 MiB of data on node 0 in four 16 MiB regions.
 */
class MakeRoomTest {

  static final long FLOOR = 8 * GiB * 3 / 200 + 8 * GiB / 100;
  static final long HOT_AT = BASE + GiB;

  /** pid 2's four 16 MiB regions on node 0: idle 40, 30, 20 and 10 minutes (COLD). */
  static List<ScoredRegion> coldVictims() {
    List<ScoredRegion> victims = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      victims.add(cold(2, BASE + i * 16 * MiB, 16 * MiB, Duration.ofMinutes(40 - 10L * i)));
    }
    return victims;
  }

  /** pid 1 (hot data at HOT_AT, all on node 2, allowed 0 and 2) and pid 2 (64 MiB on node 0). */
  static List<ManagedProcess> processes() {
    return List.of(
        process(
            1,
            NodeSet.of(0, 2),
            List.of(vma(HOT_AT, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB)))),
        process(2, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB)))));
  }

  static PlanningRun run(long freeOnNode0, List<ScoredRegion> victims, ScoredRegion... hotData) {
    List<ScoredRegion> regions = new ArrayList<>(victims);
    regions.addAll(List.of(hotData));
    return Fixtures.run(
        PlannerConfig.defaults(),
        Fixtures.box(freeOnNode0, 100 * MiB, 12 * GiB, 24 * GiB),
        processes(),
        regions);
  }

  static ScoredRegion hotFor(long sizeBytes, int windows) {
    return new ScoredRegion(
        1,
        Fixtures.startTime(1),
        tierd.model.AddressRange.ofSize(HOT_AT, sizeBytes),
        0.9,
        HeatClass.HOT,
        windows,
        Duration.ZERO);
  }

  @Test
  void justEnoughOfTheColdestDataGoesDownBeforeAnyPromotion() {
    // 20 MiB free above the floor, 40 MiB of confirmed hot data waiting: 20 MiB must go down,
    // the longest idle region (16 MiB) and 4 MiB of the next
    PlanningRun run = run(FLOOR + 20 * MiB, coldVictims(), hotFor(40 * MiB, 2));
    run.makeRoom.run();
    assertThat(Fixtures.booked(run))
        .containsExactly("2 0→2 EXCHANGE " + 16 * MiB, "2 0→2 EXCHANGE " + 4 * MiB);
    assertThat(run.ledger.roomBytes(0)).isEqualTo(40 * MiB);
    assertThat(run.ledger.planned().get(0).text())
        .endsWith(
            "making room first for 40MiB of hot data waiting below (node 0 has 20MiB free above"
                + " its high wmark + margin)");

    run.promotion.run();
    assertThat(Fixtures.booked(run))
        .as("then the promotion lands in the room made, down to the floor")
        .endsWith("1 2→0 HOT " + 40 * MiB);
    assertThat(run.ledger.freeBytes(0)).isEqualTo(FLOOR);
  }

  /**
   * A placement gives a range's bytes per node, not which of its pages: the part of a range that
   * goes down for room names the whole range and moves no more than its bytes, wherever in the
   * range the pages on the source are. (Naming a prefix in proportion kept the 2node boot's
   * exchange on the half of a cold buffer already below, 80 cycles in a row, CI 2026-12-07.)
   */
  @Test
  void aRangeThatGoesDownInPartNamesItsWholeRangeForItsBytes() {
    List<ScoredRegion> regions = new ArrayList<>(coldVictims());
    regions.add(hotFor(40 * MiB, 2));
    MigrationPlan plan =
        new Planner(PlannerConfig.defaults())
            .plan(
                Fixtures.input(
                    Fixtures.box(FLOOR + 20 * MiB, 100 * MiB, 12 * GiB, 24 * GiB),
                    processes(),
                    regions),
                PlannerState.initial())
            .plan();

    assertThat(plan.moves())
        .filteredOn(m -> m.reason().code() == ReasonCode.EXCHANGE)
        .extracting(m -> m.ranges() + " " + m.bytes() + (m.partial() ? " partial" : " whole"))
        .containsExactly(
            List.of(AddressRange.ofSize(BASE, 16 * MiB)) + " " + 16 * MiB + " whole",
            List.of(AddressRange.ofSize(BASE + 16 * MiB, 16 * MiB)) + " " + 4 * MiB + " partial");
  }

  @Test
  void nothingGoesDownWhenTheRoomIsThere() {
    PlanningRun run = run(FLOOR + 64 * MiB, coldVictims(), hotFor(40 * MiB, 2));
    run.makeRoom.run();
    assertThat(run.ledger.planned()).isEmpty();
  }

  @Test
  void hotDataNotYetConfirmedMakesNoRoom() {
    PlanningRun run = run(FLOOR, coldVictims(), hotFor(40 * MiB, 1));
    run.makeRoom.run();
    assertThat(run.ledger.planned()).isEmpty();
  }

  @Test
  void warmDataGoesOnlyWhenColderThanTheCoolestWaitingByTheGap() {
    // hot data at heat 0.9, gap 0.38 (hot 0.40 − cold 0.02): warm at 0.5 qualifies, 0.6 does not
    List<ScoredRegion> victims =
        List.of(
            warm(2, BASE, 16 * MiB, 0.5),
            warm(2, BASE + 16 * MiB, 16 * MiB, 0.6),
            warm(2, BASE + 32 * MiB, 16 * MiB, 0.55));
    PlanningRun run = run(FLOOR, victims, hotFor(40 * MiB, 2));
    run.makeRoom.run();
    assertThat(Fixtures.booked(run))
        .as("the 0.5 region only; by rising heat the next (0.55) is already too warm")
        .containsExactly("2 0→2 EXCHANGE " + 16 * MiB);
  }

  @Test
  void roomThatWouldLetNothingLandIsNotMade() {
    // 30 MiB below the floor: the 64 MiB of cold data would leave 34 MiB of room, less than the
    // 40 MiB waiting but enough for a part of it, so room is made ...
    PlanningRun partial = run(FLOOR - 30 * MiB, coldVictims(), hotFor(40 * MiB, 2));
    partial.makeRoom.run();
    assertThat(partial.ledger.planned()).hasSize(4);
    // ... but 80 MiB below it, all of them would not free a single 2 MiB unit: undone
    PlanningRun hopeless = run(FLOOR - 80 * MiB, coldVictims(), hotFor(40 * MiB, 2));
    hopeless.makeRoom.run();
    assertThat(hopeless.ledger.planned()).isEmpty();
    assertThat(hopeless.demotions.open(0, 0)).as("the victims stay candidates").isTrue();
  }

  @Test
  void theDemandIsBoundedByThePromotionBudget() {
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.builder()
                .promoteBytesPerSecond(8 * MiB)
                .budgetBurst(Duration.ofSeconds(1))
                .build(),
            Fixtures.box(FLOOR, 100 * MiB, 12 * GiB, 24 * GiB),
            List.of(
                process(
                    1,
                    NodeSet.of(0, 2),
                    List.of(vma(HOT_AT, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB)))),
                process(2, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB))))),
            concat(coldVictims(), hot(1, HOT_AT, 64 * MiB, 0.9)));
    run.makeRoom.run();
    assertThat(run.ledger.planned())
        .as("8 MiB of promotion budget: 8 MiB of room, not 64")
        .extracting(Ledger.PlannedMove::bytes)
        .containsExactly(8 * MiB);
  }

  static List<ScoredRegion> concat(List<ScoredRegion> a, ScoredRegion b) {
    List<ScoredRegion> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }
}
