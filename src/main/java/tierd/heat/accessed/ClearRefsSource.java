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

/**
 * Per-VMA heat from page-table Accessed bits: each collect reads {@code /proc/PID/smaps} (the
 * {@code Referenced:} bytes of every VMA since the last clear, out of its {@code Rss:}) and then
 * writes {@code 1} to {@code /proc/PID/clear_refs}, which clears the Accessed bits and
 * PG_referenced of all the process's pages (Documentation/filesystems/proc.rst §clear_refs; {@code
 * clear_refs_pte_range} in fs/proc/task_mmu.c).
 *
 * <p>A sample is one VMA: {@code nrAccesses} = referenced pages, {@code maxAccesses} = resident
 * pages (both in 4 KiB units, or the VMA's KernelPageSize for hugetlb), window = time since the
 * previous clear. The first collect of a process only clears. Granularity is the VMA; cost is two
 * page-table walks per process per cycle (smaps and clear_refs, under mmap_lock) plus a TLB flush,
 * and clearing also disturbs the kernel's own reclaim aging (a page looks less recently used) and
 * any other user of the bits.
 *
 * <p>The window is tuned ({@link TunedWindow}): a window longer than the cycle is read every few
 * cycles; a shorter one is taken inside the collect (clear, wait the window, read).
 */
public final class ClearRefsSource implements HeatSource {

  /** Write 1: clear Accessed/referenced bits of all pages (anon and file). */
  static final String CLEAR_ALL = "1";

  private final KernelRoot root;
  private final LongSupplier nanos;
  private final Map<Integer, Long> lastClear = new HashMap<>();
  private final AgeTracker ages = new AgeTracker();
  private final TunedWindow window;
  private Map<Integer, ManagedProcess> processes = Map.of();

  /** A source whose window is one cycle (every collect reads, then clears). */
  public ClearRefsSource(KernelRoot root, LongSupplier nanos) {
    this(root, nanos, TunedWindow.everyCollect(nanos));
  }

  public ClearRefsSource(KernelRoot root, LongSupplier nanos, TunedWindow window) {
    this.root = root;
    this.nanos = nanos;
    this.window = window;
  }

  @Override
  public Optional<Intervals> intervals() {
    return window.intervals();
  }

  @Override
  public String name() {
    return SourceKind.CLEAR_REFS.label();
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

  /** Reads smaps of every process cleared before: its referenced pages since that clear. */
  private void readAll(List<RegionSample> out) {
    for (int pid : processes.keySet()) {
      Long since = lastClear.get(pid);
      long now = nanos.getAsLong();
      if (since == null || now <= since) {
        continue;
      }
      try {
        Duration w = Duration.ofNanos(now - since);
        for (Smaps.Entry e : Smaps.read(root, pid)) {
          RegionSample s = sample(pid, e, w, now);
          if (s != null) {
            out.add(s);
          }
        }
      } catch (KernelFsException e) {
        gone(pid, e);
      }
    }
  }

  private void clearAll() {
    for (int pid : processes.keySet()) {
      try {
        KernelFiles.write(root.pid(pid, "clear_refs"), CLEAR_ALL);
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

  private RegionSample sample(int pid, Smaps.Entry e, Duration window, long now) {
    if (e.rssBytes() == 0 || special(e.path())) {
      return null;
    }
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
