package tierd.process;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.source.cgroup.CpusetMems;

/**
 * Discovers managed processes from /proc under a {@link KernelRoot}.
 *
 * <p>Processes come and go during a scan: a process whose files vanish is skipped and counted as
 * {@code gone}; one whose files tierd may not read is skipped and counted as {@code denied}.
 * Neither fails the scan. Bad data stays local: a file that does not parse leaves its process out
 * ({@code malformed}), a VMA on which maps, numa_maps and the topology disagree is left out of its
 * process ({@link VmaJoin}); each is counted by file and reason and logged once per process ({@link
 * ScanRejections}), and the other processes are scanned as usual ({@link ScanTally} counts them).
 *
 * <p>The scan tracks at most {@code maxVmas} VMAs (a memory bound, see {@code
 * tierd.daemon.TrackingLimits}): the candidates are read largest RSS first, each with all its VMAs
 * while they fit; the process that crosses the limit keeps its largest VMAs (by present bytes), and
 * the smaller processes after it are left out. So the largest processes are always covered. Which
 * VMAs a process keeps, in a scan and in a {@link #refresh}, is {@link TrackedVmas}'s part.
 */
public final class ProcessScanner {

  private static final Logger log = LoggerFactory.getLogger(ProcessScanner.class);

  /** Every node id the kernel allows: the scan without a topology checks no node. */
  static final NodeSet ANY_NODE = NodeSet.range(0, NodeSet.MAX_NUMNODES);

  private final KernelRoot root;
  private final VmaReader reader;
  private final ScanRejections rejections = new ScanRejections();
  private final TrackedVmas tracked;

  /** Whether the current shortfall of the VMA limit has been logged. */
  private boolean saidLimit;

  public ProcessScanner(KernelRoot root) {
    this.root = root;
    this.reader = new VmaReader(root);
    this.tracked = new TrackedVmas(root, reader, rejections);
  }

  public KernelRoot root() {
    return root;
  }

  /**
   * Lets a process whose maps and RSS did not change keep the VMAs of its last numa_maps read for
   * up to {@code scans} scans (1: read numa_maps every scan). numa_maps is the costly file of a
   * scan: the kernel walks every present page of the process to count it per node. What a skipped
   * read can miss is the kernel moving or aging pages on its own (NUMA balancing, demotion,
   * reclaim); a caller about to act on a process's VMAs checks them first with {@link #refresh}.
   */
  public void numaMapsMaxAge(int scans) {
    reader.numaMapsMaxAge(scans);
  }

  /**
   * Reads maps and numa_maps of at most this many bytes (a memory bound: a process with more VMAs
   * than that is left out, {@code too_large}). Default {@link KernelFiles#MAX_BYTES}.
   */
  public void maxFileBytes(int bytes) {
    reader.maxFileBytes(bytes);
  }

  /** Whether the last scan (or a refresh since) read this pid's numa_maps rather than reused it. */
  public boolean readThisScan(int pid) {
    return reader.readThisScan(pid);
  }

  /** Makes the next scan read this pid's numa_maps (e.g. after tierd moved its pages). */
  public void readNextScan(int pid) {
    reader.readNextScan(pid);
  }

  /**
   * Reads numa_maps and maps of a process now (same start time as scanned). Empty when they are
   * byte for byte what the VMAs in hand were built from; otherwise the VMAs built from the new
   * contents, which the next scan also keeps, checked and limited as that scan's. Throws like a
   * scan when the process is gone.
   */
  public Optional<List<Vma>> refresh(int pid, long startTime) {
    return tracked.refresh(pid, startTime);
  }

  /**
   * The outcome of one scan. {@code numaMapsRead}: managed processes whose numa_maps this scan
   * read; {@code numaMapsKept}: those whose VMAs it kept from an earlier read (see {@link
   * #numaMapsMaxAge}). {@code rejected}: processes and VMAs left out for bad data, by file and
   * reason. {@code leftOutProcesses}, {@code leftOutVmas}, {@code leftOutRssBytes}: what the VMA
   * limit left out.
   */
  public record Result(
      List<ManagedProcess> processes,
      int examined,
      int filtered,
      int gone,
      int denied,
      int malformed,
      List<String> errors,
      int numaMapsRead,
      int numaMapsKept,
      Map<String, Map<String, Long>> rejected,
      int leftOutProcesses,
      long leftOutVmas,
      long leftOutRssBytes) {

    public Result {
      processes = List.copyOf(processes);
      errors = List.copyOf(errors);
      rejected = Map.copyOf(rejected);
    }

    /** VMAs the scan tracks. */
    public long vmas() {
      return processes.stream().mapToLong(p -> p.vmas().size()).sum();
    }
  }

