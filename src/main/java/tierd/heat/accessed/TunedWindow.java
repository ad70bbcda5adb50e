package tierd.heat.accessed;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import tierd.heat.HeatSource;
import tierd.heat.IntervalTuner;
import tierd.heat.RegionSample;
import tierd.heat.Sleeper;

/**
 * The window of a source that checks every page once per window (clear-refs, idle-page, and any
 * other mark-then-read source such as soft-dirty), tuned by an {@link IntervalTuner} towards the
 * access goal. The source asks {@link #plan()} at each collect what to do:
 *
 * <ul>
 *   <li>{@link Plan#READ_THEN_MARK}: the window has (about) passed since the last mark: read what
 *       was accessed since, then mark again. A window longer than the cycle spans several cycles.
 *   <li>{@link Plan#SKIP}: the window has not passed yet; nothing is read or marked this cycle (the
 *       scorer keeps the history of regions it does not see).
 *   <li>{@link Plan#MARK_WAIT_READ}: the window is shorter than half the time between collects:
 *       mark, {@link #waitWindow() wait} the window, then read. The collect blocks for the window,
 *       as a DAMON collect blocks for one aggregation interval.
 * </ul>
 *
 * After reading, the source hands its samples to {@link #observed}: the share of checked pages that
 * were accessed (each sample weighted by its {@code maxAccesses}, the pages it checked) moves the
 * window for the next time. Window = check interval for these sources, so the samples carry it and
 * scoring normalises by it.
 */
public final class TunedWindow {

  /** What a collect does. */
  public enum Plan {
    READ_THEN_MARK,
    SKIP,
    MARK_WAIT_READ
  }

  private final IntervalTuner tuner;
  private final LongSupplier nanos;
  private final Sleeper sleeper;
  private final boolean everyCollect;
  private long lastMarkNanos = Long.MIN_VALUE;
  private long lastCollectNanos = Long.MIN_VALUE;
  private Duration lastWindow;

  public TunedWindow(IntervalTuner tuner, LongSupplier nanos, Sleeper sleeper) {
    this(tuner, nanos, sleeper, false);
  }

  private TunedWindow(
      IntervalTuner tuner, LongSupplier nanos, Sleeper sleeper, boolean everyCollect) {
    this.tuner = tuner;
    this.nanos = nanos;
    this.sleeper = sleeper;
    this.everyCollect = everyCollect;
  }

  /** The untuned window: one cycle, every collect reads then marks. */
  public static TunedWindow everyCollect(LongSupplier nanos) {
    Duration any = Duration.ofSeconds(1);
    return new TunedWindow(new IntervalTuner(0, any, any, any), nanos, Sleeper.none(), true);
  }

  /** Decides this collect's work; call once per collect. */
  public Plan plan() {
    long now = nanos.getAsLong();
    long gap = lastCollectNanos == Long.MIN_VALUE ? Long.MAX_VALUE : now - lastCollectNanos;
    lastCollectNanos = now;
    long window = tuner.interval().toNanos();
    if (everyCollect || lastMarkNanos == Long.MIN_VALUE) {
      return Plan.READ_THEN_MARK; // nothing marked yet: the read finds nothing, the mark starts
    }
    if (gap != Long.MAX_VALUE && window < gap / 2) {
      return Plan.MARK_WAIT_READ;
    }
    long elapsed = now - lastMarkNanos;
    // Within half a cycle of the window counts as passed: cycles jitter.
    long slack = gap == Long.MAX_VALUE ? 0 : gap / 2;
    return elapsed + slack >= window ? Plan.READ_THEN_MARK : Plan.SKIP;
  }

  /** The source marked (cleared) every page now. */
  public void marked() {
    lastMarkNanos = nanos.getAsLong();
  }

  /** Waits one window (for {@link Plan#MARK_WAIT_READ}). */
  public void waitWindow() {
    sleeper.sleepMillis(Math.max(1, tuner.interval().toMillis()));
  }

  /** Feeds the samples just read to the tuner. Samples from a first mark (none) change nothing. */
  public void observed(List<RegionSample> samples) {
    if (samples.isEmpty()) {
      return;
    }
    lastWindow = samples.get(0).window();
    tuner.observe(
        IntervalTuner.observedShare(samples, RegionSample::maxAccesses, s -> s.accessFraction()));
  }

  /** The window the tuner asks for now. */
  public Duration window() {
    return tuner.interval();
  }

  /** The intervals in force: the last window read (or the one asked for), and who tunes it. */
  public Optional<HeatSource.Intervals> intervals() {
    Duration w = lastWindow != null ? lastWindow : tuner.interval();
    if (everyCollect && lastWindow == null) {
      return Optional.empty();
    }
    return Optional.of(new HeatSource.Intervals(w, w, tuner.tuning() ? "tierd" : "fixed"));
  }
}
