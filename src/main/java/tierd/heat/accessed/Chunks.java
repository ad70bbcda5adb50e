package tierd.heat.accessed;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;

/**
 * Page counts per {@code chunkBytes}-aligned chunk of one VMA, for the page-granular sources
 * (idle-page, clear-refs+soft-dirty). Each tracked page is counted in its chunk together with
 * whether the window saw it accessed; {@link #emit} makes one {@link RegionSample} of each chunk
 * that has tracked pages, clipped to the VMA, with its age from the source's {@link AgeTracker}.
 */
final class Chunks {

  /** How a chunk's {@code nrAccesses} follow from its counts. */
  @FunctionalInterface
  interface Accesses {
    long of(long accessedPages, long trackedPages);
  }

  /** A chunk's {@code nrAccesses} are its accessed pages. */
  static final Accesses ACCESSED_PAGES = (accessed, tracked) -> accessed;

  private final AddressRange vma;
  private final long chunkBytes;
  private final TreeMap<Long, long[]> counts =
      new TreeMap<>(); // chunk start -> {accessed, tracked}
  private long accessedPages;
  private long trackedPages;

  Chunks(AddressRange vma, long chunkBytes) {
    if (chunkBytes <= 0 || Long.bitCount(chunkBytes) != 1) {
      throw new IllegalArgumentException("chunkBytes must be a power of two, got " + chunkBytes);
    }
    this.vma = vma;
    this.chunkBytes = chunkBytes;
  }

  /** Counts one tracked page at {@code pageAddress}. */
  void count(long pageAddress, boolean accessed) {
    long[] c = counts.computeIfAbsent(pageAddress & -chunkBytes, k -> new long[2]);
    c[1]++;
    trackedPages++;
    if (accessed) {
      c[0]++;
      accessedPages++;
    }
  }

  long accessedPages() {
    return accessedPages;
  }

  long trackedPages() {
    return trackedPages;
  }

  /**
   * Adds one sample per chunk to {@code out}: {@code maxAccesses} = its tracked pages, {@code
   * nrAccesses} = {@code accesses} of its counts (capped at the tracked pages).
   */
  void emit(
      int pid,
      Duration window,
      long nowNanos,
      AgeTracker ages,
      String source,
      Accesses accesses,
      Consumer<RegionSample> out) {
    for (Map.Entry<Long, long[]> c : counts.entrySet()) {
      long tracked = c.getValue()[1];
      long nr = Math.max(0, Math.min(tracked, accesses.of(c.getValue()[0], tracked)));
      AddressRange range =
          new AddressRange(
              Math.max(c.getKey(), vma.start()), Math.min(c.getKey() + chunkBytes, vma.end()));
      out.accept(
          new RegionSample(
              pid,
              range,
              Math.toIntExact(nr),
              Math.toIntExact(tracked),
              window,
              ages.age(pid, range, nr, tracked, nowNanos),
              source));
    }
  }
}
