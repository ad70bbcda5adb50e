package tierd.planner;

/**
 * What the planner carries from one cycle to the next. Immutable: {@link Planner#plan} returns the
 * next state in its {@link PlanResult}; the daemon passes it to the next call.
 *
 * @param promoteBudget the promotion token bucket (bytes)
 * @param demoteBudget the demotion token bucket (bytes)
 * @param residency when each range last moved and which way
 * @param pingPongsTotal moves so far that reversed their range's previous move
 */
public record PlannerState(
    TokenBucket promoteBudget,
    TokenBucket demoteBudget,
    ResidencyHistory residency,
    long pingPongsTotal) {

  /** Before the first cycle: full buckets on first use, no history. */
  public static PlannerState initial() {
    return new PlannerState(
        TokenBucket.UNSTARTED, TokenBucket.UNSTARTED, ResidencyHistory.empty(), 0);
  }
}
