package tierd.heat.damon;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import tierd.heat.HeatSourceUnavailableException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;

/**
 * The layout of the one context of tierd's kdamond ({@code kdamonds/0/contexts/0}) in DAMON sysfs,
 * written and read for {@link DamonSource}: the operations set, the monitoring attributes, the
 * targets, and one {@code stat} scheme per target whose access pattern matches everything,
 * restricted to its target by a DAMOS {@code target} filter (vaddr), or one scheme over the
 * physical memory blocks (paddr). The features it needs are probed on the files, not assumed from
 * the kernel version (see {@link DamonSource} for the versions).
 *
 * <p>Writes go through the source's retrying writer (EBUSY while another writer holds {@code
 * damon_sysfs_lock}). Addresses are bytes here; the kernel's {@code addr_unit} (6.18) is applied on
 * the way in and out.
 */
final class DamonContext {

  /** kstrtoul maximum: a size that matches every region. */
  static final String ULONG_MAX = "18446744073709551615";

  /** nr_accesses and age are unsigned int in struct damos_access_pattern. */
  static final String UINT_MAX = "4294967295";

  private static final String CTX = DamonSource.CTX;

  private final DamonSource.Mode mode;
  private final DamonFs fs;
  private final KernelRoot root;
  private final BiConsumer<String, String> write;
  private final ToLongFunction<String> readLong;

  /** {@code filters} (6.3) or {@code core_filters} (6.15), whichever the kernel has; else null. */
  private String filtersDir;

  /** Bytes per address unit of the context's regions (6.18 {@code addr_unit}; 1 before). */
  private long addrUnit = 1;

  DamonContext(
      DamonSource.Mode mode,
      DamonFs fs,
      KernelRoot root,
      BiConsumer<String, String> write,
      ToLongFunction<String> readLong) {
    this.mode = mode;
    this.fs = fs;
    this.root = root;
    this.write = write;
    this.readLong = readLong;
  }

  /**
   * One context with the mode's operations and the region bounds, its features probed on one scheme
   * directory; for paddr also the physical memory blocks as the target's regions and the scheme.
   * vaddr targets come with {@link #writeTargets}.
   *
   * @throws HeatSourceUnavailableException when this kernel's DAMON lacks what the mode needs
   */
  void configure(DamonConfig config, DamonIntervals intervals) {
    write.accept(DamonSource.K + "contexts/nr_contexts", "1");
    Set<String> avail =
        fs.exists(CTX + "avail_operations")
            ? DamonStatus.parseAvailOperations(fs.read(CTX + "avail_operations"))
            : Set.of("vaddr", "fvaddr", "paddr"); // 5.18 had no avail_operations file
    if (!avail.contains(mode.ops)) {
      throw new HeatSourceUnavailableException(
          mode.kind,
          "DAMON lacks "
              + mode.ops
              + " operations (avail_operations: "
              + String.join(",", avail)
              + ")");
    }
    write.accept(CTX + "operations", mode.ops);
    String attrs = CTX + "monitoring_attrs/";
    intervals.configure(config);
    write.accept(attrs + "intervals/update_us", Long.toString(config.updateUs()));
    write.accept(attrs + "nr_regions/min", Integer.toString(config.minRegions()));
    write.accept(attrs + "nr_regions/max", Integer.toString(config.maxRegions()));
    if (fs.exists(CTX + "addr_unit")) {
      addrUnit = Math.max(1, readLong.applyAsLong(CTX + "addr_unit"));
    }
    // Probe the scheme features on one scheme directory.
    write.accept(CTX + "schemes/nr_schemes", "1");
    String s0 = CTX + "schemes/0/";
    if (!fs.exists(s0 + "tried_regions")) {
      throw new HeatSourceUnavailableException(
          mode.kind, "DAMON lacks schemes/<S>/tried_regions (Linux 6.2+)");
    }
    if (fs.exists(s0 + "core_filters/nr_filters")) {
      filtersDir = "core_filters";
    } else if (fs.exists(s0 + "filters/nr_filters")) {
      filtersDir = "filters";
    }
    if (mode == DamonSource.Mode.VADDR) {
      if (filtersDir == null) {
        throw new HeatSourceUnavailableException(
            mode.kind, "DAMON lacks DAMOS filters (Linux 6.3+) to tell vaddr targets apart");
      }
      write.accept(s0 + filtersDir + "/nr_filters", "1");
      if (!fs.exists(s0 + filtersDir + "/0/damon_target_idx")) {
        throw new HeatSourceUnavailableException(
            mode.kind, "DAMON lacks the DAMOS target filter (Linux 6.6+) to tell targets apart");
      }
      write.accept(s0 + filtersDir + "/nr_filters", "0");
      write.accept(CTX + "schemes/nr_schemes", "0");
      return;
    }
    List<AddressRange> memory = PhysicalMemory.read(root);
    if (memory.isEmpty()) {
      throw new HeatSourceUnavailableException(mode.kind, "no online memory blocks for paddr");
    }
    write.accept(CTX + "targets/nr_targets", "1");
    String regions = CTX + "targets/0/regions/";
    write.accept(regions + "nr_regions", Integer.toString(memory.size()));
    for (int i = 0; i < memory.size(); i++) {
      write.accept(regions + i + "/start", Long.toString(memory.get(i).start() / addrUnit));
      write.accept(regions + i + "/end", Long.toString(memory.get(i).end() / addrUnit));
    }
    writeScheme(0, -1);
  }

