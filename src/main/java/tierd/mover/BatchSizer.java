package tierd.mover;

/**
 * Picks how many pages go into the next move_pages call so that one call stays under the bound.
 *
 * <p>It keeps the cost in nanoseconds per byte of the last {@link #WINDOW} calls (pages of
 * different sizes cost roughly in proportion to their bytes: copying dominates) and sizes the next
 * batch by the <em>slowest</em> of them, so one slow call (reclaim, lock contention, a descheduled
 * vCPU) keeps batches small until it has aged out of the window, rather than being averaged away. A
 * batch grows at most twofold from one call to the next, and the target is three quarters of the
 * bound. Not thread-safe.
 */
final class BatchSizer {

  /** Calls remembered; the slowest of them sets the batch size. */
  static final int WINDOW = 8;

  private final long targetNanos;
  private final long initialBytes;
  private final int maxPages;
  private final double[] recent = new double[WINDOW];
  private int observed;
  private long lastBatchBytes;

  BatchSizer(MoverConfig config) {
    this.targetNanos = config.callBound().toNanos() * 3 / 4;
    this.initialBytes = config.initialBatchPages() * MoveRequest.BASE_PAGE_BYTES;
    this.maxPages = config.maxBatchPages();
  }

  /** Pages of {@code pageBytes} for the next call, in {@code [1, maxBatchPages]}. */
  int next(long pageBytes) {
    double bytes;
    if (observed == 0) {
      bytes = initialBytes;
    } else {
      double perByte = nanosPerByte();
      bytes = perByte <= 0 ? Double.MAX_VALUE : targetNanos / perByte;
      bytes = Math.min(bytes, 2.0 * lastBatchBytes);
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
    recent[observed % WINDOW] = Math.max(0, nanos) / (double) bytes;
    observed++;
  }

  /** The estimate the next batch is sized by: the slowest recent call; NaN before any call. */
  double nanosPerByte() {
    if (observed == 0) {
      return Double.NaN;
    }
    double max = 0;
    for (int i = 0; i < Math.min(observed, WINDOW); i++) {
      max = Math.max(max, recent[i]);
    }
    return max;
  }
}
