package tierd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.planner.CapacitySource;

/** {@code planner.nodes.N}: demotion-only nodes and their capacity sources. */
class DemotionOnlyConfigTest {

  @Test
  void aFileAndAStaticSizeAreCapacitySources() {
    TierdConfig c =
        TierdConfig.parse(
            "t.yaml",
            """
            planner:
              nodes:
                "2":
                  demotionOnly: true
                  capacityFile: /sys/bus/cxl/devices/mem0/usable_bytes
                "3":
                  demotionOnly: true
                  capacity: 16GiB
                "4":
                  demotionOnly: false
                "5":
                  demotionOnly: true
                  capacityCommand: [/usr/local/bin/cxl-usable, --device, mem1]
                "6":
                  demotionOnly: true
                  capacityCommand: /usr/local/bin/cxl-usable-mem2
            """);
    assertThat(c.stages().planner().demotionOnly())
        .isEqualTo(
            Map.of(
                2, new CapacitySource.FromFile(Path.of("/sys/bus/cxl/devices/mem0/usable_bytes")),
                3, new CapacitySource.Fixed(16L << 30),
                5,
                    new CapacitySource.FromCommand(
                        List.of("/usr/local/bin/cxl-usable", "--device", "mem1")),
                6, new CapacitySource.FromCommand(List.of("/usr/local/bin/cxl-usable-mem2"))));
  }

  @Test
  void noNodeIsDemotionOnlyByDefault() {
    assertThat(TierdConfig.defaults().stages().planner().demotionOnly()).isEmpty();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "no source",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n",
            "t.yaml:4: planner.nodes.2.demotionOnly: a demotion-only node needs exactly one of"
                + " capacity"),
        Arguments.of(
            "two sources",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacity: 1GiB\n"
                + "      capacityFile: /x\n",
            "planner.nodes.2.demotionOnly: a demotion-only node needs exactly one"),
        Arguments.of(
            "a file and a command",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacityFile: /x\n"
                + "      capacityCommand: [/bin/echo, 1]\n",
            "needs exactly one of capacity (a size), capacityFile (a file holding usable bytes) or"
                + " capacityCommand (a command printing them); got capacityFile and"
                + " capacityCommand"),
        Arguments.of(
            "relative command",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n"
                + "      capacityCommand: [cxl-usable]\n",
            "planner.nodes.2.capacityCommand: must be a list whose first element is the"
                + " program's absolute path (got [cxl-usable])"),
        Arguments.of(
            "empty command",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacityCommand: []\n",
            "planner.nodes.2.capacityCommand: must be a list whose first element"),
        Arguments.of(
            "command as one string",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n"
                + "      capacityCommand: /usr/bin/cxl-usable mem0\n",
            "planner.nodes.2.capacityCommand: is run without a shell: give the program and its"
                + " arguments as a list, e.g. [/usr/bin/cxl-usable, mem0]"),
        Arguments.of(
            "command without demotionOnly",
            "planner:\n  nodes:\n    \"2\":\n      capacityCommand: [/bin/echo, 1]\n",
            "planner.nodes.2.capacityCommand: applies to demotion-only nodes only"),
        Arguments.of(
            "capacity without demotionOnly",
            "planner:\n  nodes:\n    \"2\":\n      capacity: 1GiB\n",
            "planner.nodes.2.capacity: applies to demotion-only nodes only"),
        Arguments.of(
            "relative file",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacityFile: x\n",
            "planner.nodes.2.capacityFile: must be an absolute path (got 'x')"),
        Arguments.of(
            "size without unit",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacity: lots\n",
            "planner.nodes.2.capacity"),
        Arguments.of(
            "not a node id",
            "planner:\n  nodes:\n    cxl:\n      demotionOnly: true\n      capacity: 1GiB\n",
            "planner.nodes.cxl: 'cxl' is not a node id"),
        Arguments.of(
            "typo",
            "planner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n      capacty: 1GiB\n",
            "planner.nodes.2.capacty: unknown key"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorsNameTheKey(String name, String yaml, String message) {
    assertThatThrownBy(() -> TierdConfig.parse("t.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
