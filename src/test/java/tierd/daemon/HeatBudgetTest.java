package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The heat source's CPU share on a one-tier host: the next collect waits cost / share. */
class HeatBudgetTest {

  private static final long MS = 1_000_000L;

  static Stream<Arguments> budgets() {
    return Stream.of(
        Arguments.of("0.5 %: 200 ms of CPU waits 40 s", 0.005, 200 * MS, 40_000 * MS),
        Arguments.of("1 %: 50 ms waits 5 s", 0.01, 50 * MS, 5_000 * MS),
        Arguments.of("100 %: every cycle", 1.0, 200 * MS, 0L),
        Arguments.of("a free collect: no wait", 0.005, 0L, 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("budgets")
  void theNextCollectWaitsItsCostOverTheShare(
      String name, double share, long cpuNanos, long waitNanos) {
    HeatBudget b = new HeatBudget(share);
    long t = 1_000 * MS;
    assertThat(b.due(t)).as("the first collect is always due").isTrue();
    b.spent(cpuNanos, t);
    if (waitNanos > 0) {
      assertThat(b.due(t + waitNanos - 1)).isFalse();
    }
    assertThat(b.due(t + waitNanos)).isTrue();
  }

  @ParameterizedTest(name = "share {0}")
  @MethodSource("badShares")
  void aShareOutsideZeroToOneIsRefused(double share) {
    assertThatThrownBy(() -> new HeatBudget(share))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside (0, 1]");
  }

  static Stream<Arguments> badShares() {
    return Stream.of(
        Arguments.of(0.0), Arguments.of(-0.1), Arguments.of(1.5), Arguments.of(Double.NaN));
  }
}
