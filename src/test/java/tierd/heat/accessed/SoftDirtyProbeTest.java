package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.source.proc.Pagemap;

/**
 * The soft-dirty probe: its verdict on pagemap entries shaped like the 6.1 guest's, and on this
 * host's real kernel, checked against the kernel's own config where /proc/config.gz has it.
 */
class SoftDirtyProbeTest {

  static final long[] GUEST = guestEntries();

  static long[] guestEntries() {
    try {
      return Pagemap.parse(Files.readAllBytes(Fixtures.path("heat/pagemap-6.1/anon-16-pages.bin")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static final long WRITTEN = GUEST[0]; // present, soft-dirty
  static final long CLEAN = GUEST[4]; // present, not soft-dirty
  static final long ABSENT = GUEST[9]; // not present

  static Stream<Arguments> attempts() {
    return Stream.of(
        Arguments.of("clear after the clear, set after the write", CLEAN, WRITTEN, "WORKS"),
        Arguments.of("never set (CONFIG_MEM_SOFT_DIRTY off)", CLEAN, CLEAN, "NOT_SET"),
        Arguments.of("still set after the clear (VMA re-marked)", WRITTEN, WRITTEN, "NOT_CLEARED"),
        Arguments.of("set after clear, then clear after write", WRITTEN, CLEAN, "NOT_SET"),
        Arguments.of("page gone", ABSENT, WRITTEN, "NOT_PRESENT"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attempts")
  void verdict(String name, long afterClear, long afterWrite, String verdict) {
    assertThat(SoftDirtyProbe.judge(afterClear, afterWrite).name()).isEqualTo(verdict);
  }

  @Test
  void reasonsNameTheCause() {
    assertThat(SoftDirtyProbe.reason(SoftDirtyProbe.Verdict.WORKS)).isEmpty();
    assertThat(SoftDirtyProbe.reason(SoftDirtyProbe.Verdict.NOT_SET))
        .contains(
            "pagemap bit 55 stays 0 after a write (no soft-dirty: CONFIG_MEM_SOFT_DIRTY off)");
    assertThat(SoftDirtyProbe.reason(SoftDirtyProbe.Verdict.NOT_CLEARED))
        .contains("pagemap bit 55 still set after clear_refs 4 in 3 attempts");
  }

  @Test
  void aFixtureRootIsNeverProbed(@TempDir Path dir) throws IOException {
    Path clearRefs = dir.resolve("proc/self/clear_refs");
    Files.createDirectories(clearRefs.getParent());
    Files.writeString(clearRefs, "");
    assertThat(SoftDirtyProbe.unavailable(KernelRoot.under(dir)))
        .contains("probed only on the running kernel, not on a fixture root");
    assertThat(Files.readString(clearRefs)).as("nothing written into the fixture").isEmpty();
  }

  @Test
  void theProbeAgreesWithThisKernelsConfig() throws IOException {
    assumeTrue(Files.isWritable(Path.of("/proc/self/clear_refs")), "needs /proc/self/clear_refs");
    Optional<Boolean> configured = configSoftDirty();
    Optional<String> first = SoftDirtyProbe.unavailable(KernelRoot.host());
    Optional<String> second = SoftDirtyProbe.unavailable(KernelRoot.host());
    assertThat(second).as("the probe gives the same answer twice").isEqualTo(first);
    assumeTrue(configured.isPresent(), "no /proc/config.gz with a CONFIG_MEM_SOFT_DIRTY line");
    if (configured.get()) {
      assertThat(first).as("CONFIG_MEM_SOFT_DIRTY=y").isEmpty();
    } else {
      assertThat(first)
          .as("CONFIG_MEM_SOFT_DIRTY is not set")
          .contains(
              "pagemap bit 55 stays 0 after a write (no soft-dirty: CONFIG_MEM_SOFT_DIRTY off)");
    }
  }

  /** CONFIG_MEM_SOFT_DIRTY from /proc/config.gz: =y, "is not set", or empty when unknown. */
  static Optional<Boolean> configSoftDirty() throws IOException {
    Path config = Path.of("/proc/config.gz");
    if (!Files.isReadable(config)) {
      return Optional.empty();
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(config))) {
      in.transferTo(text);
    }
    for (String line : text.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.equals("CONFIG_MEM_SOFT_DIRTY=y")) {
        return Optional.of(true);
      }
      if (line.equals("# CONFIG_MEM_SOFT_DIRTY is not set")) {
        return Optional.of(false);
      }
    }
    return Optional.empty();
  }
}
