package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.config.TierdConfig;

/**
 * The exposition is an API (STYLE.md habit 10): the tierd_* families a running daemon exports are
 * compared with a golden list, so a rename or a lost metric fails the build. The daemon runs
 * in-process over a copy of the 3-node guest's tree, so per-node and per-tier families appear.
 */
class MetricsExpositionTest {

  static final Path GOLDEN = Path.of("src/test/resources/metrics/golden-families.txt");

  @TempDir Path tmp;

  @Test
  void familiesMatchTheGoldenList() throws Exception {
    String exposition = scrapeRunningDaemon();
    TreeSet<String> families = new TreeSet<>();
    for (String line : exposition.lines().toList()) {
      if (line.startsWith("# TYPE tierd_")) {
        String[] f = line.split(" ");
        families.add(f[2] + " " + f[3]);
      }
    }
    if (Boolean.getBoolean("tierd.updateGolden")) {
      Files.writeString(GOLDEN, String.join("\n", families) + "\n");
    }
    List<String> golden =
        Files.readAllLines(GOLDEN).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(families)
        .as("tierd_* metric families (run with -Dtierd.updateGolden=true after an intended change)")
        .containsExactlyElementsOf(golden);
  }

  @Test
  void namesFollowPrometheusConventions() throws Exception {
    String exposition = scrapeRunningDaemon();
    for (String line : exposition.lines().toList()) {
      if (line.startsWith("# TYPE tierd_")) {
        String[] f = line.split(" ");
        String name = f[2];
        String type = f[3];
        if (type.equals("counter")) {
          assertThat(name).as("counter " + name).endsWith("_total");
        }
        assertThat(name).as(name).matches("tierd_[a-z0-9_]+");
      }
      if (line.startsWith("tierd_")) {
        assertThat(line)
            .as("no pid or address labels: " + line)
            .doesNotContain("pid=")
            .doesNotContain("address=");
      }
    }
    assertThat(exposition)
        .contains("tierd_node_total_bytes{node=\"2\",}")
        .contains("tierd_node_tier_rank{node=\"2\",} 1.0")
        .contains("tierd_tiers 2.0")
        .contains("tierd_dry_run 1.0")
        .contains("tierd_build_info{")
        .contains("tierd_class_tenants{class=\"web\",}")
        .contains("tierd_class_floor_deficit_bytes{class=\"default\",}")
        .contains("tierd_class_planned_moves_total{class=\"web\",reason=\"tenant_ceiling\",}");
  }

  private String scrapeRunningDaemon() throws Exception {
    Path root = tmp.resolve("root");
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    TierdConfig c =
        TierdConfig.parse(
            "test.yaml",
            "root: "
                + root
                + "\ninterval: 200ms\nruntimeDirectory: "
                + tmp.resolve("run")
                + "\nplanner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n"
                + "      capacity: 512MiB\n"
                + "classes:\n  - name: web\n    fastMin: 50%\n    fastMax: 4GiB\n");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Daemon d =
        new Daemon(
            c,
            new Daemon.Options(Optional.empty(), false, Optional.of("127.0.0.1:" + port), 0),
            Clock.systemUTC(),
            Notifier.NONE,
            "test");
    Thread t =
        new Thread(
            () -> {
              try {
                d.run();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    t.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          String status = get(http, port, "/status");
          if (status.contains("\"number\":2")) {
            return get(http, port, "/metrics");
          }
        } catch (IOException e) {
          // not up yet
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("daemon did not complete two cycles");
        }
        Thread.sleep(100);
      }
    } finally {
      d.requestStop();
      t.join(Duration.ofSeconds(10).toMillis());
    }
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
