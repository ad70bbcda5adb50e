package tierd.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tierd.Fixtures;
import tierd.model.CpuList;
import tierd.model.NodeSet;
import tierd.source.sys.NodeAccess;

/** Topology from real trees: this host, and the 2- and 3-node qemu guests (HMAT on and off). */
class TopologyReaderTest {

  private static Topology read(String fixture) {
    return new TopologyReader(Fixtures.root(fixture), 4096).read(List.of());
  }

  static Stream<Arguments> fixtures() {
    return Stream.of(
        // name, nodes, tiers (fast to slow), source, demotion targets, promotion targets
        Arguments.of(
            "host-1node",
            "0",
            List.of("0"),
            TierSource.SINGLE,
            Map.of(0, List.of()),
            Map.of(0, List.of())),
        Arguments.of(
            "vm-2node",
            "0-1",
            List.of("0", "1"),
            TierSource.KERNEL,
            Map.of(0, List.of(1), 1, List.of()),
            Map.of(0, List.of(), 1, List.of(0))),
        Arguments.of(
            "vm-2node-flat",
            "0-1",
            List.of("0", "1"),
            TierSource.CLASSIFIED,
            Map.of(0, List.of(1), 1, List.of()),
            Map.of(0, List.of(), 1, List.of(0))),
        Arguments.of(
            "vm-3node",
            "0-2",
            List.of("0-1", "2"),
            TierSource.KERNEL,
            Map.of(0, List.of(2), 1, List.of(2), 2, List.of()),
            Map.of(0, List.of(), 1, List.of(), 2, List.of(1, 0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void tiersAndTargets(
      String fixture,
      String nodes,
      List<String> tiers,
      TierSource source,
      Map<Integer, List<Integer>> demote,
      Map<Integer, List<Integer>> promote) {
    Topology t = read(fixture);
    assertThat(t.nodeIds()).isEqualTo(NodeSet.parse(nodes));
    assertThat(t.tiers().stream().map(x -> x.nodes().toString())).containsExactlyElementsOf(tiers);
    assertThat(t.tierSource()).isEqualTo(source);
    demote.forEach(
        (n, want) -> assertThat(t.demotionTargets(n)).as("demote %d", n).isEqualTo(want));
    promote.forEach(
        (n, want) -> assertThat(t.promotionTargets(n)).as("promote %d", n).isEqualTo(want));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"host-1node", "vm-2node", "vm-2node-flat", "vm-3node"})
  void targetsNeverPairTwoNodesOfTheSameTier(String fixture) {
    Topology t = read(fixture);
    for (int n : t.nodeIds().toArray()) {
      for (int d : t.demotionTargets(n)) {
        assertThat(t.rankOf(d)).as("demotion %d -> %d", n, d).isGreaterThan(t.rankOf(n));
      }
      for (int p : t.promotionTargets(n)) {
        assertThat(t.rankOf(p)).as("promotion %d -> %d", n, p).isLessThan(t.rankOf(n));
      }
    }
  }

  @Test
  void threeNodeGuestHasHmatAndDistances() {
    Topology t = read("vm-3node");
    NodeInfo slow = t.node(2);
    assertThat(slow.cpuLess()).isTrue();
    assertThat(slow.hmat().get().readLatencyNs()).hasValue(300);
    assertThat(t.node(0).distanceTo(1)).isEqualTo(21);
    assertThat(t.node(0).distanceTo(2)).isEqualTo(28);
    assertThat(slow.totalBytes()).isGreaterThan(slow.freeBytes()).isPositive();
    assertThat(t.tiers().get(1).label()).isEqualTo("memory_tier54");
  }

  @Test
  void configOverrideWins() {
    Topology t =
        new TopologyReader(Fixtures.root("vm-3node"), 4096)
            .read(List.of(NodeSet.of(0), NodeSet.of(1), NodeSet.of(2)));
    assertThat(t.tierSource()).isEqualTo(TierSource.CONFIG);
    assertThat(t.tiers()).hasSize(3);
    assertThat(t.demotionTargets(0)).containsExactly(1, 2);
    assertThat(t.promotionTargets(2)).containsExactly(1, 0);
  }

  @Test
  void overrideMustCoverEveryMemoryNodeOnce() {
    TopologyReader r = new TopologyReader(Fixtures.root("vm-3node"), 4096);
    assertThatThrownBy(() -> r.read(List.of(NodeSet.of(0, 1))))
        .hasMessageContaining("memory node(s) 2 are in no tier");
    assertThatThrownBy(() -> r.read(List.of(NodeSet.of(0, 1), NodeSet.of(1, 2))))
        .hasMessageContaining("node(s) 1 in two tiers");
    assertThatThrownBy(() -> r.read(List.of(NodeSet.of(0, 1, 2), NodeSet.of(5))))
        .hasMessageContaining("5 are not online memory nodes");
  }

  private static NodeInfo node(int id, String cpus, Map<Integer, Integer> dist, Long latency) {
    Optional<NodeAccess> hmat =
        latency == null
            ? Optional.empty()
            : Optional.of(
                new NodeAccess(
                    1,
                    OptionalLong.of(latency),
                    OptionalLong.empty(),
                    OptionalLong.empty(),
                    OptionalLong.empty()));
    return new NodeInfo(id, CpuList.parse(cpus), dist, 1L << 30, 1L << 29, Optional.empty(), hmat);
  }

  static Stream<Arguments> classifier() {
    return Stream.of(
        Arguments.of(
            "all nodes have CPUs: one tier (remote sockets are not tiers)",
            List.of(
                node(0, "0", Map.of(0, 10, 1, 21), null), node(1, "1", Map.of(0, 21, 1, 10), null)),
            List.of("0-1")),
        Arguments.of(
            "CPU-less far node by SLIT",
            List.of(
                node(0, "0-1", Map.of(0, 10, 1, 28), null),
                node(1, "", Map.of(0, 28, 1, 10), null)),
            List.of("0", "1")),
        Arguments.of(
            "CPU-less node as near as DRAM stays on top",
            List.of(
                node(0, "0-1", Map.of(0, 10, 1, 11), null),
                node(1, "", Map.of(0, 11, 1, 10), null)),
            List.of("0-1")),
        Arguments.of(
            "HMAT latency splits two CXL classes",
            List.of(
                node(0, "0-1", Map.of(0, 10, 1, 20, 2, 20), 100L),
                node(1, "", Map.of(0, 20, 1, 10, 2, 20), 250L),
                node(2, "", Map.of(0, 20, 1, 20, 2, 10), 600L)),
            List.of("0", "1", "2")),
        Arguments.of(
            "HMAT latency groups similar CXL nodes",
            List.of(
                node(0, "0", Map.of(0, 10, 1, 21, 2, 30, 3, 30), 100L),
                node(1, "1", Map.of(0, 21, 1, 10, 2, 30, 3, 30), 110L),
                node(2, "", Map.of(0, 30, 1, 30, 2, 10, 3, 20), 300L),
                node(3, "", Map.of(0, 30, 1, 30, 2, 20, 3, 10), 320L)),
            List.of("0-1", "2-3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifier")
  void classifierWhenTheKernelHasOneTier(String name, List<NodeInfo> nodes, List<String> tiers) {
    assertThat(TopologyReader.classify(nodes).stream().map(NodeSet::toString))
        .containsExactlyElementsOf(tiers);
  }

  /**
   * Memory hotplug as the daemon reads it (issue 14, point 2): a node whose files vanish between
   * the masks and its own files is left out of that read (strict read: an error), and an override
   * is fitted to the memory nodes there are, each thing said to the caller.
   */
  static Stream<Arguments> adapting() {
    return Stream.of(
        // name, file to delete, override, tiers, left out
        Arguments.of(
            "node 2 meminfo gone",
            "node2/meminfo",
            List.of(),
            List.of("0-1"),
            List.of("meminfo absent: memory node 2 left out of this cycle's topology")),
        Arguments.of(
            "node 1 distance gone",
            "node1/distance",
            List.of(),
            List.of("0", "2"),
            List.of("distance absent: memory node 1 left out of this cycle's topology")),
        Arguments.of(
            "override naming a node that is gone",
            "node2/meminfo",
            List.of("0-1", "2"),
            List.of("0-1"),
            List.of(
                "meminfo absent: memory node 2 left out of this cycle's topology",
                "other absent: tiers: node(s) 2 are not memory nodes now")),
        Arguments.of(
            "override missing a memory node",
            null,
            List.of("0", "2"),
            List.of("0", "2"),
            List.of("other unknown_node: tiers: memory node(s) 1 are in no tier")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adapting")
  void adaptingReadLeavesOutWhatIsGone(
      String name,
      String delete,
      List<String> override,
      List<String> tiers,
      List<String> leftOut,
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
      throws java.io.IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), tmp);
    if (delete != null) {
      java.nio.file.Files.delete(tmp.resolve("sys/devices/system/node/" + delete));
    }
    List<NodeSet> groups = override.stream().map(NodeSet::parse).toList();
    TopologyReader reader = new TopologyReader(tierd.kernelfs.KernelRoot.under(tmp), 4096);
    List<tierd.kernelfs.Rejection> said = new java.util.ArrayList<>();
    Topology t = reader.readAdapting(groups, said::add);
    assertThat(t.tiers())
        .extracting(tier -> tier.nodes().toString())
        .containsExactlyElementsOf(tiers);
    assertThat(said)
        .extracting(r -> r.file() + " " + r.reason().label() + ": " + r.detail())
        .zipSatisfy(
            leftOut,
            (actual, expected) -> {
              String[] parts = expected.split(": ", 2);
              assertThat(actual).startsWith(parts[0]).contains(parts[1]);
            });
    assertThat(said).hasSameSizeAs(leftOut);
    if (delete != null || !override.isEmpty()) {
      assertThatThrownBy(() -> reader.read(groups)).isInstanceOf(RuntimeException.class);
    }
  }
}
