package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tierd.fake.FakeKernel;
import tierd.fake.FakeProcess;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.DryRunMover;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.MoverConfig;
import tierd.mover.Outcome;
import tierd.mover.Ticker;
import tierd.planner.NodeBytes;
import tierd.planner.RegionPlacement;

/** Where tierd's own moves left pages, from the real mover's answers over the fake kernel. */
class MovedPlacementsTest {

  static final long PAGE = 4096;
  static final long BUF = 0x7f10_0000_0000L;
  static final int FAST = 0;
  static final int SLOW = 1;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  FakeKernel kernel;
  FakeProcess process;
  ProcessId id;
  MovedPlacements moved = new MovedPlacements(Duration.ofMinutes(30));

  @BeforeEach
  void world() {
    kernel = new FakeKernel().addNode(FAST, 64L << 20).addNode(SLOW, 256L << 20);
    process = kernel.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    id = new ProcessId(process.pid(), process.startTimeTicks());
    // [0, 32) pages on the fast node, [32, 64) already on the slow one, [64, 72) never touched
    process
        .mapAnon(BUF, 72 * PAGE)
        .populate(BUF, 32 * PAGE, FAST)
        .populate(BUF + 32 * PAGE, 32 * PAGE, SLOW);
  }

  MoveReport move(MoveRequest... requests) {
    return new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT)
        .move(List.of(requests));
  }

  static MoveRequest demote(ProcessId id, long startPage, long pages) {
    return MoveRequest.basePages(
        id,
        List.of(AddressRange.ofSize(BUF + startPage * PAGE, pages * PAGE)),
        NodeSet.of(FAST),
        SLOW);
  }

  @Test
  void rangesTheMoverLeftWhollyOnTheTargetAreExactPlacements() {
    MoveRequest moves = demote(id, 0, 32);
    MoveRequest alreadyThere = demote(id, 32, 32);
    MoveRequest halfAbsent = demote(id, 56, 16);
    moved.record(
        List.of(moves, alreadyThere, halfAbsent), move(moves, alreadyThere, halfAbsent), T0);

    assertThat(moved.placements(List.of(), Set.of(id), T0.plusSeconds(5)))
        .containsExactlyInAnyOrder(
            new RegionPlacement(
                100, AddressRange.ofSize(BUF, 32 * PAGE), NodeBytes.of(SLOW, 32 * PAGE), true),
            // the later request [56, 72) overwrote the part of [32, 64) it covers: [32, 64) goes
            new RegionPlacement(
                100,
                AddressRange.ofSize(BUF + 56 * PAGE, 16 * PAGE),
                NodeBytes.of(SLOW, 8 * PAGE), // 8 present, 8 never touched
                true));
  }

  @Test
  void aRequestWithPagesThatFailedLeavesNothingKnown() {
    kernel = new FakeKernel().addNode(FAST, 64L << 20).addNode(SLOW, 48 * PAGE);
    process = kernel.spawn(100, 5000, NodeSet.of(FAST, SLOW));
    process
        .mapAnon(BUF, 64 * PAGE)
        .populate(BUF, 32 * PAGE, FAST)
        .populate(BUF + 32 * PAGE, 32 * PAGE, SLOW);
    MoveRequest demotion = demote(id, 0, 32); // room on the slow node for 16 of the 32 pages
    MoveReport report = move(demotion);
    assertThat(report.total().pages(Outcome.MOVED)).isPositive().isLessThan(32);

    moved.record(List.of(demotion), report, T0);

    assertThat(moved.placements(List.of(), Set.of(id), T0)).isEmpty();
    assertThat(moved.size()).isZero();
  }

  @Test
  void aRequestStoppedAtItsPlannedPagesLeavesNothingKnown() {
    // [0, 32) on the fast node, planned for 20 pages: 12 stay there, so the range is not on SLOW.
    MoveRequest capped =
        new MoveRequest(
            id,
            List.of(AddressRange.ofSize(BUF, 32 * PAGE)),
            NodeSet.of(FAST),
            SLOW,
            MoveRequest.BASE_PAGE_BYTES,
            20);
    MoveReport report = move(capped);
    assertThat(report.total().pages(Outcome.MOVED)).isEqualTo(20);
    assertThat(report.total().pages(Outcome.OVER_PLAN)).isEqualTo(12);

    moved.record(List.of(capped), report, T0);

    assertThat(moved.placements(List.of(), Set.of(id), T0)).isEmpty();
  }

  @Test
  void aDryRunRecordsNothing() {
    MoveRequest demotion = demote(id, 0, 32);
    MoveReport dry = DryRunMover.recording(Ticker.system()).move(List.of(demotion));
    assertThat(dry.total().pages(Outcome.MOVED)).isEqualTo(32);

    moved.record(List.of(demotion), dry, T0);

    assertThat(moved.placements(List.of(), Set.of(id), T0)).isEmpty();
  }

  @Test
  void probedRangesGoneProcessesAndOldEntriesWin() {
    MoveRequest first = demote(id, 0, 16);
    MoveRequest second = demote(id, 16, 16);
    moved.record(List.of(first, second), move(first, second), T0);
    RegionPlacement probed =
        new RegionPlacement(
            100, AddressRange.ofSize(BUF + 8 * PAGE, 4 * PAGE), NodeBytes.of(FAST, 4 * PAGE), true);

    assertThat(moved.placements(List.of(probed), Set.of(id), T0))
        .as("the probe covers pages 8-12 of the first range: the probe answers for them")
        .containsExactly(
            new RegionPlacement(
                100, AddressRange.ofSize(BUF, 8 * PAGE), NodeBytes.of(SLOW, 8 * PAGE), true),
            new RegionPlacement(
                100,
                AddressRange.ofSize(BUF + 12 * PAGE, 4 * PAGE),
                NodeBytes.of(SLOW, 4 * PAGE),
                true),
            new RegionPlacement(
                100,
                AddressRange.ofSize(BUF + 16 * PAGE, 16 * PAGE),
                NodeBytes.of(SLOW, 16 * PAGE),
                true));
    assertThat(moved.besides(List.of(probed), List.of(), T0))
        .as("a process no longer scanned loses what was known of it")
        .containsExactly(probed);
    assertThat(moved.size()).isZero();

    moved.record(List.of(first), move(first), T0);
    assertThat(moved.placements(List.of(), Set.of(id), T0.plus(Duration.ofMinutes(31))))
        .as("older than the retention")
        .isEmpty();
  }

  /**
   * The 2node boot's livelock (CI, 2026-12-07): a demotion's range, snapped to a folio boundary,
   * reached into the neighbouring region, which the next cycle's probe queried. Dropping the whole
   * remembered range left its placement to the VMA's estimate, which put it back on the fast node,
   * and the same demotion was planned (and found ALREADY_ON_TARGET) for 80 cycles.
   */
  @Test
  void aProbeOfANeighbourThatReachesIntoAMovedRangeLeavesTheRestKnown() {
    MoveRequest demotion = demote(id, 0, 32);
    moved.record(List.of(demotion), move(demotion), T0);
    RegionPlacement neighbour =
        new RegionPlacement(
            100,
            AddressRange.ofSize(BUF + 28 * PAGE, 40 * PAGE),
            NodeBytes.of(SLOW, 36 * PAGE),
            true);

    assertThat(moved.placements(List.of(neighbour), Set.of(id), T0))
        .containsExactly(
            new RegionPlacement(
                100, AddressRange.ofSize(BUF, 28 * PAGE), NodeBytes.of(SLOW, 28 * PAGE), true));
  }
}
