package tierd.heat.damon;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tierd.heat.RegionSample;
import tierd.heat.accessed.Pagemap;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.Vma;

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
    if (physical.isEmpty()) {
      return out;
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
    return out;
  }

  private static void mapProcess(
      ManagedProcess p,
      Pagemap pm,
      List<TriedRegion> physical,
      long[] starts,
      long[] ends,
      SampleFactory factory,
      List<RegionSample> out) {
    long present = 0;
    long hidden = 0;
    for (Vma v : p.vmas()) {
      if (v.presentPages() == 0) {
        continue;
      }
      long page = basePageBytes(v);
      AddressRange r = v.range().alignOut(page);
      long[] entries = pm.read(r, page);
      int runRegion = -1;
      long runStart = 0;
      int last = 0;
      List<long[]> runs = new ArrayList<>(); // {vstart, vend, region}
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
        long va = r.start() + i * page;
        if (region != runRegion) {
          if (runRegion >= 0) {
            runs.add(new long[] {runStart, va, runRegion});
          }
          runRegion = region;
          runStart = va;
        }
      }
      if (runRegion >= 0) {
        runs.add(new long[] {runStart, r.end(), runRegion});
      }
      emitMerged(p.pid(), runs, physical, factory, out);
    }
    if (present > 0 && hidden == present) {
      throw KernelFsException.of(
          KernelFsException.Kind.PERMISSION,
          pm.path(),
          "every PFN reads 0: mapping paddr regions needs CAP_SYS_ADMIN",
          null);
    }
  }

  private static void emitMerged(
      int pid,
      List<long[]> runs,
      List<TriedRegion> physical,
      SampleFactory factory,
      List<RegionSample> out) {
    long mStart = -1;
    long mEnd = -1;
    TriedRegion mRegion = null;
    for (long[] run : runs) {
      TriedRegion r = physical.get((int) run[2]);
      if (mRegion != null
          && run[0] == mEnd
          && r.nrAccesses() == mRegion.nrAccesses()
          && r.age() == mRegion.age()) {
        mEnd = run[1];
        continue;
      }
      if (mRegion != null) {
        out.add(factory.make(pid, new AddressRange(mStart, mEnd), mRegion));
      }
      mStart = run[0];
      mEnd = run[1];
      mRegion = r;
    }
    if (mRegion != null) {
      out.add(factory.make(pid, new AddressRange(mStart, mEnd), mRegion));
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
