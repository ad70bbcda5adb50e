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
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.Vma;
import tierd.scoring.ScoredRegion;

/**
 * Making room on a full node (node 0 of the reference box, 100 MiB free) for hot data of pid 1 on
 * node 2: pid 2's data on node 0 are the victims, all or nothing.
 */
class ExchangeTest {

  static final long HOT_AT = BASE + GiB;

  static PlanningRun run(ScoredRegion... victims) {
    Vma hotVma = vma(HOT_AT, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB));
    Vma victimVma = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB));
    List<ScoredRegion> regions = new java.util.ArrayList<>(List.of(victims));
    regions.add(hot(1, HOT_AT, 8 * MiB, 0.9));
    return Fixtures.run(
        PlannerConfig.defaults(),
        Fixtures.box(100 * MiB, 100 * MiB, 12 * GiB, 24 * GiB),
        List.of(process(1, ALL, List.of(hotVma)), process(2, ALL, List.of(victimVma))),
        regions);
  }

  static Exchange exchange(PlanningRun run) {
    return new Exchange(
        Fixtures.thresholds(),
        run.nodes,
        run.ledger,
        run.segments,
        run.demotions,
        run.demotion,
        new ReasonTexts(
            PlannerConfig.defaults(), Fixtures.thresholds(), run.nodes, run.ledger, run.segments),
        run.tenants);
  }

  /** The segment of pid 1's hot data. */
  static int hotSegment(PlanningRun run) {
    return run.promotions.segment(0);
  }

  @Test
  void coldestVictimsGoDownUntilTheNeedIsMet() {
    PlanningRun run =
        run(
            cold(2, BASE, 8 * MiB, Duration.ofMinutes(5)),
            cold(2, BASE + 8 * MiB, 8 * MiB, Duration.ofMinutes(50)),
            cold(2, BASE + 16 * MiB, 8 * MiB, Duration.ofMinutes(20)));
    Exchange exchange = exchange(run);
    assertThat(exchange.makeRoom(0, 12 * MiB, hotSegment(run), 8 * MiB)).isEqualTo(12 * MiB);
    // longest idle first: 50 min, then of the 20-min range only the 4 MiB still needed
    assertThat(Fixtures.booked(run))
        .containsExactly("2 0→2 EXCHANGE " + 8 * MiB, "2 0→2 EXCHANGE " + 4 * MiB);
    assertThat(run.ledger.planned().get(0).text())
        .isEqualTo(
            "coldest on full node 0 (cold, heat 0.00, idle 50m) → node 2 (tier 1, nearest allowed"
                + " in the next lower tier, 11.6GiB free above high wmark + margin), making room"
                + " for hotter data (pid 1 7f0040000000-7f0040800000, hot (0.90 ≥ 0.40 for 3"
                + " windows))");
    assertThat(exchange.failedOn(0)).isFalse();
  }

  @Test
  void warmDataGoesOnlyWhenClearlyColderThanTheHotData() {
    // gap 0.38: for heat 0.9 WARM data up to 0.52 may go, not 0.6
    PlanningRun cool = run(warm(2, BASE, 8 * MiB, 0.5), warm(2, BASE + 8 * MiB, 8 * MiB, 0.6));
    assertThat(exchange(cool).makeRoom(0, 8 * MiB, hotSegment(cool), 8 * MiB)).isEqualTo(8 * MiB);
    assertThat(cool.ledger.planned())
        .singleElement()
        .extracting(m -> cool.segments.region(m.segment()).heat())
        .isEqualTo(0.5);

    PlanningRun tooWarm = run(warm(2, BASE, 8 * MiB, 0.6));
    Exchange exchange = exchange(tooWarm);
    assertThat(exchange.makeRoom(0, 8 * MiB, hotSegment(tooWarm), 8 * MiB)).isZero();
    assertThat(exchange.failedOn(0)).isTrue();
  }

  @Test
  void notEnoughVictimsUndoesEverythingAndLeavesThemForLater() {
    PlanningRun run =
        run(
            cold(2, BASE, 8 * MiB, Duration.ofMinutes(5)),
            cold(2, BASE + 8 * MiB, 8 * MiB, Duration.ofMinutes(50)));
    Exchange exchange = exchange(run);
    long free0 = run.ledger.freeBytes(0);
    long capLeft = run.ledger.cycleCapLeft();
    assertThat(exchange.makeRoom(0, 24 * MiB, hotSegment(run), 8 * MiB)).isZero();
    assertThat(run.ledger.planned()).isEmpty();
    assertThat(run.ledger.freeBytes(0)).isEqualTo(free0);
    assertThat(run.ledger.cycleCapLeft()).isEqualTo(capLeft);
    assertThat(run.demotions.open(0, 0)).isTrue();
    assertThat(run.demotions.open(0, 1)).isTrue();
    assertThat(exchange.failedOn(0)).isTrue();
    // the victims are still queued: a smaller need is met from them
    assertThat(exchange.makeRoom(0, 8 * MiB, hotSegment(run), 8 * MiB)).isEqualTo(8 * MiB);
  }

  @Test
  void theVictimsLeaveTheCycleCapForThePromotion() {
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.builder()
                .maxBytesPerCycle(tierd.model.DataSize.ofBytes(20 * MiB))
                .build(),
            Fixtures.box(100 * MiB, 100 * MiB, 12 * GiB, 24 * GiB),
            List.of(
                process(1, ALL, List.of(vma(HOT_AT, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB)))),
                process(2, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB))))),
            List.of(
                cold(2, BASE, 8 * MiB, Duration.ofMinutes(5)),
                cold(2, BASE + 8 * MiB, 8 * MiB, Duration.ofMinutes(50)),
                hot(1, HOT_AT, 8 * MiB, 0.9)));
    // 20 MiB cap, 8 MiB held for the promotion: 12 MiB for victims, one of 8 MiB fits
    assertThat(exchange(run).makeRoom(0, 16 * MiB, hotSegment(run), 8 * MiB)).isZero();
    assertThat(exchange(run).makeRoom(0, 8 * MiB, hotSegment(run), 8 * MiB)).isEqualTo(8 * MiB);
    assertThat(run.ledger.cycleCapLeft()).isEqualTo(12 * MiB);
  }
}
