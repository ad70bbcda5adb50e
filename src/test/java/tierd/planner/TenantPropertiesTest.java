package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.MiB;
import static tierd.planner.Fixtures.PAGE;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.topology.Topology;

/**
 * The tenant rules over thousands of seeded random worlds with classes ({@link RandomClasses}): on
 * top of every invariant of {@link PlannerPropertiesTest}, each tenant's fast-tier bytes are
 * followed move by move through the plan, in its order. A failure names its seed; {@code
 * RandomClasses.world(seed)} rebuilds the world.
 */
class TenantPropertiesTest {

  static final int WORLDS = 2000;

  /** How far one move may overshoot a floor or ceiling: its aligned end, at most one 2 MiB unit. */
  static final long ONE_UNIT_BYTES = 2 * MiB + PAGE;

  private int ceilingDemotions;
  private int withinTenant;
  private int belowFloorForRoom;

  @Test
  void tenantRulesHoldOverRandomWorldsWithClasses() {
    List<String> failures = new ArrayList<>();
    List<MigrationPlan> plans = new ArrayList<>();
    for (long seed = 1; seed <= WORLDS && failures.size() < 5; seed++) {
      RandomWorld w = RandomClasses.world(seed);
      try {
        MigrationPlan plan = PlannerPropertiesTest.check(w);
        checkTenants(w, plan);
        plans.add(plan);
      } catch (AssertionError | RuntimeException e) {
        failures.add("seed " + seed + ": " + e);
      }
    }
    assertThat(failures).as("failing seeds (RandomClasses.world(seed))").isEmpty();
    // the worlds must reach every tenant rule, not pass vacuously
    long ceilingSkips = skips(plans, SkipReason.TENANT_CEILING);
    long floorSkips = skips(plans, SkipReason.TENANT_FLOOR);
    assertThat(ceilingDemotions).as("demotions down to a ceiling").isGreaterThan(20);
    assertThat(withinTenant).as("promotions exchanged within their tenant").isGreaterThan(5);
    assertThat(belowFloorForRoom).as("room demotions of a tenant below its floor").isPositive();
    assertThat(ceilingSkips).as("promotions held at a ceiling").isGreaterThan(20);
    assertThat(floorSkips).as("proactive demotions held at a floor").isGreaterThan(5);
  }

  private static long skips(List<MigrationPlan> plans, SkipReason reason) {
    return plans.stream().mapToLong(p -> p.skipCounts().getOrDefault(reason, 0L)).sum();
  }

  /**
   * Follows each tenant's fast bytes through the plan: a promotion into the fast tier never leaves
   * its tenant above its ceiling; a ceiling demotion starts above the ceiling and stops at it; a
   * proactive demotion starts above the floor and stops at it; a room demotion of a tenant at or
   * below its floor says so; the plan's projection is where the moves lead.
   */
  private void checkTenants(RandomWorld w, MigrationPlan plan) {
    List<TenantShare> shares = plan.tenants();
    assertThat(shares).hasSize(w.tenancy.tenants().size());
    long[] fastBytes = new long[shares.size()];
    for (int tenant = 0; tenant < shares.size(); tenant++) {
      fastBytes[tenant] = shares.get(tenant).fastBytes();
      if (shares.get(tenant).floorBytes() >= 0 && shares.get(tenant).ceilingBytes() >= 0) {
        assertThat(shares.get(tenant).floorBytes())
            .isLessThanOrEqualTo(shares.get(tenant).ceilingBytes());
      }
    }
    Topology topo = w.topology;
    for (Move m : plan.moves()) {
      int tenant = w.tenancy.tenantOfPid().get(m.pid());
      TenantShare share = shares.get(tenant);
      boolean fromFast = topo.rankOf(m.fromNodes().toArray()[0]) == 0;
      boolean toFast = topo.rankOf(m.toNode()) == 0;
      long before = fastBytes[tenant];
      if (toFast && !fromFast) {
        fastBytes[tenant] += m.bytes();
        if (share.ceilingBytes() >= 0) {
          assertThat(fastBytes[tenant])
              .as(() -> "promotion leaves tenant " + share.name() + " within its ceiling: " + m)
              .isLessThanOrEqualTo(share.ceilingBytes());
        }
        if (m.reason().text().contains("exchanged within the tenant")) {
          withinTenant++;
        }
      } else if (fromFast && !toFast) {
        fastBytes[tenant] -= m.bytes();
        checkDemotion(m, share, before, fastBytes[tenant]);
      }
    }
    for (int tenant = 0; tenant < shares.size(); tenant++) {
      assertThat(shares.get(tenant).projectedFastBytes())
          .as("projection of tenant %s", shares.get(tenant).name())
          .isEqualTo(fastBytes[tenant]);
    }
    for (Skip skip : plan.skipped()) {
      TenantShare share = shares.get(w.tenancy.tenantOfPid().get(skip.pid()));
      if (skip.reason() == SkipReason.TENANT_FLOOR) {
        assertThat(share.floorBytes()).as(() -> "floor of " + skip).isPositive();
        assertThat(skip.text()).contains("tenant " + share.name() + " below floor");
      } else if (skip.reason() == SkipReason.TENANT_CEILING) {
        assertThat(share.ceilingBytes()).as(() -> "ceiling of " + skip).isNotNegative();
        assertThat(skip.text()).contains("tenant " + share.name());
      }
    }
  }

  private void checkDemotion(Move m, TenantShare share, long beforeBytes, long afterBytes) {
    ReasonCode code = m.reason().code();
    if (code == ReasonCode.TENANT_CEILING) {
      ceilingDemotions++;
      assertThat(beforeBytes)
          .as(() -> "over its ceiling before " + m)
          .isGreaterThan(share.ceilingBytes());
      assertThat(afterBytes)
          .as(() -> "not below its ceiling by more than a unit after " + m)
          .isGreaterThan(share.ceilingBytes() - ONE_UNIT_BYTES);
    } else if (code == ReasonCode.COLD_PROACTIVE && share.floorBytes() > 0) {
      assertThat(beforeBytes)
          .as(() -> "above its floor before " + m)
          .isGreaterThan(share.floorBytes());
      assertThat(afterBytes)
          .as(() -> "not below its floor by more than a unit after " + m)
          .isGreaterThan(share.floorBytes() - ONE_UNIT_BYTES);
    } else if ((code == ReasonCode.EXCHANGE || code == ReasonCode.COLD_PRESSURE)
        && share.floorBytes() > 0
        && beforeBytes <= share.floorBytes()
        && !m.reason().text().contains("making room within tenant")) {
      belowFloorForRoom++;
      assertThat(m.reason().text())
          .as(() -> "a room demotion below the floor says so: " + m)
          .contains("tenant " + share.name() + " below floor");
    }
  }
}
