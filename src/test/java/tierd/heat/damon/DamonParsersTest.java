package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.kernelfs.KernelFsException;
import tierd.model.AddressRange;
import tierd.model.ProcessId;

/** The pure parts of the DAMON package: file parsers, the state file, config validation. */
class DamonParsersTest {

  static Stream<Arguments> states() {
    return Stream.of(
        Arguments.of("on", "on\n", true),
        Arguments.of("off", "off\n", false),
        Arguments.of("no newline", "off", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("states")
  void state(String name, String text, boolean on) {
    assertThat(DamonStatus.parseState(text)).isEqualTo(on);
  }

  @Test
  void stateRejectsOtherWords() {
    assertThatThrownBy(() -> DamonStatus.parseState("running\n"))
        .isInstanceOf(KernelFsException.class)
        .hasMessage("<text>:1: malformed at token 'running': state: expected on or off");
  }

  static Stream<Arguments> pids() {
    return Stream.of(Arguments.of("no thread", "-1\n", -1), Arguments.of("kthread", "186\n", 186));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pids")
  void pid(String name, String text, int pid) {
    assertThat(DamonStatus.parsePid(text)).isEqualTo(pid);
  }

  @Test
  void pidRejectsOtherNegatives() {
    assertThatThrownBy(() -> DamonStatus.parsePid("-2"))
        .hasMessage("<text>:1: malformed at token '-2': pid: not a non-negative integer");
  }

  @Test
  void availOperationsIsOnePerLine() {
    assertThat(DamonStatus.parseAvailOperations("vaddr\nfvaddr\npaddr\n"))
        .containsExactly("vaddr", "fvaddr", "paddr");
    assertThat(DamonStatus.parseAvailOperations("")).isEmpty();
  }

  static Stream<Arguments> triedRegions() {
    return Stream.of(
        Arguments.of(
            "a 6.12 guest region",
            new String[] {"140684916576256\n", "140684920729600\n", "10\n", "0\n"},
            1L,
            new TriedRegion(new AddressRange(0x7ff3c27a5000L, 0x7ff3c2b9b000L), 10, 0)),
        Arguments.of(
            "addr_unit 4 (6.18)",
            new String[] {"1024", "2048", "3", "7"},
            4L,
            new TriedRegion(new AddressRange(4096, 8192), 3, 7)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("triedRegions")
  void triedRegion(String name, String[] files, long unit, TriedRegion expected) {
    assertThat(TriedRegion.parse(files[0], files[1], files[2], files[3], unit)).isEqualTo(expected);
  }

  static Stream<Arguments> badTriedRegions() {
    return Stream.of(
        Arguments.of(
            "end before start",
            new String[] {"8192", "4096", "0", "0"},
            "<text>:1: malformed at token '8192-4096': end <= start"),
        Arguments.of(
            "negative accesses",
            new String[] {"0", "4096", "-1", "0"},
            "<text>:1: malformed at token '-1': nr_accesses: not a non-negative integer"),
        Arguments.of(
            "empty age",
            new String[] {"0", "4096", "1", ""},
            "<text>:1: malformed at token '': age: empty number"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTriedRegions")
  void badTriedRegion(String name, String[] files, String message) {
    assertThatThrownBy(() -> TriedRegion.parse(files[0], files[1], files[2], files[3], 1))
        .isInstanceOf(KernelFsException.class)
        .hasMessage(message);
  }

  // ---------------------------------------------------------------- state file

  static final DamonStateFile RECORD =
      new DamonStateFile(
          new ProcessId(4321, 987654),
          DamonStateFile.Phase.CONFIGURED,
          0,
          "vaddr",
          10000,
          200000,
          1000000,
          10,
          1000,
          186);

  @Test
  void stateFileRoundTrips() {
    assertThat(DamonStateFile.parse(RECORD.format())).isEqualTo(RECORD);
    assertThat(RECORD.format())
        .contains("owner_pid=4321\n", "phase=configured\n", "kthread_pid=186\n");
  }

  @Test
  void stateFileIgnoresUnknownKeysAndComments() {
    String text = "# written by a newer tierd\n" + RECORD.format() + "future_key=1\n";
    assertThat(DamonStateFile.parse(text)).isEqualTo(RECORD);
  }

  static Stream<Arguments> badStateFiles() {
    String good = RECORD.format();
    return Stream.of(
        Arguments.of(
            "missing key",
            good.replace("aggr_us=200000\n", ""),
            "<text>: malformed at token 'aggr_us': missing key"),
        Arguments.of(
            "newer version",
            good.replace("version=1", "version=2"),
            "<text>: malformed at token '2': unsupported state version"),
        Arguments.of(
            "unknown phase",
            good.replace("phase=configured", "phase=running"),
            "<text>: malformed at token 'running': phase: expected creating or configured"),
        Arguments.of(
            "owner pid 0",
            good.replace("owner_pid=4321", "owner_pid=0"),
            "<text>: malformed at token '0': owner: pid must be positive, got 0"),
        Arguments.of(
            "not key=value",
            "version 1\n",
            "<text>:1: malformed at token 'version 1': expected key=value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badStateFiles")
  void badStateFile(String name, String text, String message) {
    assertThatThrownBy(() -> DamonStateFile.parse(text))
        .isInstanceOf(KernelFsException.class)
        .hasMessage(message);
  }

  // ---------------------------------------------------------------- config

  static Stream<Arguments> badConfigs() {
    Duration ms = Duration.ofMillis(1);
    return Stream.of(
        Arguments.of(
            "zero sample interval",
            new Object[] {Duration.ZERO, ms.multipliedBy(100), ms.multipliedBy(1000), 10, 100},
            "heat.damon.sampleInterval PT0S must be at least 1us"),
        Arguments.of(
            "aggregation shorter than sampling",
            new Object[] {ms.multipliedBy(10), ms.multipliedBy(5), ms.multipliedBy(1000), 10, 100},
            "heat.damon.aggrInterval PT0.005S must be >= heat.damon.sampleInterval PT0.01S"),
        Arguments.of(
            "fewer than three regions",
            new Object[] {ms, ms.multipliedBy(20), ms.multipliedBy(1000), 2, 100},
            "heat.damon.minRegions 2 must be >= 3"),
        Arguments.of(
            "max below min",
            new Object[] {ms, ms.multipliedBy(20), ms.multipliedBy(1000), 10, 9},
            "heat.damon.maxRegions 9 must be >= heat.damon.minRegions 10"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void badConfig(String name, Object[] a, String message) {
    assertThatThrownBy(
            () ->
                new DamonConfig(
                    (Duration) a[0], (Duration) a[1], (Duration) a[2], (int) a[3], (int) a[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void theStartingSampleIntervalMustLieWithinTheTuningBounds() {
    assertThatThrownBy(
            () ->
                DamonConfig.defaults()
                    .withSampleBounds(Duration.ofMillis(20), Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "heat.damon.sampleInterval PT0.01S must be in [heat.damon.minSampleInterval PT0.02S,"
                + " heat.damon.maxSampleInterval PT0.1S]");
    assertThatThrownBy(
            () -> DamonConfig.defaults().withSampleBounds(Duration.ofMillis(5), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("heat.damon.maxSampleInterval PT0S must be at least 1us");
  }

  @Test
  void defaultsCheckTenTimesPerAggregationAndReadTheTracepoint() {
    DamonConfig d = DamonConfig.defaults();
    assertThat(d.aggrUs() / d.sampleUs()).isEqualTo(10);
    assertThat(List.of(d.sampleUs(), d.aggrUs(), d.updateUs()))
        .containsExactly(10_000L, 100_000L, 1_000_000L);
    assertThat(d.maxSampleUs() * 10).as("aggregation at the ceiling, µs").isEqualTo(2_000_000L);
    assertThat(d.tracepoint()).isTrue();
  }

  // ---------------------------------------------------------------- physical memory

  static Stream<Arguments> memoryBlocks() {
    long b = 128L << 20;
    return Stream.of(
        Arguments.of("none", List.of(), List.of()),
        Arguments.of(
            "contiguous, unsorted", List.of(2L, 0L, 1L), List.of(new AddressRange(0, 3 * b))),
        Arguments.of(
            "hole between nodes",
            List.of(0L, 1L, 8L, 9L),
            List.of(new AddressRange(0, 2 * b), new AddressRange(8 * b, 10 * b))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("memoryBlocks")
  void physicalRanges(String name, List<Long> blocks, List<AddressRange> ranges) {
    assertThat(PhysicalMemory.ranges(128L << 20, blocks)).isEqualTo(ranges);
  }

  @Test
  void blockSizeIsHex() {
    assertThat(PhysicalMemory.parseBlockSize("8000000\n")).isEqualTo(128L << 20);
    assertThatThrownBy(() -> PhysicalMemory.parseBlockSize("3000000"))
        .hasMessage("<text>:1: malformed at token '3000000': block size must be a power of two");
  }

  @Test
  void kdamondDescription() {
    var k =
        new DamonStatus.Kdamond(
            0,
            true,
            186,
            java.util.Optional.of("paddr"),
            Set.of("paddr"),
            List.of(),
            List.of("pageout", "stat"));
    assertThat(k.describe()).isEqualTo("paddr/pageout,stat");
    assertThat(k.virtual()).isFalse();
  }
}
