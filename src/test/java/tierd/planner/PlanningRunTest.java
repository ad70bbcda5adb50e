package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;

class PlanningRunTest {

  static PlanInput input() {
    // node 0 under pressure with COLD data of pid 1; HOT data of pid 2 on node 2 allowed only on
    // node 1, which is full of COLD data of pid 3; COLD data of pid 4 on node 2 idle for long
    return Fixtures.input(
        Fixtures.box(50 * MiB, 100 * MiB, 12 * GiB, 24 * GiB),
        List.of(
            process(1, ALL, List.of(vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(0, 32 * MiB)))),
            process(
                2,
                NodeSet.of(1, 2, 3),
                List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB)))),
            process(3, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(1, 64 * MiB)))),
            process(4, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))))),
        List.of(
            cold(1, BASE, 32 * MiB, Duration.ofMinutes(20)),
            hot(2, BASE, 8 * MiB, 0.9),
            cold(3, BASE, 64 * MiB, Duration.ofMinutes(20)),
            cold(4, BASE, 8 * MiB, Duration.ofHours(2))));
  }

  @Test
  void stepsRunInOrderPressureThenRoomThenPromotionThenProactive() {
    // no margin: node 1's floor is its high watermark (122.9 MiB), 22.9 MiB above its free memory
    PlannerConfig config =
        PlannerConfig.builder().proactiveDemotionAge(Duration.ofHours(1)).roomMargin(0).build();
    PlanningRun run = new PlanningRun(config, input(), PlannerState.initial());
    MigrationPlan plan = run.plan().plan();
    assertThat(plan.moves())
        .extracting(m -> m.pid() + " " + m.fromNodes() + "→" + m.toNode() + " " + m.reason().code())
        .containsExactly(
            "1 0→2 COLD_PRESSURE", "3 1→2 EXCHANGE", "2 2→1 HOT", "4 2→3 COLD_PROACTIVE");
    assertThat(plan.moves().get(1).bytes())
        .as("room made first for the 8 MiB waiting, 30.9 MiB aligned up to 2 MiB, not all 64 MiB")
        .isEqualTo(32 * MiB);
    assertThat(plan.moves().get(1).reason().text()).contains("making room first for 8MiB");
    assertThat(plan).isEqualTo(new Planner(config).plan(input(), PlannerState.initial()).plan());
  }

  @Test
  void roomThatCannotBeMadeForAnyPromotionIsNotMade() {
    // with the default margin node 1 (100 MiB free) is 104.8 MiB below its floor: the 64 MiB of
    // cold data there cannot make room for the 8 MiB waiting, so none of it goes down
    PlanningRun run = new PlanningRun(PlannerConfig.defaults(), input(), PlannerState.initial());
    MigrationPlan plan = run.plan().plan();
    assertThat(plan.moves())
        .extracting(m -> m.pid() + " " + m.fromNodes() + "→" + m.toNode() + " " + m.reason().code())
        .containsExactly("1 0→2 COLD_PRESSURE");
    assertThat(plan.skipped())
        .anyMatch(skip -> skip.pid() == 2 && skip.reason() == SkipReason.WATERMARK);
  }
}
