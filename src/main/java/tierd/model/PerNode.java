package tierd.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A count per NUMA node (pages or bytes), immutable and compact: two arrays sorted by node, zero
 * counts not stored. Tens of thousands of VMAs each hold one for the daemon's life, and every cycle
 * walks them: as a {@code TreeMap} behind an unmodifiable view one took about 200 bytes for one or
 * two nodes (half of all a VMA kept), and each walk allocated its iterators (C1 has no escape
 * analysis). Walk it by index: {@code for (int i = 0; i < c.size(); i++) c.node(i), c.count(i)}.
 */
public final class PerNode {

  private static final PerNode EMPTY = new PerNode(new int[0], new long[0]);

  private final int[] nodes;
  private final long[] counts;

  private PerNode(int[] nodes, long[] counts) {
    this.nodes = nodes;
    this.counts = counts;
  }

  public static PerNode empty() {
    return EMPTY;
  }

  /** One node's count (none when zero). */
  public static PerNode of(int node, long count) {
    NodeSet.checkNode(node);
    checkCount(node, count);
    return count == 0 ? EMPTY : new PerNode(new int[] {node}, new long[] {count});
  }

  /**
   * From node id to count; zero counts are dropped, a negative one or a bad node id is an error.
   */
  public static PerNode of(Map<Integer, Long> countOnNode) {
    if (countOnNode.isEmpty()) {
      return EMPTY;
    }
    SortedMap<Integer, Long> sorted =
        countOnNode instanceof SortedMap<Integer, Long> s && s.comparator() == null
            ? s
            : new TreeMap<>(countOnNode);
    int[] ns = new int[sorted.size()];
    long[] cs = new long[sorted.size()];
    int n = 0;
    for (var e : sorted.entrySet()) {
      NodeSet.checkNode(e.getKey());
      checkCount(e.getKey(), e.getValue());
      if (e.getValue() > 0) {
        ns[n] = e.getKey();
        cs[n] = e.getValue();
        n++;
      }
    }
    return n == 0 ? EMPTY : new PerNode(Arrays.copyOf(ns, n), Arrays.copyOf(cs, n));
  }

  private static void checkCount(int node, long count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative count " + count + " on node " + node);
    }
  }

  /** Number of nodes with a count. */
  public int size() {
    return nodes.length;
  }

  /** The i-th node in ascending order. */
  public int node(int i) {
    return nodes[i];
  }

  /** The count on the i-th node in ascending order. */
  public long count(int i) {
    return counts[i];
  }

  public long countOn(int node) {
    int i = Arrays.binarySearch(nodes, node);
    return i >= 0 ? counts[i] : 0;
  }

  public long total() {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  /**
   * Each count times {@code share} (rounded to a whole count) times {@code unit}: e.g. the bytes
   * per node of a quarter of a VMA from its pages per node ({@code share} 0.25, {@code unit} its
   * page size). Counts that round to zero are dropped.
   */
  public PerNode scaled(double share, long unit) {
    int[] ns = new int[nodes.length];
    long[] cs = new long[nodes.length];
    int n = 0;
    for (int i = 0; i < nodes.length; i++) {
      long c = scaledCount(counts[i], share, unit);
      checkCount(nodes[i], c);
      if (c > 0) {
        ns[n] = nodes[i];
        cs[n] = c;
        n++;
      }
    }
    if (n == 0) {
      return EMPTY;
    }
    return n == nodes.length
        ? new PerNode(ns, cs)
        : new PerNode(Arrays.copyOf(ns, n), Arrays.copyOf(cs, n));
  }

  /**
   * One count as {@link #scaled} scales it: {@code count × share}, rounded half up (counts and
   * shares are never negative), times {@code unit}.
   */
  public static long scaledCount(long count, double share, long unit) {
    return (long) (count * share + 0.5) * unit;
  }

  public NodeSet nodeSet() {
    return NodeSet.of(nodes);
  }

  /** A new unmodifiable map of node to count, ascending. */
  public SortedMap<Integer, Long> toMap() {
    SortedMap<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < nodes.length; i++) {
      m.put(nodes[i], counts[i]);
    }
    return Collections.unmodifiableSortedMap(m);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PerNode other
        && Arrays.equals(nodes, other.nodes)
        && Arrays.equals(counts, other.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(nodes) + Arrays.hashCode(counts);
  }

  /** E.g. {@code N0=60 N1=40}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < nodes.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append('N').append(nodes[i]).append('=').append(counts[i]);
    }
    return sb.toString();
  }
}
