package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.fake.FakeVma;
import tierd.model.AddressRange;
import tierd.model.MemPolicy;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.nativeio.Errno;

/**
 * The real mover over the fake kernel: three nodes (0 and 1 fast, 2 slow) and processes whose pages
 * sit in known places.
 */
class MovePagesMoverTest {

  static final long PAGE = 4096;
  static final long BUF = 0x7f10_0000_0000L;
  static final int FAST = 0;
  static final int FAST2 = 1;
  static final int SLOW = 2;

  FakeKernel k;

  @BeforeEach
  void kernel() {
    k =
        new FakeKernel()
            .addNode(FAST, 64L << 20)
            .addNode(FAST2, 64L << 20)
            .addNode(SLOW, 256L << 20);
  }

  MovePagesMover mover(MoverConfig config) {
    return new MovePagesMover(k, k, k.ticker(), config);
  }

  MovePagesMover mover() {
    return mover(MoverConfig.DEFAULT);
  }

  static ProcessId ref(FakeProcess p) {
    return new ProcessId(p.pid(), p.startTimeTicks());
  }

  static MoveRequest promote(FakeProcess p, long start, long pages) {
    return MoveRequest.basePages(
        ref(p), List.of(AddressRange.ofSize(start, pages * PAGE)), NodeSet.of(SLOW), FAST);
  }

  // ------------------------------------------------------------------ what moves

