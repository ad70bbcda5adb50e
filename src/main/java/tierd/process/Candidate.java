package tierd.process;

import java.util.List;
import java.util.Optional;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.source.cgroup.CpusetMems;
import tierd.source.proc.ProcCgroup;
import tierd.source.proc.ProcStat;
import tierd.source.proc.ProcStatus;

/**
 * A process that passed the filter, before its VMAs are read: what the scan ranks by ({@code
 * rssBytes}) before it decides whose VMAs to read within the VMA limit.
 */
record Candidate(
    int pid,
    ProcStat stat,
    long rssBytes,
    String cgroupPath,
    NodeSet memsAllowed,
    Optional<NodeSet> cpusetMems,
    NodeSet allowedNodes) {

  /**
   * The first word of a process's command line (/proc/PID/cmdline up to its first NUL), what an
   * {@code exe} matcher matches. Throws when the file is gone or unreadable.
   */
  static String argv0(KernelRoot root, int pid) {
    String cmdline = KernelFiles.read(root.pid(pid, "cmdline"));
    int nul = cmdline.indexOf('\0');
    return nul >= 0 ? cmdline.substring(0, nul) : cmdline;
  }

  /**
   * Reads one process up to the filter's last check, or empty when the filter rejects it. Cheap
   * checks (stat, status) come before the others. Throws for files that are gone, unreadable or
   * malformed.
   */
  static Optional<Candidate> read(
      KernelRoot root, int pid, ProcessFilter filter, CpusetMems.Mounts mounts) {
    if (pid == filter.selfPid()) {
      return Optional.empty();
    }
    ProcStat stat = ProcStat.read(root, pid);
    if (stat.isKernelThread() || stat.isZombie() || !filter.matchesComm(stat.comm())) {
      return Optional.empty();
    }
    ProcStatus status = ProcStatus.read(root, pid);
    if (status.kthread() || status.tgid() != pid) {
      return Optional.empty();
    }
    long rss = status.vmRssBytes().orElse(0);
    if (rss < filter.minRssBytes()) {
      return Optional.empty();
    }
    if (filter.exe().isPresent()) {
      if (!filter.matchesExe(argv0(root, pid))) {
        return Optional.empty();
      }
    }
    ProcCgroup cgroup = ProcCgroup.read(root, pid);
    List<String> paths = cgroup.lines().stream().map(ProcCgroup.Line::path).distinct().toList();
    if (!filter.matchesCgroup(paths)) {
      return Optional.empty();
    }
    Optional<NodeSet> cpuset = CpusetMems.read(mounts, cgroup).map(CpusetMems.Effective::mems);
    NodeSet allowed =
        cpuset.map(c -> c.intersect(status.memsAllowed())).orElse(status.memsAllowed());
    String cgroupPath = cgroup.unifiedPath().orElse(paths.isEmpty() ? "/" : paths.get(0));
    return Optional.of(
        new Candidate(pid, stat, rss, cgroupPath, status.memsAllowed(), cpuset, allowed));
  }
}
