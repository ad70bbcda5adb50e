package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

class DryRunMoverTest {

  static final long PAGE = 4096;
  static final long BUF = 0x7f10_0000_0000L;

  static FakeKernel kernel() {
    FakeKernel k =
        new FakeKernel().addNode(0, 64L << 20).addNode(1, 64L << 20).addNode(2, 64L << 20);
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE)
        .populate(BUF, 32 * PAGE, 2)
        .populate(BUF + 32 * PAGE, 16 * PAGE, 1)
        .populate(BUF + 48 * PAGE, 8 * PAGE, 0);
    return k;
  }

  static MoveRequest request() {
    return MoveRequest.basePages(
        new ProcessId(100, 5000), List.of(AddressRange.ofSize(BUF, 64 * PAGE)), NodeSet.of(2), 0);
  }

  @Test
  void aQueryingDryRunCountsLikeTheRealMoverAndMovesNothing() {
    FakeKernel dry = kernel();
    MoveReport would =
        DryRunMover.querying(dry, dry, dry.ticker(), MoverConfig.DEFAULT).move(List.of(request()));
    FakeKernel real = kernel();
    MoveReport did =
        new MovePagesMover(real, real, real.ticker(), MoverConfig.DEFAULT).move(List.of(request()));

    assertThat(would.dryRun()).isTrue();
    assertThat(would.total()).isEqualTo(did.total());
    assertThat(would.total().asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Outcome.MOVED, 32L,
                Outcome.NOT_ON_SOURCE, 16L,
                Outcome.ALREADY_ON_TARGET, 8L,
                Outcome.ENOENT, 8L));
    assertThat(dry.migrations()).isEmpty();
    assertThat(dry.calls()).allMatch(FakeKernel.Call::query);
    assertThat(would.moveCalls()).isZero();
    assertThat(would.perRequest()).singleElement().satisfies(t -> wouldMove(t, 32));
  }

  @Test
  void aRecordingDryRunNeedsNoKernelAndCountsEveryPageAsWouldMove() {
    MoveReport r = DryRunMover.recording(Ticker.system()).move(List.of(request()));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.MOVED, 64L));
    assertThat(r.total().bytesMoved()).isEqualTo(64 * PAGE);
    assertThat(r.queryCalls() + r.moveCalls()).isZero();
    assertThat(r.perRequest()).singleElement().satisfies(t -> wouldMove(t, 64));
  }

  @Test
  void aQueryingDryRunStillDropsAGoneProcess() {
    FakeKernel k = kernel();
    k.exit(100);
    MoveReport r =
        DryRunMover.querying(k, k, k.ticker(), MoverConfig.DEFAULT).move(List.of(request()));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.ESRCH, 64L));
    assertThat(r.perRequest()).singleElement().satisfies(t -> wouldMove(t, 0));
  }

  /** A dry run's tally of one request: {@code pages} would move, and their bytes. */
  private static void wouldMove(Tally t, long pages) {
    assertThat(t.pages(Outcome.MOVED)).isEqualTo(pages);
    assertThat(t.bytesMoved()).isEqualTo(pages * PAGE);
  }
}
