package tierd.mover;

import java.time.Duration;
import java.util.Objects;

/**
 * What bounds one {@link PageMover#move} call beyond the per-call bound of {@link MoverConfig}.
 *
 * @param timeBudget how long the whole call may run, by the mover's ticker; pages not reached by
 *     then end as {@link Outcome#DEFERRED}, so a move stage never holds the daemon's loop for
 *     longer than about one interval
 * @param room how many bytes each target node can still take; a move into a node is held back, or
 *     ends as {@link Outcome#NO_ROOM}, before it would push the node below its floor
 */
public record MoveLimits(Duration timeBudget, NodeRoom room) {

  /** No time budget and no room check: every page is attempted. */
  public static final MoveLimits NONE =
      new MoveLimits(Duration.ofNanos(Long.MAX_VALUE), NodeRoom.UNLIMITED);

  public MoveLimits {
    Objects.requireNonNull(timeBudget, "timeBudget");
    Objects.requireNonNull(room, "room");
    if (timeBudget.isNegative()) {
      throw new IllegalArgumentException("timeBudget must not be negative, got " + timeBudget);
    }
  }

  /** The time budget in nanoseconds, saturated at {@link Long#MAX_VALUE}. */
  long timeBudgetNanos() {
    return timeBudget.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1
        ? Long.MAX_VALUE
        : timeBudget.toNanos();
  }
}
