package tierd.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Rejection;
import tierd.model.CpuList;
import tierd.model.MalformedValueException;
import tierd.model.NodeSet;
import tierd.source.proc.Zoneinfo;
import tierd.source.sys.MemoryTiers;
import tierd.source.sys.NodeAccess;
import tierd.source.sys.NodeDistance;
import tierd.source.sys.NodeMasks;
import tierd.source.sys.NodeMeminfo;

/**
 * Builds a {@link Topology} from sysfs and procfs under a {@link KernelRoot}.
 *
 * <p>Tiers come from, in order: an explicit override (config), the kernel's memory_tiering sysfs
 * when it has at least two tiers, and otherwise tierd's own classifier. The classifier exists
 * because CPU-less CXL nodes land in the DRAM tier when firmware reports no HMAT/CDAT performance
 * data ("nodes are lumped together in the DRAM tier", linux-mm 2024-03; kernel driver-api/cxl).
 */
public final class TopologyReader {

  /** A CPU-less node counts as slow when its cost exceeds the CPU nodes' by this factor. */
  static final double SLOW_FACTOR = 1.3;

  /** CPU-less nodes whose costs are within this factor of each other share a tier. */
  static final double SAME_TIER_FACTOR = 1.2;

  private final KernelRoot root;
  private final long pageBytes;

  public TopologyReader(KernelRoot root, long pageBytes) {
    this.root = root;
    this.pageBytes = pageBytes;
  }

  /**
   * Reads the topology; {@code tierOverride} (fast to slow) wins when non-empty. Strict: a memory
   * node whose files are missing, or an override that does not cover the memory nodes exactly, is
   * an error.
   */
  public Topology read(List<NodeSet> tierOverride) {
    return read(tierOverride, null);
  }

  /**
   * Reads the topology as it is now, for a daemon that reads it every cycle while memory is hot
   * plugged: a memory node whose sysfs files vanish mid-read (hot-unplug in progress: the node
   * masks were read a moment before) is left out of this cycle's topology, and an override is
   * applied to the memory nodes there are, its nodes that are not memory nodes (any more) dropped
   * and memory nodes it does not name left out (so never tiered). Each thing left out goes to
   * {@code leftOut}. The next read sees what the hotplug left, so no state of the host fails every
   * cycle.
   */
  public Topology readAdapting(List<NodeSet> tierOverride, Consumer<Rejection> leftOut) {
    return read(tierOverride, java.util.Objects.requireNonNull(leftOut));
  }

  private Topology read(List<NodeSet> tierOverride, Consumer<Rejection> leftOut) {
    NodeMasks masks = NodeMasks.read(root);
    NodeSet memNodes = masks.hasMemory().intersect(masks.online());
    Optional<Zoneinfo> zones = readZoneinfo();
    List<NodeInfo> infos = new ArrayList<>();
    for (int n : memNodes.toArray()) {
      try {
        infos.add(readNode(n, masks, zones));
      } catch (KernelFsException e) {
        if (leftOut == null || e.kind() != KernelFsException.Kind.ABSENT) {
          throw e;
        }
        memNodes = memNodes.minus(NodeSet.of(n));
        leftOut.accept(
            new Rejection(
                Rejection.fileLabel(e.file()),
                Rejection.Reason.ABSENT,
                "memory node "
                    + n
                    + " left out of this cycle's topology: "
                    + e.getMessage()
                    + " (memory hot-unplug in progress?)"));
      }
    }
    TierSource source;
    List<NodeSet> groups;
    if (!tierOverride.isEmpty()) {
      if (leftOut != null) {
        groups = adaptOverride(tierOverride, memNodes, leftOut);
        NodeSet tiered = groups.stream().reduce(NodeSet.empty(), NodeSet::union);
        infos.removeIf(i -> !tiered.contains(i.id()));
      } else {
        groups = checkOverride(tierOverride, memNodes);
      }
      source = TierSource.CONFIG;
      return build(infos, groups, source, List.of());
    }
    List<MemoryTiers.KernelTier> kernel = MemoryTiers.read(root);
    List<MemoryTiers.KernelTier> relevant = new ArrayList<>();
    for (MemoryTiers.KernelTier t : kernel) {
      NodeSet ns = t.nodes().intersect(memNodes);
      if (!ns.isEmpty()) {
        relevant.add(new MemoryTiers.KernelTier(t.id(), ns));
      }
    }
    NodeSet covered = NodeSet.empty();
    for (MemoryTiers.KernelTier t : relevant) {
      covered = covered.union(t.nodes());
    }
    if (relevant.size() >= 2 && covered.equals(memNodes)) {
      groups = relevant.stream().map(MemoryTiers.KernelTier::nodes).toList();
      return build(
          infos,
          groups,
          TierSource.KERNEL,
          relevant.stream().map(MemoryTiers.KernelTier::id).toList());
    }
    groups = classify(infos);
    source = groups.size() >= 2 ? TierSource.CLASSIFIED : TierSource.SINGLE;
    List<Integer> ids = List.of();
    if (groups.size() == 1 && relevant.size() == 1) {
      ids = List.of(relevant.get(0).id());
    }
    return build(infos, groups, source, ids);
  }

