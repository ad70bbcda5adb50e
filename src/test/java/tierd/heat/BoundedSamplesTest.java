package tierd.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;

/** The heat stage's region limit: what is kept, merged and dropped, and what a merge says. */
class BoundedSamplesTest {

  static final long KiB = 1024;
  static final long MiB = 1L << 20;
  static final Duration WINDOW = Duration.ofSeconds(5);

  static RegionSample sample(int pid, long start, long size, int nr, int max, Duration age) {
    return new RegionSample(pid, AddressRange.ofSize(start, size), nr, max, WINDOW, age, "test");
  }

  static RegionSample sample(int pid, long start, long size, int nr) {
    return sample(pid, start, size, nr, 20, Duration.ofSeconds(60));
  }

  static List<RegionSample> bounded(int capacity, List<RegionSample> in) {
    BoundedSamples b = new BoundedSamples(capacity);
    in.forEach(b);
    return b.samples();
  }

  static Stream<Arguments> cases() {
    long base = 0x7f0000000000L;
    return Stream.of(
        Arguments.of(
            "under the limit: kept as they are",
            2,
            List.of(sample(1, base, 4 * KiB, 3), sample(1, base + MiB, 4 * KiB, 5)),
            List.of(AddressRange.ofSize(base, 4 * KiB), AddressRange.ofSize(base + MiB, 4 * KiB))),
        Arguments.of(
            "the closest neighbours merge first, a large region stays whole",
            3,
            List.of(
                sample(1, base, 4 * KiB, 3),
                sample(1, base + 4 * KiB, 4 * KiB, 3),
                sample(1, base + 8 * KiB, 64 * MiB, 0),
                sample(1, base + 128 * MiB, 4 * KiB, 20)),
            List.of(
                AddressRange.ofSize(base, 8 * KiB),
                AddressRange.ofSize(base + 8 * KiB, 64 * MiB),
                AddressRange.ofSize(base + 128 * MiB, 4 * KiB))),
        Arguments.of(
            "never across processes: a far neighbour of the same pid merges instead",
            2,
            List.of(
                sample(1, base, 4 * KiB, 3),
                sample(1, base + 1024 * MiB, 4 * KiB, 3),
                sample(2, base + 8 * KiB, 4 * KiB, 3)),
            List.of(
                AddressRange.ofSize(base, 1024 * MiB + 4 * KiB),
                AddressRange.ofSize(base + 8 * KiB, 4 * KiB))),
        Arguments.of(
            "more processes than room: the smallest samples are dropped",
            2,
            List.of(
                sample(1, base, 4 * KiB, 3),
                sample(2, base, 2 * MiB, 3),
                sample(3, base, 8 * KiB, 3)),
            List.of(AddressRange.ofSize(base, 2 * MiB), AddressRange.ofSize(base, 8 * KiB))),
        Arguments.of(
            "unsorted input is sorted by pid and address",
            3,
            List.of(
                sample(2, base, 4 * KiB, 3),
                sample(1, base + MiB, 4 * KiB, 3),
                sample(1, base, 4 * KiB, 3)),
            List.of(
                AddressRange.ofSize(base, 4 * KiB),
                AddressRange.ofSize(base + MiB, 4 * KiB),
                AddressRange.ofSize(base, 4 * KiB))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsAtMostCapacity(
      String name, int capacity, List<RegionSample> in, List<AddressRange> expected) {
    assertThat(bounded(capacity, in))
        .extracting(RegionSample::range)
        .containsExactlyElementsOf(expected);
  }

  /** What DAMON does with two merged regions, and colder never: the youngest age wins. */
  @Test
  void aMergeWeighsTheFractionByBytesAndKeepsTheYoungestAge() {
    long base = 0x7f0000000000L;
    List<RegionSample> out =
        bounded(
            1,
            List.of(
                sample(7, base, 3 * MiB, 20, 20, Duration.ofSeconds(90)),
                sample(7, base + 3 * MiB, MiB, 0, 10, Duration.ofSeconds(30))));
    assertThat(out).hasSize(1);
    RegionSample m = out.get(0);
    assertThat(m.range()).isEqualTo(AddressRange.ofSize(base, 4 * MiB));
    assertThat(m.accessFraction()).isCloseTo(0.75, within(1e-9));
    assertThat(m.maxAccesses()).isEqualTo(20);
    assertThat(m.age()).isEqualTo(Duration.ofSeconds(30));
    assertThat(m.window()).isEqualTo(WINDOW);
  }

  /**
   * DAMON checks one page per region every sampling interval, many times per window: the rate of a
   * sample is computed from that check interval, not from the window. A bounded window must hand
   * the scorer the same rate it was given, kept or merged (a sample rebuilt with the window as its
   * check interval read DAMON's lukewarm regions 20 times too cold).
   */
  @Test
  void samplesKeepTheirCheckIntervalSoTheirRateIsUnchangedKeptOrMerged() {
    long base = 0x7f0000000000L;
    Duration check = Duration.ofMillis(60);
    Duration window = Duration.ofMillis(1200);
    RegionSample lukewarm =
        new RegionSample(
            3, AddressRange.ofSize(base, MiB), 1, 20, window, check, Duration.ZERO, "damon-vaddr");
    RegionSample twin =
        new RegionSample(
            3,
            AddressRange.ofSize(base + MiB, MiB),
            1,
            20,
            window,
            check,
            Duration.ZERO,
            "damon-vaddr");

    RegionSample kept = bounded(2, List.of(lukewarm, twin)).get(0);
    RegionSample merged = bounded(1, List.of(lukewarm, twin)).get(0);

    assertThat(kept.checkInterval()).isEqualTo(check);
    assertThat(merged.checkInterval()).isEqualTo(check);
    // one check in 20 found an access: -ln(0.95) / 60 ms = 0.85 per second, not 0.043
    assertThat(kept.accessRatePerSecond()).isCloseTo(0.855, within(0.001));
    assertThat(merged.accessRatePerSecond())
        .isCloseTo(lukewarm.accessRatePerSecond(), within(1e-9));
  }

  /**
   * A million regions over 100 processes, streamed in shuffled process order, kept to 5,000: the
   * bound holds, every process keeps regions, none is dropped, and the access-weighted bytes of
   * each process stay what they were, up to the rounding of a merged sample's count.
   */
  @Test
  void aMillionRegionsKeepEveryProcessAndItsAccessedBytes() {
    int procs = 100;
    int each = 10_000;
    long base = 0x7f0000000000L;
    SplittableRandom rnd = new SplittableRandom(14);
    BoundedSamples b = new BoundedSamples(5_000);
    double[] accessedBytes = new double[procs];
    long[] bytes = new long[procs];
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < procs; p++) {
      order.add(p);
    }
    Collections.shuffle(order, new java.util.Random(14));
    for (int p : order) {
      long at = base;
      for (int k = 0; k < each; k++) {
        long size = (1 + rnd.nextInt(512)) * 4 * KiB;
        int nr = rnd.nextInt(5) == 0 ? rnd.nextInt(21) : 0;
        b.accept(sample(p + 1, at, size, nr));
        accessedBytes[p] += size * nr / 20.0;
        bytes[p] += size;
        at += size;
      }
    }
    List<RegionSample> out = b.samples();
    assertThat(out).hasSizeLessThanOrEqualTo(5_000);
    assertThat(b.reported()).isEqualTo((long) procs * each);
    assertThat(b.merged() + b.dropped()).isEqualTo(procs * each - out.size());
    assertThat(b.dropped()).isZero();
    double[] kept = new double[procs];
    for (RegionSample s : out) {
      kept[s.pid() - 1] += s.sizeBytes() * s.accessFraction();
    }
    for (int p = 0; p < procs; p++) {
      // a merged sample counts in the source's units, as DAMON's merged regions do: its fraction
      // is off by at most half a check (1/40 here) times its bytes
      assertThat(kept[p]).as("pid %d", p + 1).isCloseTo(accessedBytes[p], within(bytes[p] / 40.0));
    }
    assertThat(out.stream().mapToInt(RegionSample::pid).distinct().count()).isEqualTo(procs);
  }
}
