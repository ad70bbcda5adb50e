package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sparse word I/O: reads and writes only the runs of words asked for. */
class SparseTest {

  static Stream<Arguments> sparseReads() {
    return Stream.of(
        Arguments.of("empty", new long[] {}, List.of()),
        Arguments.of("one", new long[] {7}, List.of("7+1")),
        Arguments.of("close together: one read", new long[] {1, 5, 60}, List.of("1+60")),
        Arguments.of(
            "a gap wider than 64: two reads", new long[] {1, 2, 200}, List.of("1+2", "200+1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sparseReads")
  void sparseRead(String name, long[] idx, List<String> calls) {
    List<String> seen = new ArrayList<>();
    long[] v =
        Sparse.read(
            idx,
            (first, count) -> {
              seen.add(first + "+" + count);
              long[] out = new long[count];
              for (int i = 0; i < count; i++) {
                out[i] = (first + i) * 10;
              }
              return out;
            });
    assertThat(seen).isEqualTo(calls);
    for (int i = 0; i < idx.length; i++) {
      assertThat(v[i]).isEqualTo(idx[i] * 10);
    }
  }

  @Test
  void sparseWriteWritesOnlyAdjacentRuns() {
    List<String> seen = new ArrayList<>();
    Sparse.write(
        new long[] {3, 4, 9},
        new long[] {30, 40, 90},
        (first, words) -> seen.add(first + ":" + java.util.Arrays.toString(words)));
    assertThat(seen).containsExactly("3:[30, 40]", "9:[90]");
  }
}
