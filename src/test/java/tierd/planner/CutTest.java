package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.MiB;

import org.junit.jupiter.api.Test;

class CutTest {

  static final long START = 0x7f0000000000L;

  @Test
  void aRangeThatFitsMovesWhole() {
    assertThat(Cut.fit(START, START + 8 * MiB, 6 * MiB, 6 * MiB, 2 * MiB))
        .isEqualTo(new Cut(START + 8 * MiB, 6 * MiB));
  }

  @Test
  void aRangeTooLargeMovesItsPrefixAlignedDownWithBytesInProportion() {
    // 16 MiB of range hold 8 MiB; 5 MiB allowed: 10 MiB of range, aligned down to 2 MiB units
    assertThat(Cut.fit(START, START + 16 * MiB, 8 * MiB, 5 * MiB, 2 * MiB))
        .isEqualTo(new Cut(START + 10 * MiB, 5 * MiB));
    // 3 MiB allowed: 6 MiB of range, 3 MiB of bytes
    assertThat(Cut.fit(START, START + 16 * MiB, 8 * MiB, 3 * MiB, 2 * MiB))
        .isEqualTo(new Cut(START + 6 * MiB, 3 * MiB));
  }

  @Test
  void theBytesOfAPrefixNeverExceedTheAllowance() {
    // unaligned start: the unit boundary gives a prefix whose share is capped at the allowance
    long start = START + MiB;
    Cut cut = Cut.fit(start, start + 15 * MiB, 15 * MiB, 4 * MiB, 2 * MiB);
    assertThat(cut.end()).isEqualTo(START + 4 * MiB);
    assertThat(cut.bytes()).isEqualTo(3 * MiB);
    Cut capped = Cut.fit(START, START + 3 * 4096, 9000, 8000, 4096);
    assertThat(capped.bytes()).isLessThanOrEqualTo(8000);
  }

  @Test
  void lessThanOneUnitFitsNothing() {
    assertThat(Cut.fit(START, START + 16 * MiB, 16 * MiB, MiB, 2 * MiB)).isNull();
  }
}
