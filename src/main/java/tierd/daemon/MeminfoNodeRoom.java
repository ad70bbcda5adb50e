package tierd.daemon;

import java.util.HashMap;
import java.util.Map;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.mover.NodeRoom;
import tierd.planner.PlannerConfig;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.NodeMeminfo;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * The room the mover asks for before each chunk: a node's free memory now ({@code MemFree} of
 * {@code /sys/devices/system/node/nodeN/meminfo} plus the free pages in its per-CPU lists from
 * {@code /proc/zoneinfo}, both read afresh each time, so that the room a demotion just made is seen
 * at once: migration frees the pages it moves into the migrating CPU's list, which {@code MemFree}
 * leaves out) less its floor, the planner's line ({@link PlannerConfig#floorBytes}: the high
 * watermark from {@code /proc/zoneinfo} plus {@code planner.roomMargin}). A node without known
 * watermarks, or whose meminfo cannot be read, is not limited here (the planner's own checks still
 * hold).
 */
final class MeminfoNodeRoom implements NodeRoom {

  private final KernelRoot root;
  private final long pageBytes;
  private final Map<Integer, Long> floorBytesByNode;

  private MeminfoNodeRoom(KernelRoot root, long pageBytes, Map<Integer, Long> floorBytesByNode) {
    this.root = root;
    this.pageBytes = pageBytes;
    this.floorBytesByNode = floorBytesByNode;
  }

  static MeminfoNodeRoom of(
      KernelRoot root, long pageBytes, Topology topology, PlannerConfig planner) {
    Map<Integer, Long> floors = new HashMap<>();
    for (NodeInfo node : topology.nodes().values()) {
      node.watermarks()
          .ifPresent(
              w -> floors.put(node.id(), planner.floorBytes(w.highBytes(), node.totalBytes())));
    }
    return new MeminfoNodeRoom(root, pageBytes, floors);
  }

  @Override
  public long bytesAvailable(int node) {
    Long floorBytes = floorBytesByNode.get(node);
    if (floorBytes == null) {
      return Long.MAX_VALUE;
    }
    try {
      return NodeMeminfo.read(root, node).freeBytes() + perCpuFreeBytes(node) - floorBytes;
    } catch (KernelFsException | IllegalStateException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Free pages in the node's per-CPU lists; 0 where zoneinfo is missing or unreadable. */
  private long perCpuFreeBytes(int node) {
    try {
      var zones = Zoneinfo.read(root).nodes().get(node);
      return zones == null ? 0 : zones.perCpuFreePages() * pageBytes;
    } catch (KernelFsException e) {
      return 0;
    }
  }
}
