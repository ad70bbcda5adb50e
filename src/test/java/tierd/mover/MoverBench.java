package tierd.mover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.nativeio.AnonymousMapping;
import tierd.nativeio.Mpol;
import tierd.nativeio.NumaSyscalls;
import tierd.nativeio.SyscallResult;
import tierd.source.proc.ProcStat;
import tierd.source.sys.NodeMasks;

/**
 * Mover throughput on a real multi-node kernel (issue 3): maps a buffer in this process, binds it
 * to the slow node and faults it in there, then moves it to the fast node and back through {@link
 * MovePagesMover} (the production path: KernelPagesPort, start-time check, placement query,
 * adaptive batches), several rounds, and prints MiB/s and the longest single move_pages call.
 * Placement is verified by query after every move, and the content by checksum.
 *
 * <pre>
 * java -Xmx256m -cp target/tierd.jar:target/test-classes tierd.mover.MoverBench \
 *     [--mib 128] [--rounds 3] [--fast 0] [--slow N] [--thp] [--bound-ms 20]
 * </pre>
 *
 * Defaults: the fast node is the lowest node with CPUs and memory, the slow node the highest
 * CPU-less node with memory. Exit status 2 when the machine has fewer than two memory nodes.
 */
public final class MoverBench {

  private MoverBench() {}

  public static void main(String[] args) {
    int mib = 128;
    int rounds = 3;
    int fast = -1;
    int slow = -1;
    boolean thp = false;
    int boundMs = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mib" -> mib = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--fast" -> fast = Integer.parseInt(args[++i]);
        case "--slow" -> slow = Integer.parseInt(args[++i]);
        case "--thp" -> thp = true;
        case "--bound-ms" -> boundMs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    KernelRoot root = KernelRoot.host();
    NodeMasks masks = NodeMasks.read(root);
    if (masks.hasMemory().size() < 2) {
      System.out.println(
          "MoverBench: needs two memory nodes, this kernel has " + masks.hasMemory());
      System.exit(2);
    }
    if (fast < 0) {
      fast = masks.hasMemory().intersect(masks.hasCpu()).first();
    }
    if (slow < 0) {
      NodeSet cpuLess = masks.cpuLess();
      slow = cpuLess.isEmpty() ? masks.hasMemory().minus(NodeSet.of(fast)).last() : cpuLess.last();
    }
    NumaSyscalls sys = NumaSyscalls.load();
    int pid = sys.getpid();
    ProcessId self = new ProcessId(pid, ProcStat.read(root, pid).startTimeTicks());
    MoverConfig config = MoverConfig.DEFAULT.withCallBound(Duration.ofMillis(boundMs));
    MovePagesMover mover =
        new MovePagesMover(
            new KernelPagesPort(sys), ProcessIdentity.procfs(root), Ticker.system(), config);

    long bytes = (long) mib << 20;
    try (AnonymousMapping buf =
        thp
            ? AnonymousMapping.hugeAligned(bytes)
            : AnonymousMapping.ofPages((int) (bytes / sys.getpagesize()))) {
      SyscallResult bind =
          sys.mbind(buf.address(), buf.sizeBytes(), Mpol.MPOL_BIND, NodeSet.of(slow), 0);
      if (bind.failed()) {
        throw new IllegalStateException("mbind to node " + slow + " failed: " + bind);
      }
      buf.writeAll();
      // Drop the policy again: move_pages ignores it anyway, and the bench should not rely on it.
      sys.mbind(buf.address(), buf.sizeBytes(), Mpol.MPOL_DEFAULT, NodeSet.empty(), 0);
      long checksum = buf.checksum();
      long unit = thp ? MoveRequest.PMD_FOLIO_BYTES : MoveRequest.BASE_PAGE_BYTES;
      List<AddressRange> range = List.of(AddressRange.ofSize(buf.address(), buf.sizeBytes()));
      System.out.printf(
          Locale.ROOT,
          "MoverBench: %d MiB %s buffer, fast node %d, slow node %d, bound %d ms, %s%n",
          mib,
          thp ? "THP (2 MiB folios)" : "4 KiB-page",
          fast,
          slow,
          boundMs,
          placement(sys, buf, slow));
      System.out.println(
          "direction        MiB/s   elapsed_ms  longest_call_ms  move_calls  query_calls  over_bound  moved_MiB  outcomes");
      List<Double> up = new ArrayList<>();
      List<Double> down = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        for (int[] dir : new int[][] {{slow, fast}, {fast, slow}}) {
          MoveRequest req = new MoveRequest(self, range, NodeSet.of(dir[0]), dir[1], unit);
          MoveReport rep = mover.move(List.of(req));
          double mibs = rep.bytesPerSecond() / (1 << 20);
          (dir[1] == fast ? up : down).add(mibs);
          System.out.printf(
              Locale.ROOT,
              "%-14s %7.1f %12.1f %16.2f %11d %12d %11d %10.1f  %s%n",
              "node " + dir[0] + "->" + dir[1],
              mibs,
              rep.elapsed().toNanos() / 1e6,
              rep.longestCall().toNanos() / 1e6,
              rep.moveCalls(),
              rep.queryCalls(),
              rep.callsOverBound(),
              rep.total().bytesMoved() / (double) (1 << 20),
              rep.total().asMap());
          String where = placement(sys, buf, dir[1]);
          if (!where.startsWith("all pages on node " + dir[1])) {
            throw new IllegalStateException("after the move to " + dir[1] + ": " + where);
          }
        }
      }
      if (buf.checksum() != checksum) {
        throw new IllegalStateException("buffer content changed during the moves");
      }
      System.out.printf(
          Locale.ROOT,
          "MoverBench: median slow->fast %.1f MiB/s, fast->slow %.1f MiB/s; content verified%n",
          median(up),
          median(down));
    }
  }

  private static String placement(NumaSyscalls sys, AnonymousMapping buf, int expected) {
    int n = buf.pages();
    long[] pages = new long[n];
    for (int i = 0; i < n; i++) {
      pages[i] = buf.pageAddress(i);
    }
    int[] status = new int[n];
    SyscallResult r = sys.move_pages(0, pages, null, status, 0);
    if (r.failed()) {
      return "placement query failed: " + r;
    }
    int on = 0;
    for (int s : status) {
      if (s == expected) {
        on++;
      }
    }
    return on == n
        ? "all pages on node " + expected
        : on + " of " + n + " pages on node " + expected;
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(Double::compare);
    return s.isEmpty() ? 0 : s.get(s.size() / 2);
  }
}
