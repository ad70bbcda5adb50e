package tierd.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * The nodes of one planning run as the cycle began, immutable. Nodes are addressed by a dense
 * <em>node index</em> {@code 0..count()-1} in the topology's order (ascending ids), so that bytes
 * per node are a row of primitives. A bytes row has one more slot, {@link #noTierSlot}, for bytes
 * on nodes the topology does not list (in no tier): no target can be chosen for those.
 *
 * <p>Per node: id, tier rank, total bytes, free bytes at the start, low and high watermarks (from
 * zoneinfo, or 1 % and 2 % of total when the kernel gave none), the fill limit (maxFill × total),
 * and the promotion and demotion targets from the topology, nearest first.
 */
final class NodeTable {

  private static final double FALLBACK_LOW = 0.01;
  private static final double FALLBACK_HIGH = 0.02;

  /** The slot of a bytes row that holds bytes on nodes in no tier; it follows the nodes' slots. */
  final int noTierSlot;

  /** Slots in a bytes row: one per node and {@link #noTierSlot}. */
  final int rowWidth;

  private final int[] nodeIds;
  private final Map<Integer, Integer> indexOfId = new HashMap<>();
  private final int[] tierRanks;
  private final long[] totalBytes;
  private final long[] freeAtStartBytes;
  private final long[] lowBytes;
  private final long[] highBytes;
  private final long[] floorBytes;
  private final long[] fillLimitBytes;
  private final boolean[] overFillLimitAtStart;
  private final int[][] promotionTargets;
  private final int[][] demotionTargets;
  private final int[] fastestFirst;

  NodeTable(Topology topology, PlannerConfig config) {
    List<NodeInfo> nodes = new ArrayList<>(topology.nodes().values());
    int count = nodes.size();
    noTierSlot = count;
    rowWidth = count + 1;
    nodeIds = new int[count];
    tierRanks = new int[count];
    totalBytes = new long[count];
    freeAtStartBytes = new long[count];
    lowBytes = new long[count];
    highBytes = new long[count];
    floorBytes = new long[count];
    fillLimitBytes = new long[count];
    overFillLimitAtStart = new boolean[count];
    for (int node = 0; node < count; node++) {
      nodeIds[node] = nodes.get(node).id();
      indexOfId.put(nodeIds[node], node);
    }
    for (int node = 0; node < count; node++) {
      NodeInfo info = nodes.get(node);
      long total = info.totalBytes();
      tierRanks[node] = topology.rankOf(info.id());
      totalBytes[node] = total;
      freeAtStartBytes[node] = info.freeBytes();
      lowBytes[node] =
          info.watermarks()
              .map(NodeInfo.Watermarks::lowBytes)
              .orElse((long) (total * FALLBACK_LOW));
      highBytes[node] =
          info.watermarks()
              .map(NodeInfo.Watermarks::highBytes)
              .orElse((long) (total * FALLBACK_HIGH));
      floorBytes[node] = config.floorBytes(highBytes[node], total);
      fillLimitBytes[node] = (long) (total * config.maxFillOf(info.id()));
      overFillLimitAtStart[node] = info.usedBytes() > fillLimitBytes[node];
    }
    promotionTargets = new int[count][];
    demotionTargets = new int[count][];
    for (int node = 0; node < count; node++) {
      boolean inTier = tierRanks[node] >= 0;
      promotionTargets[node] =
          indices(inTier ? topology.promotionTargets(nodeIds[node]) : List.of());
      demotionTargets[node] = indices(inTier ? topology.demotionTargets(nodeIds[node]) : List.of());
    }
    Integer[] order = new Integer[count];
    for (int node = 0; node < count; node++) {
      order[node] = node;
    }
    Arrays.sort(
        order, Comparator.comparingInt((Integer n) -> tierRanks[n]).thenComparingInt(n -> n));
    fastestFirst = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** Node indices of the ids the table knows, in the given order. */
  private int[] indices(List<Integer> ids) {
    int[] out = new int[ids.size()];
    int known = 0;
    for (int id : ids) {
      Integer node = indexOfId.get(id);
      if (node != null) {
        out[known++] = node;
      }
    }
    return Arrays.copyOf(out, known);
  }

  /** Number of nodes (not counting the no-tier slot). */
  int count() {
    return nodeIds.length;
  }

  int nodeId(int node) {
    return nodeIds[node];
  }

  /** The slot of a node id in a bytes row: its node index, or {@link #noTierSlot}. */
  int slotOf(int nodeId) {
    Integer node = indexOfId.get(nodeId);
    return node == null ? noTierSlot : node;
  }

  /** Tier rank, 0 = fastest; -1 for a node in no tier. */
  int tierRank(int node) {
    return tierRanks[node];
  }

  long totalBytes(int node) {
    return totalBytes[node];
  }

  long freeAtStartBytes(int node) {
    return freeAtStartBytes[node];
  }

  long usedAtStartBytes(int node) {
    return Math.max(0, totalBytes[node] - freeAtStartBytes[node]);
  }

  long lowBytes(int node) {
    return lowBytes[node];
  }

  long highBytes(int node) {
    return highBytes[node];
  }

  /**
   * The free memory a move into {@code node} must leave: its high watermark plus the room margin
   * ({@code planner.roomMargin} of its total). Below it, the kernel would soon reclaim — inside the
   * migration, at a fraction of the speed (design rule 5).
   */
  long floorBytes(int node) {
    return floorBytes[node];
  }

  long fillLimitBytes(int node) {
    return fillLimitBytes[node];
  }

  /** Used more than its fill limit when the cycle began: its hot data is promoted first. */
  boolean overFillLimitAtStart(int node) {
    return overFillLimitAtStart[node];
  }

  /**
   * The nodes data on {@code node} may be promoted to, nearest first (the topology's order, by
   * distance from {@code node}); empty for the fastest tier and for a node in no tier. Every
   * promotion target list of the run comes from here.
   */
  int[] promotionTargets(int node) {
    return promotionTargets[node];
  }

  /** The nodes of slower tiers data on {@code node} may be demoted to, nearest first. */
  int[] demotionTargets(int node) {
    return demotionTargets[node];
  }

  /** True when {@code node} has a faster tier to promote to. */
  boolean hasFasterTier(int node) {
    return promotionTargets[node].length > 0;
  }

  /** True when {@code node} has a slower tier to demote to. */
  boolean hasSlowerTier(int node) {
    return demotionTargets[node].length > 0;
  }

  /** Node indices by tier rank, fastest first (nodes in no tier before all), then by index. */
  int[] fastestFirst() {
    return fastestFirst.clone();
  }

  /** {@code 0,1,3}: the ids of some nodes, for reason texts. */
  String ids(int[] nodes) {
    StringBuilder sb = new StringBuilder();
    for (int node : nodes) {
      sb.append(sb.length() == 0 ? "" : ",").append(nodeIds[node]);
    }
    return sb.toString();
  }
}
