package tierd.planner;

import java.time.Duration;

/**
 * Proactive demotion, when {@code planner.proactiveDemotionAge} is set: COLD data idle that long
 * goes down without pressure, longest idle first, on every node with a slower tier. Once the budget
 * is gone, the rest is held back by it.
 */
final class ProactiveDemotion {

  private final PlannerConfig config;
  private final NodeTable nodes;
  private final Segments segments;
  private final DemotionEntries entries;
  private final Demotion demotion;
  private final SkipLog skips;

  ProactiveDemotion(
      PlannerConfig config,
      NodeTable nodes,
      Segments segments,
      DemotionEntries entries,
      Demotion demotion,
      SkipLog skips) {
    this.config = config;
    this.nodes = nodes;
    this.segments = segments;
    this.entries = entries;
    this.demotion = demotion;
    this.skips = skips;
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
        } else if (demotion.demote(node, entry, purpose) instanceof Demotion.BudgetExhausted) {
          budgetGone = true;
        }
      }
    }
  }
}
