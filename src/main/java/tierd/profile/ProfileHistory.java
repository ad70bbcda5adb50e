package tierd.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import tierd.model.DataSize;

/**
 * The profile over time: the windows of the last {@code retention} (oldest first; when there are
 * more than {@code maxWindows}, every other one is dropped, so a long profile keeps its whole span
 * at a coarser step), the latest window in full, and the hot set (p95) over them.
 *
 * <p>Not thread-safe: one cycle records at a time; readers take {@link #summary()}, an immutable
 * value.
 */
public final class ProfileHistory {

  /** Span of the hot-set percentile in the one-line answer (shorter while tierd watched less). */
  public static final Duration HOT_SET_SPAN = Duration.ofMinutes(10);

  /** Percentile over windows of the windows' hot sets. */
  public static final double HOT_SET_PERCENTILE = 0.95;

  private final Duration retention;
  private final boolean perProcess;
  private final int maxWindows;
  private final List<WindowProfile> windows = new ArrayList<>();
  private WindowProfile latest;
  private Instant firstAt;

  /**
   * @param retention how far back windows are kept (at least {@link #HOT_SET_SPAN} makes sense)
   * @param perProcess keep each window's processes and cgroups, or only the host's figures
   * @param maxWindows at most this many windows (≥ 2)
   */
  public ProfileHistory(Duration retention, boolean perProcess, int maxWindows) {
    if (maxWindows < 2 || retention.isNegative()) {
      throw new IllegalArgumentException("maxWindows " + maxWindows + ", retention " + retention);
    }
    this.retention = retention;
    this.perProcess = perProcess;
    this.maxWindows = maxWindows;
  }

  /** A daemon's history: the host's figures over {@link #HOT_SET_SPAN}. */
  public static ProfileHistory forDaemon() {
    return new ProfileHistory(HOT_SET_SPAN, false, 720);
  }

  public void record(WindowProfile w) {
    if (firstAt == null) {
      firstAt = w.at();
    }
    latest = w;
    windows.add(perProcess ? w.kept() : w.hostOnly());
    Instant oldest = w.at().minus(retention);
    windows.removeIf(x -> x.at().isBefore(oldest));
    if (windows.size() > maxWindows) {
      List<WindowProfile> thinned = new ArrayList<>();
      for (int i = windows.size() - 1; i >= 0; i -= 2) {
        thinned.add(0, windows.get(i));
      }
      windows.clear();
      windows.addAll(thinned);
    }
  }

  public Optional<WindowProfile> latest() {
    return Optional.ofNullable(latest);
  }

  /** The kept windows, oldest first. */
  public List<WindowProfile> windows() {
    return List.copyOf(windows);
  }

  /** From the first window recorded to the latest. */
  public Duration watched() {
    return latest == null ? Duration.ZERO : Duration.between(firstAt, latest.at());
  }

  /**
   * The hot set (p95) over the last {@code span}: the {@link #HOT_SET_PERCENTILE} percentile,
   * nearest rank, of the host's per-window hot sets among the kept windows of that span in which
   * some access was seen; empty when there is none.
   */
  public OptionalLong hotSet(Duration span) {
    if (latest == null) {
      return OptionalLong.empty();
    }
    Instant from = latest.at().minus(span);
    List<Long> sets = new ArrayList<>();
    for (WindowProfile w : windows) {
      if (!w.at().isBefore(from) && w.host().accessed()) {
        sets.add(w.host().hotSetBytes());
      }
    }
    long[] values = sets.stream().mapToLong(Long::longValue).toArray();
    long[] ones = new long[values.length];
    java.util.Arrays.fill(ones, 1);
    return ByteQuantiles.quantile(values, ones, HOT_SET_PERCENTILE);
  }

  /** The latest figures with the hot set (p95) and the one-line answer; empty before a window. */
  public Optional<ProfileSummary> summary() {
    if (latest == null) {
      return Optional.empty();
    }
    Duration span = watched().compareTo(HOT_SET_SPAN) < 0 ? watched() : HOT_SET_SPAN;
    OptionalLong hot = hotSet(span);
    return Optional.of(
        new ProfileSummary(latest.kept(), hot, span, watched(), sentence(hot, span)));
  }

  private String sentence(OptionalLong hotSet, Duration span) {
    Breakdown host = latest.host();
    if (hotSet.isEmpty()) {
      return String.format(
          Locale.ROOT,
          "no access seen yet in %s of %d processes (watched %s)",
          DataSize.human(host.residentBytes()),
          latest.processCount(),
          words(watched()));
    }
    // the longest idle age tierd can speak for: one it has watched for, or one the source saw
    int t = -1;
    for (int i = 0; i < Breakdown.IDLE_THRESHOLDS.size(); i++) {
      if (Breakdown.IDLE_THRESHOLDS.get(i).compareTo(watched()) <= 0 || host.idleBytes(i) > 0) {
        t = i;
      }
    }
    String idle =
        t < 0
            ? "idle memory shows after " + words(Breakdown.IDLE_THRESHOLDS.get(0)) + " of watching"
            : DataSize.human(host.idleBytes(t))
                + " has been idle for over "
                + words(Breakdown.IDLE_THRESHOLDS.get(t))
                + " and could live on slower memory";
    return String.format(
        Locale.ROOT,
        "your hot set is %s (p95 over %s); %s (of %s resident in %d processes)",
        DataSize.human(hotSet.getAsLong()),
        words(span),
        idle,
        DataSize.human(host.residentBytes()),
        latest.processCount());
  }

  /** "45 s", "2 min", "2 min 30 s", "1 h", "1 h 5 min". */
  public static String words(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s % 60 == 0 ? s / 60 + " min" : s / 60 + " min " + s % 60 + " s";
    }
    long min = (s % 3600) / 60;
    return min == 0 ? s / 3600 + " h" : s / 3600 + " h " + min + " min";
  }
}
