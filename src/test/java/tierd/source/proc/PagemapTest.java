package tierd.source.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;
import tierd.kernelfs.KernelFsException;

/**
 * pagemap entries as the 6.1 guest wrote them (src/test/resources/heat/pagemap-6.1: a mapping with
 * pages written before and after clear_refs 4, a zero page, untouched pages, and a file page).
 */
class PagemapTest {

  static long[] anon() throws IOException {
    return Pagemap.parse(Files.readAllBytes(Fixtures.path("heat/pagemap-6.1/anon-16-pages.bin")));
  }

  /** name, page, present, soft-dirty, exclusive, file/shared, PFN. */
  static Stream<Arguments> anonPages() {
    return Stream.of(
        Arguments.of("written after clear_refs 4", 0, true, true, true, false, 0x65f8L),
        Arguments.of("written after clear_refs 4 (last)", 3, true, true, true, false, 0x65fbL),
        Arguments.of("written only before the clear", 4, true, false, true, false, 0x65fcL),
        Arguments.of("written only before the clear (last)", 7, true, false, true, false, 0x65ffL),
        Arguments.of("read only: the shared zero page", 8, true, false, false, false, 0x3310L),
        Arguments.of("never touched", 9, false, false, false, false, 0L),
        Arguments.of("never touched (last)", 15, false, false, false, false, 0L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("anonPages")
  void anonymousPages(
      String name,
      int page,
      boolean present,
      boolean softDirty,
      boolean exclusive,
      boolean fileOrShared,
      long pfn)
      throws IOException {
    long e = anon()[page];
    assertThat(Pagemap.present(e)).as("present").isEqualTo(present);
    assertThat(Pagemap.softDirty(e)).as("soft-dirty").isEqualTo(softDirty);
    assertThat(Pagemap.exclusive(e)).as("exclusive").isEqualTo(exclusive);
    assertThat(Pagemap.fileOrShared(e)).as("file or shared").isEqualTo(fileOrShared);
    assertThat(Pagemap.swapped(e)).as("swapped").isFalse();
    assertThat(Pagemap.pfn(e)).as("PFN").isEqualTo(pfn);
  }

  @Test
  void rawBytesAreLittleEndianWords() throws IOException {
    assertThat(anon()).hasSize(16);
    assertThat(anon()[0]).isEqualTo(0x8180_0000_0000_65f8L);
    assertThat(anon()[4]).isEqualTo(0x8100_0000_0000_65fcL);
  }

  @Test
  void aFilePageIsPresentFileBackedAndNotSoftDirtyAfterNoWrite() throws IOException {
    long[] e =
        Pagemap.parse(Files.readAllBytes(Fixtures.path("heat/pagemap-6.1/file-text-page.bin")));
    assertThat(e).hasSize(1);
    assertThat(Pagemap.present(e[0])).isTrue();
    assertThat(Pagemap.fileOrShared(e[0])).isTrue();
    assertThat(Pagemap.softDirty(e[0])).isFalse();
    assertThat(Pagemap.pfn(e[0])).isEqualTo(0x2fe6cL);
  }

  @Test
  void aSwappedEntryKeepsItsSoftDirtyBitButIsNotPresent() {
    // pagemap.rst: bit 62 swapped, bits 0-4 swap type, 5-54 offset; soft-dirty survives swap-out
    long swapped = (1L << Pagemap.BIT_SWAPPED) | (1L << Pagemap.BIT_SOFT_DIRTY) | (0x1234L << 5);
    assertThat(Pagemap.present(swapped)).isFalse();
    assertThat(Pagemap.swapped(swapped)).isTrue();
    assertThat(Pagemap.softDirty(swapped)).isTrue();
    assertThat(Pagemap.pfn(swapped)).isZero();
  }

  @Test
  void bytesThatAreNotWholeEntriesAreRejected() {
    assertThatThrownBy(() -> Pagemap.parse(new byte[12]))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("pagemap bytes not a multiple of 8");
  }
}
