package tierd.heat.accessed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.process.ManagedProcess;
import tierd.source.proc.Pagemap;
import tierd.source.proc.Smaps;

/**
 * Heat from {@code /proc/PID/clear_refs}, in two kinds.
 *
 * <p>{@code clear-refs}: per-VMA heat from page-table Accessed bits. Each collect reads {@code
 * /proc/PID/smaps} (the {@code Referenced:} bytes of every VMA since the last clear, out of its
 * {@code Rss:}) and then writes {@code 1} to {@code clear_refs}, which clears the Accessed bits and
 * PG_referenced of all the process's pages (Documentation/filesystems/proc.rst §clear_refs; {@code
 * clear_refs_pte_range} in fs/proc/task_mmu.c). A sample is one VMA: {@code nrAccesses} =
 * referenced pages, {@code maxAccesses} = resident pages.
 *
 * <p>{@code clear-refs+soft-dirty}: the same reads per VMA, plus page-granular writes from
 * soft-dirty bits (Documentation/admin-guide/mm/soft-dirty.rst): each collect also reads bit 55 of
 * every resident page's {@code /proc/PID/pagemap} entry (written since the last clear) and then
 * writes {@code 4} as well. A sample is one {@code chunkBytes} chunk of a VMA (see {@link
 * SoftDirtyChunks}): its written pages where they are, plus its share of the VMA's referenced but
 * unwritten pages, spread evenly over the VMA's unwritten pages, because smaps does not say where
 * in the VMA they are. So a written half of a large VMA is hot and its untouched half cold, but
 * read-only hot pages inside a VMA are smeared over the whole VMA. Hugetlb VMAs (clear_refs does
 * not clear their soft-dirty bits) get the per-VMA sample.
 *
 * <p>The window is tuned ({@link TunedWindow}): a window longer than the cycle is read every few
 * cycles; a shorter one is taken inside the collect (clear, wait the window, read). The first read
 * of a process only clears. Cost per process and window: smaps and clear_refs walk the page tables
 * under mmap_lock, and a TLB flush; soft-dirty adds 8 bytes of pagemap per virtual page of every
 * resident VMA, a second clear_refs walk that write-protects every page, and in the workload one
 * minor fault on the first write to each page per window. Clearing also disturbs the kernel's own
 * reclaim aging (a page looks less recently used) and any other user of the bits.
 */
public final class ClearRefsSource implements HeatSource {

  /** Write 1: clear Accessed/referenced bits of all pages (anon and file). */
  static final String CLEAR_ALL = "1";

  /** Write 4: clear the soft-dirty bits of all pages (and write-protect them). */
  static final String CLEAR_SOFT_DIRTY = "4";

  private final KernelRoot root;
  private final LongSupplier nanos;
  private final SoftDirtyChunks softDirty; // null: per VMA only
  private final Map<Integer, Long> lastClear = new HashMap<>();
  private final AgeTracker ages = new AgeTracker();
  private final TunedWindow window;
  private Map<Integer, ManagedProcess> processes = Map.of();

  /** The per-VMA {@code clear-refs} source, whose window is one cycle (read, then clear). */
  public ClearRefsSource(KernelRoot root, LongSupplier nanos) {
    this(root, nanos, TunedWindow.everyCollect(nanos));
  }

  /** The per-VMA {@code clear-refs} source with a tuned window. */
  public ClearRefsSource(KernelRoot root, LongSupplier nanos, TunedWindow window) {
    this(root, nanos, window, null);
  }

  private ClearRefsSource(
      KernelRoot root, LongSupplier nanos, TunedWindow window, SoftDirtyChunks softDirty) {
    this.root = root;
    this.nanos = nanos;
    this.window = window;
    this.softDirty = softDirty;
  }

  /**
   * The {@code clear-refs+soft-dirty} source: writes per page, reported per {@code chunkBytes}
   * chunk ({@code pageBytes}: the base page size, the unit of pagemap entries).
   */
  public static ClearRefsSource withSoftDirty(
      KernelRoot root, long pageBytes, long chunkBytes, LongSupplier nanos, TunedWindow window) {
    return new ClearRefsSource(root, nanos, window, new SoftDirtyChunks(pageBytes, chunkBytes));
  }

  @Override
  public Optional<Intervals> intervals() {
    return window.intervals();
  }

  @Override
  public String name() {
    return (softDirty == null ? SourceKind.CLEAR_REFS : SourceKind.CLEAR_REFS_SOFT_DIRTY).label();
  }

