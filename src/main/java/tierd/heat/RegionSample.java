package tierd.heat;

import java.time.Duration;
import tierd.model.AddressRange;

/**
 * One observation of a memory region's access frequency, the common currency of every hotness
 * source (design rule 4: detection is separate from migration).
 *
 * <p>{@code nrAccesses} is how many of the {@code maxAccesses} checks made during {@code window}
 * found the region accessed (DAMON's nr_accesses over aggr/sample; for accessed-bit scanning, 0 or
 * 1 per scan). {@link #accessFraction()} is therefore comparable across sources. {@code age} is how
 * long the measure has stayed about the same (DAMON's age × aggregation interval).
 *
 * <p>{@code pid} is the owning process for virtual ranges, or {@link #PHYSICAL} for a physical
 * address range that no process has been found for.
 */
public record RegionSample(
    int pid,
    AddressRange range,
    int nrAccesses,
    int maxAccesses,
    Duration window,
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
  }

  /** Share of checks in the window that found the region accessed, in [0, 1]. */
  public double accessFraction() {
    return (double) nrAccesses / maxAccesses;
  }

  /** Checks per second that found the region accessed. */
  public double accessesPerSecond() {
    return nrAccesses / (window.toNanos() / 1e9);
  }

  public long sizeBytes() {
    return range.sizeBytes();
  }
}
