package tierd.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.model.NodeSet;

/**
 * A snapshot of the memory nodes and their tiers, ordered fast to slow, with each node's demotion
 * and promotion targets.
 *
 * <p>Targets follow rule 3 of the design (static topology, seed 001): the demotion targets of a
 * node are the nodes of lower tiers, next tier first, nearest by SLIT distance, then better HMAT
 * (lower read latency, then higher read bandwidth), then more free memory; promotion targets are
 * the nodes of faster tiers, nearest first, with the same tie breaks. A node is never a target of a
 * node in its own tier.
 */
public final class Topology {

  private final Map<Integer, NodeInfo> nodes;
  private final List<Tier> tiers;
  private final TierSource tierSource;
  private final Map<Integer, Integer> rankOf;
  private final Map<Integer, List<Integer>> demotionTargets;
  private final Map<Integer, List<Integer>> promotionTargets;

  public Topology(List<NodeInfo> nodeList, List<Tier> tiers, TierSource tierSource) {
    Map<Integer, NodeInfo> byId = new TreeMap<>();
    for (NodeInfo n : nodeList) {
      byId.put(n.id(), n);
    }
    this.nodes = Collections.unmodifiableMap(byId);
    this.tiers = List.copyOf(tiers);
    this.tierSource = tierSource;
    Map<Integer, Integer> ranks = new HashMap<>();
    for (int i = 0; i < tiers.size(); i++) {
      Tier t = tiers.get(i);
      if (t.rank() != i) {
        throw new IllegalArgumentException("tier ranks must be 0..n-1 in order: " + tiers);
      }
      t.nodes().stream()
          .forEach(
              n -> {
                if (ranks.put(n, t.rank()) != null) {
                  throw new IllegalArgumentException("node " + n + " is in two tiers");
                }
                if (!byId.containsKey(n)) {
                  throw new IllegalArgumentException("tier has unknown node " + n);
                }
              });
    }
    this.rankOf = Collections.unmodifiableMap(ranks);
    Map<Integer, List<Integer>> dem = new TreeMap<>();
    Map<Integer, List<Integer>> pro = new TreeMap<>();
    for (int n : ranks.keySet()) {
      dem.put(n, targets(n, true));
      pro.put(n, targets(n, false));
    }
    this.demotionTargets = Collections.unmodifiableMap(dem);
    this.promotionTargets = Collections.unmodifiableMap(pro);
  }

  private List<Integer> targets(int from, boolean down) {
    int r = rankOf.get(from);
    NodeInfo src = nodes.get(from);
    List<Integer> out = new ArrayList<>();
    for (var e : rankOf.entrySet()) {
      if (down ? e.getValue() > r : e.getValue() < r) {
        out.add(e.getKey());
      }
    }
    Comparator<Integer> byTier =
        down
            ? Comparator.comparingInt(rankOf::get)
            : Comparator.comparingInt(
                (Integer n) -> 0); // promotion: nearest first, any faster tier
    Comparator<Integer> cmp =
        byTier
            .thenComparingInt(src::distanceTo)
            .thenComparingLong(n -> hmatLatency(nodes.get(n)))
            .thenComparingLong(n -> -hmatBandwidth(nodes.get(n)))
            .thenComparingLong(n -> -nodes.get(n).freeBytes())
            .thenComparingInt(n -> n);
    out.sort(cmp);
    return List.copyOf(out);
  }

  private static long hmatLatency(NodeInfo n) {
    return n.hmat().map(h -> h.readLatencyNs().orElse(Long.MAX_VALUE)).orElse(Long.MAX_VALUE);
  }

  private static long hmatBandwidth(NodeInfo n) {
    return n.hmat().map(h -> h.readBandwidthMBps().orElse(0L)).orElse(0L);
  }

  public Map<Integer, NodeInfo> nodes() {
    return nodes;
  }

  public NodeInfo node(int id) {
    NodeInfo n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no memory node " + id);
    }
    return n;
  }

  public NodeSet nodeIds() {
    return NodeSet.of(nodes.keySet());
  }

  /** Tiers ordered fast to slow. */
  public List<Tier> tiers() {
    return tiers;
  }

  public TierSource tierSource() {
    return tierSource;
  }

  /** True when there are at least two tiers, i.e. something to tier. */
  public boolean isTiered() {
    return tiers.size() >= 2;
  }

  /** Rank of the node's tier (0 = fastest), or -1 for a node without memory. */
  public int rankOf(int node) {
    return rankOf.getOrDefault(node, -1);
  }

  public Tier tierOf(int node) {
    int r = rankOf(node);
    if (r < 0) {
      throw new IllegalArgumentException("node " + node + " is in no tier");
    }
    return tiers.get(r);
  }

  public boolean sameTier(int a, int b) {
    int ra = rankOf(a);
    return ra >= 0 && ra == rankOf(b);
  }

  /** Nodes of the fastest tier. */
  public NodeSet topTier() {
    return tiers.isEmpty() ? NodeSet.empty() : tiers.get(0).nodes();
  }

  /** Lower-tier nodes in order of preference (next tier first, then nearest). */
  public List<Integer> demotionTargets(int node) {
    return demotionTargets.getOrDefault(node, List.of());
  }

  /** Faster-tier nodes in order of preference (nearest first). */
  public List<Integer> promotionTargets(int node) {
    return promotionTargets.getOrDefault(node, List.of());
  }

  /** Nodes in tiers faster than {@code node}'s. */
  public NodeSet fasterThan(int node) {
    return NodeSet.of(promotionTargets(node));
  }

  /** Nodes in tiers slower than {@code node}'s. */
  public NodeSet slowerThan(int node) {
    return NodeSet.of(demotionTargets(node));
  }

  public long tierTotalBytes(int rank) {
    return tiers.get(rank).nodes().stream().mapToLong(n -> nodes.get(n).totalBytes()).sum();
  }

  public long tierFreeBytes(int rank) {
    return tiers.get(rank).nodes().stream().mapToLong(n -> nodes.get(n).freeBytes()).sum();
  }

  @Override
  public String toString() {
    return "Topology" + tiers + " (" + tierSource + ")";
  }
}
