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
 */
final class Cadence {

  /** Busy cycles in a row that move nothing before the loop slows down again. */
  static final int IDLE_BUSY_CYCLES = 5;

  private final Duration interval;
  private final Duration busyInterval;
  private int busyWithoutMoving;

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
    return next;
  }

  /**
   * The wait after a cycle that moved {@code movedBytes}, left {@code unconfirmedSkips} hot ranges
   * waiting for confirmation and holds back the heat of {@code warmingProcesses}.
   */
  Duration after(long movedBytes, long unconfirmedSkips, int warmingProcesses) {
    if (movedBytes > 0) {
      busyWithoutMoving = 0;
      return busyInterval;
    }
    if (unconfirmedSkips > 0 || warmingProcesses > 0) {
      busyWithoutMoving++;
      return busyWithoutMoving <= IDLE_BUSY_CYCLES ? busyInterval : interval;
    }
    busyWithoutMoving = 0;
    return interval;
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
