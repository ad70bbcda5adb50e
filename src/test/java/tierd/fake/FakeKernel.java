package tierd.fake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.mover.PagesPort;
import tierd.mover.ProcessIdentity;
import tierd.nativeio.Errno;
import tierd.nativeio.Mpol;
import tierd.nativeio.SyscallResult;

/**
 * The in-memory kernel (see the package doc). Not thread-safe; a test drives it from one thread.
 *
 * <p>{@link #movePages} follows {@code kernel_move_pages()} of mm/migrate.c step by step, so its
 * corner cases are the kernel's: the call stops at the first failure, the pages it never reached
 * keep the caller's status values, and a positive return counts the pages that failed to migrate
 * plus those it never reached.
 */
public final class FakeKernel implements PagesPort, ProcessIdentity {

  /** One move_pages call, as the fake saw it. */
  public record Call(int pid, boolean query, int pages, SyscallResult result, long nanos) {}

  /** One page (or folio) that changed node. */
  public record Migration(int pid, long address, int fromNode, int toNode, long bytes) {}

  private static final class Node {
    long capacityBytes;
    long usedBytes;
    boolean online = true;
  }

  private final TreeMap<Integer, Node> nodes = new TreeMap<>();
  private final TreeMap<Integer, FakeProcess> processes = new TreeMap<>();
  private final Set<Integer> denied = new HashSet<>();
  private final FakeTicker ticker = new FakeTicker();
  private final List<Call> calls = new ArrayList<>();
  private final List<Migration> migrations = new ArrayList<>();
  private int selfPid = -1;
  private boolean capSysNice = true;
  private long nanosPerCall;
  private long nanosPerQueriedPage;
  private double nanosPerMovedByte;
  private Consumer<FakeKernel> beforeCall = k -> {};

  // ---------------------------------------------------------------- setup

  /** A node with memory ({@code has_memory}), online. */
  public FakeKernel addNode(int id, long capacityBytes) {
    NodeSet.checkNode(id);
    Node n = new Node();
    n.capacityBytes = capacityBytes;
    if (nodes.putIfAbsent(id, n) != null) {
      throw new IllegalArgumentException("node " + id + " exists");
    }
    return this;
  }

  /** Offlines or onlines a node; move_pages to an offline node fails with ENODEV. */
  public FakeKernel online(int id, boolean online) {
    node(id).online = online;
    return this;
  }

  public FakeProcess spawn(int pid, long startTimeTicks, NodeSet mems) {
    return spawn(pid, startTimeTicks, "proc" + pid, mems);
  }

