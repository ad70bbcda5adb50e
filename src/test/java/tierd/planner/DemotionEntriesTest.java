package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;
import static tierd.planner.Fixtures.warm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;

/** Entries of node 0: COLD idle 5, 50 and 20 minutes, WARM of heat 0.3 and 0.1. */
class DemotionEntriesTest {

  static PlanningRun run() {
    return Fixtures.run(
        PlannerConfig.defaults(),
        Fixtures.roomyBox(),
        List.of(process(1, ALL, List.of(vma(BASE, 80 * MiB, MemPolicy.DEFAULT, on(0, 80 * MiB))))),
        List.of(
            cold(1, BASE, 16 * MiB, Duration.ofMinutes(5)),
            warm(1, BASE + 16 * MiB, 16 * MiB, 0.3),
            cold(1, BASE + 32 * MiB, 16 * MiB, Duration.ofMinutes(50)),
            warm(1, BASE + 48 * MiB, 16 * MiB, 0.1),
            cold(1, BASE + 64 * MiB, 16 * MiB, Duration.ofMinutes(20))));
  }

  static List<Integer> order(CandidateQueue queue) {
    List<Integer> entries = new ArrayList<>();
    while (!queue.isEmpty()) {
      entries.add(queue.poll());
    }
    return entries;
  }

  @Test
  void coldestFirstColdByIdleAgeThenWarmByHeat() {
    PlanningRun run = run();
    assertThat(order(run.demotions.coldest(0, run.segments, segment -> true)))
        .containsExactly(2, 4, 0, 3, 1);
    assertThat(order(run.demotions.coldest(0, run.segments, run.segments::cold)))
        .containsExactly(2, 4, 0);
    assertThat(run.demotions.segment(0, 3)).isEqualTo(3);
  }

  @Test
  void onlyOpenEntriesAreQueued() {
    PlanningRun run = run();
    run.demotions.decide(0, 2);
    run.demotions.bar(0, 3);
    assertThat(run.demotions.open(0, 2)).isFalse();
    assertThat(order(run.demotions.coldest(0, run.segments, segment -> true)))
        .containsExactly(4, 0, 1);
    run.demotions.reopen(0, 2);
    assertThat(order(run.demotions.coldest(0, run.segments, segment -> true)))
        .containsExactly(2, 4, 0, 1);
  }

  @Test
  void aNodeWithoutASlowerTierHasNoEntries() {
    PlanningRun run = run();
    assertThat(run.demotions.coldest(3, run.segments, segment -> true).isEmpty()).isTrue();
  }
}
