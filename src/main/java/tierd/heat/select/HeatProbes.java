package tierd.heat.select;

import java.nio.file.Path;
import java.util.Optional;
import tierd.heat.accessed.KPageFlags;
import tierd.heat.accessed.PageIdleBitmap;
import tierd.heat.accessed.SoftDirtyProbe;
import tierd.heat.damon.DamonFs;
import tierd.heat.damon.DamonLeftovers;
import tierd.heat.damon.DamonStatus;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Parse;
import tierd.model.ProcessId;

/**
 * What this host offers each heat source, found by looking at files, never by kernel version.
 * Nothing is written except to tierd's own process: the soft-dirty probe clears and reads the
 * soft-dirty bit of one of tierd's pages ({@link SoftDirtyProbe}), and only on the running kernel.
 *
 * @param damon the DAMON sysfs tree as found, and the kernel's DAMON modules' kdamonds
 * @param damonLeftover what a previous tierd left in DAMON; {@link DamonLeftovers.Kind#REMOVED}
 *     means its kdamond is recognised and will be removed at open, so DAMON counts as free
 * @param pageIdle {@code /sys/kernel/mm/page_idle/bitmap} exists (CONFIG_IDLE_PAGE_TRACKING)
 * @param kpageflags {@code /proc/kpageflags} exists (CONFIG_PROC_PAGE_MONITOR)
 * @param pagemapPfns this process has CAP_SYS_ADMIN, so pagemap shows PFNs (pagemap.rst, 4.2+)
 * @param clearRefs {@code /proc/self/clear_refs} exists
 * @param softDirtyUnavailable why soft-dirty bits cannot be used (CONFIG_MEM_SOFT_DIRTY off, or not
 *     probed on a fixture root); empty when the probe saw them work
 * @param numaMaps {@code /proc/self/numa_maps} exists (CONFIG_NUMA)
 */
public record HeatProbes(
    DamonStatus damon,
    DamonLeftovers.Outcome damonLeftover,
    boolean pageIdle,
    boolean kpageflags,
    boolean pagemapPfns,
    boolean clearRefs,
    Optional<String> softDirtyUnavailable,
    boolean numaMaps) {

  /**
   * Some kdamond has vaddr {@code stat} results for a single target (damon-observe can read it).
   */
  public boolean damonResults() {
    return damon.kdamonds().stream()
        .anyMatch(
            k -> k.virtual() && k.targetPids().size() == 1 && k.schemeActions().contains("stat"));
  }

  /** capability.h: CAP_SYS_ADMIN. */
  public static final int CAP_SYS_ADMIN = 21;

  public static HeatProbes read(KernelRoot root, DamonFs damonFs, Path runtimeDir, ProcessId self) {
    DamonStatus damon = DamonStatus.read(damonFs, root);
    DamonLeftovers.Outcome leftover = DamonLeftovers.inspect(damonFs, root, runtimeDir, self);
    Path status = root.proc("self/status");
    long capEff;
    try {
      // A fixture tree has no proc/self: then tierd holds no capability over it.
      capEff = KernelFiles.readIfPresent(status).map(HeatProbes::parseCapEff).orElse(0L);
    } catch (KernelFsException e) {
      throw e.withFile(status);
    }
    return new HeatProbes(
        damon,
        leftover,
        KernelFiles.exists(PageIdleBitmap.path(root)),
        KernelFiles.exists(KPageFlags.path(root)),
        (capEff & (1L << CAP_SYS_ADMIN)) != 0,
        KernelFiles.exists(root.proc("self/clear_refs")),
        SoftDirtyProbe.unavailable(root),
        KernelFiles.exists(root.proc("self/numa_maps")));
  }

  /**
   * DAMON can be used by tierd: no kdamond exists, or the only one is a dead tierd's that will be
   * removed.
   */
  public boolean damonFree() {
    return damon.present()
        && (damon.busyReason().isEmpty() || damonLeftover.kind() == DamonLeftovers.Kind.REMOVED);
  }

  /** Why DAMON cannot be used, for the chooser's explanation. */
  public String damonReason() {
    if (damonLeftover.blocking()) {
      return damonLeftover.message();
    }
    return damon.busyReason().orElse("DAMON free");
  }

  /**
   * The {@code CapEff:} mask of /proc/PID/status (hex, proc(5)). Kept here rather than in
   * ProcStatus because only the heat probes need it.
   */
  public static long parseCapEff(String statusText) {
    var lines = Parse.lines(statusText);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("CapEff:")) {
        return Parse.hex(line.substring("CapEff:".length()).strip(), i + 1, "CapEff");
      }
    }
    throw KernelFsException.malformed(0, "CapEff", "no CapEff line");
  }
}
