package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.mover.Outcome;
import tierd.planner.Move;
import tierd.planner.Reason;
import tierd.planner.ReasonCode;

/** A plan's moves become the mover's requests one for one, in order, with nothing lost. */
class MoveRequestsTest {

  private static final long THP = 2L << 20;

  private static Move move(int pid, long start, int from, int to, ReasonCode code, long pageBytes) {
    return move(pid, start, from, to, code, pageBytes, 2 * THP);
  }

  private static Move move(
      int pid, long start, int from, int to, ReasonCode code, long pageBytes, long bytes) {
    return move(pid, start, from, to, code, pageBytes, bytes, false);
  }

  private static Move move(
      int pid,
      long start,
      int from,
      int to,
      ReasonCode code,
      long pageBytes,
      long bytes,
      boolean partial) {
    List<AddressRange> ranges =
        List.of(
            AddressRange.ofSize(0x7f0000000000L, THP), AddressRange.ofSize(0x7f0000400000L, THP));
    return new Move(
        pid,
        start,
        ranges,
        NodeSet.parse(Integer.toString(from)),
        to,
        bytes,
        partial,
        code.direction(),
        pageBytes,
        pageBytes == THP,
        false,
        false,
        new Reason(code, "test"));
  }

  @Test
  void eachMoveIsOneRequestInPlanOrder() {
    Move up = move(41, 1000, 1, 0, ReasonCode.HOT, 4096);
    Move down = move(42, 2000, 0, 1, ReasonCode.COLD_PRESSURE, THP);
    assertThat(MoveRequests.of(List.of(up, down)))
        .containsExactly(
            new MoveRequest(new ProcessId(41, 1000), up.ranges(), NodeSet.parse("1"), 0, 4096),
            new MoveRequest(new ProcessId(42, 2000), down.ranges(), NodeSet.parse("0"), 1, THP));
  }

  @Test
  void eachRequestIsCappedAtTheBytesItsMoveWasPlannedFor() {
    // 4 MiB of range, planned for 1.5 MiB plus a part page: 385 base pages, or 1 folio of 2 MiB.
    long plannedBytes = (3L << 19) + 100;
    Move down = move(42, 2000, 0, 1, ReasonCode.TENANT_CEILING, 4096, plannedBytes);
    Move folios = move(43, 3000, 0, 1, ReasonCode.TENANT_CEILING, THP, plannedBytes);

    List<MoveRequest> requests = MoveRequests.of(List.of(down, folios));

    assertThat(requests.get(0).pages()).isEqualTo(1024);
    assertThat(requests.get(0).plannedPages()).isEqualTo(385);
    assertThat(requests.get(1).plannedPages()).isEqualTo(1);
  }

  @Test
  void partialMovesAreCappedWhateverTheirReason() {
    long plannedBytes = 1L << 20; // 256 pages of a 1024-page range
    List<MoveRequest> requests =
        MoveRequests.of(
            List.of(
                move(41, 1000, 1, 0, ReasonCode.HOT, 4096, plannedBytes, true),
                move(42, 2000, 0, 1, ReasonCode.EXCHANGE, 4096, plannedBytes, true),
                move(43, 3000, 0, 1, ReasonCode.COLD_PRESSURE, 4096, plannedBytes, true)));

    assertThat(requests).extracting(MoveRequest::plannedPages).containsExactly(256L, 256L, 256L);
  }

  /**
   * A partial move through the real mover: its pages on the source sit in the second of its two
   * ranges (the first went down in an earlier cycle), and it moves its planned bytes from there, no
   * more.
   */
  @Test
  void aPartialMoveTakesItsBytesWhereverTheSourcePagesSitInItsRange() {
    long page = 4096;
    long first = 0x7f0000000000L; // the two 2 MiB ranges of move(): 512 pages each
    long second = 0x7f0000400000L;
    FakeKernel kernel = new FakeKernel().addNode(0, 64L << 20).addNode(1, 256L << 20);
    FakeProcess process = kernel.spawn(100, 5000, NodeSet.of(0, 1));
    process.mapAnon(first, THP).populate(first, THP, 1);
    process.mapAnon(second, THP).populate(second, THP, 0);
    Move down = move(100, 5000, 0, 1, ReasonCode.EXCHANGE, page, 8 * page, true);

    MoveReport report =
        new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT)
            .move(MoveRequests.of(List.of(down)));

    assertThat(report.total().pages(Outcome.MOVED)).isEqualTo(8);
    assertThat(report.total().pages(Outcome.ALREADY_ON_TARGET)).isEqualTo(512);
    assertThat(report.total().pages(Outcome.OVER_PLAN)).isEqualTo(504);
    assertThat(kernel.nodeOf(100, second + 7 * page)).isEqualTo(1);
    assertThat(kernel.nodeOf(100, second + 8 * page)).isEqualTo(0);
  }

  @Test
  void ofWholeMovesOnlyDemotionsToATenantsCeilingAreCapped() {
    long plannedBytes = 1L << 20; // 256 pages of a 1024-page range
    List<MoveRequest> requests =
        MoveRequests.of(
            List.of(
                move(41, 1000, 1, 0, ReasonCode.HOT, 4096, plannedBytes),
                move(42, 2000, 0, 1, ReasonCode.EXCHANGE, 4096, plannedBytes),
                move(43, 3000, 0, 1, ReasonCode.COLD_PRESSURE, 4096, plannedBytes),
                move(44, 4000, 0, 1, ReasonCode.TENANT_CEILING, 4096, plannedBytes)));

    assertThat(requests)
        .extracting(MoveRequest::plannedPages)
        .containsExactly(1024L, 1024L, 1024L, 256L);
  }

  @Test
  void anEmptyPlanAsksForNothing() {
    assertThat(MoveRequests.of(List.of())).isEmpty();
  }
}
