package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.GiB;
import static tierd.planner.Fixtures.MiB;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.topology.Topology;

/**
 * The capacity-relief step alone, on the reference box with compressed-CXL node 3 demotion-only
 * (holding 8 GiB) and pid 1's HOT, WARM and COLD 64 MiB buffers on it.
 */
class CapacityReliefTest {

  static final Topology BOX = Fixtures.box(6 * GiB, 6 * GiB, 12 * GiB, 24 * GiB);

  static PlanningRun run(long capacityBytes, PlannerState state) {
    PlanInput input =
        Fixtures.input(
                BOX,
                List.of(DemotionOnlyNodeTest.threeBuffersOn(3)),
                DemotionOnlyNodeTest.HOT_WARM_COLD)
            .withCapacities(Map.of(3, capacityBytes));
    return new PlanningRun(DemotionOnlyNodeTest.demotionOnly(3), input, state);
  }

  @Test
  void theExcessIsWhatTheNodeHoldsByThePlanBeyondItsCapacity() {
    PlanningRun run = run(8 * GiB - 100 * MiB, PlannerState.initial());
    assertThat(run.capacityRelief.excessBytes(3)).isEqualTo(100 * MiB);
    assertThat(run.capacityRelief.excessBytes(2)).as("not demotion-only").isZero();
    run.promotion.run(); // the HOT 64 MiB leave first
    assertThat(run.capacityRelief.excessBytes(3)).isEqualTo(36 * MiB);
    run.capacityRelief.run();
    assertThat(run.capacityRelief.excessBytes(3)).isZero();
  }

  @Test
  void withinItsCapacityNothingMoves() {
    PlanningRun run = run(8 * GiB, PlannerState.initial());
    run.capacityRelief.run();
    assertThat(run.ledger.planned()).isEmpty();
  }

  @Test
  void theRestGoesUpHottestFirstAndOnlyAsMuchAsTheExcess() {
    PlanningRun run = run(8 * GiB - 100 * MiB, PlannerState.initial());
    run.capacityRelief.run(); // alone: the HOT buffer is Promotion's, not this step's
    assertThat(Fixtures.booked(run))
        .containsExactly(
            "1 3→0 OVER_CAPACITY_PROMOTE " + 64 * MiB, "1 3→0 OVER_CAPACITY_PROMOTE " + 36 * MiB);
    assertThat(run.ledger.planned().get(0).end())
        .as("the WARM buffer first")
        .isEqualTo(Fixtures.BASE + GiB + 64 * MiB);
  }

  @Test
  void dataDemotedThereRecentlyStillLeavesAndCountsAsAPingPong() {
    // the buffer at BASE, WARM now, was demoted a minute ago (PlannerRulesTest's 64 MiB at BASE):
    // the capacity is a hard limit, the residency rule does not hold it there
    PlannerState moved = PlannerRulesTest.movedAgo(1, Direction.DEMOTE, Duration.ofMinutes(1));
    PlanInput input =
        Fixtures.input(
                BOX,
                List.of(DemotionOnlyNodeTest.threeBuffersOn(3)),
                List.of(
                    Fixtures.warm(1, Fixtures.BASE, 64 * MiB, 0.2),
                    Fixtures.cold(1, Fixtures.BASE + GiB, 64 * MiB, Duration.ofMinutes(30))))
            .withCapacities(Map.of(3, 8 * GiB - 100 * MiB));
    MigrationPlan plan =
        new Planner(DemotionOnlyNodeTest.demotionOnly(3)).plan(input, moved).plan();
    assertThat(plan.moves())
        .extracting(m -> m.reason().code() + " " + m.bytes() + " pingPong=" + m.pingPong())
        .containsExactly(
            "OVER_CAPACITY_PROMOTE " + 64 * MiB + " pingPong=true",
            "OVER_CAPACITY_PROMOTE " + 36 * MiB + " pingPong=false");
  }

  /** pid {@code pid}: one WARM 64 MiB buffer on node 3 at BASE. */
  static ManagedProcess warmOn3(int pid) {
    return Fixtures.process(
        pid,
        Fixtures.ALL,
        List.of(
            Fixtures.vma(Fixtures.BASE, 64 * MiB, MemPolicy.DEFAULT, Fixtures.on(3, 64 * MiB))));
  }

  static List<String> relief(long capacityBytes, List<TenantClass> classes) {
    List<ManagedProcess> processes = List.of(warmOn3(1), warmOn3(2));
    PlanInput input =
        Fixtures.input(
                BOX,
                processes,
                List.of(
                    Fixtures.warm(1, Fixtures.BASE, 64 * MiB, 0.3),
                    Fixtures.warm(2, Fixtures.BASE, 64 * MiB, 0.2)))
            .withCapacities(Map.of(3, capacityBytes))
            .withTenancy(Tenancy.assign(classes, processes, pid -> ""));
    PlanningRun run =
        new PlanningRun(DemotionOnlyNodeTest.demotionOnly(3), input, PlannerState.initial());
    run.capacityRelief.run();
    return Fixtures.booked(run);
  }

  @Test
  void dataOfATenantAtItsCeilingGoesUpAfterEveryoneElsesAndStillGoesWhenNothingElseIsLeft() {
    // node 3 holds 8 GiB: 32 MiB over takes part of one buffer, 96 MiB over all of one and more
    List<TenantClass> capped =
        List.of(TenantRulesTest.tenantClass("batch", "1", null, FastShare.ofBytes(0), 0));
    assertThat(relief(8 * GiB - 32 * MiB, List.of()))
        .as("no classes: the warmer pid 1 first")
        .containsExactly("1 3→0 OVER_CAPACITY_PROMOTE " + 32 * MiB);
    assertThat(relief(8 * GiB - 32 * MiB, capped))
        .as("pid 1 at its ceiling: pid 2 instead")
        .containsExactly("2 3→0 OVER_CAPACITY_PROMOTE " + 32 * MiB);
    assertThat(relief(8 * GiB - 96 * MiB, capped))
        .as("the capacity is a hard limit: pid 1's data goes too, last")
        .containsExactly(
            "2 3→0 OVER_CAPACITY_PROMOTE " + 64 * MiB, "1 3→0 OVER_CAPACITY_PROMOTE " + 32 * MiB);
  }
}
