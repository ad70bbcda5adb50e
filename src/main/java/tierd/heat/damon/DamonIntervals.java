package tierd.heat.damon;

import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.IntervalTuner;

/**
 * The sampling and aggregation intervals of tierd's kdamond, tuned towards the access goal
 * (DESIGN.md rule 8). Where the kernel has {@code monitoring_attrs/intervals/intervals_goal} (6.15,
 * usage.rst "intervals_goal"), the goal is written there ({@code access_bp}, {@code aggrs} =
 * {@value #KERNEL_TUNE_AGGREGATIONS}, {@code min_sample_us}, {@code max_sample_us}) and the kernel
 * tunes; {@link #refresh} then writes {@code update_tuned_intervals} and reads {@code
 * sample_us}/{@code aggr_us} back. Elsewhere {@link #retune} feeds an {@link IntervalTuner} the
 * share of checks that found an access over all monitored bytes (the kernel's own measure, {@code
 * damon_get_intervals_score}) and writes a changed interval with {@code commit}; {@code
 * damon_set_attrs} rescales the regions' {@code nr_accesses} and age to it. The aggregation
 * interval follows the sampling interval at the configured ratio either way.
 */
final class DamonIntervals {

  private static final Logger log = LoggerFactory.getLogger(DamonIntervals.class);

  /** intervals_goal/aggrs: aggregation intervals per kernel tuning step. */
  static final int KERNEL_TUNE_AGGREGATIONS = 3;

  static final String ATTRS = DamonSource.CTX + "monitoring_attrs/intervals/";
  static final String GOAL = ATTRS + "intervals_goal/";

  private final DamonFs fs;
  private final BiConsumer<String, String> write;
  private final ToLongFunction<String> readLong;
  private final IntervalTuner tuner;
  private long aggrSamples = 1;
  private boolean kernelTunes;
  private long sampleUs;
  private long aggrUs;

  DamonIntervals(
      DamonFs fs,
      BiConsumer<String, String> write,
      ToLongFunction<String> readLong,
      IntervalTuner tuner) {
    this.fs = fs;
    this.write = write;
    this.readLong = readLong;
    this.tuner = tuner;
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
    read();
  }

  /** Where the kernel tunes: reads the intervals in force (before each collect). */
  void refresh() {
    if (kernelTunes) {
      write.accept(DamonSource.K + "state", "update_tuned_intervals");
      read();
    }
  }

  /**
   * Where tierd tunes: takes the regions just read and commits a changed interval (to a running
   * kdamond). Nothing happens where the kernel tunes.
   */
  void retune(List<TriedRegion> regions, boolean running) {
    if (kernelTunes) {
      return;
    }
    int max = maxAccesses();
    double share =
        IntervalTuner.observedShare(
            regions, r -> r.range().sizeBytes(), r -> Math.min(1.0, (double) r.nrAccesses() / max));
    long nextUs = tuner.observe(share).toNanos() / 1000;
    if (nextUs == sampleUs) {
      return;
    }
    // Keep sample <= aggr at every step (the kernel checks it on commit).
    if (nextUs > sampleUs) {
      write.accept(ATTRS + "aggr_us", Long.toString(nextUs * aggrSamples));
      write.accept(ATTRS + "sample_us", Long.toString(nextUs));
    } else {
      write.accept(ATTRS + "sample_us", Long.toString(nextUs));
      write.accept(ATTRS + "aggr_us", Long.toString(nextUs * aggrSamples));
    }
    if (running) {
      write.accept(DamonSource.K + "state", "commit");
    }
    log.debug(
        "DAMON sampling {} -> {} us (observed share {}, goal {})",
        sampleUs,
        nextUs,
        share,
        tuner.accessGoal());
    read();
  }

  private void read() {
    sampleUs = Math.max(1, readLong.applyAsLong(ATTRS + "sample_us"));
    aggrUs = Math.max(sampleUs, readLong.applyAsLong(ATTRS + "aggr_us"));
  }

  Duration sampleInterval() {
    return Duration.ofNanos(sampleUs * 1000);
  }

  Duration aggrInterval() {
    return Duration.ofNanos(aggrUs * 1000);
  }

  long aggrUs() {
    return aggrUs;
  }

  /** Sampling checks per aggregation: the maximum nr_accesses. */
  int maxAccesses() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, aggrUs / sampleUs));
  }

  /** {@code kernel} (intervals_goal), {@code tierd}, or {@code fixed}. */
  String tunedBy() {
    return !tuner.tuning() ? "fixed" : kernelTunes ? "kernel" : "tierd";
  }
}
