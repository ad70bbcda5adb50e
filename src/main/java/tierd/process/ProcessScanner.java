package tierd.process;

import java.nio.file.Path;
import java.util.ArrayList;
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
import tierd.model.NodeSet;
import tierd.source.cgroup.CpusetMems;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcCgroup;
import tierd.source.proc.ProcMaps;
import tierd.source.proc.ProcStat;
import tierd.source.proc.ProcStatus;

/**
 * Discovers managed processes from /proc under a {@link KernelRoot}.
 *
 * <p>Processes come and go during a scan: a process whose files vanish is skipped and counted as
 * {@code gone}; one whose files tierd may not read is skipped and counted as {@code denied}.
 * Neither fails the scan. Malformed files do fail the process (counted as {@code malformed},
 * message kept), never silently.
 */
public final class ProcessScanner {

  private static final Logger log = LoggerFactory.getLogger(ProcessScanner.class);

  private final KernelRoot root;

  /**
   * Per managed pid, the fingerprints of its last maps and numa_maps, the VMAs built from them, and
   * when to read numa_maps again. A daemon keeps one scanner for its life: most processes' VMAs and
   * placement do not change between two cycles, and fingerprinting the bytes costs far less than
   * decoding, parsing and joining them again. Entries of pids not managed in the last scan are
   * dropped.
   */
  private final Map<Integer, VmaCache> vmaCache = new HashMap<>();

  /** Pids whose numa_maps this scan read (or {@link #refresh} re-read) rather than reused. */
  private final Set<Integer> readThisScan = new HashSet<>();

  /** Read numa_maps at least every this many scans; 1 reads it every scan (the default). */
  private int numaMapsMaxAge = 1;

  /**
   * What the last numa_maps read of one process saw. {@code period}: read numa_maps every this many
   * scans while maps and RSS stay the same (doubles after a read that found nothing changed, back
   * to 1 after one that did, as the kernel's NUMA balancing backs off its scan period); {@code
   * age}: scans since that read.
   */
  private record VmaCache(
      long startTime,
      KernelFiles.Fingerprint numaMaps,
      KernelFiles.Fingerprint maps,
      long rss,
      List<Vma> vmas,
      int period,
      int age) {

    VmaCache older() {
      return new VmaCache(startTime, numaMaps, maps, rss, vmas, period, age + 1);
    }

    VmaCache readAgainNextScan() {
      return new VmaCache(startTime, numaMaps, maps, rss, vmas, 1, age);
    }
  }

  public ProcessScanner(KernelRoot root) {
    this.root = root;
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
    if (scans < 1) {
      throw new IllegalArgumentException("numa_maps max age must be at least 1 scan: " + scans);
    }
    numaMapsMaxAge = scans;
  }

  /** Whether the last scan (or a refresh since) read this pid's numa_maps rather than reused it. */
  public boolean readThisScan(int pid) {
    return readThisScan.contains(pid);
  }

  /** Makes the next scan read this pid's numa_maps (e.g. after tierd moved its pages). */
  public void readNextScan(int pid) {
    vmaCache.computeIfPresent(pid, (k, c) -> c.readAgainNextScan());
  }

  /**
   * Reads numa_maps and maps of a process now (same start time as scanned). Empty when they are
   * byte for byte what the VMAs in hand were built from; otherwise the VMAs built from the new
   * contents, which the next scan also keeps. Throws like a scan when the process is gone.
   */
  public Optional<List<Vma>> refresh(int pid, long startTime) {
    VmaCache last = cached(pid, startTime);
    long rss = last == null ? -1 : last.rss();
    KernelFiles.Content maps = readMaps(pid, last);
    List<Vma> vmas = remember(pid, startTime, rss, last, maps, readNumaMaps(pid, last, maps));
    ProcStat again = ProcStat.read(root, pid);
    if (again.startTimeTicks() != startTime) {
      throw KernelFsException.of(
          KernelFsException.Kind.ABSENT, root.pid(pid, "stat"), "pid reused during refresh", null);
    }
    return last != null && vmas == last.vmas() ? Optional.empty() : Optional.of(vmas);
  }

