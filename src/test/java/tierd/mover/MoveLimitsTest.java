package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The move stage's time budget within a cycle, and the limits' own checks. */
class MoveLimitsTest {

  static Stream<Arguments> budgets() {
    return Stream.of(
        Arguments.of("nothing spent yet: the whole interval", 0, 5000),
        Arguments.of("what is left of the interval", 1500, 3500),
        Arguments.of("slow stages before the move: a fifth of the interval", 4500, 1000),
        Arguments.of("stages longer than the interval: still a fifth", 9000, 1000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("budgets")
  void theMovesGetWhatIsLeftOfTheIntervalAndAtLeastAFifth(
      String name, long spentMillis, long budgetMillis) {
    assertThat(MoveLimits.budgetWithin(Duration.ofSeconds(5), Duration.ofMillis(spentMillis)))
        .isEqualTo(Duration.ofMillis(budgetMillis));
  }

  @Test
  void aNegativeBudgetIsRefusedAndNoneSaturates() {
    assertThatThrownBy(() -> new MoveLimits(Duration.ofMillis(-1), NodeRoom.UNLIMITED))
        .hasMessageContaining("timeBudget must not be negative");
    assertThat(MoveLimits.NONE.timeBudgetNanos()).isEqualTo(Long.MAX_VALUE);
  }
}
