package tierd.mover;

/**
 * Picks how many pages go into the next move_pages call so that one call stays under the bound.
 *
 * <p>It keeps an estimate of nanoseconds per byte from the calls so far (pages of different sizes
 * cost roughly in proportion to their bytes: copying dominates). A slower observation replaces the
 * estimate at once, a faster one halves the difference, so one slow call shrinks the next batch
 * immediately while speed-ups are trusted gradually; a batch also grows at most twofold from one
 * call to the next. The target is three quarters of the bound, leaving room for the jitter of
 * reclaim and lock contention. Not thread-safe; one per mover call and kind of call.
 */
final class BatchSizer {

  private final long targetNanos;
  private final long initialBytes;
  private final int maxPages;
  private double nanosPerByte = Double.NaN;
  private long lastBatchBytes;

  BatchSizer(MoverConfig config) {
    this.targetNanos = config.callBound().toNanos() * 3 / 4;
    this.initialBytes = config.initialBatchPages() * MoveRequest.BASE_PAGE_BYTES;
    this.maxPages = config.maxBatchPages();
  }

  /** Pages of {@code pageBytes} for the next call, in {@code [1, maxBatchPages]}. */
  int next(long pageBytes) {
    double bytes;
    if (Double.isNaN(nanosPerByte)) {
      bytes = initialBytes;
    } else {
      bytes = nanosPerByte <= 0 ? Double.MAX_VALUE : targetNanos / nanosPerByte;
      if (lastBatchBytes > 0) {
        bytes = Math.min(bytes, 2.0 * lastBatchBytes);
      }
    }
    long pages = (long) Math.floor(bytes / pageBytes);
    return (int) Math.max(1, Math.min(maxPages, pages));
  }

  /**
   * Records a finished call of {@code pages} pages of {@code pageBytes} that took {@code nanos}.
   */
  void record(int pages, long pageBytes, long nanos) {
    if (pages <= 0) {
      return;
    }
    long bytes = pages * pageBytes;
    lastBatchBytes = bytes;
    double observed = Math.max(0, nanos) / (double) bytes;
    if (Double.isNaN(nanosPerByte) || observed > nanosPerByte) {
      nanosPerByte = observed;
    } else {
      nanosPerByte = (nanosPerByte + observed) / 2;
    }
  }

  /** The current estimate, NaN before the first call. */
  double nanosPerByte() {
    return nanosPerByte;
  }
}
