package tierd.mover;

/**
 * Picks how many pages go into the next move_pages call so that one call stays under the bound.
 *
 * <p>The target is three quarters of the bound. The next batch is what the last <em>full</em> call
 * (one that carried every page the sizer offered) would have carried at the target, its bytes
 * scaled by target / its time, and at most twice the largest call of the last {@link #WINDOW}. A
 * call that took longer than the target holds batches at what it would have carried at the target
 * until it has aged out of the window, so one slow call (reclaim, lock contention, a descheduled
 * vCPU) keeps them small rather than being averaged away.
 *
 * <p>A call carries a fixed cost besides its pages (move_pages drains every CPU's LRU cache first;
 * under emulation that is most of a small call). Sized by the slowest bytes-per-nanosecond of the
 * window, as before 2026-12-07, a request's one-page tail or a small call early in a stage set the
 * size for the next eight calls: batches of a page or two, each again mostly fixed cost, and a move
 * stage under emulation fell to about a hundred pages a second for seconds at a time
 * (BENCHMARKS.md, issue 20). A short call within the target now says nothing about the size, and
 * the size follows the last full call, so it grows by target / time per call while the fixed cost
 * dominates and settles where the pages' own cost fills the target. Not thread-safe.
 */
final class BatchSizer {

  /** Calls remembered: a slow call among them holds the size, the largest caps growth. */
  static final int WINDOW = 8;

  private final long targetNanos;
  private final long initialBytes;
  private final int maxPages;
  private final long[] recentBytes = new long[WINDOW];
  private final long[] recentNanos = new long[WINDOW];
  private int observed;
  private long lastFullBytes;
  private long lastFullNanos;
  private int lastOfferedPages;

  BatchSizer(MoverConfig config) {
    this.targetNanos = config.callBound().toNanos() * 3 / 4;
    this.initialBytes = config.initialBatchPages() * MoveRequest.BASE_PAGE_BYTES;
    this.maxPages = config.maxBatchPages();
  }

  /** Pages of {@code pageBytes} for the next call, in {@code [1, maxBatchPages]}. */
  int next(long pageBytes) {
    double bytes = observed == 0 ? initialBytes : targetBytes();
    long pages = (long) Math.floor(bytes / pageBytes);
    lastOfferedPages = (int) Math.max(1, Math.min(maxPages, pages));
    return lastOfferedPages;
  }

  private double targetBytes() {
    double bytes =
        lastFullNanos <= 0
            ? Double.MAX_VALUE
            : (double) lastFullBytes * targetNanos / lastFullNanos;
    long largest = 0;
    for (int i = 0; i < Math.min(observed, WINDOW); i++) {
      largest = Math.max(largest, recentBytes[i]);
      if (recentNanos[i] > targetNanos) {
        bytes = Math.min(bytes, (double) recentBytes[i] * targetNanos / recentNanos[i]);
      }
    }
    return Math.min(bytes, 2.0 * largest);
  }

  /**
   * Records a finished call of {@code pages} pages of {@code pageBytes} that took {@code nanos}. A
   * call with fewer pages than the last {@link #next} offered that met the target is left out.
   */
  void record(int pages, long pageBytes, long nanos) {
    boolean full = pages >= lastOfferedPages;
    long spent = Math.max(0, nanos);
    if (pages <= 0 || (!full && spent <= targetNanos)) {
      return;
    }
    long bytes = pages * pageBytes;
    recentBytes[observed % WINDOW] = bytes;
    recentNanos[observed % WINDOW] = spent;
    observed++;
    if (full) {
      lastFullBytes = bytes;
      lastFullNanos = spent;
    }
  }

  /** Nanoseconds per byte of the last full call; NaN before any. */
  double nanosPerByte() {
    return lastFullBytes == 0 ? Double.NaN : lastFullNanos / (double) lastFullBytes;
  }
}
