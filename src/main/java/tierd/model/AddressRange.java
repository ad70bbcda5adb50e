package tierd.model;

/**
 * A half-open virtual (or physical) address range {@code [start, end)} in bytes. User-space
 * addresses on x86_64 and arm64 stay below 2^57, so they fit a signed long.
 */
public record AddressRange(long start, long end) implements Comparable<AddressRange> {

  public AddressRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException(
          "bad address range [" + Long.toHexString(start) + "," + Long.toHexString(end) + ")");
    }
  }

  public static AddressRange ofSize(long start, long sizeBytes) {
    return new AddressRange(start, Math.addExact(start, sizeBytes));
  }

  public long sizeBytes() {
    return end - start;
  }

  public boolean isEmpty() {
    return end == start;
  }

  public boolean contains(long address) {
    return address >= start && address < end;
  }

  public boolean contains(AddressRange other) {
    return other.start >= start && other.end <= end;
  }

  public boolean overlaps(AddressRange other) {
    return start < other.end && other.start < end;
  }

  /** The overlap, or an empty range at {@code max(start)} when they do not overlap. */
  public AddressRange intersect(AddressRange other) {
    long s = Math.max(start, other.start);
    long e = Math.min(end, other.end);
    return e <= s ? new AddressRange(s, s) : new AddressRange(s, e);
  }

  public long overlapBytes(AddressRange other) {
    return Math.max(0, Math.min(end, other.end) - Math.max(start, other.start));
  }

  /** This range with both ends aligned outward to {@code alignBytes} (a power of two). */
  public AddressRange alignOut(long alignBytes) {
    long mask = alignBytes - 1;
    return new AddressRange(start & ~mask, (end + mask) & ~mask);
  }

  /** Number of pages of {@code pageBytes} that the range touches. */
  public long pages(long pageBytes) {
    AddressRange a = alignOut(pageBytes);
    return a.sizeBytes() / pageBytes;
  }

  @Override
  public int compareTo(AddressRange o) {
    int c = Long.compare(start, o.start);
    return c != 0 ? c : Long.compare(end, o.end);
  }

  @Override
  public String toString() {
    return Long.toHexString(start) + "-" + Long.toHexString(end);
  }
}
