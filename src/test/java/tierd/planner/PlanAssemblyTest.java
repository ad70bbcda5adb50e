package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.T0;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

/** The booked moves as a plan: moves, projections, summary, and the state for the next cycle. */
class PlanAssemblyTest {

  @Test
  void theBooksBecomeThePlanAndTheNextState() {
    // node 0 under pressure: 16 MiB of COLD data go down; 8 MiB of HOT data come up to node 1;
    // the HOT range was demoted 10 minutes ago, so its promotion is a ping-pong
    PlannerState demoted = PlannerRulesTest.movedAgo(2, Direction.DEMOTE, Duration.ofMinutes(10));
    PlanInput input =
        Fixtures.input(
            Fixtures.box(50 * MiB, 6 * GiB, 12 * GiB, 24 * GiB),
            List.of(
                process(1, ALL, List.of(vma(BASE, 16 * MiB, MemPolicy.DEFAULT, on(0, 16 * MiB)))),
                process(
                    2,
                    NodeSet.of(1, 2, 3),
                    List.of(vma(BASE, 8 * MiB, MemPolicy.DEFAULT, on(2, 8 * MiB))))),
            List.of(cold(1, BASE, 16 * MiB, Duration.ofMinutes(5)), hot(2, BASE, 8 * MiB, 0.9)));
    PlanningRun run = new PlanningRun(PlannerConfig.defaults(), input, demoted);
    PlanResult result = run.plan();
    MigrationPlan plan = result.plan();

    assertThat(plan.at()).isEqualTo(T0);
    assertThat(plan.moves())
        .extracting(m -> m.pid() + " " + m.fromNodes() + "→" + m.toNode() + " " + m.pingPong())
        .containsExactly("1 0→2 false", "2 2→1 true");
    Move up = plan.moves().get(1);
    assertThat(up.ranges()).containsExactly(AddressRange.ofSize(BASE, 8 * MiB));
    assertThat(up.startTimeTicks()).isEqualTo(Fixtures.startTime(2));
    assertThat(up.pageBytes()).isEqualTo(4096);
    assertThat(up.thpAligned()).isTrue();
    assertThat(up.moveAll()).isFalse();
    assertThat(up.reason().code()).isEqualTo(ReasonCode.HOT);

    MigrationPlan.Summary summary = plan.summary();
    assertThat(summary.promoteBytes()).isEqualTo(8 * MiB);
    assertThat(summary.demoteBytes()).isEqualTo(16 * MiB);
    assertThat(summary.promotionDemandBytes()).isEqualTo(8 * MiB);
    assertThat(summary.pingPongs()).isEqualTo(1);
    assertThat(summary.regions()).isEqualTo(2);
    assertThat(summary.segments()).isEqualTo(2);
    assertThat(summary.staleRegions()).isZero();
    assertThat(summary.cycleCapBytes()).isEqualTo(2 * GiB);
    assertThat(summary.thresholds()).isEqualTo(Fixtures.thresholds());
    assertThat(summary.nodes().get(0))
        .isEqualTo(
            new MigrationPlan.NodeProjection(
                0, 0, 8 * GiB, 50 * MiB, 66 * MiB, 8 * GiB / 100, 8 * GiB * 3 / 200, 8 * GiB));
    assertThat(summary.nodes().get(1).projectedFreeBytes()).isEqualTo(6 * GiB - 8 * MiB);

    PlannerState next = result.next();
    assertThat(next.promoteBudget().tokensBytes())
        .isEqualTo(summary.promoteTokensBytes() - 8 * MiB);
    assertThat(next.demoteBudget().tokensBytes()).isEqualTo(summary.demoteTokensBytes() - 16 * MiB);
    assertThat(next.pingPongsTotal()).isEqualTo(1);
    // the promoted 8 MiB now, the rest of the old 64 MiB demotion as it was
    assertThat(next.residency().entries(new ProcessId(2, Fixtures.startTime(2))))
        .extracting(e -> e.range() + " " + e.direction() + " " + e.movedAt() + " " + e.toNode())
        .containsExactly(
            AddressRange.ofSize(BASE, 8 * MiB) + " PROMOTE " + T0 + " 1",
            new AddressRange(BASE + 8 * MiB, BASE + 64 * MiB)
                + " DEMOTE "
                + T0.minus(Duration.ofMinutes(10))
                + " 2");
  }
}
