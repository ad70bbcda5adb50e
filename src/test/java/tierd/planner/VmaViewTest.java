package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.PAGE;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.plan;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.process.Vma;

/** One VMA as the planner sees it: its unit, MOVE_ALL, estimate per slot and remembered rules. */
class VmaViewTest {

  static final NodeTable BOX = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());

  static VmaView view(Vma vma, PlannerConfig config) {
    return new VmaView(vma, ALL, BOX, config);
  }

  @Test
  void theUnitIsTheThpSizeOrThePageOrTheHugePage() {
    Vma anon = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB));
    Vma hugetlb = vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB), "rw-p", 1, true, 2 * MiB);
    PlannerConfig noThp = PlannerConfig.builder().thpAlign(DataSize.ZERO).build();
    PlannerConfig thp64k = PlannerConfig.builder().thpAlign(DataSize.ofBytes(64 * 1024)).build();
    assertThat(view(anon, PlannerConfig.defaults()).unitBytes()).isEqualTo(2 * MiB);
    assertThat(view(anon, PlannerConfig.defaults()).thpAligned()).isTrue();
    assertThat(view(anon, thp64k).unitBytes()).isEqualTo(64 * 1024);
    assertThat(view(anon, noThp).unitBytes()).isEqualTo(PAGE);
    assertThat(view(anon, noThp).thpAligned()).isFalse();
    assertThat(view(hugetlb, PlannerConfig.defaults()).unitBytes()).isEqualTo(2 * MiB);
    assertThat(view(hugetlb, PlannerConfig.defaults()).thpAligned()).isFalse();
    Vma noHugepage = anon.withThpEligible(false);
    assertThat(view(noHugepage, PlannerConfig.defaults()).unitBytes()).isEqualTo(PAGE);
    assertThat(view(noHugepage, PlannerConfig.defaults()).thpAligned()).isFalse();
  }

  @Test
  void theEstimateSumsNodesInNoTierIntoTheirSlot() {
    // 16 MiB: 4 on node 0, 4 on node 8, 8 on node 9 (8 and 9 are in no tier); a quarter of it
    Vma vma = vma(BASE, 16 * MiB, MemPolicy.DEFAULT, Map.of(0, 4 * MiB, 8, 4 * MiB, 9, 8 * MiB));
    long[] row = new long[BOX.rowWidth];
    row[0] = 1; // added to, not overwritten
    view(vma, PlannerConfig.defaults()).addEstimate(row, 4 * MiB);
    assertThat(row[0]).isEqualTo(1 + MiB);
    assertThat(row[BOX.noTierSlot]).isEqualTo(3 * MiB);
    assertThat(row[1] + row[2] + row[3]).isZero();
  }

  @Test
  void rulesAreDecidedOncePerSourceAndDirection() {
    VmaView view =
        view(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB)), PlannerConfig.defaults());
    assertThat(view.movable()).isTrue();
    assertThat(view.promotion(2)).isSameAs(view.promotion(2));
    assertThat(view.demotion(0)).isSameAs(view.demotion(0));
    assertThat(view.promotionTargets(2)).containsExactly(0, 1);
    assertThat(view.demotion(0)).isInstanceOf(PlacementRule.Allowed.class);
    VmaView interleaved =
        view(
            vma(BASE, 8 * MiB, MemPolicy.parse("interleave:0-3"), on(2, 8 * MiB)),
            PlannerConfig.defaults());
    assertThat(interleaved.movable()).isFalse();
    assertThat(interleaved.heldBack().reason()).isEqualTo(SkipReason.INTERLEAVE);
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
}
