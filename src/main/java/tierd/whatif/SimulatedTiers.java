package tierd.whatif;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.model.PerNode;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.topology.NodeInfo;
import tierd.topology.Tier;
import tierd.topology.TierSource;
import tierd.topology.Topology;

/**
 * A two-tier topology simulated on a one-tier host, and the processes as they would sit on it (the
 * rules are in the package documentation). Immutable.
 */
public final class SimulatedTiers {

  /** SLIT distance added between a node's slow part and every node. */
  static final int SLOW_DISTANCE = 10;

  private final Topology topology;
  private final Map<Integer, Integer> slowOf;
  private final Map<Integer, Double> fastShareOfUsed;
  private final long fastBytes;
  private final Topology real;

  private SimulatedTiers(
      Topology real,
      Topology topology,
      Map<Integer, Integer> slowOf,
      Map<Integer, Double> fastShareOfUsed,
      long fastBytes) {
    this.real = real;
    this.topology = topology;
    this.slowOf = slowOf;
    this.fastShareOfUsed = fastShareOfUsed;
    this.fastBytes = fastBytes;
  }

  /**
   * Simulates a fast tier of {@code fastBytes} on a one-tier host.
   *
   * @throws IllegalArgumentException when the host has more than one tier or no memory, or {@code
   *     fastBytes} is not below its memory
   */
  public static SimulatedTiers of(Topology real, long fastBytes) {
    if (real.isTiered()) {
      throw new IllegalArgumentException(
          "the host already has " + real.tiers().size() + " memory tiers: nothing to simulate");
    }
    if (real.tiers().isEmpty()) {
      throw new IllegalArgumentException("the host has no memory node");
    }
    long total = real.tierTotalBytes(0);
    if (fastBytes <= 0 || fastBytes >= total) {
      throw new IllegalArgumentException(
          "a fast tier of "
              + DataSize.human(fastBytes)
              + " is not between 0 and the host's memory ("
              + DataSize.human(total)
              + ")");
    }
    int[] ids = real.tiers().get(0).nodes().toArray();
    int next = real.nodeIds().last() + 1;
    if (next + ids.length > NodeSet.MAX_NUMNODES) {
      throw new IllegalArgumentException("no node ids left for the simulated slow nodes");
    }
    Map<Integer, Integer> slowOf = new TreeMap<>();
    for (int i = 0; i < ids.length; i++) {
      slowOf.put(ids[i], next + i);
    }
    List<NodeInfo> nodes = new ArrayList<>();
    Map<Integer, Double> share = new HashMap<>();
    for (int id : ids) {
      NodeInfo n = real.node(id);
      long fast = (long) ((double) fastBytes * n.totalBytes() / total);
      long slow = n.totalBytes() - fast;
      double fastPart = n.totalBytes() == 0 ? 0 : (double) fast / n.totalBytes();
      Optional<NodeInfo.Watermarks> fastMarks = n.watermarks().map(w -> scaled(w, fastPart));
      Optional<NodeInfo.Watermarks> slowMarks = n.watermarks().map(w -> scaled(w, 1 - fastPart));
      long low = fastMarks.map(NodeInfo.Watermarks::lowBytes).orElse(0L);
      long used = n.usedBytes();
      long onFast = Math.min(used, Math.max(0, fast - low));
      long onSlow = Math.min(slow, used - onFast);
      share.put(id, used == 0 ? 1.0 : (double) onFast / used);
      Map<Integer, Integer> fastRow = new TreeMap<>(n.distances());
      Map<Integer, Integer> slowRow = new TreeMap<>();
      for (var e : n.distances().entrySet()) {
        int m = e.getKey();
        slowRow.put(m, e.getValue() + SLOW_DISTANCE);
        Integer slowM = slowOf.get(m);
        if (slowM != null) {
          fastRow.put(slowM, distance(real, m, id) + SLOW_DISTANCE);
          slowRow.put(slowM, m == id ? e.getValue() : e.getValue() + SLOW_DISTANCE);
        }
      }
      nodes.add(new NodeInfo(id, n.cpus(), fastRow, fast, fast - onFast, fastMarks, n.hmat()));
      nodes.add(
          new NodeInfo(
              slowOf.get(id),
              tierd.model.CpuList.empty(),
              slowRow,
              slow,
              slow - onSlow,
              slowMarks,
              Optional.empty()));
    }
    Topology sim =
        new Topology(
            nodes,
            List.of(
                new Tier(0, -1, NodeSet.of(slowOf.keySet())),
                new Tier(1, -1, NodeSet.of(slowOf.values()))),
            TierSource.SIMULATED);
    return new SimulatedTiers(real, sim, slowOf, share, fastBytes);
  }

