package tierd.planner;

import java.util.List;
import tierd.model.AddressRange;
import tierd.process.VmaIndex;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;

/**
 * Joins the scored regions to the VMAs and placements they overlap, in one pass over regions and
 * placements sorted by pid and start: each region ∩ VMA, its ends snapped to the VMA's unit,
 * becomes a segment with its bytes per node (from the placements that overlap it, pro rata, and the
 * VMA's estimate for the rest). HOT segments become promotion candidates (or skips: data in no
 * tier, a rule that holds the VMA back, a range smaller than one folio), COLD and WARM segments
 * demotion entries of each node with a slower tier; with classes, HOT data in the fast tier of a
 * tenant with a ceiling is a demotion entry too, for {@link CeilingDemotion} only.
 */
final class SegmentJoin {

  /** What the join saw: region pieces looked at, regions of unmanaged processes, HOT bytes. */
  record Counts(int segmentsSeen, int staleRegions, long promotionDemandBytes) {}

  private final PlannerConfig config;
  private final NodeTable nodes;
  private final Segments segments;
  private final SkipLog skips;
  private final PromotionCandidates promotions;
  private final DemotionEntries demotions;
  private final Tenants tenants;
  private final long[] bytesRow;
  private SortedPlacements placements;
  private int segmentsSeen;
  private int staleRegions;
  private long promotionDemandBytes;

  SegmentJoin(
      PlannerConfig config,
      NodeTable nodes,
      Segments segments,
      SkipLog skips,
      PromotionCandidates promotions,
      DemotionEntries demotions,
      Tenants tenants) {
    this.config = config;
    this.nodes = nodes;
    this.segments = segments;
    this.skips = skips;
    this.promotions = promotions;
    this.demotions = demotions;
    this.tenants = tenants;
    this.bytesRow = new long[nodes.rowWidth];
  }

  /**
   * Fills the segments and candidates. Throws IllegalArgumentException if regions or placements of
   * a pid overlap.
   */
  Counts join(List<RegionPlacement> unsortedPlacements) {
    List<ScoredRegion> regions = segments.regions();
    placements = new SortedPlacements(unsortedPlacements, nodes);
    notePlacedSpans();
    int processIndex = -1;
    ProcessView process = null;
    int lastPid = Integer.MIN_VALUE;
    long previousEnd = Long.MIN_VALUE;
    int vmaFrom = 0;
    for (int regionIndex = 0; regionIndex < regions.size(); regionIndex++) {
      ScoredRegion region = regions.get(regionIndex);
      AddressRange range = region.range();
      if (region.pid() != lastPid) {
        lastPid = region.pid();
        processIndex = segments.processIndexOf(region.pid());
        process = processIndex < 0 ? null : segments.processAt(processIndex);
        previousEnd = Long.MIN_VALUE;
        vmaFrom = 0;
      }
      if (process == null || process.startTimeTicks() != region.startTimeTicks()) {
        staleRegions++;
        continue;
      }
      if (range.start() < previousEnd) {
        throw new IllegalArgumentException(
            "scored regions of pid " + region.pid() + " overlap at " + range);
      }
      previousEnd = range.end();
      if (region.heatClass() == HeatClass.WARM && !config.exchange()) {
        continue; // WARM data only ever moves as an exchange victim
      }
      VmaIndex vmas = process.vmas();
      vmaFrom = vmas.firstEndingAfter(range.start(), vmaFrom); // regions come by start
      for (int vmaIndex = vmaFrom;
          vmaIndex < vmas.size() && vmas.get(vmaIndex).range().start() < range.end();
          vmaIndex++) {
        joinPiece(region, regionIndex, process, processIndex, vmaIndex);
      }
    }
    return new Counts(segmentsSeen, staleRegions, promotionDemandBytes);
  }

  /**
   * Tells each VMA which of its bytes the placements cover and where they are ({@link
   * VmaView#placed}), so that its estimate for the rest leaves them out.
   */
  private void notePlacedSpans() {
    long[] row = new long[nodes.rowWidth];
    for (RegionPlacement placement : placements.all()) {
      int processIndex = segments.processIndexOf(placement.pid());
      if (processIndex < 0) {
        continue;
      }
      ProcessView process = segments.processAt(processIndex);
      AddressRange placed = placement.range();
      VmaIndex vmas = process.vmas();
      for (int vmaIndex = vmas.firstEndingAfter(placed.start());
          vmaIndex < vmas.size() && vmas.get(vmaIndex).range().start() < placed.end();
          vmaIndex++) {
        long overlapBytes = vmas.get(vmaIndex).range().overlapBytes(placed);
        if (overlapBytes <= 0) {
          continue;
        }
        java.util.Arrays.fill(row, 0);
        placements.addShare(row, placement, overlapBytes);
        process.vma(vmaIndex).placed(overlapBytes, row);
      }
    }
  }

