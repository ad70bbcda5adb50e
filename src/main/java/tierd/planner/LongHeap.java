package tierd.planner;

import java.util.Arrays;

/**
 * A binary min-heap of {@code long} keys, built in O(n). The planner packs its orderings (class,
 * heat, idle age) and a list index into one key so that choosing the next candidate among a million
 * costs no comparator calls and no boxing.
 */
final class LongHeap {

  private long[] a;
  private int n;

  /** A heap over the first {@code count} keys of {@code keys}, which it takes over. */
  LongHeap(long[] keys, int count) {
    a = keys;
    n = count;
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  int size() {
    return n;
  }

  boolean isEmpty() {
    return n == 0;
  }

  /** The i-th key in heap order (not sorted), for draining without polling. */
  long at(int i) {
    return a[i];
  }

  void clear() {
    n = 0;
  }

  long peek() {
    return a[0];
  }

  long poll() {
    long top = a[0];
    n--;
    if (n > 0) {
      a[0] = a[n];
      siftDown(0);
    }
    return top;
  }

  void add(long key) {
    if (n == a.length) {
      a = Arrays.copyOf(a, Math.max(8, n * 2));
    }
    int i = n++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (a[parent] <= key) {
        break;
      }
      a[i] = a[parent];
      i = parent;
    }
    a[i] = key;
  }

  private void siftDown(int i) {
    long key = a[i];
    int half = n >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < n && a[right] < a[child]) {
        child = right;
      }
      if (key <= a[child]) {
        break;
      }
      a[i] = a[child];
      i = child;
    }
    a[i] = key;
  }
}
