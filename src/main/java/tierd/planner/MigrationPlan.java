package tierd.planner;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.Thresholds;

/**
 * The planner's output: every decision as data. Moves are in the order they were planned (pressure
 * demotions, then promotions with the exchanges that made room for them, then proactive demotions);
 * the mover may regroup them by target node.
 *
 * @param at the cycle's time
 * @param moves planned moves, each with its reason
 * @param skipped skipped candidates, at most {@code maxSkipsListed} of them
 * @param skipCounts every skipped candidate, counted per reason (listed or not)
 * @param skipBytes bytes of skipped candidates per reason
 * @param skipsNotListed skipped candidates counted but not listed
 * @param summary totals, budgets and the projected state of each node
 * @param tenants each tenant's fast-tier share before and after the plan (empty without classes)
 */
public record MigrationPlan(
    Instant at,
    List<Move> moves,
    List<Skip> skipped,
    Map<SkipReason, Long> skipCounts,
    Map<SkipReason, Long> skipBytes,
    long skipsNotListed,
    Summary summary,
    List<TenantShare> tenants) {

  public MigrationPlan {
    tenants = List.copyOf(tenants);
    moves = List.copyOf(moves);
    skipped = List.copyOf(skipped);
    skipCounts = Collections.unmodifiableMap(new EnumMap<>(orEmpty(skipCounts)));
    skipBytes = Collections.unmodifiableMap(new EnumMap<>(orEmpty(skipBytes)));
  }

  /** A plan without classes. */
  public MigrationPlan(
      Instant at,
      List<Move> moves,
      List<Skip> skipped,
      Map<SkipReason, Long> skipCounts,
      Map<SkipReason, Long> skipBytes,
      long skipsNotListed,
      Summary summary) {
    this(at, moves, skipped, skipCounts, skipBytes, skipsNotListed, summary, List.of());
  }

  private static Map<SkipReason, Long> orEmpty(Map<SkipReason, Long> m) {
    return m.isEmpty() ? new EnumMap<>(SkipReason.class) : m;
  }

  /**
   * Totals of one plan.
   *
   * @param promoteBytes bytes planned to move up
   * @param demoteBytes bytes planned to move down
   * @param promotionDemandBytes bytes of HOT data below that policy and cpuset would let move up
   *     (before residency, room and budgets)
   * @param promotionBudgetEarnedBytes promotion bytes the bucket earned since the last plan
   * @param promoteTokensBytes promotion bucket level at the start of the cycle
   * @param demoteTokensBytes demotion bucket level at the start of the cycle
   * @param cycleCapBytes the per-cycle cap
   * @param pingPongs moves in this plan that reverse their range's previous move
   * @param regions scored regions given
   * @param segments region pieces (region ∩ VMA) the planner looked at
   * @param staleRegions regions of processes not managed now (or with another start time)
   * @param thresholds the scoring thresholds the plan used
   * @param nodes each node before and after the plan
   */
  public record Summary(
      long promoteBytes,
      long demoteBytes,
      long promotionDemandBytes,
      long promotionBudgetEarnedBytes,
      long promoteTokensBytes,
      long demoteTokensBytes,
      long cycleCapBytes,
      int pingPongs,
      int regions,
      int segments,
      int staleRegions,
      Thresholds thresholds,
      List<NodeProjection> nodes) {

    public Summary {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * One node as the planner saw it and as the plan would leave it. Bytes.
   *
   * @param node node id
   * @param tierRank its tier, 0 = fastest
   * @param totalBytes node total
   * @param freeBytes free at the start of the cycle
   * @param projectedFreeBytes free once every move of the plan is done (by its estimates)
   * @param lowBytes low watermark (from zoneinfo; 1 % of total when the kernel gave none)
   * @param highBytes high watermark (from zoneinfo; 2 % of total when the kernel gave none)
   * @param fillLimitBytes most bytes that may be used (maxFill × total)
   */
  public record NodeProjection(
      int node,
      int tierRank,
      long totalBytes,
      long freeBytes,
      long projectedFreeBytes,
      long lowBytes,
      long highBytes,
      long fillLimitBytes) {}

  /** The controller feedback for the next scoring cycle. */
  public PromotionFeedback feedback() {
    return new PromotionFeedback(
        summary.promotionDemandBytes(), summary.promotionBudgetEarnedBytes());
  }
}
