package tierd.daemon;

import java.time.Duration;
import java.util.Locale;
import tierd.planner.SkipReason;

/**
 * How long the loop waits after a cycle. While there is work in flight it runs every {@code
 * busyInterval}: the cycle moved pages (a stage that yielded carries on), hot data waits for its
 * confirming window, or a new process's heat is warming up. When the host is quiet it runs every
 * {@code interval}. A run of busy cycles that move nothing ends after {@link #IDLE_BUSY_CYCLES}, so
 * that hot data that flickers in and out of confirmation cannot keep the daemon at the busy rate
 * (the CPU target is for the quiet host).
 *
 * <p>After a cycle that moved pages the busy rate holds for {@link #AFTER_MOVE_CYCLES} more cycles
 * even when nothing is pending: a hot set often shows up over several aggregations, as DAMON splits
 * the regions that hold it, and the part below the first move was not yet hot when that cycle
 * planned. In the Redis benchmark of 2026-12-07 20:54 the slowest run had 86 % of the hot set
 * placed when a cycle found nothing more, and the rest waited out the quiet interval.
 */
final class Cadence {

  /** Busy cycles in a row that move nothing before the loop slows down again. */
  static final int IDLE_BUSY_CYCLES = 5;

  /** Cycles after one that moved pages that run at the busy rate whatever is pending. */
  static final int AFTER_MOVE_CYCLES = 3;

  private final Duration interval;
  private final Duration busyInterval;
  private int busyWithoutMoving;

  /** Cycles since the last one that moved pages (saturating; a fresh loop has not moved). */
  private int sinceMove = Integer.MAX_VALUE;

  /** The intervals of the config in force ({@code busyInterval} at most {@code interval}). */
  Cadence(Duration interval, Duration busyInterval) {
    this.interval = interval;
    this.busyInterval = busyInterval.compareTo(interval) < 0 ? busyInterval : interval;
  }

  /** The same state (the run of busy cycles) under a reloaded config's intervals. */
  Cadence with(Duration newInterval, Duration newBusyInterval) {
    if (newInterval.equals(interval) && newBusyInterval.equals(busyInterval)) {
      return this;
    }
    Cadence next = new Cadence(newInterval, newBusyInterval);
    next.busyWithoutMoving = busyWithoutMoving;
    next.sinceMove = sinceMove;
    return next;
  }

  /**
   * The wait after a cycle that moved {@code movedBytes}, left {@code unconfirmedSkips} hot ranges
   * waiting for confirmation and holds back the heat of {@code warmingProcesses}.
   */
  Duration after(long movedBytes, long unconfirmedSkips, int warmingProcesses) {
    if (movedBytes > 0) {
      busyWithoutMoving = 0;
      sinceMove = 0;
      return busyInterval;
    }
    if (sinceMove < Integer.MAX_VALUE) {
      sinceMove++;
    }
    if (unconfirmedSkips > 0 || warmingProcesses > 0) {
      busyWithoutMoving++;
    } else {
      busyWithoutMoving = 0;
    }
    boolean pending = busyWithoutMoving > 0 && busyWithoutMoving <= IDLE_BUSY_CYCLES;
    return pending || sinceMove <= AFTER_MOVE_CYCLES ? busyInterval : interval;
  }

  /** The wait after {@code report}: see {@link #after(long, long, int)}. */
  Duration after(CycleReport report, int warmingProcesses) {
    long unconfirmed =
        report
            .skippedByReason()
            .getOrDefault(SkipReason.UNCONFIRMED.name().toLowerCase(Locale.ROOT), 0L);
    return after(report.movedBytes(), unconfirmed, warmingProcesses);
  }
}
