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

  static PlanningRun run(PlannerConfig config, Topology topology, ScoredRegion... victims) {
    List<ManagedProcess> processes = new ArrayList<>();
    processes.add(
        process(1, ALL, List.of(vma(BASE + GiB, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB)))));
    processes.add(
        process(2, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB)))));
    List<ScoredRegion> regions = new ArrayList<>(List.of(victims));
    regions.add(hot(1, BASE + GiB, 64 * MiB, 0.9));
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
  void exchangedWhenColderDataMakesRoom() {
    PlanningRun run =
        run(
            PlannerConfig.defaults(),
            Fixtures.box(HIGH + 32 * MiB, HIGH + 32 * MiB, 12 * GiB, 24 * GiB),
            cold(2, BASE, 64 * MiB, Duration.ofMinutes(30)));
    assertThat(promoteTheHotData(run)).isEqualTo(new Promotion.Exchanged(0, 0, 64 * MiB));
    assertThat(Fixtures.booked(run))
        .containsExactly("2 0→2 EXCHANGE " + 64 * MiB, "1 2→0 HOT " + 64 * MiB);
    assertThat(run.ledger.planned().get(1).text())
        .endsWith("room made by demoting 64MiB of colder data)");
  }

  @Test
  void partialIntoTheRoomLeftWhenNothingCanBeMadeRoomFor() {
    Topology nearlyFull = Fixtures.box(HIGH + 5 * MiB, HIGH, 12 * GiB, 24 * GiB);
    PlanningRun run = run(PlannerConfig.defaults(), nearlyFull);
    assertThat(promoteTheHotData(run))
        .isEqualTo(
            new Promotion.Partial(0, 0, HIGH + 5 * MiB, new Cut(BASE + GiB + 4 * MiB, 4 * MiB)));
    assertThat(Fixtures.booked(run)).containsExactly("1 2→0 HOT " + 4 * MiB);
    assertThat(Fixtures.skipped(run)).containsExactly("1 2 WATERMARK " + 60 * MiB);
    assertThat(run.skips.listed().get(0).text())
        .isEqualTo(
            "the rest of a hot range whose first 4MiB filled the room left on node 0 down to its"
                + " high wmark");
  }

  @Test
  void blockedByTheWatermarksOrTheFillLimits() {
    PlanningRun full = run(PlannerConfig.defaults(), Fixtures.box(HIGH, HIGH, 12 * GiB, 24 * GiB));
    assertThat(promoteTheHotData(full)).isEqualTo(new Promotion.Blocked(SkipReason.WATERMARK));
    assertThat(full.skips.listed().get(0).text())
        .isEqualTo(
            "no allowed faster node has 64MiB free above its high wmark (node 0 0B above high,"
                + " node 1 0B above high); no colder data could make room");

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
