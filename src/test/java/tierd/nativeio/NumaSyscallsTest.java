package tierd.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tierd.kernelfs.KernelRoot;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.source.sys.NodeMasks;

/** The JNA bindings on the running kernel, with this test's own memory and thread. */
class NumaSyscallsTest {

  NumaSyscalls sys;
  AnonymousMapping buf;
  int home;
  int noMemory;

  @BeforeEach
  void setUp() {
    sys = NumaSyscalls.load();
    KernelPagesPortContractTest.assumeNumaAndMovePages(sys);
    buf = AnonymousMapping.ofPages(16).write(0, 16);
    int[] status = new int[1];
    sys.move_pages(0, new long[] {buf.address()}, null, status, 0);
    home = status[0];
    NodeSet memory = NodeMasks.read(KernelRoot.host()).hasMemory();
    noMemory = NodeSet.range(0, NodeSet.MAX_NUMNODES).minus(memory).first();
  }

  @AfterEach
  void tearDown() {
    if (buf != null) {
      buf.close();
    }
  }

  @ParameterizedTest(name = "mask round trip of {0}")
  @ValueSource(strings = {"", "0", "1", "0-1", "63-64", "2,5,1023", "0-1023"})
  void nodeMasksRoundTrip(String list) {
    NodeSet s = NodeSet.parse(list);
    long[] mask = NumaSyscalls.mask(s);
    assertThat(mask).hasSize(NumaSyscalls.MASK_BITS / 64);
    assertThat(NumaSyscalls.fromMask(mask)).isEqualTo(s);
  }

  @Test
  void theMaskCarriesOneExtraBitForTheKernel() {
    assertThat(NumaSyscalls.MAXNODE).isEqualTo(1025);
    assertThat(NumaSyscalls.mask(NodeSet.of(0, 65))).startsWith(1L, 2L);
  }

  @Test
  void memsAllowedContainsTheHomeNode() {
    NumaSyscalls.Policy p = sys.get_mempolicy(0, Mpol.MPOL_F_MEMS_ALLOWED);
    assertThat(p.result().failed()).isFalse();
    assertThat(p.nodes().contains(home)).isTrue();
  }

  @Test
  void getMempolicyGivesTheNodeOfAPage() {
    NumaSyscalls.Policy p = sys.get_mempolicy(buf.address(), Mpol.MPOL_F_NODE | Mpol.MPOL_F_ADDR);
    assertThat(p.result().failed()).isFalse();
    assertThat(p.modeNumber()).isEqualTo(home);
  }

  @Test
  void mbindSetsAVmaPolicyThatGetMempolicyReadsBack() {
    long len = 4 * buf.pageBytes();
    SyscallResult r =
        sys.mbind(buf.address(), len, Mpol.MPOL_BIND, NodeSet.of(home), Mpol.MPOL_MF_MOVE);
    assertThat(r).isEqualTo(SyscallResult.ok(0));
    NumaSyscalls.Policy p = sys.get_mempolicy(buf.address(), Mpol.MPOL_F_ADDR);
    assertThat(p.mode()).isEqualTo(MemPolicy.Mode.BIND);
    assertThat(p.nodes()).isEqualTo(NodeSet.of(home));
    NumaSyscalls.Policy rest = sys.get_mempolicy(buf.pageAddress(8), Mpol.MPOL_F_ADDR);
    assertThat(rest.mode())
        .as("the rest of the mapping keeps the default")
        .isEqualTo(MemPolicy.Mode.DEFAULT);
  }

  @Test
  void mbindToANodeWithoutMemoryIsEinval() {
    SyscallResult r =
        sys.mbind(buf.address(), buf.pageBytes(), Mpol.MPOL_BIND, NodeSet.of(noMemory), 0);
    assertThat(r.errno()).isEqualTo(Errno.EINVAL);
  }

  @Test
  void setMempolicyChangesTheCallingThreadOnly() throws Exception {
    AtomicReference<SyscallResult> set = new AtomicReference<>();
    AtomicReference<NumaSyscalls.Policy> seen = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              set.set(sys.set_mempolicy(Mpol.MPOL_PREFERRED, NodeSet.of(home)));
              seen.set(sys.get_mempolicy(0, 0));
            });
    t.start();
    t.join();
    assertThat(set.get()).isEqualTo(SyscallResult.ok(0));
    assertThat(seen.get().mode()).isEqualTo(MemPolicy.Mode.PREFERRED);
    assertThat(seen.get().nodes()).isEqualTo(NodeSet.of(home));
    assertThat(sys.get_mempolicy(0, 0).mode()).isEqualTo(MemPolicy.Mode.DEFAULT);
  }

  @Test
  void migratePagesOfThisProcessOntoItsOwnNodeMovesNothing() {
    SyscallResult r = sys.migrate_pages(sys.getpid(), NodeSet.of(home), NodeSet.of(home));
    assertThat(r).isEqualTo(SyscallResult.ok(0));
  }

  @Test
  void libcHelpers() {
    assertThat(sys.getpagesize()).isEqualTo(buf.pageBytes()).isPositive();
    assertThat(sys.getpid()).isEqualTo((int) ProcessHandle.current().pid());
    assertThat(sys.table()).isEqualTo(SyscallTable.current());
  }

  @Test
  void badArgumentsNeverReachTheKernel() {
    long[] pages = {buf.address()};
    assertThatThrownBy(() -> sys.move_pages(0, pages, new int[] {2048}, new int[1], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node id 2048 outside [0,1024)");
    assertThatThrownBy(() -> sys.move_pages(0, pages, null, new int[2], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status has 2 entries for 1 pages");
  }
}
