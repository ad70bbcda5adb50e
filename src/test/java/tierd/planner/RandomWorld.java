package tierd.planner;

import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.PAGE;
import static tierd.planner.Fixtures.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.CpuList;
import tierd.model.DataSize;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.scoring.Thresholds;
import tierd.source.proc.NumaMaps;
import tierd.topology.NodeInfo;
import tierd.topology.Tier;
import tierd.topology.TierSource;
import tierd.topology.Topology;

/**
 * A random but real-shaped world for the planner's property tests: 1–4 tiers of 1–3 nodes with
 * random ids, sizes, free memory and watermarks; 1–5 processes with random cpusets and 1–6 VMAs of
 * random policies (all modes), sharing, hugetlb and placement; regions of random heat; random
 * budgets, residency history and config. Reproducible from its seed.
 */
final class RandomWorld {

  final long seed;
  final Topology topology;
  final List<ManagedProcess> processes;
  final List<ScoredRegion> regions;
  final List<RegionPlacement> placements;
  final PlannerConfig config;
  final PlannerState state;
  final Tenancy tenancy;
  final Instant now = T0;

  private RandomWorld(
      long seed,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      List<RegionPlacement> placements,
      PlannerConfig config,
      PlannerState state,
      Tenancy tenancy) {
    this.seed = seed;
    this.topology = topology;
    this.processes = processes;
    this.regions = regions;
    this.placements = placements;
    this.config = config;
    this.state = state;
    this.tenancy = tenancy;
  }

  PlanInput input() {
    return new PlanInput(now, topology, processes, regions, thresholds(), placements)
        .withTenancy(tenancy);
  }

  /** The same world with its processes in {@code newTenancy}'s tenants ({@link RandomClasses}). */
  RandomWorld withTenancy(Tenancy newTenancy) {
    return new RandomWorld(
        seed, topology, processes, regions, placements, config, state, newTenancy);
  }

  /**
   * The placement targets of issue 19 on this world, drawn from {@code seed}: the lowest tier's
   * nodes (or the next tier up's) demotion-only, when there are two tiers or more, with a capacity
   * of 40–130 % of what each holds, and for each process its threads' CPU time on one or two random
   * nodes with CPUs.
   */
  Targets targets(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<Integer, CapacitySource> demotionOnly = new TreeMap<>();
    Map<Integer, Long> capacities = new TreeMap<>();
    List<Tier> tiers = topology.tiers();
    if (tiers.size() >= 2) {
      // the lowest tier, or (in half the worlds of three tiers or more) the one above it
      int tier = tiers.size() >= 3 && rnd.nextBoolean() ? tiers.size() - 2 : tiers.size() - 1;
      for (int node : tiers.get(tier).nodes().toArray()) {
        demotionOnly.put(node, new CapacitySource.Fixed(0));
        long used = topology.node(node).usedBytes();
        capacities.put(node, (long) (used * (0.4 + 0.9 * rnd.nextDouble())));
      }
    }
    List<Integer> withCpus = new ArrayList<>();
    for (NodeInfo n : topology.nodes().values()) {
      if (!n.cpuLess()) {
        withCpus.add(n.id());
      }
    }
    Map<Integer, ProcessCpus> cpus = new TreeMap<>();
    for (ManagedProcess p : processes) {
      Map<Integer, Long> ticks = new TreeMap<>();
      Map<Integer, CpuList> last = new TreeMap<>();
      for (int i = 0, n = 1 + rnd.nextInt(2); i < n && !withCpus.isEmpty(); i++) {
        int node = withCpus.get(rnd.nextInt(withCpus.size()));
        ticks.merge(node, 1L + rnd.nextInt(100), Long::sum);
        last.put(node, topology.node(node).cpus());
      }
      cpus.put(
          p.pid(),
          new ProcessCpus(
              p.pid(), p.startTimeTicks(), CpuList.empty(), NodeSet.empty(), ticks, last));
    }
    return new Targets(
        config.toBuilder().demotionOnly(demotionOnly).build(),
        input().withCpus(cpus).withCapacities(capacities));
  }

