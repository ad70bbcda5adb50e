package tierd.heat.damon;

import java.time.Duration;

/**
 * DAMON monitoring attributes tierd writes to its own kdamond ({@code monitoring_attrs/intervals/
 * {sample_us,aggr_us,update_us}}, {@code intervals_goal/*} where the kernel has it, and {@code
 * monitoring_attrs/nr_regions/{min,max}}). The daemon's config embeds this record under {@code
 * heat.damon}.
 *
 * <p>The sampling interval is tuned (DESIGN.md rule 8): {@code sampleInterval} is where it starts,
 * {@code [minSampleInterval, maxSampleInterval]} bounds it, and the aggregation interval follows it
 * at the fixed ratio {@code aggrInterval / sampleInterval} (10 by default; design.rst's example is
 * 1:20), so that {@code nr_accesses} always counts in {@code 0..ratio}. The access goal itself is
 * {@code heat.accessGoal} ({@link tierd.heat.select.HeatConfig}). Equal bounds pin the interval.
 *
 * <p>The bounds: 5 ms is DAMON's own floor for its auto-tuning (DAMON_STAT, DAMON_RECLAIM); the
 * ceiling of 200 ms (2 s aggregations) is tierd's, not DAMON's 10 s: a load that starts while the
 * intervals sit at the ceiling is seen when the aggregation in progress ends, and a shorter check
 * finds a slow page less often (a 100 ms ceiling lost the 0.1/s and 0.2/s floor buffers, where ten
 * 200 ms checks per aggregation kept them; docs/heat-sources.md). A 200 ms check catches a page
 * touched once a second 18 % of the time, where the old fixed 10 ms caught it 1 % of the time.
 *
 * <p>The other checks are the ones {@code damon_set_attrs()} (mm/damon/core.c) makes when the
 * kdamond is turned on or committed — {@code min_nr_regions >= 3}, {@code min <= max}, {@code
 * sample <= aggr} — made here once so that a bad config fails at start with the key's name, not
 * later as an EINVAL from sysfs. 10..1000 regions and a 1 s update interval differ from the
 * kernel's defaults (60 s updates on 6.12), which also makes tierd's kdamond easier to recognise.
 */
public record DamonConfig(
    Duration sampleInterval,
    Duration aggrInterval,
    Duration updateInterval,
    int minRegions,
    int maxRegions,
    Duration minSampleInterval,
    Duration maxSampleInterval,
    boolean tracepoint) {

  /** The kernel requires at least three regions (damon_set_attrs). */
  public static final int MIN_REGIONS_FLOOR = 3;

  /**
   * DAMON never merges a region beyond the targets' total size / min regions, and starts them split
   * that fine: at 100, a 300 MiB heap starts in 3 MiB regions, so a hot key range stands apart in
   * the first aggregation and no merged region carries 30 MiB of cold keys along with hot ones.
   */
  public static final int DEFAULT_MIN_REGIONS = 100;

  public static final Duration DEFAULT_MIN_SAMPLE = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_SAMPLE = Duration.ofMillis(200);

  public DamonConfig {
    requirePositive("heat.damon.sampleInterval", sampleInterval);
    requirePositive("heat.damon.aggrInterval", aggrInterval);
    requirePositive("heat.damon.updateInterval", updateInterval);
    requirePositive("heat.damon.minSampleInterval", minSampleInterval);
    requirePositive("heat.damon.maxSampleInterval", maxSampleInterval);
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
    if (sampleInterval.compareTo(minSampleInterval) < 0
        || sampleInterval.compareTo(maxSampleInterval) > 0) {
      throw new IllegalArgumentException(
          "heat.damon.sampleInterval "
              + sampleInterval
              + " must be in [heat.damon.minSampleInterval "
              + minSampleInterval
              + ", heat.damon.maxSampleInterval "
              + maxSampleInterval
              + "]");
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

  /** Fixed intervals with tierd's default bounds widened to include them. */
  public DamonConfig(
      Duration sampleInterval,
      Duration aggrInterval,
      Duration updateInterval,
      int minRegions,
      int maxRegions) {
    this(
        sampleInterval,
        aggrInterval,
        updateInterval,
        minRegions,
        maxRegions,
        min(DEFAULT_MIN_SAMPLE, sampleInterval),
        max(DEFAULT_MAX_SAMPLE, sampleInterval),
        false);
  }

  /**
   * tierd's defaults (see above): start at 10 ms / 100 ms, tuned within 5..200 ms; each aggregation
   * read as it ends from the {@code damon_aggregated} tracepoint ({@link DamonTracePipe}; {@code
   * tried_regions} where tracefs lacks it). docs/heat-sources.md has the measurements behind both.
   */
  public static DamonConfig defaults() {
    return new DamonConfig(
        Duration.ofMillis(10),
        Duration.ofMillis(100),
        Duration.ofSeconds(1),
        DEFAULT_MIN_REGIONS,
        1000,
        DEFAULT_MIN_SAMPLE,
        DEFAULT_MAX_SAMPLE,
        true);
  }

  /** The same with other sampling bounds (equal bounds pin the sampling interval). */
  public DamonConfig withSampleBounds(Duration min, Duration max) {
    return new DamonConfig(
        sampleInterval, aggrInterval, updateInterval, minRegions, maxRegions, min, max, tracepoint);
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

  /** Sampling intervals per aggregation interval, kept while the intervals are tuned. */
  public long aggrSamples() {
    return Math.max(1, aggrUs() / Math.max(1, sampleUs()));
  }

  public long minSampleUs() {
    return minSampleInterval.toNanos() / 1000;
  }

  public long maxSampleUs() {
    return maxSampleInterval.toNanos() / 1000;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
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