  /**
   * The first word of {@code pid}'s command line, what an {@code exe} matcher matches; "" when the
   * process is gone or its cmdline unreadable (it matches no exe pattern but ".*").
   */
  public String argv0(int pid) {
    try {
      return Candidate.argv0(root, pid);
    } catch (KernelFsException e) {
      return "";
    }
  }

  /** All numeric entries of /proc, ascending. */
  public List<Integer> pids() {
    List<Integer> out = new ArrayList<>();
    for (String name : KernelFiles.list(root.proc())) {
      if (!name.isEmpty() && name.length() < 10 && allDigits(name)) {
        out.add(Integer.parseInt(name));
      }
    }
    return out;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A scan without a topology to check nodes against and without a VMA limit (the CLI's). */
  public Result scan(ProcessFilter filter) {
    return scan(filter, ANY_NODE, Integer.MAX_VALUE);
  }

  /**
   * Scans every process: the candidates that pass the filter, largest RSS first, with their VMAs
   * (pages on {@code memoryNodes} only) while {@code maxVmas} are not exceeded.
   */
  public Result scan(ProcessFilter filter, NodeSet memoryNodes, int maxVmas) {
    tracked.startScan(memoryNodes);
    ScanTally tally = new ScanTally(rejections);
    CpusetMems.Mounts mounts = CpusetMems.Mounts.of(root);
    reader.startScan();
    rejections.startScan();
    List<Integer> pids = pids();
    List<Candidate> candidates = new ArrayList<>();
    for (int pid : pids) {
      tally.examined++;
      tally.attempt(
          pid,
          null,
          () ->
              Candidate.read(root, pid, filter, mounts)
                  .ifPresentOrElse(candidates::add, () -> tally.filtered++));
    }
    candidates.sort(
        Comparator.comparingLong(Candidate::rssBytes).reversed().thenComparingInt(Candidate::pid));
    List<ManagedProcess> out = new ArrayList<>();
    long remaining = maxVmas;
    tracked.startLimit();
    for (Candidate c : candidates) {
      if (remaining <= 0) {
        tally.leftOutProcesses++;
        tally.leftOutRssBytes += c.rssBytes();
        continue;
      }
      long budget = remaining;
      int before = out.size();
      tally.attempt(c.pid(), c, () -> out.add(tracked.withVmas(c, budget, tally)));
      if (out.size() > before) {
        remaining -= out.get(before).vmas().size();
      }
    }
    Set<Integer> managed = new HashSet<>();
    for (ManagedProcess p : out) {
      managed.add(p.pid());
    }
    reader.retain(managed);
    rejections.retain(new HashSet<>(pids));
    int numaMapsRead = 0;
    for (int pid : managed) {
      numaMapsRead += reader.readThisScan(pid) ? 1 : 0;
    }
    sayLimit(tally, out.size(), maxVmas);
    return tally.result(out, numaMapsRead, rejections.counts());
  }

  /** Says once that the VMA limit leaves processes or VMAs out, and once that it no longer does. */
  private void sayLimit(ScanTally tally, int covered, int maxVmas) {
    boolean short_ = tally.leftSomethingOut();
    if (short_ && !saidLimit) {
      log.warn(
          "tracking limit: {} VMAs (what the heap holds, see docs/operations.md) cover the {}"
              + " largest processes; {} smaller processes ({} RSS) and {} VMAs of the largest are"
              + " left out (tierd_tracking_left_out); a larger -Xmx raises the limit",
          maxVmas,
          covered,
          tally.leftOutProcesses,
          DataSize.human(tally.leftOutRssBytes),
          tally.leftOutVmas);
    } else if (!short_ && saidLimit) {
      log.info("tracking limit: every managed process is covered again");
    }
    saidLimit = short_;
  }

  /**
   * Reads one process, or empty when the filter rejects it. Cheap checks (stat, status) come before
   * the costly numa_maps walk. Throws for a process whose files are gone, unreadable or malformed.
   */
  public Optional<ManagedProcess> read(int pid, ProcessFilter filter) {
    Optional<Candidate> c = Candidate.read(root, pid, filter, CpusetMems.Mounts.of(root));
    if (c.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(tracked.withVmas(c.get(), Integer.MAX_VALUE, new ScanTally(rejections)));
  }
}
