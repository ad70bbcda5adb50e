package tierd.source.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.source.proc.ProcCgroup;
import tierd.source.sys.NodeListFile;

/**
 * The memory nodes a task's cpuset allows, which the kernel enforces on move_pages with EACCES.
 *
 * <ul>
 *   <li>cgroup v2: {@code <cgroup>/<path>/cpuset.mems.effective}
 *       (Documentation/admin-guide/cgroup-v2.rst). In a cgroup without the cpuset controller the
 *       file is absent and the nearest ancestor's value applies.
 *   <li>cgroup v1: {@code <cgroup>/cpuset/<path>/cpuset.effective_mems}, else {@code cpuset.mems}
 *       (Documentation/admin-guide/cgroup-v1/cpusets.rst).
 * </ul>
 *
 * <p>The v2 hierarchy is at the cgroup root on a unified system and at {@code <cgroup>/unified} on
 * a hybrid one (systemd's layout); both are probed.
 */
public final class CpusetMems {

  private CpusetMems() {}

  /** Where the effective value came from, for reports. */
  public record Effective(NodeSet mems, String source) {}

  /**
   * Where the cpuset files are: the cgroup v2 mount when its root lists the {@code cpuset}
   * controller (only then do cgroups below it have {@code cpuset.mems.effective}), and the v1
   * cpuset mount when it exists. Found once per scan instead of once per process.
   */
  public record Mounts(Optional<Path> v2, Optional<Path> v1) {

    public static Mounts of(KernelRoot root) {
      Optional<Path> v2 =
          unifiedRoot(root)
              .filter(
                  m ->
                      KernelFiles.readIfPresent(m.resolve("cgroup.controllers"))
                          .map(c -> List.of(c.strip().split("\\s+")).contains("cpuset"))
                          .orElse(false));
      Path v1Root = root.cgroup("cpuset");
      return new Mounts(v2, KernelFiles.exists(v1Root) ? Optional.of(v1Root) : Optional.empty());
    }
  }

  /**
   * The effective cpuset mems of a task in {@code cgroups}, or empty when no cpuset controller
   * constrains it (then only {@code Mems_allowed} applies).
   */
  public static Optional<Effective> read(Mounts mounts, ProcCgroup cgroups) {
    Optional<String> v2 = cgroups.unifiedPath();
    if (v2.isPresent() && mounts.v2().isPresent()) {
      Optional<Effective> e = walkUp(mounts.v2().get(), v2.get(), "cpuset.mems.effective");
      if (e.isPresent()) {
        return e;
      }
    }
    Optional<String> v1 = cgroups.v1Path("cpuset");
    if (v1.isPresent() && mounts.v1().isPresent()) {
      Path v1Root = mounts.v1().get();
      Optional<Effective> e = walkUp(v1Root, v1.get(), "cpuset.effective_mems");
      if (e.isPresent()) {
        return e;
      }
      return walkUp(v1Root, v1.get(), "cpuset.mems");
    }
    return Optional.empty();
  }

  /** The cgroup v2 mount: the cgroup root itself, or {@code unified/} below it on hybrid hosts. */
  public static Optional<Path> unifiedRoot(KernelRoot root) {
    if (KernelFiles.exists(root.cgroup("cgroup.controllers"))) {
      return Optional.of(root.cgroup());
    }
    if (KernelFiles.exists(root.cgroup("unified/cgroup.controllers"))) {
      return Optional.of(root.cgroup("unified"));
    }
    return Optional.empty();
  }

  public static NodeSet parse(String text) {
    return NodeListFile.parse(text);
  }

  private static Optional<Effective> walkUp(Path mount, String cgroupPath, String file) {
    String rel = cgroupPath.startsWith("/") ? cgroupPath.substring(1) : cgroupPath;
    if (rel.contains("..")) {
      throw KernelFsException.malformed(0, cgroupPath, "cgroup path escapes its hierarchy");
    }
    Path dir = rel.isEmpty() ? mount : mount.resolve(rel);
    while (true) {
      Path f = dir.resolve(file);
      try {
        Optional<String> text = KernelFiles.readIfPresent(f);
        if (text.isPresent() && !text.get().isBlank()) {
          return Optional.of(new Effective(parse(text.get()), f.toString()));
        }
      } catch (KernelFsException e) {
        throw e.withFile(f);
      }
      if (dir.equals(mount)) {
        return Optional.empty();
      }
      dir = dir.getParent();
    }
  }
}
