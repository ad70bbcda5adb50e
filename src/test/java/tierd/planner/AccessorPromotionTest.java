package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.CpuList;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;
import tierd.process.ProcessCpus;
import tierd.topology.Topology;

/**
 * Promotion toward the accessor on the reference box (DRAM nodes 0 and 1 with CPUs, CXL node 2
 * nearer to node 0 by SLIT: 17 against 28): pid 1's 64 MiB of HOT data on node 2 goes to the DRAM
 * node nearest the CPUs its threads ran on, within cpuset and policy, else where static topology
 * says.
 */
class AccessorPromotionTest {

  static final long SIZE = 64 * MiB;

  static ManagedProcess hotOnCxl(MemPolicy policy) {
    return process(1, ALL, List.of(vma(BASE, SIZE, policy, on(2, SIZE))));
  }

  /** pid 1's threads: {@code ticks} CPU ticks per node, last on CPU {@code 4 × node}. */
  static ProcessCpus ranOn(Map<Integer, Long> ticksByNode) {
    Map<Integer, CpuList> last = Map.of(0, CpuList.of(0), 1, CpuList.of(4));
    return new ProcessCpus(
        1, Fixtures.startTime(1), CpuList.parse("0-7"), NodeSet.of(0, 1), ticksByNode, last);
  }

  static Move onlyMove(Topology topology, ManagedProcess process, Map<Integer, ProcessCpus> cpus) {
    PlanInput input =
        Fixtures.input(topology, List.of(process), List.of(hot(1, BASE, SIZE, 0.9))).withCpus(cpus);
    List<Move> moves =
        new Planner(PlannerConfig.defaults()).plan(input, PlannerState.initial()).plan().moves();
    assertThat(moves).hasSize(1);
    return moves.get(0);
  }

  @Test
  void withoutThreadPlacementTheNodeNearestTheDataWins() {
    Move move = onlyMove(Fixtures.roomyBox(), hotOnCxl(MemPolicy.DEFAULT), Map.of());
    assertThat(move.toNode()).isZero();
    assertThat(move.reason().text()).contains("→ node 0 (tier 0, nearest faster allowed, ");
  }

  @Test
  void aProcessRunningOnNode1HasItsHotDataPromotedToNode1() {
    Move move =
        onlyMove(
            Fixtures.roomyBox(), hotOnCxl(MemPolicy.DEFAULT), Map.of(1, ranOn(Map.of(1, 90L))));
    assertThat(move.toNode()).isEqualTo(1);
    assertThat(move.reason().text())
        .contains("→ node 1 (tier 0, nearest to the CPUs pid 1 runs on: 4 (node 1), ");
  }

  @Test
  void threadsSpanningSocketsGoWhereMostOfTheCpuTimeRan() {
    Move move =
        onlyMove(
            Fixtures.roomyBox(),
            hotOnCxl(MemPolicy.DEFAULT),
            Map.of(1, ranOn(Map.of(0, 30L, 1, 70L))));
    assertThat(move.toNode()).isEqualTo(1);
    assertThat(move.reason().text())
        .contains("nearest to the CPUs pid 1 runs on: 4 (node 1, 70% of its CPU time)");
  }

  @Test
  void whenTheAccessorsNodeIsFullTheNextNearestTakesIt() {
    Move move =
        onlyMove(
            Fixtures.box(6 * GiB, 100 * MiB, 12 * GiB, 24 * GiB),
            hotOnCxl(MemPolicy.DEFAULT),
            Map.of(1, ranOn(Map.of(1, 90L))));
    assertThat(move.toNode()).isZero();
    assertThat(move.reason().text())
        .contains("2nd nearest to the CPUs pid 1 runs on: 4 (node 1), nearer ones full");
  }

  @Test
  void thePolicyStillWins() {
    MemPolicy preferNode0 = MemPolicy.parse("prefer (many):0");
    Move move =
        onlyMove(Fixtures.roomyBox(), hotOnCxl(preferNode0), Map.of(1, ranOn(Map.of(1, 90L))));
    assertThat(move.toNode()).as("prefer (many):0 allows promotion only into node 0").isZero();
  }

  @Test
  void placementOfAnotherProcessWithTheSamePidIsIgnored() {
    ProcessCpus reused =
        new ProcessCpus(
            1, 99, CpuList.of(4), NodeSet.of(1), Map.of(1, 90L), Map.of(1, CpuList.of(4)));
    Move move = onlyMove(Fixtures.roomyBox(), hotOnCxl(MemPolicy.DEFAULT), Map.of(1, reused));
    assertThat(move.toNode()).isZero();
  }

  @Test
  void aProcessThatMovedSocketsHasItsDataFollowOnlyOnceTheResidencyAllows() {
    // a minute ago its hot data went 0 → 2 (demoted); its threads now run on node 1
    PlannerState demoted = PlannerRulesTest.movedAgo(1, Direction.DEMOTE, Duration.ofMinutes(1));
    PlanInput input =
        Fixtures.input(
                Fixtures.roomyBox(),
                List.of(hotOnCxl(MemPolicy.DEFAULT)),
                List.of(hot(1, BASE, SIZE, 0.9)))
            .withCpus(Map.of(1, ranOn(Map.of(1, 90L))));
    Planner planner = new Planner(PlannerConfig.defaults());
    MigrationPlan soon = planner.plan(input, demoted).plan();
    assertThat(soon.moves()).isEmpty();
    assertThat(soon.skipped()).extracting(Skip::reason).containsExactly(SkipReason.RESIDENCY);

    PlanInput later =
        new PlanInput(
            T0.plus(Duration.ofMinutes(2)),
            input.topology(),
            input.processes(),
            input.regions(),
            input.thresholds(),
            input.placements(),
            input.tenancy(),
            input.cpus(),
            Map.of());
    MigrationPlan afterResidency = planner.plan(later, demoted).plan();
    assertThat(afterResidency.moves()).extracting(Move::toNode).containsExactly(1);
  }
}
