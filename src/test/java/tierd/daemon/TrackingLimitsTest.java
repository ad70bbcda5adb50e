package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.CapturedLog;
import tierd.bench.ScaleTree;
import tierd.config.TierdConfig;
import tierd.metrics.TierdMetrics;

/** The tracking limits: what the heap allows, and what a cycle at the limits leaves out. */
class TrackingLimitsTest {

  @TempDir Path tmp;

  @RegisterExtension final CapturedLog logged = new CapturedLog(Logger.ROOT_LOGGER_NAME);

  /** The launcher's 64 MiB: 24 MiB past the reserve, half to VMAs (200 B), half to regions. */
  @ParameterizedTest(name = "{0} MiB heap")
  @CsvSource({
    "64, 62914, 16777, 4194304",
    "256, 566231, 150994, 16777216",
    "32, 1000, 1000, 2097152"
  })
  void limitsFollowTheHeap(long heapMib, int vmas, int regions, int fileBytes) {
    TrackingLimits l = TrackingLimits.forHeap(heapMib << 20);
    assertThat(l.maxVmas()).isEqualTo(vmas);
    assertThat(l.maxRegions()).isEqualTo(regions);
    assertThat(l.maxFileBytes()).isEqualTo(fileBytes);
  }

  /**
   * 20 generated processes of 50 VMAs under limits of 230 VMAs and 100 regions, three cycles: the
   * five largest are tracked (the fifth cut to 30 VMAs), numa-maps-active's regions are merged to
   * 100, the metrics say so, every cycle is fine, and each limit is said once.
   */
  @Test
  void aCycleAtTheLimitsLeavesOutTheSmallestAndSaysSoOnce() throws Exception {
    Path tree = tmp.resolve("tree");
    ScaleTree.write(tree, 20, 50);
    TierdConfig config =
        TierdConfig.parse(
            "test.yaml",
            "root: "
                + tree
                + "\ninterval: 100ms\nruntimeDirectory: "
                + tmp.resolve("run")
                + "\nprocesses:\n  minRss: 0\nheat:\n  sources: [numa-maps-active]\n"
                + "  warmup: 0s\n");
    TierdMetrics metrics = new TierdMetrics("test");
    Wiring.Wired wired = Wiring.wire(config, true, Clock.systemUTC(), metrics);
    try (TieringCycle cycle = new TieringCycle(config, wired.parts())) {
      cycle.limits(TrackingLimits.of(230, 100));
      for (int i = 0; i < 3; i++) {
        CycleReport r = cycle.run();
        assertThat(r.ok()).as(r.summary()).isTrue();
        assertThat(r.managedProcesses()).isEqualTo(5);
        assertThat(r.regions()).isLessThanOrEqualTo(100);
      }
    }
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("tierd_tracking_limit{kind=\"vmas\",} 230.0")
        .contains("tierd_tracking_limit{kind=\"regions\",} 100.0")
        .contains("tierd_tracking_used{kind=\"vmas\",} 230.0")
        .contains("tierd_tracking_used{kind=\"regions\",} 100.0")
        .contains("tierd_tracking_left_out{kind=\"processes\",} 15.0")
        .contains("tierd_tracking_left_out{kind=\"vmas\",} 20.0")
        .containsPattern("tierd_tracking_left_out\\{kind=\"regions\",} [1-9]\\d*\\.0");
    List<String> said = logged.startingWith("tracking limit:");
    assertThat(said).hasSize(2);
    assertThat(said.get(0)).contains("cover the 5 largest processes; 15 smaller processes");
    assertThat(said.get(1)).contains("numa-maps-active reported").contains("tierd keeps 100");
  }
}
