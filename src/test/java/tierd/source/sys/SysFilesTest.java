package tierd.source.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;
import tierd.model.NodeSet;

class SysFilesTest {

  @Test
  void hostNodeMasks() {
    NodeMasks m = NodeMasks.read(Fixtures.root("host-1node"));
    assertThat(m.online()).isEqualTo(NodeSet.of(0));
    assertThat(m.hasMemory()).isEqualTo(NodeSet.of(0));
    assertThat(m.cpuLess()).isEqualTo(NodeSet.empty());
  }

  @Test
  void distanceRow() {
    assertThat(NodeDistance.parse("10 21 28\n")).containsExactly(10, 21, 28);
    assertThatThrownBy(() -> NodeDistance.parse("10 x"))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("'x'");
    assertThatThrownBy(() -> NodeDistance.parse("10 9")).hasMessageContaining("outside [10,255]");
  }

  @Test
  void nodeMeminfo() {
    NodeMeminfo m =
        NodeMeminfo.parse(
            "Node 1 MemTotal:        1048576 kB\nNode 1 MemFree:          900000 kB\n"
                + "Node 1 HugePages_Total:     0\n");
    assertThat(m.node()).isEqualTo(1);
    assertThat(m.totalBytes()).isEqualTo(1048576L * 1024);
    assertThat(m.freeBytes()).isEqualTo(900000L * 1024);
    assertThat(m.get("HugePages_Total")).isZero();
    assertThatThrownBy(() -> NodeMeminfo.parse("Node 1 MemTotal: 12 MB\nNode 1 MemFree: 1 kB\n"))
        .hasMessageContaining(":1:")
        .hasMessageContaining("'MB'");
  }

  @Test
  void memoryTiersOfHost() {
    var tiers = MemoryTiers.read(Fixtures.root("host-1node"));
    assertThat(tiers).containsExactly(new MemoryTiers.KernelTier(4, NodeSet.of(0)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"true,true", "false,false", "1,true", "0,false", "Y,true", "N,false"})
  void demotionEnabledSpellings(String text, boolean value) {
    assertThat(TieringKnobs.parseBool(text + "\n")).isEqualTo(value);
  }

  @Test
  void numaBalancingBits() {
    assertThat(
            new TieringKnobs(java.util.Optional.empty(), java.util.Optional.of(2))
                .kernelTieringOn())
        .isTrue();
    assertThat(
            new TieringKnobs(java.util.Optional.empty(), java.util.Optional.of(1))
                .kernelTieringOn())
        .isFalse();
    assertThatThrownBy(() -> TieringKnobs.parseNumaBalancing("7")).hasMessageContaining("0-3");
  }
}
