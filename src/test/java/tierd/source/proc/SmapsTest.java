package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;
import tierd.model.AddressRange;

class SmapsTest {

  static final String ONE =
      """
      5632887d3000-5632887d5000 r--p 00000000 fe:00 260131                     /usr/bin/cat
      Size:                  8 kB
      KernelPageSize:        4 kB
      MMUPageSize:           4 kB
      Rss:                   8 kB
      Pss:                   8 kB
      Referenced:            4 kB
      Anonymous:             0 kB
      THPeligible:           0
      ProtectionKey:         0
      VmFlags: rd mr mw me
      """;

  @Test
  void hostCaptureShowsTheHotBufferReferencedAndTheColdOneNot() {
    List<Smaps.Entry> all = Smaps.parse(Fixtures.text("heat/host-smaps/smaps"));
    assertThat(all).hasSize(121); // 122 headers, the [vsyscall] gate area left out
    Smaps.Entry hot = find(all, 0x7f5d6566d000L);
    Smaps.Entry cold = find(all, 0x7f5d65e6e000L);
    assertThat(hot.range()).isEqualTo(new AddressRange(0x7f5d6566d000L, 0x7f5d65e6d000L));
    assertThat(hot.rssBytes()).isEqualTo(8L << 20);
    assertThat(hot.referencedBytes()).isEqualTo(8156L << 10);
    assertThat(hot.anonymousBytes()).isEqualTo(8L << 20);
    assertThat(cold.rssBytes()).isEqualTo(8L << 20);
    assertThat(cold.referencedBytes()).isZero();
  }

  @Test
  void pathAndUnknownKeys() {
    Smaps.Entry e = Smaps.parse(ONE).get(0);
    assertThat(e.path()).isEqualTo("/usr/bin/cat");
    assertThat(e.kernelPageBytes()).isEqualTo(4096);
    assertThat(e.referencedBytes()).isEqualTo(4096);
  }

  @Test
  void thpEligibleFromAHostCaptureOfThreeBuffers() {
    // process/host-thp/CAPTURE.txt: THP mode madvise; plain, MADV_NOHUGEPAGE, MADV_HUGEPAGE
    List<Smaps.Entry> all = Smaps.parse(Fixtures.text("process/host-thp/smaps"));
    assertThat(find(all, 0x7f24d8000000L).thpEligible()).isFalse();
    assertThat(find(all, 0x7f24d8800000L).thpEligible()).isFalse();
    Smaps.Entry hugepage = find(all, 0x7f24d9000000L);
    assertThat(hugepage.thpEligible()).isTrue();
    assertThat(hugepage.range().sizeBytes()).isEqualTo(8L << 20);
    assertThat(all).filteredOn(Smaps.Entry::thpEligible).containsExactly(hugepage);
  }

  @Test
  void aVmaWithoutTheThpEligibleLineCountsAsEligible() {
    // kernels before 5.0 (commit 7635d9cbe832) print no THPeligible line
    assertThat(Smaps.parse(ONE).get(0).thpEligible()).isFalse();
    assertThat(Smaps.parse(ONE.replace("THPeligible:           0\n", "")).get(0).thpEligible())
        .isTrue();
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(
            "Rss not a number",
            ONE.replace("Rss:                   8 kB", "Rss:                   x kB"),
            "<text>:5: malformed at token 'x': Rss: not a non-negative integer"),
        Arguments.of(
            "Referenced without unit",
            ONE.replace("Referenced:            4 kB", "Referenced: 4"),
            "<text>:7: malformed at token 'Referenced: 4': Referenced: expected 'N kB'"),
        Arguments.of(
            "no Referenced line",
            ONE.replace("Referenced:            4 kB\n", ""),
            "<text>:1: malformed at token '5632887d3000-5632887d5000': VMA without Rss or"
                + " Referenced line"),
        Arguments.of(
            "THPeligible not a flag",
            ONE.replace("THPeligible:           0", "THPeligible:           2"),
            "<text>:9: malformed at token 'THPeligible: 2': THPeligible: expected 0 or 1"),
        Arguments.of(
            "key before any header",
            "Rss: 4 kB\n",
            "<text>:1: malformed at token 'Rss:': key before the first VMA header"),
        Arguments.of(
            "bad header",
            "zz-10 r--p 0 0:0 0\nRss: 4 kB\nReferenced: 0 kB\n",
            "<text>:1: malformed at token 'zz': VMA start: not a hex address"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedInputNamesLineAndToken(String name, String text, String message) {
    assertThatThrownBy(() -> Smaps.parse(text))
        .isInstanceOf(KernelFsException.class)
        .hasMessage(message);
  }

  static Smaps.Entry find(List<Smaps.Entry> all, long start) {
    return all.stream().filter(e -> e.range().start() == start).findFirst().orElseThrow();
  }
}
