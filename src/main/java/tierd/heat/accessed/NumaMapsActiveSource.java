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
import tierd.process.ManagedProcess;
import tierd.process.Vma;

/**
 * The weakest signal, and the only one that writes nothing: per VMA, the share of its present pages
 * on the active LRU list ({@code active=} in {@code /proc/PID/numa_maps}, printed only when below
 * the page count; absent means all active). It reflects the kernel's reclaim aging, not accesses in
 * a window: a page becomes active after a second reference and inactive only when reclaim scans it,
 * so on a host without memory pressure nearly everything reads active. With the multi-gen LRU
 * ({@code /sys/kernel/mm/lru_gen/enabled}) PG_active is not kept on LRU folios and the value means
 * even less. Hugetlb VMAs are skipped (not on the LRU).
 *
 * <p>Cost: nothing beyond the cycle's own scan: the counts come with the VMAs the discover stage
 * handed over ({@link #update}), so numa_maps is walked at most once per process per cycle, not
 * twice. For a quiet process those VMAs may be from an earlier cycle's read ({@code
 * processes.numaMapsMaxAge}), and its counts then repeat until the next read. The first collect of
 * a process only starts its window.
 */
public final class NumaMapsActiveSource implements HeatSource {

  private final LongSupplier nanos;
  private final Map<Integer, Long> lastRead = new HashMap<>();
  private final AgeTracker ages = new AgeTracker();
  private Map<Integer, ManagedProcess> processes = Map.of();

  public NumaMapsActiveSource(LongSupplier nanos) {
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
    for (ManagedProcess p : processes.values()) {
      int pid = p.pid();
      long now = nanos.getAsLong();
      Long since = lastRead.put(pid, now);
      if (since == null || now <= since) {
        continue;
      }
      Duration window = Duration.ofNanos(now - since);
      for (Vma v : p.vmas()) {
        long pages = v.presentPages();
        if (v.hugetlb() || pages == 0) {
          continue;
        }
        long active = Math.min(pages, v.activePages());
        // A sample counts in ints: a VMA of more than 2^31 pages (8 TiB of 4 KiB pages) is
        // counted in proportion, not failed.
        int checks = (int) Math.min(pages, Integer.MAX_VALUE);
        int accessed = pages == checks ? (int) active : (int) ((double) active / pages * checks);
        out.add(
            new RegionSample(
                pid,
                v.range(),
                accessed,
                checks,
                window,
                ages.age(pid, v.range(), active, pages, now),
                name()));
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
