package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ProcessKey;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringConfig;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;

/** The planner's parts and the details of its moves: alignment, flags, state, rendering. */
class PlannerPartsTest {

  static final long BASE = 0x7f0000000000L;
  static final NodeSet ALL = NodeSet.of(0, 1, 2, 3);
  static final ProcessKey P1 = new ProcessKey(1, Fixtures.startTime(1));

  static MigrationPlan plan(PlannerConfig cfg, List<ManagedProcess> procs, List<?> regions) {
    @SuppressWarnings("unchecked")
    List<tierd.scoring.ScoredRegion> rs = (List<tierd.scoring.ScoredRegion>) regions;
    return new Planner(cfg)
        .plan(Fixtures.input(roomyBox(), procs, rs), PlannerState.initial())
        .plan();
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

  @Test
  void neighbouringPiecesShareTheirSnappedBoundarySoNoFolioIsSplit() {
    Vma v = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 32 * MiB, 0, 32 * MiB));
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
    AddressRange down = null;
    AddressRange up = null;
    for (Move m : p.moves()) {
      if (m.direction() == Direction.DEMOTE) {
        down = m.ranges().get(0);
      } else {
        up = m.ranges().get(0);
      }
    }
    assertThat(down).isEqualTo(new AddressRange(BASE, BASE + 6 * MiB));
    assertThat(up).isEqualTo(new AddressRange(BASE + 6 * MiB, BASE + 64 * MiB));
  }

  @Test
  void thpAlignmentCanBeTurnedOff() {
    Vma v = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB));
    MigrationPlan p =
        plan(
            PlannerConfig.builder().thpAlign(DataSize.ZERO).build(),
            List.of(process(1, ALL, List.of(v))),
            List.of(hot(1, BASE + 8192, 12288, 0.8)));
    Move m = p.moves().get(0);
    assertThat(m.ranges()).containsExactly(AddressRange.ofSize(BASE + 8192, 12288));
    assertThat(m.thpAligned()).isFalse();
  }

  @Test
  void sharedVmasMovedWhenAllowedCarryMoveAll() {
    Vma v = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB), "rw-p", 4, false, 4096);
    MigrationPlan p =
        plan(
            PlannerConfig.builder().moveShared(true).build(),
            List.of(process(1, ALL, List.of(v))),
            List.of(hot(1, BASE, 8 * MiB, 0.8)));
    assertThat(p.moves()).singleElement().extracting(Move::moveAll).isEqualTo(true);
  }

  @Test
  void hugetlbMovesInWholeHugePages() {
    Vma v = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB), "rw-p", 1, true, 2 * MiB);
    MigrationPlan p =
        plan(
            PlannerConfig.builder().hugetlb(PlannerConfig.HugetlbMode.MOVE).build(),
            List.of(process(1, ALL, List.of(v))),
            List.of(hot(1, BASE + 3 * MiB, 6 * MiB, 0.8)));
    Move m = p.moves().get(0);
    assertThat(m.pageBytes()).isEqualTo(2 * MiB);
    assertThat(m.thpAligned()).isFalse();
    AddressRange r = m.ranges().get(0);
    assertThat(r.start() % (2 * MiB)).isZero();
    assertThat(r.end() % (2 * MiB)).isZero();
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
        new PlanInput(
            T0.plusSeconds(60),
            t,
            List.of(onCxl),
            List.of(hot(1, BASE, 8 * MiB, 0.9)),
            Fixtures.thresholds(),
            List.of());
    PlanResult blocked = planner.plan(hotAgain, down.next());
    assertThat(blocked.plan().moves()).isEmpty();
    assertThat(blocked.plan().skipCounts()).containsEntry(SkipReason.RESIDENCY, 1L);

    PlanInput later =
        new PlanInput(
            T0.plusSeconds(600),
            t,
            List.of(onCxl),
            List.of(hot(1, BASE, 8 * MiB, 0.9)),
            Fixtures.thresholds(),
            List.of());
    PlanResult up = planner.plan(later, blocked.next());
    assertThat(up.plan().moves()).singleElement().extracting(Move::pingPong).isEqualTo(true);
    assertThat(up.plan().summary().pingPongs()).isEqualTo(1);
    assertThat(up.next().pingPongsTotal()).isEqualTo(1);
  }

  /**
   * Residency is against moving back, not against finishing a move: the rest of a range whose
   * aligned prefix was promoted under a tight budget goes up as soon as the budget refills (in the
   * 2node VM, a cold buffer demoted in part stayed 11 % on DRAM for the whole minResidency).
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
    List<tierd.scoring.ScoredRegion> r = List.of(hot(1, BASE, 64 * MiB, 0.9));
    ManagedProcess before =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))));
    PlanResult first = planner.plan(Fixtures.input(t, List.of(before), r), PlannerState.initial());
    assertThat(first.plan().moves())
        .singleElement()
        .extracting(m -> m.ranges().get(0))
        .isEqualTo(new AddressRange(BASE, BASE + 32 * MiB));

    ManagedProcess half =
        process(
            1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB, 2, 32 * MiB))));
    PlanInput twoSecondsLater =
        new PlanInput(T0.plusSeconds(2), t, List.of(half), r, Fixtures.thresholds(), List.of());
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
        new PlanInput(
            T0.plusSeconds(2),
            t,
            List.of(part),
            List.of(cold(1, BASE, 32 * MiB, idle)),
            Fixtures.thresholds(),
            List.of());
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

  @Test
  void budgetsRefillInTimeAndCarryAcrossCycles() {
    Topology t = roomyBox();
    PlannerConfig cfg =
        PlannerConfig.builder()
            .promoteBytesPerSecond(16 * MiB)
            .budgetBurst(Duration.ofSeconds(2))
            .minResidency(Duration.ZERO)
            .build();
    Planner planner = new Planner(cfg);
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 256 * MiB, MemPolicy.DEFAULT, on(2, 256 * MiB))));
    List<tierd.scoring.ScoredRegion> r = List.of(hot(1, BASE, 256 * MiB, 0.9));
    PlanResult first = planner.plan(Fixtures.input(t, List.of(p), r), PlannerState.initial());
    assertThat(first.plan().summary().promoteBytes()).isEqualTo(32 * MiB); // a full bucket
    assertThat(first.next().promoteBudget().tokensBytes()).isZero();
    PlanInput oneSecondLater =
        new PlanInput(T0.plusSeconds(1), t, List.of(p), r, Fixtures.thresholds(), List.of());
    PlanResult second = planner.plan(oneSecondLater, first.next());
    assertThat(second.plan().summary().promoteBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().summary().promotionBudgetEarnedBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().feedback()).isEqualTo(new PromotionFeedback(256 * MiB, 16 * MiB));
  }

  @Test
  void tokenBucketRefillsByRateUpToCapacityAndNotBackwards() {
    TokenBucket b = TokenBucket.UNSTARTED.refill(T0, 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(1000);
    b = b.take(900).refill(T0.plusSeconds(2), 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(300);
    b = b.refill(T0.plusSeconds(60), 100, 1000);
    assertThat(b.tokensBytes()).isEqualTo(1000);
    TokenBucket back = b.take(1000).refill(T0, 100, 1000);
    assertThat(back.tokensBytes()).isZero();
    assertThat(back.refilledAt()).contains(T0.plusSeconds(60));
  }

  @Test
  void residencyHistoryOverwritesOverlapsAndForgets() {
    Move a = move(new AddressRange(0, 100 * 4096), Direction.DEMOTE);
    Move b = move(new AddressRange(40 * 4096, 60 * 4096), Direction.PROMOTE);
    ResidencyHistory h =
        ResidencyHistory.empty().withMoves(List.of(a), T0, T0.minusSeconds(1), Set.of(P1));
    h = h.withMoves(List.of(b), T0.plusSeconds(10), T0.minusSeconds(1), Set.of(P1));
    assertThat(h.entries(P1))
        .extracting(e -> e.range() + " " + e.direction())
        .containsExactly(
            new AddressRange(0, 40 * 4096) + " DEMOTE",
            new AddressRange(40 * 4096, 60 * 4096) + " PROMOTE",
            new AddressRange(60 * 4096, 100 * 4096) + " DEMOTE");
    assertThat(h.lastMove(P1, new AddressRange(0, 50 * 4096)))
        .map(ResidencyHistory.Entry::direction)
        .contains(Direction.PROMOTE);
    assertThat(h.lastMove(P1, new AddressRange(70 * 4096, 80 * 4096)))
        .map(ResidencyHistory.Entry::movedAt)
        .contains(T0);
    ResidencyHistory later =
        h.withMoves(List.of(), T0.plusSeconds(20), T0.plusSeconds(5), Set.of(P1));
    assertThat(later.size()).isEqualTo(1);
    assertThat(h.withMoves(List.of(), T0, T0, Set.of()).size()).isZero();
  }

  static Move move(AddressRange r, Direction d) {
    return new Move(
        1,
        Fixtures.startTime(1),
        List.of(r),
        NodeSet.of(d == Direction.PROMOTE ? 2 : 0),
        d == Direction.PROMOTE ? 0 : 2,
        r.sizeBytes(),
        d,
        4096,
        false,
        false,
        false,
        new Reason(d == Direction.PROMOTE ? ReasonCode.HOT : ReasonCode.COLD_PRESSURE, "t"));
  }

  @Test
  void placementIsEstimatedFromTheVmaInProportion() {
    Vma v = vma(BASE, 16 * MiB, MemPolicy.DEFAULT, on(0, 4 * MiB, 2, 12 * MiB));
    RegionPlacement p = RegionPlacement.estimate(1, v, AddressRange.ofSize(BASE - MiB, 5 * MiB));
    assertThat(p.range()).isEqualTo(AddressRange.ofSize(BASE, 4 * MiB));
    assertThat(p.bytesOnNode().toMap()).isEqualTo(Map.of(0, MiB, 2, 3 * MiB));
    assertThat(p.exact()).isFalse();
    assertThatThrownBy(() -> RegionPlacement.estimate(1, v, AddressRange.ofSize(0, 4096)))
        .hasMessageContaining("outside VMA");
  }

  @Test
  void nodeBytesIsACompactSortedMap() {
    NodeBytes nb = NodeBytes.of(Map.of(3, 10L, 1, 5L, 2, 0L));
    assertThat(nb.size()).isEqualTo(2);
    assertThat(nb.node(0)).isEqualTo(1);
    assertThat(nb.bytesOn(3)).isEqualTo(10);
    assertThat(nb.bytesOn(2)).isZero();
    assertThat(nb.totalBytes()).isEqualTo(15);
    assertThat(nb).isEqualTo(NodeBytes.of(Map.of(1, 5L, 3, 10L)));
    assertThat(nb.toString()).isEqualTo("N1=5B N3=10B");
  }

  @Test
  void overlappingPlacementsAreRejected() {
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))));
    PlanInput in =
        new PlanInput(
            T0,
            roomyBox(),
            List.of(p),
            List.of(hot(1, BASE, 8 * MiB, 0.8)),
            Fixtures.thresholds(),
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
  void skippedCandidatesBeyondTheListingCapAreCountedNotListed() {
    ManagedProcess p =
        process(
            1,
            ALL,
            List.of(vma(BASE, 64 * MiB, MemPolicy.parse("interleave:0-3"), on(2, 64 * MiB))));
    List<tierd.scoring.ScoredRegion> rs = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rs.add(hot(1, BASE + i * 8 * MiB, 8 * MiB, 0.8));
    }
    MigrationPlan plan = plan(PlannerConfig.builder().maxSkipsListed(3).build(), List.of(p), rs);
    assertThat(plan.skipped()).hasSize(3);
    assertThat(plan.skipsNotListed()).isEqualTo(5);
    assertThat(plan.skipCounts()).containsEntry(SkipReason.INTERLEAVE, 8L);
    assertThat(plan.skipBytes()).containsEntry(SkipReason.INTERLEAVE, 64 * MiB);
    assertThat(Explain.lines(plan)).contains("… 5 more skipped candidates not listed");
  }

  @Test
  void explainRendersOneLinePerMoveAndSkipAndAJsonableTree() {
    Vma ok = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB));
    Vma bound = vma(BASE + 8 * MiB, 8 * MiB, MemPolicy.parse("bind:2-3"), on(2, 8 * MiB));
    MigrationPlan plan =
        plan(
            PlannerConfig.defaults(),
            List.of(process(1, ALL, List.of(ok, bound))),
            List.of(hot(1, BASE, 8 * MiB, 0.82), hot(1, BASE + 8 * MiB, 8 * MiB, 0.82)));
    List<String> lines = Explain.lines(plan);
    assertThat(lines.get(0)).startsWith("plan at 2026-01-01T00:00:00Z: 1 moves (promote 8MiB");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("move "))
        .containsExactly(
            "move promote pid 1 7f0000000000-7f0000800000 8MiB node 2 → 0 [HOT]: hot (0.82 ≥ 0.40"
                + " for 3 windows) on node 2 (tier 1) → node 0 (tier 0, nearest faster allowed,"
                + " 5.9GiB free above high wmark)");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("skip "))
        .containsExactly(
            "skip promote pid 1 7f0000800000-7f0001000000 8MiB on node 2 [POLICY]: policy"
                + " bind:2-3 allows no node faster than node 2 (faster in cpuset: 0,1)");
    assertThat(lines).filteredOn(l -> l.startsWith("node ")).hasSize(4);

    Map<String, Object> json = Explain.json(plan);
    assertThat(json).containsKeys("at", "summary", "moves", "skipped", "skipCounts", "skipBytes");
    @SuppressWarnings("unchecked")
    Map<String, Object> mv = ((List<Map<String, Object>>) json.get("moves")).get(0);
    assertThat(mv)
        .containsEntry("pid", 1)
        .containsEntry("direction", "PROMOTE")
        .containsEntry("fromNodes", List.of(2))
        .containsEntry("toNode", 0)
        .containsEntry("bytes", 8 * MiB)
        .containsEntry("code", "HOT");
    assertThat(json.get("skipCounts")).isEqualTo(Map.of("POLICY", 1L));
    assertJsonable(json);
  }

  private static void assertJsonable(Object o) {
    if (o instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            assertThat(k).isInstanceOf(String.class);
            assertJsonable(v);
          });
    } else if (o instanceof List<?> l) {
      l.forEach(PlannerPartsTest::assertJsonable);
    } else {
      assertThat(o).isInstanceOfAny(String.class, Number.class, Boolean.class);
    }
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "no promotion budget",
            (Runnable) () -> PlannerConfig.builder().promoteBytesPerSecond(0).build(),
            "planner.promoteBytesPerSecond must be > 0 (got 0)"),
        Arguments.of(
            "retention shorter than residency",
            (Runnable)
                () ->
                    PlannerConfig.builder()
                        .minResidency(Duration.ofMinutes(5))
                        .historyRetention(Duration.ofMinutes(1))
                        .build(),
            "planner.historyRetention must be >= planner.minResidency (PT5M) (got PT1M)"),
        Arguments.of(
            "THP size not a power of two",
            (Runnable) () -> PlannerConfig.builder().thpAlign(DataSize.ofBytes(3 << 20)).build(),
            "planner.thpAlign must be 0 or a power of two >= 4KiB (got 3MiB)"),
        Arguments.of(
            "fill limit above 1",
            (Runnable) () -> PlannerConfig.builder().maxFill(Map.of(3, 1.2)).build(),
            "planner.maxFill.3 must be in (0, 1] (got 1.2)"),
        Arguments.of(
            "tiny cycle cap",
            (Runnable)
                () -> PlannerConfig.builder().maxBytesPerCycle(DataSize.ofBytes(100)).build(),
            "planner.maxBytesPerCycle must be >= 4KiB (got 100B)"),
        Arguments.of(
            "zero proactive age",
            (Runnable) () -> PlannerConfig.builder().proactiveDemotionAge(Duration.ZERO).build(),
            "planner.proactiveDemotionAge must be > 0 when set (got PT0S)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void configErrorsNameTheKeyAndTheRange(String name, Runnable build, String message) {
    assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  /**
   * Scorer and planner together over cycles: a buffer turns hot on CXL, is confirmed over two
   * windows, promoted, and not moved back while it cools within the minimum residency.
   */
  @Test
  void scorerAndPlannerTogetherPromoteAConfirmedHotBufferOnce() {
    Topology t = roomyBox();
    Scorer scorer = new Scorer(ScoringConfig.defaults());
    Planner planner = new Planner(PlannerConfig.defaults());
    PlannerState state = PlannerState.initial();
    ManagedProcess onCxl =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))));
    ManagedProcess onDram =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB))));
    PromotionFeedback fb = PromotionFeedback.NONE;
    int[] accesses = {90, 90, 90, 0, 0, 0};
    int promotions = 0;
    int demotions = 0;
    for (int cycle = 0; cycle < accesses.length; cycle++) {
      ManagedProcess p = promotions == 0 ? onCxl : onDram;
      ScoringResult scores =
          scorer.score(
              new ScoringInput(
                  T0.plusSeconds(10L * cycle),
                  t,
                  List.of(p),
                  List.of(
                      new RegionSample(
                          1,
                          AddressRange.ofSize(BASE, 64 * MiB),
                          accesses[cycle],
                          100,
                          Duration.ofSeconds(10),
                          Duration.ZERO,
                          "test")),
                  fb));
      PlanResult r = planner.plan(PlanInput.estimated(t, List.of(p), scores), state);
      state = r.next();
      fb = r.plan().feedback();
      if (cycle == 0) {
        assertThat(scores.regions().get(0).heatClass()).isEqualTo(HeatClass.WARM);
        assertThat(r.plan().moves()).isEmpty();
      }
      for (Move m : r.plan().moves()) {
        if (m.direction() == Direction.PROMOTE) {
          promotions++;
        } else {
          demotions++;
        }
      }
    }
    assertThat(promotions).isEqualTo(1);
    assertThat(demotions).isZero();
    assertThat(state.pingPongsTotal()).isZero();
    assertThat(Optional.of(state.residency().size())).contains(1);
  }
}
