package tierd.process;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
import tierd.kernelfs.Rejection;
import tierd.model.DataSize;
import tierd.model.NodeSet;
import tierd.source.cgroup.CpusetMems;
import tierd.source.proc.ProcStat;

/**
 * Discovers managed processes from /proc under a {@link KernelRoot}.
 *
 * <p>Processes come and go during a scan: a process whose files vanish is skipped and counted as
 * {@code gone}; one whose files tierd may not read is skipped and counted as {@code denied}.
 * Neither fails the scan. Bad data stays local: a file that does not parse leaves its process out
 * ({@code malformed}), a VMA on which maps, numa_maps and the topology disagree is left out of its
 * process ({@link VmaJoin}); each is counted by file and reason and logged once per process ({@link
 * ScanRejections}), and the other processes are scanned as usual.
 *
 * <p>The scan tracks at most {@code maxVmas} VMAs (a memory bound, see {@code
 * tierd.daemon.TrackingLimits}): the candidates are read largest RSS first, each with all its VMAs
 * while they fit; the process that crosses the limit keeps its largest VMAs (by present bytes), and
 * the smaller processes after it are left out. So the largest processes are always covered.
 */
public final class ProcessScanner {

  private static final Logger log = LoggerFactory.getLogger(ProcessScanner.class);

  /** Every node id the kernel allows: the scan without a topology checks no node. */
  static final NodeSet ANY_NODE = NodeSet.range(0, NodeSet.MAX_NUMNODES);

  private final KernelRoot root;
  private final VmaReader reader;
  private final ScanRejections rejections = new ScanRejections();

  /** The memory nodes of the last scan, which {@link #refresh} checks VMAs against too. */
  private NodeSet memoryNodes = ANY_NODE;

  /** Pids the last scan cut to their largest VMAs, and to how many. */
  private final Map<Integer, Integer> trimmedTo = new HashMap<>();

  /** Whether the current shortfall of the VMA limit has been logged. */
  private boolean saidLimit;

  public ProcessScanner(KernelRoot root) {
    this.root = root;
    this.reader = new VmaReader(root);
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
    this.memoryNodes = memoryNodes;
    Tally t = new Tally();
    CpusetMems.Mounts mounts = CpusetMems.Mounts.of(root);
    reader.startScan();
    rejections.startScan();
    List<Integer> pids = pids();
    List<Candidate> candidates = new ArrayList<>();
    for (int pid : pids) {
      t.examined++;
      t.attempt(
          pid,
          null,
          () ->
              Candidate.read(root, pid, filter, mounts)
                  .ifPresentOrElse(candidates::add, () -> t.filtered++));
    }
    candidates.sort(
        Comparator.comparingLong(Candidate::rssBytes).reversed().thenComparingInt(Candidate::pid));
    List<ManagedProcess> out = new ArrayList<>();
    long remaining = maxVmas;
    trimmedTo.clear();
    for (Candidate c : candidates) {
      if (remaining <= 0) {
        t.leftOutProcesses++;
        t.leftOutRssBytes += c.rssBytes();
        continue;
      }
      long budget = remaining;
      int before = out.size();
      t.attempt(c.pid(), c, () -> out.add(withVmas(c, budget, t)));
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
    int read = 0;
    for (int pid : managed) {
      read += reader.readThisScan(pid) ? 1 : 0;
    }
    sayLimit(t, out.size(), maxVmas);
    return new Result(
        out,
        t.examined,
        t.filtered,
        t.gone,
        t.denied,
        t.malformed,
        t.errors,
        read,
        out.size() - read,
        rejections.counts(),
        t.leftOutProcesses,
        t.leftOutVmas,
        t.leftOutRssBytes);
  }

  /** Says once that the VMA limit leaves processes or VMAs out, and once that it no longer does. */
  private void sayLimit(Tally t, int covered, int maxVmas) {
    boolean short_ = t.leftOutProcesses > 0 || t.leftOutVmas > 0;
    if (short_ && !saidLimit) {
      log.warn(
          "tracking limit: {} VMAs (what the heap holds, see docs/operations.md) cover the {}"
              + " largest processes; {} smaller processes ({} RSS) and {} VMAs of the largest are"
              + " left out (tierd_tracking_left_out); a larger -Xmx raises the limit",
          maxVmas,
          covered,
          t.leftOutProcesses,
          DataSize.human(t.leftOutRssBytes),
          t.leftOutVmas);
    } else if (!short_ && saidLimit) {
      log.info("tracking limit: every managed process is covered again");
    }
    saidLimit = short_;
  }

  /** Counts of one scan, and the per-process failure boundary. */
  private final class Tally {
    int examined;
    int filtered;
    int gone;
    int denied;
    int malformed;
    int leftOutProcesses;
    long leftOutVmas;
    long leftOutRssBytes;
    final List<String> errors = new ArrayList<>();

    /**
     * Runs one process's step; a failure skips that process only. A vanished or unreadable file is
     * routine; a malformed one, or any other exception (a bug in tierd), is counted, kept for the
     * report and logged once for the process.
     */
    void attempt(int pid, Candidate c, Runnable step) {
      try {
        step.run();
      } catch (KernelFsException e) {
        switch (e.kind()) {
          case ABSENT -> gone++;
          case PERMISSION -> denied++;
          case TOO_LARGE ->
              reject(
                  pid,
                  c,
                  Rejection.fileLabel(e.file()),
                  Rejection.Reason.TOO_LARGE,
                  e.getMessage() + ", the most this heap reads at once (a larger -Xmx raises it)");
          default ->
              reject(
                  pid,
                  c,
                  Rejection.fileLabel(e.file()),
                  Rejection.Reason.MALFORMED,
                  e.getMessage());
        }
      } catch (RuntimeException e) {
        log.debug("reading pid {} failed", pid, e);
        reject(pid, c, "other", Rejection.Reason.ERROR, e.toString());
      }
    }

    private void reject(int pid, Candidate c, String file, Rejection.Reason reason, String detail) {
      malformed++;
      if (errors.size() < 20) {
        errors.add(detail);
      }
      rejections.process(
          pid,
          c == null ? -1 : c.stat().startTimeTicks(),
          c == null ? null : c.stat().comm(),
          new Rejection(file, reason, detail));
    }
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
    return Optional.of(withVmas(c.get(), Integer.MAX_VALUE, new Tally()));
  }

  /**
   * The candidate with its VMAs: those on the memory nodes, at most {@code maxVmas} of them (the
   * largest). Rejected and trimmed VMAs are counted in {@code t}.
   */
  private ManagedProcess withVmas(Candidate c, long maxVmas, Tally t) {
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
      t.leftOutVmas += vmas.size() - cap;
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
