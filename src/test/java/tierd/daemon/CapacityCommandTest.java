package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.kernelfs.KernelRoot;
import tierd.planner.CapacitySource;

/** A capacity command run for real ({@code /bin/sh}, {@code /bin/echo}), with a fake clock. */
class CapacityCommandTest {

  @TempDir Path tmp;

  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  CapacityCommand catOf(Path file) {
    return new CapacityCommand(
        List.of("/bin/sh", "-c", "cat " + file), nanos::get, CapacityCommand.TIMEOUT);
  }

  @Test
  void itsOutputIsReusedForASecondAndThenRunAgain() throws IOException {
    Path value = tmp.resolve("value");
    Files.writeString(value, "1000\n");
    CapacityCommand command = catOf(value);
    assertThat(command.output()).isEqualTo("1000\n");
    Files.writeString(value, "500\n");
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    assertThat(command.output()).as("0.9 s later: reused").isEqualTo("1000\n");
    nanos.addAndGet(Duration.ofMillis(100).toNanos());
    assertThat(command.output()).as("1 s after the run: run again").isEqualTo("500\n");
  }

  @Test
  void aFailingCommandSaysHowAndIsTriedAgainNextTime() throws IOException {
    Path value = tmp.resolve("value");
    CapacityCommand command = catOf(value);
    assertThatThrownBy(command::output)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exited with status 1");
    Files.writeString(value, "42\n");
    assertThat(command.output()).as("a failure is not reused").isEqualTo("42\n");
  }

  @Test
  void aCommandThatHangsIsKilledAtTheTimeout() {
    CapacityCommand command =
        new CapacityCommand(
            List.of("/bin/sh", "-c", "sleep 30; echo 1"), nanos::get, Duration.ofMillis(200));
    long start = System.nanoTime();
    assertThatThrownBy(command::output)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did not finish within 200 ms (killed)");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void aProgramThatDoesNotExistCannotRun() {
    CapacityCommand command =
        new CapacityCommand(List.of("/nonexistent/cxl-usable"), nanos::get, Duration.ofSeconds(1));
    assertThatThrownBy(command::output)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot run [/nonexistent/cxl-usable]");
  }

  @Test
  void nodeCapacitiesParseWhatTheCommandPrints() throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), tmp.resolve("root"));
    KernelRoot root = KernelRoot.under(tmp.resolve("root"));
    NodeCapacities printed =
        new NodeCapacities(
            root, Map.of(2, new CapacitySource.FromCommand(List.of("/bin/echo", "268435456"))));
    assertThat(printed.bytes(2)).hasValue(256L << 20);
    NodeCapacities words =
        new NodeCapacities(
            root, Map.of(2, new CapacitySource.FromCommand(List.of("/bin/echo", "256", "MiB"))));
    assertThat(words.bytes(2)).as("not a plain number: unknown").isEmpty();
    assertThatThrownBy(
            () ->
                NodeCapacities.parse(
                    new CapacityCommand(List.of("/bin/echo", "lots")).output(),
                    "planner.nodes.2.capacityCommand [/bin/echo, lots]"))
        .hasMessage(
            "planner.nodes.2.capacityCommand [/bin/echo, lots]: expected usable bytes as a"
                + " non-negative decimal number, got 'lots'");
  }
}
