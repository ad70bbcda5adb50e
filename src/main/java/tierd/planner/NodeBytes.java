package tierd.planner;

import java.util.Map;
import java.util.SortedMap;
import tierd.model.DataSize;
import tierd.model.PerNode;

/**
 * Bytes per NUMA node, immutable and compact (a {@link PerNode} of bytes), for placements of up to
 * millions of regions. Nodes with zero bytes are not stored.
 */
public final class NodeBytes {

  private static final NodeBytes EMPTY = new NodeBytes(PerNode.empty());

  private final PerNode bytes;

  private NodeBytes(PerNode bytes) {
    this.bytes = bytes;
  }

  /** All bytes on one node. */
  public static NodeBytes of(int node, long bytes) {
    return of(PerNode.of(node, bytes));
  }

  /** From a map of node id to bytes; zero entries are dropped. */
  public static NodeBytes of(Map<Integer, Long> bytesOnNode) {
    return of(PerNode.of(bytesOnNode));
  }

  /** From bytes per node. */
  public static NodeBytes of(PerNode bytes) {
    return bytes.size() == 0 ? EMPTY : new NodeBytes(bytes);
  }

  /** Number of nodes with bytes. */
  public int size() {
    return bytes.size();
  }

  /** The i-th node in ascending order. */
  public int node(int i) {
    return bytes.node(i);
  }

  /** Bytes on the i-th node in ascending order. */
  public long bytesAt(int i) {
    return bytes.count(i);
  }

  public long bytesOn(int node) {
    return bytes.countOn(node);
  }

  public long totalBytes() {
    return bytes.total();
  }

  public SortedMap<Integer, Long> toMap() {
    return bytes.toMap();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeBytes other && bytes.equals(other.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  /** E.g. {@code N0=1.5GiB N2=4KiB}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('N').append(bytes.node(i)).append('=').append(DataSize.human(bytes.count(i)));
    }
    return sb.toString();
  }
}
