package tierd.planner;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;

/**
 * Candidates in the order a step takes them: list indices ordered by (group, rank, index), smallest
 * first. Each entry is packed into one {@code long} — the group in bit 62, a 31-bit rank in bits
 * 31–61, the 31-bit list index in bits 0–30 — and kept in a binary min-heap built in O(n), so that
 * choosing the next among a million candidates costs no comparator calls and no boxing. The index
 * makes every key unique, so the order of polling never depends on how the heap was built.
 *
 * <p>{@link #take} hands out the first entry and remembers it; {@link #putBackTaken} returns those
 * still wanted — how an exchange that gave up leaves its victims for the next one.
 */
final class CandidateQueue {

  /** The largest rank (and list index) a key holds: 2^31 − 1. */
  static final long MAX_RANK = (1L << 31) - 1;

  private static final int RANK_SHIFT = 31;
  private static final long LATER_GROUP = 1L << 62;

  private long[] keys;
  private int size;
  private long[] taken = new long[8];
  private int takenCount;

  /** A queue over the first {@code count} keys made by {@link #key}; it takes the array over. */
  CandidateQueue(long[] keys, int count) {
    this.keys = keys;
    this.size = count;
    for (int i = size / 2 - 1; i >= 0; i--) {
      siftDown(i);
    }
  }

  /**
   * The key of list entry {@code index}: entries of the first group before those of the later one,
   * within a group by rising {@code rank} (0..{@link #MAX_RANK}), then by index.
   */
  static long key(boolean laterGroup, long rank, int index) {
    return (laterGroup ? LATER_GROUP : 0) | (rank << RANK_SHIFT) | index;
  }

  /** A fraction in [0, 1] (clamped) as a rank: 0 → 0, 1 → {@link #MAX_RANK}. */
  static long rankOfFraction(double fraction) {
    return (long) (Math.max(0, Math.min(1, fraction)) * MAX_RANK);
  }

  private static int indexOf(long key) {
    return (int) (key & MAX_RANK);
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The list index of the first entry, left in the queue. */
  int peek() {
    return indexOf(keys[0]);
  }

  /** Removes the first entry and returns its list index. */
  int poll() {
    return indexOf(pollKey());
  }

  /** Removes the first entry, remembers it for {@link #putBackTaken}, returns its list index. */
  int take() {
    long key = pollKey();
    if (takenCount == taken.length) {
      taken = Arrays.copyOf(taken, takenCount * 2);
    }
    taken[takenCount++] = key;
    return indexOf(key);
  }

  /** Puts back, in the order taken, the entries taken since the last call that {@code keep}s. */
  void putBackTaken(IntPredicate keep) {
    for (int i = 0; i < takenCount; i++) {
      if (keep.test(indexOf(taken[i]))) {
        add(taken[i]);
      }
    }
    takenCount = 0;
  }

  /** Hands every remaining list index to {@code each}, in no particular order, and empties it. */
  void drain(IntConsumer each) {
    for (int i = 0; i < size; i++) {
      each.accept(indexOf(keys[i]));
    }
    size = 0;
  }

  private long pollKey() {
    long top = keys[0];
    size--;
    if (size > 0) {
      keys[0] = keys[size];
      siftDown(0);
    }
    return top;
  }

  private void add(long key) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, Math.max(8, size * 2));
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[parent] <= key) {
        break;
      }
      keys[i] = keys[parent];
      i = parent;
    }
    keys[i] = key;
  }

  private void siftDown(int i) {
    long key = keys[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      int right = child + 1;
      if (right < size && keys[right] < keys[child]) {
        child = right;
      }
      if (key <= keys[child]) {
        break;
      }
      keys[i] = keys[child];
      i = child;
    }
    keys[i] = key;
  }
}
