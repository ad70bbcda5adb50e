package tierd.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Rejection;
import tierd.model.NodeSet;
import tierd.source.proc.ProcStat;

/**
 * The VMAs tierd tracks of each managed process: those {@link VmaReader} reads, with pages on the
 * memory nodes of the last scan only ({@link VmaJoin#onNodes}), and no more than the process's
 * share of the VMA limit (its largest). A {@link #refresh} between scans keeps the same nodes and
 * share, so it returns what the next scan would track.
 */
final class TrackedVmas {

  private final KernelRoot root;
  private final VmaReader reader;
  private final ScanRejections rejections;

  /** The memory nodes of the last scan, which {@link #refresh} checks VMAs against too. */
  private NodeSet memoryNodes = ProcessScanner.ANY_NODE;

  /** Pids the last scan cut to their largest VMAs, and to how many. */
  private final Map<Integer, Integer> trimmedTo = new HashMap<>();

  TrackedVmas(KernelRoot root, VmaReader reader, ScanRejections rejections) {
    this.root = root;
    this.reader = reader;
    this.rejections = rejections;
  }

  /** Starts a scan that tracks pages on {@code memoryNodes} only. */
  void startScan(NodeSet memoryNodes) {
    this.memoryNodes = memoryNodes;
  }

  /** Starts handing out the scan's VMA limit: forgets which processes the last scan trimmed. */
  void startLimit() {
    trimmedTo.clear();
  }

  /**
   * Reads numa_maps and maps of a process now (same start time as scanned). Empty when they are
   * byte for byte what the VMAs in hand were built from; otherwise the VMAs built from the new
   * contents, checked and limited as the last scan's. Throws like a scan when the process is gone.
   */
  Optional<List<Vma>> refresh(int pid, long startTime) {
    VmaReader.Read read = reader.refresh(pid, startTime);
    checkNotReused(pid, startTime, "refresh");
    if (read == null) {
      return Optional.empty();
    }
    List<Vma> vmas = onMemoryNodes(read, memoryNodes).vmas();
    Integer cap = trimmedTo.get(pid);
    return Optional.of(cap == null ? vmas : VmaJoin.largest(vmas, cap));
  }

  /**
   * The candidate with its VMAs: those on the memory nodes, at most {@code maxVmas} of them (the
   * largest). Rejected VMAs are reported to the scan's rejections, trimmed ones counted in {@code
   * tally}. Throws for a process whose files are gone, unreadable or malformed.
   */
  ManagedProcess withVmas(Candidate c, long maxVmas, ScanTally tally) {
    int pid = c.pid();
    VmaReader.Read read = reader.vmas(pid, c.stat().startTimeTicks(), c.rssBytes());
    checkNotReused(pid, c.stat().startTimeTicks(), "scan");
    VmaJoin.Joined onNodes = onMemoryNodes(read, memoryNodes);
    List<Rejection> rejected = new ArrayList<>(read.rejected());
    rejected.addAll(onNodes.rejected());
    if (!rejected.isEmpty()) {
      int total = onNodes.vmas().size() + rejected.size();
      rejections.vmas(pid, c.stat().startTimeTicks(), c.stat().comm(), rejected, total);
    }
    if (!onNodes.rejected().isEmpty()) {
      reader.readNextScan(pid); // VMAs from before a node went away: read numa_maps again
    }
    List<Vma> vmas = onNodes.vmas();
    if (vmas.size() > maxVmas) {
      int cap = (int) maxVmas;
      tally.leftOutVmas += vmas.size() - cap;
      trimmedTo.put(pid, cap);
      vmas = VmaJoin.largest(vmas, cap);
    }
    return new ManagedProcess(
        pid,
        c.stat().startTimeTicks(),
        c.stat().comm(),
        c.rssBytes(),
        c.cgroupPath(),
        c.memsAllowed(),
        c.cpusetMems(),
        c.allowedNodes(),
        vmas);
  }

  /** The VMAs of {@code read} with pages on {@code nodes} only. */
  private static VmaJoin.Joined onMemoryNodes(VmaReader.Read read, NodeSet nodes) {
    if (nodes.containsAll(read.nodes())) {
      return new VmaJoin.Joined(read.vmas(), List.of());
    }
    return VmaJoin.onNodes(read.vmas(), nodes);
  }

  /**
   * A pid reused between stat and numa_maps would mix two processes: the start time is checked
   * again after the reads, and a new process there counts as the old one gone.
   */
  private void checkNotReused(int pid, long startTimeTicks, String during) {
    if (ProcStat.read(root, pid).startTimeTicks() != startTimeTicks) {
      throw KernelFsException.of(
          KernelFsException.Kind.ABSENT,
          root.pid(pid, "stat"),
          "pid reused during " + during,
          null);
    }
  }
}
