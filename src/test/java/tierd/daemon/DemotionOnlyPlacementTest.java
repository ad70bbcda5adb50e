package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;
import tierd.source.proc.NumaMaps;

/**
 * What tierd placed on demotion-only node 2, counted from the real mover's reports over the fake
 * kernel, against what the processes hold there (read back from the fake's numa_maps).
 */
class DemotionOnlyPlacementTest {

  static final long PAGE = 4096;
  static final long BUF = 0x7f10_0000_0000L;
  static final int FAST = 0;
  static final int SLOW = 2;

  FakeKernel kernel;
  DemotionOnlyPlacement placement;

  @BeforeEach
  void kernel() {
    kernel =
        new FakeKernel().addNode(FAST, 64L << 20).addNode(1, 64L << 20).addNode(SLOW, 256L << 20);
    placement = new DemotionOnlyPlacement(NodeSet.of(SLOW));
  }

  /** The process as a scan would see it: its one VMA's pages per node, from numa_maps. */
  ManagedProcess scanned(FakeProcess p, long vmaBytes) {
    Map<Integer, Long> bytes = new HashMap<>();
    NumaMaps.parse(kernel.numaMaps(p.pid()))
        .get(0)
        .pagesPerNode()
        .forEach((node, pages) -> bytes.put(node, pages * PAGE));
    ManagedProcess base =
        Fixtures.process(
            p.pid(),
            NodeSet.of(0, 1, 2),
            List.of(Fixtures.vma(BUF, vmaBytes, MemPolicy.DEFAULT, bytes)));
    return new ManagedProcess(
        p.pid(),
        p.startTimeTicks(),
        p.comm(),
        base.rssBytes(),
        base.cgroupPath(),
        base.memsAllowed(),
        base.cpusetMems(),
        base.allowedNodes(),
        base.vmas());
  }

  MoveReport move(FakeProcess p, long pages, int from, int to) {
    List<MoveRequest> requests =
        List.of(
            MoveRequest.basePages(
                new ProcessId(p.pid(), p.startTimeTicks()),
                List.of(AddressRange.ofSize(BUF, pages * PAGE)),
                NodeSet.of(from),
                to));
    MoveReport report =
        new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT).move(requests);
    placement.recordMoves(requests, report);
    return report;
  }

  @Test
  void pagesTierdDemotedAreNotForeignButPagesAllocatedThereAre() {
    FakeProcess demoted = kernel.spawn(100, 5000, NodeSet.of(0, 1, 2));
    demoted.mapAnon(BUF, 64 * PAGE).populate(BUF, 64 * PAGE, FAST);
    FakeProcess allocator = kernel.spawn(200, 6000, NodeSet.of(0, 1, 2));
    allocator.mapAnon(BUF, 16 * PAGE).populate(BUF, 16 * PAGE, SLOW);

    move(demoted, 32, FAST, SLOW);
    List<DemotionOnlyPlacement.NodeReport> report =
        placement.report(List.of(scanned(demoted, 64 * PAGE), scanned(allocator, 16 * PAGE)));

    assertThat(report).hasSize(1);
    assertThat(report.get(0).foreignBytes()).isEqualTo(16 * PAGE);
    assertThat(report.get(0).topOffenders())
        .singleElement()
        .extracting(DemotionOnlyPlacement.Offender::pid)
        .isEqualTo(200);
    assertThat(placement.placedBytes(new DemotionOnlyPlacement.Key(100, 5000), SLOW))
        .isEqualTo(32 * PAGE);
  }

  @Test
  void aProcessThatAllocatesThereAfterADemotionShowsOnlyTheExtra() {
    FakeProcess p = kernel.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE)
        .populate(BUF, 32 * PAGE, FAST)
        .populate(BUF + 32 * PAGE, 8 * PAGE, SLOW);
    move(p, 32, FAST, SLOW);
    DemotionOnlyPlacement.NodeReport node = placement.report(List.of(scanned(p, 64 * PAGE))).get(0);
    assertThat(node.topOffenders())
        .singleElement()
        .isEqualTo(new DemotionOnlyPlacement.Offender(100, p.comm(), 40 * PAGE, 32 * PAGE));
    assertThat(node.foreignBytes()).isEqualTo(8 * PAGE);
  }

  @Test
  void whatTierdPromotedOutNoLongerCountsAndTheCountsFollowTheProcess() {
    FakeProcess p = kernel.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE).populate(BUF, 64 * PAGE, FAST);
    move(p, 64, FAST, SLOW);
    move(p, 16, SLOW, FAST);
    placement.report(List.of(scanned(p, 64 * PAGE)));
    assertThat(placement.placedBytes(new DemotionOnlyPlacement.Key(100, 5000), SLOW))
        .isEqualTo(48 * PAGE);
    // the process exits: its count goes
    assertThat(placement.report(List.of()).get(0).foreignBytes()).isZero();
    assertThat(placement.stateText().lines().count()).as("only the header").isEqualTo(1);
  }

  @Test
  void theStateRoundTripsThroughItsText() {
    FakeProcess p = kernel.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE).populate(BUF, 64 * PAGE, FAST);
    move(p, 24, FAST, SLOW);
    DemotionOnlyPlacement read =
        DemotionOnlyPlacement.fromState(NodeSet.of(SLOW), placement.stateText() + "garbage line\n");
    assertThat(read.placedBytes(new DemotionOnlyPlacement.Key(100, 5000), SLOW))
        .isEqualTo(24 * PAGE);
  }

  @Test
  void aDryRunPlacesNothing() {
    FakeProcess p = kernel.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE).populate(BUF, 64 * PAGE, FAST);
    List<MoveRequest> requests =
        List.of(
            MoveRequest.basePages(
                new ProcessId(100, 5000),
                List.of(AddressRange.ofSize(BUF, 64 * PAGE)),
                NodeSet.of(FAST),
                SLOW));
    placement.recordMoves(
        requests, tierd.mover.DryRunMover.recording(kernel.ticker()).move(requests));
    assertThat(placement.placedBytes(new DemotionOnlyPlacement.Key(100, 5000), SLOW)).isZero();
  }
}
