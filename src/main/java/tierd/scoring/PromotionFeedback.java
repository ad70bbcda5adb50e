package tierd.scoring;

/**
 * What the previous plan wanted to promote against what its budget allowed, for the threshold
 * controller (the kernel's {@code numa_promotion_adjust_threshold} works the same way: more than
 * 110 % of the rate limit makes the threshold stricter, less than 90 % looser).
 *
 * @param demandBytes bytes of confirmed-hot data waiting on slower tiers that policy and cpuset
 *     would let move up, before budgets, residency and room were applied
 * @param budgetBytes promotion budget the planner earned over the same period (rate × elapsed)
 */
public record PromotionFeedback(long demandBytes, long budgetBytes) {

  /** No feedback yet (first cycle): the controller holds still. */
  public static final PromotionFeedback NONE = new PromotionFeedback(0, 0);

  public PromotionFeedback {
    if (demandBytes < 0 || budgetBytes < 0) {
      throw new IllegalArgumentException(
          "feedback bytes must be >= 0 (demand " + demandBytes + ", budget " + budgetBytes + ")");
    }
  }

  /** True when there is a budget to compare against. */
  public boolean present() {
    return budgetBytes > 0;
  }
}
