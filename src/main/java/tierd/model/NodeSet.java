package tierd.model;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.stream.IntStream;

/**
 * An immutable set of NUMA node ids, printed and parsed in the kernel's list format ({@code
 * 0-3,8}). Node ids are in {@code [0, MAX_NUMNODES)}; anything outside is rejected on entry, so a
 * NodeSet can always become a C nodemask.
 */
public final class NodeSet {

  /** CONFIG_NODES_SHIFT=10 on x86_64 and arm64 distro kernels. */
  public static final int MAX_NUMNODES = 1024;

  private static final NodeSet EMPTY = new NodeSet(new BitSet());

  private final BitSet bits;

  private NodeSet(BitSet bits) {
    this.bits = bits;
  }

  public static NodeSet empty() {
    return EMPTY;
  }

  public static NodeSet of(int... nodes) {
    BitSet b = new BitSet();
    for (int n : nodes) {
      b.set(checkNode(n));
    }
    return new NodeSet(b);
  }

  public static NodeSet of(Collection<Integer> nodes) {
    BitSet b = new BitSet();
    for (int n : nodes) {
      b.set(checkNode(n));
    }
    return new NodeSet(b);
  }

  /** All nodes in {@code [0, count)}. */
  public static NodeSet range(int fromInclusive, int toExclusive) {
    checkNode(fromInclusive);
    if (toExclusive > MAX_NUMNODES || toExclusive < fromInclusive) {
      throw new IllegalArgumentException("bad node range " + fromInclusive + ".." + toExclusive);
    }
    BitSet b = new BitSet();
    b.set(fromInclusive, toExclusive);
    return new NodeSet(b);
  }

  /** Parses the kernel list format ({@code 0-1,3}); the empty string is the empty set. */
  public static NodeSet parse(String text) {
    return new NodeSet(ListFormat.parseList(text, MAX_NUMNODES - 1, "nodelist"));
  }

  /** Parses the kernel mask format of {@code Mems_allowed} ({@code 00000000,00000003}). */
  public static NodeSet parseMask(String text) {
    return new NodeSet(ListFormat.parseMask(text, MAX_NUMNODES - 1, "nodemask"));
  }

  public static int checkNode(int node) {
    if (node < 0 || node >= MAX_NUMNODES) {
      throw new IllegalArgumentException("node id " + node + " outside [0," + MAX_NUMNODES + ")");
    }
    return node;
  }

  public boolean contains(int node) {
    return node >= 0 && bits.get(node);
  }

  public boolean isEmpty() {
    return bits.isEmpty();
  }

  public int size() {
    return bits.cardinality();
  }

  /** Lowest node, or -1 when empty. */
  public int first() {
    return bits.nextSetBit(0);
  }

  /** Highest node, or -1 when empty. */
  public int last() {
    return bits.length() - 1;
  }

  public NodeSet intersect(NodeSet other) {
    BitSet b = (BitSet) bits.clone();
    b.and(other.bits);
    return new NodeSet(b);
  }

  public NodeSet union(NodeSet other) {
    BitSet b = (BitSet) bits.clone();
    b.or(other.bits);
    return new NodeSet(b);
  }

  public NodeSet minus(NodeSet other) {
    BitSet b = (BitSet) bits.clone();
    b.andNot(other.bits);
    return new NodeSet(b);
  }

  public NodeSet with(int node) {
    BitSet b = (BitSet) bits.clone();
    b.set(checkNode(node));
    return new NodeSet(b);
  }

  public boolean containsAll(NodeSet other) {
    BitSet b = (BitSet) other.bits.clone();
    b.andNot(bits);
    return b.isEmpty();
  }

  public boolean intersects(NodeSet other) {
    return bits.intersects(other.bits);
  }

  public IntStream stream() {
    return bits.stream();
  }

  public int[] toArray() {
    return bits.stream().toArray();
  }

  /**
   * The set as C {@code unsigned long} words (64-bit), lowest node in bit 0 of word 0, long enough
   * for {@code maxNode} bits.
   */
  public long[] toMaskWords(int maxNode) {
    long[] words = new long[Math.max(1, (maxNode + 63) / 64)];
    long[] raw = bits.toLongArray();
    if (raw.length > words.length
        && Arrays.stream(raw, words.length, raw.length).anyMatch(w -> w != 0)) {
      throw new IllegalArgumentException("node set " + this + " does not fit " + maxNode + " bits");
    }
    System.arraycopy(raw, 0, words, 0, Math.min(raw.length, words.length));
    return words;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeSet other && bits.equals(other.bits);
  }

  @Override
  public int hashCode() {
    return bits.hashCode();
  }

  /** The kernel list format, e.g. {@code 0-1,3}; empty string for the empty set. */
  @Override
  public String toString() {
    return ListFormat.format(bits);
  }
}
