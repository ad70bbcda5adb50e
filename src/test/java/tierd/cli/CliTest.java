package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.Fixtures;

/** The command line end to end, over fixture trees and the real host. */
class CliTest {

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  private static String fixture(String name) {
    return Fixtures.path("fixtures/" + name).toString();
  }

  @Test
  void topologyOfThreeNodeGuest() throws Exception {
    Run r = run("topology", "--root", fixture("vm-3node"), "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("nodes")).hasSize(3);
    assertThat(j.get("tiers")).hasSize(2);
    assertThat(j.get("tierSource").asText()).isEqualTo("kernel");
    for (JsonNode n : j.get("nodes")) {
      int rank = n.get("tierRank").asInt();
      for (JsonNode d : n.get("demotionTargets")) {
        assertThat(j.get("nodes").get(d.asInt()).get("tierRank").asInt()).isGreaterThan(rank);
      }
      for (JsonNode p : n.get("promotionTargets")) {
        assertThat(j.get("nodes").get(p.asInt()).get("tierRank").asInt()).isLessThan(rank);
      }
    }
  }

  @Test
  void topologyTextNamesTiersAndTargets() {
    Run r = run("topology", "--root", fixture("vm-2node-flat"));
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("source: classified")
        .contains("tier1")
        .contains("classified CPU-less");
  }

  @Test
  void topologyOfThisHost() {
    Run r = run("topology");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("NODE").contains("memory_tier");
  }

  @Test
  void scanOfThisHostSeesItself() throws Exception {
    Run r = run("scan", "--all", "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("examined").asInt()).isPositive();
    // the test JVM itself is a process with memory on node 0, unless it is the scanner
    assertThat(j.get("processes").size()).isPositive();
  }

  @Test
  void scanOfFixtureWithVmas() {
    Run r = run("scan", "--all", "--vmas", "--root", fixture("host-1node"));
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("4242").contains("python3").contains("default");
  }

  @Test
  void scanShowsEachTenantsFastBytesAgainstItsFloorAndCeiling(@TempDir Path tmp) throws Exception {
    Path config = tmp.resolve("classes.yaml");
    Files.writeString(
        config, "classes:\n  - name: py\n    comm: python3\n    fastMin: 50%\n    fastMax: 1GiB\n");
    Run r = run("scan", "--all", "--root", fixture("host-1node"), "--config", config.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern(
            "tenant py \\(class py, priority 0\\): fast \\S+ of \\S+ resident; floor 50 %")
        .contains("; ceiling 1GiB");
  }

  @Test
  void missingRootNamesTheFile(@TempDir Path tmp) {
    Run r = run("topology", "--root", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err())
        .contains(tmp.resolve("sys/devices/system/node/online").toString())
        .contains("absent");
  }

  @Test
  void configCheck(@TempDir Path tmp) throws Exception {
    Path good = tmp.resolve("good.yaml");
    Files.writeString(good, "interval: 2s\n");
    assertThat(run("config", "check", good.toString()).code()).isZero();
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "interval: 2s\nprocesses:\n  minRss: -3\n");
    Run r = run("config", "check", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("bad.yaml:3: processes.minRss");
  }

  @Test
  void shippedConfigChecks() {
    assertThat(run("config", "check", "config/tierd.yaml").code()).isZero();
  }

  @Test
  void planOverTheThreeNodeGuestExplainsEveryDecision() {
    Run r = run("plan", "--explain", "--root", fixture("vm-3node"));
    assertThat(r.code()).as(r.err()).isZero();
    // the hot buffers on the CPU-less node 2 go to node 1: the nearest fast node the cpuset (1-2)
    // allows; never to node 0, never between the two DRAM nodes
    assertThat(r.out()).contains("move promote pid 4242").contains("node 2 → 1");
    assertThat(r.out())
        .doesNotContain("→ 0")
        .doesNotContain("node 1 → 2")
        .doesNotContain("node 0 → 1");
    // the VMA bound to node 2 is reported, not moved
    assertThat(r.out())
        .containsPattern("skip promote pid 4242 \\S+ \\S+ on node 2 \\[POLICY\\]: policy bind:2");
    assertThat(r.err()).contains("window 3/3");
  }

  @Test
  void planJson() throws Exception {
    Run r = run("plan", "--json", "--root", fixture("vm-2node-flat"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("heatSource").asText()).isEqualTo("damon-observe");
    assertThat(j.get("moves").size()).isPositive();
  }

  @Test
  void planOnThisHostHasNothingToTier() {
    Run r = run("plan", "--windows", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("one memory tier: nothing to tier");
  }

  @Test
  void version() {
    Run r = run("version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("tierd ").contains("java 17");
  }

  @Test
  void profileOfTheTwoNodeGuestAsJson() throws Exception {
    Run r =
        run(
            "profile",
            "--root",
            fixture("vm-2node"),
            "--duration",
            "30s",
            "--progress",
            "0s",
            "--json");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("heatSource").asText()).isEqualTo("damon-observe");
    assertThat(j.get("sentence").asText()).startsWith("your hot set is ");
    assertThat(j.get("series").size()).as("a window every 5 s from 0 to 30 s").isEqualTo(7);
    JsonNode p = j.get("processes").get(0);
    assertThat(p.get("pid").asInt()).isEqualTo(4242);
    assertThat(p.get("comm").asText()).isEqualTo("tierd-workload");
    long resident = p.get("residentBytes").asLong();
    assertThat(resident).isPositive();
    assertThat(
            p.get("hotBytes").asLong() + p.get("warmBytes").asLong() + p.get("coldBytes").asLong())
        .isEqualTo(resident);
    assertThat(p.get("hotSetBytes").asLong()).isBetween(1L, resident);
    assertThat(j.get("sizing").get("points").size()).isEqualTo(5);
    assertThat(j.get("host").get("idleAgeSeconds").has("p99")).isTrue();
  }

  @Test
  void profileHtmlIsOneFileWithItsChartsInline(@TempDir Path tmp) throws Exception {
    Path html = tmp.resolve("report.html");
    Run r =
        run(
            "profile",
            "--root",
            fixture("vm-2node"),
            "--duration",
            "20s",
            "--progress",
            "0s",
            "--html",
            html.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("your hot set is ");
    String text = java.nio.file.Files.readString(html);
    assertThat(text).doesNotContain("src=\"http").doesNotContain("href=\"http");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"").matcher(text);
    int images = 0;
    while (m.find()) {
      java.awt.image.BufferedImage img =
          javax.imageio.ImageIO.read(
              new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(m.group(1))));
      assertThat(img).as("image %d decodes", images).isNotNull();
      assertThat(img.getWidth()).isEqualTo(760);
      images++;
    }
    // host over time, the workload over time, the idle-age distribution, the sizing curve
    assertThat(images).isEqualTo(4);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badProfileOptions")
  void badProfileOptionsNameTheOption(String name, String[] args, String message) {
    Run r = run(args);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  static Stream<Arguments> badProfileOptions() {
    return Stream.of(
        Arguments.of(
            "duration without unit",
            new String[] {"profile", "--duration", "5"},
            "--duration: '5' is not a duration"),
        Arguments.of(
            "duration shorter than the interval",
            new String[] {"profile", "--duration", "1s"},
            "--duration: 1s is outside [the interval 5s, 24h]"),
        Arguments.of(
            "what-if of the wrong tier",
            new String[] {"profile", "--what-if", "slow=8GiB"},
            "--what-if: 'slow=8GiB' is not fast=SIZE"),
        Arguments.of("no processes listed", new String[] {"profile", "--top", "0"}, "--top: 0"));
  }
}
