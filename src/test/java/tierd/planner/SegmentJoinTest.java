package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.plan;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;
import static tierd.planner.Fixtures.warm;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.ScoredRegion;

/** Regions joined to VMAs and placements: segments, their snapped ends, bytes and candidates. */
class SegmentJoinTest {

  static Stream<Arguments> snaps() {
    long vmaStart = 10 * MiB + 4096;
    long vmaEnd = 20 * MiB - 4096;
    return Stream.of(
        Arguments.of("before the VMA: its start", 4 * MiB, vmaStart),
        Arguments.of("after the VMA: its end", 30 * MiB, vmaEnd),
        Arguments.of("just above a boundary: down to it", 12 * MiB + 4096, 12 * MiB),
        Arguments.of("just below a boundary: up to it", 14 * MiB - 4096, 14 * MiB),
        Arguments.of("half way: up", 13 * MiB, 14 * MiB),
        Arguments.of("on a boundary: stays", 16 * MiB, 16 * MiB),
        Arguments.of("nearest boundary before the VMA start: the start", 10 * MiB + 8192, vmaStart),
        Arguments.of("nearest boundary past the VMA end: the end", 20 * MiB - 8192, vmaEnd));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snaps")
  void snapGoesToTheNearestUnitInsideTheVma(String name, long address, long snapped) {
    assertThat(SegmentJoin.snap(address, 2 * MiB, 10 * MiB + 4096, 20 * MiB - 4096))
        .isEqualTo(snapped);
  }

  @Test
  void rangeEndsInsideAVmaSnapToTheNearestThpBoundary() {
    Vma v = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB));
    MigrationPlan p =
        plan(
            PlannerConfig.defaults(),
            List.of(process(1, ALL, List.of(v))),
            List.of(hot(1, BASE + 512 * 1024, 4 * MiB + 256 * 1024, 0.8)));
    Move m = p.moves().get(0);
    assertThat(m.ranges()).containsExactly(new AddressRange(BASE, BASE + 4 * MiB));
    assertThat(m.thpAligned()).isTrue();
    assertThat(m.pageBytes()).isEqualTo(4096);
    assertThat(m.bytes()).isEqualTo(4 * MiB);
  }

  @Test
  void vmaEndsAreKeptEvenWhenNotFolioAligned() {
    Vma v = vma(BASE + 4096, 8 * MiB - 8192, MemPolicy.DEFAULT, on(2, 8 * MiB - 8192));
    MigrationPlan p =
        plan(
            PlannerConfig.defaults(),
            List.of(process(1, ALL, List.of(v))),
            List.of(hot(1, BASE, 8 * MiB, 0.8)));
    assertThat(p.moves().get(0).ranges()).containsExactly(v.range());
  }

  static Stream<Arguments> coldBesideHot() {
    long cut = BASE + 5 * MiB + 300 * 1024; // page-aligned, 724 KiB short of a 2 MiB boundary
    return Stream.of(
        Arguments.of(
            "THP-eligible VMA: both snap to the same 2 MiB boundary, no folio is split",
            true,
            6 * MiB),
        Arguments.of("VMA that cannot hold THPs: both end at the region edge", false, cut - BASE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("coldBesideHot")
  void coldRangeBesideAHotOneEndsWhereTheVmaAllows(
      String name, boolean thpEligible, long boundaryOffsetBytes) {
    Vma v =
        vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 32 * MiB, 0, 32 * MiB))
            .withThpEligible(thpEligible);
    long cut = BASE + 5 * MiB + 300 * 1024;
    MigrationPlan p =
        new Planner(PlannerConfig.defaults())
            .plan(
                Fixtures.input(
                    Fixtures.box(50 * MiB, 6 * GiB, 12 * GiB, 24 * GiB),
                    List.of(process(1, ALL, List.of(v))),
                    List.of(
                        cold(1, BASE, cut - BASE, Duration.ofMinutes(10)),
                        hot(1, cut, BASE + 64 * MiB - cut, 0.8))),
                PlannerState.initial())
            .plan();
    assertThat(p.moves()).hasSize(2);
    for (Move m : p.moves()) {
      assertThat(m.thpAligned()).isEqualTo(thpEligible);
      AddressRange expected =
          m.direction() == Direction.DEMOTE
              ? new AddressRange(BASE, BASE + boundaryOffsetBytes)
              : new AddressRange(BASE + boundaryOffsetBytes, BASE + 64 * MiB);
      assertThat(m.ranges()).as(m.direction().toString()).containsExactly(expected);
    }
  }

  @Test
  void aRegionSpanningTwoVmasIsDecidedPerVma() {
    Vma bound = vma(BASE, 8 * MiB, MemPolicy.parse("bind:2-3"), on(2, 8 * MiB));
    Vma free = vma(BASE + 8 * MiB, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB));
    MigrationPlan p =
        plan(
            PlannerConfig.defaults(),
            List.of(process(1, ALL, List.of(bound, free))),
            List.of(hot(1, BASE, 16 * MiB, 0.8)));
    assertThat(p.moves())
        .singleElement()
        .extracting(m -> m.ranges().get(0))
        .isEqualTo(free.range());
    assertThat(p.skipped()).singleElement().extracting(Skip::reason).isEqualTo(SkipReason.POLICY);
  }

  @Test
  void overlappingPlacementsAreRejected() {
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
    PlanInput in =
        Fixtures.input(
            roomyBox(),
            List.of(p),
            List.of(hot(1, BASE, 8 * MiB, 0.8)),
            List.of(
                new RegionPlacement(
                    1, AddressRange.ofSize(BASE, 4 * MiB), NodeBytes.of(2, MiB), true),
                new RegionPlacement(
                    1, AddressRange.ofSize(BASE + MiB, 4 * MiB), NodeBytes.of(2, MiB), true)));
    assertThatThrownBy(() -> new Planner(PlannerConfig.defaults()).plan(in, PlannerState.initial()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("placements of pid 1 overlap");
  }

  @Test
  void overlappingRegionsAreRejected() {
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
    assertThatThrownBy(
            () ->
                Fixtures.run(
                    PlannerConfig.defaults(),
                    roomyBox(),
                    List.of(p),
                    List.of(hot(1, BASE, 4 * MiB, 0.8), hot(1, BASE + MiB, 4 * MiB, 0.8))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scored regions of pid 1 overlap at 7f0000100000-7f0000500000");
  }

  @Test
  void placementsGiveTheBytesProRataAndTheVmaEstimatesTheRest() {
    // the VMA says all 16 MiB on node 2; a placement of its first 8 MiB says 4 MiB on 0, 4 on 2
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 16 * MiB, MemPolicy.DEFAULT, on(2, 16 * MiB))));
    PlanInput in =
        Fixtures.input(
            roomyBox(),
            List.of(p),
            List.of(hot(1, BASE + 4 * MiB, 8 * MiB, 0.8)),
            List.of(
                new RegionPlacement(
                    1,
                    AddressRange.ofSize(BASE, 8 * MiB),
                    NodeBytes.of(java.util.Map.of(0, 4 * MiB, 2, 4 * MiB)),
                    true)));
    PlanningRun run = new PlanningRun(PlannerConfig.defaults(), in, PlannerState.initial());
    // [4, 8) MiB: half the placement, 2 MiB on 0 and 2 on 2; [8, 12) MiB from the VMA, 4 on 2
    assertThat(run.segments.count()).isEqualTo(1);
    assertThat(run.segments.bytes(0, 0)).isEqualTo(2 * MiB);
    assertThat(run.segments.bytes(0, 2)).isEqualTo(6 * MiB);
    assertThat(run.promotions.count()).isEqualTo(1); // from node 2; node 0 is the fastest tier
    assertThat(run.joined.promotionDemandBytes()).isEqualTo(6 * MiB);
  }

  @Test
  void theEstimateOfWhatNoPlacementCoversLeavesThePlacedBytesOut() {
    // numa_maps: 16 MiB on node 0, 48 on node 2; placements: [0, 48) MiB wholly on node 2 (tierd
    // demoted it), so the 16 MiB on node 0 can only be in [48, 64)
    Vma vma = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 16 * MiB, 2, 48 * MiB));
    PlanInput in =
        Fixtures.input(
            roomyBox(),
            List.of(process(1, ALL, List.of(vma))),
            List.of(
                warm(1, BASE + 40 * MiB, 8 * MiB, 0.1), warm(1, BASE + 48 * MiB, 16 * MiB, 0.1)),
            List.of(
                new RegionPlacement(
                    1, AddressRange.ofSize(BASE, 48 * MiB), NodeBytes.of(2, 48 * MiB), true)));
    PlanningRun run = new PlanningRun(PlannerConfig.defaults(), in, PlannerState.initial());
    assertThat(run.segments.count()).isEqualTo(2);
    assertThat(run.segments.bytes(0, 0)).as("placed [40, 48): nothing on node 0").isZero();
    assertThat(run.segments.bytes(0, 2)).isEqualTo(8 * MiB);
    assertThat(run.segments.bytes(1, 0))
        .as("the rest, [48, 64): node 0's 16 MiB")
        .isEqualTo(16 * MiB);
    assertThat(run.segments.bytes(1, 2)).isZero();
  }

  /**
   * The 2node boot's livelock (CI, 2026-12-07): a cold region whose head tierd had already demoted
   * (a remembered placement) and whose tail the VMA's estimate put on the fast node was one
   * segment; a demotion takes a prefix, so it took the head every cycle and moved nothing.
   */
  @Test
  void colderDataIsCutWhereAPlacementEndsSoTheEstimatedTailIsASegmentOfItsOwn() {
    PlanningRun run = runWithHeadPlaced(warm(1, BASE, 32 * MiB, 0.1), 2);
    assertThat(run.segments.count()).isEqualTo(2);
    assertThat(run.segments.end(0)).isEqualTo(BASE + 8 * MiB);
    assertThat(run.segments.bytes(0, 0)).as("the head, placed on node 2").isZero();
    assertThat(run.segments.start(1)).isEqualTo(BASE + 8 * MiB);
    assertThat(run.segments.bytes(1, 0))
        .as("the tail, estimated: the VMA's node-0 bytes less nothing placed there, pro rata")
        .isPositive();
  }

  @Test
  void hotDataIsOneSegmentWhateverThePlacementsCover() {
    PlanningRun run = runWithHeadPlaced(hot(1, BASE, 32 * MiB, 0.8), 0);
    assertThat(run.segments.count()).isEqualTo(1);
  }

  /**
   * One 32 MiB region at the start of a 64 MiB VMA estimated half on node 0, half on node 2, whose
   * first 8 MiB tierd remembers having placed on {@code placedNode}.
   */
  private static PlanningRun runWithHeadPlaced(ScoredRegion region, int placedNode) {
    Vma vma = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB, 2, 32 * MiB));
    PlanInput in =
        Fixtures.input(
            roomyBox(),
            List.of(process(1, ALL, List.of(vma))),
            List.of(region),
            List.of(
                new RegionPlacement(
                    1,
                    AddressRange.ofSize(BASE, 8 * MiB),
                    NodeBytes.of(placedNode, 8 * MiB),
                    true)));
    return new PlanningRun(PlannerConfig.defaults(), in, PlannerState.initial());
  }

  @Test
  void withoutPlacementsTheVmaCountsAreSpreadOverTheWholeVma() {
    Vma vma = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 16 * MiB, 2, 48 * MiB));
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.defaults(),
            roomyBox(),
            List.of(process(1, ALL, List.of(vma))),
            List.of(warm(1, BASE + 48 * MiB, 16 * MiB, 0.1)));
    assertThat(run.segments.bytes(0, 0)).isEqualTo(4 * MiB);
    assertThat(run.segments.bytes(0, 2)).isEqualTo(12 * MiB);
  }

  @Test
  void candidatesPerNodeAndWhatTheJoinCounts() {
    Vma vma = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 16 * MiB, 3, 48 * MiB));
    ManagedProcess p = process(1, ALL, List.of(vma));
    List<ScoredRegion> regions =
        List.of(
            cold(1, BASE, 16 * MiB, Duration.ofMinutes(5)),
            warm(1, BASE + 16 * MiB, 16 * MiB, 0.1),
            hot(1, BASE + 32 * MiB, 32 * MiB, 0.9),
            hot(2, BASE, 8 * MiB, 0.9)); // pid 2 is not managed: stale
    PlanningRun run = Fixtures.run(PlannerConfig.defaults(), roomyBox(), List.of(p), regions);
    assertThat(run.joined)
        .isEqualTo(new SegmentJoin.Counts(3, 1, 24 * MiB)); // 3/4 of 32 MiB of node 3 is hot
    assertThat(run.promotions.count()).isEqualTo(1); // node 3's share; node 0's is in the fastest
    assertThat(run.nodes.nodeId(run.promotions.source(0))).isEqualTo(3);
    // the cold and warm pieces are demotion entries of node 0 (node 3 is the slowest tier)
    assertThat(run.demotions.coldest(0, run.segments, s -> true).size()).isEqualTo(2);
    assertThat(run.demotions.coldest(3, run.segments, s -> true).size()).isZero();

    PlanningRun noExchange =
        Fixtures.run(
            PlannerConfig.builder().exchange(false).build(), roomyBox(), List.of(p), regions);
    assertThat(noExchange.demotions.coldest(0, noExchange.segments, s -> true).size())
        .as("WARM data only ever moves as an exchange victim")
        .isEqualTo(1);
  }

  @Test
  void hotDataInNoTierAndHotRangesSmallerThanAFolioAreSkipped() {
    Vma inNoTier = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(9, 8 * MiB));
    Vma small = vma(BASE + 8 * MiB, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB));
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.defaults(),
            roomyBox(),
            List.of(process(1, ALL, List.of(inNoTier, small))),
            List.of(
                hot(1, BASE, 8 * MiB, 0.9),
                hot(1, BASE + 8 * MiB + 4 * MiB + 4096, 512 * 1024, 0.9)));
    assertThat(Fixtures.skipped(run))
        .containsExactly("1 -1 NO_TARGET " + 8 * MiB, "1 2 ALIGNMENT " + 512 * 1024);
    assertThat(run.skips.listed().get(1).text())
        .isEqualTo(
            "hot range of 512KiB is smaller than one 2MiB THP folio once aligned; its folios move"
                + " with their neighbours");
    assertThat(run.promotions.count()).isZero();
  }
}
