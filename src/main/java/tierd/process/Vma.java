package tierd.process;

import java.util.SortedMap;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.PerNode;
import tierd.source.proc.NumaMaps;

/**
 * One virtual memory area of a managed process: its range (from maps), effective policy and pages
 * per node (from numa_maps). Page counts are in units of {@code pageBytes}: huge pages for hugetlb
 * VMAs, base pages otherwise (THP folios count as their base pages). {@code activePages} is
 * numa_maps' {@code active=} (pages on the active LRU; the kernel omits it when all are active).
 * {@code presentPages} is the sum of {@code pages}, kept because every stage asks for it; the
 * constructors without it compute it. Pages per node are a compact {@link PerNode}: a daemon keeps
 * every managed VMA between cycles, tens of thousands of them. {@code thpEligible}: smaps' {@code
 * THPeligible} for the VMA, whether it may hold PMD-mapped THP folios (false under MADV_NOHUGEPAGE,
 * THP "never", or "madvise" without MADV_HUGEPAGE); true when unknown (the constructors without it,
 * an unreadable smaps, a kernel before 5.0), so the planner then keeps its folio-safe alignment.
 */
public record Vma(
    AddressRange range,
    String perms,
    String path,
    MemPolicy policy,
    NumaMaps.Backing backing,
    boolean hugetlb,
    long pageBytes,
    long anonPages,
    long mapmax,
    PerNode pages,
    long activePages,
    long presentPages,
    boolean thpEligible) {

  public Vma {
    if (pageBytes <= 0 || Long.bitCount(pageBytes) != 1) {
      // numa_maps' parser rejects such a page size; a VMA never carries one into a division
      throw new IllegalArgumentException("page size " + pageBytes + " is not a power of two");
    }
    if (presentPages != pages.total()) {
      throw new IllegalArgumentException(
          "presentPages " + presentPages + " is not the sum of " + pages);
    }
  }

  /** As the canonical constructor, with pages per node as a map (zero counts dropped). */
  public Vma(
      AddressRange range,
      String perms,
      String path,
      MemPolicy policy,
      NumaMaps.Backing backing,
      boolean hugetlb,
      long pageBytes,
      long anonPages,
      long mapmax,
      SortedMap<Integer, Long> pagesPerNode,
      long activePages) {
    this(
        range,
        perms,
        path,
        policy,
        backing,
        hugetlb,
        pageBytes,
        anonPages,
        mapmax,
        PerNode.of(pagesPerNode),
        activePages,
        sum(pagesPerNode),
        true);
  }

  /**
   * This VMA with smaps' {@code THPeligible} set to {@code eligible} (itself when it already is).
   */
  public Vma withThpEligible(boolean eligible) {
    if (eligible == thpEligible) {
      return this;
    }
    return new Vma(
        range,
        perms,
        path,
        policy,
        backing,
        hugetlb,
        pageBytes,
        anonPages,
        mapmax,
        pages,
        activePages,
        presentPages,
        eligible);
  }

  /** A VMA whose present pages are all on the active LRU (numa_maps printed no {@code active=}). */
  public Vma(
      AddressRange range,
      String perms,
      String path,
      MemPolicy policy,
      NumaMaps.Backing backing,
      boolean hugetlb,
      long pageBytes,
      long anonPages,
      long mapmax,
      SortedMap<Integer, Long> pagesPerNode) {
    this(
        range,
        perms,
        path,
        policy,
        backing,
        hugetlb,
        pageBytes,
        anonPages,
        mapmax,
        pagesPerNode,
        sum(pagesPerNode));
  }

  private static long sum(SortedMap<Integer, Long> pagesPerNode) {
    long s = 0;
    for (long v : pagesPerNode.values()) {
      s += v;
    }
    return s;
  }

  /** Pages per node as a new map (for reports and tests; stages walk {@link #pages()}). */
  public SortedMap<Integer, Long> pagesPerNode() {
    return pages.toMap();
  }

  public long presentBytes() {
    return presentPages() * pageBytes;
  }

  public long bytesOn(int node) {
    return pages.countOn(node) * pageBytes;
  }

  /**
   * The bytes per node in a span of {@code spanBytes} of this VMA, estimated from its pages per
   * node: the pages are taken as spread evenly over the range, so the span holds the share {@code
   * spanBytes / size} of each node's pages, rounded to whole pages (nodes that round to none are
   * left out). Where no {@code move_pages} query covered a range, this is what tierd knows of it.
   */
  public PerNode estimatedBytes(long spanBytes) {
    return pages.scaled(shareOf(spanBytes), pageBytes);
  }

  /** The share of this VMA that a span of {@code spanBytes} inside it is: span / size. */
  public double shareOf(long spanBytes) {
    return (double) spanBytes / range.sizeBytes();
  }

  /**
   * The estimate of {@link #estimatedBytes(long)} for {@code pageCount} of this VMA's pages (one
   * node's, or several nodes' summed) in a span that is {@code share} ({@link #shareOf}) of the
   * VMA, without building a {@link PerNode}.
   */
  public long bytesInShare(long pageCount, double share) {
    return PerNode.scaledCount(pageCount, share, pageBytes);
  }

  public NodeSet nodes() {
    return pages.nodeSet();
  }

  /** Mapped by more than one process (some page has mapcount > 1): needs MPOL_MF_MOVE_ALL. */
  public boolean shared() {
    return mapmax > 1 || (perms.length() == 4 && perms.charAt(3) == 's');
  }

  public boolean anonymous() {
    return backing != NumaMaps.Backing.FILE;
  }
}
