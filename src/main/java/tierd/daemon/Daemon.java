package tierd.daemon;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.ConfigException;
import tierd.config.TierdConfig;
import tierd.kernelfs.KernelFiles;
import tierd.metrics.MetricsServer;
import tierd.metrics.TierdMetrics;

/**
 * The daemon: one {@link TieringCycle} per interval until SIGTERM/SIGINT, with the metrics
 * endpoint, systemd notifications and SIGHUP reloads.
 *
 * <ul>
 *   <li>One per host: on the running kernel it holds {@link InstanceLock} in its runtime directory.
 *   <li>The loop never dies: a failed cycle is logged and counted, and the next one runs on time;
 *       around each iteration a last-resort boundary catches what the cycle's own ({@link
 *       StageRunner}) does not. Only a VirtualMachineError ends it, and the process with it.
 *   <li>WATCHDOG=1 is sent by the loop thread itself, also while it waits between cycles, so only a
 *       loop that is really stuck misses it.
 *   <li>SIGTERM lets the move_pages call in flight finish, stops the cycle, removes the kernel
 *       state tierd created (its kdamond) and exits 0.
 *   <li>SIGHUP re-reads the config file; an invalid one is rejected with the reason and the running
 *       config stays. {@code root}, {@code listen} and {@code runtimeDirectory} apply on restart.
 * </ul>
 */
public final class Daemon {

  private static final Logger log = LoggerFactory.getLogger(Daemon.class);

  /** Options from the command line. */
  public record Options(
      Optional<Path> configFile, boolean forceDryRun, Optional<String> listen, long maxCycles) {}

  private final Options options;
  private final Clock clock;
  private final Notifier notifier;
  private final String version;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean reload = new AtomicBoolean();
  private final Object wake = new Object();
  private final DaemonStatus status;
  private volatile TierdConfig config;
  private volatile Thread loopThread;

  public Daemon(
      TierdConfig config, Options options, Clock clock, Notifier notifier, String version) {
    this.config = config;
    this.options = options;
    this.clock = clock;
    this.notifier = notifier;
    this.version = version;
    this.status = new DaemonStatus(version, clock, options.configFile(), config.interval());
  }

