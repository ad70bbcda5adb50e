package tierd.planner;

import java.util.Arrays;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tierd.model.DataSize;
import tierd.model.NodeSet;

/**
 * Bytes per NUMA node, immutable and compact (two sorted arrays), for placements of up to millions
 * of regions. Nodes with zero bytes are not stored.
 */
public final class NodeBytes {

  private static final NodeBytes EMPTY = new NodeBytes(new int[0], new long[0]);

  private final int[] nodes;
  private final long[] bytes;

  private NodeBytes(int[] nodes, long[] bytes) {
    this.nodes = nodes;
    this.bytes = bytes;
  }

  public static NodeBytes empty() {
    return EMPTY;
  }

  /** All bytes on one node. */
  public static NodeBytes of(int node, long bytes) {
    return of(Map.of(node, bytes));
  }

  /** From a map of node id to bytes; zero entries are dropped. */
  public static NodeBytes of(Map<Integer, Long> bytesOnNode) {
    SortedMap<Integer, Long> sorted = new TreeMap<>(bytesOnNode);
    int n = 0;
    int[] ns = new int[sorted.size()];
    long[] bs = new long[sorted.size()];
    for (var e : sorted.entrySet()) {
      NodeSet.checkNode(e.getKey());
      if (e.getValue() < 0) {
        throw new IllegalArgumentException("negative bytes on node " + e.getKey());
      }
      if (e.getValue() > 0) {
        ns[n] = e.getKey();
        bs[n] = e.getValue();
        n++;
      }
    }
    return n == 0 ? EMPTY : new NodeBytes(Arrays.copyOf(ns, n), Arrays.copyOf(bs, n));
  }

  /** Number of nodes with bytes. */
  public int size() {
    return nodes.length;
  }

  /** The i-th node in ascending order. */
  public int node(int i) {
    return nodes[i];
  }

  /** Bytes on the i-th node in ascending order. */
  public long bytesAt(int i) {
    return bytes[i];
  }

  public long bytesOn(int node) {
    int i = Arrays.binarySearch(nodes, node);
    return i >= 0 ? bytes[i] : 0;
  }

  public long totalBytes() {
    long s = 0;
    for (long b : bytes) {
      s += b;
    }
    return s;
  }

  public NodeSet nodeSet() {
    return NodeSet.of(nodes);
  }

  public SortedMap<Integer, Long> toMap() {
    SortedMap<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      m.put(nodes[i], bytes[i]);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeBytes other
        && Arrays.equals(nodes, other.nodes)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(bytes);
  }

  /** E.g. {@code N0=1.5GiB N2=4KiB}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < nodes.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('N').append(nodes[i]).append('=').append(DataSize.human(bytes[i]));
    }
    return sb.toString();
  }
}
