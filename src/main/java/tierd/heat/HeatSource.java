package tierd.heat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
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

  /**
   * The same samples, handed to {@code sink} one at a time, so that the caller can bound what it
   * keeps (the daemon merges neighbours beyond its region limit, {@link BoundedSamples}). The
   * default passes on {@link #collect()}; a source whose window can hold more samples than the heap
   * (one per page chunk of every process) hands them over as it makes them.
   */
  default void collect(Consumer<RegionSample> sink) {
    collect().forEach(sink);
  }

  /**
   * What a source that implements {@link #collect(Consumer)} returns from {@link #collect()}: the
   * samples it streams, in a list.
   */
  static List<RegionSample> listed(Consumer<Consumer<RegionSample>> streaming) {
    List<RegionSample> out = new ArrayList<>();
    streaming.accept(out::add);
    return out;
  }

  /**
   * The most samples a window should hold: the daemon's region limit ({@link BoundedSamples} keeps
   * that many whatever comes). A source whose sample count follows resident memory (one per page
   * chunk) makes its chunks larger to stay near it, so that its own state per region stays bounded
   * too; the others report one sample per VMA or what the kernel bounds, and ignore it.
   */
  default void maxRegions(int regions) {}

  /**
   * The kdamond indexes this source created and still owns, so that the conflict check does not
   * count them as another DAMON user; empty for a source that runs no kdamond of its own.
   */
  default Set<Integer> ownKdamonds() {
    return Set.of();
  }

  /**
   * True when the source already holds newer data than its last collect, and that data shows
   * markedly more access than the last collect did: a workload started. The loop then runs its next
   * cycle early, instead of waiting out its quiet interval. Polled between cycles, on the loop's
   * thread; cheap. Sources that only read when collected say false.
   */
  default boolean surged() {
    return false;
  }

  /**
   * True when the source's regions split and merge as it learns (DAMON): a new target starts with a
   * few large regions, so its first windows blur hot and cold data together. Sources with one
   * sample per page chunk or per VMA see at full resolution from their first window.
   */
  default boolean regionsAdapt() {
    return false;
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
