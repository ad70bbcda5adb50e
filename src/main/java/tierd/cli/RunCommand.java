package tierd.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;
import tierd.config.TierdConfig;
import tierd.daemon.Daemon;
import tierd.daemon.StartupException;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the daemon: one cycle per interval (discover, topology, heat, score, plan, move),"
            + " metrics on /metrics. SIGTERM stops it cleanly, SIGHUP reloads the config.")
final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML); reloaded on SIGHUP.")
  Path config;

  @Option(names = "--dry-run", description = "Record the plan instead of moving pages.")
  boolean dryRun;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description = "Read a fixture tree instead of the running kernel (implies dry-run).")
  Path root;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Metrics address (overrides 'listen'; port 0 picks a free port).")
  String listen;

  @Option(
      names = "--cycles",
      paramLabel = "N",
      description = "Stop after N cycles (0: run until SIGTERM).",
      defaultValue = "0")
  long cycles;

  @Override
  public Integer call() throws Exception {
    TierdConfig c = config == null ? TierdConfig.defaults() : TierdConfig.load(config);
    if (root != null) {
      c = c.withRoot(CommonOptions.existingRoot(root).toAbsolutePath().normalize());
    }
    if (listen != null) {
      TierdConfig.listenProblem(listen)
          .ifPresent(
              problem -> {
                throw new StartupException(
                    StartupException.EXIT_USAGE,
                    "--listen " + problem,
                    "e.g. 127.0.0.1:9464, or 0.0.0.0:9464 for every address of this host");
              });
    }
    Daemon d =
        new Daemon(
            c,
            new Daemon.Options(
                Optional.ofNullable(config), dryRun, Optional.ofNullable(listen), cycles),
            Clock.systemUTC(),
            SystemdNotifier.fromEnvironment(),
            VersionCommand.version());
    // Installed once the daemon holds its lock (until then a signal just ends the JVM), before it
    // serves /healthz. The loop stops itself: these handlers only set flags, so the move_pages call
    // in flight ends
    // normally and the kernel state tierd created is removed before the JVM exits.
    int code =
        d.run(
            () -> {
              Signal.handle(new Signal("TERM"), s -> d.requestStop());
              Signal.handle(new Signal("INT"), s -> d.requestStop());
              Signal.handle(new Signal("HUP"), s -> d.requestReload());
            });
    log.debug("exit {}", code);
    return code;
  }
}
