package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.NodeSet;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/** The reference box as a node table, and a node that is in no tier. */
class NodeTableTest {

  @Test
  void nodesAreDenseIndicesWithTheNoTierSlotAfterThem() {
    NodeTable box = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());
    assertThat(box.count()).isEqualTo(4);
    assertThat(box.noTierSlot).isEqualTo(4);
    assertThat(box.rowWidth).isEqualTo(5);
    assertThat(box.slotOf(2)).isEqualTo(2);
    assertThat(box.slotOf(9)).as("a node the topology does not list").isEqualTo(box.noTierSlot);
    assertThat(box.nodeId(3)).isEqualTo(3);
    assertThat(box.tierRank(3)).isEqualTo(2);
  }

  @Test
  void targetsComeFromTheTopologyNearestFirst() {
    NodeTable box = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());
    assertThat(box.promotionTargets(2)).containsExactly(0, 1); // node 0 is nearer node 2
    assertThat(box.promotionTargets(3)).containsExactly(0, 1, 2);
    assertThat(box.demotionTargets(0)).containsExactly(2, 3);
    assertThat(box.hasFasterTier(0)).isFalse();
    assertThat(box.hasSlowerTier(0)).isTrue();
    assertThat(box.hasSlowerTier(3)).isFalse();
    assertThat(box.ids(box.promotionTargets(3))).isEqualTo("0,1,2");
  }

  @Test
  void watermarksFallBackToOneAndTwoPercentAndTheFillLimitIsMaxFillOfTotal() {
    List<NodeInfo> nodes = new ArrayList<>(Fixtures.roomyBox().nodes().values());
    nodes.set(3, Fixtures.withoutWatermarks(nodes.get(3).withFree(2 * GiB)));
    Topology topology =
        Fixtures.topology(nodes, List.of(NodeSet.of(0, 1), NodeSet.of(2), NodeSet.of(3)));
    NodeTable table =
        new NodeTable(topology, PlannerConfig.builder().maxFill(Map.of(3, 0.5)).build());
    long total = 32 * GiB;
    assertThat(table.lowBytes(3)).isEqualTo((long) (total * 0.01));
    assertThat(table.highBytes(3)).isEqualTo((long) (total * 0.02));
    assertThat(table.lowBytes(0)).isEqualTo(8 * GiB / 100); // from the node's watermarks
    assertThat(table.fillLimitBytes(3)).isEqualTo(16 * GiB);
    assertThat(table.fillLimitBytes(0)).isEqualTo(8 * GiB);
    assertThat(table.usedAtStartBytes(3)).isEqualTo(30 * GiB);
    assertThat(table.overFillLimitAtStart(3)).isTrue();
    assertThat(table.overFillLimitAtStart(0)).isFalse();
    assertThat(table.freeAtStartBytes(3)).isEqualTo(2 * GiB);
    assertThat(table.totalBytes(3)).isEqualTo(total);
  }

  @Test
  void aNodeInNoTierHasNoTargetsAndComesFirstByRank() {
    List<NodeInfo> nodes = new ArrayList<>(Fixtures.roomyBox().nodes().values());
    nodes.add(Fixtures.node(5, false, 4 * GiB, 100 * MiB));
    Topology topology =
        Fixtures.topology(nodes, List.of(NodeSet.of(0, 1), NodeSet.of(2), NodeSet.of(3)));
    NodeTable table = new NodeTable(topology, PlannerConfig.defaults());
    int node5 = table.slotOf(5);
    assertThat(node5).isEqualTo(4);
    assertThat(table.tierRank(node5)).isEqualTo(-1);
    assertThat(table.promotionTargets(node5)).isEmpty();
    assertThat(table.demotionTargets(node5)).isEmpty();
    assertThat(table.fastestFirst()).containsExactly(node5, 0, 1, 2, 3);
    // demotion targets of node 0 never list a node in no tier
    assertThat(table.demotionTargets(0)).containsExactly(2, 3);
  }
}
