package tierd.scoring;

/**
 * The scale of a region's heat: an access rate (accesses per second per page, from {@link
 * tierd.heat.RegionSample#accessRatePerSecond()}) mapped into [0, 1) as {@code rate / (rate +
 * 1/s)}. A page touched once a second has heat 0.5; once every 10 s, 0.09; 10 times a second, 0.91;
 * 100 times, 0.99. Below about 0.1/s the heat is nearly the rate itself, which keeps the cold
 * threshold readable (2 % = about one access every 50 s); above it the scale compresses slowly
 * enough that the capacity fit's 1024-bin histogram still tells 50/s from 200/s apart.
 *
 * <p>Because it is built on a rate, not on the share of checks that found an access, the same
 * workload has the same heat whatever sampling interval or window the source uses in a cycle: the
 * intervals may be re-tuned ({@link tierd.heat.IntervalTuner}) without a region changing class.
 */
public final class HeatScale {

  /** The rate at which heat is one half: one access per second per page. */
  public static final double HALF_HEAT_RATE_PER_SECOND = 1.0;

  private HeatScale() {}

  /** Heat of an access rate in accesses per second per page (negative or NaN counts as 0). */
  public static double heat(double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      return 0;
    }
    if (Double.isInfinite(ratePerSecond)) {
      return 1;
    }
    return ratePerSecond / (ratePerSecond + HALF_HEAT_RATE_PER_SECOND);
  }

  /** The access rate (per second per page) of a heat in [0, 1); infinite at 1. */
  public static double ratePerSecond(double heat) {
    if (!(heat > 0)) {
      return 0;
    }
    if (heat >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    return heat * HALF_HEAT_RATE_PER_SECOND / (1 - heat);
  }
}
