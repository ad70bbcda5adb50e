package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.ALL;
import static tierd.planner.Fixtures.BASE;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.cold;
import static tierd.planner.Fixtures.hot;
import static tierd.planner.Fixtures.on;
import static tierd.planner.Fixtures.process;
import static tierd.planner.Fixtures.vma;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.MemPolicy;
import tierd.process.ManagedProcess;
import tierd.scoring.ScoredRegion;

/**
 * A tenant over its fast-tier ceiling on the roomy box: pid 1 has 64 MiB on DRAM node 0, 16 MiB
 * idle 2 hours, 16 MiB idle 20 minutes and 32 MiB hot.
 */
class CeilingDemotionTest {

  static final List<ManagedProcess> PROCESSES =
      List.of(process(1, ALL, List.of(vma(BASE, 64 * MiB, MemPolicy.DEFAULT, on(0, 64 * MiB)))));

  static final List<ScoredRegion> REGIONS =
      List.of(
          cold(1, BASE, 16 * MiB, Duration.ofHours(2)),
          cold(1, BASE + 16 * MiB, 16 * MiB, Duration.ofMinutes(20)),
          hot(1, BASE + 32 * MiB, 32 * MiB, 0.9));

  static PlanningRun run(FastShare ceiling) {
    List<TenantClass> classes =
        ceiling == null
            ? List.of()
            : List.of(TenantRulesTest.tenantClass("batch", "1", null, ceiling, 0));
    PlanInput input =
        Fixtures.input(Fixtures.roomyBox(), PROCESSES, REGIONS)
            .withTenancy(Tenancy.assign(classes, PROCESSES, pid -> ""));
    return new PlanningRun(PlannerConfig.defaults(), input, PlannerState.initial());
  }

  @Test
  void theColdestGoesDownToTheCeilingAndNoFurther() {
    PlanningRun run = run(FastShare.ofBytes(40 * MiB));
    run.ceilingDemotion.run();

    assertThat(Fixtures.booked(run))
        .containsExactly("1 0→2 TENANT_CEILING " + 16 * MiB, "1 0→2 TENANT_CEILING " + 8 * MiB);
    assertThat(run.ledger.planned().get(0).text()).contains("ceiling");
  }

  @Test
  void aTenantWithinItsCeilingOrWithoutOneKeepsItsData() {
    PlanningRun within = run(FastShare.ofResident(1.0));
    within.ceilingDemotion.run();
    PlanningRun without = run(null);
    without.ceilingDemotion.run();

    assertThat(within.ledger.planned()).isEmpty();
    assertThat(without.ledger.planned()).isEmpty();
  }
}
