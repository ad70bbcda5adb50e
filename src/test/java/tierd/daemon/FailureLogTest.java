package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tierd.CapturedLog;
import tierd.daemon.TieringCycleLogTest.StepClock;

/** A failure that repeats every cycle is logged once, then at most every 10 minutes. */
class FailureLogTest {

  @RegisterExtension final CapturedLog logged = new CapturedLog("tierd.test.FailureLogTest");
  private final StepClock clock = new StepClock();
  private final FailureLog failures = new FailureLog(logged.logger(), clock);

  @BeforeEach
  void debug() {
    logged.logger().setLevel(Level.DEBUG);
  }

  @AfterEach
  void release() {
    logged.logger().setLevel(null);
  }

  private List<String> lines(Level level) {
    return logged.at(level);
  }

  /** Cycles {@code from}..{@code to}, 5 s apart, failing in {@code stage} with {@code cause}. */
  private void fail(long from, long to, String stage, Throwable cause) {
    for (long c = from; c <= to; c++) {
      failures.failed(c, stage, cause);
      clock.now = clock.now.plus(Duration.ofSeconds(5));
    }
  }

  @Test
  void aRepeatedFailureIsLoggedOnceThenEveryTenMinutesThenItsRecovery() {
    // 30 minutes at 5 s: 360 cycles, the message differs every time (a pid, say)
    for (long c = 1; c <= 360; c++) {
      failures.failed(c, "discover", new IllegalStateException("pid " + (1000 + c) + " vanished"));
      clock.now = clock.now.plus(Duration.ofSeconds(5));
    }
    failures.succeeded(361);

    assertThat(lines(Level.WARN))
        .containsExactly(
            "cycle 1: stage discover failed: IllegalStateException: pid 1001 vanished",
            "cycle 121: stage discover still failing (121 cycles since 2026-01-01T00:00:00Z):"
                + " IllegalStateException: pid 1121 vanished",
            "cycle 241: stage discover still failing (241 cycles since 2026-01-01T00:00:00Z):"
                + " IllegalStateException: pid 1241 vanished");
    assertThat(lines(Level.INFO))
        .containsExactly(
            "cycle 361: ok again; stage discover had failed in 360 cycles since"
                + " 2026-01-01T00:00:00Z");
    // the stack trace only at DEBUG, every time
    assertThat(logged.events())
        .filteredOn(e -> e.getThrowableProxy() != null)
        .hasSize(360)
        .allMatch(e -> e.getLevel() == Level.DEBUG);
  }

  @Test
  void anotherStageOrAnotherKindOfFailureIsNewAndLoggedAtOnce() {
    fail(1, 3, "heat", new IllegalStateException("kdamond gone"));
    fail(4, 5, "move", new IllegalStateException("EFAULT"));
    fail(6, 7, "move", new UnsupportedOperationException("no"));
    assertThat(lines(Level.WARN))
        .containsExactly(
            "cycle 1: stage heat failed: IllegalStateException: kdamond gone",
            "cycle 4: stage move failed: IllegalStateException: EFAULT",
            "cycle 6: stage move failed: UnsupportedOperationException: no");
    assertThat(lines(Level.INFO)).isEmpty();
  }

  @Test
  void aGoodCycleWithoutAFailureBeforeSaysNothing() {
    failures.succeeded(1);
    failures.succeeded(2);
    assertThat(logged.events()).isEmpty();
  }
}
