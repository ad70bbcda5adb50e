package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The number formats of reason texts and explain lines. */
class TextsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "under a second,          250,      250ms",
    "whole seconds,           45000,    45s",
    "whole minutes,           300000,   5m",
    "minutes and seconds,     90000,    1m30s",
    "whole hours,             7200000,  2h",
    "hours and minutes,       7380000,  2h3m",
    "hours drop the seconds,  7385000,  2h3m",
  })
  void durationsAreShortAndExact(String name, long millis, String text) {
    assertThat(Texts.duration(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "rounds to two places, 0.456,  0.46",
    "zero,                 0,      0.00",
    "one,                  1,      1.00",
  })
  void heatHasTwoDecimals(String name, double heat, String text) {
    assertThat(Texts.heat(heat)).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "a share,        0.123, 12%",
    "rounds half up, 0.125, 13%",
    "all,            1,     100%",
  })
  void percentIsWhole(String name, double share, String text) {
    assertThat(Texts.percent(share)).isEqualTo(text);
  }
}
