package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.planner.RegionPlacement;
import tierd.process.ManagedProcess;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/** Exact placement from move_pages queries, over the fake kernel. */
class PlacementProbeTest {

  static final long MIB = 1L << 20;
  static final long BASE = 0x7f0000000000L;

  /** pid 10: one 8 MiB VMA whose first half is on node 0 and second half on node 1. */
  static FakeKernel kernel() {
    FakeKernel kernel = new FakeKernel().addNode(0, 512 * MIB).addNode(1, 1024 * MIB);
    FakeProcess p = kernel.spawn(10, 100, NodeSet.of(0, 1));
    p.mapAnon(BASE, 8 * MIB).populate(BASE, 4 * MIB, 0).populate(BASE + 4 * MIB, 4 * MIB, 1);
    return kernel;
  }

  /** What numa_maps says of that VMA: 1,024 pages on each node, not where. */
  static ManagedProcess process() {
    return Fixtures.process(
        10,
        NodeSet.of(0, 1),
        List.of(Fixtures.vma(BASE, 8 * MIB, MemPolicy.DEFAULT, Map.of(0, 4 * MIB, 1, 4 * MIB))));
  }

  static ScoredRegion region(long start, long size, double heat, HeatClass heatClass) {
    return new ScoredRegion(
        10, 100, AddressRange.ofSize(start, size), heat, heatClass, 0, Duration.ZERO);
  }

  @Test
  void warmRegionsAreProbedTooSoRoomIsNotSoughtWhereThePagesAlreadyLeft() {
    List<ScoredRegion> regions =
        List.of(
            region(BASE, 2 * MIB, 0.9, HeatClass.HOT),
            region(BASE + 4 * MIB, 2 * MIB, 0.3, HeatClass.WARM));
    PlacementProbe.Result result =
        new PlacementProbe(kernel(), 1L << 18).probe(List.of(process()), regions);

    assertThat(result.placements()).hasSize(2);
    RegionPlacement warm =
        result.placements().stream()
            .filter(p -> p.range().start() == BASE + 4 * MIB)
            .findFirst()
            .orElseThrow();
    // the per-VMA estimate would put half of it on node 0; the kernel says none is
    assertThat(warm.exact()).isTrue();
    assertThat(warm.bytesOnNode().bytesOn(0)).isZero();
    assertThat(warm.bytesOnNode().bytesOn(1)).isEqualTo(2 * MIB);
    assertThat(result.pagesQueried()).isEqualTo(1024);
  }

  @Test
  void theBudgetTakesTheMostDecisiveRegionsFirst() {
    List<ScoredRegion> regions =
        List.of(
            region(BASE + 4 * MIB, 2 * MIB, 0.45, HeatClass.WARM),
            region(BASE, 2 * MIB, 0.95, HeatClass.HOT));
    PlacementProbe.Result result =
        new PlacementProbe(kernel(), 512).probe(List.of(process()), regions);

    assertThat(result.placements()).extracting(p -> p.range().start()).containsExactly(BASE);
    assertThat(result.placements().get(0).bytesOnNode().bytesOn(0)).isEqualTo(2 * MIB);
    assertThat(result.pagesQueried()).isEqualTo(512);
  }
}
