package tierd.heat;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import tierd.process.ManagedProcess;

/**
 * A producer of region samples. The scorer, planner and mover never know which kernel mechanism is
 * behind it (DAMON vaddr or paddr, accessed-bit scanning, numa_maps signals).
 *
 * <p>Lifecycle: {@link #update} is called once per cycle with the processes tierd manages now
 * (sources that need targets adjust them; a target that exited is dropped), then {@link #collect}
 * returns the samples gathered since the last call. {@link #close} removes every piece of kernel
 * state the source created (kdamonds, schemes) and is idempotent.
 */
public interface HeatSource extends AutoCloseable {

  /** Short stable name, used in metrics labels and logs (e.g. {@code damon-vaddr}). */
  String name();

  /** Tells the source which processes to watch this cycle. */
  void update(Collection<ManagedProcess> processes);

  /** Samples observed since the previous call. */
  List<RegionSample> collect();

  /**
   * The intervals in force after the last collect, for status and metrics; empty for a source that
   * has none of its own (it reads what others measured, or what the kernel keeps).
   */
  default Optional<Intervals> intervals() {
    return Optional.empty();
  }

  @Override
  void close();

  /**
   * How a source observes now.
   *
   * @param check how long one check watches for an access (DAMON's sampling interval; a per-window
   *     source's window)
   * @param window the time one sample covers (DAMON's aggregation interval; the window)
   * @param tunedBy {@code kernel} (DAMON's intervals_goal), {@code tierd} ({@link IntervalTuner})
   *     or {@code fixed}
   */
  record Intervals(Duration check, Duration window, String tunedBy) {}
}
