package tierd.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The history of windows: the hot set (p95 over a span) against a brute-force percentile of the
 * windows' hot sets, retention and thinning.
 */
class ProfileHistoryTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static WindowProfile window(Instant at, long hotSet, boolean accessed) {
    Breakdown host =
        new Breakdown(
            1 << 30,
            0,
            0,
            0,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            0,
            0,
            0,
            hotSet,
            accessed);
    return new WindowProfile(at, 1, host, List.of(), List.of(), List.of(), List.of(), null);
  }

  static Stream<Arguments> histories() {
    List<Arguments> out = new ArrayList<>();
    for (long seed = 1; seed <= 12; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      out.add(
          Arguments.of(
              "seed " + seed, seed, 1 + r.nextInt(300), Duration.ofSeconds(1 + r.nextInt(900))));
    }
    out.add(Arguments.of("one window", 99L, 1, Duration.ofMinutes(10)));
    out.add(Arguments.of("a span shorter than a window", 98L, 50, Duration.ofSeconds(2)));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void hotSetIsTheNearestRankP95OfTheAccessedWindowsInTheSpan(
      String name, long seed, int windows, Duration span) {
    SplittableRandom r = new SplittableRandom(seed);
    ProfileHistory h = new ProfileHistory(Duration.ofHours(2), false, 10_000);
    List<Long> sets = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    List<Boolean> accessed = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      Instant at = T0.plusSeconds(5L * i);
      long set = r.nextLong(1L << 34);
      boolean seen = r.nextInt(10) != 0;
      h.record(window(at, set, seen));
      sets.add(set);
      times.add(at);
      accessed.add(seen);
    }
    Instant from = times.get(windows - 1).minus(span);
    long[] inSpan =
        LongStream.range(0, windows)
            .filter(i -> !times.get((int) i).isBefore(from) && accessed.get((int) i))
            .map(i -> sets.get((int) i))
            .sorted()
            .toArray();
    if (inSpan.length == 0) {
      assertThat(h.hotSet(span)).isEmpty();
    } else {
      int rank = (int) Math.max(1, Math.ceil(0.95 * inSpan.length));
      assertThat(h.hotSet(span)).hasValue(inSpan[rank - 1]);
    }
  }

  static Stream<Arguments> bounds() {
    return Stream.of(
        Arguments.of("retention drops windows older than 1 min", Duration.ofMinutes(1), 1000, 40),
        Arguments.of("thinning halves the windows past the cap", Duration.ofHours(1), 16, 100));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bounds")
  void windowsStayBoundedAndTheNewestIsKept(
      String name, Duration retention, int maxWindows, int recorded) {
    ProfileHistory h = new ProfileHistory(retention, true, maxWindows);
    for (int i = 0; i < recorded; i++) {
      h.record(window(T0.plusSeconds(5L * i), i, true));
    }
    List<WindowProfile> kept = h.windows();
    Instant last = T0.plusSeconds(5L * (recorded - 1));
    assertThat(kept.size()).isLessThanOrEqualTo(maxWindows);
    assertThat(kept.get(kept.size() - 1).at()).isEqualTo(last);
    assertThat(kept).allSatisfy(w -> assertThat(w.at()).isAfterOrEqualTo(last.minus(retention)));
    for (int i = 1; i < kept.size(); i++) {
      assertThat(kept.get(i).at()).isAfter(kept.get(i - 1).at());
    }
    assertThat(h.watched()).isEqualTo(Duration.between(T0, last));
    assertThat(h.latest()).isPresent();
  }
}
