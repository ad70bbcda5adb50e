package tierd.daemon;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.model.PerNode;
import tierd.process.ManagedProcess;
import tierd.process.VmaIndex;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.topology.Tier;
import tierd.topology.Topology;

/**
 * The scored bytes per heat class and tier, for the tierd_region_bytes metric. A region's bytes on
 * a node are estimated from the VMAs it overlaps, in proportion ({@link tierd.process.Vma#shareOf},
 * {@link tierd.process.Vma#bytesInShare}: the planner's estimate); exact placement is only queried
 * for the regions that may move.
 */
final class TierBytes {

  private TierBytes() {}

  /** Bytes by heat class name, then by tier label; every class and tier present, 0 when none. */
  static Map<String, Map<String, Long>> byClassAndTier(
      List<ScoredRegion> regions, List<ManagedProcess> procs, Topology topo) {
    // Summed in an array per class and tier rank and turned into labelled maps once at the end.
    HeatClass[] classes = HeatClass.values();
    List<Tier> tiers = topo.tiers();
    long[][] sums = new long[classes.length][tiers.size()];
    // Per process its VMAs by start address, so that each region visits only the VMAs it overlaps
    // (a binary search for the first) instead of all of them: regions x VMAs per process was the
    // largest single cost of a cycle at 100 regions per process.
    Map<Integer, VmaIndex> byPid = new HashMap<>();
    procs.forEach(p -> byPid.put(p.pid(), VmaIndex.of(p.vmas())));
    for (ScoredRegion s : regions) {
      VmaIndex index = byPid.get(s.pid());
      if (index == null) {
        continue;
      }
      long[] perTier = sums[s.heatClass().ordinal()];
      index.forEachOverlap(
          s.range(),
          (v, overlapBytes) -> {
            if (v.presentPages() == 0) {
              return;
            }
            PerNode pages = v.pages();
            double share = v.shareOf(overlapBytes);
            for (int j = 0; j < pages.size(); j++) {
              int rank = topo.rankOf(pages.node(j));
              if (rank >= 0) {
                perTier[rank] += v.bytesInShare(pages.count(j), share);
              }
            }
          });
    }
    Map<String, Map<String, Long>> out = new TreeMap<>();
    for (HeatClass c : classes) {
      Map<String, Long> perTier = new TreeMap<>();
      for (int rank = 0; rank < tiers.size(); rank++) {
        perTier.merge(tiers.get(rank).label(), sums[c.ordinal()][rank], Long::sum);
      }
      out.put(c.name(), perTier);
    }
    return out;
  }
}
