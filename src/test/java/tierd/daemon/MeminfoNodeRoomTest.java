package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.planner.PlannerConfig;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.NodeMeminfo;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/** The mover's room check over a tree captured in the 2-node guest. */
class MeminfoNodeRoomTest {

  @Test
  void roomIsFreeMemoryNowAboveTheHighWatermarkPlusTheMargin(@TempDir Path dir) throws Exception {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-2node"), dir);
    KernelRoot root = KernelRoot.under(dir);
    Topology topo = new TopologyReader(root, 4096).read(List.of());
    MeminfoNodeRoom room =
        MeminfoNodeRoom.of(root, 4096, topo, PlannerConfig.builder().roomMargin(0.02).build());
    long high =
        topo.node(0).watermarks().orElseThrow().highBytes()
            + (long) (topo.node(0).totalBytes() * 0.02);

    long perCpuBytes = Zoneinfo.read(root).nodes().get(0).perCpuFreePages() * 4096;
    assertThat(perCpuBytes).as("the captured tree's per-CPU lists hold pages").isPositive();
    assertThat(room.bytesAvailable(0))
        .isEqualTo(NodeMeminfo.read(root, 0).freeBytes() + perCpuBytes - high);

    // read afresh on every call: the room a demotion makes is seen at once
    Path meminfo = dir.resolve("sys/devices/system/node/node0/meminfo");
    String text = Files.readString(meminfo);
    long freeKb = NodeMeminfo.read(root, 0).freeBytes() / 1024;
    Files.writeString(
        meminfo,
        text.replaceFirst(
            "MemFree: +" + freeKb + " kB", "MemFree:        " + (freeKb + 1024) + " kB"));
    assertThat(room.bytesAvailable(0)).isEqualTo((freeKb + 1024) * 1024 + perCpuBytes - high);

    // pages a migration freed into a CPU's list count at once, though MemFree leaves them out
    Path zoneinfo = dir.resolve("proc/zoneinfo");
    Files.writeString(
        zoneinfo, Files.readString(zoneinfo).replaceFirst("count: +\\d+", "count: 100000"));
    long perCpuAfter = Zoneinfo.read(root).nodes().get(0).perCpuFreePages() * 4096;
    assertThat(perCpuAfter).isGreaterThan(perCpuBytes);
    assertThat(room.bytesAvailable(0)).isEqualTo((freeKb + 1024) * 1024 + perCpuAfter - high);
  }

  @Test
  void aNodeWithoutWatermarksOrMeminfoIsNotLimited(@TempDir Path dir) throws Exception {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-2node"), dir);
    KernelRoot root = KernelRoot.under(dir);
    Topology topo = new TopologyReader(root, 4096).read(List.of());
    MeminfoNodeRoom room = MeminfoNodeRoom.of(root, 4096, topo, PlannerConfig.defaults());

    assertThat(room.bytesAvailable(7)).as("no such node").isEqualTo(Long.MAX_VALUE);
    Files.delete(dir.resolve("sys/devices/system/node/node1/meminfo"));
    assertThat(room.bytesAvailable(1)).as("meminfo gone (hot-unplug)").isEqualTo(Long.MAX_VALUE);
  }
}
