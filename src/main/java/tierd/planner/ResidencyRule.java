package tierd.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import tierd.model.AddressRange;
import tierd.model.ProcessId;

/**
 * Residency in one run: data that moved less than {@code planner.minResidency} ago does not move
 * back, nor onward from the node it moved to; and a move that reverses its range's last move within
 * {@code planner.historyRetention} is a ping-pong.
 */
final class ResidencyRule {

  private final PlannerConfig config;
  private final ResidencyHistory history;
  private final Instant now;
  private final Instant residentSince;
  private final Instant forgetBefore;
  private final NodeTable nodes;
  private final Segments segments;
  private final SkipLog skips;

  ResidencyRule(
      PlannerConfig config,
      ResidencyHistory history,
      Instant now,
      NodeTable nodes,
      Segments segments,
      SkipLog skips) {
    this.config = config;
    this.history = history;
    this.now = now;
    this.residentSince = now.minus(config.minResidency());
    this.forgetBefore = now.minus(config.historyRetention());
    this.nodes = nodes;
    this.segments = segments;
    this.skips = skips;
  }

  /**
   * Whether moving a segment's bytes on {@code source} in {@code direction} would move data again
   * less than {@code minResidency} after it moved: back the other way, or onward from the node it
   * moved to. Earlier moves the same way to another node do not hold it back: the pages they moved
   * are already off {@code source}, and the rest of the range may follow.
   */
  boolean recentlyMoved(int segment, int source, Direction direction) {
    if (config.minResidency().isZero()) {
      return false;
    }
    return lastBlockingMove(segment, source, direction)
        .map(entry -> entry.movedAt().isAfter(residentSince))
        .orElse(false);
  }

  /** Records the skip of a segment's bytes on {@code source} that {@link #recentlyMoved}. */
  void skip(int segment, int source, Direction direction) {
    skips.skip(
        segment,
        source,
        direction,
        segments.bytes(segment, source),
        SkipReason.RESIDENCY,
        () ->
            lastBlockingMove(segment, source, direction)
                .map(
                    entry ->
                        "moved ("
                            + entry.direction().name().toLowerCase(Locale.ROOT)
                            + ") "
                            + Texts.duration(Duration.between(entry.movedAt(), now))
                            + " ago, less than the minimum residency "
                            + Texts.duration(config.minResidency()))
                .orElse("moved recently"));
  }

  private Optional<ResidencyHistory.Entry> lastBlockingMove(
      int segment, int source, Direction direction) {
    int sourceId = nodes.nodeId(source);
    return history.lastMove(
        segments.process(segment).key(),
        segments.range(segment),
        entry -> entry.direction() != direction || entry.toNode() == sourceId);
  }

  /** True when a move of {@code range} in {@code direction} reverses its last remembered move. */
  boolean pingPong(ProcessId process, AddressRange range, Direction direction) {
    Optional<ResidencyHistory.Entry> last = history.lastMove(process, range);
    return last.isPresent()
        && !last.get().movedAt().isBefore(forgetBefore)
        && last.get().direction() != direction;
  }

  /** Moves before this are forgotten. */
  Instant forgetBefore() {
    return forgetBefore;
  }
}
