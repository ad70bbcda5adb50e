package tierd.heat.damon;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.IntervalTuner;
import tierd.kernelfs.KernelFsException;

/**
 * The sampling and aggregation intervals of tierd's kdamond, tuned towards the access goal
 * (DESIGN.md rule 8). Where the kernel has {@code monitoring_attrs/intervals/intervals_goal} (6.15,
 * usage.rst "intervals_goal"), the goal is written there ({@code access_bp}, {@code aggrs} =
 * {@value #KERNEL_TUNE_AGGREGATIONS}, {@code min_sample_us}, {@code max_sample_us}) and the kernel
 * tunes; {@link #refresh} then writes {@code update_tuned_intervals} and reads {@code
 * sample_us}/{@code aggr_us} back. Elsewhere {@link #retune} feeds an {@link IntervalTuner} the
 * share of checks that found an access over all monitored bytes (the kernel's own measure, {@code
 * damon_get_intervals_score}) and writes a changed interval with {@code commit}, off the cycle
 * ({@link #retune}); {@code damon_set_attrs} rescales the regions' {@code nr_accesses} and age to
 * it. The aggregation interval follows the sampling interval at the configured ratio either way.
 */
final class DamonIntervals {

  private static final Logger log = LoggerFactory.getLogger(DamonIntervals.class);

  /** intervals_goal/aggrs: aggregation intervals per kernel tuning step. */
  static final int KERNEL_TUNE_AGGREGATIONS = 3;

  /**
   * A thread per tuned interval's commit, which waits for the kdamond's aggregation end (at most
   * one in flight: {@link #retune}).
   */
  static final Executor COMMIT_THREAD =
      commit -> {
        Thread thread = new Thread(commit, "tierd-damon-commit");
        thread.setDaemon(true);
        thread.start();
      };

  static final String ATTRS = DamonSource.CTX + "monitoring_attrs/intervals/";
  static final String GOAL = ATTRS + "intervals_goal/";

  private final DamonFs fs;
  private final BiConsumer<String, String> write;
  private final ToLongFunction<String> readLong;
  private final IntervalTuner tuner;
  private final Executor committer;
  private long aggrSamples = 1;
  private boolean kernelTunes;
  private InForce inForce = new InForce(1, 1);

  /** The intervals before the last commit, and when it landed (System.nanoTime). */
  private InForce previous;

  private long landedNanos;

  /** The last tuned interval's commit; done when none is in flight. */
  private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

  DamonIntervals(
      DamonFs fs,
      BiConsumer<String, String> write,
      ToLongFunction<String> readLong,
      IntervalTuner tuner,
      Executor committer) {
    this.fs = fs;
    this.write = write;
    this.readLong = readLong;
    this.tuner = tuner;
    this.committer = committer;
  }

  /** Writes the starting intervals, and the goal where the kernel tunes; reads them back. */
  void configure(DamonConfig config) {
    aggrSamples = config.aggrSamples();
    long startUs = tuner.interval().toNanos() / 1000;
    write.accept(ATTRS + "sample_us", Long.toString(startUs));
    write.accept(ATTRS + "aggr_us", Long.toString(startUs * aggrSamples));
    if (tuner.tuning() && fs.exists(GOAL + "access_bp")) {
      write.accept(
          GOAL + "access_bp", Long.toString(Math.max(1, Math.round(tuner.accessGoal() * 1e4))));
      write.accept(GOAL + "aggrs", Integer.toString(KERNEL_TUNE_AGGREGATIONS));
      write.accept(GOAL + "min_sample_us", Long.toString(config.minSampleUs()));
      write.accept(GOAL + "max_sample_us", Long.toString(config.maxSampleUs()));
      kernelTunes = true;
    }
    inForce = read();
  }

  /** Where the kernel tunes: reads the intervals in force (before each collect). */
  void refresh() {
    if (kernelTunes) {
      write.accept(DamonSource.K + "state", "update_tuned_intervals");
      InForce tuned = read();
      synchronized (this) {
        inForce = tuned;
      }
    }
  }

