package tierd.heat.accessed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How clear-refs+soft-dirty turns a VMA's written pages and Referenced into chunk accesses. */
class SoftDirtyChunksTest {

  /** name, VMA referenced, VMA written, VMA present, chunk written, chunk present, expected. */
  static Stream<Arguments> chunks() {
    return Stream.of(
        Arguments.of(
            "written half, nothing else read: written chunk", 1024, 1024, 2048, 512, 512, 512),
        Arguments.of("written half, nothing else read: cold chunk", 1024, 1024, 2048, 0, 512, 0),
        Arguments.of(
            "reads of a quarter spread over the other half", 1536, 1024, 2048, 0, 512, 256),
        Arguments.of(
            "a written chunk keeps its writes and takes its share",
            1536,
            1024,
            2048,
            256,
            512,
            384),
        Arguments.of(
            "read-only VMA: one number for all, like clear-refs", 1024, 0, 2048, 0, 512, 256),
        Arguments.of("all of it read: every chunk full", 2048, 0, 2048, 0, 512, 512),
        Arguments.of("more written than referenced (smaps read first)", 900, 1024, 2048, 0, 512, 0),
        Arguments.of("referenced beyond present: capped at the chunk", 5000, 0, 2048, 0, 512, 512),
        Arguments.of("everything written", 2048, 2048, 2048, 512, 512, 512));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chunks")
  void chunkAccesses(
      String name,
      long referenced,
      long written,
      long present,
      long chunkWritten,
      long chunkPresent,
      long expected) {
    long nr = SoftDirtyChunks.accesses(referenced, written, present).of(chunkWritten, chunkPresent);
    assertThat(Math.min(chunkPresent, nr)).isEqualTo(expected);
  }

  /**
   * Seeded random VMAs: the chunk accesses add up to the VMA's referenced pages (within rounding,
   * half a page per chunk) whenever written ≤ referenced ≤ present, and never drop a written page.
   */
  @Test
  void chunksAddUpToTheVmasReferencedPages() {
    SplittableRandom random = new SplittableRandom(18);
    for (int trial = 0; trial < 500; trial++) {
      int chunkCount = 1 + random.nextInt(40);
      long[] present = new long[chunkCount];
      long[] written = new long[chunkCount];
      long presentTotal = 0;
      long writtenTotal = 0;
      for (int c = 0; c < chunkCount; c++) {
        present[c] = 1 + random.nextInt(512);
        written[c] = random.nextInt((int) present[c] + 1);
        presentTotal += present[c];
        writtenTotal += written[c];
      }
      long referenced = writtenTotal + random.nextLong(presentTotal - writtenTotal + 1);
      Chunks.Accesses a = SoftDirtyChunks.accesses(referenced, writtenTotal, presentTotal);
      long sum = 0;
      for (int c = 0; c < chunkCount; c++) {
        long nr = a.of(written[c], present[c]);
        assertThat(nr).isBetween(written[c], present[c]);
        sum += nr;
      }
      assertThat((double) sum)
          .as("trial %d: %d chunks", trial, chunkCount)
          .isCloseTo((double) referenced, org.assertj.core.data.Offset.offset(chunkCount / 2.0));
    }
  }

  @Test
  void chunkSizeMustBeAPowerOfTwoOfPages() {
    assertThatThrownBy(() -> new SoftDirtyChunks(4096, 3 << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkBytes must be a power of two >= 4096, got 3145728");
    assertThatThrownBy(() -> new SoftDirtyChunks(4096, 2048))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("chunkBytes must be a power of two >= 4096, got 2048");
  }
}
