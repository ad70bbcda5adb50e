package tierd.nativeio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import tierd.heat.accessed.KPageFlags;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.mover.KernelPagesPort;
import tierd.mover.PagesPortContract;
import tierd.source.proc.Pagemap;
import tierd.source.sys.NodeMasks;

/**
 * The {@link PagesPortContract} against the running kernel, on memory this test maps in its own
 * process. Skipped, with the reason, only where the kernel has no NUMA API or a filter refuses
 * move_pages.
 */
class KernelPagesPortContractTest extends PagesPortContract {

  private AnonymousMapping buffer;

  @Override
  protected Fixture fixture() {
    NumaSyscalls sys = NumaSyscalls.load();
    assumeNumaAndMovePages(sys);
    NodeSet memory = NodeMasks.read(KernelRoot.host()).hasMemory();
    buffer = AnonymousMapping.ofPages(64);
    buffer.write(0, 16);
    buffer.read(20);
    buffer.unmap(60, 64);
    long[] present = IntStream.range(0, 16).mapToLong(buffer::pageAddress).toArray();
    int[] status = new int[1];
    sys.move_pages(0, new long[] {present[0]}, null, status, 0);
    int home = status[0];
    int noMemory = NodeSet.range(0, NodeSet.MAX_NUMNODES).minus(memory).first();
    NodeSet others = memory.minus(NodeSet.of(home));
    return new Fixture(
        new KernelPagesPort(sys),
        sys.getpid(),
        present,
        home,
        buffer.pageAddress(30),
        sharedZeroPage(sys.getpid(), buffer.pageAddress(20), buffer.pageBytes()),
        buffer.address() + 61 * buffer.pageBytes(),
        noMemory,
        ChildProcesses.reapedPid(),
        others.isEmpty() ? OptionalInt.empty() : OptionalInt.of(others.first()));
  }

  /**
   * The address if /proc/PID/pagemap and /proc/kpageflags show the shared zero page there
   * (KPF_ZERO_PAGE), else empty: not every kernel maps it for a read fault, and without root the
   * PFN reads as 0 and nothing can be told.
   */
  static OptionalLong sharedZeroPage(int pid, long address, long pageBytes) {
    KernelRoot host = KernelRoot.host();
    try (Pagemap pm = Pagemap.open(host, pid);
        KPageFlags kpf = KPageFlags.open(host)) {
      long entry = pm.read(AddressRange.ofSize(address, pageBytes), pageBytes)[0];
      long pfn = Pagemap.pfn(entry);
      if (!Pagemap.present(entry) || pfn == 0) {
        return OptionalLong.empty();
      }
      boolean zero = KPageFlags.has(kpf.read(pfn, 1)[0], KPageFlags.KPF_ZERO_PAGE);
      return zero ? OptionalLong.of(address) : OptionalLong.empty();
    } catch (KernelFsException e) {
      return OptionalLong.empty();
    }
  }

  @AfterEach
  void unmap() {
    if (buffer != null) {
      buffer.close();
    }
  }

  /** Skips (with the reason) where the kernel or a filter rules the whole contract out. */
  static void assumeNumaAndMovePages(NumaSyscalls sys) {
    SyscallResult policy = sys.get_mempolicy(0, Mpol.MPOL_F_MEMS_ALLOWED).result();
    assumeTrue(
        policy.errno() != Errno.ENOSYS, "this kernel has no NUMA API (get_mempolicy: ENOSYS)");
    SyscallResult self = sys.move_pages(0, new long[0], null, new int[0], 0);
    assumeTrue(
        !self.failed(),
        "move_pages on this test's own process is refused (" + self + "): seccomp or no NUMA");
  }
}
