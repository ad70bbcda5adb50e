package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;

/** COLD data on DRAM node 0 and CXL node 2 of the roomy box, idle 2, 10 and 30 minutes. */
class ProactiveDemotionTest {

  static PlanningRun run(PlannerConfig config) {
    return Fixtures.run(
        config,
        Fixtures.roomyBox(),
        List.of(
            process(
                1,
                ALL,
                List.of(
                    vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB)),
                    vma(BASE + 32 * MiB, 16 * MiB, MemPolicy.DEFAULT, on(2, 16 * MiB))))),
        List.of(
            cold(1, BASE, 16 * MiB, Duration.ofMinutes(2)),
            cold(1, BASE + 16 * MiB, 16 * MiB, Duration.ofMinutes(10)),
            cold(1, BASE + 32 * MiB, 16 * MiB, Duration.ofMinutes(30))));
  }

  @Test
  void dataIdleForTheAgeGoesDownFromEveryNodeWithASlowerTier() {
    PlanningRun run =
        run(PlannerConfig.builder().proactiveDemotionAge(Duration.ofMinutes(5)).build());
    run.proactiveDemotion.run();
    assertThat(Fixtures.booked(run))
        .containsExactly("1 0→2 COLD_PROACTIVE " + 16 * MiB, "1 2→3 COLD_PROACTIVE " + 16 * MiB);
    assertThat(run.ledger.planned().get(0).text()).endsWith(", idle ≥ proactive age 5m");
    assertThat(run.demotions.open(0, 0)).as("idle only 2 minutes").isTrue();
  }

  @Test
  void withoutAnAgeNothingMovesWithoutPressure() {
    PlanningRun run = run(PlannerConfig.defaults());
    run.proactiveDemotion.run();
    assertThat(run.ledger.planned()).isEmpty();
  }
}
