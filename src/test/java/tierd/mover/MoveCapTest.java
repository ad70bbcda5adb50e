package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.mover.MoveRunTest.BUF;
import static tierd.mover.MoveRunTest.FAST;
import static tierd.mover.MoveRunTest.PAGE;
import static tierd.mover.MoveRunTest.SLOW;
import static tierd.mover.MoveRunTest.fullFastNode;
import static tierd.mover.MoveRunTest.ref;
import static tierd.mover.MoveRunTest.roomAboveFloor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.fake.FakeVma;
import tierd.model.AddressRange;
import tierd.model.NodeSet;

/**
 * A request moves at most the pages its plan counted ({@link MoveRequest#plannedPages()}), however
 * many more its ranges hold on a source node; the rest ends as {@link Outcome#OVER_PLAN}. Over the
 * fake kernel: node 0 fast, node 1 slow.
 */
class MoveCapTest {

  static MoveRequest capped(FakeProcess p, long rangePages, int from, int to, long plannedPages) {
    return new MoveRequest(
        ref(p),
        List.of(AddressRange.ofSize(BUF, rangePages * PAGE)),
        NodeSet.of(from),
        to,
        MoveRequest.BASE_PAGE_BYTES,
        plannedPages);
  }

  static FakeKernel roomyNodes() {
    return new FakeKernel().addNode(FAST, 1024 * PAGE).addNode(SLOW, 1024 * PAGE);
  }

  static MovePagesMover mover(FakeKernel k, int batchPages) {
    return new MovePagesMover(
        k, k, k.ticker(), MoverConfig.DEFAULT.withBatchPages(batchPages, batchPages));
  }

