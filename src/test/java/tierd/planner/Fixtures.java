package tierd.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.CpuList;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;
import tierd.source.proc.NumaMaps;
import tierd.topology.NodeInfo;
import tierd.topology.Tier;
import tierd.topology.TierSource;
import tierd.topology.Topology;

/** Real-shaped building blocks for planner and scoring tests and benchmarks. */
public final class Fixtures {

  public static final long KiB = 1L << 10;
  public static final long MiB = 1L << 20;
  public static final long GiB = 1L << 30;
  public static final long PAGE = 4096;
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Where the test VMAs start. */
  public static final long BASE = 0x7f0000000000L;

  /** Every node of the reference box. */
  public static final NodeSet ALL = NodeSet.of(0, 1, 2, 3);

  private Fixtures() {}

  /** A node with kernel-like watermarks: low 1 %, high 1.5 % of total (min 0.5 %). */
  public static NodeInfo node(int id, boolean cpus, long totalBytes, long freeBytes) {
    return node(id, cpus, totalBytes, freeBytes, Map.of());
  }

  public static NodeInfo node(
      int id, boolean cpus, long totalBytes, long freeBytes, Map<Integer, Integer> distances) {
    return new NodeInfo(
        id,
        cpus ? CpuList.parse(id * 4 + "-" + (id * 4 + 3)) : CpuList.empty(),
        distances,
        totalBytes,
        freeBytes,
        Optional.of(
            new NodeInfo.Watermarks(totalBytes / 200, totalBytes / 100, totalBytes * 3 / 200, -1)),
        Optional.empty());
  }

  public static NodeInfo withoutWatermarks(NodeInfo n) {
    return new NodeInfo(
        n.id(),
        n.cpus(),
        n.distances(),
        n.totalBytes(),
        n.freeBytes(),
        Optional.empty(),
        Optional.empty());
  }

  public static Topology topology(List<NodeInfo> nodes, List<NodeSet> tiers) {
    List<Tier> ts = new ArrayList<>();
    for (int i = 0; i < tiers.size(); i++) {
      ts.add(new Tier(i, -1, tiers.get(i)));
    }
    return new Topology(nodes, ts, TierSource.CONFIG);
  }

  /** SLIT of the reference box: two DRAM sockets (0, 1), CXL (2) near 0, compressed CXL (3). */
  static final int[][] SLIT = {
    {10, 21, 17, 28},
    {21, 10, 28, 28},
    {17, 28, 10, 30},
    {28, 28, 30, 10},
  };

