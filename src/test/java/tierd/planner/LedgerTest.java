package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.roomyBox;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.ScoredRegion;
import tierd.topology.Topology;

class LedgerTest {

  @Test
  void budgetsRefillInTimeAndCarryAcrossCycles() {
    Topology t = roomyBox();
    PlannerConfig cfg =
        PlannerConfig.builder()
            .promoteBytesPerSecond(16 * MiB)
            .budgetBurst(Duration.ofSeconds(2))
            .minResidency(Duration.ZERO)
            .build();
    Planner planner = new Planner(cfg);
    ManagedProcess p =
        process(1, ALL, List.of(vma(BASE, 256 * MiB, MemPolicy.DEFAULT, on(2, 256 * MiB))));
    List<ScoredRegion> r = List.of(hot(1, BASE, 256 * MiB, 0.9));
    PlanResult first = planner.plan(Fixtures.input(t, List.of(p), r), PlannerState.initial());
    assertThat(first.plan().summary().promoteBytes()).isEqualTo(32 * MiB); // a full bucket
    assertThat(first.next().promoteBudget().tokensBytes()).isZero();
    PlanInput oneSecondLater =
        new PlanInput(T0.plusSeconds(1), t, List.of(p), r, Fixtures.thresholds(), List.of());
    PlanResult second = planner.plan(oneSecondLater, first.next());
    assertThat(second.plan().summary().promoteBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().summary().promotionBudgetEarnedBytes()).isEqualTo(16 * MiB);
    assertThat(second.plan().feedback()).isEqualTo(new PromotionFeedback(256 * MiB, 16 * MiB));
  }
}
