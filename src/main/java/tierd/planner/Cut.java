package tierd.planner;

/**
 * The prefix of a range that fits a byte allowance: the range {@code [start, end)} of a segment
 * moves in part, up to {@code end}, with {@code bytes} of its bytes.
 */
record Cut(long end, long bytes) {

  /**
   * The longest prefix of {@code [start, end)} whose share of {@code bytes} fits {@code
   * availableBytes}: the whole range when all of it fits, else a prefix whose end is aligned down
   * to {@code unitBytes}, with bytes in proportion to its length (capped at the allowance). Null
   * when not even one unit fits.
   */
  static Cut fit(long start, long end, long bytes, long availableBytes, long unitBytes) {
    if (bytes <= availableBytes) {
      return new Cut(end, bytes);
    }
    long lengthBytes = end - start;
    long wantedBytes = (long) (lengthBytes * ((double) availableBytes / bytes));
    long cutEnd = start + wantedBytes;
    cutEnd -= Math.floorMod(cutEnd, unitBytes);
    if (cutEnd <= start) {
      return null;
    }
    long cutBytes = (long) (bytes * ((double) (cutEnd - start) / lengthBytes));
    return new Cut(cutEnd, Math.min(cutBytes, availableBytes));
  }

  /**
   * The shortest prefix of {@code [start, end)} whose share of {@code bytes} is at least {@code
   * wantedBytes}: its end aligned up to {@code unitBytes}, the whole range when that reaches its
   * end or the range holds no more than {@code wantedBytes}. How a move takes only the part of a
   * segment that is needed (the room a promotion waits for) rather than all of it.
   */
  static Cut atLeast(long start, long end, long bytes, long wantedBytes, long unitBytes) {
    if (bytes <= wantedBytes) {
      return new Cut(end, bytes);
    }
    long lengthBytes = end - start;
    long cutEnd =
        start + (long) Math.ceil(lengthBytes * ((double) Math.max(0, wantedBytes) / bytes));
    long misalignment = Math.floorMod(cutEnd, unitBytes);
    if (misalignment != 0) {
      cutEnd += unitBytes - misalignment;
    }
    if (cutEnd >= end) {
      return new Cut(end, bytes);
    }
    long cutBytes = (long) Math.ceil(bytes * ((double) (cutEnd - start) / lengthBytes));
    return new Cut(cutEnd, Math.min(cutBytes, bytes));
  }
}
