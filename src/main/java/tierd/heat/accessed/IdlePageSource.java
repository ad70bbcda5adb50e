package tierd.heat.accessed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.source.proc.Pagemap;

/**
 * Page-level heat from idle-page tracking (CONFIG_IDLE_PAGE_TRACKING). Each collect, for every
 * managed VMA: {@code /proc/PID/pagemap} gives each present page's PFN; {@code /proc/kpageflags}
 * says which PFNs are huge-page tails (they take their head page's answer: the bitmap keeps the
 * idle flag on the head only) and which are on an LRU (only those can be tracked); reading {@code
 * /sys/kernel/mm/page_idle/bitmap} tells which pages stayed idle since the previous collect; then
 * every tracked page is marked idle again.
 *
 * <p>A sample covers one {@code chunkBytes}-aligned chunk of a VMA (2 MiB by default): {@code
 * nrAccesses} = pages accessed in the window, {@code maxAccesses} = tracked present pages, window =
 * time since the previous mark. The first collect of a process only marks. Cost per cycle: one
 * pagemap entry, one kpageflags word and one rmap walk (inside the bitmap read and write) per
 * present page — linear in resident memory, so heavier than DAMON's bounded sampling but exact per
 * page. It clears Accessed bits like DAMON and clear_refs do. Needs root (kpageflags, PFNs in
 * pagemap).
 */
public final class IdlePageSource implements HeatSource {

  /** Pages read per pagemap batch: 128 MiB of 4 KiB pages. */
  static final int BATCH_PAGES = 32 << 10;

  static final long PAGE_BYTES = 4096;

  /** include/uapi/linux/kernel-page-flags.h. */
  static final int KPF_ZERO_PAGE = 24;

  /** A PMD-sized folio has 512 base pages on x86_64: a tail's head is at most 511 PFNs back. */
  static final int MAX_HEAD_DISTANCE = 511;

  private final KernelRoot root;
  private final long chunkBytes;

  /** The chunk of this window: {@code chunkBytes}, doubled until the chunks fit the limit. */
  private long windowChunkBytes;

  private int maxRegions = Integer.MAX_VALUE;
  private final LongSupplier nanos;
  private final Map<Integer, Long> lastMark = new HashMap<>();
  private final AgeTracker ages = new AgeTracker();
  private final TunedWindow window;
  private Map<Integer, ManagedProcess> processes = Map.of();

  /** A source whose window is one cycle (every collect reads, then marks). */
  public IdlePageSource(KernelRoot root, long chunkBytes, LongSupplier nanos) {
    this(root, chunkBytes, nanos, TunedWindow.everyCollect(nanos));
  }

  /** A source whose window is tuned ({@link TunedWindow}). */
  public IdlePageSource(KernelRoot root, long chunkBytes, LongSupplier nanos, TunedWindow window) {
    if (chunkBytes < PAGE_BYTES || Long.bitCount(chunkBytes) != 1) {
      throw new IllegalArgumentException("chunkBytes must be a power of two >= 4096");
    }
    this.root = root;
    this.chunkBytes = chunkBytes;
    this.windowChunkBytes = chunkBytes;
    this.nanos = nanos;
    this.window = window;
  }

  @Override
  public Optional<Intervals> intervals() {
    return window.intervals();
  }

  @Override
  public String name() {
    return SourceKind.IDLE_PAGE.label();
  }

  @Override
  public void update(Collection<ManagedProcess> now) {
    Map<Integer, ManagedProcess> m = new LinkedHashMap<>();
    for (ManagedProcess p : now) {
      m.put(p.pid(), p);
    }
    for (Integer gone : new ArrayList<>(lastMark.keySet())) {
      if (!m.containsKey(gone)) {
        lastMark.remove(gone);
        ages.forget(gone);
      }
    }
    processes = m;
  }

  @Override
  public List<RegionSample> collect() {
    return HeatSource.listed(this::collect);
  }

  @Override
  public void maxRegions(int regions) {
    maxRegions = regions;
  }

  /**
   * Hands each chunk's sample to {@code out} as it is made: one per chunk of resident memory (2 MiB
   * by default; larger when that would be more chunks than {@link #maxRegions}). A tuned window
   * marks, waits one window and reads ({@link TunedWindow.Plan}).
   */
  @Override
  public void collect(Consumer<RegionSample> out) {
    TunedWindow.Plan plan = window.plan();
    if (processes.isEmpty() || plan == TunedWindow.Plan.SKIP) {
      return;
    }
    windowChunkBytes = chunkFor(processes.values(), chunkBytes, maxRegions);
    if (plan == TunedWindow.Plan.MARK_WAIT_READ) {
      pass(false, sample -> {});
      window.waitWindow();
    }
    // the tuner reads the whole window: at most about maxRegions samples (chunkFor sizes them)
    List<RegionSample> read = new ArrayList<>();
    pass(
        true,
        sample -> {
          read.add(sample);
          out.accept(sample);
        });
    window.observed(read);
    ages.endCycle();
  }

