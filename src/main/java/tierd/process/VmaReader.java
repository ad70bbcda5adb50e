package tierd.process;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.kernelfs.Rejection;
import tierd.model.NodeSet;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;
import tierd.source.proc.Smaps;

/**
 * Reads the VMAs of managed processes from maps and numa_maps, and keeps them between scans.
 *
 * <p>Per managed pid it keeps the fingerprints of its last maps and numa_maps, the VMAs built from
 * them, and when to read numa_maps again. A daemon keeps one reader for its life: most processes'
 * VMAs and placement do not change between two cycles, and fingerprinting the bytes costs far less
 * than decoding, parsing and joining them again. numa_maps is the costly file (the kernel walks
 * every present page of the process to count it per node): while a process's maps and RSS stay the
 * same it is read every 1, 2, 4, ... scans up to {@link #numaMapsMaxAge}.
 *
 * <p>Which VMAs may hold THPs (smaps' {@code THPeligible}, see {@link ThpEligibility}) is read from
 * smaps, which walks the page tables too: only when a process's maps changed (a new process, a VMA
 * mapped, unmapped, split or merged), at most once per numa_maps read, and kept otherwise. A
 * madvise(MADV_NOHUGEPAGE) or prctl(PR_SET_THP_DISABLE) on an unchanged VMA, or a change of the
 * global THP mode, is seen at the next maps change. An smaps that cannot be read or parsed is
 * logged once per process and its VMAs count as eligible.
 */
final class VmaReader {

  private static final Logger log = LoggerFactory.getLogger(VmaReader.class);

  private final KernelRoot root;

  /** Pids whose smaps failed and was logged (once per process). */
  private final Set<Integer> smapsFailed = new HashSet<>();

  private final Map<Integer, Cached> cache = new HashMap<>();

  /** Pids whose numa_maps this scan read (or {@link #refresh} re-read) rather than reused. */
  private final Set<Integer> readThisScan = new HashSet<>();

  /** Read numa_maps at least every this many scans; 1 reads it every scan (the default). */
  private int numaMapsMaxAge = 1;

  /**
   * What the last numa_maps read of one process saw. {@code period}: read numa_maps every this many
   * scans while maps and RSS stay the same (doubles after a read that found nothing changed, back
   * to 1 after one that did or that left VMAs out, as the kernel's NUMA balancing backs off its
   * scan period); {@code age}: scans since that read. {@code nodes}: the nodes with pages of any of
   * the VMAs; {@code rejected}: what the join left out, reported again at every read of the same
   * bytes. {@code thp}: the smaps read at the last change of maps.
   */
  private record Cached(
      long startTime,
      KernelFiles.Fingerprint numaMaps,
      KernelFiles.Fingerprint maps,
      ThpEligibility thp,
      long rss,
      List<Vma> vmas,
      NodeSet nodes,
      List<Rejection> rejected,
      int period,
      int age) {

    Cached older() {
      return new Cached(
          startTime, numaMaps, maps, thp, rss, vmas, nodes, rejected, period, age + 1);
    }

    Cached readAgainNextScan() {
      return new Cached(startTime, numaMaps, maps, thp, rss, vmas, nodes, rejected, 1, age);
    }
  }

  /**
   * The VMAs of one process. {@code read}: whether numa_maps was read for them (else kept from an
   * earlier scan); {@code rejected}: what that read left out (empty when kept); {@code nodes}: the
   * nodes with pages of any VMA.
   */
  record Read(List<Vma> vmas, boolean read, List<Rejection> rejected, NodeSet nodes) {}

  VmaReader(KernelRoot root) {
    this.root = root;
  }

  /** The largest maps or numa_maps read. */
  private int maxFileBytes = KernelFiles.MAX_BYTES;

