package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tierd.model.AddressRange;
import tierd.model.CpuList;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.source.proc.NumaMaps;
import tierd.topology.NodeInfo;
import tierd.topology.Tier;
import tierd.topology.TierSource;
import tierd.topology.Topology;

/**
 * The per-class, per-tier byte estimate of the tierd_region_bytes metric: the indexed walk (binary
 * search for the first VMA a region overlaps) gives exactly what visiting every VMA of the process
 * for every region gives, with the same estimate per VMA ({@code Vma.bytesInShare}).
 */
class TierBytesTest {

  private static final long PAGE = 4096;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 42, 4242, 99_991})
  void indexedWalkEqualsTheFullScan(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Topology topo = topology();
    List<ManagedProcess> procs = new ArrayList<>();
    List<ScoredRegion> regions = new ArrayList<>();
    for (int p = 0; p < 1 + rnd.nextInt(6); p++) {
      int pid = 100 + p;
      List<Vma> vmas = new ArrayList<>();
      long addr = 0x7f0000000000L;
      int n = rnd.nextInt(40);
      for (int v = 0; v < n; v++) {
        addr += rnd.nextInt(3) * PAGE * rnd.nextInt(64);
        long size = (1 + rnd.nextInt(512)) * PAGE;
        vmas.add(vma(rnd, addr, size));
        addr += size;
      }
      boolean overlapping = rnd.nextInt(5) == 0 && !vmas.isEmpty();
      if (overlapping) {
        // hand-made lists may overlap: the index falls back to the full scan
        Vma any = vmas.get(rnd.nextInt(vmas.size()));
        vmas.add(vma(rnd, any.range().start() + PAGE, any.range().sizeBytes() + 8 * PAGE));
      }
      if (rnd.nextBoolean()) {
        Collections.shuffle(vmas, new java.util.Random(seed + p));
      }
      NodeSet all = NodeSet.parse("0-2");
      procs.add(new ManagedProcess(pid, 1000 + pid, "w", 0, "/", all, Optional.empty(), all, vmas));
      long lo = 0x7f0000000000L - 16 * PAGE;
      long hi = addr + 16 * PAGE;
      for (int r = 0; r < rnd.nextInt(60); r++) {
        long a = lo + rnd.nextLong((hi - lo) / PAGE) * PAGE;
        long len = (1 + rnd.nextInt(2048)) * PAGE;
        HeatClass c = HeatClass.values()[rnd.nextInt(HeatClass.values().length)];
        regions.add(
            new ScoredRegion(
                rnd.nextInt(10) == 0 ? 9999 : pid,
                1000 + pid,
                new AddressRange(a, a + len),
                rnd.nextDouble(),
                c,
                0,
                Duration.ZERO));
      }
    }
    assertThat(TierBytes.byClassAndTier(regions, procs, topo))
        .isEqualTo(fullScan(regions, procs, topo));
  }

  private static Vma vma(SplittableRandom rnd, long start, long size) {
    TreeMap<Integer, Long> perNode = new TreeMap<>();
    long pages = size / PAGE;
    for (int node = 0; node < 4; node++) {
      if (rnd.nextBoolean() && pages > 0) {
        long k = rnd.nextLong(pages + 1);
        perNode.put(node == 3 ? 7 : node, k); // node 7: in no tier
        pages -= k;
      }
    }
    return new Vma(
        AddressRange.ofSize(start, size),
        "rw-p",
        "",
        MemPolicy.DEFAULT,
        NumaMaps.Backing.ANON,
        false,
        PAGE,
        0,
        1,
        perNode);
  }

  /** The same estimate without the index: every VMA of the process for every region. */
  private static Map<String, Map<String, Long>> fullScan(
      List<ScoredRegion> regions, List<ManagedProcess> procs, Topology topo) {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (HeatClass c : HeatClass.values()) {
      Map<String, Long> perTier = new TreeMap<>();
      for (var t : topo.tiers()) {
        perTier.put(t.label(), 0L);
      }
      out.put(c.name(), perTier);
    }
    Map<Integer, ManagedProcess> byPid = new HashMap<>();
    procs.forEach(p -> byPid.put(p.pid(), p));
    for (ScoredRegion s : regions) {
      ManagedProcess p = byPid.get(s.pid());
      if (p == null) {
        continue;
      }
      for (var v : p.vmas()) {
        long overlap = v.range().overlapBytes(s.range());
        if (overlap == 0 || v.presentPages() == 0) {
          continue;
        }
        for (var e : v.pagesPerNode().entrySet()) {
          int rank = topo.rankOf(e.getKey());
          if (rank < 0) {
            continue;
          }
          long b = v.bytesInShare(e.getValue(), v.shareOf(overlap));
          out.get(s.heatClass().name()).merge(topo.tiers().get(rank).label(), b, Long::sum);
        }
      }
    }
    return out;
  }

  private static Topology topology() {
    List<NodeInfo> nodes = new ArrayList<>();
    for (int id = 0; id < 3; id++) {
      Map<Integer, Integer> dist = new TreeMap<>();
      for (int j = 0; j < 3; j++) {
        dist.put(j, id == j ? 10 : 20);
      }
      nodes.add(
          new NodeInfo(
              id,
              id == 0 ? CpuList.parse("0-1") : CpuList.empty(),
              dist,
              1L << 30,
              1L << 29,
              Optional.empty(),
              Optional.empty()));
    }
    return new Topology(
        nodes,
        List.of(new Tier(0, -1, NodeSet.parse("0")), new Tier(1, -1, NodeSet.parse("1-2"))),
        TierSource.CONFIG);
  }
}
