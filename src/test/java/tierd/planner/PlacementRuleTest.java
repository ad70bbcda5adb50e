package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.PAGE;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.vma;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.Vma;

/**
 * The safety core, one named row per policy × cpuset case, on the reference box: DRAM nodes 0 and 1
 * (tier 0), CXL node 2 (tier 1, nearer node 0), compressed CXL node 3 (tier 2). A row expects the
 * allowed targets nearest first ({@code → 0,1}) or the reason and text of the hold.
 */
class PlacementRuleTest {

  static final long BASE = 0x7f0000000000L;
  static final String RANGE = "7f0000000000-7f0000800000";
  static final NodeTable BOX = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());

  record Row(
      String name,
      Direction direction,
      int sourceNode,
      String cpuset,
      Vma vma,
      PlannerConfig config,
      String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Vma privateVma(String policy) {
    return vma(BASE, 8 * MiB, policy(policy), on(2, 8 * MiB));
  }

  static MemPolicy policy(String text) {
    return text.equals("unknown")
        ? MemPolicy.of(MemPolicy.Mode.UNKNOWN, NodeSet.empty())
        : MemPolicy.parse(text);
  }

  static Row up(String name, int from, String cpuset, String policy, String expected) {
    return row(Direction.PROMOTE, name, from, cpuset, policy, expected);
  }

  static Row down(String name, int from, String cpuset, String policy, String expected) {
    return row(Direction.DEMOTE, name, from, cpuset, policy, expected);
  }

  private static Row row(
      Direction direction, String name, int from, String cpuset, String policy, String expected) {
    return new Row(
        name, direction, from, cpuset, privateVma(policy), PlannerConfig.defaults(), expected);
  }

  static Row with(Row row, PlannerConfig.Builder config) {
    return new Row(
        row.name, row.direction, row.sourceNode, row.cpuset, row.vma, config.build(), row.expected);
  }

  static Row onVma(Row row, Vma vma) {
    return new Row(
        row.name, row.direction, row.sourceNode, row.cpuset, vma, row.config, row.expected);
  }

  static Stream<Row> rows() {
    Vma hugetlb = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB), "rw-p", 1, true, 2 * MiB);
    Vma shared = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB), "rw-s", 1, false, PAGE);
    return Stream.of(
        up("default, every node: faster nodes nearest first", 2, "0-3", "default", "→ 0,1"),
        up("default, cpuset without node 0", 2, "1-3", "default", "→ 1"),
        up(
            "default, cpuset of slow nodes only",
            2,
            "2-3",
            "default",
            "CPUSET: cpuset.mems.effective ∩ Mems_allowed = 2-3 has no node faster than node 2"
                + " (faster: 0,1)"),
        up("local is free like default", 2, "0-3", "local", "→ 0,1"),
        up("compressed node 3: every faster tier, nearest first", 3, "0-3", "default", "→ 0,1,2"),
        up(
            "bind to slow nodes",
            2,
            "0-3",
            "bind:2-3",
            "POLICY: policy bind:2-3 allows no node faster than node 2 (faster in cpuset: 0,1)"),
        up("bind 1-2 limits promotion to node 1", 2, "0-3", "bind:1-2", "→ 1"),
        up(
            "bind 0,2 with cpuset 1-3: nothing faster in both",
            2,
            "1-3",
            "bind:0,2",
            "POLICY: policy bind:0,2 allows no node faster than node 2 (faster in cpuset: 1)"),
        up("prefer:1 respected", 2, "0-3", "prefer:1", "→ 1"),
        with(
            up("prefer:1 ignored", 2, "0-3", "prefer:1", "→ 0,1"),
            PlannerConfig.builder().preferred(PlannerConfig.PreferredPolicy.IGNORE)),
        up("prefer (many):0-1 from node 3", 3, "0-3", "prefer (many):0-1", "→ 0,1"),
        up(
            "interleave left alone",
            2,
            "0-3",
            "interleave:0-3",
            "INTERLEAVE: VMA "
                + RANGE
                + " has policy interleave:0-3; interleaved VMAs are left alone"
                + " (planner.moveInterleaved=false)"),
        up(
            "weighted interleave left alone",
            2,
            "0-3",
            "weighted interleave:0-1",
            "INTERLEAVE: VMA "
                + RANGE
                + " has policy weighted interleave:0-1; interleaved VMAs are left alone"
                + " (planner.moveInterleaved=false)"),
        with(
            up(
                "interleave moved within its nodes when configured",
                3,
                "0-3",
                "interleave:1-2",
                "→ 1,2"),
            PlannerConfig.builder().moveInterleaved(true)),
        up(
            "unknown policy left alone",
            2,
            "0-3",
            "unknown",
            "POLICY: VMA " + RANGE + " has an unknown policy (unknown); left alone"),
        onVma(
            up(
                "hugetlb left alone by default",
                2,
                "0-3",
                "default",
                "HUGETLB: hugetlb VMA "
                    + RANGE
                    + " (2MiB pages) is left alone (planner.hugetlb=SKIP)"),
            hugetlb),
        with(
            onVma(up("hugetlb moved when configured", 2, "0-3", "default", "→ 0,1"), hugetlb),
            PlannerConfig.builder().hugetlb(PlannerConfig.HugetlbMode.MOVE)),
        onVma(
            up(
                "shared left alone by default",
                2,
                "0-3",
                "default",
                "SHARED: shared VMA "
                    + RANGE
                    + " (mapmax 1, perms rw-s) needs MPOL_MF_MOVE_ALL (planner.moveShared=false)"),
            shared),
        with(
            onVma(up("shared moved when configured", 2, "0-3", "default", "→ 0,1"), shared),
            PlannerConfig.builder().moveShared(true)),
        down("default demotes to the next lower tier only", 0, "0-3", "default", "→ 2"),
        down("cpuset without the CXL node: the tier below it", 0, "0,1,3", "default", "→ 3"),
        down("bind 0,3 passes over the CXL tier", 0, "0-3", "bind:0,3", "→ 3"),
        down("prefer:0 leaves demotion free", 0, "0-3", "prefer:0", "→ 2"),
        down("prefer (many):0-1 leaves demotion free", 0, "0-3", "prefer (many):0-1", "→ 2"),
        down(
            "bind 0-1: no slower node",
            0,
            "0-3",
            "bind:0-1",
            "POLICY: policy bind:0-1 allows no node slower than node 0 (slower in cpuset: 2,3)"),
        down(
            "cpuset without slower nodes",
            0,
            "0-1",
            "default",
            "CPUSET: cpuset.mems.effective ∩ Mems_allowed = 0-1 has no node slower than node 0"
                + " (slower: 2,3)"),
        with(
            down(
                "interleave moved within its nodes when configured",
                0,
                "0-3",
                "interleave:0,3",
                "→ 3"),
            PlannerConfig.builder().moveInterleaved(true)),
        down(
            "interleave left alone, down too",
            0,
            "0-3",
            "interleave:0,3",
            "INTERLEAVE: VMA "
                + RANGE
                + " has policy interleave:0,3; interleaved VMAs are left alone"
                + " (planner.moveInterleaved=false)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decidesTheTargetsOrWhyNone(Row row) {
    PlacementRule.Verdict verdict =
        PlacementRule.decide(
            row.direction,
            row.sourceNode, // the box's node indices are its node ids
            BOX,
            NodeSet.parse(row.cpuset),
            row.vma,
            row.config);
    assertThat(render(verdict)).isEqualTo(row.expected);
  }

  @Test
  void aVmaHeldBackIsHeldBackForEverySourceAndDirection() {
    Vma interleaved = privateVma("interleave:0-3");
    PlacementRule.VmaRule rule =
        PlacementRule.forVma(NodeSet.parse("0-3"), interleaved, PlannerConfig.defaults());
    assertThat(rule).isInstanceOf(PlacementRule.HeldBack.class);
    for (Direction direction : Direction.values()) {
      for (int source = 0; source < BOX.count(); source++) {
        assertThat(
                PlacementRule.decide(
                    direction,
                    source,
                    BOX,
                    NodeSet.parse("0-3"),
                    interleaved,
                    PlannerConfig.defaults()))
            .isInstanceOfSatisfying(
                PlacementRule.HeldBack.class,
                held -> {
                  assertThat(held.reason()).isEqualTo(SkipReason.INTERLEAVE);
                  assertThat(held.text()).isEqualTo(((PlacementRule.HeldBack) rule).text());
                });
      }
    }
  }

  @Test
  void aMovableVmaCarriesTheNodesEachWayAllows() {
    PlacementRule.VmaRule rule =
        PlacementRule.forVma(
            NodeSet.parse("1-3"), privateVma("prefer (many):0-1"), PlannerConfig.defaults());
    assertThat(rule).isEqualTo(new PlacementRule.Movable(NodeSet.parse("1"), NodeSet.parse("1-3")));
  }

  private static String render(PlacementRule.Verdict verdict) {
    if (verdict instanceof PlacementRule.HeldBack held) {
      return held.reason() + ": " + held.text();
    }
    int[] targets = ((PlacementRule.Allowed) verdict).targets();
    return "→ "
        + Arrays.stream(targets)
            .map(BOX::nodeId)
            .mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
  }
}
