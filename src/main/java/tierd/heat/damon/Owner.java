package tierd.heat.damon;

import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.source.proc.ProcStat;

/**
 * A tierd process, identified across pid reuse by its pid and start time (field 22 of {@code
 * /proc/<pid>/stat}).
 */
public record Owner(int pid, long startTimeTicks) {

  /** This JVM. */
  public static Owner self(KernelRoot root) {
    int pid = Math.toIntExact(ProcessHandle.current().pid());
    return new Owner(pid, ProcStat.read(root, pid).startTimeTicks());
  }

  /** True while the process still runs (same pid, same start time). */
  public boolean alive(KernelRoot root) {
    try {
      ProcStat s = ProcStat.read(root, pid);
      return s.startTimeTicks() == startTimeTicks && !s.isZombie();
    } catch (KernelFsException e) {
      if (e.kind() == KernelFsException.Kind.ABSENT) {
        return false;
      }
      throw e;
    }
  }
}
