package tierd.planner;

import java.util.function.Supplier;
import tierd.scoring.Thresholds;

/**
 * Promotion of HOT data: data on a node over its fill limit first, then by falling heat. Each
 * candidate goes to the nearest allowed faster node that has room for it above its floor (high
 * watermark plus margin) and within its fill limit ({@link Direct}); when none has, and the data is
 * confirmed hot ({@link Thresholds#confirmed}), to one whose coldest data an exchange demoted to
 * make room ({@link Exchanged}); else as much of it as fits the room left on one ({@link Partial});
 * else it is held back ({@link Blocked}). Hot data of fewer windows moves only into free room:
 * nothing goes down for it until it is confirmed. A candidate too large for the budget moves its
 * aligned prefix; once less than a page of budget is left, the rest are held back by it.
 *
 * <p>With classes: a promotion into the fast tier that would take its tenant over its ceiling
 * happens only as an exchange with the tenant's own colder data on the nearest allowed fast node
 * ({@link WithinTenant}), or not at all ({@link SkipReason#TENANT_CEILING}); its other allowed
 * targets (a middle tier) are not tried for it.
 */
final class Promotion {

  /** Where a candidate goes, or why it cannot. */
  sealed interface Choice permits Direct, Exchanged, WithinTenant, Partial, Blocked {}

  /**
   * To {@code target}, the {@code position}-th (from 0) of the allowed targets, which had {@code
   * freeBeforeBytes} free.
   */
  record Direct(int target, int position, long freeBeforeBytes) implements Choice {}

  /** To {@code target}, after an exchange demoted {@code demotedBytes} of its colder data. */
  record Exchanged(int target, int position, long demotedBytes) implements Choice {}

  /**
   * To fast node {@code target}, its tenant at its ceiling: after an exchange demoted {@code
   * demotedBytes} of the tenant's own colder data there; {@code ceiling} says where it stood.
   */
  record WithinTenant(int target, int position, long demotedBytes, String ceiling)
      implements Choice {}

  /** Only the prefix {@code cut}, into the room left on {@code target}. */
  record Partial(int target, int position, long freeBeforeBytes, Cut cut) implements Choice {}

  /**
   * Not moved, for {@code reason}: it moved too recently, the budget or the cycle cap is used up,
   * or every allowed target is at its fill limit or would fall below its high watermark.
   */
  record Blocked(SkipReason reason) implements Choice {}

  private final PlannerConfig config;
  private final Thresholds thresholds;
  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final PromotionCandidates candidates;
  private final Exchange exchange;
  private final ResidencyRule residency;
  private final SkipLog skips;
  private final ReasonTexts texts;
  private final Tenants tenants;

  Promotion(
      PlannerConfig config,
      Thresholds thresholds,
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      PromotionCandidates candidates,
      Exchange exchange,
      ResidencyRule residency,
      SkipLog skips,
      ReasonTexts texts,
      Tenants tenants) {
    this.config = config;
    this.thresholds = thresholds;
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
    this.candidates = candidates;
    this.exchange = exchange;
    this.residency = residency;
    this.skips = skips;
    this.texts = texts;
    this.tenants = tenants;
  }

  void run() {
    CandidateQueue queue = candidates.queue(nodes, segments);
    while (!queue.isEmpty()) {
      if (ledger.tokens(Direction.PROMOTE) < Ledger.BASE_PAGE_BYTES
          || ledger.cycleCapLeft() < Ledger.BASE_PAGE_BYTES) {
        // nothing more can move: the rest are held back by the budget, in no particular order
        queue.drain(
            candidate ->
                skips.heldByBudget(
                    candidates.segment(candidate),
                    candidates.source(candidate),
                    Direction.PROMOTE));
        break;
      }
      promote(queue.poll());
    }
  }

