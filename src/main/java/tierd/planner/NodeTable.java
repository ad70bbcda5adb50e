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
 *
 * <p>A demotion-only node ({@code planner.nodes.N.demotionOnly}) is no promotion target of any
 * node, and its fill limit is also capped by its usable capacity now ({@link
 * PlanInput#capacityBytes}); when that capacity is unknown this cycle, by what it holds (no
 * demotion goes in, nothing is pushed out).
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
  private final int[][] distances;
  private final boolean[] demotionOnly;
  private final long[] capacityBytes;

  NodeTable(Topology topology, PlannerConfig config) {
    this(topology, config, Map.of());
  }

  /** The table with the usable bytes now of the demotion-only nodes whose capacity was read. */
  NodeTable(Topology topology, PlannerConfig config, Map<Integer, Long> capacityNowBytes) {
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
    demotionOnly = new boolean[count];
    capacityBytes = new long[count];
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
      capacityBytes[node] = -1;
      if (config.demotionOnly(info.id())) {
        demotionOnly[node] = true;
        Long capacity = capacityNowBytes.get(info.id());
        capacityBytes[node] = capacity == null ? -1 : capacity;
        long cap = capacity == null ? info.usedBytes() : capacity;
        fillLimitBytes[node] = Math.min(fillLimitBytes[node], cap);
      }
      overFillLimitAtStart[node] = info.usedBytes() > fillLimitBytes[node];
    }
    distances = new int[count][count];
    for (int from = 0; from < count; from++) {
      for (int to = 0; to < count; to++) {
        distances[from][to] = nodes.get(from).distanceTo(nodeIds[to]);
      }
    }
    promotionTargets = new int[count][];
    demotionTargets = new int[count][];
    for (int node = 0; node < count; node++) {
      boolean inTier = tierRanks[node] >= 0;
      promotionTargets[node] =
          withoutDemotionOnly(
              indices(inTier ? topology.promotionTargets(nodeIds[node]) : List.of()));
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

  /** {@code targets} less the demotion-only nodes: only demotion may fill those. */
  private int[] withoutDemotionOnly(int[] targets) {
    int[] out = new int[targets.length];
    int kept = 0;
    for (int target : targets) {
      if (!demotionOnly[target]) {
        out[kept++] = target;
      }
    }
    return Arrays.copyOf(out, kept);
  }

  /** True when only demotion may fill {@code node}. */
  boolean demotionOnly(int node) {
    return demotionOnly[node];
  }

  /** Usable bytes now of a demotion-only node; -1 when unknown this cycle or not demotion-only. */
  long capacityBytes(int node) {
    return capacityBytes[node];
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

  /** SLIT distance from {@code from} to {@code to}; {@code Integer.MAX_VALUE} when unknown. */
  int distance(int from, int to) {
    return distances[from][to];
  }

  /**
   * {@code targets} nearest to {@code from} first (by SLIT distance), ties in their given order:
   * the promotion targets as the CPUs on node {@code from} see them.
   */
  int[] nearestTo(int from, int[] targets) {
    Integer[] order = new Integer[targets.length];
    for (int i = 0; i < targets.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> distances[from][targets[i]]));
    int[] out = new int[targets.length];
    for (int i = 0; i < targets.length; i++) {
      out[i] = targets[order[i]];
    }
    return out;
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