  /** Asks the loop to stop after the move_pages call in flight. Safe from any thread. */
  public void requestStop() {
    stop.set(true);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Asks the loop to reload the config before its next cycle. Safe from any thread. */
  public void requestReload() {
    reload.set(true);
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Runs until stopped (or {@code maxCycles} cycles); returns the exit code. */
  public int run() throws IOException {
    return run(() -> {});
  }

  /**
   * Runs until stopped (or {@code maxCycles} cycles); returns the exit code. On the running kernel
   * it first takes the {@link InstanceLock}. {@code locked} runs next, before the endpoint is up
   * (the CLI installs its signal handlers there: a SIGHUP sent once /healthz answers finds them).
   *
   * @throws StartupException when tierd cannot start: the lock is held, the address is taken, ...
   */
  public int run(Runnable locked) throws IOException {
    loopThread = Thread.currentThread();
    // A fixture tree (--root) changes nothing on the host: no lock, any number of them.
    try (InstanceLock lock =
        config.kernelRoot().isHost() ? InstanceLock.acquire(config.runtimeDirectory()) : null) {
      if (lock != null) {
        log.debug("holding {}", lock.path());
      }
      locked.run();
      return serve();
    }
  }

  private int serve() throws IOException {
    TierdMetrics metrics = new TierdMetrics(version);
    String listen = options.listen().orElse(config.listen());
    // The address first: when it is taken, that one line is all tierd prints.
    try (MetricsServer server = listen(listen, metrics)) {
      Wiring.Wired wired = Wiring.wire(config, options.forceDryRun(), clock, metrics);
      status.dryRunReason(wired.dryRunReason());
      boolean probeSaidSo = !options.forceDryRun() && !config.dryRun() && wired.probeForbidsMoves();
      if (!probeSaidSo) {
        // (when the capability probe forced the dry run, the mover factory has said why already)
        wired
            .dryRunReason()
            .ifPresent(r -> log.info("dry-run: {}; tierd records moves instead of making them", r));
      }
      metrics.dryRun(wired.parts().dryRun());
      try (TieringCycle cycle = new TieringCycle(config, cancellable(wired.parts()))) {
        log.info(
            "tierd {} serving metrics on http://{}:{}/metrics, interval {}ms{}",
            version,
            listen.substring(0, listen.lastIndexOf(':')),
            server.port(),
            config.interval().toMillis(),
            wired.parts().dryRun() ? ", dry-run" : "");
        notifier.ready();
        loop(cycle, metrics);
        notifier.stopping();
        log.info("stopping: removing the kernel state tierd created");
      }
    }
    log.info("tierd stopped");
    return 0;
  }

  /**
   * One cycle per interval until stopped. The last-resort boundary: whatever one iteration throws
   * (a bug in reload, in the status line, in the notifier) is logged, counted as
   * tierd_cycle_failures_total{stage="loop"}, and the next iteration runs on time. Only a
   * VirtualMachineError ends the loop, and the process.
   */
  private void loop(TieringCycle cycle, TierdMetrics metrics) {
    FailureLog loopFailures = new FailureLog(log, clock);
    metrics.cycleFailureStages(java.util.List.of(LOOP_STAGE));
    long cycles = 0;
    Duration watchdog = watchdogInterval();
    Cadence cadence = new Cadence(config.interval(), config.busyInterval());
    while (!stop.get()) {
      Instant cycleStart = clock.instant();
      cycles++;
      try {
        iteration(cycle, metrics);
        loopFailures.succeeded(cycles);
      } catch (Throwable t) {
        if (StageRunner.isFatal(t)) {
          throw t;
        }
        loopFailures.failed(cycles, LOOP_STAGE, t);
        metrics.cycleFailure(LOOP_STAGE);
        if (t instanceof LinkageError) {
          cycle.switchToDryRun(LOOP_STAGE, t);
          nativeFailure(cycle);
        }
      }
      if (options.maxCycles() > 0 && cycles >= options.maxCycles()) {
        break;
      }
      CycleReport report = status.last();
      cadence = cadence.with(config.interval(), config.busyInterval());
      Duration wait =
          report == null ? config.interval() : cadence.after(report, cycle.warmingProcesses());
      waitUntil(
          cycleStart.plus(wait),
          cycleStart.plus(config.busyInterval()),
          cycle::heatSurged,
          watchdog);
    }
  }

  /** The stage label of a failure outside the cycle's own stages. */
  static final String LOOP_STAGE = "loop";

  private void iteration(TieringCycle cycle, TierdMetrics metrics) {
    if (reload.getAndSet(false)) {
      reload(cycle, metrics);
    }
    CycleReport r = cycle.run();
    status.cycleEnded(r);
    nativeFailure(cycle);
    // A failed cycle's reason is logged by the cycle, once, not in every summary.
    log.info("{}", r.summary());
    notifier.status(DaemonStatus.shortStatus(r));
    notifier.watchdog();
  }

  /** After a native failure the cycle runs dry: /status says why, once. */
  private void nativeFailure(TieringCycle cycle) {
    if (!saidNativeFailure && cycle.nativeFailure().isPresent()) {
      saidNativeFailure = true;
      String why = cycle.nativeFailure().get();
      status.dryRunReason(Optional.of(status.dryRunReason().map(r -> r + "; ").orElse("") + why));
    }
  }

  private boolean saidNativeFailure;

  /** The endpoint on {@code listen} (host:port); a StartupException says why it cannot be had. */
  private MetricsServer listen(String listen, TierdMetrics metrics) {
    int colon = listen.lastIndexOf(':');
    try {
      return new MetricsServer(
          listen.substring(0, colon),
          Integer.parseInt(listen.substring(colon + 1)),
          metrics,
          status::healthProblem,
          status::json);
    } catch (IOException e) {
      String reason = KernelFiles.reason(e);
      String fix =
          switch (reason) {
            case "address already in use" ->
                "another program has this port, ss -ltnp shows"
                    + " which; set listen: in the config or --listen to a free one";
            case "permission denied" ->
                "ports below 1024 need CAP_NET_BIND_SERVICE;"
                    + " set listen: in the config or --listen to a higher port";
            default ->
                "set listen: in the config or --listen to an address of this host,"
                    + " e.g. 127.0.0.1:9464";
          };
      throw new StartupException(
          StartupException.EXIT_HOST, "cannot listen on " + listen + ": " + reason, fix);
    }
  }

  /** A mover progress hook that ends the move stage at the next batch once a stop is requested. */
  private TieringCycle.Parts cancellable(TieringCycle.Parts p) {
    return new TieringCycle.Parts(
        p.root(),
        p.pageBytes(),
        p.clock(),
        (requests, limits, progress) ->
            p.mover()
                .move(
                    requests,
                    limits,
                    (done, total) -> {
                      progress.progress(done, total);
                      if (stop.get()) {
                        throw new StopRequested(done, total);
                      }
                    }),
        p.dryRun(),
        p.placement(),
        p.heat(),
        p.conflicts(),
        p.metrics());
  }

  /** Thrown from the mover's progress hook to end a move early on SIGTERM. */
  static final class StopRequested extends StageRunner.Cancellation {
    private static final long serialVersionUID = 1L;

    StopRequested(long done, long total) {
      super("stop requested after " + done + " of " + total + " pages");
    }
  }

  private void reload(TieringCycle cycle, TierdMetrics metrics) {
    Path file = options.configFile().orElse(null);
    notifier.reloading();
    try {
      if (file == null) {
        log.info("SIGHUP: no config file was given; nothing to reload");
        metrics.configReload(true);
        return;
      }
      TierdConfig next = TierdConfig.load(file);
      for (String fixed : config.restartOnlyChanges(next)) {
        log.warn("config reload: '{}' changed; it applies only after a restart", fixed);
      }
      cycle.apply(next);
      config = next;
      status.interval(next.interval());
      metrics.configReload(true);
      log.info("config reloaded from {}", file);
    } catch (ConfigException e) {
      metrics.configReload(false);
      log.error("config reload rejected, keeping the running config: {}", e.getMessage());
    } finally {
      notifier.ready();
    }
  }

  /** Half of WATCHDOG_USEC, as sd_watchdog_enabled(3) recommends, or null without a watchdog. */
  private static Duration watchdogInterval() {
    String usec = System.getenv("WATCHDOG_USEC");
    if (usec == null) {
      return null;
    }
    try {
      return Duration.ofNanos(Long.parseLong(usec.strip()) * 1000 / 2);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How often a quiet wait asks the heat source whether a load started. */
  static final Duration SURGE_POLL = Duration.ofMillis(250);

  /** The wait must not fail: a source that throws here fails in the next collect, and says so. */
  private static boolean surgedSafely(BooleanSupplier surged) {
    try {
      return surged.getAsBoolean();
    } catch (RuntimeException e) {
      log.debug("asking the heat source for a surge failed", e);
      return false;
    }
  }

  /**
   * Waits until {@code deadline}, or from {@code earliest} on until the heat source shows that a
   * load started ({@code surged}; {@link tierd.heat.HeatSource#surged()}), so that a workload that
   * starts while the host is quiet is not left waiting out the quiet interval.
   */
  private void waitUntil(
      Instant deadline, Instant earliest, BooleanSupplier surged, Duration watchdog) {
    boolean mayEndEarly = earliest.isBefore(deadline);
    while (!stop.get() && !reload.get()) {
      Instant now = clock.instant();
      long ms = Duration.between(now, deadline).toMillis();
      if (ms <= 0) {
        return;
      }
      if (mayEndEarly && !now.isBefore(earliest) && surgedSafely(surged)) {
        log.info(
            "heat source shows a load that started: next cycle now, {} ms before the quiet"
                + " interval's end",
            ms);
        return;
      }
      long slice = watchdog == null ? ms : Math.min(ms, Math.max(1, watchdog.toMillis()));
      if (mayEndEarly) {
        slice = Math.min(slice, SURGE_POLL.toMillis());
      }
      synchronized (wake) {
        try {
          wake.wait(slice);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stop.set(true);
          return;
        }
      }
      if (watchdog != null) {
        try {
          notifier.watchdog();
        } catch (RuntimeException | LinkageError e) {
          // The wait must not fail; the iteration's own ping meets the same failure and counts it.
          log.debug("watchdog ping between cycles failed", e);
        }
      }
    }
  }
}
