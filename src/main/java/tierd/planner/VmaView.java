package tierd.planner;

import tierd.model.NodeSet;
import tierd.model.PerNode;
import tierd.process.Vma;

/**
 * One VMA of a managed process as the planner sees it: its {@link PlacementRule} (whole-VMA rule
 * now, per source node and direction on first use), the unit its range ends snap to and its pages
 * per node slot.
 *
 * <p>Promotion targets are the rule's, nearest first to the node the process's threads ran on most
 * when that is known ({@link ProcessView#accessorNode}), else nearest to the data's node.
 *
 * <p>The unit is the huge page size for a hugetlb VMA, else {@code planner.thpAlign} when set and
 * the VMA may hold THPs ({@link Vma#thpEligible}, smaps' {@code THPeligible}), so a THP folio moves
 * as one, else the page size. A VMA that cannot hold THPs (MADV_NOHUGEPAGE, THP "never", or
 * "madvise" without MADV_HUGEPAGE) keeps page-precise range ends: snapping them would only move up
 * to half a folio of a hot neighbour with a cold range, or leave as much of a hot range behind.
 */
final class VmaView {

  private final Vma vma;
  private final NodeSet cpuset;
  private final int accessorNode;
  private final NodeTable nodes;
  private final PlacementRule.VmaRule rule;
  private final long unitBytes;
  private final boolean thpAligned;
  private final boolean moveAll;
  private final PlacementRule.Verdict[] promotion;
  private final PlacementRule.Verdict[] demotion;
  private long[] pagesPerSlot;

  /** Bytes per node slot of the placed parts of the VMA ({@link #placed}); null when none. */
  private long[] placedBytesPerSlot;

  private long placedSpanBytes;

  VmaView(Vma vma, NodeSet cpuset, NodeTable nodes, PlannerConfig config) {
    this(vma, cpuset, -1, nodes, config);
  }

  /**
   * The view of {@code vma} of a task with {@code cpuset} whose threads ran on node index {@code
   * accessorNode} (-1: unknown).
   */
  VmaView(Vma vma, NodeSet cpuset, int accessorNode, NodeTable nodes, PlannerConfig config) {
    this.vma = vma;
    this.cpuset = cpuset;
    this.accessorNode = accessorNode;
    this.nodes = nodes;
    this.rule = PlacementRule.forVma(cpuset, vma, config);
    long thpBytes = config.thpAlign().bytes();
    this.thpAligned = !vma.hugetlb() && thpBytes > 0 && vma.thpEligible();
    this.unitBytes = thpAligned ? thpBytes : vma.pageBytes();
    this.moveAll = vma.shared() && config.moveShared();
    this.promotion = new PlacementRule.Verdict[nodes.count()];
    this.demotion = new PlacementRule.Verdict[nodes.count()];
  }

  Vma vma() {
    return vma;
  }

  /** True unless the whole VMA is left alone (interleaved, unknown policy, hugetlb, shared). */
  boolean movable() {
    return rule instanceof PlacementRule.Movable;
  }

  /** Why the whole VMA is left alone; only when not {@link #movable}. */
  PlacementRule.HeldBack heldBack() {
    return (PlacementRule.HeldBack) rule;
  }

  long unitBytes() {
    return unitBytes;
  }

  boolean thpAligned() {
    return thpAligned;
  }

  /** Shared, and config allows MPOL_MF_MOVE_ALL. */
  boolean moveAll() {
    return moveAll;
  }

  /** Where its data on {@code source} may be promoted to (remembered per source). */
  PlacementRule.Verdict promotion(int source) {
    return verdict(promotion, Direction.PROMOTE, source);
  }

  /** Where its data on {@code source} may be demoted to (remembered per source). */
  PlacementRule.Verdict demotion(int source) {
    return verdict(demotion, Direction.DEMOTE, source);
  }

  private PlacementRule.Verdict verdict(
      PlacementRule.Verdict[] remembered, Direction direction, int source) {
    PlacementRule.Verdict verdict = remembered[source];
    if (verdict == null) {
      verdict = PlacementRule.verdict(rule, direction, source, nodes, cpuset, vma.policy());
      if (direction == Direction.PROMOTE
          && accessorNode >= 0
          && verdict instanceof PlacementRule.Allowed allowed) {
        // the same set, in another order: the rule alone decides which nodes are allowed
        verdict = new PlacementRule.Allowed(nodes.nearestTo(accessorNode, allowed.targets()));
      }
      remembered[source] = verdict;
    }
    return verdict;
  }

  /** The promotion targets of its data on {@code source}; only once {@link #promotion} allowed. */
  int[] promotionTargets(int source) {
    return ((PlacementRule.Allowed) promotion(source)).targets();
  }

  /**
   * Adds to {@code row} (a bytes row of the node table) the bytes per node slot that a span of
   * {@code spanBytes} of the VMA holds by {@link Vma#bytesInShare}; bytes on nodes in no tier are
   * estimated together.
   */
  void addEstimate(long[] row, long spanBytes) {
    long[] pages = pagesPerSlot();
    long restSpanBytes = vma.range().sizeBytes() - placedSpanBytes;
    if (placedBytesPerSlot == null || restSpanBytes <= 0) {
      double share = vma.shareOf(spanBytes);
      for (int slot = 0; slot < pages.length; slot++) {
        if (pages[slot] > 0) {
          row[slot] += vma.bytesInShare(pages[slot], share);
        }
      }
      return;
    }
    long[] restPages = new long[pages.length];
    long restPagesTotal = 0;
    for (int slot = 0; slot < pages.length; slot++) {
      restPages[slot] = Math.max(0, pages[slot] - placedBytesPerSlot[slot] / vma.pageBytes());
      restPagesTotal += restPages[slot];
    }
    // Counts read earlier than the placements may hold more than the rest can: scale them to it.
    long restCapacityPages = restSpanBytes / vma.pageBytes();
    double fit =
        restPagesTotal > restCapacityPages ? (double) restCapacityPages / restPagesTotal : 1.0;
    double share = Math.min(1.0, (double) spanBytes / restSpanBytes) * fit;
    for (int slot = 0; slot < pages.length; slot++) {
      if (restPages[slot] > 0) {
        row[slot] += vma.bytesInShare(restPages[slot], share);
      }
    }
  }

  /**
   * Notes that {@code spanBytes} of the VMA are placed exactly, {@code bytesRow} per node slot: the
   * estimate of what no placement covers then spreads only the rest of the VMA's pages (its counts
   * less the placed ones) over the rest of its span. Without it, a VMA half demoted would make
   * every unqueried range of it look as much on the fast node as on the slow one, the demoted
   * ranges too.
   */
  void placed(long spanBytes, long[] bytesRow) {
    if (placedBytesPerSlot == null) {
      placedBytesPerSlot = new long[bytesRow.length];
    }
    placedSpanBytes += spanBytes;
    for (int slot = 0; slot < bytesRow.length; slot++) {
      placedBytesPerSlot[slot] += bytesRow[slot];
    }
  }

  private long[] pagesPerSlot() {
    if (pagesPerSlot == null) {
      long[] pages = new long[nodes.rowWidth];
      PerNode perNode = vma.pages();
      for (int i = 0; i < perNode.size(); i++) {
        pages[nodes.slotOf(perNode.node(i))] += perNode.count(i);
      }
      pagesPerSlot = pages;
    }
    return pagesPerSlot;
  }
}