  /**
   * One pass over every managed VMA: reads which pages were accessed since the process's last mark
   * (when {@code read} and there was one), then marks every tracked page idle again.
   */
  private void pass(boolean read, Consumer<RegionSample> out) {
    try (PageIdleBitmap bitmap = PageIdleBitmap.open(root);
        KPageFlags flags = KPageFlags.open(root)) {
      for (ManagedProcess p : processes.values()) {
        int pid = p.pid();
        try (Pagemap pm = Pagemap.open(root, pid)) {
          long now = nanos.getAsLong();
          Long since = lastMark.get(pid);
          Duration readWindow =
              read && since != null && now > since ? Duration.ofNanos(now - since) : null;
          long[] presentHidden = new long[2];
          for (Vma v : p.vmas()) {
            if (!v.hugetlb() && v.presentPages() > 0) {
              scan(pid, v.range(), pm, bitmap, flags, readWindow, now, presentHidden, out);
            }
          }
          if (presentHidden[0] > 0 && presentHidden[0] == presentHidden[1]) {
            throw KernelFsException.of(
                KernelFsException.Kind.PERMISSION,
                pm.path(),
                "every PFN reads 0: idle-page tracking needs CAP_SYS_ADMIN",
                null);
          }
          lastMark.put(pid, nanos.getAsLong());
        } catch (KernelFsException e) {
          if (e.kind() != KernelFsException.Kind.ABSENT) {
            throw e;
          }
          lastMark.remove(pid);
          ages.forget(pid);
        }
      }
    }
    window.marked();
  }

  private void scan(
      int pid,
      AddressRange vma,
      Pagemap pm,
      PageIdleBitmap bitmap,
      KPageFlags flags,
      Duration window,
      long now,
      long[] presentHidden,
      Consumer<RegionSample> out) {
    Chunks chunks = new Chunks(vma, windowChunkBytes);
    pm.scan(
        vma.alignOut(PAGE_BYTES),
        PAGE_BYTES,
        BATCH_PAGES,
        (batchStart, entries) ->
            checkAndMark(batchStart, entries, bitmap, flags, window, presentHidden, chunks));
    if (window != null) {
      chunks.emit(pid, window, now, ages, name(), Chunks.ACCESSED_PAGES, out);
    }
  }

  /**
   * One batch of pagemap entries: counts each tracked page in {@code chunks} (accessed = its idle
   * bit was cleared since the last mark) unless this is the first window, then marks every tracked
   * page idle again.
   */
  private static void checkAndMark(
      long batchStart,
      long[] entries,
      PageIdleBitmap bitmap,
      KPageFlags flags,
      Duration window,
      long[] presentHidden,
      Chunks chunks) {
    int n = entries.length;
    long[] pfn = new long[n];
    for (int i = 0; i < n; i++) {
      long e = entries[i];
      pfn[i] = -1;
      if (Pagemap.present(e) && !Pagemap.swapped(e)) {
        presentHidden[0]++;
        long f = Pagemap.pfn(e);
        if (f == 0) {
          presentHidden[1]++;
        } else {
          pfn[i] = f;
        }
      }
    }
    long[] uniq = Sparse.sortedDistinct(pfn);
    long[] fl = Sparse.read(uniq, flags::read);
    long[] head = new long[n];
    boolean[] tracked = new boolean[n];
    for (int i = 0; i < n; i++) {
      head[i] = -1;
      if (pfn[i] < 0) {
        continue;
      }
      long f = fl[Arrays.binarySearch(uniq, pfn[i])];
      if (!KPageFlags.compoundTail(f)) {
        head[i] = pfn[i];
        tracked[i] = trackable(f);
      } else if (i > 0 && pfn[i - 1] == pfn[i] - 1 && head[i - 1] >= 0) {
        head[i] = head[i - 1]; // pfn - 1 of a tail page is in the same folio
        tracked[i] = tracked[i - 1];
      } else {
        long h = findHead(flags, pfn[i]);
        if (h >= 0) {
          head[i] = h;
          tracked[i] = trackable(flags.read(h, 1)[0]);
        }
      }
    }
    long[] heads = new long[n];
    for (int i = 0; i < n; i++) {
      heads[i] = tracked[i] ? head[i] : -1;
    }
    long[] uniqHeads = Sparse.sortedDistinct(heads);
    long[] words = Arrays.stream(uniqHeads).map(h -> h >>> 6).distinct().toArray();
    if (window != null) {
      long[] idle = Sparse.read(words, bitmap::read);
      for (int i = 0; i < n; i++) {
        if (!tracked[i]) {
          continue;
        }
        long h = head[i];
        long word = idle[Arrays.binarySearch(words, h >>> 6)];
        chunks.count(batchStart + i * PAGE_BYTES, (word & (1L << (h & 63))) == 0);
      }
    }
    long[] mask = new long[words.length];
    for (long h : uniqHeads) {
      mask[Arrays.binarySearch(words, h >>> 6)] |= 1L << (h & 63);
    }
    Sparse.write(words, mask, bitmap::write);
  }

  /**
   * {@code chunkBytes}, doubled while the processes' resident bytes would make more chunks than
   * {@code maxRegions} (up to 1 GiB: a chunk is at most a PUD's worth).
   */
  static long chunkFor(Collection<ManagedProcess> processes, long chunkBytes, int maxRegions) {
    long resident = 0;
    for (ManagedProcess p : processes) {
      for (Vma v : p.vmas()) {
        resident += v.hugetlb() ? 0 : v.presentBytes();
      }
    }
    long chunk = chunkBytes;
    while (chunk < (1L << 30) && resident / chunk > maxRegions) {
      chunk *= 2;
    }
    return chunk;
  }

  /** On an LRU and not the shared zero page: page_idle can mark it. */
  static boolean trackable(long flags) {
    return KPageFlags.has(flags, KPageFlags.KPF_LRU) && !KPageFlags.has(flags, KPF_ZERO_PAGE);
  }

  /** The compound head of tail page {@code pfn}, or -1 if none within a PMD's worth of pages. */
  static long findHead(KPageFlags flags, long pfn) {
    long first = Math.max(0, pfn - MAX_HEAD_DISTANCE);
    long[] f = flags.read(first, (int) (pfn - first));
    for (int k = f.length - 1; k >= 0; k--) {
      if (KPageFlags.compoundHead(f[k])) {
        return first + k;
      }
      if (!KPageFlags.compoundTail(f[k])) {
        return -1;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    lastMark.clear();
  }
}
