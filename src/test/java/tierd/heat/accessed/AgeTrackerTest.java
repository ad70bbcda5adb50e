package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;

/** The age tracker: access levels and how long a region has stayed at one. */
class AgeTrackerTest {
  static Stream<Arguments> levels() {
    return Stream.of(
        Arguments.of("idle", 0L, 100L, 0),
        Arguments.of("a touch", 1L, 100L, 1),
        Arguments.of("half", 50L, 100L, 3),
        Arguments.of("all", 100L, 100L, 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("levels")
  void level(String name, long nr, long max, int level) {
    assertThat(AgeTracker.level(nr, max)).isEqualTo(level);
  }

  @Test
  void ageGrowsWhileTheLevelHoldsAndResetsOnChange() {
    AgeTracker t = new AgeTracker();
    AddressRange r = new AddressRange(0, 4096);
    assertThat(t.age(1, r, 0, 10, 100)).isEqualTo(Duration.ZERO);
    t.endCycle();
    assertThat(t.age(1, r, 0, 10, 300)).isEqualTo(Duration.ofNanos(200));
    t.endCycle();
    assertThat(t.age(1, r, 9, 10, 400)).isEqualTo(Duration.ZERO);
    t.endCycle();
    t.endCycle(); // not seen: forgotten
    assertThat(t.age(1, r, 9, 10, 500)).isEqualTo(Duration.ZERO);
  }
}
