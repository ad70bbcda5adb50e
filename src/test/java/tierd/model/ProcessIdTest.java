package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A process across pid reuse: (pid, start time), validated, ordered, printed as pid@start. */
class ProcessIdTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pid 0,                0, 1, 'pid must be positive, got 0'",
    "negative pid,        -1, 1, 'pid must be positive, got -1'",
    "negative start time,  7, -1, 'negative start time -1 for pid 7'",
  })
  void invalidIdsAreRejectedWithAMessageNamingTheValue(
      String name, int pid, long startTimeTicks, String message) {
    assertThatThrownBy(() -> new ProcessId(pid, startTimeTicks))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void aReusedPidIsAnotherProcess() {
    assertThat(new ProcessId(42, 100)).isEqualTo(new ProcessId(42, 100));
    assertThat(new ProcessId(42, 100)).isNotEqualTo(new ProcessId(42, 101));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "same start time: the same live process,  100, true",
    "another start time: the pid was reused,  101, false",
    "no live process with that pid,            , false",
  })
  void isStartTimeOfTellsTheSameLiveProcess(String name, Long liveStartTime, boolean same) {
    OptionalLong live =
        liveStartTime == null ? OptionalLong.empty() : OptionalLong.of(liveStartTime);
    assertThat(new ProcessId(42, 100).isStartTimeOf(live)).isEqualTo(same);
  }

  @Test
  void orderedByPidThenStartTime() {
    TreeSet<ProcessId> ids =
        new TreeSet<>(List.of(new ProcessId(9, 1), new ProcessId(3, 7), new ProcessId(3, 2)));
    assertThat(ids).containsExactly(new ProcessId(3, 2), new ProcessId(3, 7), new ProcessId(9, 1));
  }

  @Test
  void printsAsPidAtStartTime() {
    assertThat(new ProcessId(42, 100)).hasToString("42@100");
  }
}