  /**
   * The outcome of one scan. {@code numaMapsRead}: managed processes whose numa_maps this scan
   * read; {@code numaMapsKept}: those whose VMAs it kept from an earlier read (see {@link
   * #numaMapsMaxAge}).
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
      int numaMapsKept) {

    public Result {
      processes = List.copyOf(processes);
      errors = List.copyOf(errors);
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

  public Result scan(ProcessFilter filter) {
    List<ManagedProcess> out = new ArrayList<>();
    int examined = 0;
    int filtered = 0;
    int gone = 0;
    int denied = 0;
    int malformed = 0;
    List<String> errors = new ArrayList<>();
    CpusetMems.Mounts mounts = CpusetMems.Mounts.of(root);
    readThisScan.clear();
    for (int pid : pids()) {
      examined++;
      try {
        Optional<ManagedProcess> p = read(pid, filter, mounts);
        if (p.isPresent()) {
          out.add(p.get());
        } else {
          filtered++;
        }
      } catch (KernelFsException e) {
        switch (e.kind()) {
          case ABSENT -> gone++;
          case PERMISSION -> denied++;
          default -> {
            malformed++;
            if (errors.size() < 20) {
              errors.add(e.getMessage());
            }
            log.warn("skipping pid {}: {}", pid, e.getMessage());
          }
        }
      }
    }
    Set<Integer> managed = new HashSet<>();
    for (ManagedProcess p : out) {
      managed.add(p.pid());
    }
    vmaCache.keySet().retainAll(managed);
    int read = 0;
    for (int pid : managed) {
      read += readThisScan.contains(pid) ? 1 : 0;
    }
    return new Result(
        out, examined, filtered, gone, denied, malformed, errors, read, out.size() - read);
  }

  /**
   * Reads one process, or empty when the filter rejects it. Cheap checks (stat, status) come before
   * the costly numa_maps walk.
   */
  public Optional<ManagedProcess> read(int pid, ProcessFilter filter) {
    return read(pid, filter, CpusetMems.Mounts.of(root));
  }

