package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.model.ProcessId;
import tierd.process.Vma;

class ProcessViewTest {

  @Test
  void vmasAreSortedAndEachViewedOnceOnFirstUse() {
    Vma high = vma(BASE + 16 * MiB, 8 * MiB, MemPolicy.parse("bind:2-3"), on(2, 8 * MiB));
    Vma low = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB));
    NodeTable nodes = new NodeTable(Fixtures.roomyBox(), PlannerConfig.defaults());
    ProcessView view =
        new ProcessView(process(7, ALL, List.of(high, low)), nodes, PlannerConfig.defaults());
    assertThat(view.key()).isEqualTo(new ProcessId(7, Fixtures.startTime(7)));
    assertThat(view.pid()).isEqualTo(7);
    assertThat(view.vmas().get(0)).isEqualTo(low);
    assertThat(view.vma(1).vma()).isEqualTo(high);
    assertThat(view.vma(1)).isSameAs(view.vma(1));
    assertThat(view.vma(0).promotion(2)).isInstanceOf(PlacementRule.Allowed.class);
    assertThat(view.vma(1).promotion(2)).isInstanceOf(PlacementRule.HeldBack.class);
  }
}
