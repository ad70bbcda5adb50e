package tierd.planner;

import tierd.model.AddressRange;
import tierd.process.Vma;

/**
 * Where the pages of a range of one process are: bytes per node. The daemon supplies it, exact from
 * a {@code move_pages(nodes=NULL)} query or estimated from the VMA's per-node counts ({@link
 * #estimate}, by {@link Vma#estimatedBytes(long)}, as the planner estimates what no placement
 * covers). The planner uses, for each piece of a region, the placements that overlap it (pro rata
 * by overlapping bytes) and the VMA estimate for any part no placement covers; so placements may be
 * coarser or finer than the scored regions.
 *
 * @param pid the owning process
 * @param range the range the figures are for
 * @param bytesOnNode present bytes per node inside {@code range}
 * @param exact true when queried page by page, false when estimated
 */
public record RegionPlacement(int pid, AddressRange range, NodeBytes bytesOnNode, boolean exact) {

  public RegionPlacement {
    if (range.isEmpty()) {
      throw new IllegalArgumentException("placement of an empty range " + range);
    }
  }

  /**
   * Estimates the placement of {@code range} (clipped to the VMA) from the VMA's pages per node, in
   * proportion to the overlap ({@link Vma#estimatedBytes(long)}): a range covering a quarter of the
   * VMA gets a quarter of its bytes on each node, rounded to whole pages.
   */
  public static RegionPlacement estimate(int pid, Vma vma, AddressRange range) {
    AddressRange r = range.intersect(vma.range());
    if (r.isEmpty()) {
      throw new IllegalArgumentException("range " + range + " is outside VMA " + vma.range());
    }
    return new RegionPlacement(pid, r, NodeBytes.of(vma.estimatedBytes(r.sizeBytes())), false);
  }
}
