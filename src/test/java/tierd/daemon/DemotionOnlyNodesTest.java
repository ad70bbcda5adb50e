package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.mover.NodeRoom;
import tierd.planner.CapacitySource;
import tierd.planner.PlannerConfig;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * The daemon's glue for demotion-only node 2 of the 3-node VM tree: capacities into the metric, the
 * room check composed only when a node is demotion-only, the state file for tierd scan.
 */
class DemotionOnlyNodesTest {

  @TempDir Path tmp;
  KernelRoot root;
  Path run;

  @BeforeEach
  void tree() throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), tmp.resolve("root"));
    root = KernelRoot.under(tmp.resolve("root"));
    run = Files.createDirectories(tmp.resolve("run"));
  }

  static PlannerConfig node2(long capacityBytes) {
    return PlannerConfig.builder()
        .demotionOnly(Map.of(2, new CapacitySource.Fixed(capacityBytes)))
        .build();
  }

  @Test
  void withoutDemotionOnlyNodesTheRoomIsTheInnerOneAndNothingIsWritten() {
    DemotionOnlyNodes none = DemotionOnlyNodes.of(root, 4096, PlannerConfig.defaults(), run);
    NodeRoom inner = node -> 42;
    assertThat(none.configured()).isFalse();
    assertThat(none.room(inner)).isSameAs(inner);
  }

  @Test
  void theCapacityGoesToTheMetricAndTheRoomCheck() {
    DemotionOnlyNodes nodes = DemotionOnlyNodes.of(root, 4096, node2(512L << 20), run);
    TierdMetrics metrics = new TierdMetrics("test");
    assertThat(nodes.capacitiesNow(metrics.demotionOnly())).isEqualTo(Map.of(2, 512L << 20));
    assertThat(metrics.scrape())
        .contains("tierd_demotion_only_capacity_bytes{node=\"2\",} 5.36870912E8");
    // node 2 of the tree holds 26040 kB by its meminfo, 708 pages of them free on a per-CPU list
    assertThat(nodes.room(node -> Long.MAX_VALUE).bytesAvailable(2))
        .isEqualTo((512L << 20) - NodeCapacitiesTest.HELD_ON_NODE_2);
  }

  /** Requests and the fake kernel's report for pid 4242's first {@code bytes} from → to. */
  record Moved(List<MoveRequest> requests, MoveReport report) {}

  static Moved moveOnFakeKernel(int from, int to, long bytes) {
    FakeKernel kernel = new FakeKernel().addNode(0, 64L << 20).addNode(2, 256L << 20);
    FakeProcess p = kernel.spawn(4242, 401, NodeSet.of(0, 2));
    p.mapAnon(0x7f10_0000_0000L, 16L << 20).populate(0x7f10_0000_0000L, 16L << 20, from);
    List<MoveRequest> requests =
        List.of(
            MoveRequest.basePages(
                new ProcessId(4242, 401),
                List.of(AddressRange.ofSize(0x7f10_0000_0000L, bytes)),
                NodeSet.of(from),
                to));
    return new Moved(
        requests,
        new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT).move(requests));
  }

  @Test
  void movesIntoTheNodeAreWrittenForScanAndCountedAgainstForeignBytes() throws IOException {
    Moved moved = moveOnFakeKernel(0, 2, 4L << 20);
    DemotionOnlyNodes nodes = DemotionOnlyNodes.of(root, 4096, node2(512L << 20), run);
    nodes.moved(moved.requests(), moved.report());
    assertThat(Files.readString(run.resolve(DemotionOnlyPlacement.STATE_FILE)))
        .contains("4242 401 2 " + (4L << 20) + "\n");
  }

  @Test
  void thePlanTakesTheNodeToHoldLessByTierdsMovesOffItThatItsMeminfoDoesNotShowYet() {
    Topology read = new TopologyReader(root, 4096).read(List.of());
    long freeOn2 = read.node(2).freeBytes();
    Moved moved = moveOnFakeKernel(2, 0, 12L << 20);
    DemotionOnlyNodes nodes = DemotionOnlyNodes.of(root, 4096, node2(512L << 20), run);

    assertThat(nodes.forPlan(read)).as("nothing moved yet").isSameAs(read);
    nodes.moved(moved.requests(), moved.report());
    assertThat(nodes.forPlan(read).node(2).freeBytes())
        .as("the same reading again: 12 MiB more free")
        .isEqualTo(freeOn2 + (12L << 20));
    assertThat(nodes.forPlan(read).node(0).freeBytes())
        .as("other nodes as read")
        .isEqualTo(read.node(0).freeBytes());
    Topology fellBy4 = withFreeOn2(read, freeOn2 + (4L << 20));
    assertThat(nodes.forPlan(fellBy4).node(2).freeBytes()).isEqualTo(freeOn2 + (12L << 20));
    Topology fellBy12 = withFreeOn2(read, freeOn2 + (12L << 20));
    assertThat(nodes.forPlan(fellBy12)).as("all shown").isSameAs(fellBy12);
    assertThat(nodes.forPlan(read)).as("counted no more once shown").isSameAs(read);
  }

  static Topology withFreeOn2(Topology topo, long freeBytes) {
    List<NodeInfo> nodes =
        topo.nodes().values().stream().map(n -> n.id() == 2 ? n.withFree(freeBytes) : n).toList();
    return new Topology(nodes, topo.tiers(), topo.tierSource());
  }
}
