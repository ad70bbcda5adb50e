package tierd.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The profile's maths against brute force: seeded random sets of regions are expanded byte by byte
 * (every byte carries its region's value), and the per-byte percentiles and the sizing curve are
 * read off the sorted bytes directly, which is what the definitions say. Sizes are small and rates
 * are multiples of 1/64, so that every sum is exact in a double and the two ways must agree to the
 * byte.
 */
class ProfileMathsTest {

  /** A random world: {@code regions} regions of 0..maxBytes bytes each. */
  record World(String name, long seed, int regions, int maxBytes, boolean ties, boolean zeros) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> worlds() {
    List<Arguments> out = new ArrayList<>();
    out.add(Arguments.of(new World("one region", 1, 1, 40, false, false)));
    out.add(Arguments.of(new World("two regions", 2, 2, 40, false, false)));
    out.add(Arguments.of(new World("many small", 3, 60, 8, false, false)));
    out.add(Arguments.of(new World("ties in value", 4, 40, 30, true, false)));
    out.add(Arguments.of(new World("zero-byte and idle regions", 5, 40, 30, false, true)));
    out.add(Arguments.of(new World("ties and zeros", 6, 80, 20, true, true)));
    for (long seed = 100; seed < 130; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      out.add(
          Arguments.of(
              new World(
                  "random seed " + seed,
                  seed,
                  1 + r.nextInt(120),
                  1 + r.nextInt(50),
                  r.nextBoolean(),
                  r.nextBoolean())));
    }
    return out.stream();
  }

  private static long[] sizes(World w, SplittableRandom r) {
    long[] b = new long[w.regions()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (w.zeros() && r.nextInt(5) == 0) ? 0 : 1 + r.nextInt(w.maxBytes());
    }
    return b;
  }

  /** Nearest rank over the bytes laid out one by one. */
  private static OptionalLong bruteQuantile(long[] values, long[] bytes, double p) {
    List<Long> perByte = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      for (long k = 0; k < bytes[i]; k++) {
        perByte.add(values[i]);
      }
    }
    if (perByte.isEmpty()) {
      return OptionalLong.empty();
    }
    perByte.sort(null);
    int n = perByte.size();
    int rank = (int) Math.max(1, Math.ceil(p * n));
    return OptionalLong.of(perByte.get(rank - 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void byteWeightedQuantilesMatchBruteForce(World w) {
    SplittableRandom r = new SplittableRandom(w.seed());
    long[] bytes = sizes(w, r);
    long[] values = new long[bytes.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = w.ties() ? r.nextInt(4) * 60_000L : r.nextLong(3_600_000L * 3);
    }
    double[] ps = {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1, r.nextDouble()};
    OptionalLong[] fast = ByteQuantiles.quantiles(values, bytes, ps);
    for (int q = 0; q < ps.length; q++) {
      assertThat(fast[q]).as("p=%s", ps[q]).isEqualTo(bruteQuantile(values, bytes, ps[q]));
    }
  }

  /** Per byte: its region's rate; bytes sorted hottest first. */
  private static double[] bytesByRate(long[] bytes, double[] rates) {
    List<Double> perByte = new ArrayList<>();
    for (int i = 0; i < rates.length; i++) {
      for (long k = 0; k < bytes[i]; k++) {
        perByte.add(rates[i]);
      }
    }
    perByte.sort((a, b) -> Double.compare(b, a));
    return perByte.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] rates(World w, SplittableRandom r, int n) {
    double[] rates = new double[n];
    for (int i = 0; i < n; i++) {
      int sixtyFourths = w.ties() ? 16 * r.nextInt(5) : r.nextInt(65);
      rates[i] = (w.zeros() && r.nextInt(4) == 0) ? 0 : sixtyFourths / 64.0;
    }
    return rates;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void sizingCurveMatchesBruteForce(World w) {
    SplittableRandom r = new SplittableRandom(w.seed() * 31 + 7);
    long[] bytes = sizes(w, r);
    double[] rates = rates(w, r, bytes.length);
    SizingCurve curve = SizingCurve.of(bytes, rates);
    double[] perByte = bytesByRate(bytes, rates);
    double[] cum = new double[perByte.length + 1];
    for (int i = 0; i < perByte.length; i++) {
      cum[i + 1] = cum[i] + perByte[i];
    }
    double total = cum[perByte.length];
    assertThat(curve.totalBytes()).isEqualTo(perByte.length);
    assertThat(curve.totalAccesses()).isEqualTo(total);
    assertThat(curve.accessed()).isEqualTo(total > 0);
    // served share at every size, and the bytes below it
    for (int x = 0; x <= perByte.length + 1; x++) {
      double served = cum[Math.min(x, perByte.length)];
      if (total > 0) {
        assertThat(curve.servedShare(x)).as("served(%d)", x).isEqualTo(Math.min(1, served / total));
      } else {
        assertThat(curve.servedShare(x)).isNaN();
      }
      assertThat(curve.bytesBelow(x)).isEqualTo(Math.max(0, perByte.length - x));
    }
    // smallest fast tier for a share: the first size whose cumulative accesses reach it
    double[] shares = {0, 0.5, 0.8, 0.9, 0.95, 0.99, 1, r.nextDouble()};
    for (double share : shares) {
      long brute = 0;
      if (total > 0 && share > 0) {
        double target = share * total;
        while (cum[(int) brute] < target) {
          brute++;
        }
      }
      assertThat(curve.fastBytesFor(share)).as("fastBytesFor(%s)", share).isEqualTo(brute);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void curvePointsLieOnTheCurveAndClimb(World w) {
    SplittableRandom r = new SplittableRandom(w.seed() ^ 0x5DEECE66DL);
    long[] bytes = sizes(w, r);
    double[] rates = rates(w, r, bytes.length);
    SizingCurve curve = SizingCurve.of(bytes, rates);
    List<SizingCurve.Point> points = curve.points(10);
    if (!curve.accessed()) {
      assertThat(points).isEmpty();
      return;
    }
    assertThat(points.get(0)).isEqualTo(new SizingCurve.Point(0, 0));
    assertThat(points.get(points.size() - 1))
        .isEqualTo(new SizingCurve.Point(curve.totalBytes(), 1.0));
    for (int i = 1; i < points.size(); i++) {
      SizingCurve.Point p = points.get(i);
      assertThat(p.fastBytes()).isGreaterThanOrEqualTo(points.get(i - 1).fastBytes());
      assertThat(p.servedShare()).isGreaterThanOrEqualTo(points.get(i - 1).servedShare());
      assertThat(p.servedShare()).isEqualTo(curve.servedShare(p.fastBytes()));
    }
    // thinned: at most about 2 x resolution points, however many regions
    assertThat(points.size()).isLessThanOrEqualTo(2 * 10 + 2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("worlds")
  void regionOrderDoesNotChangeTheCurve(World w) {
    SplittableRandom r = new SplittableRandom(w.seed() + 99);
    long[] bytes = sizes(w, r);
    double[] rates = rates(w, r, bytes.length);
    Integer[] perm = new Integer[bytes.length];
    Arrays.setAll(perm, i -> i);
    for (int i = perm.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      Integer t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    long[] b2 = new long[bytes.length];
    double[] r2 = new double[bytes.length];
    for (int i = 0; i < perm.length; i++) {
      b2[i] = bytes[perm[i]];
      r2[i] = rates[perm[i]];
    }
    SizingCurve a = SizingCurve.of(bytes, rates);
    SizingCurve b = SizingCurve.of(b2, r2);
    for (double share : SizingCurve.SERVED_SHARES) {
      assertThat(b.fastBytesFor(share)).isEqualTo(a.fastBytesFor(share));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void badInputIsRefusedWithTheReason(String name, Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            "quantile above 1",
            (Runnable) () -> ByteQuantiles.quantile(new long[] {1}, new long[] {1}, 1.5),
            "outside [0, 1]"),
        Arguments.of(
            "negative weight",
            (Runnable) () -> ByteQuantiles.quantile(new long[] {1}, new long[] {-1}, 0.5),
            "negative weight"),
        Arguments.of(
            "lengths differ",
            (Runnable) () -> SizingCurve.of(new long[] {1, 2}, new double[] {1}),
            "2 sizes but 1 rates"),
        Arguments.of(
            "negative rate",
            (Runnable) () -> SizingCurve.of(new long[] {1}, new double[] {-0.5}),
            "rate -0.5"),
        Arguments.of(
            "share above 1",
            (Runnable) () -> SizingCurve.of(new long[] {1}, new double[] {1}).fastBytesFor(2),
            "outside [0, 1]"));
  }
}