  private static int distance(Topology t, int from, int to) {
    return t.node(from).distanceTo(to);
  }

  private static NodeInfo.Watermarks scaled(NodeInfo.Watermarks w, double part) {
    return new NodeInfo.Watermarks(
        (long) (w.minBytes() * part),
        (long) (w.lowBytes() * part),
        (long) (w.highBytes() * part),
        w.promoBytes() < 0 ? -1 : (long) (w.promoBytes() * part));
  }

  /** The simulated topology: tier 0 the real nodes' fast parts, tier 1 their slow parts. */
  public Topology topology() {
    return topology;
  }

  public long fastBytes() {
    return fastBytes;
  }

  /** The simulated slow part of real node {@code node}. */
  public int slowNodeOf(int node) {
    Integer s = slowOf.get(node);
    if (s == null) {
      throw new IllegalArgumentException("node " + node + " is not a real memory node here");
    }
    return s;
  }

  /** Share of real node {@code node}'s used memory that the fast part holds. */
  public double fastShareOfUsed(int node) {
    return fastShareOfUsed.getOrDefault(node, 1.0);
  }

  public List<ManagedProcess> processes(List<ManagedProcess> procs) {
    List<ManagedProcess> out = new ArrayList<>(procs.size());
    procs.forEach(p -> out.add(process(p)));
    return out;
  }

  /** {@code p} as it would sit on the simulated tiers. */
  public ManagedProcess process(ManagedProcess p) {
    return new ManagedProcess(
        p.pid(),
        p.startTimeTicks(),
        p.comm(),
        p.rssBytes(),
        p.cgroupPath(),
        withSlowParts(p.memsAllowed()),
        p.cpusetMems().map(this::withSlowParts),
        withSlowParts(p.allowedNodes()),
        vmas(p.vmas()));
  }

  /** The VMAs with their pages shared out between each node's fast and slow part. */
  public List<Vma> vmas(List<Vma> vmas) {
    List<Vma> out = new ArrayList<>(vmas.size());
    for (Vma v : vmas) {
      out.add(vma(v));
    }
    return out;
  }

  private Vma vma(Vma v) {
    PerNode pages = v.pages();
    Map<Integer, Long> split = new TreeMap<>();
    for (int i = 0; i < pages.size(); i++) {
      int node = pages.node(i);
      long count = pages.count(i);
      Integer slow = slowOf.get(node);
      if (slow == null) {
        split.merge(node, count, Long::sum);
        continue;
      }
      long fast = (long) Math.floor(count * fastShareOfUsed(node));
      split.merge(node, fast, Long::sum);
      split.merge(slow, count - fast, Long::sum);
    }
    split.values().removeIf(c -> c == 0);
    return new Vma(
        v.range(),
        v.perms(),
        v.path(),
        v.policy(),
        v.backing(),
        v.hugetlb(),
        v.pageBytes(),
        v.anonPages(),
        v.mapmax(),
        PerNode.of(split),
        v.activePages(),
        v.presentPages(),
        v.thpEligible());
  }

  private NodeSet withSlowParts(NodeSet nodes) {
    NodeSet out = nodes;
    for (int n : nodes.toArray()) {
      Integer s = slowOf.get(n);
      if (s != null) {
        out = out.with(s);
      }
    }
    return out;
  }

  /**
   * One line for the log and the reports, e.g. {@code what-if: node 0 (23.4GiB, 9.1GiB used) as a
   * fast tier of 8GiB holding 7.9GiB, and a simulated slow node 1 of 15.4GiB holding 1.2GiB}.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder("what-if:");
    String sep = " ";
    for (var e : slowOf.entrySet()) {
      NodeInfo r = real.node(e.getKey());
      NodeInfo f = topology.node(e.getKey());
      NodeInfo s = topology.node(e.getValue());
      sb.append(sep)
          .append(
              String.format(
                  Locale.ROOT,
                  "node %d (%s, %s used) as a fast tier of %s holding %s, and a simulated slow node"
                      + " %d of %s holding %s",
                  r.id(),
                  DataSize.human(r.totalBytes()),
                  DataSize.human(r.usedBytes()),
                  DataSize.human(f.totalBytes()),
                  DataSize.human(f.usedBytes()),
                  s.id(),
                  DataSize.human(s.totalBytes()),
                  DataSize.human(s.usedBytes())));
      sep = "; ";
    }
    return sb.append("; nothing moves").toString();
  }
}
