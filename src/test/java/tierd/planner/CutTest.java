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

  @Test
  void theShortestPrefixThatHoldsWhatIsNeededIsAlignedUp() {
    // 16 MiB of range hold 8 MiB; 3 MiB needed: 6 MiB of range, already aligned
    assertThat(Cut.atLeast(START, START + 16 * MiB, 8 * MiB, 3 * MiB, 2 * MiB))
        .isEqualTo(new Cut(START + 6 * MiB, 3 * MiB));
    // 2.5 MiB needed: 5 MiB of range, aligned up to 6 MiB, which holds 3 MiB
    assertThat(Cut.atLeast(START, START + 16 * MiB, 8 * MiB, 5 * MiB / 2, 2 * MiB))
        .isEqualTo(new Cut(START + 6 * MiB, 3 * MiB));
    // less than a unit needed: one unit
    assertThat(Cut.atLeast(START, START + 16 * MiB, 16 * MiB, 4096, 2 * MiB))
        .isEqualTo(new Cut(START + 2 * MiB, 2 * MiB));
  }

  @Test
  void whenAllOrMoreIsNeededTheWholeRangeMoves() {
    assertThat(Cut.atLeast(START, START + 16 * MiB, 8 * MiB, 8 * MiB, 2 * MiB))
        .isEqualTo(new Cut(START + 16 * MiB, 8 * MiB));
    assertThat(Cut.atLeast(START, START + 16 * MiB, 8 * MiB, 7 * MiB + 1, 2 * MiB))
        .as("aligned up to the end")
        .isEqualTo(new Cut(START + 16 * MiB, 8 * MiB));
  }

  @Test
  void aNeededPrefixAlwaysHoldsWhatIsNeeded() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
    for (int i = 0; i < 10_000; i++) {
      long unit = 4096L << rnd.nextInt(10);
      long start = START + unit * rnd.nextInt(64);
      long end = start + unit * (1 + rnd.nextInt(512));
      long bytes = 1 + rnd.nextLong(end - start);
      long wanted = rnd.nextLong(bytes + 1);
      Cut cut = Cut.atLeast(start, end, bytes, wanted, unit);
      assertThat(cut.bytes()).as("seed 7 case %d", i).isGreaterThanOrEqualTo(wanted);
      assertThat(cut.bytes()).isLessThanOrEqualTo(bytes);
      assertThat(cut.end() == end || (cut.end() - start) % unit == 0).isTrue();
    }
  }
}
