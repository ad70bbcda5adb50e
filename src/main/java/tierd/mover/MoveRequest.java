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
 * <p>{@code plannedPages} caps the request: the pages the planner counted for it (its budget, the
 * room on the target, a tenant's ceiling or floor were booked for that much). The ranges may hold
 * more on a source node than that: pages an earlier cycle left behind, or a placement the plan
 * estimated. The mover stops once {@code plannedPages} pages have moved to the target, and the rest
 * of the ranges end as {@link Outcome#OVER_PLAN}, for a later plan to count again. The cap holds
 * for the whole of one move call (every chunk and the retry of busy pages); each cycle plans
 * afresh, so a new request brings a new cap.
 *
 * @param ranges {@code [start,end)} byte ranges; sorted and merged here
 * @param plannedPages at most this many pages move to the target; clamped to {@link #pages()}
 */
public record MoveRequest(
    ProcessId process,
    List<AddressRange> ranges,
    NodeSet fromNodes,
    int targetNode,
    long pageBytes,
    long plannedPages) {

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
    if (plannedPages < 0) {
      throw new IllegalArgumentException(
          "move to node " + targetNode + ": negative plannedPages " + plannedPages);
    }
    ranges = merge(ranges, pageBytes);
    plannedPages = Math.min(plannedPages, pagesOf(ranges, pageBytes));
  }

  /**
   * A request without a cap of its own: every page of the ranges found on a source node may move
   * (tests, benchmarks; the daemon's requests carry the plan's count, see {@code MoveRequests}).
   */
  public MoveRequest(
      ProcessId process,
      List<AddressRange> ranges,
      NodeSet fromNodes,
      int targetNode,
      long pageBytes) {
    this(process, ranges, fromNodes, targetNode, pageBytes, Long.MAX_VALUE);
  }

  /**
   * The pages a plan counted as {@code plannedBytes}, in units of {@code pageBytes}: rounded up, so
   * that a count that is not a whole number of pages (an estimate) still lets the last page move.
   */
  public static long plannedPages(long plannedBytes, long pageBytes) {
    if (plannedBytes <= 0) {
      return 0;
    }
    return (plannedBytes - 1) / pageBytes + 1;
  }

  /** Base pages ({@link #BASE_PAGE_BYTES}). */
  public static MoveRequest basePages(
      ProcessId process, List<AddressRange> ranges, NodeSet fromNodes, int targetNode) {
    return new MoveRequest(process, ranges, fromNodes, targetNode, BASE_PAGE_BYTES);
  }

  /** Number of page addresses the request names. */
  public long pages() {
    return pagesOf(ranges, pageBytes);
  }

  private static long pagesOf(List<AddressRange> ranges, long pageBytes) {
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
