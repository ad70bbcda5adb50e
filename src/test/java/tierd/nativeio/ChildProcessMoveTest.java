package tierd.nativeio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.KernelPagesPort;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.mover.Outcome;
import tierd.mover.ProcessIdentity;
import tierd.mover.Ticker;
import tierd.source.proc.NumaMaps;
import tierd.source.proc.ProcMaps;
import tierd.source.proc.ProcStat;
import tierd.source.sys.NodeMasks;

/**
 * The production mover on another process: a child JVM that writes a buffer; the test finds the
 * buffer in the child's maps and numa_maps, moves it (to a second memory node when the machine has
 * one, else onto the node it is on) and checks the tally against what the kernel says afterwards.
 */
class ChildProcessMoveTest {

  static final KernelRoot HOST = KernelRoot.host();
  static final int PAGES = 512;

  NumaSyscalls sys;
  Process child;
  long address;
  int pid;

  @BeforeEach
  void startChild() throws Exception {
    sys = NumaSyscalls.load();
    KernelPagesPortContractTest.assumeNumaAndMovePages(sys);
    child = ChildProcesses.java(BufferChild.class, Integer.toString(PAGES));
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the child's first line").startsWith("ready ");
    String[] f = line.split(" ");
    address = Long.parseUnsignedLong(f[1], 16);
    assertThat(Integer.parseInt(f[2])).isEqualTo(PAGES);
    pid = Math.toIntExact(child.pid());
  }

  @AfterEach
  void stopChild() throws Exception {
    if (child != null) {
      child.getOutputStream().close();
      child.waitFor();
    }
  }

  @Test
  void theMoverMovesTheChildsBufferAndTheTallyMatchesTheKernel() {
    AddressRange buffer = AddressRange.ofSize(address, PAGES * sys.getpagesize());
    assertThat(ProcMaps.read(HOST, pid))
        .as("the child's maps hold the buffer")
        .anyMatch(m -> m.range().contains(buffer));
    long[] pages = new long[PAGES];
    for (int i = 0; i < PAGES; i++) {
      pages[i] = address + i * sys.getpagesize();
    }
    KernelPagesPort port = new KernelPagesPort(sys);
    int[] before = new int[PAGES];
    assertThat(port.queryNodes(pid, pages, before).failed()).isFalse();
    int home = before[0];
    assertThat(before).as("written pages are present on one node").containsOnly(home);
    assertThat(numaMapsPagesOn(home)).isEqualTo(PAGES);

    NodeSet memory = NodeMasks.read(HOST).hasMemory();
    NodeSet others = memory.minus(NodeSet.of(home));
    int target = others.isEmpty() ? home : others.first();
    NodeSet from =
        others.isEmpty()
            ? NodeSet.of(NodeSet.range(0, NodeSet.MAX_NUMNODES).minus(memory).first())
            : NodeSet.of(home);
    ProcessId ref = new ProcessId(pid, ProcStat.read(HOST, pid).startTimeTicks());
    MoveReport r =
        new MovePagesMover(port, ProcessIdentity.procfs(HOST), Ticker.system(), MoverConfig.DEFAULT)
            .move(List.of(MoveRequest.basePages(ref, List.of(buffer), from, target)));

    int[] after = new int[PAGES];
    assertThat(port.queryNodes(pid, pages, after).failed()).isFalse();
    long onTarget = Arrays.stream(after).filter(s -> s == target).count();
    long movedByKernel = 0;
    for (int i = 0; i < PAGES; i++) {
      if (before[i] != target && after[i] == target) {
        movedByKernel++;
      }
    }
    assertThat(r.total().pages(Outcome.MOVED)).isEqualTo(movedByKernel);
    assertThat(r.total().pages(Outcome.MOVED) + r.total().pages(Outcome.ALREADY_ON_TARGET))
        .isEqualTo(onTarget)
        .isEqualTo(PAGES);
    assertThat(r.total().asMap())
        .containsExactly(
            Map.entry(target == home ? Outcome.ALREADY_ON_TARGET : Outcome.MOVED, (long) PAGES));
    assertThat(numaMapsPagesOn(target)).as("numa_maps agrees").isEqualTo(PAGES);
  }

  @Test
  void aChildThatExitedIsDroppedWithEsrch() throws Exception {
    ProcessId ref = new ProcessId(pid, ProcStat.read(HOST, pid).startTimeTicks());
    child.getOutputStream().close();
    child.waitFor();
    MoveReport r =
        new MovePagesMover(
                new KernelPagesPort(sys),
                ProcessIdentity.procfs(HOST),
                Ticker.system(),
                MoverConfig.DEFAULT)
            .move(
                List.of(
                    MoveRequest.basePages(
                        ref,
                        List.of(AddressRange.ofSize(address, PAGES * 4096L)),
                        NodeSet.of(1),
                        0)));
    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.ESRCH, (long) PAGES));
    assertThat(r.queryCalls() + r.moveCalls()).isZero();
  }

  private long numaMapsPagesOn(int node) {
    return NumaMaps.read(HOST, pid).stream()
        .filter(e -> e.start() == address)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no numa_maps line starts at the buffer"))
        .pagesOn(node);
  }
}
