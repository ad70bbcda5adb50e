package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

/**
 * How one move call schedules its requests (lanes per target node, room checks, the time budget),
 * over the fake kernel: node 0 fast, node 1 slow.
 */
class MoveRunTest {

  static final long PAGE = 4096;
  static final long BUF = 0x7f10_0000_0000L;
  static final int FAST = 0;
  static final int SLOW = 1;

  /** The floor kept free on every node: moves into a node stop before going below it. */
  static final long FLOOR = 8 * PAGE;

  static ProcessId ref(FakeProcess p) {
    return new ProcessId(p.pid(), p.startTimeTicks());
  }

  static MoveRequest move(FakeProcess p, long pages, int from, int to) {
    return MoveRequest.basePages(
        ref(p), List.of(AddressRange.ofSize(BUF, pages * PAGE)), NodeSet.of(from), to);
  }

  static MoveLimits roomAboveFloor(FakeKernel k) {
    return new MoveLimits(MoveLimits.NONE.timeBudget(), node -> k.freeBytes(node) - FLOOR);
  }

  /** A fast node of 72 pages holding 64 cold pages: 8 free, exactly the floor. */
  static FakeKernel fullFastNode() {
    return new FakeKernel().addNode(FAST, 72 * PAGE).addNode(SLOW, 1024 * PAGE);
  }

  @Test
  void demotionsMakeRoomChunkByChunkAndPromotionsFollowThem() {
    FakeKernel k = fullFastNode();
    FakeProcess cold = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    cold.mapAnon(BUF, 64 * PAGE).populate(FAST);
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    hot.mapAnon(BUF, 32 * PAGE).populate(SLOW);
    List<String> moveCalls = new ArrayList<>();
    List<Long> fastFreeBeforeEachCall = new ArrayList<>();
    k.beforeCall(kernel -> fastFreeBeforeEachCall.add(kernel.freeBytes(FAST)));

    MoveReport r =
        new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT.withBatchPages(8, 8))
            .move(
                // plan order: the demotion that makes room, then the promotion that needs it
                List.of(move(cold, 32, FAST, SLOW), move(hot, 32, SLOW, FAST)),
                roomAboveFloor(k),
                ProgressListener.NONE);

    for (FakeKernel.Call c : k.calls()) {
      if (!c.query()) {
        moveCalls.add(c.pid() == 100 ? "down" : "up");
      }
    }
    assertThat(r.perRequest().get(0).asMap()).containsExactly(Map.entry(Outcome.MOVED, 32L));
    assertThat(r.perRequest().get(1).asMap()).containsExactly(Map.entry(Outcome.MOVED, 32L));
    assertThat(moveCalls)
        .as("8 pages of room made, 8 pages promoted, in turn")
        .containsExactly("down", "up", "down", "up", "down", "up", "down", "up");
    assertThat(fastFreeBeforeEachCall).as("never below the floor").allMatch(f -> f >= FLOOR);
    assertThat(k.freeBytes(FAST)).isEqualTo(FLOOR);
    assertThat(r.total().pages(Outcome.ENOMEM)).isZero();
  }

  @Test
  void promotionsIntoANodeWithRoomDoNotWaitForDemotions() {
    FakeKernel k = new FakeKernel().addNode(FAST, 1024 * PAGE).addNode(SLOW, 1024 * PAGE);
    FakeProcess cold = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    cold.mapAnon(BUF, 32 * PAGE).populate(FAST);
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    hot.mapAnon(BUF, 32 * PAGE).populate(SLOW);

    new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT.withBatchPages(8, 8))
        .move(
            List.of(move(cold, 32, FAST, SLOW), move(hot, 32, SLOW, FAST)),
            roomAboveFloor(k),
            ProgressListener.NONE);

    List<Integer> movers = new ArrayList<>();
    k.calls().stream().filter(c -> !c.query()).forEach(c -> movers.add(c.pid()));
    assertThat(movers.subList(0, 2))
        .as("the first hot pages move right after the first chunk of the other lane")
        .containsExactly(100, 200);
  }

  @Test
  void aNodeWithoutRoomThatNothingFreesEndsItsLaneAsNoRoomWithoutACall() {
    FakeKernel k = fullFastNode();
    FakeProcess cold = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    cold.mapAnon(BUF, 64 * PAGE).populate(FAST);
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    hot.mapAnon(BUF, 16 * PAGE).populate(SLOW);

    MoveReport r =
        new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT)
            .move(List.of(move(hot, 16, SLOW, FAST)), roomAboveFloor(k), ProgressListener.NONE);

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.NO_ROOM, 16L));
    assertThat(k.calls()).as("not even a query").isEmpty();
  }

  @Test
  void lanesThatOnlyWaitForEachOtherEndAsNoRoom() {
    // Both nodes at their floor: the promotion waits for the demotion to free node 0, and the
    // demotion waits for the promotion to free node 1.
    FakeKernel k = new FakeKernel().addNode(FAST, 40 * PAGE).addNode(SLOW, 40 * PAGE);
    FakeProcess a = k.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    a.mapAnon(BUF, 32 * PAGE).populate(FAST);
    FakeProcess b = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    b.mapAnon(BUF, 32 * PAGE).populate(SLOW);

    MoveReport r =
        new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT)
            .move(
                List.of(move(a, 32, FAST, SLOW), move(b, 32, SLOW, FAST)),
                roomAboveFloor(k),
                ProgressListener.NONE);

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.NO_ROOM, 64L));
    assertThat(k.calls()).isEmpty();
  }

  @Test
  void aSpentTimeBudgetDefersTheRestAndEveryPageIsCounted() {
    // 5 ms per call: a budget of 22 ms allows a few calls, then the rest is deferred.
    FakeKernel k =
        new FakeKernel()
            .addNode(FAST, 4096 * PAGE)
            .addNode(SLOW, 4096 * PAGE)
            .cost(5_000_000, 0, 0);
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    hot.mapAnon(BUF, 256 * PAGE).populate(SLOW);
    List<long[]> progress = new ArrayList<>();

    MoveReport r =
        new MovePagesMover(k, k, k.ticker(), MoverConfig.DEFAULT.withBatchPages(16, 16))
            .move(
                List.of(move(hot, 256, SLOW, FAST)),
                new MoveLimits(Duration.ofMillis(22), NodeRoom.UNLIMITED),
                (done, total) -> progress.add(new long[] {done, total}));

    long moved = r.total().pages(Outcome.MOVED);
    long deferred = r.total().pages(Outcome.DEFERRED);
    assertThat(moved)
        .as("three chunks of 16 (query + move, 10 ms each) start within 22 ms")
        .isEqualTo(48);
    assertThat(moved + deferred).isEqualTo(256);
    assertThat(k.calls()).hasSize(6);
    assertThat(progress.get(progress.size() - 1)).containsExactly(256, 256);
  }

  @Test
  void aDryRunIgnoresRoomBecauseNothingFillsUp() {
    FakeKernel k = fullFastNode();
    FakeProcess hot = k.spawn(200, 6000, NodeSet.of(FAST, SLOW));
    hot.mapAnon(BUF, 16 * PAGE).populate(SLOW);

    MoveReport r =
        DryRunMover.querying(k, k, k.ticker(), MoverConfig.DEFAULT)
            .move(List.of(move(hot, 16, SLOW, FAST)), roomAboveFloor(k), ProgressListener.NONE);

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.MOVED, 16L));
    assertThat(k.migrations()).isEmpty();
  }
}
