package tierd.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;

/** A process of the {@link FakeKernel}: pid, start time, cpuset mems, task policy and VMAs. */
public final class FakeProcess {

  private final FakeKernel kernel;
  private final int pid;
  private final long startTimeTicks;
  private final String comm;
  private NodeSet mems;
  private MemPolicy taskPolicy = MemPolicy.DEFAULT;
  private final TreeMap<Long, FakeVma> vmas = new TreeMap<>();

  FakeProcess(FakeKernel kernel, int pid, long startTimeTicks, String comm, NodeSet mems) {
    this.kernel = kernel;
    this.pid = pid;
    this.startTimeTicks = startTimeTicks;
    this.comm = comm;
    this.mems = mems;
  }

  public int pid() {
    return pid;
  }

  public long startTimeTicks() {
    return startTimeTicks;
  }

  public String comm() {
    return comm;
  }

  /** The task's {@code cpuset.mems.effective}: move_pages to another node fails with EACCES. */
  public NodeSet mems() {
    return mems;
  }

  public FakeProcess mems(NodeSet nodes) {
    this.mems = nodes;
    return this;
  }

  public MemPolicy taskPolicy() {
    return taskPolicy;
  }

  /** set_mempolicy: shown in numa_maps for VMAs without a policy of their own. */
  public FakeProcess taskPolicy(MemPolicy p) {
    this.taskPolicy = p;
    return this;
  }

  public FakeVma map(
      AddressRange range, FakeVma.PageKind kind, FakeVma.Backing backing, String path) {
    Map.Entry<Long, FakeVma> below = vmas.floorEntry(range.end() - 1);
    if (below != null && below.getValue().range().overlaps(range)) {
      throw new IllegalArgumentException(
          "pid " + pid + ": " + range + " overlaps VMA " + below.getValue().range());
    }
    FakeVma v = new FakeVma(kernel, range, kind, backing, path);
    vmas.put(range.start(), v);
    return v;
  }

  /** Anonymous memory of 4 KiB pages. */
  public FakeVma mapAnon(long start, long bytes) {
    return map(
        AddressRange.ofSize(start, bytes), FakeVma.PageKind.BASE, FakeVma.Backing.ANON, null);
  }

  /** Anonymous memory backed by 2 MiB transparent huge pages. */
  public FakeVma mapThp(long start, long bytes) {
    return map(AddressRange.ofSize(start, bytes), FakeVma.PageKind.THP, FakeVma.Backing.ANON, null);
  }

  public FakeVma mapFile(long start, long bytes, String path) {
    return map(
        AddressRange.ofSize(start, bytes), FakeVma.PageKind.BASE, FakeVma.Backing.FILE, path);
  }

  /** munmap of a whole VMA. */
  public FakeProcess unmap(long start) {
    FakeVma v = vmas.remove(start);
    if (v == null) {
      throw new IllegalArgumentException(
          "pid " + pid + ": no VMA starts at " + Long.toHexString(start));
    }
    v.releaseAll();
    return this;
  }

  /** The VMA holding {@code addr}, or null (the address is not mapped). */
  public FakeVma vmaAt(long addr) {
    Map.Entry<Long, FakeVma> e = vmas.floorEntry(addr);
    return e != null && e.getValue().range().contains(addr) ? e.getValue() : null;
  }

  public List<FakeVma> vmas() {
    return new ArrayList<>(vmas.values());
  }

  void releaseAll() {
    for (FakeVma v : vmas.values()) {
      v.releaseAll();
    }
  }

  /** Start and VMAs, for the tree of kernel files. */
  TreeMap<Long, FakeVma> vmaMap() {
    return vmas;
  }
}
