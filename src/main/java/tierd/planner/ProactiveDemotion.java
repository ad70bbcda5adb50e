package tierd.planner;

import java.time.Duration;

/**
 * Proactive demotion, when {@code planner.proactiveDemotionAge} is set: COLD data idle that long
 * goes down without pressure, longest idle first, on every node with a slower tier. Once the budget
 * is gone, the rest is held back by it. With classes, a tenant's fast-tier data goes no further
 * than its floor: at or below it, the data stays and the skip says so.
 */
final class ProactiveDemotion {

  private final PlannerConfig config;
  private final NodeTable nodes;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final SkipLog skips;
  private final Tenants tenants;

  ProactiveDemotion(
      PlannerConfig config,
      NodeTable nodes,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      SkipLog skips,
      Tenants tenants) {
    this.config = config;
    this.nodes = nodes;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.skips = skips;
    this.tenants = tenants;
  }

  void run() {
    if (config.proactiveDemotionAge().isEmpty()) {
      return;
    }
    Duration age = config.proactiveDemotionAge().get();
    long ageNanos = age.toNanos();
    Demotion.Purpose purpose =
        new Demotion.Purpose(
            ReasonCode.COLD_PROACTIVE, "idle ≥ proactive age " + Texts.duration(age));
    for (int node : nodes.fastestFirst()) {
      if (!nodes.hasSlowerTier(node)) {
        continue;
      }
      CandidateQueue idle =
          entries.coldest(
              node,
              segments,
              segment ->
                  segments.cold(segment)
                      && segments.region(segment).idleAge().toNanos() >= ageNanos);
      boolean budgetGone = false;
      while (!idle.isEmpty()) {
        int entry = idle.poll();
        if (budgetGone) {
          entries.decide(node, entry);
          skips.heldByBudget(entries.segment(node, entry), node, Direction.DEMOTE);
        } else if (tenants.configured()) {
          budgetGone = !demoteAboveFloor(node, entry, purpose);
        } else if (demotion.demote(node, entry, purpose) instanceof Demotion.BudgetExhausted) {
          budgetGone = true;
        }
      }
    }
  }

  /**
   * Demotes an entry no further than its tenant's floor, or holds it back when the tenant is at or
   * below it; false once the budget is gone.
   */
  private boolean demoteAboveFloor(int node, int entry, Demotion.Purpose purpose) {
    int segment = entries.segment(node, entry);
    int tenant = tenants.tenantOf(segment);
    if (tenants.fast(node) && tenants.atOrBelowFloor(tenant)) {
      entries.decide(node, entry);
      skips.skip(
          segment,
          node,
          Direction.DEMOTE,
          segments.bytes(segment, node),
          SkipReason.TENANT_FLOOR,
          () -> tenants.floorText(tenant) + ": not demoted");
      return true;
    }
    long limitBytes = tenants.fast(node) ? tenants.aboveFloorBytes(tenant) : Long.MAX_VALUE;
    return !(demotion.demote(node, entry, purpose, limitBytes) instanceof Demotion.BudgetExhausted);
  }
}
