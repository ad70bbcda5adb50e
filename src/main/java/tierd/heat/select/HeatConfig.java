package tierd.heat.select;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tierd.heat.IntervalTuner;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonConfig;

/**
 * The {@code heat} section of the daemon's config, validated once.
 *
 * @param preference sources to consider, best first; the chooser takes the first one that is
 *     available and opens. The default is every kind in {@link SourceKind} order.
 * @param damon attributes of tierd's own kdamond
 * @param chunkBytes granularity of the page-granular sources' samples (idle-page, and the written
 *     pages of clear-refs+soft-dirty; a power of two, at least one 4 KiB page); per-VMA sources
 *     ignore it
 * @param runtimeDir where tierd keeps its state files (default {@code /run/tierd}); the DAMON
 *     source records the kdamond it created there, so that a restart after a crash can remove it
 * @param warmup the longest samples of a newly watched process are collected but not scored (the
 *     warm-up ends sooner, once DAMON has split its regions): DAMON starts with a few large regions
 *     and needs several aggregation intervals to split them, and a region over a hot and a cold
 *     buffer would make the cold one look hot (seen in the VM after a restart: cold pages promoted
 *     next to a hot buffer)
 * @param accessGoal share of a source's checks that should find an access, in [0, 1); the sources
 *     tune their intervals towards it (DAMON's sampling interval within {@code heat.damon}'s
 *     bounds, the clear-refs and idle-page window within {@code windows}); 0 turns tuning off.
 *     DAMON's own recommendation and default for {@code intervals_goal/access_bp}: 4 %
 * @param windows bounds of the window of the sources that check every page once per window
 *     (clear-refs, idle-page): a window longer than the cycle spans several cycles, a shorter one
 *     is taken inside the collect (clear, wait, read)
 */
public record HeatConfig(
    List<SourceKind> preference,
    DamonConfig damon,
    long chunkBytes,
    Path runtimeDir,
    Duration warmup,
    double accessGoal,
    WindowBounds windows) {

  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
  public static final double DEFAULT_ACCESS_GOAL = 0.04;

  /**
   * Window bounds of the per-window sources, and where the window starts.
   *
   * @param min shortest window (at least 10 ms)
   * @param max longest window (&ge; min)
   * @param start first window, clamped into [min, max]
   */
  public record WindowBounds(Duration min, Duration max, Duration start) {

    public static final WindowBounds DEFAULT =
        new WindowBounds(Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));

    public WindowBounds {
      if (min == null || min.compareTo(Duration.ofMillis(10)) < 0) {
        throw new IllegalArgumentException("heat.minWindow " + min + " must be >= 10ms");
      }
      if (max == null || max.compareTo(min) < 0) {
        throw new IllegalArgumentException(
            "heat.maxWindow " + max + " must be >= heat.minWindow " + min);
      }
      if (start == null) {
        start = DEFAULT.start;
      }
      start = start.compareTo(min) < 0 ? min : start.compareTo(max) > 0 ? max : start;
    }

    /** A tuner for these bounds and goal. */
    public IntervalTuner tuner(double accessGoal) {
      return new IntervalTuner(accessGoal, start, min, max);
    }
  }

  public static final Path DEFAULT_RUNTIME_DIR = Path.of("/run/tierd");
  public static final long DEFAULT_CHUNK_BYTES = 2L << 20;

  /** Every source that measures by itself, best first; damon-observe only on request. */
  public static final List<SourceKind> DEFAULT_PREFERENCE =
      List.of(
          SourceKind.DAMON_VADDR,
          SourceKind.DAMON_PADDR,
          SourceKind.IDLE_PAGE,
          SourceKind.CLEAR_REFS_SOFT_DIRTY,
          SourceKind.CLEAR_REFS,
          SourceKind.NUMA_MAPS_ACTIVE);

  public HeatConfig {
    if (preference == null || preference.isEmpty()) {
      throw new IllegalArgumentException("heat.sources must name at least one source");
    }
    Set<SourceKind> seen = EnumSet.noneOf(SourceKind.class);
    for (SourceKind k : preference) {
      if (!seen.add(k)) {
        throw new IllegalArgumentException("heat.sources names '" + k.label() + "' twice");
      }
    }
    preference = List.copyOf(preference);
    if (damon == null) {
      throw new IllegalArgumentException("heat.damon is required");
    }
    if (chunkBytes < 4096 || Long.bitCount(chunkBytes) != 1) {
      throw new IllegalArgumentException(
          "heat.chunkBytes " + chunkBytes + " must be a power of two >= 4096");
    }
    if (runtimeDir == null || !runtimeDir.isAbsolute()) {
      throw new IllegalArgumentException(
          "heat.runtimeDir '" + runtimeDir + "' must be an absolute path");
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException("heat.warmup must be >= 0");
    }
    if (!(accessGoal >= 0 && accessGoal < 1)) {
      throw new IllegalArgumentException(
          "heat.accessGoal " + accessGoal + " must be in [0, 1) (0 turns tuning off)");
    }
    if (windows == null) {
      throw new IllegalArgumentException("heat windows are required");
    }
  }

  /** With the default warm-up, access goal and windows. */
  public HeatConfig(
      List<SourceKind> preference, DamonConfig damon, long chunkBytes, Path runtimeDir) {
    this(
        preference,
        damon,
        chunkBytes,
        runtimeDir,
        DEFAULT_WARMUP,
        DEFAULT_ACCESS_GOAL,
        WindowBounds.DEFAULT);
  }

  public static HeatConfig defaults() {
    return new HeatConfig(
        DEFAULT_PREFERENCE, DamonConfig.defaults(), DEFAULT_CHUNK_BYTES, DEFAULT_RUNTIME_DIR);
  }

  /** Parses {@code heat.sources} labels, e.g. {@code [damon-vaddr, clear-refs]}. */
  public static List<SourceKind> parsePreference(List<String> labels) {
    List<SourceKind> out = new ArrayList<>();
    for (String l : labels) {
      out.add(SourceKind.ofLabel(l.strip()));
    }
    return out;
  }

  public HeatConfig withPreference(List<SourceKind> p) {
    return new HeatConfig(p, damon, chunkBytes, runtimeDir, warmup, accessGoal, windows);
  }

  public HeatConfig withRuntimeDir(Path dir) {
    return new HeatConfig(preference, damon, chunkBytes, dir, warmup, accessGoal, windows);
  }

  public HeatConfig withWarmup(Duration w) {
    return new HeatConfig(preference, damon, chunkBytes, runtimeDir, w, accessGoal, windows);
  }

  public HeatConfig withDamon(DamonConfig d) {
    return new HeatConfig(preference, d, chunkBytes, runtimeDir, warmup, accessGoal, windows);
  }

  public HeatConfig withAccessGoal(double goal) {
    return new HeatConfig(preference, damon, chunkBytes, runtimeDir, warmup, goal, windows);
  }

  public HeatConfig withWindows(WindowBounds w) {
    return new HeatConfig(preference, damon, chunkBytes, runtimeDir, warmup, accessGoal, w);
  }
}
