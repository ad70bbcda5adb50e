package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;

/**
 * The order data leaves DRAM node 1 for room: pid 1 has 64 MiB there idle 2 hours, pid 3 64 MiB
 * idle 20 minutes (TenantRulesTest's world, whose node 1 is full).
 */
class RoomVictimsTest {

  static final List<ManagedProcess> PROCESSES =
      List.of(
          TenantRulesTest.coldOnNode1(1, 64 * MiB),
          TenantRulesTest.hotBelow(),
          TenantRulesTest.coldOnNode1(3, 64 * MiB));

  static final List<ScoredRegion> REGIONS =
      List.of(
          cold(1, BASE, 64 * MiB, Duration.ofHours(2)),
          hot(2, BASE, 8 * MiB, 0.9),
          cold(3, BASE, 64 * MiB, Duration.ofMinutes(20)));

  /** The pids in the order the victims of node 1 come, and whether each was at its floor. */
  static List<String> order(List<TenantClass> classes) {
    PlanInput input =
        Fixtures.input(Fixtures.roomyBox(), PROCESSES, REGIONS)
            .withTenancy(Tenancy.assign(classes, PROCESSES, pid -> ""));
    PlanningRun run = new PlanningRun(TenantRulesTest.CONFIG, input, PlannerState.initial());
    int node = run.nodes.slotOf(1);
    RoomVictims victims =
        RoomVictims.of(node, run.segments::roomVictim, run.demotions, run.segments, run.tenants);
    List<String> out = new ArrayList<>();
    for (int entry = victims.next(1.0); entry >= 0; entry = victims.next(1.0)) {
      int pid = run.segments.process(run.demotions.segment(node, entry)).pid();
      out.add(pid + (victims.lastBelowFloor() ? " at its floor" : ""));
    }
    return out;
  }

  @Test
  void withoutClassesTheColdestComesFirst() {
    assertThat(order(List.of())).containsExactly("1", "3");
  }

  @Test
  void aTenantAtItsFloorGivesOnlyAfterTheOthers() {
    List<TenantClass> classes =
        List.of(TenantRulesTest.tenantClass("web", "1", FastShare.ofBytes(64 * MiB), null, 0));

    assertThat(order(classes)).containsExactly("3", "1 at its floor");
  }

  @Test
  void lowerPriorityGivesFirst() {
    List<TenantClass> classes =
        List.of(
            TenantRulesTest.tenantClass("db", "1", null, null, 5),
            TenantRulesTest.tenantClass("batch", "3", null, null, -1));

    assertThat(order(List.of())).startsWith("1");
    assertThat(order(classes)).containsExactly("3", "1");
  }
}