  void maxFileBytes(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("max file bytes must be at least 1: " + bytes);
    }
    maxFileBytes = bytes;
  }

  void numaMapsMaxAge(int scans) {
    if (scans < 1) {
      throw new IllegalArgumentException("numa_maps max age must be at least 1 scan: " + scans);
    }
    numaMapsMaxAge = scans;
  }

  /** Starts a scan: no pid has been read yet. */
  void startScan() {
    readThisScan.clear();
  }

  /** Forgets every pid not in {@code managed} (processes that exited or are no longer managed). */
  void retain(Set<Integer> managed) {
    cache.keySet().retainAll(managed);
    smapsFailed.retainAll(managed);
  }

  boolean readThisScan(int pid) {
    return readThisScan.contains(pid);
  }

  void readNextScan(int pid) {
    cache.computeIfPresent(pid, (k, c) -> c.readAgainNextScan());
  }

  /**
   * The VMAs of this pid (same start time): reused without reading numa_maps while maps and RSS are
   * unchanged and its read period has not run out, and without parsing when both files are
   * unchanged byte for byte.
   */
  Read vmas(int pid, long startTime, long rss) {
    Cached last = cached(pid, startTime);
    KernelFiles.Content maps = readMaps(pid, last);
    if (last != null
        && last.age() + 1 < Math.min(last.period(), numaMapsMaxAge)
        && last.rss() == rss
        && maps.fingerprint().equals(last.maps())) {
      cache.put(pid, last.older());
      return new Read(last.vmas(), false, List.of(), last.nodes());
    }
    Cached now = remember(pid, startTime, rss, last, maps, readNumaMaps(pid, last, maps));
    return new Read(now.vmas(), true, now.rejected(), now.nodes());
  }

  /**
   * Reads numa_maps and maps of a process again now. Returns null when they are byte for byte what
   * the VMAs in hand were built from; otherwise what they hold now (which the next scan also
   * keeps).
   */
  Read refresh(int pid, long startTime) {
    Cached last = cached(pid, startTime);
    long rss = last == null ? -1 : last.rss();
    KernelFiles.Content maps = readMaps(pid, last);
    Cached now = remember(pid, startTime, rss, last, maps, readNumaMaps(pid, last, maps));
    return last != null && now.vmas() == last.vmas()
        ? null
        : new Read(now.vmas(), true, now.rejected(), now.nodes());
  }

  /** This pid's maps; its bytes kept only when they changed since {@code last}. */
  private KernelFiles.Content readMaps(int pid, Cached last) {
    return readContent(root.pid(pid, "maps"), last == null ? null : last.maps());
  }

  /**
   * This pid's numa_maps, read after {@code maps}: its bytes kept when they changed since {@code
   * last}, and always when maps changed (the VMAs are built again then, and reading numa_maps a
   * second time for its text would walk the page tables twice).
   */
  private KernelFiles.Content readNumaMaps(int pid, Cached last, KernelFiles.Content maps) {
    return readContent(root.pid(pid, "numa_maps"), maps.hasText() ? null : last.numaMaps());
  }

  /** The cache entry of this pid if it is the same process (same start time), else null. */
  private Cached cached(int pid, long startTime) {
    Cached last = cache.get(pid);
    return last != null && last.startTime() == startTime ? last : null;
  }

  /**
   * The entry for a fresh read of both files: the last VMAs (the same list) when neither changed,
   * else parsed and joined. Sets the next read period and counts the pid as read this scan. The
   * contents come from {@link #readMaps} and {@link #readNumaMaps}: numa_maps has its bytes
   * whenever either file changed; maps, unchanged while numa_maps changed, is read again for its
   * text (a cheap file).
   */
  private Cached remember(
      int pid,
      long startTime,
      long rss,
      Cached last,
      KernelFiles.Content maps,
      KernelFiles.Content numa) {
    readThisScan.add(pid);
    KernelFiles.Fingerprint mapsPrint = maps.fingerprint();
    KernelFiles.Fingerprint numaPrint = numa.fingerprint();
    boolean same =
        last != null && numaPrint.equals(last.numaMaps()) && mapsPrint.equals(last.maps());
    // maps has its bytes exactly when it changed since last (or there is no last)
    ThpEligibility thp = maps.hasText() ? readThp(pid) : last.thp();
    List<Vma> vmas;
    NodeSet nodes;
    List<Rejection> rejected;
    if (same) {
      vmas = last.vmas();
      nodes = last.nodes();
      rejected = last.rejected();
    } else {
      Path numaPath = root.pid(pid, "numa_maps");
      Path mapsPath = root.pid(pid, "maps");
      String mapsText = maps.hasText() ? maps.text() : readContent(mapsPath, null).text();
      maps = null;
      List<ProcMaps.Mapping> mappings;
      try {
        mappings = ProcMaps.parse(mapsText);
      } catch (KernelFsException e) {
        throw e.withFile(mapsPath);
      }
      mapsText = null; // maps' text is garbage from here on: one large file in the heap at a time
      VmaJoin.Joiner joiner = new VmaJoin.Joiner(mappings, thp);
      try {
        NumaMaps.parse(numa.text(), joiner);
      } catch (KernelFsException e) {
        throw e.withFile(numaPath);
      }
      VmaJoin.Joined joined = joiner.joined();
      vmas = joined.vmas();
      nodes = nodesOf(vmas);
      rejected = joined.rejected();
    }
    // A read that left VMAs out is repeated next scan: a race between the two files is over by
    // then, and a broken file is reported again rather than kept quietly.
    int period = same && rejected.isEmpty() ? Math.min(2 * last.period(), numaMapsMaxAge) : 1;
    Cached now =
        new Cached(startTime, numaPrint, mapsPrint, thp, rss, vmas, nodes, rejected, period, 0);
    cache.put(pid, now);
    return now;
  }

  /**
   * This pid's VMAs' THP eligibility from its smaps; {@link ThpEligibility#UNKNOWN} (every VMA
   * eligible, the folio-safe alignment) when smaps is gone (the process exited: the scan finds out
   * from its stat), unreadable or malformed, logged once per process.
   */
  private ThpEligibility readThp(int pid) {
    Path smaps = root.pid(pid, "smaps");
    try {
      return ThpEligibility.of(Smaps.parse(KernelFiles.read(smaps, maxFileBytes)));
    } catch (KernelFsException e) {
      if (e.kind() != KernelFsException.Kind.ABSENT && smapsFailed.add(pid)) {
        log.warn(
            "{}; the VMAs of pid {} count as THP-eligible (their range ends snap to"
                + " planner.thpAlign) until its maps change",
            e.withFile(smaps).getMessage(),
            pid);
      }
      return ThpEligibility.UNKNOWN;
    }
  }

  private static NodeSet nodesOf(List<Vma> vmas) {
    Set<Integer> nodes = new TreeSet<>();
    for (Vma v : vmas) {
      for (int j = 0; j < v.pages().size(); j++) {
        nodes.add(v.pages().node(j));
      }
    }
    return NodeSet.of(nodes);
  }

  /** A file's content, its bytes kept only when its fingerprint is not {@code last}. */
  private KernelFiles.Content readContent(Path file, KernelFiles.Fingerprint last) {
    try {
      return KernelFiles.readIfChanged(file, last, maxFileBytes);
    } catch (KernelFsException e) {
      throw e.withFile(file);
    }
  }
}
