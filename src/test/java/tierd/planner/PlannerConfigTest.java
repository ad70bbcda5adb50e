package tierd.planner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.DataSize;

class PlannerConfigTest {

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        Arguments.of(
            "no promotion budget",
            (Runnable) () -> PlannerConfig.builder().promoteBytesPerSecond(0).build(),
            "planner.promoteBytesPerSecond must be > 0 (got 0)"),
        Arguments.of(
            "retention shorter than residency",
            (Runnable)
                () ->
                    PlannerConfig.builder()
                        .minResidency(Duration.ofMinutes(5))
                        .historyRetention(Duration.ofMinutes(1))
                        .build(),
            "planner.historyRetention must be >= planner.minResidency (PT5M) (got PT1M)"),
        Arguments.of(
            "THP size not a power of two",
            (Runnable) () -> PlannerConfig.builder().thpAlign(DataSize.ofBytes(3 << 20)).build(),
            "planner.thpAlign must be 0 or a power of two >= 4KiB (got 3MiB)"),
        Arguments.of(
            "fill limit above 1",
            (Runnable) () -> PlannerConfig.builder().maxFill(Map.of(3, 1.2)).build(),
            "planner.maxFill.3 must be in (0, 1] (got 1.2)"),
        Arguments.of(
            "tiny cycle cap",
            (Runnable)
                () -> PlannerConfig.builder().maxBytesPerCycle(DataSize.ofBytes(100)).build(),
            "planner.maxBytesPerCycle must be >= 4KiB (got 100B)"),
        Arguments.of(
            "zero proactive age",
            (Runnable) () -> PlannerConfig.builder().proactiveDemotionAge(Duration.ZERO).build(),
            "planner.proactiveDemotionAge must be > 0 when set (got PT0S)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void configErrorsNameTheKeyAndTheRange(String name, Runnable build, String message) {
    assertThatThrownBy(build::run).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
