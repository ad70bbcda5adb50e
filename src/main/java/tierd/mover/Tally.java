package tierd.mover;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import tierd.model.DataSize;

/**
 * Pages per {@link Outcome} and the bytes that moved (dry-run: would move). Immutable; build one
 * with {@link Builder}. Page counts are in request pages (see {@link MoveRequest#pageBytes()}).
 */
public final class Tally {

  public static final Tally EMPTY = new Tally(new long[Outcome.values().length], 0);

  private final long[] pages;
  private final long bytesMoved;

  private Tally(long[] pages, long bytesMoved) {
    this.pages = pages;
    this.bytesMoved = bytesMoved;
  }

  public long pages(Outcome outcome) {
    return pages[outcome.ordinal()];
  }

  /** All pages, whatever their outcome. */
  public long totalPages() {
    long n = 0;
    for (long p : pages) {
      n += p;
    }
    return n;
  }

  public long bytesMoved() {
    return bytesMoved;
  }

  /** Non-zero counts, in outcome order. */
  public Map<Outcome, Long> asMap() {
    EnumMap<Outcome, Long> m = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      if (pages[o.ordinal()] != 0) {
        m.put(o, pages[o.ordinal()]);
      }
    }
    return Collections.unmodifiableMap(m);
  }

  public Tally plus(Tally other) {
    long[] sum = pages.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.pages[i];
    }
    return new Tally(sum, bytesMoved + other.bytesMoved);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tally t && t.bytesMoved == bytesMoved && Arrays.equals(t.pages, pages);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pages) * 31 + Long.hashCode(bytesMoved);
  }

  /** e.g. {@code {MOVED=512, ENOENT=3} moved=2MiB}. */
  @Override
  public String toString() {
    return asMap() + " moved=" + DataSize.human(bytesMoved);
  }

  /** Accumulates a tally; not thread-safe. */
  public static final class Builder {
    private final long[] pages = new long[Outcome.values().length];
    private long bytesMoved;

    /** Adds {@code n} pages of {@code pageBytes} each with this outcome. */
    public Builder add(Outcome outcome, long n, long pageBytes) {
      if (n < 0) {
        throw new IllegalArgumentException("negative page count " + n + " for " + outcome);
      }
      pages[outcome.ordinal()] += n;
      if (outcome == Outcome.MOVED) {
        bytesMoved += n * pageBytes;
      }
      return this;
    }

    /** Pages with this outcome so far. */
    public long pages(Outcome outcome) {
      return pages[outcome.ordinal()];
    }

    public Builder add(Tally t) {
      for (int i = 0; i < pages.length; i++) {
        pages[i] += t.pages[i];
      }
      bytesMoved += t.bytesMoved;
      return this;
    }

    public Tally build() {
      return new Tally(pages.clone(), bytesMoved);
    }
  }
}
