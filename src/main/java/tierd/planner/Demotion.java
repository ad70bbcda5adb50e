package tierd.planner;

import java.util.function.Supplier;

/**
 * One demotion, the step the pressure, exchange and proactive steps share: a demotion entry goes to
 * the nearest allowed node of the next lower allowed tier that has room, as much of it as the
 * demotion budget, the cycle cap and the room on the target allow (an aligned prefix when not all).
 * An entry held back is reported as a skip and decided — unless it was tried as an exchange victim,
 * which is no candidate of its own: then it is only barred from being tried again.
 */
final class Demotion {

  /**
   * Why data goes down: its code, the phrase with the figures its moves carry, and whether its
   * victims come in the tenants' room order (so that each move says where its tenant stood).
   */
  record Purpose(ReasonCode code, String why, boolean tenantOrder) {

    /** For room (pressure, exchange) the victims come in the tenants' order; else not. */
    Purpose(ReasonCode code, String why) {
      this(code, why, code == ReasonCode.EXCHANGE || code == ReasonCode.COLD_PRESSURE);
    }

    /** Demoted to make room for hotter data: an exchange victim. */
    boolean exchange() {
      return code == ReasonCode.EXCHANGE;
    }

    /**
     * Leaves a demotion-only node whose capacity shrank below what it holds: a hard limit, so the
     * residency rule does not hold it (the move still counts as a ping-pong when it reverses one).
     */
    boolean overridesResidency() {
      return code == ReasonCode.OVER_CAPACITY_DEMOTE;
    }
  }

  /** What became of one entry. */
  sealed interface Outcome permits Moved, HeldBack, BudgetExhausted {}

  /** Planned to move {@code bytes} (a prefix of the segment when the budget allowed no more). */
  record Moved(long bytes) implements Outcome {}

  /** Not moved, for {@code reason}; nothing else is wrong, the next entry may move. */
  record HeldBack(SkipReason reason) implements Outcome {}

  /** The demotion budget or the cycle cap is used up: no entry can move any more. */
  record BudgetExhausted() implements Outcome {}

  private static final BudgetExhausted BUDGET_EXHAUSTED = new BudgetExhausted();

  private final NodeTable nodes;
  private final Ledger ledger;
  private final Segments segments;
  private final DemotionEntries entries;
  private final ResidencyRule residency;
  private final SkipLog skips;
  private final ReasonTexts texts;

  Demotion(
      NodeTable nodes,
      Ledger ledger,
      Segments segments,
      DemotionEntries entries,
      ResidencyRule residency,
      SkipLog skips,
      ReasonTexts texts) {
    this.nodes = nodes;
    this.ledger = ledger;
    this.segments = segments;
    this.entries = entries;
    this.residency = residency;
    this.skips = skips;
    this.texts = texts;
  }

  /** Demotes {@code entry} of node {@code source} for {@code purpose}, all of it if allowed. */
  Outcome demote(int source, int entry, Purpose purpose) {
    return demote(source, entry, purpose, Long.MAX_VALUE);
  }

