package tierd.scoring;

import java.time.Duration;
import tierd.model.AddressRange;
import tierd.model.ProcessId;

/**
 * One region of one process after scoring.
 *
 * @param pid the owning process
 * @param startTimeTicks the process's start time in clock ticks (with {@code pid}, its identity)
 * @param range the region, {@code [start, end)} in bytes
 * @param heat decayed access fraction in [0, 1]
 * @param heatClass HOT, WARM or COLD
 * @param hotWindows consecutive windows (this one included) with heat at or above the hot
 *     threshold; 0 when below
 * @param idleAge how long the region's observations have stayed at or below the cold threshold;
 *     zero when it was accessed above that in the last window
 */
public record ScoredRegion(
    int pid,
    long startTimeTicks,
    AddressRange range,
    double heat,
    HeatClass heatClass,
    int hotWindows,
    Duration idleAge) {

  public ProcessId process() {
    return new ProcessId(pid, startTimeTicks);
  }

  public long sizeBytes() {
    return range.sizeBytes();
  }
}
