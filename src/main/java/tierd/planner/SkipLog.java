package tierd.planner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import tierd.model.AddressRange;

/**
 * Every candidate held back in one run: counted per reason (candidates and bytes), and listed with
 * its text while the listing has room ({@code planner.maxSkipsListed}). A text is built only when
 * its skip is listed, so that a million candidates held back by the budget cost no strings. Holds
 * the texts of the skips every step shares: budget and cycle cap, and the rest of a range that
 * moved in part.
 */
final class SkipLog {

  private final PlannerConfig config;
  private final NodeTable nodes;
  private final Segments segments;
  private final Ledger ledger;
  private final List<Skip> listed = new ArrayList<>();
  private final long[] counts = new long[SkipReason.values().length];
  private final long[] bytes = new long[SkipReason.values().length];
  private long notListed;

  SkipLog(PlannerConfig config, NodeTable nodes, Segments segments, Ledger ledger) {
    this.config = config;
    this.nodes = nodes;
    this.segments = segments;
    this.ledger = ledger;
  }

  /** Data of {@code segment} on {@code source} (a node table slot) held back for {@code reason}. */
  void skip(
      int segment,
      int source,
      Direction direction,
      long skippedBytes,
      SkipReason reason,
      Supplier<String> text) {
    skipRest(segment, segments.start(segment), source, direction, skippedBytes, reason, text);
  }

  /** As {@link #skip}, for the rest of the segment from {@code fromAddress} on. */
  void skipRest(
      int segment,
      long fromAddress,
      int source,
      Direction direction,
      long skippedBytes,
      SkipReason reason,
      Supplier<String> text) {
    if (listingFull()) {
      countUnlisted(reason, skippedBytes);
      return;
    }
    counts[reason.ordinal()]++;
    bytes[reason.ordinal()] += skippedBytes;
    ProcessView process = segments.process(segment);
    listed.add(
        new Skip(
            process.pid(),
            process.startTimeTicks(),
            new AddressRange(fromAddress, segments.end(segment)),
            direction,
            source == nodes.noTierSlot ? -1 : nodes.nodeId(source),
            skippedBytes,
            reason,
            text.get()));
  }

  private boolean listingFull() {
    return listed.size() >= config.maxSkipsListed();
  }

  private void countUnlisted(SkipReason reason, long skippedBytes) {
    counts[reason.ordinal()]++;
    bytes[reason.ordinal()] += skippedBytes;
    notListed++;
  }

  /** The whole of a segment's data on {@code source} held back by its bucket or the cycle cap. */
  void heldByBudget(int segment, int source, Direction direction) {
    SkipReason reason = budgetReason(direction);
    long skippedBytes = segments.bytes(segment, source);
    if (listingFull()) {
      countUnlisted(reason, skippedBytes); // the fast path: no text, not even its closure
      return;
    }
    long tokens = ledger.tokens(direction);
    long capLeft = ledger.cycleCapLeft();
    skip(
        segment,
        source,
        direction,
        skippedBytes,
        reason,
        () ->
            reason == SkipReason.BUDGET
                ? direction.name().toLowerCase(Locale.ROOT)
                    + " budget "
                    + Texts.bytes(rate(direction))
                    + "/s has "
                    + Texts.bytes(tokens)
                    + " left this cycle"
                : "cycle cap "
                    + Texts.bytes(ledger.cycleCapBytes())
                    + " has "
                    + Texts.bytes(capLeft)
                    + " left");
  }

  /** The rest of a segment whose prefix {@code cut} fit the budget or the cycle cap. */
  void restHeldByBudget(int segment, int source, Cut cut, Direction direction) {
    SkipReason reason = budgetReason(direction);
    skipRest(
        segment,
        cut.end(),
        source,
        direction,
        segments.bytes(segment, source) - cut.bytes(),
        reason,
        () ->
            "the rest of a range whose first "
                + Texts.bytes(cut.bytes())
                + " fit "
                + (reason == SkipReason.BUDGET ? "this cycle's budget" : "the cycle cap"));
  }

  /**
   * The rest of a segment whose prefix {@code cut} filled the room left on {@code target}: a hot
   * one promoted, or a colder one demoted into a node near its fill limit (a demotion-only node's
   * capacity) or its floor.
   */
  void restHeldByRoom(int segment, int source, Cut cut, int target, Direction direction) {
    boolean fill =
        nodes.totalBytes(target) - ledger.freeBytes(target)
            >= nodes.fillLimitBytes(target) - Ledger.BASE_PAGE_BYTES;
    skipRest(
        segment,
        cut.end(),
        source,
        direction,
        segments.bytes(segment, source) - cut.bytes(),
        fill ? SkipReason.FILL_LIMIT : SkipReason.WATERMARK,
        () ->
            "the rest of a "
                + (direction == Direction.PROMOTE ? "hot range" : "range")
                + " whose first "
                + Texts.bytes(cut.bytes())
                + " filled the room left on node "
                + nodes.nodeId(target)
                + (fill ? " up to its fill limit" : " down to its high wmark + margin"));
  }

  /** What holds a move in {@code direction} back now: its bucket, or the cycle cap. */
  SkipReason budgetReason(Direction direction) {
    return ledger.bucketIsTighter(direction) ? SkipReason.BUDGET : SkipReason.CYCLE_CAP;
  }

  private long rate(Direction direction) {
    return direction == Direction.PROMOTE
        ? config.promoteBytesPerSecond()
        : config.demoteBytesPerSecond();
  }

  List<Skip> listed() {
    return listed;
  }

  /** Skipped candidates per reason, listed or not; reasons with none left out. */
  EnumMap<SkipReason, Long> counts() {
    return perReason(counts);
  }

  /** Skipped bytes per reason; reasons with no skip left out. */
  EnumMap<SkipReason, Long> bytes() {
    return perReason(bytes);
  }

  long notListed() {
    return notListed;
  }

  private EnumMap<SkipReason, Long> perReason(long[] values) {
    EnumMap<SkipReason, Long> out = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      if (counts[reason.ordinal()] > 0) {
        out.put(reason, values[reason.ordinal()]);
      }
    }
    return out;
  }
}
