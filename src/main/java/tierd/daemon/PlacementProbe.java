package tierd.daemon;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tierd.model.AddressRange;
import tierd.mover.PlacementQuery;
import tierd.planner.NodeBytes;
import tierd.planner.RegionPlacement;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/**
 * Exact placement of the regions that may move (hot or cold), from {@code move_pages(pid, n, pages,
 * NULL, status, 0)} ({@link PlacementQuery}): the node of every page. numa_maps only gives counts
 * per VMA; without this, a VMA half on each tier would make every region of it look half-placed.
 *
 * <p>Work is bounded: at most {@code pageBudget} pages are queried per cycle, hottest and coldest
 * first; regions beyond the budget are left to the planner's per-VMA estimate. Huge pages are
 * queried once per huge page.
 */
public final class PlacementProbe {

  private final PlacementQuery query;
  private final long pageBudget;

  public PlacementProbe(PlacementQuery query, long pageBudget) {
    this.query = query;
    this.pageBudget = pageBudget;
  }

  /** The probe's outcome: placements and how many pages were queried. */
  public record Result(List<RegionPlacement> placements, long pagesQueried, int processesGone) {}

  public Result probe(List<ManagedProcess> processes, List<ScoredRegion> regions) {
    Map<Integer, ManagedProcess> byPid = new HashMap<>();
    for (ManagedProcess p : processes) {
      byPid.put(p.pid(), p);
    }
    List<ScoredRegion> candidates = new ArrayList<>();
    for (ScoredRegion r : regions) {
      if (r.heatClass() != HeatClass.WARM && byPid.containsKey(r.pid())) {
        candidates.add(r);
      }
    }
    // Most decisive first: the hottest and the coldest regions.
    candidates.sort((a, b) -> Double.compare(Math.abs(b.heat() - 0.5), Math.abs(a.heat() - 0.5)));
    List<RegionPlacement> out = new ArrayList<>();
    long queried = 0;
    Set<Integer> gone = new HashSet<>();
    for (ScoredRegion r : candidates) {
      if (gone.contains(r.pid())) {
        continue;
      }
      ManagedProcess p = byPid.get(r.pid());
      for (Vma v : p.vmas()) {
        AddressRange piece = r.range().intersect(v.range());
        if (piece.isEmpty() || v.presentPages() == 0) {
          continue;
        }
        AddressRange aligned = piece.alignOut(v.pageBytes()).intersect(v.range());
        long pages = aligned.sizeBytes() / v.pageBytes();
        if (pages == 0 || queried + pages > pageBudget) {
          continue;
        }
        Optional<Map<Integer, Long>> bytes = query.bytesPerNode(r.pid(), aligned, v.pageBytes());
        queried += pages;
        if (bytes.isEmpty()) {
          gone.add(r.pid());
          break;
        }
        out.add(new RegionPlacement(r.pid(), aligned, NodeBytes.of(bytes.get()), true));
      }
    }
    return new Result(dedupe(out), queried, gone.size());
  }

  /** Regions of one process may overlap after alignment; keep the first of overlapping ones. */
  private static List<RegionPlacement> dedupe(List<RegionPlacement> in) {
    List<RegionPlacement> sorted = new ArrayList<>(in);
    sorted.sort(
        (a, b) ->
            a.pid() != b.pid()
                ? Integer.compare(a.pid(), b.pid())
                : a.range().compareTo(b.range()));
    List<RegionPlacement> out = new ArrayList<>();
    for (RegionPlacement p : sorted) {
      if (!out.isEmpty()) {
        RegionPlacement last = out.get(out.size() - 1);
        if (last.pid() == p.pid() && last.range().overlaps(p.range())) {
          continue;
        }
      }
      out.add(p);
    }
    return out;
  }
}
