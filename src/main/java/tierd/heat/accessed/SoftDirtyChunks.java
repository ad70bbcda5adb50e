package tierd.heat.accessed;

import tierd.source.proc.Pagemap;
import tierd.source.proc.Smaps;

/**
 * Page-granular write heat of one VMA from soft-dirty bits (pagemap bit 55), combined with the
 * VMA's reads from smaps, for {@link ClearRefsSource} in its {@code clear-refs+soft-dirty} kind.
 *
 * <p>Per chunk of the VMA: {@code maxAccesses} = present pages; {@code nrAccesses} = written
 * (soft-dirty) pages plus the chunk's share of the VMA's <em>read-only</em> referenced pages
 * ({@code Referenced} minus written, as smaps counts a written page as referenced too), spread
 * evenly over the VMA's unwritten present pages. The chunks' accesses therefore add up to the VMA's
 * referenced pages, as the per-VMA clear-refs source reports them, while written pages stay where
 * they are.
 */
final class SoftDirtyChunks {

  /** Pages read per pagemap batch: 128 MiB of 4 KiB pages. */
  static final int BATCH_PAGES = 32 << 10;

  private final long pageBytes;
  private final long chunkBytes;

  SoftDirtyChunks(long pageBytes, long chunkBytes) {
    if (pageBytes <= 0 || Long.bitCount(pageBytes) != 1) {
      throw new IllegalArgumentException("pageBytes must be a power of two, got " + pageBytes);
    }
    if (chunkBytes < pageBytes || Long.bitCount(chunkBytes) != 1) {
      throw new IllegalArgumentException(
          "chunkBytes must be a power of two >= " + pageBytes + ", got " + chunkBytes);
    }
    this.pageBytes = pageBytes;
    this.chunkBytes = chunkBytes;
  }

  long pageBytes() {
    return pageBytes;
  }

  /**
   * The present pages of {@code vma} per chunk, its soft-dirty (written) pages counted as accessed;
   * emit them with {@link #accesses}.
   */
  Chunks scan(Pagemap pagemap, Smaps.Entry vma) {
    Chunks chunks = new Chunks(vma.range(), chunkBytes);
    pagemap.scan(
        vma.range().alignOut(pageBytes),
        pageBytes,
        BATCH_PAGES,
        (firstPage, entries) -> {
          for (int i = 0; i < entries.length; i++) {
            if (Pagemap.present(entries[i])) {
              chunks.count(firstPage + i * pageBytes, Pagemap.softDirty(entries[i]));
            }
          }
        });
    return chunks;
  }

  /** {@link #accesses} for a VMA scanned into {@code chunks}, from its smaps entry. */
  Chunks.Accesses accesses(Smaps.Entry vma, Chunks chunks) {
    return accesses(
        vma.referencedBytes() / pageBytes, chunks.accessedPages(), chunks.trackedPages());
  }

  /**
   * A chunk's accesses: its written pages plus {@code (present - written) × share}, where share =
   * the VMA's read-only referenced pages ÷ its unwritten present pages (at most 1).
   */
  static Chunks.Accesses accesses(long referencedPages, long writtenPages, long presentPages) {
    long readOnly = Math.max(0, referencedPages - writtenPages);
    long unwritten = presentPages - writtenPages;
    if (readOnly == 0 || unwritten <= 0) {
      return Chunks.ACCESSED_PAGES;
    }
    double share = Math.min(1.0, (double) readOnly / unwritten);
    return (written, present) -> written + Math.round((present - written) * share);
  }
}
