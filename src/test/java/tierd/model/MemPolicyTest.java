package tierd.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MemPolicyTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "default;DEFAULT;",
        "local;LOCAL;",
        "prefer:1;PREFERRED;1",
        "bind:0-1;BIND;0-1",
        "bind=static:0-1;BIND;0-1",
        "bind=relative|balancing:0;BIND;0",
        "prefer (many):0,2;PREFERRED_MANY;0,2",
        "interleave:0-3;INTERLEAVE;0-3",
        "weighted interleave:0-1;WEIGHTED_INTERLEAVE;0-1",
        "unknown;UNKNOWN;",
      })
  void roundTrips(String text, MemPolicy.Mode mode, String nodes) {
    MemPolicy p = MemPolicy.parse(text);
    assertThat(p.mode()).isEqualTo(mode);
    assertThat(p.nodes()).isEqualTo(NodeSet.parse(nodes == null ? "" : nodes));
    assertThat(p.toString()).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"bindx:1", "bind:", "bind=:1", "prefer (many", "interleave:a", "bind:1 x"})
  void rejects(String text) {
    assertThatThrownBy(() -> MemPolicy.parse(text)).isInstanceOf(MalformedValueException.class);
  }

  /** The kernel prints a nodelist exactly for the modes that have one (mpol_to_str). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "bind;without its nodelist",
        "bind=static;without its nodelist",
        "prefer;without its nodelist",
        "prefer (many);without its nodelist",
        "interleave;without its nodelist",
        "weighted interleave;without its nodelist",
        "default:0;takes no nodelist",
        "local:1;takes no nodelist",
      })
  void nodelistMatchesTheMode(String text, String message) {
    assertThatThrownBy(() -> MemPolicy.parse(text))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining(message);
  }
}
