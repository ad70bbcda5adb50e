package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.config.TierdConfig;
import tierd.fake.FakeKernel;
import tierd.kernelfs.KernelRoot;
import tierd.model.NodeSet;
import tierd.mover.DryRunMover;
import tierd.mover.MoveLimits;
import tierd.mover.MovePagesMover;
import tierd.mover.MoveReport;
import tierd.mover.MoverConfig;
import tierd.mover.NodeRoom;
import tierd.mover.PageMover;
import tierd.mover.Ticker;
import tierd.planner.MigrationPlan;
import tierd.planner.PlanInput;
import tierd.planner.Planner;
import tierd.planner.PlannerConfig;
import tierd.planner.PlannerState;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.process.ProcessScanner;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * The move stage over the flat 2-node guest (pid 4242's hot 8 MiB buffer on the slow node 1): the
 * plan's move runs through the mover, a real move makes the next scan read the process's numa_maps
 * again, a dry run does not, and progress is logged at most once per interval.
 */
class MoveStageTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final int PID = 4242;
  private static final long MIB = 1L << 20;

  @TempDir Path root;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private KernelRoot kernel;
  private ProcessScanner scanner;
  private ProcessFilter filter;
  private Topology topo;

  @BeforeEach
  void guest() throws IOException {
    kernel = TieringCycleLogTest.guest(root);
    topo = new TopologyReader(kernel, 4096).read(List.of());
    scanner = new ProcessScanner(kernel);
    scanner.numaMapsMaxAge(8);
    filter = TieringCycleLogTest.workloadFilter();
  }

  private List<ManagedProcess> scan() {
    return scanner.scan(filter, topo.nodeIds(), Integer.MAX_VALUE).processes();
  }

  /**
   * Scans until two scans in a row kept the VMAs of their last numa_maps read: the read period has
   * doubled to 4 (VmaReader), so the next scan keeps them too unless told to read.
   */
  private List<ManagedProcess> scanUntilTheNextScanKeeps() {
    int keptInARow = 0;
    for (int i = 0; i < 16; i++) {
      List<ManagedProcess> procs = scan();
      keptInARow = scanner.readThisScan(PID) ? 0 : keptInARow + 1;
      if (keptInARow == 2) {
        return procs;
      }
    }
    throw new AssertionError("the scan never kept the VMAs twice in a row");
  }

  /** The plan of the guest: pid 4242's hot buffer up to node 0. */
  private MigrationPlan plan(List<ManagedProcess> procs) {
    ScoringResult scores = TieringCycleLogTest.hotBufferScores(procs.get(0), NOW);
    MigrationPlan plan =
        new Planner(PlannerConfig.defaults())
            .plan(PlanInput.estimated(topo, procs, scores), PlannerState.initial())
            .plan();
    assertThat(plan.moves()).singleElement().satisfies(m -> assertThat(m.toNode()).isZero());
    return plan;
  }

  /** The guest's buffer in the fake kernel, on the slow node, as the fixture's numa_maps says. */
  private FakeKernel kernelWithTheBuffer(long startTimeTicks) {
    FakeKernel kernel = new FakeKernel().addNode(0, 1024 * MIB).addNode(1, 1024 * MIB);
    kernel
        .spawn(PID, startTimeTicks, NodeSet.of(0, 1))
        .mapAnon(
            TieringCycleLogTest.SLOW_DEFAULT.start(), TieringCycleLogTest.SLOW_DEFAULT.sizeBytes())
        .populate(1);
    return kernel;
  }

  @Test
  void aRealMoveMovesThePagesAndTheNextScanReadsNumaMapsAgain() {
    List<ManagedProcess> procs = scanUntilTheNextScanKeeps();
    FakeKernel kernel = kernelWithTheBuffer(procs.get(0).startTimeTicks());
    PageMover mover = new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT);

    MoveStage.Moved result =
        new MoveStage(scanner, System::nanoTime).move(plan(procs), mover, MoveLimits.NONE);
    MoveReport moved = result.report();

    assertThat(moved.dryRun()).isFalse();
    assertThat(result.requests())
        .singleElement()
        .satisfies(request -> assertThat(request.targetNode()).isZero());
    assertThat(kernel.nodeOf(PID, TieringCycleLogTest.SLOW_DEFAULT.start())).isZero();
    assertThat(kernel.usedBytes(0)).isEqualTo(8 * MIB);
    scan();
    assertThat(scanner.readThisScan(PID)).isTrue();
  }

  @Test
  void aDryRunLeavesTheScanItsCachedVmas() {
    List<ManagedProcess> procs = scanUntilTheNextScanKeeps();

    MoveReport moved =
        new MoveStage(scanner, System::nanoTime)
            .move(plan(procs), DryRunMover.recording(Ticker.system()), MoveLimits.NONE)
            .report();

    assertThat(moved.dryRun()).isTrue();
    scan();
    assertThat(scanner.readThisScan(PID)).isFalse();
  }

  @Test
  void progressIsLoggedAtMostOncePerInterval() {
    List<ManagedProcess> procs = scanUntilTheNextScanKeeps();
    AtomicLong nanos = new AtomicLong(Duration.ofSeconds(100).toNanos());
    MoveStage stage = new MoveStage(scanner, nanos::get);
    stage.progressLogInterval(Duration.ofSeconds(5));
    PageMover reporting =
        (requests, limits, progress) -> {
          progress.progress(0, 2048); // logged: the first
          nanos.addAndGet(Duration.ofSeconds(1).toNanos());
          progress.progress(1024, 2048); // 1 s later: not logged
          nanos.addAndGet(Duration.ofSeconds(5).toNanos());
          progress.progress(2048, 2048); // 6 s after the first: logged
          return DryRunMover.recording(Ticker.system()).move(requests, limits, progress);
        };

    stage.move(plan(procs), reporting, MoveLimits.NONE);

    assertThat(logged.at(Level.INFO))
        .filteredOn(line -> line.startsWith("moving: "))
        .containsExactly("moving: 0/2048 pages (0%)", "moving: 2048/2048 pages (100%)");
  }

  @Test
  void aStageYieldsAfterOneIntervalAndOnlyADryRunIgnoresTheNodesFloors() {
    TierdConfig config = TierdConfig.parse("test", "interval: 3s\n");

    MoveLimits dry = MoveStage.limits(config, kernel, 4096, topo, true);
    MoveLimits live = MoveStage.limits(config, kernel, 4096, topo, false);

    assertThat(dry.timeBudget()).isEqualTo(Duration.ofSeconds(3));
    assertThat(dry.room()).isSameAs(NodeRoom.UNLIMITED);
    assertThat(live.timeBudget()).isEqualTo(Duration.ofSeconds(3));
    assertThat(live.room()).isInstanceOf(MeminfoNodeRoom.class);
    assertThat(live.room().bytesAvailable(0)).isLessThan(Long.MAX_VALUE);
  }
}
