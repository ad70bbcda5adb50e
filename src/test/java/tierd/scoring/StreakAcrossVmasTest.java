package tierd.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.scoring.ScorerTest.BASE;
import static tierd.scoring.ScorerTest.MiB;
import static tierd.scoring.ScorerTest.T0;
import static tierd.scoring.ScorerTest.WINDOW;
import static tierd.scoring.ScorerTest.only;
import static tierd.scoring.ScorerTest.pinned;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;
import tierd.process.Vma;

/**
 * A region that lies across two VMAs (a cold buffer and a few pages its process touches all the
 * time) starts a hot streak only on a window that found it accessed at two checks; a region inside
 * one VMA still starts one on a single check.
 */
class StreakAcrossVmasTest {

  static final Duration CHECK = Duration.ofMillis(100); // one access in ten checks: about 1/s

  /** An 8 MiB buffer, then a 64 KiB VMA right after it, then a gap, then another 1 MiB VMA. */
  static final List<Vma> VMAS =
      List.of(vma(BASE, 8 * MiB), vma(BASE + 8 * MiB, 64 << 10), vma(BASE + 16 * MiB, MiB));

  static Vma vma(long start, long size) {
    return Fixtures.vma(start, size, MemPolicy.DEFAULT, Map.of(1, size));
  }

  static ManagedProcess process() {
    return Fixtures.process(1, NodeSet.of(0, 1), VMAS);
  }

  static RegionSample sample(AddressRange range, int accessedChecks) {
    return new RegionSample(1, range, accessedChecks, 10, WINDOW, CHECK, Duration.ZERO, "t");
  }

  static ScoredRegion score(Scorer scorer, int secondsIn, RegionSample sample) {
    return only(
        scorer.score(
            new ScoringInput(
                T0.plusSeconds(secondsIn),
                ScorerTest.BOX,
                List.of(process()),
                List.of(sample),
                PromotionFeedback.NONE)));
  }

  @Test
  void oneCheckAcrossTwoVmasStartsNoStreakTwoChecksDo() {
    Scorer scorer = new Scorer(pinned(0.4));
    AddressRange across = new AddressRange(BASE + 4 * MiB, BASE + 8 * MiB + (64 << 10));

    ScoredRegion first = score(scorer, 0, sample(across, 1));
    assertThat(first.heat()).as("one check of ten at 100 ms: about 1/s").isGreaterThan(0.4);
    assertThat(first.heatClass()).isEqualTo(HeatClass.WARM);
    assertThat(first.hotWindows()).isZero();

    ScoredRegion second = score(scorer, 10, sample(across, 2));
    assertThat(second.heatClass()).isEqualTo(HeatClass.HOT);
    assertThat(second.hotWindows()).isEqualTo(1);

    ScoredRegion third = score(scorer, 20, sample(across, 1));
    assertThat(third.heatClass())
        .as("a streak once started goes on by heat")
        .isEqualTo(HeatClass.HOT);
    assertThat(third.hotWindows()).isEqualTo(2);
  }

  @Test
  void oneCheckInsideOneVmaStartsAStreak() {
    Scorer scorer = new Scorer(pinned(0.4));
    ScoredRegion inside = score(scorer, 0, sample(AddressRange.ofSize(BASE + MiB, 4 * MiB), 1));
    assertThat(inside.heatClass()).isEqualTo(HeatClass.HOT);
    assertThat(inside.hotWindows()).isEqualTo(1);
  }

  @Test
  void aRegionThatOverlapsOneVmaAndAGapStartsAStreakOnOneCheck() {
    Scorer scorer = new Scorer(pinned(0.4));
    // from inside the 64 KiB VMA into the unmapped gap before the next one
    AddressRange intoGap = new AddressRange(BASE + 8 * MiB + 4096, BASE + 12 * MiB);
    assertThat(score(scorer, 0, sample(intoGap, 1)).heatClass()).isEqualTo(HeatClass.HOT);
  }

  @Test
  void spansTwoCountsOnlyVmasTheRangeOverlaps() {
    MappedRanges mapped = MappedRanges.of(List.of(VMAS.get(2), VMAS.get(0), VMAS.get(1)));
    assertThat(mapped.spansTwo(AddressRange.ofSize(BASE, 8 * MiB))).as("exactly one").isFalse();
    assertThat(mapped.spansTwo(AddressRange.ofSize(BASE, 8 * MiB + 1))).isTrue();
    assertThat(mapped.spansTwo(new AddressRange(BASE + 8 * MiB, BASE + 17 * MiB)))
        .as("across the gap into the third")
        .isTrue();
    assertThat(mapped.spansTwo(new AddressRange(BASE + 9 * MiB, BASE + 16 * MiB)))
        .as("only the gap")
        .isFalse();
    assertThat(mapped.spansTwo(new AddressRange(BASE + 16 * MiB, BASE + 32 * MiB))).isFalse();
    assertThat(MappedRanges.of(List.of()).spansTwo(AddressRange.ofSize(BASE, MiB))).isFalse();
  }
}
