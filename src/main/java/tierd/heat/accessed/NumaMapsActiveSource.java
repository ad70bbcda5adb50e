package tierd.heat.accessed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;

/**
 * The weakest signal, and the only one that writes nothing: per VMA, the share of its present pages
 * on the active LRU list ({@code active=} in {@code /proc/PID/numa_maps}, printed only when below
 * the page count; absent means all active). It reflects the kernel's reclaim aging, not accesses in
 * a window: a page becomes active after a second reference and inactive only when reclaim scans it,
 * so on a host without memory pressure nearly everything reads active. With the multi-gen LRU
 * ({@code /sys/kernel/mm/lru_gen/enabled}) PG_active is not kept on LRU folios and the value means
 * even less. Hugetlb VMAs are skipped (not on the LRU).
 *
 * <p>Cost: one numa_maps page-table walk and one maps read per process per collect; the first
 * collect of a process only starts its window.
 */
public final class NumaMapsActiveSource implements HeatSource {

  private final KernelRoot root;
  private final LongSupplier nanos;
  private final Map<Integer, Long> lastRead = new HashMap<>();
  private final AgeTracker ages = new AgeTracker();
  private Map<Integer, ManagedProcess> processes = Map.of();

  public NumaMapsActiveSource(KernelRoot root, LongSupplier nanos) {
    this.root = root;
    this.nanos = nanos;
  }

  @Override
  public String name() {
    return SourceKind.NUMA_MAPS_ACTIVE.label();
  }

  @Override
  public void update(Collection<ManagedProcess> now) {
    Map<Integer, ManagedProcess> m = new LinkedHashMap<>();
    for (ManagedProcess p : now) {
      m.put(p.pid(), p);
    }
    lastRead.keySet().retainAll(m.keySet());
    processes = m;
  }

  @Override
  public List<RegionSample> collect() {
    List<RegionSample> out = new ArrayList<>();
    for (int pid : processes.keySet()) {
      long now = nanos.getAsLong();
      Long since = lastRead.put(pid, now);
      if (since == null || now <= since) {
        continue;
      }
      try {
        Map<Long, AddressRange> ranges = new HashMap<>();
        for (ProcMaps.Mapping m : ProcMaps.read(root, pid)) {
          ranges.put(m.range().start(), m.range());
        }
        for (NumaMaps.Entry e : NumaMaps.read(root, pid)) {
          AddressRange r = ranges.get(e.start());
          long pages = e.pages();
          if (r == null || e.huge() || pages == 0) {
            continue;
          }
          long active = Math.min(pages, e.activePages());
          out.add(
              new RegionSample(
                  pid,
                  r,
                  Math.toIntExact(active),
                  Math.toIntExact(pages),
                  Duration.ofNanos(now - since),
                  ages.age(pid, r, active, pages, now),
                  name()));
        }
      } catch (KernelFsException e) {
        if (e.kind() != KernelFsException.Kind.ABSENT) {
          throw e;
        }
        lastRead.remove(pid);
        ages.forget(pid);
      }
    }
    ages.endCycle();
    return out;
  }

  @Override
  public void close() {
    lastRead.clear();
  }
}
