package tierd.fake;

import java.util.Arrays;
import java.util.SortedMap;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;

/**
 * One VMA of a {@link FakeProcess}: its range, what backs it, its policy, and the node of each of
 * its pages (a base page, or a 2 MiB folio for THP and hugetlb VMAs). Setup methods return {@code
 * this} so a test reads as one chain.
 */
public final class FakeVma {

  /** How the VMA's memory is paged. */
  public enum PageKind {
    /** 4 KiB base pages. */
    BASE(4096),
    /** A normal VMA backed by PMD-sized transparent huge pages (2 MiB folios). */
    THP(2L << 20),
    /** A hugetlbfs VMA of 2 MiB pages ({@code huge} in numa_maps, counts in huge pages). */
    HUGETLB(2L << 20);

    final long unitBytes;

    PageKind(long unitBytes) {
      this.unitBytes = unitBytes;
    }

    public long unitBytes() {
      return unitBytes;
    }
  }

  /** What numa_maps prints after the policy. */
  public enum Backing {
    ANON,
    HEAP,
    STACK,
    FILE
  }

  static final int ABSENT = -1;
  static final int ZERO_PAGE = -2;

  private final FakeKernel kernel;
  private final AddressRange range;
  private final PageKind kind;
  private final Backing backing;
  private final String path;
  private MemPolicy policy;
  private final int[] node;
  private final boolean[] shared;
  private final int[] busy;
  private final int[] failMigration;

  FakeVma(FakeKernel kernel, AddressRange range, PageKind kind, Backing backing, String path) {
    if (range.isEmpty()
        || range.start() % kind.unitBytes != 0
        || range.end() % kind.unitBytes != 0) {
      throw new IllegalArgumentException(
          "VMA " + range + " is not a non-empty multiple of " + kind.unitBytes + " bytes");
    }
    if ((backing == Backing.FILE) != (path != null)) {
      throw new IllegalArgumentException("a FILE VMA needs a path, and only it");
    }
    this.kernel = kernel;
    this.range = range;
    this.kind = kind;
    this.backing = backing;
    this.path = path;
    int units = Math.toIntExact(range.sizeBytes() / kind.unitBytes);
    this.node = new int[units];
    Arrays.fill(node, ABSENT);
    this.shared = new boolean[units];
    this.busy = new int[units];
    this.failMigration = new int[units];
  }

  public AddressRange range() {
    return range;
  }

  public PageKind kind() {
    return kind;
  }

  public Backing backing() {
    return backing;
  }

  public String path() {
    return path;
  }

  /** The VMA's own policy, or null when it has none (numa_maps then shows the task's). */
  public MemPolicy policy() {
    return policy;
  }

  /** Sets the VMA policy, as mbind would. The fake's move_pages ignores it, like the kernel's. */
  public FakeVma policy(MemPolicy p) {
    this.policy = p;
    return this;
  }

  /** Faults in every page on {@code nodeId} (writes: real pages, not the zero page). */
  public FakeVma populate(int nodeId) {
    return populate(range.start(), range.sizeBytes(), nodeId);
  }

  /** Faults in the pages of {@code [addr, addr + bytes)} on {@code nodeId}. */
  public FakeVma populate(long addr, long bytes, int nodeId) {
    for (int u : units(addr, bytes)) {
      if (node[u] >= 0) {
        kernel.release(node[u], kind.unitBytes);
      }
      kernel.allocate(nodeId, kind.unitBytes);
      node[u] = nodeId;
    }
    return this;
  }

  /** Read-faults never-written pages: they map the shared zero page (status -EFAULT). */
  public FakeVma readOnlyTouch(long addr, long bytes) {
    if (kind == PageKind.HUGETLB) {
      throw new IllegalArgumentException("hugetlb VMAs have no zero page here");
    }
    for (int u : units(addr, bytes)) {
      if (node[u] == ABSENT) {
        node[u] = ZERO_PAGE;
      }
    }
    return this;
  }

  /** Frees the pages (MADV_DONTNEED): they read as not present again. */
  public FakeVma discard(long addr, long bytes) {
    for (int u : units(addr, bytes)) {
      if (node[u] >= 0) {
        kernel.release(node[u], kind.unitBytes);
      }
      node[u] = ABSENT;
    }
    return this;
  }

  /** Marks the page at {@code addr} as mapped by another process too (mapcount 2). */
  public FakeVma share(long addr) {
    shared[unit(addr)] = true;
    return this;
  }

  /** The next {@code times} move attempts of the page at {@code addr} get status -EBUSY. */
  public FakeVma busy(long addr, int times) {
    busy[unit(addr)] = times;
    return this;
  }

  /**
   * The next {@code times} migrations of the page at {@code addr} fail inside the kernel's
   * migrate_pages (pinned, -EAGAIN after retries): move_pages returns a positive count and leaves
   * the status entries of that batch untouched.
   */
  public FakeVma failMigration(long addr, int times) {
    failMigration[unit(addr)] = times;
    return this;
  }

  /** The node of the page at {@code addr}; -1 not present, -2 the zero page. */
  public int nodeOf(long addr) {
    return node[unit(addr)];
  }

  /** Present pages per node, in numa_maps units (base pages, or huge pages for hugetlb). */
  public SortedMap<Integer, Long> pagesPerNode() {
    SortedMap<Integer, Long> m = new TreeMap<>();
    long per = kind == PageKind.THP ? kind.unitBytes / 4096 : 1;
    for (int n : node) {
      if (n >= 0) {
        m.merge(n, per, Long::sum);
      }
    }
    return m;
  }

  boolean anyShared() {
    for (int u = 0; u < node.length; u++) {
      if (shared[u] && node[u] >= 0) {
        return true;
      }
    }
    return false;
  }

  // ---- used by FakeKernel.movePages

  int unit(long addr) {
    if (!range.contains(addr)) {
      throw new IllegalArgumentException(Long.toHexString(addr) + " is outside VMA " + range);
    }
    return (int) ((addr - range.start()) / kind.unitBytes);
  }

  int state(int unit) {
    return node[unit];
  }

  boolean shared(int unit) {
    return shared[unit];
  }

  boolean takeBusy(int unit) {
    if (busy[unit] > 0) {
      busy[unit]--;
      return true;
    }
    return false;
  }

  boolean takeFailure(int unit) {
    if (failMigration[unit] > 0) {
      failMigration[unit]--;
      return true;
    }
    return false;
  }

  void place(int unit, int nodeId) {
    node[unit] = nodeId;
  }

  void releaseAll() {
    for (int u = 0; u < node.length; u++) {
      if (node[u] >= 0) {
        kernel.release(node[u], kind.unitBytes);
        node[u] = ABSENT;
      }
    }
  }

  private int[] units(long addr, long bytes) {
    AddressRange r = AddressRange.ofSize(addr, bytes);
    if (!range.contains(r)) {
      throw new IllegalArgumentException(r + " is not inside VMA " + range);
    }
    AddressRange a = r.alignOut(kind.unitBytes);
    int from = unit(a.start());
    int n = (int) (a.sizeBytes() / kind.unitBytes);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = from + i;
    }
    return out;
  }
}