  static Stream<Arguments> directions() {
    return Stream.of(Arguments.of("demotion", FAST, SLOW), Arguments.of("promotion", SLOW, FAST));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("directions")
  void aRangeWithMorePagesOnTheSourceThanPlannedMovesExactlyThePlannedPages(
      String name, int from, int to) {
    FakeKernel k = roomyNodes();
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    FakeVma buffer = p.mapAnon(BUF, 64 * PAGE).populate(from);
    List<long[]> progress = new ArrayList<>();

    // 37 pages planned of 64 on the source: the fifth chunk of 8 is cut after 5 pages.
    MoveReport r =
        mover(k, 8)
            .move(
                List.of(capped(p, 64, from, to, 37)),
                MoveLimits.NONE,
                (done, total) -> progress.add(new long[] {done, total}));

    assertThat(r.perRequest().get(0).asMap())
        .containsExactly(Map.entry(Outcome.MOVED, 37L), Map.entry(Outcome.OVER_PLAN, 27L));
    assertThat(r.total().bytesMoved()).isEqualTo(37 * PAGE);
    assertThat(buffer.pagesPerNode())
        .containsExactly(
            Map.entry(FAST, to == FAST ? 37L : 27L), Map.entry(SLOW, to == SLOW ? 37L : 27L));
    assertThat(k.migrations().stream().map(FakeKernel.Migration::address).toList())
        .as("the first pages of the range, in address order")
        .isEqualTo(LongStream.range(0, 37).mapToObj(page -> BUF + page * PAGE).toList());
    assertThat(k.calls().stream().filter(FakeKernel.Call::query).count())
        .as("no placement query past the cap")
        .isEqualTo(5);
    assertThat(progress.get(progress.size() - 1)).containsExactly(64, 64);
  }

  @Test
  void pagesAlreadyOnTheTargetDoNotCountAgainstThePlan() {
    FakeKernel k = roomyNodes();
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    FakeVma buffer = p.mapAnon(BUF, 64 * PAGE).populate(FAST);
    buffer.populate(BUF, 16 * PAGE, SLOW);

    MoveReport r =
        mover(k, 8)
            .move(List.of(capped(p, 64, FAST, SLOW, 32)), MoveLimits.NONE, ProgressListener.NONE);

    assertThat(r.perRequest().get(0).asMap())
        .containsExactly(
            Map.entry(Outcome.MOVED, 32L),
            Map.entry(Outcome.ALREADY_ON_TARGET, 16L),
            Map.entry(Outcome.OVER_PLAN, 16L));
    assertThat(buffer.pagesPerNode()).containsExactly(Map.entry(FAST, 16L), Map.entry(SLOW, 48L));
  }

  @Test
  void aRequestCarriedOnChunkByChunkWhileItWaitsForRoomStaysCapped() {
    // The fast node is at its floor: each promotion chunk waits for a demotion chunk to make room,
    // so both requests are taken up again and again. Each stops at its own plan's count.
    FakeKernel k = fullFastNode();
    FakeProcess cold = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    FakeVma coldBuffer = cold.mapAnon(BUF, 64 * PAGE).populate(FAST);
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    FakeVma hotBuffer = hot.mapAnon(BUF, 48 * PAGE).populate(SLOW);

    MoveReport r =
        mover(k, 8)
            .move(
                List.of(capped(cold, 64, FAST, SLOW, 32), capped(hot, 48, SLOW, FAST, 24)),
                roomAboveFloor(k),
                ProgressListener.NONE);

    List<String> moveCalls = new ArrayList<>();
    k.calls().stream()
        .filter(c -> !c.query())
        .forEach(c -> moveCalls.add(c.pid() == 100 ? "down" : "up"));
    assertThat(moveCalls).containsExactly("down", "up", "down", "up", "down", "up", "down");
    assertThat(r.perRequest().get(0).asMap())
        .containsExactly(Map.entry(Outcome.MOVED, 32L), Map.entry(Outcome.OVER_PLAN, 32L));
    assertThat(r.perRequest().get(1).asMap())
        .containsExactly(Map.entry(Outcome.MOVED, 24L), Map.entry(Outcome.OVER_PLAN, 24L));
    assertThat(coldBuffer.pagesPerNode())
        .containsExactly(Map.entry(FAST, 32L), Map.entry(SLOW, 32L));
    assertThat(hotBuffer.pagesPerNode())
        .containsExactly(Map.entry(FAST, 24L), Map.entry(SLOW, 24L));
  }

  @Test
  void busyPagesWaitingForTheirRetryHoldTheirShareOfTheCap() {
    FakeKernel k = roomyNodes();
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    FakeVma buffer = p.mapAnon(BUF, 32 * PAGE).populate(SLOW);
    for (int page = 0; page < 4; page++) {
      buffer.busy(BUF + page * PAGE, 1);
    }

    // Chunk 1: 4 move, 4 busy wait for the retry; chunk 2: 8 move and the cap of 16 is reached.
    MoveReport r =
        mover(k, 8)
            .move(List.of(capped(p, 32, SLOW, FAST, 16)), MoveLimits.NONE, ProgressListener.NONE);

    assertThat(r.perRequest().get(0).asMap())
        .containsExactly(Map.entry(Outcome.MOVED, 16L), Map.entry(Outcome.OVER_PLAN, 16L));
    assertThat(buffer.nodeOf(BUF)).as("moved by the retry").isEqualTo(FAST);
    assertThat(buffer.pagesPerNode()).containsExactly(Map.entry(FAST, 16L), Map.entry(SLOW, 16L));
  }

  @Test
  void aTimeBudgetSpentBeforeTheCapDefersTheRest() {
    // 5 ms per call, 22 ms of budget: three chunks of 16 (query + move) start, then the rest waits
    // for the next cycle's plan; the cap of 100 was not reached.
    FakeKernel k = roomyNodes().cost(5_000_000, 0, 0);
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    p.mapAnon(BUF, 256 * PAGE).populate(SLOW);

    MoveReport r =
        mover(k, 16)
            .move(
                List.of(capped(p, 256, SLOW, FAST, 100)),
                new MoveLimits(Duration.ofMillis(22), NodeRoom.UNLIMITED),
                ProgressListener.NONE);

    assertThat(r.perRequest().get(0).asMap())
        .containsExactly(Map.entry(Outcome.MOVED, 48L), Map.entry(Outcome.DEFERRED, 208L));
  }

  @Test
  void dryRunsCountOnlyThePlannedPagesAsWouldMove() {
    FakeKernel k = roomyNodes();
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    p.mapAnon(BUF, 64 * PAGE).populate(SLOW);
    List<MoveRequest> requests = List.of(capped(p, 64, SLOW, FAST, 20));

    MoveReport querying =
        DryRunMover.querying(k, k, k.ticker(), MoverConfig.DEFAULT)
            .move(requests, MoveLimits.NONE, ProgressListener.NONE);
    MoveReport recording =
        DryRunMover.recording(k.ticker()).move(requests, MoveLimits.NONE, ProgressListener.NONE);

    Map<Outcome, Long> expected = Map.of(Outcome.MOVED, 20L, Outcome.OVER_PLAN, 44L);
    assertThat(querying.total().asMap()).isEqualTo(expected);
    assertThat(recording.total().asMap()).isEqualTo(expected);
    assertThat(querying.total().bytesMoved()).isEqualTo(20 * PAGE);
    assertThat(k.migrations()).isEmpty();
  }
}
