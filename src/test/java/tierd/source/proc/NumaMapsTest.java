package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;
import tierd.model.MemPolicy;
import tierd.model.MemPolicy.Flag;
import tierd.model.MemPolicy.Mode;
import tierd.model.NodeSet;

class NumaMapsTest {

  private static final List<NumaMaps.Entry> SAMPLE =
      NumaMaps.parse(Fixtures.text("numa_maps/every-policy.numa_maps"));

  static Stream<Arguments> policies() {
    return Stream.of(
        // name, VMA start, mode, flags, nodes
        Arguments.of("default file", 0x55d2a6d4a000L, Mode.DEFAULT, List.of(), ""),
        Arguments.of("bind one node", 0x7efc63600000L, Mode.BIND, List.of(), "1"),
        Arguments.of("bind static", 0x7efc63e00000L, Mode.BIND, List.of(Flag.STATIC), "0-1"),
        Arguments.of(
            "bind static|balancing",
            0x7efc64000000L,
            Mode.BIND,
            List.of(Flag.STATIC, Flag.BALANCING),
            "0-1"),
        Arguments.of("bind balancing", 0x7efc64200000L, Mode.BIND, List.of(Flag.BALANCING), "0"),
        Arguments.of("prefer", 0x7efc64400000L, Mode.PREFERRED, List.of(), "1"),
        Arguments.of("prefer (many)", 0x7efc64c00000L, Mode.PREFERRED_MANY, List.of(), "0-1"),
        Arguments.of("interleave", 0x7efc65c00000L, Mode.INTERLEAVE, List.of(), "0-1"),
        Arguments.of(
            "interleave relative", 0x7efc66400000L, Mode.INTERLEAVE, List.of(Flag.RELATIVE), "0-1"),
        Arguments.of(
            "weighted interleave", 0x7efc66600000L, Mode.WEIGHTED_INTERLEAVE, List.of(), "0,2"),
        Arguments.of("local", 0x7efc66800000L, Mode.LOCAL, List.of(), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void policyColumn(String name, long start, Mode mode, List<Flag> flags, String nodes) {
    NumaMaps.Entry e = entry(start);
    assertThat(e.policy().mode()).isEqualTo(mode);
    assertThat(e.policy().flags()).containsExactlyInAnyOrderElementsOf(flags);
    assertThat(e.policy().nodes()).isEqualTo(NodeSet.parse(nodes));
  }

  @Test
  void policyPrintsBackInTheKernelsSpelling() {
    assertThat(SAMPLE.stream().map(e -> e.policy().toString()).distinct())
        .contains(
            "bind=static|balancing:0-1",
            "prefer (many):0-1",
            "weighted interleave:0,2",
            "interleave=relative:0-1");
  }

  @Test
  void countersAndNodes() {
    NumaMaps.Entry e = entry(0x7efc64000000L);
    assertThat(e.anon()).isEqualTo(100);
    assertThat(e.dirty()).isEqualTo(100);
    assertThat(e.activePages()).isEqualTo(12);
    assertThat(e.pagesPerNode()).isEqualTo(Map.of(0, 60L, 1, 40L));
    assertThat(e.pages()).isEqualTo(100);
    assertThat(e.pageBytes()).isEqualTo(4096);
    assertThat(e.bytesOn(1)).isEqualTo(40 * 4096);
  }

  @Test
  void activeAbsentMeansAllActive() {
    NumaMaps.Entry e = entry(0x7efc63600000L);
    assertThat(e.active()).isEmpty();
    assertThat(e.activePages()).isEqualTo(16384);
  }

  @Test
  void backingHeapStackFile() {
    assertThat(entry(0x55d2be031000L).backing()).isEqualTo(NumaMaps.Backing.HEAP);
    assertThat(entry(0x7ffd1c1d0000L).backing()).isEqualTo(NumaMaps.Backing.STACK);
    assertThat(entry(0x55d2a6d4a000L).backing()).isEqualTo(NumaMaps.Backing.FILE);
    assertThat(entry(0x7efc63600000L).backing()).isEqualTo(NumaMaps.Backing.ANON);
  }

  @Test
  void escapedFileNames() {
    assertThat(entry(0x7efc66e00000L).file()).isEqualTo("/dev/zero (deleted)");
    assertThat(entry(0x7efc67800000L).file()).isEqualTo("/tmp/a b=c\td");
    assertThat(entry(0x7efc67800000L).mapmax()).hasValue(4);
  }

  @Test
  void hugetlbCountsHugePages() {
    NumaMaps.Entry e = entry(0x7efc66a00000L);
    assertThat(e.huge()).isTrue();
    assertThat(e.file()).isEqualTo("/anon_hugepage (deleted)");
    assertThat(e.pageBytes()).isEqualTo(2 << 20);
    assertThat(e.bytesOn(1)).isEqualTo(2 << 20);
  }

  @Test
  void lineWithoutPresentPagesEndsEarly() {
    NumaMaps.Entry e = entry(0x7efc67c00000L);
    assertThat(e.pages()).isZero();
    assertThat(e.kernelPageSizeBytes()).isEmpty();
    NumaMaps.Entry bound = entry(0x7efc67e00000L);
    assertThat(bound.policy()).isEqualTo(MemPolicy.of(Mode.BIND, NodeSet.of(2)));
    assertThat(bound.pages()).isZero();
  }

  @Test
  void swapcacheAndWriteback() {
    NumaMaps.Entry e = entry(0x7efc67a00000L);
    assertThat(e.swapcache()).isEqualTo(7);
    assertThat(e.writeback()).isEqualTo(2);
  }

  @Test
  void unknownKeysAndWordsAreSkipped() {
    NumaMaps.Entry e = entry(0x7ffd1c2f0000L);
    assertThat(e.pagesPerNode()).isEqualTo(Map.of(0, 4L));
  }

  @Test
  void realHostFixtureParses() {
    var root = Fixtures.root("host-1node");
    List<NumaMaps.Entry> entries = NumaMaps.read(root, 4242);
    assertThat(entries).hasSizeGreaterThan(10);
    assertThat(entries)
        .allSatisfy(e -> assertThat(e.nodes().minus(NodeSet.of(0))).isEqualTo(NodeSet.empty()));
    assertThat(entries.stream().filter(e -> "/dev/zero (deleted)".equals(e.file()))).isNotEmpty();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("truncated after start", "7efc63600000", 1, "7efc63600000"),
        Arguments.of("truncated count", "7efc63600000 default anon= N0=1", 1, "anon="),
        Arguments.of("non-numeric count", "7efc63600000 default anon=12x N0=1", 1, "12x"),
        Arguments.of("non-numeric node count", "7efc63600000 default N0=abc", 1, "abc"),
        Arguments.of("garbage nodelist", "7efc63600000 bind:0-x anon=1 N0=1", 1, "0-x"),
        Arguments.of("descending range", "7efc63600000 bind:3-1 anon=1 N0=1", 1, "3-1"),
        Arguments.of("unknown policy", "7efc63600000 sometimes:1 anon=1", 1, "sometimes:1"),
        Arguments.of("bad flag", "7efc63600000 bind=sticky:1 anon=1", 1, "sticky"),
        Arguments.of("bad start", "7efc6360zz00 default anon=1", 1, "7efc6360zz00"),
        Arguments.of(
            "error on second line",
            "7efc63600000 default anon=1 N0=1\n7efc63700000 default N1=-1",
            2,
            "-1"),
        Arguments.of("node listed twice", "7efc63600000 default N0=1 N0=2", 1, "N0=2"),
        // impossible values: counts in a page size that is none, or more than a VMA can hold
        Arguments.of(
            "page size 0", "7efc63600000 default N0=1 kernelpagesize_kB=0", 1, "kernelpagesize"),
        Arguments.of(
            "page size not a power of two",
            "7efc63600000 default N0=1 kernelpagesize_kB=12",
            1,
            "kernelpagesize_kB=12"),
        Arguments.of(
            "page size below 4 kB",
            "7efc63600000 default N0=1 kernelpagesize_kB=2",
            1,
            "kernelpagesize_kB=2"),
        Arguments.of(
            "page size of 32 GiB",
            "7efc63600000 default N0=1 kernelpagesize_kB=33554432",
            1,
            "kernelpagesize_kB=33554432"),
        Arguments.of(
            "page size overflowing bytes",
            "7efc63600000 default N0=1 kernelpagesize_kB=9007199254740992",
            1,
            "kernelpagesize_kB=9007199254740992"),
        Arguments.of(
            "count beyond an address space",
            "7efc63600000 default N0=999999999999999999 kernelpagesize_kB=4",
            1,
            "N0=999999999999999999"),
        Arguments.of(
            "counts whose sum overflows a long",
            "7efc63600000 default N0=9000000000000000000 N1=9000000000000000000"
                + " kernelpagesize_kB=4",
            1,
            "N0=9000000000000000000"),
        Arguments.of(
            "huge pages beyond an address space",
            "7efc63600000 default huge N0=100000000000 kernelpagesize_kB=2048",
            1,
            "N0=100000000000"),
        Arguments.of(
            "count too large to parse",
            "7efc63600000 default N0=99999999999999999999 kernelpagesize_kB=4",
            1,
            "99999999999999999999"),
        Arguments.of("bind without nodelist", "7efc63600000 bind anon=1 N0=1", 1, "bind"),
        Arguments.of("bind with empty nodelist", "7efc63600000 bind: anon=1 N0=1", 1, "bind:"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedInputNamesLineAndToken(String name, String text, int line, String token) {
    assertThatThrownBy(() -> NumaMaps.parse(text))
        .isInstanceOfSatisfying(
            KernelFsException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KernelFsException.Kind.MALFORMED);
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.getMessage()).contains(token).contains(":" + line + ":");
            });
  }

  @Test
  void readerNamesTheFile() {
    var root = tierd.kernelfs.KernelRoot.under(Fixtures.path("fixtures/host-1node"));
    assertThatThrownBy(() -> NumaMaps.read(root, 99999))
        .isInstanceOfSatisfying(
            KernelFsException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(KernelFsException.Kind.ABSENT);
              assertThat(e.getMessage()).contains("99999/numa_maps");
            });
  }

  private static NumaMaps.Entry entry(long start) {
    return SAMPLE.stream()
        .filter(e -> e.start() == start)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no entry at " + Long.toHexString(start)));
  }
}
