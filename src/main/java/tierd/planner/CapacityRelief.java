package tierd.planner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tierd.scoring.HeatClass;

/**
 * A demotion-only node whose usable capacity shrank below what it holds is emptied down to it (seed
 * 004: hotness and data that outrun the device must leave it). Its HOT data has already been
 * promoted first by {@link Promotion} (a node over its fill limit goes first there); what is still
 * over the capacity then goes down, coldest first, when a lower tier exists, and the rest goes up,
 * hottest first, into room the faster nodes already have (nothing is demoted from them for it).
 * Each move is limited to what the excess needs, within the budgets; policy and cpuset hold as for
 * any move. Data of tenants that a move up would take past their ceiling ({@code classes: fastMax})
 * goes last, after everyone else's, and still goes: the device cannot hold it, and the ceiling
 * demotion later moves such a tenant's coldest fast data down where there is room. The residency
 * rule does not: the capacity is a hard limit, and data demoted there a minute ago must still leave
 * when the device can no longer hold it (in the VM a shrink otherwise left everything in place for
 * {@code planner.minResidency}). Such a move counts as a ping-pong when it reverses the range's
 * last move, and the node's capacity keeps the data from coming back while it is short.
 */
final class CapacityRelief {

  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final SkipLog skips;
  private final ReasonTexts texts;
  private final Tenants tenants;

  CapacityRelief(
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      SkipLog skips,
      ReasonTexts texts,
      Tenants tenants) {
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.skips = skips;
    this.texts = texts;
    this.tenants = tenants;
  }

  void run() {
    for (int node = 0; node < nodes.count(); node++) {
      if (excessBytes(node) > 0) {
        relieve(node);
      }
    }
  }

  /** Bytes {@code node} holds (by the plan so far) beyond its usable capacity; 0 when within. */
  long excessBytes(int node) {
    long capacity = nodes.capacityBytes(node);
    if (capacity < 0) {
      return 0;
    }
    return Math.max(0, nodes.totalBytes(node) - ledger.freeBytes(node) - capacity);
  }

  private void relieve(int node) {
    String why =
        "demotion-only node "
            + nodes.nodeId(node)
            + " holds "
            + Texts.bytes(nodes.usedAtStartBytes(node))
            + " > its capacity now "
            + Texts.bytes(nodes.capacityBytes(node));
    if (nodes.hasSlowerTier(node)) {
      Demotion.Purpose purpose = new Demotion.Purpose(ReasonCode.OVER_CAPACITY_DEMOTE, why);
      CandidateQueue coldest = entries.coldest(node, segments, segment -> true);
      while (excessBytes(node) > 0 && !coldest.isEmpty()) {
        if (demotion.demote(node, coldest.poll(), purpose, excessBytes(node))
            instanceof Demotion.BudgetExhausted) {
          break;
        }
      }
    }
    if (excessBytes(node) > 0) {
      promoteHottestFirst(node, why);
    }
  }

  /**
   * Data still on {@code node} that no step moved, not HOT (Promotion decided that), hottest first.
   */
  private void promoteHottestFirst(int node, String why) {
    Set<Integer> moved = new HashSet<>();
    for (Ledger.PlannedMove move : ledger.planned()) {
      if (move.source() == node) {
        moved.add(move.segment());
      }
    }
    Integer[] order =
        java.util.stream.IntStream.range(0, segments.count())
            .filter(
                segment ->
                    segments.bytes(segment, node) > 0
                        && !moved.contains(segment)
                        && segments.region(segment).heatClass() != HeatClass.HOT)
            .boxed()
            .toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble((Integer s) -> -segments.heat(s)));
    List<Integer> pastCeiling = new ArrayList<>();
    for (int segment : order) {
      if (!stillOver(node)) {
        return;
      }
      if (takesTenantPastCeiling(segment, node)) {
        pastCeiling.add(segment);
      } else {
        promote(segment, node, excessBytes(node), why);
      }
    }
    // The capacity is a hard limit: what only tenants at their ceiling hold goes up too, last.
    for (int segment : pastCeiling) {
      if (!stillOver(node)) {
        return;
      }
      promote(segment, node, excessBytes(node), why);
    }
  }

  private boolean stillOver(int node) {
    return excessBytes(node) > 0 && ledger.allowance(Direction.PROMOTE) >= Ledger.BASE_PAGE_BYTES;
  }

  /** Whether promoting what {@code node}'s excess needs of {@code segment} passes its ceiling. */
  private boolean takesTenantPastCeiling(int segment, int node) {
    if (!tenants.configured()) {
      return false;
    }
    long bytes = Math.min(segments.bytes(segment, node), excessBytes(node));
    return tenants.overCeilingBytes(tenants.tenantOf(segment), bytes) > 0;
  }

  private void promote(int segment, int node, long excessBytes, String why) {
    long bytes = segments.bytes(segment, node);
    PlacementRule.Verdict verdict = segments.vma(segment).promotion(node);
    if (verdict instanceof PlacementRule.HeldBack held) {
      skips.skip(segment, node, Direction.PROMOTE, bytes, held.reason(), held::text);
      return;
    }
    Cut cut = segments.fit(segment, bytes, ledger.allowance(Direction.PROMOTE));
    if (cut == null) {
      skips.heldByBudget(segment, node, Direction.PROMOTE);
      return;
    }
    if (excessBytes < cut.bytes()) {
      Cut needed = segments.atLeast(segment, bytes, excessBytes);
      cut = needed.end() < cut.end() ? needed : cut;
    }
    int[] targets = ((PlacementRule.Allowed) verdict).targets();
    for (int position = 0; position < targets.length; position++) {
      int target = targets[position];
      if (ledger.withinFillLimit(target, cut.bytes()) && ledger.aboveFloor(target, cut.bytes())) {
        ledger.apply(
            new Ledger.PlannedMove(
                segment,
                node,
                target,
                cut.end(),
                cut.bytes(),
                Direction.PROMOTE,
                ReasonCode.OVER_CAPACITY_PROMOTE,
                texts.overCapacityOut(segment, node, target, position, why)));
        return;
      }
    }
    long heldBytes = cut.bytes();
    skips.skip(
        segment,
        node,
        Direction.PROMOTE,
        heldBytes,
        SkipReason.WATERMARK,
        () -> texts.promotionBlocked(SkipReason.WATERMARK, targets, heldBytes));
  }
}
