package tierd.heat.accessed;

/**
 * Reads and writes of scattered 64-bit words (PFN flags, idle-bitmap words) in few system calls:
 * sorted indexes that lie close together are read as one run.
 */
final class Sparse {

  /** Indexes at most this far apart share a read. */
  static final long GAP = 64;

  /** Longest single read, in words (512 KiB). */
  static final int MAX_RUN = 64 << 10;

  private Sparse() {}

  /** Reads {@code count} words from {@code first}. */
  @FunctionalInterface
  interface Reader {
    long[] read(long first, int count);
  }

  /** Writes {@code words} from {@code first}. */
  @FunctionalInterface
  interface Writer {
    void write(long first, long[] words);
  }

  /** Values at the sorted, distinct {@code indexes}. */
  static long[] read(long[] indexes, Reader reader) {
    long[] out = new long[indexes.length];
    int i = 0;
    while (i < indexes.length) {
      int j = i;
      while (j + 1 < indexes.length
          && indexes[j + 1] - indexes[j] <= GAP
          && indexes[j + 1] - indexes[i] < MAX_RUN) {
        j++;
      }
      long first = indexes[i];
      long[] run = reader.read(first, (int) (indexes[j] - first + 1));
      for (int k = i; k <= j; k++) {
        out[k] = run[(int) (indexes[k] - first)];
      }
      i = j + 1;
    }
    return out;
  }

  /**
   * Writes {@code values} at the sorted, distinct {@code indexes}, one call per run of adjacent
   * indexes; nothing is written between runs.
   */
  static void write(long[] indexes, long[] values, Writer writer) {
    int i = 0;
    while (i < indexes.length) {
      int j = i;
      while (j + 1 < indexes.length && indexes[j + 1] == indexes[j] + 1 && j + 1 - i < MAX_RUN) {
        j++;
      }
      long[] run = new long[j - i + 1];
      System.arraycopy(values, i, run, 0, run.length);
      writer.write(indexes[i], run);
      i = j + 1;
    }
  }

  /** Sorted distinct non-negative values of {@code a}. */
  static long[] sortedDistinct(long[] a) {
    long[] c = java.util.Arrays.stream(a).filter(v -> v >= 0).sorted().distinct().toArray();
    return c;
  }
}