  /**
   * Demotes {@code entry} of node {@code source} for {@code purpose}, no more of it than the
   * aligned prefix that holds {@code neededBytes}: room is made for what waits, not for the whole
   * of a large cold region (in the VM a 56 MiB promotion once demoted 202 MiB). The part not needed
   * stays, and is not reported as held back.
   */
  Outcome demote(int source, int entry, Purpose purpose, long neededBytes) {
    int segment = entries.segment(source, entry);
    PlacementRule.Verdict verdict = segments.vma(segment).demotion(source);
    if (verdict instanceof PlacementRule.HeldBack held) {
      return heldBack(source, entry, purpose, held.reason(), held::text);
    }
    int[] targets = ((PlacementRule.Allowed) verdict).targets();
    if (!purpose.overridesResidency()
        && residency.recentlyMoved(segment, source, Direction.DEMOTE)) {
      if (purpose.exchange()) {
        entries.bar(source, entry);
      } else {
        entries.decide(source, entry);
        residency.skip(segment, source, Direction.DEMOTE);
      }
      return new HeldBack(SkipReason.RESIDENCY);
    }
    long segmentBytes = segments.bytes(segment, source);
    Cut cut = segments.fit(segment, segmentBytes, ledger.allowance(Direction.DEMOTE));
    if (cut == null) {
      if (!purpose.exchange()) {
        entries.decide(source, entry);
        skips.heldByBudget(segment, source, Direction.DEMOTE);
      }
      return BUDGET_EXHAUSTED;
    }
    boolean cutToNeed = false;
    if (neededBytes < cut.bytes()) {
      Cut needed = segments.atLeast(segment, segmentBytes, neededBytes);
      if (needed.end() < cut.end()) {
        cut = needed;
        cutToNeed = true;
      }
    }
    long bytes = cut.bytes();
    boolean fillBlocked = false;
    boolean roomBlocked = false;
    for (int position = 0; position < targets.length; position++) {
      int target = targets[position];
      if (!ledger.withinFillLimit(target, bytes)) {
        fillBlocked = true;
      } else if (!ledger.aboveFloor(target, bytes)) {
        roomBlocked = true;
      } else {
        move(segment, source, entry, target, position, cut, purpose, cutToNeed);
        return new Moved(bytes);
      }
    }
    Moved prefix = prefixIntoRoom(segment, source, entry, targets, cut, purpose);
    if (prefix != null) {
      return prefix;
    }
    SkipReason reason = fillBlocked && !roomBlocked ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK;
    return heldBack(
        source, entry, purpose, reason, () -> texts.demotionBlocked(reason, targets, bytes));
  }

  /**
   * Room below which no prefix is cut: the crumbs of room that earlier moves leave would otherwise
   * draw a tail of moves of a few KiB each.
   */
  static final long MIN_PREFIX_ROOM_BYTES = 1L << 20;

  /**
   * When no target takes all of {@code cut}, the aligned prefix of it that fits the room left on
   * the nearest target with at least {@link #MIN_PREFIX_ROOM_BYTES} (a demotion-only node near its
   * capacity takes what it can rather than nothing, as a promotion does); null when none has.
   */
  private Moved prefixIntoRoom(
      int segment, int source, int entry, int[] targets, Cut cut, Purpose purpose) {
    for (int position = 0; position < targets.length; position++) {
      int target = targets[position];
      long roomBytes = ledger.roomBytes(target);
      if (roomBytes < MIN_PREFIX_ROOM_BYTES) {
        continue;
      }
      Cut prefix = segments.fit(segment, segments.bytes(segment, source), roomBytes);
      if (prefix == null || prefix.bytes() <= 0 || prefix.end() > cut.end()) {
        continue;
      }
      move(segment, source, entry, target, position, prefix, purpose, true);
      if (!purpose.exchange()) {
        skips.restHeldByRoom(segment, source, prefix, target, Direction.DEMOTE);
      }
      return new Moved(prefix.bytes());
    }
    return null;
  }

  private void move(
      int segment,
      int source,
      int entry,
      int target,
      int position,
      Cut cut,
      Purpose purpose,
      boolean cutToNeed) {
    String text = texts.demotion(segment, source, target, position, purpose);
    ledger.apply(
        new Ledger.PlannedMove(
            segment,
            source,
            target,
            cut.end(),
            cut.bytes(),
            Direction.DEMOTE,
            purpose.code(),
            text));
    entries.decide(source, entry);
    if (cut.end() < segments.end(segment) && !purpose.exchange() && !cutToNeed) {
      skips.restHeldByBudget(segment, source, cut, Direction.DEMOTE);
    }
  }

  /** Held back: a skip with {@code text} (built only when listed), or barred as a victim. */
  private HeldBack heldBack(
      int source, int entry, Purpose purpose, SkipReason reason, Supplier<String> text) {
    if (purpose.exchange()) {
      entries.bar(source, entry);
    } else {
      entries.decide(source, entry);
      int segment = entries.segment(source, entry);
      Supplier<String> said =
          purpose.code() == ReasonCode.TENANT_CEILING
              ? () -> text.get() + "; " + purpose.why()
              : text;
      skips.skip(segment, source, Direction.DEMOTE, segments.bytes(segment, source), reason, said);
    }
    return new HeldBack(reason);
  }
}
