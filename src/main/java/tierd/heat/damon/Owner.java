package tierd.heat.damon;

import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;
import tierd.source.proc.ProcStat;

/**
 * The tierd process that owns a kdamond, as its state file records it: a {@link ProcessId} (pid and
 * start time, field 22 of {@code /proc/<pid>/stat}), so that a reused pid is a dead owner.
 */
public final class Owner {

  private Owner() {}

  /** This JVM. */
  public static ProcessId self(KernelRoot root) {
    int pid = Math.toIntExact(ProcessHandle.current().pid());
    return new ProcessId(pid, ProcStat.read(root, pid).startTimeTicks());
  }

  /** True while the process still runs (same pid, same start time). */
  public static boolean alive(ProcessId owner, KernelRoot root) {
    return owner.isStartTimeOf(ProcStat.liveStartTimeTicks(root, owner.pid()));
  }
}
