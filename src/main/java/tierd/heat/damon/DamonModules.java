package tierd.heat.damon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;

/**
 * The kdamonds of the kernel's own DAMON modules — DAMON_RECLAIM ({@code mm/damon/reclaim.c}),
 * DAMON_LRU_SORT ({@code mm/damon/lru_sort.c}) and any other {@code damon_*} module with a {@code
 * kdamond_pid} parameter — read from {@code /sys/module/damon_<name>/parameters/kdamond_pid}
 * ({@code %d}, -1 while the module's kdamond does not run; root only, 0400;
 * Documentation/admin-guide/mm/damon/reclaim.rst and lru_sort.rst).
 *
 * <p>They are invisible in the DAMON sysfs admin tree, and they start their context exclusively
 * ({@code damon_start(..., true)}, mm/damon/core.c): while one runs no other kdamond can start, so
 * tierd's {@code state on} fails with EBUSY, and none can start while another kdamond runs. Seen in
 * the 6.12 guest (VM chaos scenario): with DAMON_LRU_SORT enabled tierd's {@code on} failed with
 * EBUSY in every attempt; enabling it while tierd's kdamond ran failed with EBUSY. Both monitor
 * physical memory.
 */
public final class DamonModules {

  private DamonModules() {}

  /** Relative to the sys mount. */
  static final String MODULES = "module";

  /** A module's running kdamond. */
  public record ModuleKdamond(String module, int kthreadPid) {

    /** {@code kernel module damon_lru_sort (kdamond pid 837)}. */
    public String describe() {
      return "kernel module " + module + " (kdamond pid " + kthreadPid + ")";
    }

    /** Why tierd cannot run a kdamond of its own while this one runs. */
    public String busyReason() {
      return "DAMON busy ("
          + describe()
          + " runs exclusively: no other kdamond can start beside it)";
    }
  }

  /**
   * The running module kdamonds under {@code root}. A module whose {@code kdamond_pid} tierd may
   * not read (no root) or that went away meanwhile is left out.
   */
  public static List<ModuleKdamond> read(KernelRoot root) {
    Path modules = root.sys(MODULES);
    if (!KernelFiles.exists(modules)) {
      return List.of();
    }
    List<ModuleKdamond> out = new ArrayList<>();
    for (String name : KernelFiles.list(modules)) {
      if (!name.startsWith("damon_")) {
        continue;
      }
      Path file = modules.resolve(name).resolve("parameters/kdamond_pid");
      Optional<String> text;
      try {
        text = KernelFiles.readIfPresent(file);
      } catch (KernelFsException e) {
        if (e.kind() == KernelFsException.Kind.PERMISSION) {
          continue;
        }
        throw e;
      }
      if (text.isEmpty()) {
        continue;
      }
      int pid;
      try {
        pid = DamonStatus.parsePid(text.get());
      } catch (KernelFsException e) {
        throw e.withFile(file);
      }
      if (pid > 0) {
        out.add(new ModuleKdamond(name, pid));
      }
    }
    return out;
  }
}
