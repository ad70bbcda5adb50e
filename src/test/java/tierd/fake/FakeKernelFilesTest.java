package tierd.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.mover.ProcessIdentity;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;

/** The fake renders kernel files that the foundation's readers parse back to the same state. */
class FakeKernelFilesTest {

  static final long PAGE = 4096;

  static FakeKernel kernel() {
    FakeKernel k =
        new FakeKernel().addNode(0, 64L << 20).addNode(1, 64L << 20).addNode(3, 64L << 20);
    FakeProcess p = k.spawn(321, 777, "work load", NodeSet.of(0, 1, 3));
    p.taskPolicy(MemPolicy.of(MemPolicy.Mode.PREFERRED, NodeSet.of(1)));
    p.map(
            AddressRange.ofSize(0x55d0_0000_0000L, 16 * PAGE),
            FakeVma.PageKind.BASE,
            FakeVma.Backing.HEAP,
            null)
        .populate(0x55d0_0000_0000L, 4 * PAGE, 0)
        .populate(0x55d0_0000_0000L + 4 * PAGE, 2 * PAGE, 3);
    p.mapAnon(0x7f00_0000_0000L, 8 * PAGE)
        .policy(MemPolicy.of(MemPolicy.Mode.PREFERRED_MANY, NodeSet.of(0, 1)))
        .populate(1)
        .share(0x7f00_0000_0000L);
    p.mapAnon(0x7f00_0001_0000L, 8 * PAGE)
        .policy(MemPolicy.of(MemPolicy.Mode.WEIGHTED_INTERLEAVE, NodeSet.of(0, 3)))
        .readOnlyTouch(0x7f00_0001_0000L, 8 * PAGE);
    p.mapThp(0x7f00_0020_0000L, 4L << 20).populate(3);
    p.map(
            AddressRange.ofSize(0x7f00_0080_0000L, 2L << 20),
            FakeVma.PageKind.HUGETLB,
            FakeVma.Backing.FILE,
            "/anon_hugepage (deleted)")
        .populate(0);
    p.mapFile(0x7f00_0100_0000L, 4 * PAGE, "/usr/lib/x86_64-linux-gnu/libc.so.6")
        .populate(0x7f00_0100_0000L, 3 * PAGE, 0);
    p.map(
            AddressRange.ofSize(0x7ffc_0000_0000L, 8 * PAGE),
            FakeVma.PageKind.BASE,
            FakeVma.Backing.STACK,
            null)
        .populate(0x7ffc_0000_0000L + 5 * PAGE, 3 * PAGE, 0);
    return k;
  }

  @Test
  void numaMapsIsInTheKernelsFormat() {
    assertThat(kernel().numaMaps(321))
        .isEqualTo(
            """
            55d000000000 prefer:1 heap anon=6 dirty=6 N0=4 N3=2 kernelpagesize_kB=4
            7f0000000000 prefer (many):0-1 anon=8 dirty=8 mapmax=2 N1=8 kernelpagesize_kB=4
            7f0000010000 weighted interleave:0,3
            7f0000200000 prefer:1 anon=1024 dirty=1024 N3=1024 kernelpagesize_kB=4
            7f0000800000 prefer:1 file=/anon_hugepage\\040(deleted) huge anon=1 dirty=1 N0=1 kernelpagesize_kB=2048
            7f0001000000 prefer:1 file=/usr/lib/x86_64-linux-gnu/libc.so.6 mapped=3 N0=3 kernelpagesize_kB=4
            7ffc00000000 prefer:1 stack anon=3 dirty=3 N0=3 kernelpagesize_kB=4
            """);
  }

  @Test
  void numaMapsParsesBackToTheFakesState() {
    FakeKernel k = kernel();
    List<NumaMaps.Entry> entries = NumaMaps.parse(k.numaMaps(321));
    List<FakeVma> vmas = k.process(321).vmas();

    assertThat(entries).hasSameSizeAs(vmas);
    for (int i = 0; i < vmas.size(); i++) {
      FakeVma v = vmas.get(i);
      NumaMaps.Entry e = entries.get(i);
      assertThat(e.start()).isEqualTo(v.range().start());
      assertThat(e.policy())
          .isEqualTo(v.policy() != null ? v.policy() : k.process(321).taskPolicy());
      assertThat(e.pagesPerNode()).isEqualTo(v.pagesPerNode());
      assertThat(e.huge()).isEqualTo(v.kind() == FakeVma.PageKind.HUGETLB);
      if (v.backing() == FakeVma.Backing.FILE) {
        assertThat(e.file()).isEqualTo(v.path());
      }
    }
    assertThat(NumaMaps.bytesPerNode(entries))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                0, (4 + 3 + 3) * PAGE + (2L << 20),
                1, 8 * PAGE,
                3, 2 * PAGE + (4L << 20)));
  }

  @Test
  void theProcTreeServesTheRealReaders(@TempDir Path dir) {
    FakeKernel k = kernel();
    k.spawn(400, 888, NodeSet.of(0)).mapAnon(0x1000_0000L, PAGE).populate(0);
    k.writeProcTree(dir);
    KernelRoot root = KernelRoot.under(dir);

    assertThat(NumaMaps.read(root, 321)).isEqualTo(NumaMaps.parse(k.numaMaps(321)));
    List<ProcMaps.Mapping> maps = ProcMaps.read(root, 321);
    assertThat(maps)
        .extracting(ProcMaps.Mapping::range)
        .containsExactlyElementsOf(k.process(321).vmas().stream().map(FakeVma::range).toList());
    assertThat(maps)
        .extracting(ProcMaps.Mapping::path)
        .contains("[heap]", "[stack]", "/anon_hugepage (deleted)");
    ProcessIdentity fromFiles = ProcessIdentity.procfs(root);
    assertThat(fromFiles.startTimeTicks(321)).isEqualTo(k.startTimeTicks(321));
    assertThat(fromFiles.startTimeTicks(400)).isEqualTo(k.startTimeTicks(400));
    assertThat(fromFiles.startTimeTicks(999)).isEmpty();
  }

  @Test
  void movesShowUpInNumaMaps() {
    FakeKernel k = kernel();
    long a = 0x55d0_0000_0000L;
    int[] status = new int[2];
    k.movePages(321, new long[] {a, a + PAGE}, new int[] {1, 1}, status, 2);

    assertThat(NumaMaps.parse(k.numaMaps(321)).get(0).pagesPerNode())
        .containsExactlyInAnyOrderEntriesOf(Map.of(0, 2L, 1, 2L, 3, 2L));
    assertThat(k.usedBytes(1)).isEqualTo(10 * PAGE);
  }
}
