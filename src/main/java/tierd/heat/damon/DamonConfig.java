package tierd.heat.damon;

import java.time.Duration;

/**
 * DAMON monitoring attributes tierd writes to its own kdamond ({@code monitoring_attrs/intervals/
 * {sample_us,aggr_us,update_us}} and {@code monitoring_attrs/nr_regions/{min,max}}). The daemon's
 * config embeds this record under {@code heat.damon}.
 *
 * <p>The checks are the ones {@code damon_set_attrs()} (mm/damon/core.c) makes when the kdamond is
 * turned on or committed — {@code min_nr_regions >= 3}, {@code min <= max}, {@code sample <= aggr}
 * — made here once so that a bad config fails at start with the key's name, not later as an EINVAL
 * from sysfs. tierd's defaults — 10 ms sampling, 200 ms aggregation, 1 s updates, 10..1000 regions
 * — keep design.rst's 1:20 sample:aggregation ratio with an aggregation interval longer than the
 * 100 ms that design.rst calls "too short in many cases"; differing from the kernel's defaults (5
 * ms, 100 ms, 60 s on 6.12) also makes tierd's kdamond easier to recognise.
 *
 * <p>Each {@link DamonSource#collect()} waits for one scheme apply interval (= the aggregation
 * interval), so {@code aggrInterval} also bounds how long a collect blocks.
 */
public record DamonConfig(
    Duration sampleInterval,
    Duration aggrInterval,
    Duration updateInterval,
    int minRegions,
    int maxRegions) {

  /** The kernel requires at least three regions (damon_set_attrs). */
  public static final int MIN_REGIONS_FLOOR = 3;

  public DamonConfig {
    requirePositive("heat.damon.sampleInterval", sampleInterval);
    requirePositive("heat.damon.aggrInterval", aggrInterval);
    requirePositive("heat.damon.updateInterval", updateInterval);
    if (aggrInterval.compareTo(sampleInterval) < 0) {
      throw new IllegalArgumentException(
          "heat.damon.aggrInterval "
              + aggrInterval
              + " must be >= heat.damon.sampleInterval "
              + sampleInterval);
    }
    if (aggrInterval.toNanos() / 1000 / (sampleInterval.toNanos() / 1000) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "heat.damon.aggrInterval / heat.damon.sampleInterval must fit an int");
    }
    if (minRegions < MIN_REGIONS_FLOOR) {
      throw new IllegalArgumentException(
          "heat.damon.minRegions " + minRegions + " must be >= " + MIN_REGIONS_FLOOR);
    }
    if (maxRegions < minRegions) {
      throw new IllegalArgumentException(
          "heat.damon.maxRegions "
              + maxRegions
              + " must be >= heat.damon.minRegions "
              + minRegions);
    }
  }

  /** tierd's defaults (see above). */
  public static DamonConfig defaults() {
    return new DamonConfig(
        Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(1), 10, 1000);
  }

  public long sampleUs() {
    return sampleInterval.toNanos() / 1000;
  }

  public long aggrUs() {
    return aggrInterval.toNanos() / 1000;
  }

  public long updateUs() {
    return updateInterval.toNanos() / 1000;
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    if (d.toNanos() < 1000) {
      throw new IllegalArgumentException(key + " " + d + " must be at least 1us");
    }
  }
}
