package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.mover.PlacementQuery;
import tierd.planner.Fixtures;
import tierd.planner.RegionPlacement;
import tierd.process.ManagedProcess;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/** Exact placement of the regions that may move, from move_pages queries over the fake kernel. */
class PlacementProbeTest {

  static final long MIB = 1L << 20;
  static final long BASE = 0x7f0000000000L;
  static final int PID = 10;

  /** pid 10: one 8 MiB VMA whose first half is on node 0 and second half on node 1. */
  static FakeKernel kernel() {
    FakeKernel kernel = new FakeKernel().addNode(0, 512 * MIB).addNode(1, 1024 * MIB);
    FakeProcess p = kernel.spawn(PID, 100, NodeSet.of(0, 1));
    p.mapAnon(BASE, 8 * MIB).populate(BASE, 4 * MIB, 0).populate(BASE + 4 * MIB, 4 * MIB, 1);
    return kernel;
  }

  /** What numa_maps says of that VMA: 4 MiB on each node, not where. */
  static ManagedProcess process() {
    return Fixtures.process(
        PID,
        NodeSet.of(0, 1),
        List.of(Fixtures.vma(BASE, 8 * MIB, MemPolicy.DEFAULT, Map.of(0, 4 * MIB, 1, 4 * MIB))));
  }

  static ScoredRegion region(long start, long size, double heat, HeatClass heatClass) {
    return new ScoredRegion(
        PID, 100, AddressRange.ofSize(start, size), heat, heatClass, 0, Duration.ZERO);
  }

  static PlacementProbe probe(FakeKernel kernel, long pageBudget) {
    return new PlacementProbe(new PlacementQuery(kernel), pageBudget);
  }

  @Test
  void hotAndColdRegionsGetTheKernelsPlacementNotThePerVmaEstimate() {
    List<ScoredRegion> regions =
        List.of(
            region(BASE, 2 * MIB, 0.9, HeatClass.HOT),
            region(BASE + 6 * MIB, 2 * MIB, 0.05, HeatClass.COLD));

    PlacementProbe.Result result = probe(kernel(), 1L << 18).probe(List.of(process()), regions);

    // the per-VMA estimate would put half of each on either node; the kernel says where they are
    assertThat(result.placements())
        .extracting(RegionPlacement::range, RegionPlacement::exact)
        .containsExactly(
            tuple(AddressRange.ofSize(BASE, 2 * MIB), true),
            tuple(AddressRange.ofSize(BASE + 6 * MIB, 2 * MIB), true));
    assertThat(result.placements().get(0).bytesOnNode().bytesOn(0)).isEqualTo(2 * MIB);
    assertThat(result.placements().get(0).bytesOnNode().bytesOn(1)).isZero();
    assertThat(result.placements().get(1).bytesOnNode().bytesOn(0)).isZero();
    assertThat(result.placements().get(1).bytesOnNode().bytesOn(1)).isEqualTo(2 * MIB);
    assertThat(result.pagesQueried()).isEqualTo(1024);
    assertThat(result.processesGone()).isZero();
  }

  @Test
  void warmRegionsAreLeftToTheEstimate() {
    List<ScoredRegion> regions = List.of(region(BASE + 4 * MIB, 2 * MIB, 0.3, HeatClass.WARM));

    PlacementProbe.Result result = probe(kernel(), 1L << 18).probe(List.of(process()), regions);

    assertThat(result.placements()).isEmpty();
    assertThat(result.pagesQueried()).isZero();
  }

  @Test
  void theBudgetTakesTheMostDecisiveRegionsFirst() {
    List<ScoredRegion> regions =
        List.of(
            region(BASE + 4 * MIB, 2 * MIB, 0.2, HeatClass.COLD),
            region(BASE, 2 * MIB, 0.95, HeatClass.HOT));

    PlacementProbe.Result result = probe(kernel(), 512).probe(List.of(process()), regions);

    assertThat(result.placements()).extracting(p -> p.range().start()).containsExactly(BASE);
    assertThat(result.placements().get(0).bytesOnNode().bytesOn(0)).isEqualTo(2 * MIB);
    assertThat(result.pagesQueried()).isEqualTo(512);
  }

  @Test
  void aProcessThatExitedIsCountedGoneAndItsOtherRegionsAreNotQueried() {
    FakeKernel kernel = kernel().exit(PID);
    List<ScoredRegion> regions =
        List.of(
            region(BASE, 2 * MIB, 0.9, HeatClass.HOT),
            region(BASE + 6 * MIB, 2 * MIB, 0.05, HeatClass.COLD));

    PlacementProbe.Result result = probe(kernel, 1L << 18).probe(List.of(process()), regions);

    assertThat(result.placements()).isEmpty();
    assertThat(result.processesGone()).isEqualTo(1);
    assertThat(result.pagesQueried()).isEqualTo(512);
  }

  @Test
  void regionsOfProcessesNotManagedAreIgnored() {
    ScoredRegion other =
        new ScoredRegion(
            PID + 1, 100, AddressRange.ofSize(BASE, 2 * MIB), 0.9, HeatClass.HOT, 0, Duration.ZERO);

    PlacementProbe.Result result =
        probe(kernel(), 1L << 18).probe(List.of(process()), List.of(other));

    assertThat(result.placements()).isEmpty();
    assertThat(result.pagesQueried()).isZero();
  }
}
