package tierd.mover;

import java.util.OptionalLong;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;
import tierd.source.proc.ProcStat;

/**
 * Tells the start time of a live process, so the mover can tell a pid it was asked to move from a
 * new process that reuses the number. Production reads {@code /proc/<pid>/stat}; the fake kernel
 * answers from its model.
 */
@FunctionalInterface
public interface ProcessIdentity {

  /** The start time in clock ticks since boot, or empty when no such live process exists. */
  OptionalLong startTimeTicks(int pid);

  /** True when {@code process} still names the same live process. */
  default boolean isAlive(ProcessId process) {
    return process.isStartTimeOf(startTimeTicks(process.pid()));
  }

  /** {@code /proc/<pid>/stat} under {@code root} ({@link ProcStat#liveStartTimeTicks}). */
  static ProcessIdentity procfs(KernelRoot root) {
    return pid -> ProcStat.liveStartTimeTicks(root, pid);
  }
}
