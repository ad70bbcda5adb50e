package tierd.planner;

/**
 * Tenants over their ceiling (classes only): a tenant whose fast-tier bytes are above its ceiling
 * demotes its coldest data there — COLD by idle age, then WARM and HOT by rising heat — down to the
 * ceiling and no further (the last region only in the part that is needed), within the budgets.
 * Runs after pressure relief and before the promotions, so the room it frees serves the others.
 * Data a rule holds back is reported as a skip that names the ceiling.
 */
final class CeilingDemotion {

  private final NodeTable nodes;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final Tenants tenants;

  CeilingDemotion(
      NodeTable nodes,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      Tenants tenants) {
    this.nodes = nodes;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.tenants = tenants;
  }

  void run() {
    for (int tenant = 0; tenant < tenants.count(); tenant++) {
      if (tenants.overCeilingBytes(tenant, 0) > 0 && !demoteToCeiling(tenant)) {
        return; // the budget is gone
      }
    }
  }

  /** Demotes the tenant's coldest fast data to its ceiling; false once the budget is gone. */
  private boolean demoteToCeiling(int tenant) {
    Demotion.Purpose purpose =
        new Demotion.Purpose(ReasonCode.TENANT_CEILING, tenants.ceilingText(tenant));
    for (int node : nodes.fastestFirst()) {
      long needBytes = tenants.overCeilingBytes(tenant, 0);
      if (needBytes <= 0) {
        return true;
      }
      if (!tenants.fast(node) || !nodes.hasSlowerTier(node)) {
        continue;
      }
      CandidateQueue coldest =
          entries.coldest(node, segments, segment -> tenants.tenantOf(segment) == tenant);
      while (needBytes > 0 && !coldest.isEmpty()) {
        Demotion.Outcome outcome = demotion.demote(node, coldest.poll(), purpose, needBytes);
        if (outcome instanceof Demotion.BudgetExhausted) {
          return false;
        }
        needBytes = tenants.overCeilingBytes(tenant, 0);
      }
    }
    return true;
  }
}
