package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;

class PromotionCandidatesTest {

  @Test
  void dataOnANodeOverItsFillLimitFirstThenByFallingHeatThenAsFound() {
    // node 3 (32 GiB, 24 free) is over a 20 % fill limit; node 2 is not
    PlanningRun run =
        Fixtures.run(
            PlannerConfig.builder().maxFill(Map.of(3, 0.2)).build(),
            Fixtures.roomyBox(),
            List.of(
                process(
                    1,
                    ALL,
                    List.of(
                        vma(BASE, 32 * MiB, MemPolicy.DEFAULT, on(2, 32 * MiB)),
                        vma(BASE + 32 * MiB, 16 * MiB, MemPolicy.DEFAULT, on(3, 16 * MiB))))),
            List.of(
                hot(1, BASE, 8 * MiB, 0.6),
                hot(1, BASE + 8 * MiB, 8 * MiB, 0.9),
                hot(1, BASE + 16 * MiB, 8 * MiB, 0.6),
                hot(1, BASE + 24 * MiB, 8 * MiB, 0.7),
                hot(1, BASE + 32 * MiB, 16 * MiB, 0.5)));
    PromotionCandidates candidates = run.promotions;
    assertThat(candidates.count()).isEqualTo(5);
    assertThat(run.nodes.nodeId(candidates.source(4))).isEqualTo(3);
    CandidateQueue queue = candidates.queue(run.nodes, run.segments);
    List<Integer> order = new ArrayList<>();
    while (!queue.isEmpty()) {
      order.add(queue.poll());
    }
    assertThat(order).containsExactly(4, 1, 3, 0, 2);
    assertThat(candidates.segment(3)).isEqualTo(3);
  }
}
