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

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.Vma;

class ExplainTest {

  @Test
  void explainRendersOneLinePerMoveAndSkipAndAJsonableTree() {
    Vma ok = vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB));
    Vma bound = vma(BASE + 8 * MiB, 8 * MiB, MemPolicy.parse("bind:2-3"), on(2, 8 * MiB));
    MigrationPlan plan =
        plan(
            PlannerConfig.defaults(),
            List.of(process(1, ALL, List.of(ok, bound))),
            List.of(hot(1, BASE, 8 * MiB, 0.82), hot(1, BASE + 8 * MiB, 8 * MiB, 0.82)));
    List<String> lines = Explain.lines(plan);
    assertThat(lines.get(0)).startsWith("plan at 2026-01-01T00:00:00Z: 1 moves (promote 8MiB");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("move "))
        .containsExactly(
            "move promote pid 1 7f0000000000-7f0000800000 8MiB node 2 → 0 [HOT]: hot (0.82 ≥ 0.40"
                + " for 3 windows) on node 2 (tier 1) → node 0 (tier 0, nearest faster allowed,"
                + " 5.8GiB free above high wmark + margin)");
    assertThat(lines)
        .filteredOn(l -> l.startsWith("skip "))
        .containsExactly(
            "skip promote pid 1 7f0000800000-7f0001000000 8MiB on node 2 [POLICY]: policy"
                + " bind:2-3 allows no node faster than node 2 (faster in cpuset: 0,1)");
    assertThat(lines).filteredOn(l -> l.startsWith("node ")).hasSize(4);

    Map<String, Object> json = Explain.json(plan);
    assertThat(json).containsKeys("at", "summary", "moves", "skipped", "skipCounts", "skipBytes");
    @SuppressWarnings("unchecked")
    Map<String, Object> mv = ((List<Map<String, Object>>) json.get("moves")).get(0);
    assertThat(mv)
        .containsEntry("pid", 1)
        .containsEntry("direction", "PROMOTE")
        .containsEntry("fromNodes", List.of(2))
        .containsEntry("toNode", 0)
        .containsEntry("bytes", 8 * MiB)
        .containsEntry("code", "HOT");
    assertThat(json.get("skipCounts")).isEqualTo(Map.of("POLICY", 1L));
    assertJsonable(json);
  }

  private static void assertJsonable(Object o) {
    if (o instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            assertThat(k).isInstanceOf(String.class);
            assertJsonable(v);
          });
    } else if (o instanceof List<?> l) {
      l.forEach(ExplainTest::assertJsonable);
    } else {
      assertThat(o).isInstanceOfAny(String.class, Number.class, Boolean.class);
    }
  }
}
