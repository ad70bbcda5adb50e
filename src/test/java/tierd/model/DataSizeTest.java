package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "4096, 4096",
    "4096B, 4096",
    "4KiB, 4096",
    "256MiB, 268435456",
    "1.5GiB, 1610612736",
    "2GiB, 2147483648",
    "1kB, 1000",
    "5MB, 5000000",
  })
  void parses(String text, long bytes) {
    assertThat(DataSize.parse(text).bytes()).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "[{index}] ''{0}''")
  @ValueSource(strings = {"", "MiB", "12XB", "-1MiB", "99999999999999999999"})
  void rejectsWithTheText(String text) {
    assertThatThrownBy(() -> DataSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"0, 0B", "1023, 1023B", "1024, 1KiB", "1572864, 1.5MiB", "1073741824, 1GiB"})
  void printsHuman(long bytes, String text) {
    assertThat(DataSize.human(bytes)).isEqualTo(text);
  }
}