  /**
   * The reference box: nodes 0 and 1 DRAM with CPUs (tier 0, 8 GiB each), node 2 CXL (tier 1, 16
   * GiB, nearer to node 0), node 3 compressed CXL (tier 2, 32 GiB). Free bytes as given.
   */
  public static Topology box(long free0, long free1, long free2, long free3) {
    long[] total = {8 * GiB, 8 * GiB, 16 * GiB, 32 * GiB};
    long[] free = {free0, free1, free2, free3};
    List<NodeInfo> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Map<Integer, Integer> d = new TreeMap<>();
      for (int j = 0; j < 4; j++) {
        d.put(j, SLIT[i][j]);
      }
      nodes.add(node(i, i < 2, total[i], free[i], d));
    }
    return topology(nodes, List.of(NodeSet.of(0, 1), NodeSet.of(2), NodeSet.of(3)));
  }

  /** The reference box with plenty of room everywhere. */
  public static Topology roomyBox() {
    return box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);
  }

  /** An anonymous private VMA of 4 KiB pages. */
  public static Vma vma(long start, long sizeBytes, MemPolicy policy, Map<Integer, Long> bytes) {
    return vma(start, sizeBytes, policy, bytes, "rw-p", 1, false, PAGE);
  }

  public static Vma vma(
      long start,
      long sizeBytes,
      MemPolicy policy,
      Map<Integer, Long> bytes,
      String perms,
      long mapmax,
      boolean hugetlb,
      long pageBytes) {
    Map<Integer, Long> pages = new TreeMap<>();
    long sum = 0;
    for (var e : bytes.entrySet()) {
      pages.put(e.getKey(), e.getValue() / pageBytes);
      sum += e.getValue() / pageBytes;
    }
    return new Vma(
        AddressRange.ofSize(start, sizeBytes),
        perms,
        hugetlb ? "/dev/hugepages/x" : "",
        policy,
        hugetlb ? NumaMaps.Backing.FILE : NumaMaps.Backing.ANON,
        hugetlb,
        pageBytes,
        sum,
        mapmax,
        new TreeMap<>(pages));
  }

  public static ManagedProcess process(int pid, NodeSet allowed, List<Vma> vmas) {
    return new ManagedProcess(
        pid,
        1000L + pid,
        "app" + pid,
        vmas.stream().mapToLong(Vma::presentBytes).sum(),
        "/app" + pid,
        allowed,
        Optional.of(allowed),
        allowed,
        vmas);
  }

  public static long startTime(int pid) {
    return 1000L + pid;
  }

  public static ScoredRegion hot(int pid, long start, long sizeBytes, double heat) {
    return new ScoredRegion(
        pid,
        startTime(pid),
        AddressRange.ofSize(start, sizeBytes),
        heat,
        HeatClass.HOT,
        3,
        Duration.ZERO);
  }

  public static ScoredRegion warm(int pid, long start, long sizeBytes, double heat) {
    return new ScoredRegion(
        pid,
        startTime(pid),
        AddressRange.ofSize(start, sizeBytes),
        heat,
        HeatClass.WARM,
        0,
        Duration.ZERO);
  }

  public static ScoredRegion cold(int pid, long start, long sizeBytes, Duration idle) {
    return new ScoredRegion(
        pid, startTime(pid), AddressRange.ofSize(start, sizeBytes), 0.0, HeatClass.COLD, 0, idle);
  }

  /** Hot threshold 0.40, cold 0.02 (gap 0.38), as a fitted scorer would report them. */
  public static Thresholds thresholds() {
    return new Thresholds(0.40, 0.02, false, 0.40, 0.07, 7 * GiB, 0, 2);
  }

  public static PlanInput input(
      Topology topology, List<ManagedProcess> processes, List<ScoredRegion> regions) {
    return input(T0, topology, processes, regions);
  }

  /** Input at {@code at}, every placement estimated from the VMAs. */
  public static PlanInput input(
      Instant at, Topology topology, List<ManagedProcess> processes, List<ScoredRegion> regions) {
    return new PlanInput(at, topology, processes, regions, thresholds(), List.of());
  }

  /** Input at T0 with the given placements. */
  public static PlanInput input(
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      List<RegionPlacement> placements) {
    return new PlanInput(T0, topology, processes, regions, thresholds(), placements);
  }

  /** The plan of {@code regions} on the roomy reference box, from the initial state. */
  static MigrationPlan plan(
      PlannerConfig config, List<ManagedProcess> processes, List<ScoredRegion> regions) {
    return new Planner(config)
        .plan(input(roomyBox(), processes, regions), PlannerState.initial())
        .plan();
  }

  /** The parts of a run over {@code regions}, joined, no step run yet. */
  static PlanningRun run(
      PlannerConfig config,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions) {
    return new PlanningRun(config, input(topology, processes, regions), PlannerState.initial());
  }

  /** The moves a run booked so far: {@code pid from→to CODE bytes}. */
  static List<String> booked(PlanningRun run) {
    List<String> out = new ArrayList<>();
    for (Ledger.PlannedMove move : run.ledger.planned()) {
      out.add(
          run.segments.process(move.segment()).pid()
              + " "
              + run.nodes.nodeId(move.source())
              + "→"
              + run.nodes.nodeId(move.target())
              + " "
              + move.code()
              + " "
              + move.bytes());
    }
    return out;
  }

  /** The skips a run listed so far: {@code pid from REASON bytes}. */
  static List<String> skipped(PlanningRun run) {
    List<String> out = new ArrayList<>();
    for (Skip skip : run.skips.listed()) {
      out.add(skip.pid() + " " + skip.fromNode() + " " + skip.reason() + " " + skip.bytes());
    }
    return out;
  }

  public static Map<Integer, Long> on(int node, long bytes) {
    Map<Integer, Long> m = new HashMap<>();
    m.put(node, bytes);
    return m;
  }

  public static Map<Integer, Long> on(int node, long bytes, int node2, long bytes2) {
    Map<Integer, Long> m = on(node, bytes);
    m.put(node2, bytes2);
    return m;
  }
}
