package tierd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"250ms, 250", "5s, 5000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "500us, 0"})
  void durations(String text, long millis) {
    assertThat(Units.duration(text).toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"5", "s", "5 years", "-1s"})
  void badDurations(String text) {
    assertThatThrownBy(() -> Units.duration(text)).hasMessageContaining(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"200MiB/s, 209715200", "1GiB/s, 1073741824", "100MB/s, 100000000"})
  void rates(String text, long bytesPerSecond) {
    assertThat(Units.rate(text)).isEqualTo(bytesPerSecond);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"95%, 0.95", "0%, 0", "100%, 1", "12.5%, 0.125"})
  void percents(String text, double fraction) {
    assertThat(Units.percent(text)).isEqualTo(fraction);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"95", "x%", "200MiB"})
  void badPercentsAndRates(String text) {
    assertThatThrownBy(() -> Units.percent(text)).hasMessageContaining(text);
    assertThatThrownBy(() -> Units.rate(text)).hasMessageContaining(text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"5000, 5s", "120000, 2m", "250, 250ms", "3600000, 1h"})
  void formats(long millis, String text) {
    assertThat(Units.formatDuration(Duration.ofMillis(millis))).isEqualTo(text);
  }
}
