package tierd.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.metrics.TierdMetrics;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * The heat source across cycles: opens it, re-opens it {@value #RETRY_CYCLES} cycles after it could
 * not be opened or was lost, closes one that broke, and holds back the samples of processes it has
 * watched for less than {@code heat.warmup}. The "heat" stage of {@link TieringCycle}.
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

  /** When the current source started watching each process; cleared with the source. */
  private final Map<ProcessId, Instant> watchedSince = new HashMap<>();

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
   * Drops the samples of processes the source has watched for less than {@code warmup}: a new DAMON
   * target starts with a few large regions, and one over a hot and a cold buffer makes the cold one
   * look hot until DAMON has split it.
   */
  private List<RegionSample> warmedUp(
      List<RegionSample> samples, List<ManagedProcess> procs, Duration warmup) {
    if (warmup.isZero()) {
      return samples;
    }
    Instant now = clock.instant();
    Map<Integer, Long> startOf = new HashMap<>();
    procs.forEach(p -> startOf.put(p.pid(), p.startTimeTicks()));
    watchedSince
        .keySet()
        .removeIf(k -> !startOf.containsKey(k.pid()) || startOf.get(k.pid()) != k.startTimeTicks());
    Set<Integer> warming = new HashSet<>();
    for (ManagedProcess p : procs) {
      Instant since =
          watchedSince.computeIfAbsent(new ProcessId(p.pid(), p.startTimeTicks()), k -> now);
      if (now.isBefore(since.plus(warmup))) {
        warming.add(p.pid());
      }
    }
    if (warming.isEmpty()) {
      return samples;
    }
    log.debug(
        "heat: {} processes still warming up ({}): their samples are not scored yet",
        warming.size(),
        warmup);
    return samples.stream().filter(r -> !warming.contains(r.pid())).toList();
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
      watchedSince.clear();
      cyclesSinceOpenAttempt = 0;
    }
  }
}
