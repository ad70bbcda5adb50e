package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.plan;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;

/** Skips counted per reason, listed with their text while the listing has room. */
class SkipLogTest {

  static PlanningRun run(PlannerConfig config) {
    return Fixtures.run(
        config,
        Fixtures.roomyBox(),
        List.of(process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))))),
        List.of(hot(1, BASE, 64 * MiB, 0.8)));
  }

  @Test
  void aTextIsBuiltOnlyForAListedSkip() {
    PlanningRun run = run(PlannerConfig.builder().maxSkipsListed(1).build());
    run.skips.skip(0, 2, Direction.PROMOTE, MiB, SkipReason.POLICY, () -> "listed");
    run.skips.skip(
        0,
        2,
        Direction.PROMOTE,
        2 * MiB,
        SkipReason.POLICY,
        () -> {
          throw new AssertionError("text of an unlisted skip built");
        });
    run.skips.skip(0, run.nodes.noTierSlot, Direction.PROMOTE, MiB, SkipReason.NO_TARGET, () -> "");
    assertThat(run.skips.listed())
        .containsExactly(
            new Skip(
                1,
                Fixtures.startTime(1),
                run.segments.range(0),
                Direction.PROMOTE,
                2,
                MiB,
                SkipReason.POLICY,
                "listed"));
    assertThat(run.skips.counts())
        .containsEntry(SkipReason.POLICY, 2L)
        .containsEntry(SkipReason.NO_TARGET, 1L);
    assertThat(run.skips.bytes()).containsEntry(SkipReason.POLICY, 3 * MiB);
    assertThat(run.skips.notListed()).isEqualTo(2);
  }

  @Test
  void budgetSkipsNameTheBucketOrTheCycleCapWithWhatIsLeft() {
    PlanningRun bucket =
        run(
            PlannerConfig.builder()
                .promoteBytesPerSecond(MiB)
                .budgetBurst(java.time.Duration.ofSeconds(3))
                .build());
    assertThat(bucket.skips.budgetReason(Direction.PROMOTE)).isEqualTo(SkipReason.BUDGET);
    bucket.skips.heldByBudget(0, 2, Direction.PROMOTE);
    bucket.skips.restHeldByBudget(0, 2, new Cut(BASE + 2 * MiB, 2 * MiB), Direction.PROMOTE);
    assertThat(bucket.skips.listed())
        .extracting(Skip::text)
        .containsExactly(
            "promote budget 1MiB/s has 3MiB left this cycle",
            "the rest of a range whose first 2MiB fit this cycle's budget");
    assertThat(bucket.skips.listed().get(1).range().start()).isEqualTo(BASE + 2 * MiB);
    assertThat(bucket.skips.listed().get(1).bytes()).isEqualTo(62 * MiB);

    PlanningRun cap =
        run(PlannerConfig.builder().maxBytesPerCycle(tierd.model.DataSize.ofMiB(3)).build());
    assertThat(cap.skips.budgetReason(Direction.DEMOTE)).isEqualTo(SkipReason.CYCLE_CAP);
    cap.skips.heldByBudget(0, 2, Direction.DEMOTE);
    assertThat(cap.skips.listed())
        .singleElement()
        .extracting(Skip::text)
        .isEqualTo("cycle cap 3MiB has 3MiB left");
  }

  @Test
  void skippedCandidatesBeyondTheListingCapAreCountedNotListed() {
    ManagedProcess p =
        process(
            1,
            ALL,
            List.of(vma(BASE, 64 * MiB, MemPolicy.parse("interleave:0-3"), on(2, 64 * MiB))));
    List<ScoredRegion> rs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rs.add(hot(1, BASE + i * 8 * MiB, 8 * MiB, 0.8));
    }
    MigrationPlan plan = plan(PlannerConfig.builder().maxSkipsListed(3).build(), List.of(p), rs);
    assertThat(plan.skipped()).hasSize(3);
    assertThat(plan.skipsNotListed()).isEqualTo(5);
    assertThat(plan.skipCounts()).containsEntry(SkipReason.INTERLEAVE, 8L);
    assertThat(plan.skipBytes()).containsEntry(SkipReason.INTERLEAVE, 64 * MiB);
    assertThat(Explain.lines(plan)).contains("… 5 more skipped candidates not listed");
  }
}
