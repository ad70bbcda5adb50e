package tierd.mover;

import java.util.List;
import tierd.model.AddressRange;

/**
 * Walks the page addresses of a request's (merged, page-aligned) ranges in chunks, without ever
 * holding all of them: a request may name terabytes.
 */
final class PageCursor {

  private final List<AddressRange> ranges;
  private final long pageBytes;
  private int range;
  private long next;
  private long remaining;

  PageCursor(MoveRequest request) {
    this.ranges = request.ranges();
    this.pageBytes = request.pageBytes();
    this.remaining = request.pages();
    this.range = 0;
    this.next = ranges.isEmpty() ? 0 : ranges.get(0).start();
  }

  boolean hasNext() {
    return remaining > 0;
  }

  long remaining() {
    return remaining;
  }

  /** Up to {@code max} next addresses. */
  long[] next(int max) {
    int n = (int) Math.min(max, remaining);
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      while (next >= ranges.get(range).end()) {
        range++;
        next = ranges.get(range).start();
      }
      out[i] = next;
      next += pageBytes;
    }
    remaining -= n;
    return out;
  }

  /** Gives up on the rest; returns how many pages that was. */
  long skipRest() {
    long n = remaining;
    remaining = 0;
    return n;
  }
}
