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

class SkipLogTest {

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