  private Topology build(
      List<NodeInfo> infos, List<NodeSet> groups, TierSource source, List<Integer> kernelIds) {
    List<Tier> tiers = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      tiers.add(new Tier(i, i < kernelIds.size() ? kernelIds.get(i) : -1, groups.get(i)));
    }
    return new Topology(infos, tiers, source);
  }

  private static List<NodeSet> checkOverride(List<NodeSet> override, NodeSet memNodes) {
    NodeSet seen = NodeSet.empty();
    for (NodeSet t : override) {
      if (t.isEmpty()) {
        throw new IllegalArgumentException("tiers: an override tier has no nodes");
      }
      if (seen.intersects(t)) {
        throw new IllegalArgumentException("tiers: node(s) " + seen.intersect(t) + " in two tiers");
      }
      NodeSet unknown = t.minus(memNodes);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "tiers: node(s) " + unknown + " are not online memory nodes (have " + memNodes + ")");
      }
      seen = seen.union(t);
    }
    NodeSet missing = memNodes.minus(seen);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("tiers: memory node(s) " + missing + " are in no tier");
    }
    return List.copyOf(override);
  }

  /**
   * The override restricted to {@code memNodes}: its nodes that are not memory nodes are dropped (a
   * tier left empty goes), and memory nodes in none of its tiers are reported, as they will be left
   * out of the topology.
   */
  private static List<NodeSet> adaptOverride(
      List<NodeSet> override, NodeSet memNodes, Consumer<Rejection> leftOut) {
    List<NodeSet> groups = new ArrayList<>();
    NodeSet seen = NodeSet.empty();
    for (NodeSet t : override) {
      NodeSet present = t.intersect(memNodes).minus(seen);
      NodeSet gone = t.minus(memNodes);
      if (!gone.isEmpty()) {
        leftOut.accept(
            new Rejection(
                "other",
                Rejection.Reason.ABSENT,
                "tiers: node(s) " + gone + " are not memory nodes now; tiering without them"));
      }
      if (!present.isEmpty()) {
        groups.add(present);
      }
      seen = seen.union(t);
    }
    NodeSet untiered = memNodes.minus(seen);
    if (!untiered.isEmpty()) {
      leftOut.accept(
          new Rejection(
              "other",
              Rejection.Reason.UNKNOWN_NODE,
              "tiers: memory node(s) "
                  + untiered
                  + " are in no tier (hot-plugged since the config was written?); left out,"
                  + " never tiered, until 'tiers' names them"));
    }
    return groups;
  }

  /**
   * Groups memory nodes by cost: nodes with CPUs form the top tier; a CPU-less node joins them when
   * its cost is within {@link #SLOW_FACTOR} of theirs, else it goes to a lower tier, and CPU-less
   * nodes of similar cost share one. Cost is the HMAT read latency when every node has one, else
   * the SLIT distance from the nearest node with CPUs.
   */
  static List<NodeSet> classify(List<NodeInfo> infos) {
    List<NodeInfo> withCpu = infos.stream().filter(n -> !n.cpuLess()).toList();
    List<NodeInfo> cpuLess = infos.stream().filter(NodeInfo::cpuLess).toList();
    if (withCpu.isEmpty() || cpuLess.isEmpty()) {
      return List.of(NodeSet.of(infos.stream().map(NodeInfo::id).toList()));
    }
    boolean hmat =
        infos.stream()
            .allMatch(n -> n.hmat().map(h -> h.readLatencyNs().isPresent()).orElse(false));
    Map<Integer, Double> cost = new HashMap<>();
    for (NodeInfo n : infos) {
      if (hmat) {
        cost.put(n.id(), (double) n.hmat().get().readLatencyNs().getAsLong());
      } else {
        int best = Integer.MAX_VALUE;
        for (NodeInfo c : withCpu) {
          best = Math.min(best, c.id() == n.id() ? 10 : c.distanceTo(n.id()));
        }
        cost.put(n.id(), (double) best);
      }
    }
    double topCost = withCpu.stream().mapToDouble(n -> cost.get(n.id())).max().orElse(10);
    List<Integer> top = new ArrayList<>(withCpu.stream().map(NodeInfo::id).toList());
    List<NodeInfo> slow = new ArrayList<>();
    for (NodeInfo n : cpuLess) {
      if (cost.get(n.id()) <= topCost * SLOW_FACTOR) {
        top.add(n.id());
      } else {
        slow.add(n);
      }
    }
    slow.sort(
        Comparator.comparingDouble((NodeInfo n) -> cost.get(n.id()))
            .thenComparingInt(NodeInfo::id));
    List<NodeSet> groups = new ArrayList<>();
    groups.add(NodeSet.of(top));
    List<Integer> cur = new ArrayList<>();
    double base = -1;
    for (NodeInfo n : slow) {
      double c = cost.get(n.id());
      if (base < 0 || c <= base * SAME_TIER_FACTOR) {
        if (base < 0) {
          base = c;
        }
        cur.add(n.id());
      } else {
        groups.add(NodeSet.of(cur));
        cur = new ArrayList<>(List.of(n.id()));
        base = c;
      }
    }
    if (!cur.isEmpty()) {
      groups.add(NodeSet.of(cur));
    }
    return groups;
  }

  private NodeInfo readNode(int n, NodeMasks masks, Optional<Zoneinfo> zones) {
    CpuList cpus = CpuList.empty();
    var cpulist = root.node("node" + n + "/cpulist");
    if (masks.hasCpu().contains(n)) {
      try {
        cpus = CpuList.parse(KernelFiles.read(cpulist).strip());
      } catch (MalformedValueException e) {
        throw KernelFsException.malformed(cpulist, e.line(), e.token(), e.detail());
      } catch (KernelFsException e) {
        throw e.withFile(cpulist);
      }
    }
    int[] row = NodeDistance.read(root, n);
    int[] online = masks.online().toArray();
    if (row.length != online.length) {
      throw KernelFsException.malformed(
          root.node("node" + n + "/distance"),
          1,
          row.length + " entries",
          "expected one distance per online node (" + masks.online() + ")");
    }
    Map<Integer, Integer> dist = new TreeMap<>();
    for (int i = 0; i < online.length; i++) {
      dist.put(online[i], row[i]);
    }
    NodeMeminfo mem = NodeMeminfo.read(root, n);
    Optional<Zoneinfo.NodeWatermarks> zoneSums =
        zones.flatMap(z -> Optional.ofNullable(z.nodes().get(n)));
    // free pages in the per-CPU lists are free too; MemFree leaves them out (Zoneinfo)
    long freeBytes =
        mem.freeBytes() + zoneSums.map(w -> w.perCpuFreePages() * pageBytes).orElse(0L);
    Optional<NodeInfo.Watermarks> wm =
        zoneSums.map(
            w ->
                new NodeInfo.Watermarks(
                    w.minPages() * pageBytes,
                    w.lowPages() * pageBytes,
                    w.highPages() * pageBytes,
                    w.promoPages() < 0 ? -1 : w.promoPages() * pageBytes));
    Optional<NodeAccess> hmat = NodeAccess.read(root, n, 1).or(() -> NodeAccess.read(root, n, 0));
    return new NodeInfo(n, cpus, dist, mem.totalBytes(), freeBytes, wm, hmat);
  }

  private Optional<Zoneinfo> readZoneinfo() {
    var path = root.proc("zoneinfo");
    if (!KernelFiles.exists(path)) {
      return Optional.empty();
    }
    return Optional.of(Zoneinfo.read(root));
  }
}
