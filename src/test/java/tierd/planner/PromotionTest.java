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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;
import tierd.topology.Topology;

/**
 * One promotion and its sealed choice, for pid 1's 64 MiB of HOT data on CXL node 2: direct to the
 * nearest DRAM node with room, or the next; exchanged; partial; or blocked, with the reason.
 */
class PromotionTest {

  /** High watermark of an 8 GiB DRAM node of the box: 1.5 % of total. */
  static final long HIGH = 8 * GiB * 3 / 200;

  /** The floor moves into it must leave free: the high watermark plus the default 1 % margin. */
  static final long FLOOR = HIGH + 8 * GiB / 100;

  static PlanningRun run(PlannerConfig config, Topology topology, ScoredRegion... victims) {
    return runWith(config, topology, hot(1, BASE + GiB, 64 * MiB, 0.9), victims);
  }

  static PlanningRun runWith(
      PlannerConfig config, Topology topology, ScoredRegion hotData, ScoredRegion... victims) {
    List<ManagedProcess> processes = new ArrayList<>();
    processes.add(
        process(1, ALL, List.of(vma(BASE + GiB, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB)))));
    processes.add(
        process(2, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB)))));
    List<ScoredRegion> regions = new ArrayList<>(List.of(victims));
    regions.add(hotData);
    return Fixtures.run(config, topology, processes, regions);
  }

  static Promotion.Choice promoteTheHotData(PlanningRun run) {
    return run.promotion.promote(0);
  }

  @Test
  void directToTheNearestFasterNodeWithRoom() {
    PlanningRun run = run(PlannerConfig.defaults(), Fixtures.roomyBox());
    assertThat(promoteTheHotData(run)).isEqualTo(new Promotion.Direct(0, 0, 6 * GiB));
    assertThat(Fixtures.booked(run)).containsExactly("1 2→0 HOT " + 64 * MiB);
  }

  @Test
  void directToTheNextNearestWhenTheNearestIsFull() {
    PlanningRun run =
        run(PlannerConfig.defaults(), Fixtures.box(100 * MiB, 6 * GiB, 12 * GiB, 24 * GiB));
    assertThat(promoteTheHotData(run)).isEqualTo(new Promotion.Direct(1, 1, 6 * GiB));
    assertThat(run.ledger.planned().get(0).text())
        .contains("→ node 1 (tier 0, 2nd nearest faster allowed, nearer ones full, ");
  }

  @Test
  void exchangedWhenColderDataMakesRoomAndOnlyAsMuchAsIsNeeded() {
    PlanningRun run =
        run(
            PlannerConfig.defaults(),
            Fixtures.box(FLOOR + 32 * MiB, FLOOR + 32 * MiB, 12 * GiB, 24 * GiB),
            cold(2, BASE, 64 * MiB, Duration.ofMinutes(30)));
    assertThat(promoteTheHotData(run)).isEqualTo(new Promotion.Exchanged(0, 0, 32 * MiB));
    assertThat(Fixtures.booked(run))
        .as("32 MiB free above the floor: half of the 64 MiB cold range goes down, not all of it")
        .containsExactly("2 0→2 EXCHANGE " + 32 * MiB, "1 2→0 HOT " + 64 * MiB);
    assertThat(run.ledger.planned().get(1).text())
        .endsWith("room made by demoting 32MiB of colder data)");
    assertThat(run.ledger.freeBytes(0)).isEqualTo(FLOOR);
  }

  @Test
  void hotDataOfOneWindowMovesIntoFreeRoomButNothingIsDemotedForIt() {
    PlanningRun roomy = runWith(PlannerConfig.defaults(), Fixtures.roomyBox(), oneWindowHot());
    assertThat(roomy.promotion.promote(0)).isEqualTo(new Promotion.Direct(0, 0, 6 * GiB));

    PlanningRun full =
        runWith(
            PlannerConfig.defaults(),
            Fixtures.box(FLOOR, FLOOR, 12 * GiB, 24 * GiB),
            oneWindowHot(),
            cold(2, BASE, 64 * MiB, Duration.ofMinutes(30)));
    assertThat(full.promotion.promote(0)).isEqualTo(new Promotion.Blocked(SkipReason.UNCONFIRMED));
    assertThat(full.ledger.planned()).as("no cold data went down for it").isEmpty();
    assertThat(full.skips.listed().get(0).text())
        .isEqualTo(
            "hot for fewer than 2 windows (scoring.confirmWindows) and no allowed faster node has"
                + " 64MiB free above its high wmark + margin (node 0 0B above high + margin, node 1"
                + " 0B above high + margin): nothing is demoted for it until it is confirmed");
  }

  /** pid 1's hot data seen hot in one window only: not confirmed yet. */
  static ScoredRegion oneWindowHot() {
    return new ScoredRegion(
        1,
        Fixtures.startTime(1),
        tierd.model.AddressRange.ofSize(BASE + GiB, 64 * MiB),
        0.9,
        tierd.scoring.HeatClass.HOT,
        1,
        Duration.ZERO);
  }

  @Test
  void partialIntoTheRoomLeftWhenNothingCanBeMadeRoomFor() {
    Topology nearlyFull = Fixtures.box(FLOOR + 5 * MiB, FLOOR, 12 * GiB, 24 * GiB);
    PlanningRun run = run(PlannerConfig.defaults(), nearlyFull);
    assertThat(promoteTheHotData(run))
        .isEqualTo(
            new Promotion.Partial(0, 0, FLOOR + 5 * MiB, new Cut(BASE + GiB + 4 * MiB, 4 * MiB)));
    assertThat(Fixtures.booked(run)).containsExactly("1 2→0 HOT " + 4 * MiB);
    assertThat(Fixtures.skipped(run)).containsExactly("1 2 WATERMARK " + 60 * MiB);
    assertThat(run.skips.listed().get(0).text())
        .isEqualTo(
            "the rest of a hot range whose first 4MiB filled the room left on node 0 down to its"
                + " high wmark + margin");
  }

  @Test
  void blockedByTheWatermarksOrTheFillLimits() {
    PlanningRun full =
        run(PlannerConfig.defaults(), Fixtures.box(FLOOR, FLOOR, 12 * GiB, 24 * GiB));
    assertThat(promoteTheHotData(full)).isEqualTo(new Promotion.Blocked(SkipReason.WATERMARK));
    assertThat(full.skips.listed().get(0).text())
        .isEqualTo(
            "no allowed faster node has 64MiB free above its high wmark + margin (node 0 0B above"
                + " high + margin, node 1 0B above high + margin); no colder data could make room");

    PlanningRun limited =
        run(PlannerConfig.builder().maxFill(Map.of(0, 0.1, 1, 0.1)).build(), Fixtures.roomyBox());
    assertThat(promoteTheHotData(limited)).isEqualTo(new Promotion.Blocked(SkipReason.FILL_LIMIT));
    assertThat(limited.skips.listed().get(0).text())
        .isEqualTo("every allowed faster node is at its fill limit (node 0, node 1)");
  }

  @Test
  void blockedByResidencyAndByTheBudget() {
    PlanInput input =
        Fixtures.input(
            Fixtures.roomyBox(),
            List.of(
                process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))))),
            List.of(hot(1, BASE, 64 * MiB, 0.9)));
    PlanningRun justDemoted =
        new PlanningRun(
            PlannerConfig.defaults(),
            input,
            PlannerRulesTest.movedAgo(1, Direction.DEMOTE, Duration.ofSeconds(30)));
    assertThat(promoteTheHotData(justDemoted))
        .isEqualTo(new Promotion.Blocked(SkipReason.RESIDENCY));

    PlanningRun poor =
        new PlanningRun(
            PlannerConfig.builder()
                .promoteBytesPerSecond(MiB)
                .budgetBurst(Duration.ofSeconds(1))
                .build(),
            input,
            PlannerState.initial());
    assertThat(promoteTheHotData(poor)).isEqualTo(new Promotion.Blocked(SkipReason.BUDGET));
    assertThat(Fixtures.skipped(poor)).containsExactly("1 2 BUDGET " + 64 * MiB);
  }

  @Test
  void hotterFirstAndOnceTheBudgetIsGoneTheRestIsHeldBackByIt() {
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.builder()
                .promoteBytesPerSecond(8 * MiB)
                .budgetBurst(Duration.ofSeconds(1))
                .build(),
            Fixtures.roomyBox(),
            List.of(
                process(1, ALL, List.of(vma(BASE, 16 * MiB, MemPolicy.DEFAULT, on(2, 16 * MiB))))),
            List.of(hot(1, BASE, 8 * MiB, 0.5), hot(1, BASE + 8 * MiB, 8 * MiB, 0.9)));
    run.promotion.run();
    assertThat(run.ledger.planned()).singleElement().extracting(m -> m.segment()).isEqualTo(1);
    assertThat(Fixtures.skipped(run)).containsExactly("1 2 BUDGET " + 8 * MiB);
    assertThat(run.skips.listed().get(0).range().start()).isEqualTo(BASE);
  }
}
