package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.TierdProcess;
import tierd.kernelfs.KernelFiles;

/**
 * Every command-line error path we can produce prints one line, {@code tierd: <what> (<the fix>)},
 * exits with its code (2: the command line, the config or --root is wrong; 1: the host's state),
 * and prints no stack trace. The second instance (exit 2, the holder's pid) is in {@link
 * tierd.daemon.DaemonProcessTest}.
 */
class CliErrorsTest {

  @TempDir static Path tmp;

  /** Paths the cases use, made in {@link #world()}. */
  static Path badYaml;

  static Path badKey;

  static Path noRuntimeParent;

  static Path runtimeIsAFile;

  static final String FIXTURE = Fixtures.path("fixtures/vm-3node").toString();

  static void world() throws IOException {
    badYaml = Files.writeString(tmp.resolve("bad.yaml"), "interval: [\n");
    badKey = Files.writeString(tmp.resolve("key.yaml"), "interval: 1ms\n");
    noRuntimeParent =
        Files.writeString(
            tmp.resolve("noparent.yaml"), "runtimeDirectory: " + tmp.resolve("no/such/run") + "\n");
    runtimeIsAFile =
        Files.writeString(tmp.resolve("fileruntime.yaml"), "runtimeDirectory: " + badYaml + "\n");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Stream<Arguments> inProcess() throws IOException {
    world();
    return Stream.of(
        Arguments.of(
            "unknown option",
            List.of("run", "--bogus"),
            2,
            "Unknown option: '--bogus' (see: tierd run --help)"),
        Arguments.of(
            "unknown command", List.of("frobnicate"), 2, "'frobnicate' (see: tierd --help)"),
        Arguments.of(
            "option value not a number",
            List.of("run", "--cycles", "abc"),
            2,
            "'abc' is not a long"),
        Arguments.of(
            "missing parameter",
            List.of("config", "check"),
            2,
            "Missing required parameter: 'FILE'"),
        Arguments.of(
            "config file missing",
            List.of("run", "--config", tmp.resolve("none.yaml").toString()),
            2,
            "none.yaml: cannot read: no such file or directory (give the path of a readable YAML"),
        Arguments.of(
            "config file is a directory",
            List.of("plan", "--config", tmp.toString()),
            2,
            ": cannot read: is a directory ("),
        Arguments.of(
            "config not YAML",
            List.of("run", "--config", badYaml.toString()),
            2,
            "bad.yaml:1: not valid YAML"),
        Arguments.of(
            "config value out of range",
            List.of("scan", "--config", badKey.toString()),
            2,
            "key.yaml:1: interval: "),
        Arguments.of(
            "config check of a bad file",
            List.of("config", "check", badKey.toString()),
            2,
            "key.yaml:1: interval: "),
        Arguments.of(
            "--root does not exist",
            List.of("plan", "--root", tmp.resolve("none").toString()),
            2,
            "none: no such file or directory (give a directory laid out like /"),
        Arguments.of(
            "--root is a file",
            List.of("run", "--root", badYaml.toString()),
            2,
            "bad.yaml: not a directory ("),
        Arguments.of(
            "--root is no kernel tree",
            List.of("topology", "--root", tmp.toString()),
            2,
            "sys/devices/system/node/online: absent (this kernel, or the tree given with --root"),
        Arguments.of(
            "--listen not host:port",
            List.of("run", "--root", FIXTURE, "--listen", "9464"),
            2,
            "--listen '9464' must be host:port (e.g. 127.0.0.1:9464"),
        Arguments.of(
            "--windows out of range",
            List.of("plan", "--root", FIXTURE, "--windows", "0"),
            2,
            "--windows 0 is outside [1, 1000] ("),
        Arguments.of(
            "runtime directory cannot be created",
            List.of("run", "--dry-run", "--config", noRuntimeParent.toString()),
            1,
            "no/such/run does not exist, nor does "),
        Arguments.of(
            "runtime directory is a file",
            List.of("run", "--dry-run", "--config", runtimeIsAFile.toString()),
            1,
            "bad.yaml is not a directory (set runtimeDirectory: "),
        Arguments.of(
            "status with no daemon",
            List.of("status", "--listen", "127.0.0.1:" + closedPort()),
            1,
            ": connection refused (is it running?"));
  }

  @RegisterExtension final CapturedLog logged = new CapturedLog(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @ParameterizedTest(name = "{0}")
  @MethodSource("inProcess")
  void anErrorIsOneLineWithItsFix(String name, List<String> args, int code, String message) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.run(
            args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    assertOneLine(exit, out + err.toString(), code, message);
    assertThat(logged.noStackTraceAboveDebug()).as("no stack trace logged").isTrue();
  }

  static void assertOneLine(int exit, String output, int code, String message) {
    List<String> lines = output.lines().toList();
    assertThat(exit).as(output).isEqualTo(code);
    assertThat(lines).filteredOn(l -> l.startsWith("tierd: ")).hasSize(1);
    String line = lines.stream().filter(l -> l.startsWith("tierd: ")).findFirst().orElseThrow();
    assertThat(line).contains(message).matches("tierd: .+ \\(.+\\)");
    assertThat(lines)
        .as("no stack trace")
        .noneMatch(
            l -> l.startsWith("at ") || l.startsWith("\tat ") || l.strip().startsWith("at "));
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(
            "stack overflow", new StackOverflowError(), 70, "fatal JVM error: StackOverflowError"),
        Arguments.of(
            "out of memory",
            new OutOfMemoryError("Java heap space"),
            70,
            "fatal JVM error: OutOfMemoryError: Java heap space (tierd exits; under systemd it is"),
        Arguments.of(
            "a native library outside a cycle",
            new UnsatisfiedLinkError("Unable to load library 'c'"),
            1,
            "unexpected error: UnsatisfiedLinkError: Unable to load library 'c' (a bug in tierd"));
  }

  /** What escapes a command as an Error: a JVM error exits 70 (systemd restarts), others 1. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void anErrorThatEscapesIsOneLineToo(String name, Error error, int code, String message) {
    StringWriter err = new StringWriter();
    int exit =
        Main.guarded(
            () -> {
              throw error;
            },
            new PrintWriter(err, true));
    assertOneLine(exit, err.toString(), code, message);
  }

  // --- As a process: the log is part of the output ---------------------------------------------

  @Test
  void aTakenPortIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      TierdProcess.Result r =
          TierdProcess.run(List.of(), List.of("run", "--root", FIXTURE, "--listen", listen));
      assertOneLine(
          r.code(),
          r.output(),
          1,
          "cannot listen on " + listen + ": address already in use (another program has this port");
      assertThat(r.output().lines()).hasSize(1);
    }
  }

  /** Root without any capability, as a locked-down unit or a container would run it. */
  static final List<String> NO_CAPABILITIES =
      List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all");

  static Stream<Arguments> withoutPermission() throws IOException {
    Path unreadable = Files.writeString(tmp.resolve("secret.yaml"), "interval: 5s\n");
    Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
    Path readOnly = Files.createDirectories(tmp.resolve("ro"));
    Path readOnlyRun = Files.createDirectories(tmp.resolve("ro-run"));
    Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(readOnlyRun, PosixFilePermissions.fromString("r-xr-xr-x"));
    Path inReadOnly =
        Files.writeString(
            tmp.resolve("in-ro.yaml"), "runtimeDirectory: " + readOnly.resolve("run") + "\n");
    Path readOnlyRuntime =
        Files.writeString(tmp.resolve("ro-run.yaml"), "runtimeDirectory: " + readOnlyRun + "\n");
    return Stream.of(
        Arguments.of(
            "config not readable",
            List.of("run", "--config", unreadable.toString()),
            2,
            "secret.yaml: cannot read: permission denied ("),
        Arguments.of(
            "runtime directory cannot be created",
            List.of("run", "--dry-run", "--config", inReadOnly.toString()),
            1,
            "cannot create the runtime directory "
                + readOnly.resolve("run")
                + ": permission denied (run tierd as root"),
        Arguments.of(
            "runtime directory not writable",
            List.of("run", "--dry-run", "--config", readOnlyRuntime.toString()),
            1,
            "cannot open " + readOnlyRun.resolve("tierd.lock") + ": permission denied (run tierd"),
        Arguments.of(
            "privileged port",
            List.of("run", "--root", FIXTURE, "--listen", "127.0.0.1:80"),
            1,
            "cannot listen on 127.0.0.1:80: permission denied (ports below 1024 need"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutPermission")
  void noPermissionIsOneLine(String name, List<String> args, int code, String message)
      throws Exception {
    assumeThat(Files.isExecutable(Path.of("/usr/bin/setpriv")))
        .as("setpriv (util-linux) drops the capabilities")
        .isTrue();
    assumeThat(
            Integer.parseInt(
                KernelFiles.read(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip()))
        .as("port 80 is privileged here")
        .isGreaterThan(80);
    TierdProcess.Result r = TierdProcess.run(NO_CAPABILITIES, args);
    assertOneLine(r.code(), r.output(), code, message);
    assertThat(r.output().lines()).hasSize(1);
  }
}
