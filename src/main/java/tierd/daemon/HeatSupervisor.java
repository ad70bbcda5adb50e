package tierd.daemon;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.metrics.TierdMetrics;
import tierd.process.ManagedProcess;

/**
 * The heat source across cycles: opens it, re-opens it {@value #RETRY_CYCLES} cycles after it could
 * not be opened or was lost, closes one that broke, and holds back the samples of processes still
 * warming up ({@link WarmUp}). The "heat" stage of {@link TieringCycle}.
 *
 * <p>Logs as {@code TieringCycle}: operators and the VM scenarios filter on that name. Not
 * thread-safe.
 */
final class HeatSupervisor implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  /** Re-open the heat source after this many cycles without one (DAMON may become free). */
  static final int RETRY_CYCLES = 12;

  private static final String NONE = "none";

  private final HeatSourceFactory factory;
  private final TierdMetrics metrics;
  private final Clock clock;
  private HeatSource source;
  private String sourceName = NONE;
  private int cyclesSinceOpenAttempt = RETRY_CYCLES;

  /** Which processes' heat waits for their regions to split; cleared with the source. */
  private final WarmUp warmUp = new WarmUp();

  HeatSupervisor(HeatSourceFactory factory, TierdMetrics metrics, Clock clock) {
    this.factory = factory;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The open source's name, or "none". */
  String name() {
    return sourceName;
  }

  /**
   * The open source, if there is one: the conflict check asks it which kdamonds it owns ({@link
   * HeatSource#ownKdamonds}).
   */
  Optional<HeatSource> active() {
    return Optional.ofNullable(source);
  }

  /**
   * Whether the open source saw a load start since its last collect ({@link HeatSource#surged}).
   */
  boolean surged() {
    return source != null && source.surged();
  }

  /** The open source's intervals, if it has a source and the source has intervals. */
  Optional<HeatSource.Intervals> intervals() {
    return source == null ? Optional.empty() : source.intervals();
  }

  /**
   * This cycle's samples of {@code procs}, within {@code limits}, without those still warming up.
   * Empty while there is no source; throws what a broken source threw, after closing it.
   */
  List<RegionSample> collect(List<ManagedProcess> procs, TrackingLimits limits, Duration warmup) {
    if (source == null) {
      if (cyclesSinceOpenAttempt++ < RETRY_CYCLES) {
        return List.of();
      }
      cyclesSinceOpenAttempt = 0;
      try {
        source = factory.open();
        sourceName = source.name();
        metrics.heatSource(sourceName);
      } catch (RuntimeException e) {
        sourceName = NONE;
        metrics.heatSource(NONE);
        log.warn(
            "no hotness source available: {}; retrying in {} cycles", e.getMessage(), RETRY_CYCLES);
        return List.of();
      }
    }
    try {
      source.update(procs);
      return warmedUp(limits.collect(source, metrics.scan()), procs, warmup);
    } catch (HeatSourceUnavailableException e) {
      // Another DAMON user took DAMON over, or a DAMON module holds it: the same condition as a
      // source that cannot open, not a failed cycle. This cycle goes on without heat.
      log.warn(
          "hotness source {} lost: {}; retrying in {} cycles",
          sourceName,
          e.getMessage(),
          RETRY_CYCLES);
      close();
      metrics.heatSource(NONE);
      return List.of();
    } catch (RuntimeException | LinkageError e) {
      // A source that broke (e.g. its kdamond was removed under it) is closed and re-opened later.
      log.warn("hotness source {} failed: {}; closing it", sourceName, e.getMessage());
      close();
      throw e;
    }
  }

  /**
   * The samples that may be scored: processes whose regions have not split wait ({@link WarmUp}).
   */
  private List<RegionSample> warmedUp(
      List<RegionSample> samples, List<ManagedProcess> procs, Duration warmup) {
    List<RegionSample> scored =
        warmUp.warmedUp(samples, procs, clock.instant(), source.regionsAdapt(), warmup);
    if (scored.size() < samples.size()) {
      log.debug(
          "heat: {} processes still warming up (until their regions split, at most {})",
          warmUp.warming(),
          warmup);
    }
    return scored;
  }

  /**
   * Processes whose heat is held back until their regions split, or that were discovered this cycle
   * and whose first samples come in the next window ({@link WarmUp}).
   */
  int warmingProcesses() {
    return warmUp.warming() + warmUp.newcomers();
  }

  /** Closes the source, if open (removes the kdamonds it created); the next open is in a while. */
  @Override
  public void close() {
    if (source != null) {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.warn("closing hotness source {}: {}", sourceName, e.getMessage());
      }
      source = null;
      sourceName = NONE;
      warmUp.clear();
      cyclesSinceOpenAttempt = 0;
    }
  }
}
