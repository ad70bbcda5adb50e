package tierd.mover;

import java.time.Duration;

/**
 * Settings of the page mover, validated once.
 *
 * @param callBound the longest a single move_pages call should block the target process; the batch
 *     size adapts to keep each call under it (default 20 ms, after katalyst-core's adaptive
 *     move_pages batching)
 * @param initialBatchPages base pages in the first call, before any timing is known
 * @param maxBatchPages upper bound on addresses in one call, whatever the timing says
 * @param moveAll pass {@code MPOL_MF_MOVE_ALL} (also pages shared with other processes; needs
 *     CAP_SYS_NICE) instead of {@code MPOL_MF_MOVE}
 * @param retryBusy retry EBUSY (and not-migrated) pages once, after the other requests
 * @param progressLogInterval how often a long move logs its progress at debug level
 */
public record MoverConfig(
    Duration callBound,
    int initialBatchPages,
    int maxBatchPages,
    boolean moveAll,
    boolean retryBusy,
    Duration progressLogInterval) {

  public static final MoverConfig DEFAULT =
      new MoverConfig(Duration.ofMillis(20), 64, 16384, false, true, Duration.ofSeconds(1));

  public MoverConfig {
    if (callBound.isNegative()
        || callBound.isZero()
        || callBound.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("mover.callBound must be in (0, 10s], got " + callBound);
    }
    if (maxBatchPages < 1 || maxBatchPages > 1 << 20) {
      throw new IllegalArgumentException(
          "mover.maxBatchPages must be in [1, 1048576], got " + maxBatchPages);
    }
    if (initialBatchPages < 1 || initialBatchPages > maxBatchPages) {
      throw new IllegalArgumentException(
          "mover.initialBatchPages must be in [1, maxBatchPages="
              + maxBatchPages
              + "], got "
              + initialBatchPages);
    }
    if (progressLogInterval.isNegative() || progressLogInterval.isZero()) {
      throw new IllegalArgumentException(
          "mover.progressLogInterval must be positive, got " + progressLogInterval);
    }
  }

  public MoverConfig withCallBound(Duration bound) {
    return new MoverConfig(
        bound, initialBatchPages, maxBatchPages, moveAll, retryBusy, progressLogInterval);
  }

  public MoverConfig withBatchPages(int initial, int max) {
    return new MoverConfig(callBound, initial, max, moveAll, retryBusy, progressLogInterval);
  }

  public MoverConfig withMoveAll(boolean all) {
    return new MoverConfig(
        callBound, initialBatchPages, maxBatchPages, all, retryBusy, progressLogInterval);
  }

  public MoverConfig withRetryBusy(boolean retry) {
    return new MoverConfig(
        callBound, initialBatchPages, maxBatchPages, moveAll, retry, progressLogInterval);
  }
}
