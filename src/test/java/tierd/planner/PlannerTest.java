package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.HeatClass;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringConfig;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;

class PlannerTest {

  /**
   * Scorer and planner together over cycles: a buffer turns hot on CXL and, the fast node having
   * room, is promoted in its first hot window; it is not moved back while it cools within the
   * minimum residency.
   */
  @Test
  void scorerAndPlannerTogetherPromoteAHotBufferOnceInItsFirstWindowWhenThereIsRoom() {
    Topology t = roomyBox();
    Scorer scorer = new Scorer(ScoringConfig.defaults());
    Planner planner = new Planner(PlannerConfig.defaults());
    PlannerState state = PlannerState.initial();
    ManagedProcess onCxl =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(2, 64 * MiB))));
    ManagedProcess onDram =
        process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB))));
    PromotionFeedback fb = PromotionFeedback.NONE;
    int[] accesses = {90, 90, 90, 0, 0, 0};
    int promotions = 0;
    int demotions = 0;
    for (int cycle = 0; cycle < accesses.length; cycle++) {
      ManagedProcess p = promotions == 0 ? onCxl : onDram;
      ScoringResult scores =
          scorer.score(
              new ScoringInput(
                  T0.plusSeconds(10L * cycle),
                  t,
                  List.of(p),
                  List.of(
                      new RegionSample(
                          1,
                          AddressRange.ofSize(BASE, 64 * MiB),
                          accesses[cycle],
                          100,
                          Duration.ofSeconds(10),
                          Duration.ZERO,
                          "test")),
                  fb));
      PlanResult r = planner.plan(PlanInput.estimated(t, List.of(p), scores), state);
      state = r.next();
      fb = r.plan().feedback();
      if (cycle == 0) {
        assertThat(scores.regions().get(0).heatClass()).isEqualTo(HeatClass.HOT);
        assertThat(scores.regions().get(0).hotWindows()).isEqualTo(1);
        assertThat(scores.thresholds().confirmed(1)).as("not confirmed yet").isFalse();
        assertThat(r.plan().moves())
            .as("room on the fast node: promoted without waiting for confirmation")
            .singleElement()
            .matches(m -> m.direction() == Direction.PROMOTE);
      }
      for (Move m : r.plan().moves()) {
        if (m.direction() == Direction.PROMOTE) {
          promotions++;
        } else {
          demotions++;
        }
      }
    }
    assertThat(promotions).isEqualTo(1);
    assertThat(demotions).isZero();
    assertThat(state.pingPongsTotal()).isZero();
    assertThat(Optional.of(state.residency().size())).contains(1);
  }
}
