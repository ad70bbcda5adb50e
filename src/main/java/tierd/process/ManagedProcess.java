package tierd.process;

import java.util.List;
import java.util.Optional;
import tierd.model.NodeSet;

/**
 * A process tierd may act on, as read at the start of a cycle.
 *
 * <p>{@code allowedNodes} is {@code cpuset.mems.effective ∩ Mems_allowed}: the only nodes any of
 * its pages may be moved to (the kernel enforces the cpuset with EACCES; tierd checks first so it
 * never asks). {@code startTimeTicks} (field 22 of /proc/PID/stat) identifies the process across
 * pid reuse: a move for a (pid, start time) pair that no longer matches is dropped.
 */
public record ManagedProcess(
    int pid,
    long startTimeTicks,
    String comm,
    long rssBytes,
    String cgroupPath,
    NodeSet memsAllowed,
    Optional<NodeSet> cpusetMems,
    NodeSet allowedNodes,
    List<Vma> vmas) {

  public ManagedProcess {
    vmas = List.copyOf(vmas);
  }

  /** The same process with other VMAs (read again since). */
  public ManagedProcess withVmas(List<Vma> newVmas) {
    return new ManagedProcess(
        pid,
        startTimeTicks,
        comm,
        rssBytes,
        cgroupPath,
        memsAllowed,
        cpusetMems,
        allowedNodes,
        newVmas);
  }

  /** Present bytes on {@code node} over all VMAs. */
  public long bytesOn(int node) {
    long s = 0;
    for (Vma v : vmas) {
      s += v.bytesOn(node);
    }
    return s;
  }
}