  /** The config and input of {@link #targets}. */
  record Targets(PlannerConfig config, PlanInput input) {}

  static Thresholds thresholds() {
    return new Thresholds(0.40, 0.02, false, 0.40, 0.07, 7 * GiB, 0, 2);
  }

  /**
   * A random world. When {@code ideal}, each region is one whole VMA whose pages sit where the
   * rules want them (HOT data with no allowed faster node, COLD data with no allowed slower node),
   * so the plan must hold no move.
   */
  static RandomWorld generate(long seed, boolean ideal) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Topology topo = topology(rnd);
    PlannerConfig cfg = config(rnd, topo);
    int[] ids = topo.nodeIds().toArray();
    List<ManagedProcess> procs = new ArrayList<>();
    List<ScoredRegion> regions = new ArrayList<>();
    List<RegionPlacement> placements = new ArrayList<>();
    int nProc = 1 + rnd.nextInt(5);
    for (int p = 0; p < nProc; p++) {
      int pid = 100 + p * 7;
      NodeSet cpuset = rnd.nextInt(3) == 0 ? topo.nodeIds() : randomSubset(rnd, ids);
      List<Vma> vmas = new ArrayList<>();
      long addr = 0x7f0000000000L + (long) rnd.nextInt(64) * 2 * MiB;
      int nVma = 1 + rnd.nextInt(6);
      for (int v = 0; v < nVma; v++) {
        addr += (long) rnd.nextInt(4) * 2 * MiB + (rnd.nextBoolean() ? 0 : rnd.nextInt(16) * PAGE);
        boolean hugetlb = rnd.nextInt(10) == 0;
        long page = hugetlb ? 2 * MiB : PAGE;
        if (hugetlb) {
          addr = (addr + page - 1) & -page;
        }
        long pages = hugetlb ? 1 + rnd.nextInt(64) : 1 + rnd.nextInt(64 * 1024);
        long size = pages * page;
        MemPolicy pol = policy(rnd, ids);
        boolean shared = rnd.nextInt(8) == 0;
        String perms = shared && rnd.nextBoolean() ? "rw-s" : "rw-p";
        long mapmax = shared && perms.equals("rw-p") ? 2 : 1;
        HeatClass cls = HeatClass.values()[rnd.nextInt(3)];
        TreeMap<Integer, Long> perNode = new TreeMap<>();
        if (ideal) {
          int node = idealNode(rnd, topo, cfg, cpuset, pol, cls);
          perNode.put(node, 1 + (long) rnd.nextInt((int) Math.min(pages, Integer.MAX_VALUE)));
        } else {
          long left = pages;
          int spread = 1 + rnd.nextInt(3);
          for (int s = 0; s < spread && left > 0; s++) {
            int node = rnd.nextInt(30) == 0 ? 999 : ids[rnd.nextInt(ids.length)];
            long n = 1 + rnd.nextLong(left);
            perNode.merge(node, n, Long::sum);
            left -= n;
          }
        }
        Vma vma =
            new Vma(
                AddressRange.ofSize(addr, size),
                perms,
                hugetlb ? "/dev/hugepages/f" : "",
                pol,
                hugetlb ? NumaMaps.Backing.FILE : NumaMaps.Backing.ANON,
                hugetlb,
                page,
                0,
                mapmax,
                perNode);
        vmas.add(vma);
        if (ideal) {
          regions.add(region(rnd, pid, vma.range(), cls));
        }
        addr += size;
      }
      if (!ideal) {
        randomRegions(rnd, pid, vmas, regions, placements, ids);
      }
      long start = 1000L + pid;
      procs.add(
          new ManagedProcess(
              pid, start, "p" + pid, 0, "/p" + pid, cpuset, Optional.of(cpuset), cpuset, vmas));
    }
    if (rnd.nextInt(4) == 0) {
      Collections.shuffle(regions, new java.util.Random(seed));
    }
    return new RandomWorld(
        seed, topo, procs, regions, placements, cfg, state(rnd, procs, ideal), Tenancy.NONE);
  }

  private static Topology topology(SplittableRandom rnd) {
    int nTiers = 1 + rnd.nextInt(4);
    List<Integer> idPool = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      idPool.add(i);
    }
    Collections.shuffle(idPool, new java.util.Random(rnd.nextLong()));
    int next = 0;
    List<NodeSet> tierSets = new ArrayList<>();
    Map<Integer, Integer> tierOf = new HashMap<>();
    for (int t = 0; t < nTiers; t++) {
      int n = 1 + rnd.nextInt(3);
      List<Integer> ns = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = idPool.get(next++);
        ns.add(id);
        tierOf.put(id, t);
      }
      tierSets.add(NodeSet.of(ns));
    }
    List<Integer> all = new ArrayList<>(tierOf.keySet());
    Map<String, Integer> dist = new HashMap<>();
    for (int a : all) {
      for (int b : all) {
        if (a < b) {
          int d = 11 + 5 * Math.abs(tierOf.get(a) - tierOf.get(b)) + rnd.nextInt(12);
          dist.put(a + "," + b, d);
          dist.put(b + "," + a, d);
        }
      }
    }
    List<NodeInfo> nodes = new ArrayList<>();
    for (int a : all) {
      Map<Integer, Integer> row = new TreeMap<>();
      for (int b : all) {
        row.put(b, a == b ? 10 : dist.get(a + "," + b));
      }
      long total = (1 + rnd.nextInt(64)) * GiB / 4;
      long free = rnd.nextInt(5) == 0 ? rnd.nextLong(total / 50 + 1) : rnd.nextLong(total + 1);
      Optional<NodeInfo.Watermarks> wm = Optional.empty();
      if (rnd.nextInt(5) != 0) {
        long low = (long) (total * (0.005 + rnd.nextDouble() * 0.03));
        wm = Optional.of(new NodeInfo.Watermarks(low / 2, low, low * 3 / 2, -1));
      }
      boolean cpus = tierOf.get(a) == 0 || rnd.nextInt(6) == 0;
      nodes.add(
          new NodeInfo(
              a,
              cpus ? CpuList.parse(a * 2 + "-" + (a * 2 + 1)) : CpuList.empty(),
              row,
              total,
              free,
              wm,
              Optional.empty()));
    }
    List<Tier> tiers = new ArrayList<>();
    for (int t = 0; t < nTiers; t++) {
      tiers.add(new Tier(t, -1, tierSets.get(t)));
    }
    return new Topology(nodes, tiers, TierSource.CONFIG);
  }

  private static PlannerConfig config(SplittableRandom rnd, Topology topo) {
    Map<Integer, Double> fill = new HashMap<>();
    for (int n : topo.nodeIds().toArray()) {
      if (rnd.nextInt(3) == 0) {
        fill.put(n, 0.3 + rnd.nextDouble() * 0.7);
      }
    }
    Duration residency = Duration.ofSeconds(rnd.nextInt(300));
    long[] thp = {0, 2 * MiB, 64 * 1024};
    return PlannerConfig.builder()
        .promoteBytesPerSecond(MiB + rnd.nextLong(GiB))
        .demoteBytesPerSecond(MiB + rnd.nextLong(GiB))
        .budgetBurst(Duration.ofMillis(100 + rnd.nextInt(10_000)))
        .maxBytesPerCycle(DataSize.ofBytes(MiB + rnd.nextLong(4 * GiB)))
        .minResidency(residency)
        .historyRetention(residency.plusSeconds(rnd.nextInt(3600)))
        .proactiveDemotionAge(rnd.nextBoolean() ? null : Duration.ofSeconds(1 + rnd.nextInt(1200)))
        .preferred(PlannerConfig.PreferredPolicy.values()[rnd.nextInt(2)])
        .moveInterleaved(rnd.nextInt(4) == 0)
        .moveShared(rnd.nextInt(4) == 0)
        .hugetlb(PlannerConfig.HugetlbMode.values()[rnd.nextInt(2)])
        .thpAlign(DataSize.ofBytes(thp[rnd.nextInt(thp.length)]))
        .maxFill(fill)
        .exchange(rnd.nextInt(4) != 0)
        .maxSkipsListed(rnd.nextInt(3) == 0 ? rnd.nextInt(5) : 10_000)
        .build();
  }

  private static MemPolicy policy(SplittableRandom rnd, int[] ids) {
    int r = rnd.nextInt(16);
    if (r < 5) {
      return MemPolicy.DEFAULT;
    }
    MemPolicy.Mode mode =
        switch (r) {
          case 5 -> MemPolicy.Mode.LOCAL;
          case 6, 7 -> MemPolicy.Mode.BIND;
          case 8, 9 -> MemPolicy.Mode.PREFERRED;
          case 10, 11 -> MemPolicy.Mode.PREFERRED_MANY;
          case 12, 13 -> MemPolicy.Mode.INTERLEAVE;
          case 14 -> MemPolicy.Mode.WEIGHTED_INTERLEAVE;
          default -> MemPolicy.Mode.UNKNOWN;
        };
    NodeSet nodes =
        switch (mode) {
          case LOCAL, UNKNOWN -> NodeSet.empty();
          case PREFERRED -> NodeSet.of(ids[rnd.nextInt(ids.length)]);
          default -> randomSubset(rnd, ids);
        };
    return MemPolicy.of(mode, nodes);
  }

  static NodeSet randomSubset(SplittableRandom rnd, int[] ids) {
    List<Integer> out = new ArrayList<>();
    for (int id : ids) {
      if (rnd.nextBoolean()) {
        out.add(id);
      }
    }
    if (out.isEmpty()) {
      out.add(ids[rnd.nextInt(ids.length)]);
    }
    return NodeSet.of(out);
  }

  /** The nodes the test oracle lets data of this VMA be promoted (up) or demoted (down) into. */
  static NodeSet allowed(PlannerConfig cfg, NodeSet cpuset, MemPolicy pol, boolean up) {
    return switch (pol.mode()) {
      case DEFAULT, LOCAL -> cpuset;
      case BIND -> cpuset.intersect(pol.nodes());
      case PREFERRED_MANY -> up ? cpuset.intersect(pol.nodes()) : cpuset;
      case PREFERRED ->
          up && cfg.preferred() == PlannerConfig.PreferredPolicy.RESPECT
              ? cpuset.intersect(pol.nodes())
              : cpuset;
      case INTERLEAVE, WEIGHTED_INTERLEAVE ->
          cfg.moveInterleaved() ? cpuset.intersect(pol.nodes()) : NodeSet.empty();
      default -> NodeSet.empty();
    };
  }

  private static int idealNode(
      SplittableRandom rnd,
      Topology topo,
      PlannerConfig cfg,
      NodeSet cpuset,
      MemPolicy pol,
      HeatClass cls) {
    int[] ids = topo.nodeIds().toArray();
    List<Integer> ok = new ArrayList<>();
    for (int n : ids) {
      boolean fine =
          switch (cls) {
            case HOT -> allowed(cfg, cpuset, pol, true).intersect(topo.fasterThan(n)).isEmpty();
            case COLD -> allowed(cfg, cpuset, pol, false).intersect(topo.slowerThan(n)).isEmpty();
            case WARM -> true;
          };
      if (fine) {
        ok.add(n);
      }
    }
    return ok.get(rnd.nextInt(ok.size()));
  }

  private static ScoredRegion region(
      SplittableRandom rnd, int pid, AddressRange range, HeatClass cls) {
    double heat =
        switch (cls) {
          case HOT -> 0.4 + rnd.nextDouble() * 0.6;
          case WARM -> 0.02 + rnd.nextDouble() * 0.5;
          case COLD -> rnd.nextDouble() * 0.3;
        };
    Duration idle = cls == HeatClass.HOT ? Duration.ZERO : Duration.ofSeconds(rnd.nextInt(3600));
    return new ScoredRegion(
        pid, 1000L + pid, range, heat, cls, cls == HeatClass.HOT ? 1 + rnd.nextInt(6) : 0, idle);
  }

  /** Regions over the VMAs' span with random boundaries (page aligned), gaps included. */
  private static void randomRegions(
      SplittableRandom rnd,
      int pid,
      List<Vma> vmas,
      List<ScoredRegion> out,
      List<RegionPlacement> placements,
      int[] ids) {
    long start = vmas.get(0).range().start() - rnd.nextInt(4) * PAGE;
    long end = vmas.get(vmas.size() - 1).range().end() + rnd.nextInt(4) * PAGE;
    long at = start;
    boolean exact = rnd.nextBoolean();
    while (at < end) {
      long len = PAGE * (1 + rnd.nextLong(Math.max(1, (end - at) / PAGE / 2 + 1)));
      len = Math.min(len, end - at);
      AddressRange r = AddressRange.ofSize(at, len);
      if (rnd.nextInt(5) != 0) {
        out.add(region(rnd, pid, r, HeatClass.values()[rnd.nextInt(3)]));
        if (exact && rnd.nextBoolean()) {
          Map<Integer, Long> b = new HashMap<>();
          int spread = 1 + rnd.nextInt(2);
          for (int s = 0; s < spread; s++) {
            b.merge(ids[rnd.nextInt(ids.length)], PAGE * (1 + rnd.nextLong(len / PAGE)), Long::sum);
          }
          placements.add(new RegionPlacement(pid, r, NodeBytes.of(b), true));
        }
      }
      at += len;
    }
  }

  private static PlannerState state(
      SplittableRandom rnd, List<ManagedProcess> procs, boolean ideal) {
    TokenBucket p = bucket(rnd);
    TokenBucket d = bucket(rnd);
    ResidencyHistory h = ResidencyHistory.empty();
    Set<ProcessId> alive = new HashSet<>();
    for (ManagedProcess mp : procs) {
      alive.add(new ProcessId(mp.pid(), mp.startTimeTicks()));
    }
    if (!ideal) {
      for (ManagedProcess mp : procs) {
        for (Vma v : mp.vmas()) {
          if (rnd.nextInt(3) != 0) {
            continue;
          }
          Direction dir = rnd.nextBoolean() ? Direction.PROMOTE : Direction.DEMOTE;
          long s = v.range().start() + PAGE * rnd.nextLong(v.range().sizeBytes() / PAGE);
          long e = Math.min(v.range().end(), s + PAGE * (1 + rnd.nextInt(1024)));
          Move m =
              new Move(
                  mp.pid(),
                  mp.startTimeTicks(),
                  List.of(new AddressRange(s, e)),
                  NodeSet.of(900),
                  901,
                  e - s,
                  false,
                  dir,
                  PAGE,
                  false,
                  false,
                  false,
                  new Reason(
                      dir == Direction.PROMOTE ? ReasonCode.HOT : ReasonCode.COLD_PRESSURE, "r"));
          h =
              h.withMoves(
                  List.of(m),
                  T0.minusSeconds(rnd.nextInt(1800)),
                  T0.minus(Duration.ofDays(1)),
                  alive);
        }
      }
    }
    return new PlannerState(p, d, h, rnd.nextInt(10));
  }

  private static TokenBucket bucket(SplittableRandom rnd) {
    if (rnd.nextBoolean()) {
      return TokenBucket.UNSTARTED;
    }
    return new TokenBucket(rnd.nextLong(2 * GiB), Optional.of(T0.minusMillis(rnd.nextInt(20_000))));
  }

  @Override
  public String toString() {
    return "RandomWorld(seed " + seed + ")";
  }
}