  /**
   * Where tierd tunes: takes the regions just read and commits a changed interval (to a running
   * kdamond). Nothing happens where the kernel tunes, or while the last change's commit is still in
   * flight (the next collect tunes again).
   *
   * <p>The commit runs on {@code committer}, off the cycle: on 6.12 a {@code commit} write returns
   * only once the kdamond has taken it at the end of its aggregation in progress (up to one
   * aggregation, several seconds under load), and a load that has just started is when tuning
   * changes the interval most. Until it lands the old intervals stay in force, and aggregations
   * that ended before it landed keep them ({@link #inForceAt}).
   */
  void retune(List<TriedRegion> regions, BooleanSupplier running) {
    if (kernelTunes || !pending.isDone()) {
      return;
    }
    InForce before = inForce();
    int max = before.maxAccesses();
    double share =
        IntervalTuner.observedShare(
            regions, r -> r.range().sizeBytes(), r -> Math.min(1.0, (double) r.nrAccesses() / max));
    long nextUs = tuner.observe(share).toNanos() / 1000;
    if (nextUs == before.sampleUs()) {
      return;
    }
    if (!running.getAsBoolean()) {
      writeIntervals(before.sampleUs(), nextUs);
      InForce written = read();
      synchronized (this) {
        inForce = written;
      }
      return;
    }
    pending =
        CompletableFuture.runAsync(
            () -> {
              writeIntervals(before.sampleUs(), nextUs);
              try {
                write.accept(DamonSource.K + "state", "commit");
              } catch (KernelFsException e) {
                if (running.getAsBoolean()) {
                  throw e;
                }
                // every target exited meanwhile: the files take effect when the kdamond restarts
              }
              InForce after = read();
              synchronized (this) {
                previous = before;
                landedNanos = System.nanoTime();
                inForce = after;
              }
              log.debug(
                  "DAMON sampling {} -> {} us (observed share {}, goal {})",
                  before.sampleUs(),
                  after.sampleUs(),
                  share,
                  tuner.accessGoal());
            },
            committer);
  }

  /** Keeps sample <= aggr at every step (the kernel checks it on commit). */
  private void writeIntervals(long fromUs, long toUs) {
    if (toUs > fromUs) {
      write.accept(ATTRS + "aggr_us", Long.toString(toUs * aggrSamples));
      write.accept(ATTRS + "sample_us", Long.toString(toUs));
    } else {
      write.accept(ATTRS + "sample_us", Long.toString(toUs));
      write.accept(ATTRS + "aggr_us", Long.toString(toUs * aggrSamples));
    }
  }

  /**
   * Waits for a tuned interval's commit in flight, so that the caller's own write to {@code state}
   * follows it; a commit that failed throws here, as it would have where it was made.
   */
  void awaitCommit() {
    try {
      pending.join();
    } catch (CompletionException e) {
      pending = CompletableFuture.completedFuture(null);
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private InForce read() {
    long sampleUs = Math.max(1, readLong.applyAsLong(ATTRS + "sample_us"));
    return new InForce(sampleUs, Math.max(sampleUs, readLong.applyAsLong(ATTRS + "aggr_us")));
  }

  /** The intervals in force now: those last written while off, or whose commit landed. */
  synchronized InForce inForce() {
    return inForce;
  }

  /**
   * The intervals an aggregation that ended at {@code monoNanos} (System.nanoTime's clock) was
   * measured with: those before the last commit when it ended before the commit landed. The commit
   * is taken at an aggregation's end, and the write returns within 100 ms after (the kernel polls),
   * so the aggregation that ended then counts as before it.
   */
  synchronized InForce inForceAt(long monoNanos) {
    return previous != null && monoNanos - landedNanos < 0 ? previous : inForce;
  }

  /** Sampling and aggregation intervals, in µs. */
  record InForce(long sampleUs, long aggrUs) {

    Duration sampleInterval() {
      return Duration.ofNanos(sampleUs * 1000);
    }

    Duration aggrInterval() {
      return Duration.ofNanos(aggrUs * 1000);
    }

    /** Sampling checks per aggregation: the maximum nr_accesses. */
    int maxAccesses() {
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, aggrUs / sampleUs));
    }
  }

  Duration sampleInterval() {
    return inForce().sampleInterval();
  }

  Duration aggrInterval() {
    return inForce().aggrInterval();
  }

  /** {@code kernel} (intervals_goal), {@code tierd}, or {@code fixed}. */
  String tunedBy() {
    return !tuner.tuning() ? "fixed" : kernelTunes ? "kernel" : "tierd";
  }
}
