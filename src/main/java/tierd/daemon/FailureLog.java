package tierd.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Logs failed cycles without flooding the journal when the same failure comes back every cycle:
 *
 * <ul>
 *   <li>a new failure (another stage, or another kind of exception than the last cycle's) is logged
 *       once at WARN with its reason, and its stack trace at DEBUG;
 *   <li>the same failure in the following cycles is logged at most once per {@link #REMIND_EVERY}
 *       as "still failing (N cycles since T)", with the latest reason;
 *   <li>the first good cycle after failures says so at INFO.
 * </ul>
 *
 * Two failures are the same when stage and exception class are: messages often carry a pid or a
 * count that differs every time. Time comes from the injected clock.
 */
final class FailureLog {

  /** The shortest time between two "still failing" lines for one failure. */
  static final Duration REMIND_EVERY = Duration.ofMinutes(10);

  private final Logger log;
  private final Clock clock;
  private String stage;
  private Class<?> kind;
  private long cycles;
  private Instant since;
  private Instant lastLine;

  FailureLog(Logger log, Clock clock) {
    this.log = log;
    this.clock = clock;
  }

  /** Cycle {@code cycle} failed in {@code failedStage} with {@code cause}. */
  void failed(long cycle, String failedStage, Throwable cause) {
    Instant now = clock.instant();
    String reason = StageRunner.reason(cause);
    if (failedStage.equals(stage) && cause.getClass().equals(kind)) {
      cycles++;
      if (!now.isBefore(lastLine.plus(REMIND_EVERY))) {
        log.warn(
            "cycle {}: stage {} still failing ({} cycles since {}): {}",
            cycle,
            failedStage,
            cycles,
            since,
            reason);
        lastLine = now;
      }
    } else {
      stage = failedStage;
      kind = cause.getClass();
      cycles = 1;
      since = now;
      lastLine = now;
      log.warn("cycle {}: stage {} failed: {}", cycle, failedStage, reason);
    }
    log.debug("cycle {}: stage {} failed", cycle, failedStage, cause);
  }

  /** Cycle {@code cycle} did not fail. */
  void succeeded(long cycle) {
    if (stage != null) {
      log.info(
          "cycle {}: ok again; stage {} had failed in {} cycle{} since {}",
          cycle,
          stage,
          cycles,
          cycles == 1 ? "" : "s",
          since);
      stage = null;
      kind = null;
    }
  }
}