  @Test
  void onlyPagesOnASourceNodeMoveAndEveryPageIsCounted() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE)
        .populate(BUF, 32 * PAGE, SLOW)
        .populate(BUF + 32 * PAGE, 16 * PAGE, FAST2)
        .populate(BUF + 48 * PAGE, 8 * PAGE, FAST);

    MoveReport r = mover().move(List.of(promote(p, BUF, 64)));

    assertThat(r.total().asMap())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                Outcome.MOVED, 32L,
                Outcome.NOT_ON_SOURCE, 16L,
                Outcome.ALREADY_ON_TARGET, 8L,
                Outcome.ENOENT, 8L));
    assertThat(r.total().bytesMoved()).isEqualTo(32 * PAGE);
    assertThat(k.migrations())
        .hasSize(32)
        .allMatch(m -> m.fromNode() == SLOW && m.toNode() == FAST);
    assertThat(k.nodeOf(100, BUF + 40 * PAGE)).as("same-tier page left alone").isEqualTo(FAST2);
    assertThat(r.moveCalls()).isEqualTo(1);
    assertThat(r.queryCalls()).isEqualTo(1);
    assertThat(r.dryRun()).isFalse();
  }

  /** One page in a known state, the outcome the mover must give it. */
  static Stream<Arguments> pageOutcomes() {
    return Stream.of(
        row("on the source node", v -> v.populate(SLOW), Outcome.MOVED),
        row("already on the target", v -> v.populate(FAST), Outcome.ALREADY_ON_TARGET),
        row("on a node outside the sources", v -> v.populate(FAST2), Outcome.NOT_ON_SOURCE),
        row("never touched", v -> {}, Outcome.ENOENT),
        row("zero page", v -> v.readOnlyTouch(BUF, PAGE), Outcome.EFAULT),
        row("shared, without MOVE_ALL", v -> v.populate(SLOW).share(BUF), Outcome.EACCES),
        row("busy once: moved by the retry", v -> v.populate(SLOW).busy(BUF, 1), Outcome.MOVED),
        row("busy twice: EBUSY after the retry", v -> v.populate(SLOW).busy(BUF, 2), Outcome.EBUSY),
        row(
            "migration fails once: moved by the retry",
            v -> v.populate(SLOW).failMigration(BUF, 1),
            Outcome.MOVED),
        row(
            "migration fails twice: NOT_MIGRATED",
            v -> v.populate(SLOW).failMigration(BUF, 2),
            Outcome.NOT_MIGRATED));
  }

  static Arguments row(String name, Consumer<FakeVma> setup, Outcome expected) {
    return Arguments.of(name, setup, expected);
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("pageOutcomes")
  void eachPageEndsInOneOutcome(String name, Consumer<FakeVma> setup, Outcome expected) {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    setup.accept(p.mapAnon(BUF, PAGE));

    MoveReport r = mover().move(List.of(promote(p, BUF, 1)));

    assertThat(r.total().asMap()).as(name).containsExactly(Map.entry(expected, 1L));
    assertThat(r.total().bytesMoved()).isEqualTo(expected == Outcome.MOVED ? PAGE : 0);
  }

  @Test
  void anUnmappedAddressIsEfault() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, PAGE).populate(SLOW);

    MoveReport r = mover().move(List.of(promote(p, BUF, 2)));

    assertThat(r.total().asMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.MOVED, 1L, Outcome.EFAULT, 1L));
  }

  @Test
  void busyPagesAreRetriedOnceAfterTheOtherRequests() {
    FakeProcess a = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    a.mapAnon(BUF, 4 * PAGE).populate(SLOW).busy(BUF + PAGE, 1);
    FakeProcess b = k.spawn(200, 6000, NodeSet.of(0, 1, 2));
    b.mapAnon(BUF, 4 * PAGE).populate(SLOW);

    MoveReport r = mover().move(List.of(promote(a, BUF, 4), promote(b, BUF, 4)));

    assertThat(r.total().pages(Outcome.MOVED)).isEqualTo(8);
    List<String> moves = new ArrayList<>();
    for (FakeKernel.Call c : k.calls()) {
      if (!c.query()) {
        moves.add(c.pid() + ":" + c.pages());
      }
    }
    assertThat(moves).as("pid:pages of each move call").containsExactly("100:4", "200:4", "100:1");
  }

  // ------------------------------------------------------------------ back-pressure

  @Test
  void enomemStopsFurtherMovesToThatNodeButNotToOthers() {
    k =
        new FakeKernel()
            .addNode(FAST, 10 * PAGE)
            .addNode(FAST2, 64L << 20)
            .addNode(SLOW, 64L << 20);
    FakeProcess a = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    a.mapAnon(BUF, 32 * PAGE).populate(SLOW);
    FakeProcess b = k.spawn(200, 6000, NodeSet.of(0, 1, 2));
    b.mapAnon(BUF, 16 * PAGE).populate(SLOW);
    FakeProcess c = k.spawn(300, 7000, NodeSet.of(0, 1, 2));
    c.mapAnon(BUF, 8 * PAGE).populate(SLOW);
    MoveRequest toFast2 =
        MoveRequest.basePages(
            ref(c), List.of(AddressRange.ofSize(BUF, 8 * PAGE)), NodeSet.of(SLOW), FAST2);

    MoveReport r = mover().move(List.of(promote(a, BUF, 32), promote(b, BUF, 16), toFast2));

    assertThat(r.perRequest().get(0).asMap())
        .as("the request that hit the full node: the pages that fit moved")
        .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.MOVED, 10L, Outcome.ENOMEM, 22L));
    assertThat(r.perRequest().get(1).asMap())
        .as("later request to the same node: not attempted")
        .containsExactly(Map.entry(Outcome.SKIPPED, 16L));
    assertThat(r.perRequest().get(2).asMap())
        .as("another node is unaffected")
        .containsExactly(Map.entry(Outcome.MOVED, 8L));
    assertThat(r.stoppedTargets()).containsExactly(Map.entry(FAST, Errno.ENOMEM));
    assertThat(k.calls()).noneMatch(call -> call.pid() == 200);
  }

  @Test
  void aGoneProcessIsDroppedWithoutASyscall() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 8 * PAGE).populate(SLOW);
    MoveRequest req = promote(p, BUF, 8);
    k.exit(100);

    MoveReport r = mover().move(List.of(req));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.ESRCH, 8L));
    assertThat(r.droppedProcesses()).containsExactly(Map.entry(100, Errno.ESRCH));
    assertThat(k.calls()).isEmpty();
  }

  @Test
  void aReusedPidIsNeverTouched() {
    FakeProcess old = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    old.mapAnon(BUF, 8 * PAGE).populate(SLOW);
    MoveRequest req = promote(old, BUF, 8);
    k.exit(100);
    k.spawn(100, 9000, NodeSet.of(0, 1, 2)).mapAnon(BUF, 8 * PAGE).populate(SLOW);

    MoveReport r = mover().move(List.of(req));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.ESRCH, 8L));
    assertThat(k.calls()).isEmpty();
    assertThat(k.nodeOf(100, BUF)).isEqualTo(SLOW);
  }

  @Test
  void aProcessThatExitsMidMoveIsDroppedForTheRest() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 64 * PAGE).populate(SLOW);
    int[] callsSeen = {0};
    k.beforeCall(
        kernel -> {
          if (++callsSeen[0] == 4) {
            kernel.exit(100);
          }
        });

    MoveReport r =
        mover(MoverConfig.DEFAULT.withBatchPages(8, 8)).move(List.of(promote(p, BUF, 64)));

    // calls: query 8, move 8, query 8, then ESRCH on the 4th call (a move of 8)
    assertThat(r.total().asMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.MOVED, 8L, Outcome.ESRCH, 56L));
    assertThat(r.droppedProcesses()).containsExactly(Map.entry(100, Errno.ESRCH));
    assertThat(k.calls()).hasSize(4);
  }

  @Test
  void anUnreadableStartTimeLeavesTheProcessAloneWithoutFailingTheCall() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 8 * PAGE).populate(SLOW);
    ProcessIdentity broken =
        pid -> {
          throw new IllegalStateException("/proc/" + pid + "/stat: malformed");
        };

    MoveReport r =
        new MovePagesMover(k, broken, k.ticker(), MoverConfig.DEFAULT)
            .move(List.of(promote(p, BUF, 8)));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.OTHER, 8L));
    assertThat(r.droppedProcesses()).containsExactly(Map.entry(100, Errno.OTHER));
    assertThat(k.calls()).isEmpty();
  }

  @Test
  void aTargetOutsideTheCpusetIsRefusedForThatProcessOnly() {
    FakeProcess fenced = k.spawn(100, 5000, NodeSet.of(1, 2));
    fenced.mapAnon(BUF, 64 * PAGE).populate(SLOW);
    FakeProcess free = k.spawn(200, 6000, NodeSet.of(0, 1, 2));
    free.mapAnon(BUF, 8 * PAGE).populate(SLOW);

    MoveReport r =
        mover(MoverConfig.DEFAULT.withBatchPages(16, 16))
            .move(List.of(promote(fenced, BUF, 64), promote(free, BUF, 8)));

    assertThat(r.perRequest().get(0).asMap()).containsExactly(Map.entry(Outcome.EACCES, 64L));
    assertThat(r.perRequest().get(1).asMap()).containsExactly(Map.entry(Outcome.MOVED, 8L));
    assertThat(k.calls().stream().filter(c -> c.pid() == 100 && !c.query()))
        .as("one refused move call, then no more for that process and node")
        .hasSize(1);
  }

  @Test
  void anOfflineTargetStopsMovesToIt() {
    k.online(FAST, false);
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 32 * PAGE).populate(SLOW);

    MoveReport r =
        mover(MoverConfig.DEFAULT.withBatchPages(8, 8)).move(List.of(promote(p, BUF, 32)));

    assertThat(r.total().asMap())
        .containsExactlyInAnyOrderEntriesOf(Map.of(Outcome.OTHER, 8L, Outcome.SKIPPED, 24L));
    assertThat(r.stoppedTargets()).containsExactly(Map.entry(FAST, Errno.ENODEV));
  }

  @Test
  void aProcessWithoutPtraceAccessIsDroppedWithEperm() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 8 * PAGE).populate(SLOW);
    k.deny(100);

    MoveReport r = mover().move(List.of(promote(p, BUF, 8)));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.EPERM, 8L));
    assertThat(r.droppedProcesses()).containsExactly(Map.entry(100, Errno.EPERM));
  }

  @Test
  void moveAllAlsoMovesSharedPagesButNeedsCapSysNice() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 2 * PAGE).populate(SLOW).share(BUF);

    MoveReport withCap =
        mover(MoverConfig.DEFAULT.withMoveAll(true)).move(List.of(promote(p, BUF, 2)));
    assertThat(withCap.total().asMap()).containsExactly(Map.entry(Outcome.MOVED, 2L));

    FakeProcess q = k.spawn(200, 6000, NodeSet.of(0, 1, 2));
    q.mapAnon(BUF, 2 * PAGE).populate(SLOW);
    k.capSysNice(false);
    MoveReport without =
        mover(MoverConfig.DEFAULT.withMoveAll(true)).move(List.of(promote(q, BUF, 2)));
    assertThat(without.total().asMap()).containsExactly(Map.entry(Outcome.EPERM, 2L));
  }

  @Test
  void memoryPolicyIsNotTheMoversBusiness() {
    // The kernel's move_pages ignores mbind policy, and so does the mover: the planner must not
    // ask for this move. The fake keeps the kernel's behaviour so planner tests catch it.
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 4 * PAGE)
        .populate(SLOW)
        .policy(MemPolicy.of(MemPolicy.Mode.BIND, NodeSet.of(SLOW)));

    MoveReport r = mover().move(List.of(promote(p, BUF, 4)));

    assertThat(r.total().pages(Outcome.MOVED)).isEqualTo(4);
  }

  // ------------------------------------------------------------------ THP

  @Test
  void thpRangesAreMovedOneAddressPerFolio() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    long thp = 0x7f20_0000_0000L;
    p.mapThp(thp, 8L << 20).populate(SLOW);
    MoveRequest req =
        new MoveRequest(
            ref(p),
            List.of(AddressRange.ofSize(thp, 8L << 20)),
            NodeSet.of(SLOW),
            FAST,
            MoveRequest.PMD_FOLIO_BYTES);

    MoveReport r = mover().move(List.of(req));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.MOVED, 4L));
    assertThat(r.total().bytesMoved()).isEqualTo(8L << 20);
    assertThat(k.calls().stream().filter(c -> !c.query()).mapToInt(FakeKernel.Call::pages).sum())
        .as("one address per 2 MiB folio")
        .isEqualTo(4);
    assertThat(k.migrations())
        .allMatch(m -> m.bytes() == 2L << 20 && m.address() % (2L << 20) == 0);
    assertThat(k.numaMaps(100)).contains(" N0=2048 kernelpagesize_kB=4");
  }

  // ------------------------------------------------------------------ batching and time

  @Test
  void batchesAdaptSoThatNoCallExceedsTheBound() {
    // 2 ns per byte: one 4 KiB page costs ~8 us, so 20 ms fits ~2400 pages.
    k = new FakeKernel().addNode(FAST, 1L << 30).addNode(SLOW, 1L << 30).cost(5_000, 20, 2.0);
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 2));
    p.mapAnon(BUF, 40_000 * PAGE).populate(SLOW);

    MoveReport r = mover().move(List.of(promote(p, BUF, 40_000)));

    assertThat(r.total().asMap()).containsExactly(Map.entry(Outcome.MOVED, 40_000L));
    long bound = Duration.ofMillis(20).toNanos();
    assertThat(k.calls()).allMatch(c -> c.nanos() <= bound);
    assertThat(r.longestCall()).isLessThanOrEqualTo(Duration.ofMillis(20));
    int largestMove =
        k.calls().stream().filter(c -> !c.query()).mapToInt(FakeKernel.Call::pages).max().orElse(0);
    assertThat(largestMove).as("grew from 64 towards the bound").isGreaterThan(1000);
    assertThat(r.elapsed()).isEqualTo(Duration.ofNanos(k.ticker().nanoTime()));
  }

  @Test
  void aSlowFolioSizeShrinksTheBatchToFewFolios() {
    // 2 ns per byte: a 2 MiB folio costs ~4.2 ms, so at most 3 fit under 15 ms of 20.
    k = new FakeKernel().addNode(FAST, 1L << 30).addNode(SLOW, 1L << 30).cost(5_000, 20, 2.0);
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 2));
    long thp = 0x7f20_0000_0000L;
    p.mapThp(thp, 64L << 20).populate(SLOW);
    MoveRequest req =
        new MoveRequest(
            ref(p),
            List.of(AddressRange.ofSize(thp, 64L << 20)),
            NodeSet.of(SLOW),
            FAST,
            MoveRequest.PMD_FOLIO_BYTES);

    MoveReport r = mover().move(List.of(req));

    assertThat(r.total().pages(Outcome.MOVED)).isEqualTo(32);
    assertThat(k.calls().stream().filter(c -> !c.query()).skip(1))
        .as("after the first call measured the cost")
        .allMatch(c -> c.pages() <= 3);
    assertThat(k.calls()).allMatch(c -> c.nanos() <= Duration.ofMillis(20).toNanos());
  }

  @Test
  void progressIsReportedUpToTheTotal() {
    FakeProcess p = k.spawn(100, 5000, NodeSet.of(0, 1, 2));
    p.mapAnon(BUF, 100 * PAGE).populate(BUF, 90 * PAGE, SLOW);
    List<long[]> seen = new ArrayList<>();

    mover(MoverConfig.DEFAULT.withBatchPages(16, 16))
        .move(List.of(promote(p, BUF, 100)), (done, total) -> seen.add(new long[] {done, total}));

    assertThat(seen).isNotEmpty().allMatch(s -> s[1] == 100);
    for (int i = 1; i < seen.size(); i++) {
      assertThat(seen.get(i)[0]).isGreaterThan(seen.get(i - 1)[0]);
    }
    assertThat(seen.get(seen.size() - 1)[0]).isEqualTo(100);
  }
}
