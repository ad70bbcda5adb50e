package tierd.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;

/**
 * Scores are access rates normalised to the intervals in force (DESIGN.md rule 8): a region whose
 * pages are touched at a given true rate gets the same class whether its source checks every 10 ms
 * or every 200 ms, and whether the intervals stay put or are re-tuned every cycle. Samples are
 * drawn from the access model the normalisation assumes (each check finds an access with
 * probability 1 − e^(−rate × check interval)), with seeded randomness.
 *
 * <p>The settings are ones a tuned source runs at: each sample's checks expect about one access or
 * more from the rates that matter. Far below that (a 1/s page under 20 checks of 10 ms: one sample
 * in five sees it), single samples swing between 0 and saturated, and the decayed average of their
 * heats reads low — which is why the sources tune their intervals towards the access goal.
 */
class RateNormalisationTest {

  static final long MiB = 1 << 20;
  static final Duration CYCLE = Duration.ofSeconds(5);
  static final ManagedProcess PROC = ScorerTest.proc(1);

  /** How a source observes: checks per sample and how long each check watches. */
  record Setting(String name, int checks, Duration check) {}

  static final Setting DAMON_100MS = new Setting("DAMON 100 ms x 20", 20, Duration.ofMillis(100));
  static final Setting DAMON_200MS = new Setting("DAMON 200 ms x 20", 20, Duration.ofMillis(200));
  static final Setting WINDOW_1S = new Setting("pages, 1 s window", 512, Duration.ofSeconds(1));
  static final Setting WINDOW_10S = new Setting("pages, 10 s window", 512, Duration.ofSeconds(10));

  /** Hot threshold 0.3 on the heat scale: about 0.43 accesses per second per page. */
  static final double HOT = 0.3;

  /** Regions by true rate (accesses per second per page): hot, lukewarm, never. */
  static final double[] DAMON_RATES = {20, 1.0, 0};

  /** Page windows also tell a rare page (one access every 20 s) from an idle one. */
  static final double[] PAGE_RATES = {20, 1.0, 0.05, 0};

