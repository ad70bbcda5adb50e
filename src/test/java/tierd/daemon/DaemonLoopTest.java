package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.config.TierdConfig;

/**
 * The daemon loop's last-resort boundary: what one iteration throws outside the cycle's own stages
 * (here: the notifier, called after every cycle) is logged once, counted as
 * tierd_cycle_failures_total{stage="loop"}, and the next iteration runs. Only a VirtualMachineError
 * ends the loop. In-process over a copy of the 3-node guest's tree (dry-run, no lock, no kernel).
 */
class DaemonLoopTest {

  @TempDir Path tmp;

  @RegisterExtension final CapturedLog logged = new CapturedLog(Daemon.class);

  private int port;

  private Daemon daemon(Notifier notifier, long cycles) throws IOException {
    Path root = tmp.resolve("root");
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    TierdConfig c =
        TierdConfig.parse(
            "test.yaml",
            "root: " + root + "\ninterval: 100ms\nruntimeDirectory: " + tmp.resolve("run") + "\n");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return new Daemon(
        c,
        new Daemon.Options(Optional.empty(), false, Optional.of("127.0.0.1:" + port), cycles),
        Clock.systemUTC(),
        notifier,
        "test");
  }

  private String get(String path) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A notifier whose STATUS= after every cycle throws what {@code failure} makes; before the third
   * throw it keeps what /metrics and /status say.
   */
  private final class BrokenNotifier implements Notifier {
    private final Supplier<Throwable> failure;
    int statusCalls;
    String metrics;
    String status;

    BrokenNotifier(Supplier<Throwable> failure) {
      this.failure = failure;
    }

    @Override
    public void notify(String message) {
      if (message.startsWith("STATUS=")) {
        if (++statusCalls == 3) {
          metrics = get("/metrics");
          status = get("/status");
        }
        throw CycleFailureTest.sneaky(failure.get());
      }
    }
  }

  static Stream<Arguments> loopFailures() {
    return Stream.of(
        Arguments.of(
            "a bug in the notifier",
            (Supplier<Throwable>) () -> new IllegalStateException("status line broke"),
            false),
        Arguments.of(
            "sd_notify cannot link",
            (Supplier<Throwable>) () -> new UnsatisfiedLinkError("Unable to load library 'c'"),
            true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loopFailures")
  void aFailureAroundTheCycleIsCountedAndTheLoopGoesOn(
      String name, Supplier<Throwable> failure, boolean linkage) throws Exception {
    BrokenNotifier notifier = new BrokenNotifier(failure);
    int code = daemon(notifier, 4).run();

    assertThat(code).isZero();
    assertThat(notifier.statusCalls).as("one status line per cycle, all 4 cycles ran").isEqualTo(4);
    // counted before the third failure's count: 2 so far
    assertThat(notifier.metrics).contains("tierd_cycle_failures_total{stage=\"loop\",} 2.0");
    String reason = StageRunner.reason(failure.get());
    assertThat(logged.at(Level.WARN)).containsExactly("cycle 1: stage loop failed: " + reason);
    assertThat(logged.noStackTraceAboveDebug()).isTrue();
    if (linkage) {
      assertThat(notifier.status)
          .contains("\"dryRunReason\":\"reading a fixture tree")
          .contains("; a native call failed in stage loop (" + reason + ")");
    } else {
      assertThat(notifier.status).doesNotContain("a native call failed");
    }
  }

  @Test
  void aVirtualMachineErrorEndsTheLoop() throws Exception {
    List<String> seen = new ArrayList<>();
    Notifier overflowing =
        message -> {
          seen.add(message);
          if (message.startsWith("STATUS=")) {
            throw new StackOverflowError();
          }
        };
    Daemon d = daemon(overflowing, 4);
    assertThatThrownBy(d::run).isInstanceOf(StackOverflowError.class);
    assertThat(seen).filteredOn(m -> m.startsWith("STATUS=")).hasSize(1);
  }
}
