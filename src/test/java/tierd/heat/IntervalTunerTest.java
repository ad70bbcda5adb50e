package tierd.heat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.model.AddressRange;

class IntervalTunerTest {

  static final Duration MS = Duration.ofMillis(1);

  static IntervalTuner tuner(long startMs) {
    return new IntervalTuner(
        0.04, MS.multipliedBy(startMs), MS.multipliedBy(5), MS.multipliedBy(200));
  }

  static Stream<Arguments> kernelSteps() {
    // score = observed / goal -> the kernel's multiplier (damon_get_intervals_adaptation_bp)
    return Stream.of(
        Arguments.of("nothing seen: double", 0.0, 2.0),
        Arguments.of("a quarter of the goal", 0.25, 1.75),
        Arguments.of("at the goal: stay", 1.0, 1.0),
        Arguments.of("1.5 x the goal", 1.5, 0.75),
        Arguments.of("twice the goal: halve", 2.0, 0.5),
        Arguments.of("far above: halve", 25.0, 0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernelSteps")
  void theStepIsTheKernels(String name, double score, double factor) {
    assertThat(IntervalTuner.factor(score)).isCloseTo(factor, within(1e-12));
  }

  @Test
  void growsWhileTooFewChecksFindAnAccessAndStopsAtTheCeiling() {
    IntervalTuner t = tuner(10);
    assertThat(t.observe(0)).isEqualTo(MS.multipliedBy(20));
    assertThat(t.observe(0.01)).isEqualTo(MS.multipliedBy(35)); // score 0.25: x1.75
    assertThat(t.observe(0)).isEqualTo(MS.multipliedBy(70));
    assertThat(t.observe(0)).isEqualTo(MS.multipliedBy(140));
    assertThat(t.observe(0)).isEqualTo(MS.multipliedBy(200));
    assertThat(t.observe(0)).isEqualTo(MS.multipliedBy(200));
  }

  @Test
  void shrinksWhenTooManyFindOneAndStopsAtTheFloor() {
    IntervalTuner t = tuner(40);
    assertThat(t.observe(0.5)).isEqualTo(MS.multipliedBy(20));
    assertThat(t.observe(0.06)).isEqualTo(MS.multipliedBy(15)); // score 1.5: x0.75
    assertThat(t.observe(1)).isEqualTo(Duration.ofNanos(7_500_000));
    assertThat(t.observe(1)).isEqualTo(MS.multipliedBy(5));
  }

  @Test
  void smallDeviationsAndMissingObservationsChangeNothing() {
    IntervalTuner t = tuner(50);
    assertThat(t.observe(0.0385)).isEqualTo(MS.multipliedBy(50)); // x1.0375, inside the dead band
    assertThat(t.observe(Double.NaN)).isEqualTo(MS.multipliedBy(50));
    assertThat(t.observe(-1)).isEqualTo(MS.multipliedBy(50));
  }

  @Test
  void aZeroGoalOrEqualBoundsPinTheInterval() {
    IntervalTuner off = new IntervalTuner(0, MS.multipliedBy(10), MS, MS.multipliedBy(100));
    assertThat(off.tuning()).isFalse();
    assertThat(off.observe(0)).isEqualTo(MS.multipliedBy(10));
    IntervalTuner pinned =
        new IntervalTuner(0.04, MS.multipliedBy(10), MS.multipliedBy(10), MS.multipliedBy(10));
    assertThat(pinned.tuning()).isFalse();
    assertThat(pinned.observe(0)).isEqualTo(MS.multipliedBy(10));
  }

  @Test
  void theStartIsClampedIntoTheBounds() {
    assertThat(tuner(1).interval()).isEqualTo(MS.multipliedBy(5));
    assertThat(tuner(1000).interval()).isEqualTo(MS.multipliedBy(200));
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> new IntervalTuner(1, MS, MS, MS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access goal 1.0 must be in [0, 1)");
    assertThatThrownBy(() -> new IntervalTuner(0.04, MS, MS.multipliedBy(2), MS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max PT0.001S must be >= min PT0.002S");
  }

  @Test
  void theObservedShareIsSizeWeighted() {
    Duration w = Duration.ofMillis(200);
    List<RegionSample> samples =
        List.of(
            new RegionSample(1, AddressRange.ofSize(0, 1 << 20), 20, 20, w, w, "t"),
            new RegionSample(1, AddressRange.ofSize(1 << 20, 3 << 20), 2, 20, w, w, "t"));
    assertThat(IntervalTuner.observedShare(samples)).isCloseTo(0.25 + 0.75 * 0.1, within(1e-12));
    assertThat(IntervalTuner.observedShare(List.of())).isNaN();
  }

  /**
   * Closed loop against a simulated workload: a 20 % hot set whose pages are touched at 1.2/s (the
   * Redis hot keys of issue 20) and a cold rest. Checks of interval c find a hot page accessed with
   * probability 1 − e^(−1.2 c). Starting from 10 ms, the tuner settles where 4 % of all checks find
   * an access — about 190 ms — within a few steps, and stays there.
   */
  @Test
  void settlesWhereTheGoalIsMetOnASimulatedLukewarmHotSet() {
    IntervalTuner t = tuner(10);
    SplittableRandom random = new SplittableRandom(20);
    double hotShare = 0.2;
    double rate = 1.2;
    for (int step = 0; step < 30; step++) {
      double c = t.interval().toNanos() / 1e9;
      int checks = 20 * 100; // 100 hot regions, 20 checks each
      int found = 0;
      double p = 1 - Math.exp(-rate * c);
      for (int i = 0; i < checks; i++) {
        found += random.nextDouble() < p ? 1 : 0;
      }
      t.observe(hotShare * found / checks);
    }
    double settled = -Math.log(1 - 0.04 / hotShare) / rate; // 186 ms
    assertThat(t.interval().toNanos() / 1e9).isCloseTo(settled, within(0.03));
  }
}