  /** One region ∩ VMA: snapped, placed, and made candidates (or skips). */
  private void joinPiece(
      ScoredRegion region, int regionIndex, ProcessView process, int processIndex, int vmaIndex) {
    AddressRange vmaRange = process.vmas().get(vmaIndex).range();
    long start = Math.max(region.range().start(), vmaRange.start());
    long end = Math.min(region.range().end(), vmaRange.end());
    if (start >= end) {
      return;
    }
    segmentsSeen++;
    boolean hot = region.heatClass() == HeatClass.HOT;
    long unitBytes = process.vma(vmaIndex).unitBytes();
    long snappedStart = snap(start, unitBytes, vmaRange.start(), vmaRange.end());
    long snappedEnd = snap(end, unitBytes, vmaRange.start(), vmaRange.end());
    if (snappedStart >= snappedEnd) {
      if (hot) {
        skipTooSmall(processIndex, vmaIndex, regionIndex, start, end);
      }
      return;
    }
    placements.skipBefore(region.pid(), snappedStart);
    if (hot) {
      clearRow();
      place(region.pid(), snappedStart, snappedEnd, process, vmaIndex);
      addPromotions(processIndex, vmaIndex, regionIndex, snappedStart, snappedEnd);
      return;
    }
    // Colder data is cut where a placement begins or ends inside it, so that each segment is
    // either known exactly or estimated throughout: a demotion takes a prefix of its segment, and
    // in a segment whose head a placement shows already on the slower node and whose tail the
    // VMA's estimate puts on the fast one, that prefix would be the head, found ALREADY_ON_TARGET
    // every cycle (CI, 2node s1: 80 cycles of it) while the tail's pages stayed.
    // The placements are sorted and never overlap, so their ends come in ascending order.
    long from = snappedStart;
    for (int i = placements.from(); i < placements.size(); i++) {
      AddressRange placed = placements.get(i).range();
      if (placements.get(i).pid() != region.pid() || placed.start() >= snappedEnd) {
        break;
      }
      for (long edge : new long[] {placed.start(), placed.end()}) {
        if (edge > from && edge < snappedEnd && Math.floorMod(edge, unitBytes) == 0) {
          addDemotionPiece(region.pid(), process, processIndex, vmaIndex, regionIndex, from, edge);
          from = edge;
        }
      }
    }
    addDemotionPiece(region.pid(), process, processIndex, vmaIndex, regionIndex, from, snappedEnd);
  }

  private void addDemotionPiece(
      int pid,
      ProcessView process,
      int processIndex,
      int vmaIndex,
      int regionIndex,
      long start,
      long end) {
    clearRow();
    place(pid, start, end, process, vmaIndex);
    addDemotionEntries(processIndex, vmaIndex, regionIndex, start, end);
  }

  private void clearRow() {
    for (int slot = 0; slot < bytesRow.length; slot++) {
      bytesRow[slot] = 0; // a loop: five slots cost less than a call to Arrays.fill
    }
  }

  /** HOT data in {@link #bytesRow}: a promotion candidate per slower node, or a skip. */
  private void addPromotions(
      int processIndex, int vmaIndex, int regionIndex, long start, long end) {
    int segment = -1;
    VmaView vma = segments.processAt(processIndex).vma(vmaIndex);
    boolean ceiling =
        tenants.configured() && tenants.hasCeiling(tenants.tenantOfProcess(processIndex));
    for (int source = 0; source < nodes.rowWidth; source++) {
      long bytes = bytesRow[source];
      if (bytes > 0 && ceiling && tenants.fast(source) && nodes.hasSlowerTier(source)) {
        // hot data of a tenant with a ceiling may go down to it (CeilingDemotion), never for room
        if (segment < 0) {
          segment = segments.add(processIndex, vmaIndex, regionIndex, start, end, bytesRow);
        }
        demotions.add(source, segment);
      }
      if (bytes <= 0 || (source != nodes.noTierSlot && !nodes.hasFasterTier(source))) {
        continue; // nothing there, or already in the fastest tier
      }
      if (segment < 0) {
        segment = segments.add(processIndex, vmaIndex, regionIndex, start, end, bytesRow);
      }
      if (source == nodes.noTierSlot) {
        skips.skip(
            segment,
            source,
            Direction.PROMOTE,
            bytes,
            SkipReason.NO_TARGET,
            () -> "hot data on node(s) in no tier; no faster node can be chosen");
        continue;
      }
      if (vma.promotion(source) instanceof PlacementRule.HeldBack held) {
        skips.skip(
            segment, source, Direction.PROMOTE, bytes, held.reason(), heldText(segment, held));
        continue;
      }
      promotionDemandBytes += bytes;
      promotions.add(segment, source);
    }
  }