  /** Decides one candidate and books the decision: its move, or its skip. */
  Choice promote(int candidate) {
    int segment = candidates.segment(candidate);
    int source = candidates.source(candidate);
    int[] targets = segments.vma(segment).promotionTargets(source);
    if (residency.recentlyMoved(segment, source, Direction.PROMOTE)) {
      residency.skip(segment, source, Direction.PROMOTE);
      return new Blocked(SkipReason.RESIDENCY);
    }
    long segmentBytes = segments.bytes(segment, source);
    Cut cut = segments.fit(segment, segmentBytes, ledger.allowance(Direction.PROMOTE));
    if (cut == null) {
      SkipReason reason = skips.budgetReason(Direction.PROMOTE);
      skips.heldByBudget(segment, source, Direction.PROMOTE);
      return new Blocked(reason);
    }
    Choice choice = choose(segment, source, targets, cut);
    if (choice instanceof Blocked blocked) {
      Supplier<String> text =
          blocked.reason() == SkipReason.TENANT_CEILING
              ? () ->
                  texts.ceilingBlocked(
                      tenants.tenantOf(segment), segment, firstFast(targets), cut.bytes())
              : () -> texts.promotionBlocked(blocked.reason(), targets, cut.bytes());
      skips.skip(segment, source, Direction.PROMOTE, cut.bytes(), blocked.reason(), text);
    } else if (choice instanceof Direct direct) {
      apply(segment, source, direct.target(), cut, reason(segment, source, direct));
      skipRestOverBudget(segment, source, cut);
    } else if (choice instanceof Exchanged exchanged) {
      apply(segment, source, exchanged.target(), cut, reason(segment, source, exchanged));
      skipRestOverBudget(segment, source, cut);
    } else if (choice instanceof WithinTenant within) {
      String text =
          texts.promotion(
                  segment, source, within.target(), within.position(), 0, within.demotedBytes())
              + ", "
              + within.ceiling()
              + ": exchanged within the tenant";
      apply(segment, source, within.target(), cut, text);
      skipRestOverBudget(segment, source, cut);
    } else if (choice instanceof Partial partial) {
      apply(segment, source, partial.target(), partial.cut(), reason(segment, source, partial));
      skips.restHeldByRoom(segment, source, partial.cut(), partial.target(), Direction.PROMOTE);
    }
    return choice;
  }

  /**
   * Where {@code cut} of a segment's data on {@code source} goes among {@code targets} (nearest
   * first), by the order in the class comment.
   */
  private Choice choose(int segment, int source, int[] targets, Cut cut) {
    long bytes = cut.bytes();
    int fastTarget = tenants.configured() ? firstFast(targets) : -1;
    if (fastTarget >= 0) {
      int tenant = tenants.tenantOf(segment);
      long overCeilingBytes = tenants.overCeilingBytes(tenant, bytes);
      if (overCeilingBytes > 0) {
        return withinTenant(segment, tenant, targets, fastTarget, bytes, overCeilingBytes);
      }
    }
    int firstWithinFillLimit = -1;
    for (int position = 0; position < targets.length; position++) {
      int target = targets[position];
      if (!ledger.withinFillLimit(target, bytes)) {
        continue;
      }
      if (firstWithinFillLimit < 0) {
        firstWithinFillLimit = target;
      }
      if (ledger.aboveFloor(target, bytes)) {
        return new Direct(target, position, ledger.freeBytes(target));
      }
    }
    // Exchange on the nearest target whose fill limit allows the data, else on the nearest target:
    // a node with less free memory than the hot data is over its (default 100 %) fill limit for
    // it, and that is the fullest case exchange exists for. The victims must free enough for both
    // the high watermark and the fill limit.
    int exchangeNode = firstWithinFillLimit >= 0 ? firstWithinFillLimit : targets[0];
    boolean confirmed = thresholds.confirmed(segments.region(segment).hotWindows());
    if (config.exchange() && confirmed && !exchange.failedOn(exchangeNode)) {
      long needBytes = roomNeedBytes(exchangeNode, bytes);
      long demotedBytes = exchange.makeRoom(exchangeNode, needBytes, segment, bytes);
      if (demotedBytes >= needBytes) {
        return new Exchanged(exchangeNode, indexOf(targets, exchangeNode), demotedBytes);
      }
    }
    // Room for part of the range: promote the prefix that fits above the high watermark and under
    // the fill limit, as a budget-limited promotion does; the rest waits and is reported. Without
    // this a hot range larger than the room left never moved at all (found in the VM scenario with
    // the fast node near full).
    long segmentBytes = segments.bytes(segment, source);
    for (int position = 0; position < targets.length; position++) {
      int target = targets[position];
      long roomBytes = ledger.roomBytes(target);
      if (roomBytes < Ledger.BASE_PAGE_BYTES) {
        continue;
      }
      Cut part =
          segments.fit(
              segment, segmentBytes, Math.min(ledger.allowance(Direction.PROMOTE), roomBytes));
      if (part != null
          && ledger.aboveFloor(target, part.bytes())
          && ledger.withinFillLimit(target, part.bytes())) {
        return new Partial(target, position, ledger.freeBytes(target), part);
      }
    }
    if (firstWithinFillLimit < 0) {
      return new Blocked(SkipReason.FILL_LIMIT);
    }
    return new Blocked(
        confirmed || !config.exchange() ? SkipReason.WATERMARK : SkipReason.UNCONFIRMED);
  }

