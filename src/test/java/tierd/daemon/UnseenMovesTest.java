package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** tierd's moves that a demotion-only node's meminfo does not show yet (MiB throughout). */
class UnseenMovesTest {

  static final long MIB = 1L << 20;

  static Stream<Arguments> readings() {
    return Stream.of(
        Arguments.of("off, not shown at all", 12, 45, 45, 12),
        Arguments.of("off, partly shown", 12, 45, 41, 8),
        Arguments.of("off, all shown", 12, 45, 33, 0),
        Arguments.of("off, more than that fell", 12, 45, 20, 0),
        Arguments.of("off, the node grew meanwhile", 12, 45, 50, 12),
        Arguments.of("onto, not shown", -10, 20, 20, -10),
        Arguments.of("onto, partly shown", -10, 20, 26, -4),
        Arguments.of("onto, all shown", -10, 20, 31, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readings")
  void whatTheNextReadingDoesNotShow(
      String name, long netOffMiB, long usedBeforeMiB, long usedNowMiB, long unseenMiB) {
    UnseenMoves unseen = new UnseenMoves();
    unseen.moved(2, netOffMiB * MIB, usedBeforeMiB * MIB);
    assertThat(unseen.unseenOffBytes(2, usedNowMiB * MIB)).isEqualTo(unseenMiB * MIB);
    assertThat(unseen.unseenOffBytes(0, usedNowMiB * MIB)).as("another node").isZero();
  }

  @Test
  void theVmCaseThreeReadingsThatLaggedTheMovesAddNoMoreRelief() {
    // capacity 34.9 MiB; the node read 45.7 MiB in three cycles while 11.6 MiB had left it
    UnseenMoves unseen = new UnseenMoves();
    long held = 45_700 * 1024L;
    unseen.moved(2, 11_600 * 1024L, held);
    assertThat(held - unseen.unseenOffBytes(2, held)).isEqualTo(34_100 * 1024L);
    assertThat(held - unseen.unseenOffBytes(2, held)).isEqualTo(34_100 * 1024L);
    long later = 37_800 * 1024L;
    assertThat(later - unseen.unseenOffBytes(2, later)).isEqualTo(34_100 * 1024L);
  }

  @Test
  void laterMovesAddUpAgainstTheFirstReading() {
    UnseenMoves unseen = new UnseenMoves();
    unseen.moved(2, 8 * MIB, 40 * MIB);
    assertThat(unseen.unseenOffBytes(2, 40 * MIB)).isEqualTo(8 * MIB);
    unseen.moved(2, 4 * MIB, 40 * MIB); // the plan's reading this cycle; the first one counts
    assertThat(unseen.unseenOffBytes(2, 34 * MIB)).isEqualTo(6 * MIB);
    assertThat(unseen.unseenOffBytes(2, 28 * MIB)).isZero();
    assertThat(unseen.unseenOffBytes(2, 40 * MIB)).as("shown once: forgotten").isZero();
  }

  @Test
  void whatIsNeverShownIsForgottenAfterFiveReadings() {
    UnseenMoves unseen = new UnseenMoves();
    unseen.moved(2, 8 * MIB, 40 * MIB);
    for (int reading = 1; reading <= UnseenMoves.MAX_CYCLES; reading++) {
      assertThat(unseen.unseenOffBytes(2, 40 * MIB)).as("reading %d", reading).isEqualTo(8 * MIB);
    }
    assertThat(unseen.unseenOffBytes(2, 40 * MIB)).isZero();
  }
}
