package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The loop's wait after a cycle: busy while work is in flight, the interval when quiet. */
class CadenceTest {

  static final Duration INTERVAL = Duration.ofSeconds(5);
  static final Duration BUSY = Duration.ofSeconds(1);

  @Test
  void aQuietHostWaitsTheInterval() {
    assertThat(new Cadence(INTERVAL, BUSY).after(0, 0, 0)).isEqualTo(INTERVAL);
  }

  @Test
  void movingWaitingForConfirmationOrWarmingUpRunsAtTheBusyInterval() {
    assertThat(new Cadence(INTERVAL, BUSY).after(4096, 0, 0)).as("moved").isEqualTo(BUSY);
    assertThat(new Cadence(INTERVAL, BUSY).after(0, 3, 0)).as("unconfirmed").isEqualTo(BUSY);
    assertThat(new Cadence(INTERVAL, BUSY).after(0, 0, 1)).as("warming up").isEqualTo(BUSY);
  }

  @Test
  void busyCyclesThatMoveNothingSlowDownAfterAFewAndMovingResetsTheRun() {
    Cadence cadence = new Cadence(INTERVAL, BUSY);
    for (int i = 1; i <= Cadence.IDLE_BUSY_CYCLES; i++) {
      assertThat(cadence.after(0, 2, 0)).as("busy cycle %d", i).isEqualTo(BUSY);
    }
    assertThat(cadence.after(0, 2, 0)).as("flickering hot data alone").isEqualTo(INTERVAL);
    assertThat(cadence.after(0, 2, 0)).isEqualTo(INTERVAL);
    assertThat(cadence.after(1 << 20, 0, 0)).as("something moved").isEqualTo(BUSY);
    for (int i = 1; i <= Cadence.IDLE_BUSY_CYCLES; i++) {
      assertThat(cadence.after(0, 2, 0)).as("busy cycle %d after the move", i).isEqualTo(BUSY);
    }
    assertThat(cadence.after(0, 2, 0)).isEqualTo(INTERVAL);
  }

  @Test
  void aMoveKeepsTheBusyRateForAFewCyclesWithNothingPendingThenTheHostIsQuiet() {
    Cadence cadence = new Cadence(INTERVAL, BUSY);
    assertThat(cadence.after(1 << 20, 0, 0)).isEqualTo(BUSY);
    for (int i = 1; i <= Cadence.AFTER_MOVE_CYCLES; i++) {
      assertThat(cadence.after(0, 0, 0)).as("cycle %d after the move", i).isEqualTo(BUSY);
    }
    assertThat(cadence.after(0, 0, 0)).as("nothing moved since").isEqualTo(INTERVAL);
    assertThat(cadence.after(0, 0, 0)).isEqualTo(INTERVAL);
    assertThat(cadence.after(4096, 0, 0)).as("a new move starts a new tail").isEqualTo(BUSY);
    assertThat(cadence.after(0, 0, 0)).isEqualTo(BUSY);
  }

  @Test
  void aReloadKeepsTheTailAfterAMove() {
    Cadence cadence = new Cadence(INTERVAL, BUSY);
    cadence.after(4096, 0, 0);
    for (int i = 1; i < Cadence.AFTER_MOVE_CYCLES; i++) {
      cadence.after(0, 0, 0);
    }
    Cadence reloaded = cadence.with(Duration.ofSeconds(10), Duration.ofSeconds(2));
    assertThat(reloaded.after(0, 0, 0))
        .as("the tail's last cycle")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(reloaded.after(0, 0, 0)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theBusyIntervalIsNeverLongerThanTheIntervalAndAReloadKeepsTheRun() {
    assertThat(new Cadence(BUSY, INTERVAL).after(4096, 0, 0)).isEqualTo(BUSY);
    Cadence cadence = new Cadence(INTERVAL, BUSY);
    for (int i = 1; i <= Cadence.IDLE_BUSY_CYCLES; i++) {
      cadence.after(0, 1, 0);
    }
    Cadence reloaded = cadence.with(Duration.ofSeconds(10), Duration.ofSeconds(2));
    assertThat(reloaded.after(0, 1, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(reloaded.after(4096, 0, 0)).isEqualTo(Duration.ofSeconds(2));
  }
}
