package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerConfig;
import tierd.planner.PlannerState;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.process.ProcessScanner;
import tierd.process.Vma;
import tierd.scoring.ScoringResult;
import tierd.topology.Topology;
import tierd.topology.TopologyReader;

/**
 * No move rests on VMAs older than the cycle: over the flat 2-node guest, whose buffer of pid 4242
 * sits on the slow node and is hot, a scan that kept the VMAs from an earlier read is checked again
 * before the plan is final.
 */
class FreshPlannerTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final int PID = 4242;

  @TempDir Path root;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private final TierdMetrics metrics = new TierdMetrics("test");
  private final Planner planner = new Planner(PlannerConfig.defaults());
  private ProcessScanner scanner;
  private ProcessFilter filter;
  private Topology topo;

  @BeforeEach
  void guest() throws IOException {
    KernelRoot kernel = TieringCycleLogTest.guest(root);
    topo = new TopologyReader(kernel, 4096).read(List.of());
    scanner = new ProcessScanner(kernel);
    filter = TieringCycleLogTest.workloadFilter();
  }

  private List<ManagedProcess> scan() {
    return scanner.scan(filter, topo.nodeIds(), Integer.MAX_VALUE).processes();
  }

  /** Scans until a scan keeps the VMAs of its last numa_maps read instead of reading it. */
  private List<ManagedProcess> scanUntilKept() {
    scanner.numaMapsMaxAge(8);
    for (int i = 0; i < 8; i++) {
      List<ManagedProcess> procs = scan();
      if (!scanner.readThisScan(PID)) {
        return procs;
      }
    }
    throw new AssertionError("the scan never kept the VMAs");
  }

  private PlanResult plan(List<ManagedProcess> procs) {
    ScoringResult scores = TieringCycleLogTest.hotBufferScores(procs.get(0), NOW);
    return new FreshPlanner(scanner, metrics.scan())
        .plan(
            planner,
            PlannerState.initial(),
            NOW,
            topo,
            procs,
            scores,
            List.of(),
            UnaryOperator.<List<Vma>>identity());
  }

  private void bindToTheSlowNode() throws IOException {
    Path numaMaps = root.resolve("proc/" + PID + "/numa_maps");
    Files.writeString(numaMaps, Files.readString(numaMaps).replace(" default ", " bind:1 "));
  }

  @Test
  void vmasReadThisScanArePlannedOnAsTheyAre() throws IOException {
    List<ManagedProcess> procs = scan();
    assertThat(scanner.readThisScan(PID)).isTrue();
    assertThat(plan(procs).plan().moves())
        .singleElement()
        .satisfies(m -> assertThat(m.toNode()).isZero());
    assertThat(metrics.scrape()).doesNotContain("outcome=\"rechecked\",} 1.0");
  }

  @Test
  void keptVmasThatDidNotChangeAreCheckedOnceAndKept() {
    List<ManagedProcess> procs = scanUntilKept();
    assertThat(plan(procs).plan().moves()).hasSize(1);
    assertThat(metrics.scrape()).contains("tierd_scan_numa_maps_total{outcome=\"rechecked\",} 1.0");
  }

  @Test
  void aPolicySetSinceTheLastReadIsSeenAndThePlanMadeAgain() throws IOException {
    List<ManagedProcess> procs = scanUntilKept();
    bindToTheSlowNode();
    logged.logger().setLevel(Level.DEBUG);
    try {
      assertThat(plan(procs).plan().moves()).as("the buffer is bound to node 1 now").isEmpty();
    } finally {
      logged.logger().setLevel(null);
    }
    assertThat(
            logged.startingWith(
                "plan round 1: numa_maps changed since it was last read for pids [4242]"))
        .hasSize(1);
  }

  @Test
  void aProcessGoneSinceTheScanDropsOut() throws IOException {
    List<ManagedProcess> procs = scanUntilKept();
    try (var files = Files.walk(root.resolve("proc/" + PID))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    assertThat(plan(procs).plan().moves()).isEmpty();
  }
}