  /** vaddr: one target per pid, in this order, each with its own scheme. */
  void writeTargets(List<Integer> pids) {
    write.accept(CTX + "targets/nr_targets", Integer.toString(pids.size()));
    for (int i = 0; i < pids.size(); i++) {
      write.accept(CTX + "targets/" + i + "/pid_target", Integer.toString(pids.get(i)));
    }
    write.accept(CTX + "schemes/nr_schemes", Integer.toString(pids.size()));
    for (int i = 0; i < pids.size(); i++) {
      writeScheme(i, i);
    }
  }

  /** The regions the scheme at {@code index} was last tried on. */
  /** Bytes per address unit of the context's regions (6.18's {@code addr_unit}; 1 before). */
  long addrUnit() {
    return addrUnit;
  }

  List<TriedRegion> triedRegions(int index) {
    return TriedRegion.readDir(fs, CTX + "schemes/" + index + "/tried_regions", addrUnit);
  }

  /** A stat scheme matching every region; with {@code targetIdx >= 0}, only that target's. */
  private void writeScheme(int index, int targetIdx) {
    String s = CTX + "schemes/" + index + "/";
    write.accept(s + "action", "stat");
    write.accept(s + "access_pattern/sz/min", "0");
    write.accept(s + "access_pattern/sz/max", ULONG_MAX);
    write.accept(s + "access_pattern/nr_accesses/min", "0");
    write.accept(s + "access_pattern/nr_accesses/max", UINT_MAX);
    write.accept(s + "access_pattern/age/min", "0");
    write.accept(s + "access_pattern/age/max", UINT_MAX);
    if (fs.exists(s + "apply_interval_us")) {
      write.accept(s + "apply_interval_us", "0"); // 0 = the aggregation interval
    }
    if (targetIdx < 0) {
      return;
    }
    String f = s + filtersDir + "/";
    write.accept(f + "nr_filters", "1");
    write.accept(f + "0/type", "target");
    write.accept(f + "0/damon_target_idx", Integer.toString(targetIdx));
    // Matches regions NOT of the target; with allow=N they are rejected, and regions that no
    // filter matches get the opposite of the last filter's allow: accepted (6.14 semantics; before
    // 6.14 every filter rejects what it matches, which is the same here).
    write.accept(f + "0/matching", "N");
    if (fs.exists(f + "0/allow")) {
      write.accept(f + "0/allow", "N");
    }
  }
}
