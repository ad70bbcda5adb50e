package tierd.kernelfs;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the kernel's pseudo-filesystems live. Production uses {@code /proc}, {@code /sys} and
 * {@code /sys/fs/cgroup}; tests point the same readers at a fixture tree whose layout mirrors the
 * real one ({@code <dir>/proc}, {@code <dir>/sys}, {@code <dir>/sys/fs/cgroup}).
 *
 * <p>Every reader takes a KernelRoot; no other class in tierd names an absolute kernel path.
 */
public record KernelRoot(Path proc, Path sys, Path cgroup) {

  public KernelRoot {
    Objects.requireNonNull(proc, "proc");
    Objects.requireNonNull(sys, "sys");
    Objects.requireNonNull(cgroup, "cgroup");
  }

  /** The running kernel. */
  public static KernelRoot host() {
    return new KernelRoot(Path.of("/proc"), Path.of("/sys"), Path.of("/sys/fs/cgroup"));
  }

  /** A fixture tree (or a chroot) laid out like {@code /}. */
  public static KernelRoot under(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    return new KernelRoot(abs.resolve("proc"), abs.resolve("sys"), abs.resolve("sys/fs/cgroup"));
  }

  /** True when this root is the running kernel rather than a fixture tree. */
  public boolean isHost() {
    return equals(host());
  }

  public Path proc(String relative) {
    return proc.resolve(relative);
  }

  public Path sys(String relative) {
    return sys.resolve(relative);
  }

  public Path cgroup(String relative) {
    return cgroup.resolve(relative);
  }

  /** {@code /proc/<pid>/<file>}. */
  public Path pid(int pid, String file) {
    return proc.resolve(Integer.toString(pid)).resolve(file);
  }

  /** {@code /sys/devices/system/node/<relative>}. */
  public Path node(String relative) {
    return sys.resolve("devices/system/node").resolve(relative);
  }

  /**
   * An absolute path named in the config, under this root: a path under {@code /proc} or {@code
   * /sys} lands under this root's proc or sys (so a fixture tree serves a sysfs capacity file too);
   * any other path is itself.
   */
  public Path resolveAbsolute(Path absolute) {
    Path procDir = Path.of("/proc");
    Path sysDir = Path.of("/sys");
    if (absolute.startsWith(procDir)) {
      return proc.resolve(procDir.relativize(absolute).toString());
    }
    if (absolute.startsWith(sysDir)) {
      return sys.resolve(sysDir.relativize(absolute).toString());
    }
    return absolute;
  }

  @Override
  public String toString() {
    return "KernelRoot[proc=" + proc + ", sys=" + sys + ", cgroup=" + cgroup + "]";
  }
}
