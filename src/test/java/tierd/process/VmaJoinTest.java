package tierd.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.kernelfs.Rejection;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;

/** What the join of maps and numa_maps keeps, and what it leaves out and why. */
class VmaJoinTest {

  static final String MAPS =
      "7f0000000000-7f0000200000 rw-p 00000000 00:00 0 \n"
          + "7f0000200000-7f0000201000 ---p 00000000 00:00 0 \n"
          + "7f0000201000-7f0000401000 rw-p 00000000 00:00 0 \n"
          + "7fff00000000-7fff00002000 r-xp 00000000 00:00 0                  [vdso]\n";

  static final String NUMA =
      "7f0000000000 default anon=512 dirty=512 N0=512 kernelpagesize_kB=4\n"
          + "7f0000200000 default\n"
          + "7f0000201000 bind:1 anon=256 dirty=256 N1=256 kernelpagesize_kB=4\n"
          + "7fff00000000 default\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("files that agree", MAPS, NUMA, 3, List.of()),
        Arguments.of(
            "numa_maps lists a VMA maps lacks",
            MAPS,
            NUMA + "7f0000500000 default anon=1 N0=1 kernelpagesize_kB=4\n",
            3,
            List.of(
                "numa_maps unmatched numa_maps lists a VMA at 7f0000500000 that maps does not")),
        Arguments.of(
            "maps lists a VMA numa_maps lacks",
            MAPS,
            NUMA.replace("7f0000201000 bind:1 anon=256 dirty=256 N1=256 kernelpagesize_kB=4\n", ""),
            2,
            List.of(
                "maps unmatched maps lists VMA 7f0000201000-7f0000401000 that numa_maps does not")),
        Arguments.of(
            "more pages than the VMA spans",
            MAPS,
            NUMA.replace("N0=512 kernelpagesize_kB=4", "N0=513 kernelpagesize_kB=4"),
            2,
            List.of(
                "numa_maps beyond_vma VMA 7f0000000000-7f0000200000 spans 2MiB but numa_maps counts"
                    + " 513 pages of 4KiB (2MiB) present in it")),
        Arguments.of(
            "huge pages that fill the VMA exactly",
            MAPS,
            NUMA.replace("N0=512 kernelpagesize_kB=4", "N0=1 kernelpagesize_kB=2048"),
            3,
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void joinKeepsWhatBothFilesAgreeOn(
      String name, String maps, String numa, int kept, List<String> rejected) {
    VmaJoin.Joined j = VmaJoin.join(ProcMaps.parse(maps), NumaMaps.parse(numa));
    assertThat(j.vmas()).hasSize(kept);
    assertThat(j.rejected())
        .extracting(r -> r.file() + " " + r.reason().label() + " " + r.detail())
        .hasSize(rejected.size())
        .zipSatisfy(rejected, (actual, expected) -> assertThat(actual).startsWith(expected));
  }

  /** VMAs with pages on a node that is not a memory node now are left out; the rest are kept. */
  @ParameterizedTest(name = "memory nodes {0}")
  @MethodSource("nodeCases")
  void onNodesLeavesOutPagesElsewhere(String nodes, int kept, List<Integer> outsideNodes) {
    List<Vma> vmas = VmaJoin.join(ProcMaps.parse(MAPS), NumaMaps.parse(NUMA)).vmas();
    VmaJoin.Joined j = VmaJoin.onNodes(vmas, NodeSet.parse(nodes));
    assertThat(j.vmas()).hasSize(kept);
    assertThat(j.rejected())
        .extracting(Rejection::detail)
        .zipSatisfy(
            outsideNodes,
            (detail, node) -> assertThat(detail).contains("has pages on node " + node + ","));
    if (outsideNodes.isEmpty()) {
      assertThat(j.vmas()).isSameAs(vmas);
    }
  }

  static Stream<Arguments> nodeCases() {
    return Stream.of(
        Arguments.of("0-1", 3, List.of()),
        Arguments.of("0", 2, List.of(1)),
        Arguments.of("1", 2, List.of(0)),
        Arguments.of("2", 1, List.of(0, 1)));
  }

  @Test
  void theLargestVmasByPresentBytesAreKeptInAddressOrder() {
    long mib = 1L << 20;
    Vma small = Fixtures.vma(0x1000_0000L, 8 * mib, MemPolicy.DEFAULT, Map.of(0, mib));
    Vma big = Fixtures.vma(0x2000_0000L, 8 * mib, MemPolicy.DEFAULT, Map.of(0, 6 * mib));
    Vma middle = Fixtures.vma(0x3000_0000L, 8 * mib, MemPolicy.DEFAULT, Map.of(1, 3 * mib));

    assertThat(VmaJoin.largest(List.of(big, small, middle), 2)).containsExactly(big, middle);
    assertThat(VmaJoin.largest(List.of(middle, small), 2)).containsExactly(small, middle);
  }
}
