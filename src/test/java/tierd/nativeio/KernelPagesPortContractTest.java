package tierd.nativeio;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.mover.KernelPagesPort;
import tierd.mover.PagesPortContract;
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
        buffer.pageAddress(20),
        buffer.address() + 61 * buffer.pageBytes(),
        noMemory,
        ChildProcesses.reapedPid(),
        others.isEmpty() ? OptionalInt.empty() : OptionalInt.of(others.first()));
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