  static Stream<Arguments> settingPairs() {
    List<HeatClass> damon = List.of(HeatClass.HOT, HeatClass.HOT, HeatClass.COLD);
    List<HeatClass> pages = List.of(HeatClass.HOT, HeatClass.HOT, HeatClass.WARM, HeatClass.COLD);
    return Stream.of(
        Arguments.of(
            "DAMON: 100 ms vs 200 ms sampling", DAMON_100MS, DAMON_200MS, DAMON_RATES, damon),
        Arguments.of("page window: 1 s vs 10 s", WINDOW_1S, WINDOW_10S, PAGE_RATES, pages),
        Arguments.of(
            "DAMON 200 ms vs a 10 s page window", DAMON_200MS, WINDOW_10S, DAMON_RATES, damon));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settingPairs")
  void theSameTrueRateGetsTheSameClassUnderEitherSetting(
      String name, Setting a, Setting b, double[] rates, List<HeatClass> expected) {
    for (long seed = 1; seed <= 5; seed++) {
      assertThat(classes(a, a, rates, seed)).as("%s, seed %d", a.name(), seed).isEqualTo(expected);
      assertThat(classes(b, b, rates, seed)).as("%s, seed %d", b.name(), seed).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settingPairs")
  void reTuningEveryCycleChangesNoClass(
      String name, Setting a, Setting b, double[] rates, List<HeatClass> expected) {
    for (long seed = 1; seed <= 5; seed++) {
      assertThat(classes(a, b, rates, seed)).as("seed %d", seed).isEqualTo(expected);
    }
  }

  @Test
  void theRawAccessFractionWouldHaveFlippedTheLukewarmRegion() {
    // the contrast: 1/s is found by 4.9 % of 50 ms checks and by 18 % of 200 ms checks; a
    // threshold on the fraction (say 10 %) calls it cold under one setting and hot under the other
    double at50 = 1 - Math.exp(-1.0 * 0.05);
    double at200 = 1 - Math.exp(-1.0 * 0.2);
    assertThat(at50).isLessThan(0.1);
    assertThat(at200).isGreaterThan(0.1);
    assertThat(HeatScale.heat(sample(0, 1, 20, Duration.ofMillis(50)).accessRatePerSecond()))
        .isCloseTo(0.5, within(0.02));
    assertThat(HeatScale.heat(sample(0, 4, 20, Duration.ofMillis(200)).accessRatePerSecond()))
        .isCloseTo(0.53, within(0.02));
  }

  @Test
  void theRateOfOneAccessFractionDependsOnTheCheckInterval() {
    // 18 % of 200 ms checks and 1 % of 10 ms checks are both about one access per second
    RegionSample slow = sample(0, 18, 100, Duration.ofMillis(200));
    RegionSample fast = sample(0, 1, 100, Duration.ofMillis(10));
    assertThat(slow.accessRatePerSecond()).isCloseTo(1.0, within(0.01));
    assertThat(fast.accessRatePerSecond()).isCloseTo(1.0, within(0.01));
    assertThat(HeatScale.heat(slow.accessRatePerSecond())).isCloseTo(0.5, within(0.01));
    // every check found one: the rate is bounded by half a check short of all
    RegionSample full = sample(0, 20, 20, Duration.ofMillis(100));
    assertThat(full.accessRatePerSecond()).isCloseTo(-Math.log(0.025) / 0.1, within(1e-9));
    assertThat(sample(0, 0, 20, Duration.ofMillis(100)).accessRatePerSecond()).isZero();
  }

  @Test
  void theHeatScaleIsOneHalfAtOneAccessPerSecondAndInvertible() {
    assertThat(HeatScale.heat(1)).isEqualTo(0.5);
    assertThat(HeatScale.heat(0)).isZero();
    assertThat(HeatScale.heat(Double.NaN)).isZero();
    assertThat(HeatScale.heat(Double.POSITIVE_INFINITY)).isEqualTo(1);
    for (double r : new double[] {0.001, 0.02, 0.5, 3, 250}) {
      assertThat(HeatScale.ratePerSecond(HeatScale.heat(r))).isCloseTo(r, within(r * 1e-9));
    }
    // 50/s and 200/s stay apart on the 1024-bin histogram the capacity fit uses
    assertThat((int) (HeatScale.heat(200) * ThresholdFit.BINS))
        .isGreaterThan((int) (HeatScale.heat(50) * ThresholdFit.BINS));
  }

  /**
   * Scores one region per rate for 60 cycles of 5 s (five half-lives), observing odd cycles with
   * {@code odd} and even ones with {@code even}; returns the final classes.
   */
  static List<HeatClass> classes(Setting even, Setting odd, double[] rates, long seed) {
    Scorer scorer =
        new Scorer(
            ScoringConfig.builder().hotThreshold(HOT).coldMinAge(Duration.ofSeconds(30)).build());
    SplittableRandom random = new SplittableRandom(seed);
    ScoringResult last = null;
    for (int cycle = 0; cycle < 60; cycle++) {
      Setting s = cycle % 2 == 0 ? even : odd;
      List<RegionSample> samples = new ArrayList<>();
      for (int i = 0; i < rates.length; i++) {
        double p = 1 - Math.exp(-rates[i] * s.check().toNanos() / 1e9);
        int found = 0;
        for (int c = 0; c < s.checks(); c++) {
          found += random.nextDouble() < p ? 1 : 0;
        }
        samples.add(sample(i, found, s.checks(), s.check()));
      }
      Instant at = Fixtures.T0.plus(CYCLE.multipliedBy(cycle));
      last =
          scorer.score(
              new ScoringInput(
                  at, Fixtures.roomyBox(), List.of(PROC), samples, PromotionFeedback.NONE));
    }
    return last.regions().stream().map(ScoredRegion::heatClass).toList();
  }

  /** DAMON-like (≤ 100 checks: one page per check, window = checks × check) or a page window. */
  static RegionSample sample(int index, int found, int checks, Duration check) {
    Duration window = checks > 100 ? check : check.multipliedBy(checks);
    return new RegionSample(
        1,
        AddressRange.ofSize(0x1000_0000L + index * 4 * MiB, 4 * MiB),
        found,
        checks,
        window,
        check,
        Duration.ZERO,
        "test");
  }
}
