package tierd.daemon;

import java.util.Map;
import java.util.TreeMap;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.NodeMeminfo;

/**
 * What a demotion-only node holds, as its capacity is compared with: {@code MemTotal - MemFree} of
 * its meminfo, less the free pages on its zones' per-CPU lists ({@code count:} in /proc/zoneinfo).
 * Those are free but not in {@code MemFree}: in the VM the per-CPU lists of CPU-less node 2 took
 * the pages tierd moved off it (tens of MiB, the lists' limit grows with the zone since 6.7) and
 * drained them over minutes, so by meminfo alone the node stayed over its capacity after every
 * movable page had left. A zoneinfo that cannot be read counts no per-CPU pages.
 */
final class NodeHeld {

  private final KernelRoot root;
  private final long pageBytes;

  NodeHeld(KernelRoot root, long pageBytes) {
    this.root = root;
    this.pageBytes = pageBytes;
  }

  /** Free bytes on each node's per-CPU lists now, by node; empty when zoneinfo is unreadable. */
  Map<Integer, Long> perCpuFreeBytes() {
    Map<Integer, Long> out = new TreeMap<>();
    try {
      Zoneinfo.read(root)
          .nodes()
          .forEach((node, zones) -> out.put(node, zones.perCpuPages() * pageBytes));
    } catch (KernelFsException e) {
      // none counted: the node is taken to hold more, never less
    }
    return out;
  }

  /**
   * What {@code node} holds now (both files read afresh); throws when its meminfo cannot be read.
   */
  long heldBytes(int node) {
    NodeMeminfo meminfo = NodeMeminfo.read(root, node);
    return held(
        meminfo.totalBytes() - meminfo.freeBytes(), perCpuFreeBytes().getOrDefault(node, 0L));
  }

  /** Bytes a node holds from its meminfo's used bytes and its per-CPU free bytes. */
  static long held(long meminfoUsedBytes, long perCpuFreeBytes) {
    return Math.max(0, meminfoUsedBytes - perCpuFreeBytes);
  }
}
