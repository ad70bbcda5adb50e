package tierd.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.model.AddressRange;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.source.proc.NumaMaps;
import tierd.topology.NodeInfo;
import tierd.topology.TierSource;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * What-if tiers over this machine's captured tree (one node, 5.1 GiB, 1.4 GiB used): the simulated
 * topology's sizes, fill and watermarks, and how a process's pages, cpuset and policies carry over.
 */
class SimulatedTiersTest {

  private static final long PAGE = 4096;

  private static Topology host() {
    return new TopologyReader(Fixtures.root("host-1node"), PAGE).read(List.of());
  }

  private static Topology vm2node() {
    return new TopologyReader(Fixtures.root("vm-2node"), PAGE).read(List.of());
  }

  static Stream<Arguments> fastSizes() {
    return Stream.of(
        Arguments.of("a fast tier smaller than the used memory", DataSize.ofGiB(1).bytes()),
        Arguments.of("half of the memory", host().tierTotalBytes(0) / 2),
        Arguments.of("all but one page", host().tierTotalBytes(0) - PAGE),
        Arguments.of("one page", PAGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fastSizes")
  void theSimulatedNodesShareOutTheRealOne(String name, long fastBytes) {
    Topology real = host();
    NodeInfo node0 = real.node(0);
    SimulatedTiers sim = SimulatedTiers.of(real, fastBytes);
    Topology t = sim.topology();
    assertThat(t.tierSource()).isEqualTo(TierSource.SIMULATED);
    assertThat(t.tiers()).hasSize(2);
    assertThat(t.topTier()).isEqualTo(NodeSet.of(0));
    assertThat(t.tiers().get(1).nodes()).isEqualTo(NodeSet.of(1));
    assertThat(sim.slowNodeOf(0)).isEqualTo(1);
    NodeInfo fast = t.node(0);
    NodeInfo slow = t.node(1);
    assertThat(fast.totalBytes()).isEqualTo(fastBytes);
    assertThat(fast.totalBytes() + slow.totalBytes()).isEqualTo(node0.totalBytes());
    assertThat(fast.usedBytes() + slow.usedBytes()).isEqualTo(node0.usedBytes());
    assertThat(fast.cpus()).isEqualTo(node0.cpus());
    assertThat(slow.cpuLess()).isTrue();
    assertThat(slow.hmat()).isEmpty();
    assertThat(t.demotionTargets(0)).containsExactly(1);
    assertThat(t.promotionTargets(1)).containsExactly(0);
    assertThat(slow.distanceTo(0)).isEqualTo(node0.distanceTo(0) + SimulatedTiers.SLOW_DISTANCE);
    // fill first: the fast part holds the used memory up to its low watermark
    long low = fast.watermarks().orElseThrow().lowBytes();
    assertThat(fast.usedBytes())
        .isEqualTo(Math.min(node0.usedBytes(), Math.max(0, fastBytes - low)));
    // watermarks scale with the part's share of the node
    long realHigh = node0.watermarks().orElseThrow().highBytes();
    assertThat(fast.watermarks().orElseThrow().highBytes() + slow.watermarks().get().highBytes())
        .isBetween(realHigh - 1, realHigh);
    assertThat(sim.fastShareOfUsed(0)).isEqualTo((double) fast.usedBytes() / node0.usedBytes());
  }

  private static Vma vma(long start, long pages, MemPolicy policy) {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    perNode.put(0, pages);
    return new Vma(
        new AddressRange(start, start + pages * PAGE),
        "rw-p",
        "",
        policy,
        NumaMaps.Backing.ANON,
        false,
        PAGE,
        pages,
        1,
        perNode);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fastSizes")
  void aProcessKeepsItsPagesPoliciesAndGainsTheSlowNodeInItsCpuset(String name, long fastBytes) {
    SimulatedTiers sim = SimulatedTiers.of(host(), fastBytes);
    MemPolicy bind = MemPolicy.parse("bind:0");
    ManagedProcess p =
        new ManagedProcess(
            4242,
            99,
            "app",
            1 << 30,
            "/app",
            NodeSet.of(0),
            Optional.of(NodeSet.of(0)),
            NodeSet.of(0),
            List.of(vma(0x10000000L, 1000, MemPolicy.DEFAULT), vma(0x20000000L, 333, bind)));
    ManagedProcess s = sim.process(p);
    assertThat(s.allowedNodes()).isEqualTo(NodeSet.of(0, 1));
    assertThat(s.memsAllowed()).isEqualTo(NodeSet.of(0, 1));
    assertThat(s.cpusetMems()).contains(NodeSet.of(0, 1));
    assertThat(s.vmas().get(1).policy()).isEqualTo(bind);
    double share = sim.fastShareOfUsed(0);
    for (int i = 0; i < p.vmas().size(); i++) {
      Vma before = p.vmas().get(i);
      Vma after = s.vmas().get(i);
      assertThat(after.range()).isEqualTo(before.range());
      assertThat(after.presentPages()).isEqualTo(before.presentPages());
      long fast = (long) Math.floor(before.presentPages() * share);
      assertThat(after.pages().countOn(0)).isEqualTo(fast);
      assertThat(after.pages().countOn(1)).isEqualTo(before.presentPages() - fast);
    }
  }

  static Stream<Arguments> refusals() {
    long total = host().tierTotalBytes(0);
    return Stream.of(
        Arguments.of("the whole memory", host(), total, "is not between 0 and the host's memory"),
        Arguments.of("more than the memory", host(), 2 * total, "is not between 0"),
        Arguments.of("zero", host(), 0L, "is not between 0"),
        Arguments.of(
            "a host with tiers of its own",
            vm2node(),
            DataSize.ofMiB(256).bytes(),
            "already has 2 memory tiers"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void impossibleWhatIfsAreRefusedWithTheReason(
      String name, Topology real, long fastBytes, String message) {
    assertThatThrownBy(() -> SimulatedTiers.of(real, fastBytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("options")
  void theCommandLineOptionIsFastEqualsSize(String text, Long bytes, String error) {
    if (bytes != null) {
      assertThat(WhatIfConfig.parseOption(text).fast()).contains(DataSize.ofBytes(bytes));
    } else {
      assertThatThrownBy(() -> WhatIfConfig.parseOption(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(error);
    }
  }

  static Stream<Arguments> options() {
    return Stream.of(
        Arguments.of("fast=8GiB", 8L << 30, null),
        Arguments.of(" fast=512MiB ", 512L << 20, null),
        Arguments.of("slow=8GiB", null, "--what-if: 'slow=8GiB' is not fast=SIZE"),
        Arguments.of("fast=8", null, "--what-if:"),
        Arguments.of("fast=1KiB", null, "below one page"));
  }
}
