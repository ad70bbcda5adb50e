package tierd.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.source.proc.NumaMaps;
import tierd.topology.NodeInfo;
import tierd.topology.Topology;

/**
 * A large, real-shaped world for the scoring and planning benchmarks: the reference box scaled up
 * (two 1 TiB DRAM nodes, a 2 TiB CXL node, a 4 TiB compressed-CXL node with an 80 % fill limit),
 * node 0 under its low watermark and node 1 nearly full, {@code processes} processes of 20 VMAs of
 * 1 GiB each with mixed policies, and {@code regions} DAMON-like regions of 2–8 MiB with random
 * access fractions (a tenth hot, a third idle). Reproducible from its seed.
 */
final class BenchWorld {

  static final long MiB = 1L << 20;
  static final long GiB = 1L << 30;
  static final long TiB = 1L << 40;
  static final Duration WINDOW = Duration.ofSeconds(10);

  final Topology topology;
  final List<ManagedProcess> processes = new ArrayList<>();
  final List<RegionSample> samples = new ArrayList<>();

  BenchWorld(int regions, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long[] total = {TiB, TiB, 2 * TiB, 4 * TiB};
    long[] free = {TiB / 200, TiB / 80, TiB, TiB / 2}; // node 0 under low, node 1 nearly full
    List<NodeInfo> nodes = new ArrayList<>();
    Topology shape = Fixtures.box(0, 0, 0, 0);
    for (NodeInfo n : shape.nodes().values()) {
      nodes.add(Fixtures.node(n.id(), !n.cpuLess(), total[n.id()], free[n.id()], n.distances()));
    }
    topology = Fixtures.topology(nodes, shape.tiers().stream().map(t -> t.nodes()).toList());

    int vmasPerProcess = 20;
    long vmaBytes = GiB;
    int regionsPerProcess = 5000;
    int nProcs = Math.max(1, regions / regionsPerProcess);
    int left = regions;
    for (int p = 0; p < nProcs; p++) {
      int pid = 1000 + p;
      NodeSet cpuset = rnd.nextInt(10) == 0 ? NodeSet.of(1, 2, 3) : NodeSet.of(0, 1, 2, 3);
      List<Vma> vmas = new ArrayList<>();
      long base = 0x7f0000000000L;
      for (int v = 0; v < vmasPerProcess; v++) {
        long start = base + v * (vmaBytes + 2 * MiB);
        Map<Integer, Long> pages = new TreeMap<>();
        long present = vmaBytes / 4096;
        int a = rnd.nextInt(4);
        int b = rnd.nextInt(4);
        pages.merge(a, present / 2, Long::sum);
        pages.merge(b, present / 2, Long::sum);
        vmas.add(
            new Vma(
                AddressRange.ofSize(start, vmaBytes),
                rnd.nextInt(50) == 0 ? "rw-s" : "rw-p",
                "",
                policy(rnd),
                NumaMaps.Backing.ANON,
                false,
                4096,
                present,
                1,
                new TreeMap<>(pages)));
      }
      processes.add(Fixtures.process(pid, cpuset, vmas));
      int n = p == nProcs - 1 ? left : regionsPerProcess;
      left -= n;
      // regions of 2–8 MiB laid over the VMAs one after another (they span VMA gaps like DAMON's)
      long at = base;
      long end = base + vmasPerProcess * (vmaBytes + 2 * MiB);
      long step = Math.max(2 * MiB, (end - base) / n / (2 * MiB) * (2 * MiB));
      for (int i = 0; i < n; i++) {
        long size = Math.min(step, 2 * MiB * (1 + rnd.nextInt(4)));
        int r = rnd.nextInt(10);
        int nr = r == 0 ? 60 + rnd.nextInt(41) : r < 4 ? 0 : 1 + rnd.nextInt(30);
        samples.add(
            new RegionSample(
                pid,
                AddressRange.ofSize(at, size),
                nr,
                100,
                WINDOW,
                Duration.ofSeconds(nr == 0 ? 60 + rnd.nextInt(3600) : rnd.nextInt(30)),
                "bench"));
        at += step;
      }
    }
  }

  private static MemPolicy policy(SplittableRandom rnd) {
    int r = rnd.nextInt(20);
    return switch (r) {
      case 0, 1 -> MemPolicy.parse("bind:0-2");
      case 2, 3 -> MemPolicy.parse("prefer (many):1-2");
      case 4 -> MemPolicy.parse("interleave:0-1");
      case 5 -> MemPolicy.parse("prefer:1");
      default -> MemPolicy.DEFAULT;
    };
  }

  /** The same samples observed again {@code dt} later (a new cycle of the same workload). */
  static Instant at(int cycle) {
    return Fixtures.T0.plus(WINDOW.multipliedBy(cycle));
  }
}