  @Override
  public void update(Collection<ManagedProcess> now) {
    Map<Integer, ManagedProcess> m = new LinkedHashMap<>();
    for (ManagedProcess p : now) {
      m.put(p.pid(), p);
    }
    for (Integer gone : new ArrayList<>(lastClear.keySet())) {
      if (!m.containsKey(gone)) {
        lastClear.remove(gone);
        ages.forget(gone);
      }
    }
    processes = m;
  }

  @Override
  public List<RegionSample> collect() {
    TunedWindow.Plan plan = window.plan();
    if (plan == TunedWindow.Plan.SKIP) {
      return List.of();
    }
    List<RegionSample> out = new ArrayList<>();
    if (plan == TunedWindow.Plan.MARK_WAIT_READ) {
      clearAll();
      window.waitWindow();
      readAll(out);
    } else {
      readAll(out);
      clearAll();
    }
    window.observed(out);
    ages.endCycle();
    return out;
  }

  /** Reads every process cleared before: what it referenced (and wrote) since that clear. */
  private void readAll(List<RegionSample> out) {
    for (int pid : processes.keySet()) {
      Long since = lastClear.get(pid);
      long now = nanos.getAsLong();
      if (since == null || now <= since) {
        continue;
      }
      try {
        measure(pid, Duration.ofNanos(now - since), now, out);
      } catch (KernelFsException e) {
        gone(pid, e);
      }
    }
  }

  private void clearAll() {
    for (int pid : processes.keySet()) {
      try {
        clear(pid);
        lastClear.put(pid, nanos.getAsLong());
      } catch (KernelFsException e) {
        gone(pid, e);
      }
    }
    window.marked();
  }

  /** A process that exited is forgotten; any other failure is the cycle's. */
  private void gone(int pid, KernelFsException e) {
    if (e.kind() != KernelFsException.Kind.ABSENT) {
      throw e;
    }
    lastClear.remove(pid);
    ages.forget(pid);
  }

  private void measure(int pid, Duration window, long now, List<RegionSample> out) {
    List<Smaps.Entry> vmas = new ArrayList<>();
    for (Smaps.Entry e : Smaps.read(root, pid)) {
      if (e.rssBytes() > 0 && !special(e.path())) {
        vmas.add(e);
      }
    }
    if (softDirty == null) {
      vmas.forEach(e -> out.add(perVma(pid, e, window, now)));
      return;
    }
    try (Pagemap pagemap = Pagemap.open(root, pid)) {
      for (Smaps.Entry e : vmas) {
        if (e.kernelPageBytes() > softDirty.pageBytes()) {
          out.add(perVma(pid, e, window, now)); // hugetlb
        } else {
          Chunks chunks = softDirty.scan(pagemap, e);
          chunks.emit(pid, window, now, ages, name(), softDirty.accesses(e, chunks), out::add);
        }
      }
    }
  }

  /**
   * Starts the next window. With soft-dirty, 1 comes before 4 on purpose: since Linux 5.11
   * (912efa17e512, "mm: proc: Invalidate TLB after clearing soft-dirty page state") clear_refs
   * flushes the TLB only for 4. Clearing Accessed bits without a flush leaves TLB entries that
   * still have the bit set, and x86 sets it again only on a page walk, so reads through those
   * entries would go unseen for the next window; the flush at the end of the 4 drops them. The two
   * clears touch different bits (4 write-protects and clears bit 55 but keeps the Accessed bit,
   * proc.rst, soft-dirty.rst), so neither undoes the other; a write that lands between the two
   * counts in the next window as a read of its VMA (its Accessed bit survives the 4, its soft-dirty
   * bit does not).
   */
  private void clear(int pid) {
    KernelFiles.write(root.pid(pid, "clear_refs"), CLEAR_ALL);
    if (softDirty != null) {
      KernelFiles.write(root.pid(pid, "clear_refs"), CLEAR_SOFT_DIRTY);
    }
  }

  private RegionSample perVma(int pid, Smaps.Entry e, Duration window, long now) {
    long unit = e.kernelPageBytes() > 4096 ? e.kernelPageBytes() : 4096;
    long max = Math.max(1, e.rssBytes() / unit);
    long nr = Math.min(max, e.referencedBytes() / unit);
    return new RegionSample(
        pid,
        e.range(),
        Math.toIntExact(nr),
        Math.toIntExact(max),
        window,
        ages.age(pid, e.range(), nr, max, now),
        name());
  }

  static boolean special(String path) {
    return path.equals("[vsyscall]")
        || path.equals("[vvar]")
        || path.equals("[vdso]")
        || path.equals("[vvar_vclock]");
  }

  @Override
  public void close() {
    lastClear.clear();
  }
}
