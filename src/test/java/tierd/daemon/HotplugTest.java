package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tierd.Fixtures;
import tierd.config.TierdConfig;
import tierd.metrics.TierdMetrics;

/**
 * Memory hot-unplug and hotplug between cycles (issue 14, point 2): the 3-node guest's slow node 2
 * goes away the way the kernel takes it (its memory migrated to node 1 first, then the node
 * offline: gone from the masks, the distance rows and the memory tiers, its directory removed) and
 * comes back. Every cycle runs to the end: tiering stops while one tier is left and resumes when
 * the node is back; with an explicit {@code tiers} override too.
 */
class HotplugTest {

  @TempDir Path tmp;

  private static final String NODES = "sys/devices/system/node/";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {"kernel memory tiers;", "tiers override;tiers: [\"0-1\", \"2\"]"})
  void everyCycleRunsWhileANodeGoesAndComes(String name, String tiers) throws Exception {
    Path root = tmp.resolve("root");
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    Path saved = tmp.resolve("saved");
    Fixtures.copyTree(root, saved);
    TierdConfig config =
        TierdConfig.parse(
            "test.yaml",
            "root: "
                + root
                + "\ninterval: 100ms\nruntimeDirectory: "
                + tmp.resolve("run")
                + "\nheat:\n  warmup: 0s\n"
                + (tiers == null ? "" : tiers + "\n"));
    TierdMetrics metrics = new TierdMetrics("test");
    Wiring.Wired wired = Wiring.wire(config, true, Clock.systemUTC(), metrics);
    List<String> timeline = new ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, wired.parts())) {
      run(cycle, 4, timeline);
      unplugNodeTwo(root);
      run(cycle, 3, timeline);
      deleteTree(root.resolve("sys/devices"));
      Fixtures.copyTree(saved.resolve("sys/devices"), root.resolve("sys/devices"));
      Files.copy(
          saved.resolve("proc/4242/numa_maps"),
          root.resolve("proc/4242/numa_maps"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      run(cycle, 4, timeline);
    }
    // T: tiered with moves planned, t: tiered without moves, 1: one tier (nothing to tier)
    assertThat(String.join("", timeline)).matches("t*T+111t*T+");
  }

  private static void run(TieringCycle cycle, int cycles, List<String> timeline) {
    for (int i = 0; i < cycles; i++) {
      CycleReport r = cycle.run();
      assertThat(r.ok()).as(r.summary()).isTrue();
      timeline.add(!r.tiered() ? "1" : r.plannedMoves() > 0 ? "T" : "t");
    }
  }

  /**
   * Node 2 offline as the kernel leaves it: its pages migrated to node 1 (numa_maps), node 2 gone
   * from has_memory and online, from the other nodes' distance rows and from the memory tiers, and
   * its sysfs directory removed.
   */
  private static void unplugNodeTwo(Path root) throws IOException {
    Path nm = root.resolve("proc/4242/numa_maps");
    Files.writeString(
        nm, Files.readString(nm).replaceAll(" N2=", " N1=").replace(" N1=512 N1=512", " N1=1024"));
    Files.writeString(root.resolve(NODES + "has_memory"), "0-1\n");
    Files.writeString(root.resolve(NODES + "online"), "0-1\n");
    Files.writeString(root.resolve(NODES + "node0/distance"), "10 21\n");
    Files.writeString(root.resolve(NODES + "node1/distance"), "21 10\n");
    deleteTree(root.resolve(NODES + "node2"));
    deleteTree(root.resolve("sys/devices/virtual/memory_tiering/memory_tier54"));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
