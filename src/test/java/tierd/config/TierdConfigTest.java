package tierd.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.profile.ProfileConfig;
import tierd.whatif.WhatIfConfig;

class TierdConfigTest {

  @Test
  void defaults() {
    TierdConfig c = TierdConfig.defaults();
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.listen()).isEqualTo("127.0.0.1:9464");
    assertThat(c.dryRun()).isFalse();
    assertThat(c.tiers()).isEmpty();
    assertThat(c.kernelRoot().isHost()).isTrue();
  }

  @Test
  void valuesWithUnits() {
    TierdConfig c =
        TierdConfig.parse(
            "t.yaml",
            """
            interval: 250ms
            dryRun: true
            listen: 0.0.0.0:9000
            processes:
              comm: "java|redis-server"
              cgroups: ["/system.slice/*.service"]
              minRss: 256MiB
              numaMapsMaxAge: 1m
            tiers: ["0-1", "2"]
            """);
    assertThat(c.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.busyInterval())
        .as("unset: 1 s, or the interval when shorter")
        .isEqualTo(c.interval());
    assertThat(TierdConfig.defaults().busyInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(TierdConfig.parse("t.yaml", "interval: 10s\nbusyInterval: 2s\n").busyInterval())
        .isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> TierdConfig.parse("t.yaml", "interval: 2s\nbusyInterval: 3s\n"))
        .hasMessage("t.yaml:2: busyInterval: 3000ms must not be longer than interval (2000ms)");
    assertThat(c.dryRun()).isTrue();
    assertThat(c.listenPort()).isEqualTo(9000);
    assertThat(c.processes().minRss().bytes()).isEqualTo(256L << 20);
    // 1 min at a 250 ms interval: 240 cycles; the default 30 s at 5 s: 6; 0 s or below one
    // interval: every cycle
    assertThat(c.processes().numaMapsMaxAgeCycles(c.interval())).isEqualTo(240);
    assertThat(ProcessesConfig.DEFAULTS.numaMapsMaxAgeCycles(Duration.ofSeconds(5))).isEqualTo(6);
    assertThat(ProcessesConfig.DEFAULTS.numaMapsMaxAgeCycles(Duration.ofMinutes(1))).isEqualTo(1);
    assertThat(c.processes().comm().get().matcher("redis-server").matches()).isTrue();
    assertThat(c.tiers()).containsExactly(NodeSet.of(0, 1), NodeSet.of(2));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        // name, yaml, expected fragments of the message
        Arguments.of("bare number", "interval: 5\n", "t.yaml:1: interval: '5' is not a duration"),
        Arguments.of(
            "too short", "interval: 1ms\n", "t.yaml:1: interval: 1ms is outside [100ms, 1h]"),
        Arguments.of(
            "nested key and line",
            "dryRun: false\nprocesses:\n  minRss: lots\n",
            "t.yaml:3: processes.minRss: 'lots' is not a size"),
        Arguments.of(
            "numa_maps age too long",
            "processes:\n  numaMapsMaxAge: 2h\n",
            "t.yaml:2: processes.numaMapsMaxAge: 2h is outside [0ms, 1h]"),
        Arguments.of(
            "typo with suggestion",
            "intervall: 5s\n",
            "t.yaml:1: intervall: unknown key (did you mean 'interval'?)"),
        Arguments.of(
            "nested typo",
            "processes:\n  coom: java\n",
            "t.yaml:2: processes.coom: unknown key (did you mean 'comm'?)"),
        Arguments.of(
            "bad regex",
            "processes:\n  comm: \"(\"\n",
            "t.yaml:2: processes.comm: bad regular expression"),
        Arguments.of("bad listen", "listen: localhost\n", "listen: 'localhost' must be host:port"),
        Arguments.of("bad tiers", "tiers: [\"0-x\"]\n", "tiers: '0-x' is not a nodelist"),
        Arguments.of("bool", "dryRun: maybe\n", "dryRun: 'maybe' is not true or false"),
        Arguments.of("section not a map", "processes: 3\n", "processes: must be a mapping of keys"),
        Arguments.of(
            "invalid yaml",
            "a: [1, 2\n",
            "t.yaml:1: not valid YAML: while parsing a flow sequence"),
        Arguments.of(
            "relative root", "root: fixtures\n", "root: 'fixtures' must be an absolute path"),
        Arguments.of(
            "what-if size in bytes, below a page",
            "whatIf:\n  fast: 8\n",
            "t.yaml:2: whatIf.fast: 8B is outside [4KiB, 1PiB]"),
        Arguments.of(
            "what-if size below a page",
            "whatIf:\n  fast: 1KiB\n",
            "t.yaml:2: whatIf.fast: 1KiB is outside"),
        Arguments.of("what-if typo", "whatIf:\n  fats: 8GiB\n", "whatIf.fats"),
        Arguments.of(
            "profile budget above a core",
            "profile:\n  cpuBudget: 150%\n",
            "t.yaml:2: profile.cpuBudget: 150% is outside [0.01%, 100%]"),
        Arguments.of(
            "profile budget not a percentage",
            "profile:\n  cpuBudget: 0.5\n",
            "profile.cpuBudget: '0.5' is not a percentage"));
  }

  @Test
  void whatIfAndProfileSections() {
    TierdConfig c =
        TierdConfig.parse("t.yaml", "whatIf:\n  fast: 8GiB\nprofile:\n  cpuBudget: 0.25%\n");
    assertThat(c.whatIf().fast()).contains(tierd.model.DataSize.ofGiB(8));
    assertThat(c.profile().cpuBudget()).isEqualTo(0.0025);
    TierdConfig d = TierdConfig.defaults();
    assertThat(d.whatIf().enabled()).isFalse();
    assertThat(d.profile()).isEqualTo(tierd.profile.ProfileConfig.DEFAULT);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void errorsNameFileLineAndKey(String name, String yaml, String message) {
    assertThatThrownBy(() -> TierdConfig.parse("t.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void stageSections() {
    TierdConfig c =
        TierdConfig.parse(
            "t.yaml",
            """
            heat:
              sources: [clear-refs, numa-maps-active]
              damon:
                aggrInterval: 100ms
            scoring:
              hotThreshold: 40%
              coldThreshold: 5%
            planner:
              promoteRate: 64MiB/s
              maxFill:
                "2": 80%
              preferred: ignore
            mover:
              callBound: 10ms
            """);
    assertThat(c.stages().heat().preference()).hasSize(2);
    assertThat(c.stages().heat().damon().aggrInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.stages().scoring().hotThreshold()).hasValue(0.4);
    assertThat(c.stages().planner().promoteBytesPerSecond()).isEqualTo(64L << 20);
    assertThat(c.stages().planner().maxFill()).containsEntry(2, 0.8);
    assertThat(c.stages().mover().callBound()).isEqualTo(Duration.ofMillis(10));
  }

  static Stream<Arguments> stageErrors() {
    return Stream.of(
        Arguments.of("unknown source", "heat:\n  sources: [magic]\n", "heat.sources"),
        Arguments.of(
            "hysteresis",
            "scoring:\n  hotThreshold: 3%\n  coldThreshold: 2%\n",
            "scoring.hotThreshold"),
        Arguments.of(
            "rate unit", "planner:\n  promoteRate: 64MiB\n", "t.yaml:2: planner.promoteRate"),
        Arguments.of("fill range", "planner:\n  maxFill:\n    \"2\": 120%\n", "planner.maxFill.2"),
        Arguments.of("fill node", "planner:\n  maxFill:\n    x: 80%\n", "planner.maxFill.x"),
        Arguments.of(
            "enum",
            "planner:\n  hugetlb: sometimes\n",
            "planner.hugetlb: 'sometimes' is not one of [skip, move]"),
        Arguments.of(
            "mover bound", "mover:\n  callBound: 20s\n", "mover.callBound: 20s is outside"),
        Arguments.of(
            "nested typo",
            "mover:\n  calBound: 20ms\n",
            "mover.calBound: unknown key (did you mean 'callBound'?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stageErrors")
  void stageErrorsNameTheKey(String name, String yaml, String message) {
    assertThatThrownBy(() -> TierdConfig.parse("t.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void emptyDocumentIsDefaults() {
    assertThat(TierdConfig.parse("t.yaml", "# nothing\n").interval())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shippedConfigIsValid() {
    TierdConfig c = TierdConfig.load(java.nio.file.Path.of("config/tierd.yaml"));
    assertThat(c.interval()).isPositive();
  }

  static Stream<Arguments> copies() {
    TierdConfig shipped = TierdConfig.load(java.nio.file.Path.of("config/tierd.yaml"));
    TierdConfig other = TierdConfig.parse("other.yaml", "planner:\n  exchange: false\n");
    return Stream.of(
        Arguments.of(
            "withRoot: an absolute, normalized root",
            shipped.withRoot(java.nio.file.Path.of("src/../fixtures")),
            "root",
            java.nio.file.Path.of("fixtures").toAbsolutePath()),
        Arguments.of("withStages", shipped.withStages(other.stages()), "stages", other.stages()),
        Arguments.of(
            "withWhatIf",
            shipped.withWhatIf(new WhatIfConfig(java.util.Optional.of(DataSize.ofMiB(512)))),
            "whatIf",
            new WhatIfConfig(java.util.Optional.of(DataSize.ofMiB(512)))),
        Arguments.of(
            "withProfile",
            shipped.withProfile(ProfileConfig.EVERY_CYCLE),
            "profile",
            ProfileConfig.EVERY_CYCLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("copies")
  void aCopyChangesItsOneFieldAndKeepsTheRest(
      String name, TierdConfig copy, String field, Object value) {
    TierdConfig shipped = TierdConfig.load(java.nio.file.Path.of("config/tierd.yaml"));
    assertThat(copy).hasFieldOrPropertyWithValue(field, value);
    assertThat(copy).usingRecursiveComparison().ignoringFields(field).isEqualTo(shipped);
    assertThat(copy).isNotEqualTo(shipped);
  }
}
