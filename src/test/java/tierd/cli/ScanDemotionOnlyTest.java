package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;

/**
 * {@code tierd scan} with node 2 of the 3-node guest demotion-only: the workload (pid 4242, start
 * time 401) holds 16 MiB there; the daemon's state file says how much of it tierd demoted.
 */
class ScanDemotionOnlyTest {

  @TempDir Path tmp;
  Path config;

  @BeforeEach
  void config() throws IOException {
    Files.createDirectories(tmp.resolve("run"));
    config = tmp.resolve("tierd.yaml");
    Files.writeString(
        config,
        "runtimeDirectory: "
            + tmp.resolve("run")
            + "\nplanner:\n  nodes:\n    \"2\":\n      demotionOnly: true\n"
            + "      capacity: 512MiB\n");
  }

  CliTest.Run scan() {
    return CliTest.run(
        "scan",
        "--all",
        "--config",
        config.toString(),
        "--root",
        Fixtures.path("fixtures/vm-3node").toString());
  }

  @Test
  void withTheDaemonsRecordOnlyTheRestIsListedAsNotDemotedByTierd() throws IOException {
    Files.writeString(tmp.resolve("run/demotion-only-placed"), "4242 401 2 " + (12L << 20) + "\n");
    CliTest.Run r = scan();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Demotion-only node 2: 4MiB not demoted there by tierd\n")
        .containsPattern("4242 +tierd-workload +16MiB +12MiB +4MiB");
  }

  @Test
  void withoutItEveryByteThereIsListedAndTheReportSaysWhy() {
    CliTest.Run r = scan();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "Demotion-only node 2: 16MiB not demoted there by tierd (no record of tierd's"
                + " demotions in "
                + tmp.resolve("run/demotion-only-placed")
                + ")")
        .containsPattern("4242 +tierd-workload +16MiB +0B +16MiB");
  }
}
