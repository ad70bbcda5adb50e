package tierd.mover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

/**
 * One move the planner asks for: the pages of {@code process} in {@code ranges} that currently sit
 * on a node of {@code fromNodes} go to {@code targetNode}.
 *
 * <p>{@code fromNodes} is what keeps the mover honest: placement is queried first and a page on any
 * other node (the target's own tier, a node the planner did not mean) is left alone. That is how
 * tierd never moves a page between two nodes of the same tier.
 *
 * <p>{@code pageBytes} is the unit the mover addresses: the base page size (4 KiB), or 2 MiB for a
 * THP-backed VMA (one address per PMD-sized folio; the kernel migrates the whole folio whichever
 * subpage is named, or splits it on failure), or the hugetlb page size for a {@code huge} VMA.
 * Ranges are widened to whole pages of that size. Counts in the result are in these units, and
 * bytes are counts times {@code pageBytes}; for a THP-backed range whose folios were split, the
 * byte count is an upper bound.
 *
 * @param ranges {@code [start,end)} byte ranges; sorted and merged here
 */
public record MoveRequest(
    ProcessId process,
    List<AddressRange> ranges,
    NodeSet fromNodes,
    int targetNode,
    long pageBytes) {

  public static final long BASE_PAGE_BYTES = 4096;
  public static final long PMD_FOLIO_BYTES = 2L << 20;

  public MoveRequest {
    NodeSet.checkNode(targetNode);
    if (fromNodes.isEmpty()) {
      throw new IllegalArgumentException("move to node " + targetNode + ": no source nodes");
    }
    if (fromNodes.contains(targetNode)) {
      throw new IllegalArgumentException(
          "move to node " + targetNode + ": the target is among the source nodes " + fromNodes);
    }
    if (pageBytes < BASE_PAGE_BYTES || Long.bitCount(pageBytes) != 1) {
      throw new IllegalArgumentException(
          "pageBytes must be a power of two >= 4096, got " + pageBytes);
    }
    ranges = merge(ranges, pageBytes);
  }

  /** Base pages ({@link #BASE_PAGE_BYTES}). */
  public static MoveRequest basePages(
      ProcessId process, List<AddressRange> ranges, NodeSet fromNodes, int targetNode) {
    return new MoveRequest(process, ranges, fromNodes, targetNode, BASE_PAGE_BYTES);
  }

  /** Number of page addresses the request names. */
  public long pages() {
    long n = 0;
    for (AddressRange r : ranges) {
      n += r.sizeBytes() / pageBytes;
    }
    return n;
  }

  public long sizeBytes() {
    return pages() * pageBytes;
  }

  /** Widens each range to whole pages, sorts them and merges overlapping or adjacent ones. */
  private static List<AddressRange> merge(List<AddressRange> in, long pageBytes) {
    List<AddressRange> sorted = new ArrayList<>(in.size());
    for (AddressRange r : in) {
      if (!r.isEmpty()) {
        sorted.add(r.alignOut(pageBytes));
      }
    }
    Collections.sort(sorted);
    List<AddressRange> out = new ArrayList<>(sorted.size());
    for (AddressRange r : sorted) {
      int last = out.size() - 1;
      if (last >= 0 && out.get(last).end() >= r.start()) {
        AddressRange prev = out.get(last);
        out.set(last, new AddressRange(prev.start(), Math.max(prev.end(), r.end())));
      } else {
        out.add(r);
      }
    }
    return List.copyOf(out);
  }
}