  private Optional<ManagedProcess> read(int pid, ProcessFilter filter, CpusetMems.Mounts mounts) {
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
      String cmdline = KernelFiles.read(root.pid(pid, "cmdline"));
      int nul = cmdline.indexOf('\0');
      String argv0 = nul >= 0 ? cmdline.substring(0, nul) : cmdline;
      if (!filter.matchesExe(argv0)) {
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
    List<Vma> vmas = cachedVmas(pid, stat.startTimeTicks(), rss);
    // A pid reused between stat and numa_maps would mix two processes: re-check the start time.
    ProcStat again = ProcStat.read(root, pid);
    if (again.startTimeTicks() != stat.startTimeTicks()) {
      throw KernelFsException.of(
          KernelFsException.Kind.ABSENT, root.pid(pid, "stat"), "pid reused during scan", null);
    }
    String cgroupPath = cgroup.unifiedPath().orElse(paths.isEmpty() ? "/" : paths.get(0));
    return Optional.of(
        new ManagedProcess(
            pid,
            stat.startTimeTicks(),
            stat.comm(),
            rss,
            cgroupPath,
            status.memsAllowed(),
            cpuset,
            allowed,
            vmas));
  }

  /**
   * As {@link #vmas(int)}, but reuses the last VMAs of this pid (same start time): without reading
   * numa_maps while maps and RSS are unchanged and its read period has not run out, and without
   * parsing when both files are unchanged byte for byte.
   */
  private List<Vma> cachedVmas(int pid, long startTime, long rss) {
    VmaCache last = cached(pid, startTime);
    KernelFiles.Content maps = readMaps(pid, last);
    if (last != null
        && last.age() + 1 < Math.min(last.period(), numaMapsMaxAge)
        && last.rss() == rss
        && maps.fingerprint().equals(last.maps())) {
      vmaCache.put(pid, last.older());
      return last.vmas();
    }
    return remember(pid, startTime, rss, last, maps, readNumaMaps(pid, last, maps));
  }

  /** This pid's maps; its bytes kept only when they changed since {@code last}. */
  private KernelFiles.Content readMaps(int pid, VmaCache last) {
    return readContent(root.pid(pid, "maps"), last == null ? null : last.maps());
  }

  /**
   * This pid's numa_maps, read after {@code maps}: its bytes kept when they changed since {@code
   * last}, and always when maps changed (the VMAs are built again then, and reading numa_maps a
   * second time for its text would walk the page tables twice).
   */
  private KernelFiles.Content readNumaMaps(int pid, VmaCache last, KernelFiles.Content maps) {
    return readContent(root.pid(pid, "numa_maps"), maps.hasBytes() ? null : last.numaMaps());
  }

  /** The cache entry of this pid if it is the same process (same start time), else null. */
  private VmaCache cached(int pid, long startTime) {
    VmaCache last = vmaCache.get(pid);
    return last != null && last.startTime() == startTime ? last : null;
  }

  /**
   * The VMAs of a fresh read of both files: the last ones (the same list) when neither changed,
   * else parsed and joined. Sets the next read period and counts the pid as read this scan. The
   * contents come from {@link #readMaps} and {@link #readNumaMaps}: numa_maps has its bytes
   * whenever either file changed; maps, unchanged while numa_maps changed, is read again for its
   * text (a cheap file).
   */
  private List<Vma> remember(
      int pid,
      long startTime,
      long rss,
      VmaCache last,
      KernelFiles.Content maps,
      KernelFiles.Content numa) {
    readThisScan.add(pid);
    boolean same =
        last != null
            && numa.fingerprint().equals(last.numaMaps())
            && maps.fingerprint().equals(last.maps());
    List<Vma> vmas;
    if (same) {
      vmas = last.vmas();
    } else {
      Path numaPath = root.pid(pid, "numa_maps");
      Path mapsPath = root.pid(pid, "maps");
      maps = maps.hasBytes() ? maps : readContent(mapsPath, null);
      List<NumaMaps.Entry> entries;
      List<ProcMaps.Mapping> mappings;
      try {
        entries = NumaMaps.parse(numa.text());
      } catch (KernelFsException e) {
        throw e.withFile(numaPath);
      }
      try {
        mappings = ProcMaps.parse(maps.text());
      } catch (KernelFsException e) {
        throw e.withFile(mapsPath);
      }
      vmas = List.copyOf(join(mappings, entries));
    }
    int period = same ? Math.min(2 * last.period(), numaMapsMaxAge) : 1;
    vmaCache.put(
        pid, new VmaCache(startTime, numa.fingerprint(), maps.fingerprint(), rss, vmas, period, 0));
    return vmas;
  }

  /** A file's content, its bytes kept only when its fingerprint is not {@code last}. */
  private static KernelFiles.Content readContent(Path file, KernelFiles.Fingerprint last) {
    try {
      return KernelFiles.readIfChanged(file, last);
    } catch (KernelFsException e) {
      throw e.withFile(file);
    }
  }

  /** VMAs from maps joined with numa_maps by start address. */
  public List<Vma> vmas(int pid) {
    List<NumaMaps.Entry> numa = NumaMaps.read(root, pid);
    List<ProcMaps.Mapping> maps = ProcMaps.read(root, pid);
    return join(maps, numa);
  }

  /** Joins maps and numa_maps; VMAs present in only one of them (a race) are left out. */
  public static List<Vma> join(List<ProcMaps.Mapping> maps, List<NumaMaps.Entry> numa) {
    Map<Long, ProcMaps.Mapping> byStart = new HashMap<>();
    for (ProcMaps.Mapping m : maps) {
      byStart.put(m.range().start(), m);
    }
    List<Vma> out = new ArrayList<>();
    for (NumaMaps.Entry e : numa) {
      ProcMaps.Mapping m = byStart.get(e.start());
      if (m == null || m.special()) {
        continue;
      }
      out.add(
          new Vma(
              m.range(),
              m.perms(),
              m.path(),
              e.policy(),
              e.backing(),
              e.huge(),
              e.pageBytes(),
              e.anon(),
              e.mapmax().orElse(1),
              e.pagesPerNode(),
              e.activePages()));
    }
    return out;
  }
}
