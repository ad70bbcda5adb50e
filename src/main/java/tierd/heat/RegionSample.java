package tierd.heat;

import java.time.Duration;
import tierd.model.AddressRange;

/**
 * One observation of a memory region's access frequency, the common currency of every hotness
 * source (design rule 4: detection is separate from migration).
 *
 * <p>{@code nrAccesses} is how many of the {@code maxAccesses} checks made during {@code window}
 * found the region accessed. What a check is depends on the source: DAMON samples one page per
 * region per sampling interval (nr_accesses over aggr/sample); idle-page tracking checks every
 * tracked page of a chunk once per window; clear_refs checks every resident page of a VMA once per
 * window; numa_maps counts the present pages on the active LRU. {@link #accessFraction()} is
 * therefore comparable across sources, while {@link #accessesPerSecond()} is in the source's own
 * check unit and comparable only within one source. {@code age} is how long the measure has stayed
 * about the same (DAMON's age × aggregation interval; tracked by tierd for the other sources).
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
