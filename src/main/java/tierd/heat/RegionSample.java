package tierd.heat;

import java.time.Duration;
import tierd.model.AddressRange;

/**
 * One observation of a memory region's access frequency, the common currency of every hotness
 * source (design rule 4: detection is separate from migration).
 *
 * <p>{@code nrAccesses} is how many of the {@code maxAccesses} checks made during {@code window}
 * found the region accessed, and {@code checkInterval} is how long one check watched for an access.
 * What a check is depends on the source: DAMON samples one page per region per sampling interval
 * (nr_accesses over aggr/sample; checkInterval = the sampling interval); idle-page tracking checks
 * every tracked page of a chunk once per window and clear_refs every resident page of a VMA
 * (checkInterval = the window); numa_maps counts the present pages on the active LRU. {@code age}
 * is how long the measure has stayed about the same (DAMON's age × aggregation interval; tracked by
 * tierd for the other sources).
 *
 * <p>{@link #accessFraction()} depends on the check interval: a page touched once a second is found
 * by 1 % of 10 ms checks and by 63 % of 1 s checks. {@link #accessRatePerSecond()} removes that
 * dependence: it is the per-page access rate that would make a check of {@code checkInterval} find
 * an access with probability {@code accessFraction} (accesses as a Poisson process: {@code f = 1 −
 * e^(−rate × checkInterval)}). It is what scoring uses, so that re-tuning the intervals (see {@link
 * IntervalTuner}) does not change a region's score.
 *
 * <p>{@code pid} is the owning process for virtual ranges, or {@link #PHYSICAL} for a physical
 * address range that no process has been found for. No source emits PHYSICAL samples today:
 * damon-paddr maps its regions back to the managed processes and leaves the rest out, because
 * move_pages needs a pid.
 */
public record RegionSample(
    int pid,
    AddressRange range,
    int nrAccesses,
    int maxAccesses,
    Duration window,
    Duration checkInterval,
    Duration age,
    String source) {

  public static final int PHYSICAL = -1;

  public RegionSample {
    if (maxAccesses <= 0 || nrAccesses < 0 || nrAccesses > maxAccesses) {
      throw new IllegalArgumentException(
          "nrAccesses " + nrAccesses + " must be in [0, maxAccesses=" + maxAccesses + "]");
    }
    if (window.isNegative() || window.isZero() || age.isNegative()) {
      throw new IllegalArgumentException("window must be > 0 and age >= 0");
    }
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      throw new IllegalArgumentException("checkInterval must be > 0");
    }
  }

  /**
   * A sample of a source that checks every page once per window (clear_refs, idle-page): the check
   * interval is the window.
   */
  public RegionSample(
      int pid,
      AddressRange range,
      int nrAccesses,
      int maxAccesses,
      Duration window,
      Duration age,
      String source) {
    this(pid, range, nrAccesses, maxAccesses, window, window, age, source);
  }

  /**
   * Estimated accesses per second to one page of the region: {@code −ln(1 − f) / checkInterval}
   * with {@code f} the access fraction. When every check found an access the rate has no upper
   * bound, so {@code f} is taken as {@code 1 − 1/(2·maxAccesses)} (half a check short of all).
   */
  public double accessRatePerSecond() {
    if (nrAccesses == 0) {
      return 0;
    }
    double f = nrAccesses < maxAccesses ? accessFraction() : 1 - 0.5 / maxAccesses;
    return -Math.log1p(-f) / (checkInterval.toNanos() / 1e9);
  }

  /** Share of checks in the window that found the region accessed, in [0, 1]. */
  public double accessFraction() {
    return (double) nrAccesses / maxAccesses;
  }

  public long sizeBytes() {
    return range.sizeBytes();
  }
}