  public FakeProcess spawn(int pid, long startTimeTicks, String comm, NodeSet mems) {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive: " + pid);
    }
    if (processes.containsKey(pid)) {
      throw new IllegalArgumentException("pid " + pid + " is alive");
    }
    FakeProcess p = new FakeProcess(this, pid, startTimeTicks, comm, mems);
    processes.put(pid, p);
    return p;
  }

  /** The process exits: its memory is freed and its pid answers ESRCH. */
  public FakeKernel exit(int pid) {
    FakeProcess p = processes.remove(pid);
    if (p == null) {
      throw new IllegalArgumentException("pid " + pid + " is not alive");
    }
    p.releaseAll();
    denied.remove(pid);
    return this;
  }

  /** The process that {@code pid == 0} means. */
  public FakeKernel self(int pid) {
    this.selfPid = pid;
    return this;
  }

  /** An LSM or missing ptrace access: every call on this pid fails with EPERM. */
  public FakeKernel deny(int pid) {
    denied.add(pid);
    return this;
  }

  /** Without CAP_SYS_NICE, MPOL_MF_MOVE_ALL fails with EPERM. */
  public FakeKernel capSysNice(boolean has) {
    this.capSysNice = has;
    return this;
  }

  /**
   * What a call costs in {@link #ticker()} time: a fixed part, a part per page looked up and a part
   * per byte migrated. All zero by default (time stands still).
   */
  public FakeKernel cost(long perCallNanos, long perQueriedPageNanos, double perMovedByteNanos) {
    this.nanosPerCall = perCallNanos;
    this.nanosPerQueriedPage = perQueriedPageNanos;
    this.nanosPerMovedByte = perMovedByteNanos;
    return this;
  }

  /** Runs before every move_pages call (to make a process exit mid-move, say). */
  public FakeKernel beforeCall(Consumer<FakeKernel> hook) {
    this.beforeCall = Objects.requireNonNull(hook);
    return this;
  }

  // ---------------------------------------------------------------- inspection

  public FakeTicker ticker() {
    return ticker;
  }

  public FakeProcess process(int pid) {
    FakeProcess p = processes.get(pid);
    if (p == null) {
      throw new IllegalArgumentException("pid " + pid + " is not alive");
    }
    return p;
  }

  public List<Call> calls() {
    return Collections.unmodifiableList(calls);
  }

  public List<Migration> migrations() {
    return Collections.unmodifiableList(migrations);
  }

  public long usedBytes(int id) {
    return node(id).usedBytes;
  }

  public long freeBytes(int id) {
    Node n = node(id);
    return n.capacityBytes - n.usedBytes;
  }

  /** Nodes with memory ({@code /sys/devices/system/node/has_memory}). */
  public NodeSet memoryNodes() {
    return NodeSet.of(nodes.keySet());
  }

  /** The node of the page at {@code addr} in {@code pid}; -1 not present, -2 zero page. */
  public int nodeOf(int pid, long addr) {
    FakeVma v = process(pid).vmaAt(addr);
    if (v == null) {
      throw new IllegalArgumentException(Long.toHexString(addr) + " is not mapped in " + pid);
    }
    return v.nodeOf(addr);
  }

  // ---------------------------------------------------------------- ProcessIdentity

  @Override
  public OptionalLong startTimeTicks(int pid) {
    FakeProcess p = processes.get(pid);
    return p == null ? OptionalLong.empty() : OptionalLong.of(p.startTimeTicks());
  }

  // ---------------------------------------------------------------- PagesPort

  @Override
  public SyscallResult movePages(
      int pid, long[] pages, int[] nodesOrNull, int[] status, int flags) {
    // The same argument checks as NumaSyscalls.move_pages, before any "kernel" work.
    Objects.requireNonNull(pages, "pages");
    Objects.requireNonNull(status, "status");
    if (status.length != pages.length) {
      throw new IllegalArgumentException(
          "status has " + status.length + " entries for " + pages.length + " pages");
    }
    if (nodesOrNull != null) {
      if (nodesOrNull.length != pages.length) {
        throw new IllegalArgumentException(
            "nodes has " + nodesOrNull.length + " entries for " + pages.length + " pages");
      }
      for (int n : nodesOrNull) {
        NodeSet.checkNode(n);
      }
    }
    beforeCall.accept(this);
    long t0 = ticker.nanoTime();
    ticker.advance(nanosPerCall + nanosPerQueriedPage * pages.length);
    long r = kernelMovePages(pid, pages, nodesOrNull, status, flags);
    SyscallResult res = r < 0 ? SyscallResult.failed((int) -r) : SyscallResult.ok(r);
    calls.add(new Call(pid, nodesOrNull == null, pages.length, res, ticker.nanoTime() - t0));
    return res;
  }

  /** kernel_move_pages(): returns the C value, or -errno. */
  private long kernelMovePages(int pid, long[] pages, int[] nodesArg, int[] status, int flags) {
    if ((flags & ~(Mpol.MPOL_MF_MOVE | Mpol.MPOL_MF_MOVE_ALL)) != 0) {
      return -Errno.EINVAL.number();
    }
    boolean moveAll = (flags & Mpol.MPOL_MF_MOVE_ALL) != 0;
    if (moveAll && !capSysNice) {
      return -Errno.EPERM.number();
    }
    // find_mm_struct()
    FakeProcess p = pid == 0 ? processes.get(selfPid) : processes.get(pid);
    if (p == null) {
      return -Errno.ESRCH.number();
    }
    if (denied.contains(p.pid())) {
      return -Errno.EPERM.number();
    }
    if (nodesArg == null) {
      for (int i = 0; i < pages.length; i++) {
        status[i] = stat(p, pages[i]);
      }
      return 0;
    }
    return doPagesMove(p, pages, nodesArg, status, moveAll);
  }

  /** do_pages_stat_array(): node, -EFAULT (no VMA, zero page), -ENOENT (not present). */
  private static int stat(FakeProcess p, long addr) {
    FakeVma v = p.vmaAt(addr);
    if (v == null) {
      return -Errno.EFAULT.number();
    }
    int s = v.state(v.unit(addr));
    if (s == FakeVma.ZERO_PAGE) {
      return -Errno.EFAULT.number();
    }
    if (s == FakeVma.ABSENT) {
      return -Errno.ENOENT.number();
    }
    return s;
  }

  private static final int NUMA_NO_NODE = -1;

  /** do_pages_move(). */
  private long doPagesMove(FakeProcess p, long[] pages, int[] nodesArg, int[] status, boolean all) {
    int n = pages.length;
    List<Integer> pagelist = new ArrayList<>();
    int currentNode = NUMA_NO_NODE;
    int start = 0;
    long err = 0;
    int i;
    for (i = 0; i < n; i++) {
      int node = nodesArg[i];
      Node nd = nodes.get(node);
      if (nd == null || !nd.online) {
        err = -Errno.ENODEV.number();
        break;
      }
      if (!p.mems().contains(node)) {
        err = -Errno.EACCES.number();
        break;
      }
      if (currentNode == NUMA_NO_NODE) {
        currentNode = node;
        start = i;
      } else if (node != currentNode) {
        err = moveAndStoreStatus(p, pages, currentNode, pagelist, status, start, i, n);
        if (err != 0) {
          return err;
        }
        start = i;
        currentNode = node;
      }
      int added = addPageForMigration(p, pages[i], currentNode, all);
      if (added > 0) {
        pagelist.add(i);
        continue;
      }
      status[i] = added == 0 ? currentNode : added;
      err = moveAndStoreStatus(p, pages, currentNode, pagelist, status, start, i, n);
      if (err != 0) {
        // page i is accounted for already
        return err > 0 ? err - 1 : err;
      }
      currentNode = NUMA_NO_NODE;
    }
    long err1 = moveAndStoreStatus(p, pages, currentNode, pagelist, status, start, i, n);
    return err >= 0 ? err1 : err;
  }

  /** add_page_for_migration(): 1 queued, 0 already on the node, or -errno for the status. */
  private static int addPageForMigration(FakeProcess p, long addr, int node, boolean all) {
    FakeVma v = p.vmaAt(addr);
    if (v == null) {
      return -Errno.EFAULT.number();
    }
    int u = v.unit(addr);
    int s = v.state(u);
    if (s == FakeVma.ABSENT) {
      return -Errno.ENOENT.number();
    }
    if (s == FakeVma.ZERO_PAGE) {
      return -Errno.EFAULT.number();
    }
    if (s == node) {
      return 0;
    }
    if (v.shared(u) && !all) {
      return -Errno.EACCES.number();
    }
    if (v.takeBusy(u)) {
      return -Errno.EBUSY.number();
    }
    return 1;
  }

  /** move_pages_and_store_status(). */
  private long moveAndStoreStatus(
      FakeProcess p,
      long[] pages,
      int node,
      List<Integer> pagelist,
      int[] status,
      int start,
      int i,
      int n) {
    if (pagelist.isEmpty()) {
      return 0;
    }
    long err = moveToNode(p, pages, pagelist, node);
    pagelist.clear();
    if (err != 0) {
      return err > 0 ? err + n - i : err;
    }
    for (int k = start; k < i; k++) {
      status[k] = node;
    }
    return 0;
  }

  /**
   * do_move_pages_to_node() → migrate_pages(): migrates the queued pages in order. A page whose
   * migration fails is counted; running out of room on the node ends the batch with -ENOMEM (pages
   * before it stay migrated, as when migrate_pages_batch() meets -ENOMEM).
   */
  private long moveToNode(FakeProcess p, long[] pages, List<Integer> pagelist, int node) {
    Node target = nodes.get(node);
    long failed = 0;
    for (int idx : pagelist) {
      long addr = pages[idx];
      FakeVma v = p.vmaAt(addr);
      int u = v.unit(addr);
      int from = v.state(u);
      long bytes = v.kind().unitBytes();
      if (from == node) {
        continue; // the same page named twice in one batch
      }
      if (v.takeFailure(u)) {
        failed++;
        continue;
      }
      if (target.capacityBytes - target.usedBytes < bytes) {
        return -Errno.ENOMEM.number();
      }
      release(from, bytes);
      allocate(node, bytes);
      v.place(u, node);
      migrations.add(new Migration(p.pid(), v.range().start() + u * bytes, from, node, bytes));
      ticker.advance((long) (nanosPerMovedByte * bytes));
    }
    return failed;
  }

  // ---------------------------------------------------------------- memory accounting

  void allocate(int id, long bytes) {
    Node n = node(id);
    if (n.capacityBytes - n.usedBytes < bytes) {
      throw new IllegalStateException(
          "node " + id + " is full: " + n.usedBytes + " of " + n.capacityBytes + " bytes used");
    }
    n.usedBytes += bytes;
  }

  void release(int id, long bytes) {
    node(id).usedBytes -= bytes;
  }

  private Node node(int id) {
    Node n = nodes.get(id);
    if (n == null) {
      throw new IllegalArgumentException("no node " + id);
    }
    return n;
  }

  // ---------------------------------------------------------------- kernel files

  /**
   * {@code /proc/<pid>/numa_maps} as {@code show_numa_map()} in fs/proc/task_mmu.c prints it:
   * start, effective policy, file/heap/stack, huge, then (only if pages are present) anon, dirty,
   * mapped, mapmax, the per-node counts and kernelpagesize_kB. Anonymous pages (hugetlb included)
   * are dirty and active; file pages are clean; the zero page is not counted; THP counts in base
   * pages, hugetlb in huge pages.
   */
  public String numaMaps(int pid) {
    FakeProcess p = process(pid);
    StringBuilder sb = new StringBuilder();
    for (FakeVma v : p.vmaMap().values()) {
      MemPolicy pol = v.policy() != null ? v.policy() : p.taskPolicy();
      sb.append(String.format(Locale.ROOT, "%08x %s", v.range().start(), pol));
      switch (v.backing()) {
        case FILE -> sb.append(" file=").append(escapePath(v.path()));
        case HEAP -> sb.append(" heap");
        case STACK -> sb.append(" stack");
        case ANON -> {}
      }
      boolean hugetlb = v.kind() == FakeVma.PageKind.HUGETLB;
      if (hugetlb) {
        sb.append(" huge");
      }
      Map<Integer, Long> perNode = v.pagesPerNode();
      long pages = 0;
      for (long c : perNode.values()) {
        pages += c;
      }
      if (pages > 0) {
        // MAP_HUGETLB memory is a deleted hugetlbfs file ("anon_hugepage") of anonymous pages:
        // proc.rst shows it as "file=/anon_hugepage\040(deleted) huge anon=1 dirty=1".
        long anon = v.backing() != FakeVma.Backing.FILE || hugetlb ? pages : 0;
        long dirty = anon;
        if (anon > 0) {
          sb.append(" anon=").append(anon);
        }
        if (dirty > 0) {
          sb.append(" dirty=").append(dirty);
        }
        if (pages != anon && pages != dirty) {
          sb.append(" mapped=").append(pages);
        }
        if (v.anyShared()) {
          sb.append(" mapmax=2");
        }
        for (var e : perNode.entrySet()) {
          sb.append(" N").append(e.getKey()).append('=').append(e.getValue());
        }
        sb.append(" kernelpagesize_kB=").append(hugetlb ? v.kind().unitBytes() >> 10 : 4);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code /proc/<pid>/maps} ({@code show_map_vma()}): anonymous VMAs are private read-write. */
  public String maps(int pid) {
    FakeProcess p = process(pid);
    StringBuilder sb = new StringBuilder();
    for (FakeVma v : p.vmaMap().values()) {
      String path =
          switch (v.backing()) {
            case FILE -> v.path();
            case HEAP -> "[heap]";
            case STACK -> "[stack]";
            case ANON -> "";
          };
      boolean file = v.backing() == FakeVma.Backing.FILE;
      String line =
          String.format(
              Locale.ROOT,
              "%08x-%08x %s 00000000 %s %d",
              v.range().start(),
              v.range().end(),
              file ? "r--p" : "rw-p",
              file ? "fe:01" : "00:00",
              file ? 1000 + Math.abs(v.path().hashCode() % 100000) : 0);
      sb.append(line);
      if (!path.isEmpty()) {
        sb.append(" ".repeat(Math.max(1, 73 - line.length()))).append(path);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** {@code /proc/<pid>/stat} ({@code do_task_stat()}), with the start time in field 22. */
  public String stat(int pid) {
    FakeProcess p = process(pid);
    StringBuilder sb = new StringBuilder();
    sb.append(pid).append(" (").append(p.comm()).append(") S 1 ").append(pid).append(' ');
    sb.append(pid).append(" 0 -1 4194304 100 0 0 0 1 1 0 0 20 0 1 0 ");
    sb.append(p.startTimeTicks());
    sb.append(" 10000000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0");
    sb.append(" 0 0 0 0 0 0 0\n");
    return sb.toString();
  }

  /**
   * Writes {@code proc/<pid>/{numa_maps,maps,stat}} for every live process under {@code dir}, so
   * {@code KernelRoot.under(dir)} and the real readers see the fake's state.
   */
  public void writeProcTree(Path dir) {
    try {
      for (int pid : processes.keySet()) {
        Path d = dir.resolve("proc").resolve(Integer.toString(pid));
        Files.createDirectories(d);
        Files.writeString(d.resolve("numa_maps"), numaMaps(pid));
        Files.writeString(d.resolve("maps"), maps(pid));
        Files.writeString(d.resolve("stat"), stat(pid));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code seq_file_path(m, file, "\n\t= ")}: those characters become octal escapes. */
  static String escapePath(String path) {
    StringBuilder sb = new StringBuilder(path.length());
    for (char c : path.toCharArray()) {
      if (c == '\n' || c == '\t' || c == ' ' || c == '=') {
        sb.append(String.format(Locale.ROOT, "\\%03o", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
