package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.TierdProcess;

/**
 * The daemon as an operator runs it: a separate JVM, real signals, a real sd_notify listener. Runs
 * against this host (one NUMA node: nothing to tier, dry-run by itself), which exercises the loop,
 * the endpoint and the signal paths without touching any page or DAMON.
 */
class DaemonProcessTest {

  @TempDir Path tmp;
  private Process daemon;
  private Path log;

  @AfterEach
  void kill() throws InterruptedException {
    if (daemon != null && daemon.isAlive()) {
      daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private Process start(Path config, int port, Map<String, String> env, String... extra)
      throws IOException {
    List<String> cmd = new ArrayList<>(TierdProcess.command());
    cmd.add("run");
    cmd.add("--config");
    cmd.add(config.toString());
    cmd.add("--listen");
    cmd.add("127.0.0.1:" + port);
    cmd.addAll(List.of(extra));
    log = tmp.resolve("daemon.log");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    daemon = pb.start();
    return daemon;
  }

  private Path config(String yaml) throws IOException {
    Path c = tmp.resolve("tierd.yaml");
    Files.writeString(c, "runtimeDirectory: " + tmp.resolve("run") + "\n" + yaml);
    return c;
  }

  private static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  private void await(String what, BooleanSupplier cond) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; log:\n" + logText());
      }
      if (daemon != null && !daemon.isAlive()) {
        throw new AssertionError(
            "daemon exited while waiting for " + what + "; log:\n" + logText());
      }
      Thread.sleep(100);
    }
  }

  private String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "<no log>";
    }
  }

  private boolean healthy(int port) {
    try {
      return get(port, "/healthz").startsWith("200");
    } catch (Exception e) {
      return false;
    }
  }

  private static String damonSnapshot() throws IOException {
    Path nr = Path.of("/sys/kernel/mm/damon/admin/kdamonds/nr_kdamonds");
    return Files.isReadable(nr) ? Files.readString(nr) : "absent";
  }

  @Test
  void sigtermStopsCleanlyAndLeavesNothingBehind() throws Exception {
    String damonBefore = damonSnapshot();
    int port = freePort();
    start(config("interval: 500ms\n"), port, Map.of());
    await("/healthz", () -> healthy(port));
    await("two cycles", () -> logText().contains("cycle 2 "));
    assertThat(get(port, "/status")).startsWith("200 {").contains("\"lastCycle\"");
    long t = System.nanoTime();
    daemon.destroy(); // SIGTERM
    assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s").isTrue();
    assertThat(daemon.exitValue()).as(logText()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - t)).isLessThan(Duration.ofSeconds(10));
    assertThat(logText()).contains("tierd stopped");
    // nothing left: no kdamond, no state file in the runtime directory; the instance lock file
    // stays (deleting it would race with a starting tierd), empty and unlocked
    assertThat(damonSnapshot()).isEqualTo(damonBefore);
    Path run = tmp.resolve("run");
    try (var s = Files.list(run)) {
      assertThat(s.toList()).containsExactly(run.resolve(InstanceLock.FILE_NAME));
    }
    assertThat(Files.size(run.resolve(InstanceLock.FILE_NAME))).isZero();
    try (InstanceLock again = InstanceLock.acquire(run)) {
      assertThat(Files.readString(again.path())).isEqualTo(ProcessHandle.current().pid() + "\n");
    }
  }

  /**
   * One tierd per host: a second `tierd run` (another JVM, another port, the same runtime
   * directory), also with --dry-run, fails at once with one line naming the holder's pid and exits
   * 2; the first one goes on. With --root (a fixture tree) no lock is taken.
   */
  @Test
  void aSecondInstanceFailsAtOnceNamingTheFirst() throws Exception {
    int port = freePort();
    Path cfg = config("interval: 500ms\n");
    start(cfg, port, Map.of());
    await("/healthz", () -> healthy(port));
    Process first = daemon;
    Path firstLog = log;
    for (List<String> extra : List.of(List.<String>of(), List.of("--dry-run"))) {
      List<String> args =
          new ArrayList<>(List.of("run", "--config", cfg.toString(), "--listen", "127.0.0.1:0"));
      args.addAll(extra);
      TierdProcess.Result second = TierdProcess.run(List.of(), args);
      assertThat(second.code()).as(second.output()).isEqualTo(2);
      assertThat(second.output().lines().toList())
          .containsExactly(
              "tierd: another tierd is running: pid "
                  + first.pid()
                  + " holds "
                  + tmp.resolve("run").resolve(InstanceLock.FILE_NAME)
                  + " (one tierd per host; stop that one first, e.g. systemctl stop tierd)");
    }
    assertThat(first.isAlive()).isTrue();
    assertThat(get(port, "/healthz")).startsWith("200");
    // a fixture tree is read-only work: it may run beside the daemon
    TierdProcess.Result fixture =
        TierdProcess.run(
            List.of(),
            List.of(
                "run",
                "--config",
                cfg.toString(),
                "--listen",
                "127.0.0.1:0",
                "--root",
                tierd.Fixtures.path("fixtures/vm-3node").toString(),
                "--cycles",
                "1"));
    assertThat(fixture.code()).as(fixture.output()).isZero();
    assertThat(fixture.output()).contains("cycle 1 ok");
    daemon.destroy();
    assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.exitValue()).as(Files.readString(firstLog)).isZero();
  }

  @Test
  void sighupReloadsAValidConfigAndRejectsABrokenOne() throws Exception {
    int port = freePort();
    Path cfg = config("interval: 500ms\n");
    start(cfg, port, Map.of());
    await("/healthz", () -> healthy(port));
    long pid = daemon.pid();

    Files.writeString(cfg, "runtimeDirectory: " + tmp.resolve("run") + "\ninterval: 300ms\n");
    hup(pid);
    await("reload", () -> logText().contains("config reloaded from " + cfg));
    await(
        "new interval in /status",
        () -> {
          try {
            return get(port, "/status").contains("\"intervalMillis\":300");
          } catch (Exception e) {
            return false;
          }
        });

    Files.writeString(cfg, "interval: 300ms\nplanner:\n  promoteRate: fast\n");
    hup(pid);
    await("rejection", () -> logText().contains("config reload rejected"));
    assertThat(logText())
        .contains("keeping the running config")
        .contains("tierd.yaml:3: planner.promoteRate");
    int cyclesBefore = countCycles();
    await("cycles go on", () -> countCycles() > cyclesBefore + 1);
    assertThat(get(port, "/metrics"))
        .contains("tierd_config_reloads_total{result=\"ok\",} 1.0")
        .contains("tierd_config_reloads_total{result=\"rejected\",} 1.0");
    daemon.destroy();
    assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.exitValue()).isZero();
  }

  private int countCycles() {
    return (int) logText().lines().filter(l -> l.contains(" Daemon: cycle ")).count();
  }

  private static void hup(long pid) throws Exception {
    Process k = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).start();
    assertThat(k.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(k.exitValue()).isZero();
  }

  /** A real AF_UNIX datagram listener (python3) stands in for systemd. */
  @Test
  void notifiesReadyStatusAndWatchdog() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/python3")))
        .as("python3 is needed for the sd_notify listener")
        .isTrue();
    Path sock = tmp.resolve("notify.sock");
    Path got = tmp.resolve("notify.txt");
    Process listener =
        new ProcessBuilder(
                "/usr/bin/python3",
                "-c",
                "import socket,sys\n"
                    + "s=socket.socket(socket.AF_UNIX,socket.SOCK_DGRAM)\n"
                    + "s.bind(sys.argv[1])\n"
                    + "print('listening',flush=True)\n"
                    + "f=open(sys.argv[2],'a')\n"
                    + "while True:\n"
                    + "  m=s.recv(4096).decode()\n"
                    + "  f.write(m.replace('\\n','|')+'\\n'); f.flush()\n",
                sock.toString(),
                got.toString())
            .redirectErrorStream(true)
            .start();
    try {
      assertThat(new String(listener.getInputStream().readNBytes(10))).isEqualTo("listening\n");
      int port = freePort();
      start(
          config("interval: 5s\n"),
          port,
          Map.of("NOTIFY_SOCKET", sock.toString(), "WATCHDOG_USEC", "1000000"));
      await("READY=1", () -> read(got).contains("READY=1"));
      await("STATUS=", () -> read(got).contains("STATUS=one memory tier"));
      // the interval is 5 s and the watchdog 1 s: pings come from the loop while it waits
      await(
          "two WATCHDOG=1 within one interval", () -> read(got).split("WATCHDOG=1", -1).length > 3);
      daemon.destroy();
      assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
      daemon = null; // exited on purpose; wait for the last datagram only
      await("STOPPING=1", () -> read(got).contains("STOPPING=1"));
    } finally {
      listener.destroyForcibly();
    }
  }

  private static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
