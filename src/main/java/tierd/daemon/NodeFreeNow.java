package tierd.daemon;

import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.NodeMeminfo;

/**
 * A node's free memory now, read afresh each time for the mover's checks before each chunk: {@code
 * MemFree} of {@code /sys/devices/system/node/nodeN/meminfo} plus the free pages in its per-CPU
 * lists from {@code /proc/zoneinfo} ({@link Zoneinfo.NodeWatermarks#perCpuFreePages}), which {@code
 * MemFree} leaves out although migration frees the pages it moves off a node into them. A zoneinfo
 * that cannot be read counts no per-CPU pages (less free, never more).
 */
final class NodeFreeNow {

  private final KernelRoot root;
  private final long pageBytes;

  NodeFreeNow(KernelRoot root, long pageBytes) {
    this.root = root;
    this.pageBytes = pageBytes;
  }

  /**
   * Free bytes of {@code node} now; throws KernelFsException or IllegalStateException when its
   * meminfo cannot be read.
   */
  long freeBytes(int node) {
    return NodeMeminfo.read(root, node).freeBytes() + perCpuFreeBytes(node);
  }

  /** What {@code node} holds now: its total less {@link #freeBytes}; throws as that does. */
  long heldBytes(int node) {
    NodeMeminfo meminfo = NodeMeminfo.read(root, node);
    return Math.max(0, meminfo.totalBytes() - meminfo.freeBytes() - perCpuFreeBytes(node));
  }

  private long perCpuFreeBytes(int node) {
    try {
      Zoneinfo.NodeWatermarks zones = Zoneinfo.read(root).nodes().get(node);
      return zones == null ? 0 : zones.perCpuFreePages() * pageBytes;
    } catch (KernelFsException e) {
      return 0;
    }
  }
}
