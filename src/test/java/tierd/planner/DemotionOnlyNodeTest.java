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
import static tierd.planner.Fixtures.warm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;
import tierd.topology.Topology;

/**
 * Demotion-only nodes with a live capacity on the reference box (DRAM 0 and 1, CXL 2, compressed
 * CXL 3): only demotion fills them, demotion stops at their capacity, and when the capacity shrinks
 * below what they hold their data leaves: HOT up first, then down when a lower tier exists, then
 * the hottest of the rest up.
 */
class DemotionOnlyNodeTest {

  static final long SIZE = 64 * MiB;

  static PlannerConfig demotionOnly(int... nodes) {
    Map<Integer, CapacitySource> sources = new java.util.TreeMap<>();
    for (int node : nodes) {
      sources.put(node, new CapacitySource.FromFile(Path.of("/run/cxl" + node + "/usable_bytes")));
    }
    return PlannerConfig.builder().demotionOnly(sources).build();
  }

  /** pid 1: three 64 MiB VMAs on {@code node}, HOT, WARM and COLD (idle 30 min). */
  static ManagedProcess threeBuffersOn(int node) {
    return process(
        1,
        ALL,
        List.of(
            vma(BASE, SIZE, MemPolicy.DEFAULT, on(node, SIZE)),
            vma(BASE + GiB, SIZE, MemPolicy.DEFAULT, on(node, SIZE)),
            vma(BASE + 2 * GiB, SIZE, MemPolicy.DEFAULT, on(node, SIZE))));
  }

  static final List<ScoredRegion> HOT_WARM_COLD =
      List.of(
          hot(1, BASE, SIZE, 0.9),
          warm(1, BASE + GiB, SIZE, 0.2),
          cold(1, BASE + 2 * GiB, SIZE, Duration.ofMinutes(30)));

  static List<String> plan(
      PlannerConfig config,
      Topology topology,
      List<ManagedProcess> processes,
      List<ScoredRegion> regions,
      Map<Integer, Long> capacityBytes) {
    PlanInput input = Fixtures.input(topology, processes, regions).withCapacities(capacityBytes);
    PlanningRun run = new PlanningRun(config, input, PlannerState.initial());
    run.plan();
    return Fixtures.booked(run);
  }

  @Test
  void nothingIsPromotedIntoADemotionOnlyNode() {
    NodeTable table = new NodeTable(Fixtures.roomyBox(), demotionOnly(2), Map.of(2, 12 * GiB));
    assertThat(table.ids(table.promotionTargets(3))).isEqualTo("0,1");
    assertThat(table.ids(table.demotionTargets(0)))
        .as("demotion still goes there")
        .isEqualTo("2,3");
    List<String> moves =
        plan(
            demotionOnly(2),
            Fixtures.roomyBox(),
            List.of(process(1, ALL, List.of(vma(BASE, SIZE, MemPolicy.DEFAULT, on(3, SIZE))))),
            List.of(hot(1, BASE, SIZE, 0.9)),
            Map.of(2, 12 * GiB));
    assertThat(moves).containsExactly("1 3→0 HOT " + SIZE);
  }

  @Test
  void demotionIntoItStopsAtItsCapacity() {
    // node 0 under pressure with 3 × 64 MiB of cold data; node 2 has room for 100 MiB more
    Topology topology = Fixtures.box(50 * MiB, 6 * GiB, 12 * GiB, 24 * GiB);
    long used2 = 4 * GiB;
    List<ScoredRegion> cold =
        List.of(
            cold(1, BASE, SIZE, Duration.ofMinutes(30)),
            cold(1, BASE + GiB, SIZE, Duration.ofMinutes(20)),
            cold(1, BASE + 2 * GiB, SIZE, Duration.ofMinutes(10)));
    List<String> moves =
        plan(
            demotionOnly(2),
            topology,
            List.of(threeBuffersOn(0)),
            cold,
            Map.of(2, used2 + 100 * MiB));
    assertThat(moves)
        .as("the first region whole, then the prefix of the next that fills the 100 MiB")
        .containsExactly("1 0→2 COLD_PRESSURE " + SIZE, "1 0→2 COLD_PRESSURE " + 36 * MiB);
  }

  @Test
  void withoutAKnownCapacityNothingGoesInAndNothingIsPushedOut() {
    Topology topology = Fixtures.box(50 * MiB, 6 * GiB, 12 * GiB, 24 * GiB);
    List<String> moves =
        plan(
            demotionOnly(2),
            topology,
            List.of(threeBuffersOn(0)),
            List.of(cold(1, BASE, SIZE, Duration.ofMinutes(30))),
            Map.of());
    assertThat(moves).isEmpty();
  }

  @Test
  void aShrunkLowestNodeSendsItsHotDataUpFirstThenTheHottestOfTheRest() {
    // node 3 holds 8 GiB; its capacity shrank to 100 MiB less than that
    Topology topology = Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);
    List<String> moves =
        plan(
            demotionOnly(3),
            topology,
            List.of(threeBuffersOn(3)),
            HOT_WARM_COLD,
            Map.of(3, 8 * GiB - 100 * MiB));
    assertThat(moves)
        .containsExactly(
            "1 3→0 HOT_OVER_FILL_LIMIT " + SIZE, "1 3→0 OVER_CAPACITY_PROMOTE " + 36 * MiB);
  }

  @Test
  void aShrunkMiddleNodeSendsItsHotDataUpAndItsColdestDown() {
    Topology topology = Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);
    List<String> moves =
        plan(
            demotionOnly(2),
            topology,
            List.of(threeBuffersOn(2)),
            HOT_WARM_COLD,
            Map.of(2, 4 * GiB - 100 * MiB));
    assertThat(moves)
        .containsExactly(
            "1 2→0 HOT_OVER_FILL_LIMIT " + SIZE, "1 2→3 OVER_CAPACITY_DEMOTE " + 36 * MiB);
  }

  @Test
  void theReasonSaysWhyTheDataLeaves() {
    Topology topology = Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);
    PlanInput input =
        Fixtures.input(topology, List.of(threeBuffersOn(3)), HOT_WARM_COLD)
            .withCapacities(Map.of(3, 8 * GiB - 100 * MiB));
    MigrationPlan plan = new Planner(demotionOnly(3)).plan(input, PlannerState.initial()).plan();
    assertThat(plan.moves().get(1).reason().text())
        .startsWith(
            "warm (heat 0.20) on node 3 (tier 2, demotion-only node 3 holds 8GiB > its capacity"
                + " now 7.9GiB) → node 0 (tier 0, nearest faster allowed, ");
  }
}