  /**
   * A promotion that would take its tenant over its ceiling: only as an exchange with the tenant's
   * own colder data on the nearest fast target, enough for the ceiling and the node's floor.
   */
  private Choice withinTenant(
      int segment, int tenant, int[] targets, int fastTarget, long bytes, long overCeilingBytes) {
    if (!config.exchange() || !thresholds.confirmed(segments.region(segment).hotWindows())) {
      return new Blocked(SkipReason.TENANT_CEILING);
    }
    String ceiling = tenants.ceilingText(tenant, bytes);
    long needBytes = Math.max(overCeilingBytes, roomNeedBytes(fastTarget, bytes));
    long demotedBytes =
        exchange.makeRoomWithinTenant(fastTarget, tenant, needBytes, segment, bytes);
    if (demotedBytes < needBytes) {
      return new Blocked(SkipReason.TENANT_CEILING);
    }
    return new WithinTenant(fastTarget, indexOf(targets, fastTarget), demotedBytes, ceiling);
  }

  /**
   * Bytes an exchange on {@code node} must free for {@code bytes} to land: above its floor and
   * within its fill limit.
   */
  private long roomNeedBytes(int node, long bytes) {
    return Math.max(
        bytes - (ledger.freeBytes(node) - nodes.floorBytes(node)),
        nodes.totalBytes(node) - ledger.freeBytes(node) + bytes - nodes.fillLimitBytes(node));
  }

  /** The first of {@code targets} in the fast tier, or -1. */
  private int firstFast(int[] targets) {
    for (int target : targets) {
      if (tenants.fast(target)) {
        return target;
      }
    }
    return -1;
  }

  private String reason(int segment, int source, Direct direct) {
    return texts.promotion(
        segment, source, direct.target(), direct.position(), direct.freeBeforeBytes(), 0);
  }

  private String reason(int segment, int source, Exchanged exchanged) {
    return texts.promotion(
        segment, source, exchanged.target(), exchanged.position(), 0, exchanged.demotedBytes());
  }

  private String reason(int segment, int source, Partial partial) {
    return texts.promotion(
        segment, source, partial.target(), partial.position(), partial.freeBeforeBytes(), 0);
  }

  private void apply(int segment, int source, int target, Cut cut, String text) {
    ReasonCode code =
        nodes.overFillLimitAtStart(source) ? ReasonCode.HOT_OVER_FILL_LIMIT : ReasonCode.HOT;
    ledger.apply(
        new Ledger.PlannedMove(
            segment, source, target, cut.end(), cut.bytes(), Direction.PROMOTE, code, text));
  }

  private void skipRestOverBudget(int segment, int source, Cut cut) {
    if (cut.end() < segments.end(segment)) {
      skips.restHeldByBudget(segment, source, cut, Direction.PROMOTE);
    }
  }

  private static int indexOf(int[] nodes, int node) {
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] == node) {
        return i;
      }
    }
    return -1;
  }
}
