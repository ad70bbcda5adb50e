package tierd.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.daemon.CycleReport;
import tierd.daemon.TieringCycle;
import tierd.daemon.Wiring;
import tierd.metrics.TierdMetrics;
import tierd.planner.Explain;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;

@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Run the pipeline in dry-run for a few windows and print the plan: every move with its"
            + " reason and, with --explain, every skipped candidate with why.")
final class PlanCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML).")
  Path config;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Plan over a fixture tree instead of the running kernel (heat from the tree's DAMON"
              + " results; the tree is never written).")
  Path root;

  @Option(names = "--explain", description = "Also list skipped candidates and node projections.")
  boolean explain;

  @Option(names = "--json", description = "Print the plan as JSON.")
  boolean json;

  @Option(
      names = "--windows",
      paramLabel = "N",
      description =
          "Scoring windows to observe before printing (default: enough for heat.warmup, then"
              + " scoring.confirmWindows + 1, so that hot regions can be confirmed).")
  Integer windows;

  @Spec CommandSpec spec;

  /** A clock that moves only when told to: a fixture tree is a snapshot, so its time is ours. */
  static final class SteppingClock extends Clock {
    private Instant now;

    SteppingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Override
  public Integer call() throws Exception {
    TierdConfig c = config == null ? TierdConfig.defaults() : TierdConfig.load(config);
    if (root != null) {
      c = RunCommand.withRoot(c, root);
    }
    boolean fixture = !c.kernelRoot().isHost();
    if (fixture) {
      // A captured tree holds DAMON results that have already converged: no warm-up.
      c =
          RunCommand.withStages(
              c, c.stages().withHeat(c.stages().heat().withWarmup(Duration.ZERO)));
    }
    long warmupWindows =
        fixture
            ? 0
            : (c.stages().heat().warmup().toMillis() + c.interval().toMillis() - 1)
                / c.interval().toMillis();
    int n =
        windows != null
            ? windows
            : (int) Math.min(1000, warmupWindows + c.stages().scoring().confirmWindows() + 1);
    if (n < 1 || n > 1000) {
      spec.commandLine()
          .getErr()
          .println(
              "tierd: --windows "
                  + n
                  + " is outside [1, 1000] (give the number of scoring windows to observe)");
      return 2;
    }
    SteppingClock stepping = new SteppingClock(Instant.now());
    Clock clock = fixture ? stepping : Clock.systemUTC();
    var err = spec.commandLine().getErr();
    Wiring.Wired wired = Wiring.wire(c, true, clock, new TierdMetrics(VersionCommand.version()));
    CycleReport last = null;
    try (TieringCycle cycle = new TieringCycle(c, wired.parts())) {
      for (int i = 1; i <= n; i++) {
        last = cycle.run();
        err.printf("window %d/%d: %s%n", i, n, last.summary());
        err.flush();
        if (!last.tiered()) {
          break;
        }
        if (i < n) {
          if (fixture) {
            stepping.advance(c.interval());
          } else {
            Thread.sleep(c.interval().toMillis());
          }
        }
      }
      MigrationPlan plan = cycle.lastPlan();
      var out = spec.commandLine().getOut();
      if (last != null && !last.ok()) {
        err.println("tierd: the last window failed in " + last.failedStage() + ": " + last.error());
        return 1;
      }
      if (plan == null) {
        out.println(
            last != null && !last.tiered()
                ? "one memory tier: nothing to tier, no plan"
                : "no plan (no managed process?)");
        out.flush();
        return 0;
      }
      if (json) {
        Map<String, Object> j = new LinkedHashMap<>(Explain.json(plan));
        j.put("windows", n);
        j.put("heatSource", cycle.heatSourceName());
        out.println(Json.write(j));
      } else if (explain) {
        Explain.lines(plan).forEach(out::println);
      } else {
        out.println(Explain.lines(plan).get(0));
        for (Move m : plan.moves()) {
          out.println(Explain.moveLine(m));
        }
        long skipped = plan.skipCounts().values().stream().mapToLong(Long::longValue).sum();
        if (skipped > 0) {
          out.println(skipped + " candidates skipped (--explain lists them with the reason)");
        }
      }
      out.flush();
      return 0;
    }
  }
}
