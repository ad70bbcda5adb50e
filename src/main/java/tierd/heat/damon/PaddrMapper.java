package tierd.heat.damon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.Vma;
import tierd.source.proc.Pagemap;

/**
 * Maps DAMON paddr regions back to the managed processes' virtual memory: for each VMA with present
 * pages, {@code /proc/PID/pagemap} gives each page's PFN; consecutive virtual pages whose physical
 * addresses fall in the same DAMON region form one sample with that region's nr_accesses and age.
 * Pages outside every region, not present or swapped break a run. Adjacent runs with equal
 * nr_accesses and age are merged.
 *
 * <p>Cost: one 8-byte pagemap entry per virtual page of every managed VMA per collect (a 1 GiB VMA
 * of 4 KiB pages reads 2 MiB), plus a binary search per page. PFNs are zero without CAP_SYS_ADMIN;
 * a process whose present pages all show PFN 0 fails with PERMISSION.
 */
public final class PaddrMapper {

  private PaddrMapper() {}

  /** Builds one sample for a virtual run of {@code pid} lying in physical region {@code r}. */
  @FunctionalInterface
  public interface SampleFactory {
    RegionSample make(int pid, AddressRange virtualRange, TriedRegion r);
  }

  /** {@code physical} must be sorted by start and non-overlapping (as DAMON lists them). */
  public static List<RegionSample> map(
      KernelRoot root,
      Collection<ManagedProcess> processes,
      List<TriedRegion> physical,
      SampleFactory factory) {
    List<RegionSample> out = new ArrayList<>();
    map(root, processes, physical, factory, out::add);
    return out;
  }

  /**
   * As {@link #map(KernelRoot, Collection, List, SampleFactory)}, handing each sample to {@code
   * out} as it is made: physical regions map back to as many virtual runs as the pages are
   * scattered, which no heap bound can foresee.
   */
  public static void map(
      KernelRoot root,
      Collection<ManagedProcess> processes,
      List<TriedRegion> physical,
      SampleFactory factory,
      Consumer<RegionSample> out) {
    if (physical.isEmpty()) {
      return;
    }
    long[] starts = new long[physical.size()];
    long[] ends = new long[physical.size()];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = physical.get(i).range().start();
      ends[i] = physical.get(i).range().end();
    }
    for (ManagedProcess p : processes) {
      try (Pagemap pm = Pagemap.open(root, p.pid())) {
        mapProcess(p, pm, physical, starts, ends, factory, out);
      } catch (KernelFsException e) {
        if (e.kind() == KernelFsException.Kind.ABSENT) {
          continue; // exited
        }
        throw e;
      }
    }
  }

  /**
   * Pages whose pagemap entries are read at once: 512 KiB of entries however large the VMA (a 32
   * GiB VMA read whole would need 64 MiB, the launcher's whole heap).
   */
  static final long WINDOW_PAGES = 1 << 16;

  private static void mapProcess(
      ManagedProcess p,
      Pagemap pm,
      List<TriedRegion> physical,
      long[] starts,
      long[] ends,
      SampleFactory factory,
      Consumer<RegionSample> out) {
    long present = 0;
    long hidden = 0;
    for (Vma v : p.vmas()) {
      if (v.presentPages() == 0) {
        continue;
      }
      long page = basePageBytes(v);
      AddressRange r = v.range().alignOut(page);
      Runs runs = new Runs(p.pid(), physical, factory, out);
      int last = 0;
      for (long from = r.start(); from < r.end(); from += WINDOW_PAGES * page) {
        AddressRange window = new AddressRange(from, Math.min(r.end(), from + WINDOW_PAGES * page));
        long[] entries = pm.read(window, page);
        for (int i = 0; i < entries.length; i++) {
          long e = entries[i];
          int region = -1;
          if (Pagemap.present(e) && !Pagemap.swapped(e)) {
            present++;
            long pfn = Pagemap.pfn(e);
            if (pfn == 0) {
              hidden++;
            } else {
              region = find(starts, ends, pfn * page, last);
              if (region >= 0) {
                last = region;
              }
            }
          }
          runs.page(from + i * page, region);
        }
      }
      runs.end(r.end());
    }
    if (present > 0 && hidden == present) {
      throw KernelFsException.of(
          KernelFsException.Kind.PERMISSION,
          pm.path(),
          "every PFN reads 0: mapping paddr regions needs CAP_SYS_ADMIN",
          null);
    }
  }

  /**
   * One VMA's pages, in address order, turned into samples as they come: consecutive pages in one
   * DAMON region form a run, and adjacent runs of regions with equal nr_accesses and age form one
   * sample. Pages outside every region, not present or swapped break a run.
   */
  private static final class Runs {
    private final int pid;
    private final List<TriedRegion> physical;
    private final SampleFactory factory;
    private final Consumer<RegionSample> out;
    private int runRegion = -1;
    private long runStart;
    private long mergedStart = -1;
    private long mergedEnd = -1;
    private TriedRegion merged;

    Runs(int pid, List<TriedRegion> physical, SampleFactory factory, Consumer<RegionSample> out) {
      this.pid = pid;
      this.physical = physical;
      this.factory = factory;
      this.out = out;
    }

    /** The page at {@code va} lies in region {@code region} (-1: none). */
    void page(long va, int region) {
      if (region != runRegion) {
        if (runRegion >= 0) {
          run(runStart, va, runRegion);
        }
        runRegion = region;
        runStart = va;
      }
    }

    /** The VMA ends at {@code va}. */
    void end(long va) {
      if (runRegion >= 0) {
        run(runStart, va, runRegion);
      }
      if (merged != null) {
        out.accept(factory.make(pid, new AddressRange(mergedStart, mergedEnd), merged));
      }
    }

    private void run(long start, long end, int index) {
      TriedRegion r = physical.get(index);
      if (merged != null
          && start == mergedEnd
          && r.nrAccesses() == merged.nrAccesses()
          && r.age() == merged.age()) {
        mergedEnd = end;
        return;
      }
      if (merged != null) {
        out.accept(factory.make(pid, new AddressRange(mergedStart, mergedEnd), merged));
      }
      mergedStart = start;
      mergedEnd = end;
      merged = r;
    }
  }

  /** Index of the region containing {@code pa}, or -1; tries {@code hint} first. */
  static int find(long[] starts, long[] ends, long pa, int hint) {
    if (hint < starts.length && pa >= starts[hint] && pa < ends[hint]) {
      return hint;
    }
    int lo = 0;
    int hi = starts.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (pa < starts[mid]) {
        hi = mid - 1;
      } else if (pa >= ends[mid]) {
        lo = mid + 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  /**
   * pagemap is indexed by base pages. numa_maps gives a normal VMA's base page size; hugetlb VMAs
   * report the huge size there, so 4 KiB (x86_64) is assumed for them.
   */
  static long basePageBytes(Vma v) {
    return v.hugetlb() || v.pageBytes() <= 0 ? 4096 : v.pageBytes();
  }
}
