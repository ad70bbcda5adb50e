package tierd.topology;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.CpuList;
import tierd.source.sys.NodeAccess;

/**
 * One memory node as tierd sees it at the start of a cycle. Sizes are bytes; {@code distances} is
 * the SLIT row keyed by node id; {@code hmat} holds the access1 (CPU initiators) attributes when
 * the firmware reported them, else access0.
 */
public record NodeInfo(
    int id,
    CpuList cpus,
    Map<Integer, Integer> distances,
    long totalBytes,
    long freeBytes,
    Optional<Watermarks> watermarks,
    Optional<NodeAccess> hmat) {

  /** Zone watermarks summed over the node's zones, in bytes. {@code promoBytes} is -1 if absent. */
  public record Watermarks(long minBytes, long lowBytes, long highBytes, long promoBytes) {}

  public NodeInfo {
    distances = Collections.unmodifiableMap(new TreeMap<>(distances));
  }

  public boolean cpuLess() {
    return cpus.isEmpty();
  }

  public long usedBytes() {
    return Math.max(0, totalBytes - freeBytes);
  }

  /** SLIT distance to {@code other}; {@code Integer.MAX_VALUE} when unknown. */
  public int distanceTo(int other) {
    return distances.getOrDefault(other, Integer.MAX_VALUE);
  }

  public NodeInfo withFree(long free) {
    return new NodeInfo(id, cpus, distances, totalBytes, free, watermarks, hmat);
  }
}