  /**
   * The text of a rule that holds hot data back; for a tenant below its floor it adds that the
   * floor does not override the rule (policy and cpuset come first).
   */
  private java.util.function.Supplier<String> heldText(int segment, PlacementRule.HeldBack held) {
    if (!tenants.configured() || !tenants.atOrBelowFloor(tenants.tenantOf(segment))) {
      return held::text;
    }
    int tenant = tenants.tenantOf(segment);
    return () ->
        held.text() + "; " + tenants.floorText(tenant) + ", but a floor never overrides it";
  }

  /**
   * COLD or WARM data in {@link #bytesRow}: a demotion entry per node with a slower tier; data on a
   * demotion-only node is a segment even without one ({@link CapacityRelief} may move it up).
   */
  private void addDemotionEntries(
      int processIndex, int vmaIndex, int regionIndex, long start, long end) {
    int segment = -1;
    for (int source = 0; source < nodes.count(); source++) {
      boolean slower = nodes.hasSlowerTier(source);
      if (bytesRow[source] <= 0 || !(slower || nodes.demotionOnly(source))) {
        continue;
      }
      if (segment < 0) {
        segment = segments.add(processIndex, vmaIndex, regionIndex, start, end, bytesRow);
      }
      if (slower) {
        demotions.add(source, segment);
      }
    }
  }

  /** A HOT range that vanished when snapped: a skip per node it could have left. */
  private void skipTooSmall(int processIndex, int vmaIndex, int regionIndex, long start, long end) {
    long[] estimate = new long[nodes.rowWidth];
    VmaView vma = segments.processAt(processIndex).vma(vmaIndex);
    vma.addEstimate(estimate, end - start);
    int segment = -1;
    for (int source = 0; source < nodes.count(); source++) {
      if (estimate[source] > 0 && nodes.hasFasterTier(source)) {
        if (segment < 0) {
          segment = segments.add(processIndex, vmaIndex, regionIndex, start, end, estimate);
        }
        skips.skip(
            segment,
            source,
            Direction.PROMOTE,
            estimate[source],
            SkipReason.ALIGNMENT,
            () ->
                "hot range of "
                    + Texts.bytes(end - start)
                    + " is smaller than one "
                    + Texts.bytes(vma.unitBytes())
                    + (vma.thpAligned()
                        ? " THP folio"
                        : vma.vma().hugetlb() ? " huge page" : " page")
                    + " once aligned; its folios move with their neighbours");
      }
    }
  }

  /**
   * Adds to {@link #bytesRow} the bytes per node of {@code [start, end)}: from the placements that
   * overlap it ({@link SortedPlacements#addPlacedBytes}), and from the VMA's estimate for the part
   * no placement covers.
   */
  private void place(int pid, long start, long end, ProcessView process, int vmaIndex) {
    long coveredBytes = placements.addPlacedBytes(bytesRow, pid, start, end);
    if (coveredBytes < end - start) {
      process.vma(vmaIndex).addEstimate(bytesRow, end - start - coveredBytes);
    }
  }

  /**
   * Snaps an address inside a VMA {@code [vmaStart, vmaEnd)} to the nearest multiple of {@code
   * unitBytes}, so that neighbouring segments agree on it and no folio is split between two of
   * them; the VMA's own ends stay.
   */
  static long snap(long address, long unitBytes, long vmaStart, long vmaEnd) {
    if (address <= vmaStart) {
      return vmaStart;
    }
    if (address >= vmaEnd) {
      return vmaEnd;
    }
    long down = address - Math.floorMod(address, unitBytes);
    long up = down + unitBytes;
    long nearest = (address - down < up - address) ? down : up;
    return Math.max(vmaStart, Math.min(vmaEnd, nearest));
  }
}
