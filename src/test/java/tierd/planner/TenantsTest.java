package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;

class TenantsTest {

  /** pid 1 (web: floor 50 %, ceiling 48 MiB): 64 MiB, 40 MiB of it on node 0 (tier 0). */
  static PlanningRun run() {
    ManagedProcess web =
        process(
            1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 40 * MiB, 2, 24 * MiB))));
    ManagedProcess other =
        process(2, ALL, List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(1, 8 * MiB))));
    List<TenantClass> classes =
        List.of(
            TenantRulesTest.tenantClass(
                "web", "1", FastShare.ofResident(0.5), FastShare.ofBytes(48 * MiB), 3));
    PlanInput input =
        Fixtures.input(
                Fixtures.roomyBox(),
                List.of(web, other),
                List.of(
                    cold(1, BASE, 64 * MiB, Duration.ofHours(1)),
                    cold(2, BASE, 8 * MiB, Duration.ofHours(1))))
            .withTenancy(Tenancy.assign(classes, List.of(web, other), pid -> ""));
    return new PlanningRun(PlannerConfig.defaults(), input, PlannerState.initial());
  }

  @Test
  void floorsAndCeilingsResolveToBytesAtTheStart() {
    Tenants tenants = run().tenants;
    assertThat(tenants.count()).isEqualTo(2);
    assertThat(tenants.name(0)).isEqualTo("web");
    assertThat(tenants.priority(0)).isEqualTo(3);
    assertThat(tenants.fastBytes(0)).isEqualTo(40 * MiB);
    assertThat(tenants.floorBytes(0)).as("50 % of 64 MiB").isEqualTo(32 * MiB);
    assertThat(tenants.ceilingBytes(0)).isEqualTo(48 * MiB);
    assertThat(tenants.aboveFloorBytes(0)).isEqualTo(8 * MiB);
    assertThat(tenants.atOrBelowFloor(0)).isFalse();
    assertThat(tenants.overCeilingBytes(0, 16 * MiB)).isEqualTo(8 * MiB);
    assertThat(tenants.floorBytes(1)).as("default: no floor").isZero();
    assertThat(tenants.aboveFloorBytes(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(tenants.overCeilingBytes(1, GiB)).as("no ceiling").isNegative();
  }

  @Test
  void bookedMovesChangeFastBytesAndARollbackTakesThemBack() {
    PlanningRun run = run();
    Tenants tenants = run.tenants;
    int segment = 0; // pid 1's only segment
    assertThat(tenants.tenantOf(segment)).isZero();
    int mark = run.ledger.mark();
    run.ledger.apply(
        new Ledger.PlannedMove(
            segment,
            0,
            2,
            run.segments.end(segment),
            16 * MiB,
            Direction.DEMOTE,
            ReasonCode.COLD_PROACTIVE,
            "t"));
    assertThat(tenants.fastBytes(0)).isEqualTo(24 * MiB);
    assertThat(tenants.atOrBelowFloor(0)).isTrue();
    assertThat(tenants.floorText(0)).isEqualTo("tenant web below floor 50 % = 32MiB (24MiB fast)");
    run.ledger.apply(
        new Ledger.PlannedMove(
            segment,
            2,
            3,
            run.segments.end(segment),
            4 * MiB,
            Direction.DEMOTE,
            ReasonCode.COLD_PROACTIVE,
            "t"));
    assertThat(tenants.fastBytes(0))
        .as("tier 1 to tier 2 leaves the fast tier alone")
        .isEqualTo(24 * MiB);
    run.ledger.rollbackTo(mark);
    assertThat(tenants.fastBytes(0)).isEqualTo(40 * MiB);
    assertThat(tenants.ceilingText(0)).isEqualTo("tenant web at ceiling 48MiB (40MiB fast)");
  }

  @Test
  void withoutClassesNothingIsTracked() {
    Tenants none = Tenants.none();
    assertThat(none.configured()).isFalse();
    assertThat(none.count()).isZero();
    assertThat(none.shares(List.of())).isEmpty();
  }
}
