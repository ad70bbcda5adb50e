package tierd.heat;

import java.time.Duration;
import java.util.Collection;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Tunes a source's check interval (DAMON's sampling interval, or the window of a source that checks
 * every page once per window) so that a set share of the possible access observations finds an
 * access — the idea of DAMON's {@code intervals_goal} (Linux 6.15, {@code
 * monitoring_attrs/intervals/intervals_goal/access_bp}), done in user space for kernels and sources
 * that lack it. Pure: it holds one number and computes the next from what the caller observed.
 *
 * <p>A lukewarm page — touched about once a second — is almost never caught by a 10 ms check; a hot
 * loop saturates a 1 s check. No fixed interval serves both, so the interval follows the workload:
 * when fewer observations than the goal find an access, the interval grows; when more, it shrinks,
 * always within {@code [min, max]}.
 *
 * <p>The step is the kernel's ({@code kdamond_tune_intervals} → {@code
 * damon_get_intervals_adaptation_bp} → {@code damon_feed_loop_next_input}, mm/damon/core.c): with
 * {@code score = observed / goal}, the interval is multiplied by {@code 2 − score} when below the
 * goal (×1..×2), by {@code 0.5 + (2 − score) / 2} when above it (×0.5..×1), and halved at twice the
 * goal or more. A change of less than {@link #DEAD_BAND} is not made, so that a source is not
 * re-committed every cycle for noise.
 *
 * <p>The observed share is DAMON's "access events / max access events": each region's access
 * fraction weighted by its size ({@link #observedShare}).
 */
public final class IntervalTuner {

  /** Relative changes below this are not applied (5 %). */
  public static final double DEAD_BAND = 0.05;

  private final double accessGoal;
  private final Duration min;
  private final Duration max;
  private Duration interval;

  /**
   * @param accessGoal target share of observations that find an access, in [0, 1); 0 turns tuning
   *     off (the interval stays at {@code start})
   * @param start the first interval, clamped into {@code [min, max]}
   * @param min smallest interval (&gt; 0)
   * @param max largest interval (&ge; min)
   */
  public IntervalTuner(double accessGoal, Duration start, Duration min, Duration max) {
    if (!(accessGoal >= 0 && accessGoal < 1)) {
      throw new IllegalArgumentException("access goal " + accessGoal + " must be in [0, 1)");
    }
    if (min == null || max == null || start == null || min.isNegative() || min.isZero()) {
      throw new IllegalArgumentException("intervals must be > 0");
    }
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max " + max + " must be >= min " + min);
    }
    this.accessGoal = accessGoal;
    this.min = min;
    this.max = max;
    this.interval = clamp(start);
  }

  /** The interval in force. */
  public Duration interval() {
    return interval;
  }

  public Duration min() {
    return min;
  }

  public Duration max() {
    return max;
  }

  public double accessGoal() {
    return accessGoal;
  }

  /** False when the goal is 0 or the bounds pin one interval. */
  public boolean tuning() {
    return accessGoal > 0 && min.compareTo(max) < 0;
  }

  /**
   * Takes the share of observations that found an access during the last measurement and returns
   * the interval to use from now on (the same object when unchanged). A negative or NaN share (no
   * observation) changes nothing.
   */
  public Duration observe(double observedShare) {
    if (!tuning() || !(observedShare >= 0)) {
      return interval;
    }
    double factor = factor(observedShare / accessGoal);
    if (Math.abs(factor - 1) < DEAD_BAND) {
      return interval;
    }
    Duration next = clamp(Duration.ofNanos(Math.round(interval.toNanos() * factor)));
    if (!next.equals(interval)) {
      interval = next;
    }
    return interval;
  }

  /** The kernel's multiplier for a score (observed ÷ goal); see the class comment. */
  static double factor(double score) {
    if (score >= 2) {
      return 0.5;
    }
    double adaptation = 2 - score; // 1..2 below the goal, 0..1 above it
    return adaptation >= 1 ? adaptation : 0.5 + adaptation / 2;
  }

  /**
   * Size-weighted share of the samples' checks that found an access: DAMON's {@code access_events /
   * max_access_events} (damon_get_intervals_score), NaN when the samples cover no bytes.
   */
  public static double observedShare(Collection<RegionSample> samples) {
    return observedShare(samples, RegionSample::sizeBytes, RegionSample::accessFraction);
  }

  /** The same over any regions, given each one's size in bytes and access fraction. */
  public static <T> double observedShare(
      Collection<T> regions, ToLongFunction<T> sizeBytes, ToDoubleFunction<T> accessFraction) {
    double weighted = 0;
    double bytes = 0;
    for (T r : regions) {
      double size = sizeBytes.applyAsLong(r);
      weighted += size * accessFraction.applyAsDouble(r);
      bytes += size;
    }
    return bytes == 0 ? Double.NaN : weighted / bytes;
  }

  private Duration clamp(Duration d) {
    if (d.compareTo(min) < 0) {
      return min;
    }
    return d.compareTo(max) > 0 ? max : d;
  }

  @Override
  public String toString() {
    return "IntervalTuner[" + interval + " in [" + min + ", " + max + "], goal " + accessGoal + "]";
  }
}
