package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.topology.Topology;

/**
 * The 3-node guest while its slow node 2 vanishes mid-read (still in the masks, its sysfs directory
 * gone): the node is left out of that cycle's topology, said once while it lasts, counted every
 * cycle, and the return is said once too.
 */
class AdaptingTopologyTest {

  @TempDir Path tmp;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private final TierdMetrics metrics = new TierdMetrics("test");
  private final AdaptingTopology topology = new AdaptingTopology();

  private Topology read(Path root) {
    return topology.read(KernelRoot.under(root), 4096, List.of(), metrics.scan());
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aVanishedNodeIsLeftOutSaidOnceAndItsReturnSaidToo() throws IOException {
    Path root = tmp.resolve("root");
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    Path nodeTwo = root.resolve("sys/devices/system/node/node2");
    Path saved = tmp.resolve("node2");
    Fixtures.copyTree(nodeTwo, saved);

    assertThat(read(root).nodeIds().toArray()).containsExactly(0, 1, 2);
    deleteTree(nodeTwo);
    Topology without = read(root);
    read(root);
    Fixtures.copyTree(saved, nodeTwo);
    Topology back = read(root);

    assertThat(without.nodeIds().toArray()).containsExactly(0, 1);
    assertThat(back.nodeIds().toArray()).containsExactly(0, 1, 2);
    assertThat(logged.at(Level.WARN))
        .singleElement()
        .asString()
        .startsWith("topology: memory node 2 left out of this cycle's topology: ")
        .endsWith("(memory hot-unplug in progress?)");
    assertThat(logged.at(Level.INFO)).containsExactly("topology: every memory node is read again");
    assertThat(metrics.scrape())
        .containsPattern("tierd_scan_rejected_total\\{.*reason=\"absent\".*\\} 2\\.0");
  }
}
