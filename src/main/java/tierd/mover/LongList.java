package tierd.mover;

import java.util.Arrays;

/** A growable array of longs (page addresses), without boxing. */
final class LongList {
  private long[] values;
  private int size;

  LongList(int capacity) {
    values = new long[Math.max(4, capacity)];
  }

  void add(long v) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = v;
  }

  int size() {
    return size;
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
