package tierd.cli;

import java.nio.file.Path;
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
import tierd.planner.Explain;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.whatif.WhatIfConfig;

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

  @Option(
      names = "--what-if",
      paramLabel = "fast=SIZE",
      description =
          "On a host with one memory tier, plan against a simulated fast tier of SIZE (e.g."
              + " fast=8GiB) and a slow one with the rest of the memory. Nothing moves.")
  String whatIf;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    TierdConfig c = config == null ? TierdConfig.defaults() : TierdConfig.load(config);
    if (root != null) {
      c = c.withRoot(CommonOptions.existingRoot(root).toAbsolutePath().normalize());
    }
    if (whatIf != null) {
      c = c.withWhatIf(WhatIfConfig.parseOption(whatIf));
    }
    var err = spec.commandLine().getErr();
    CycleReport last = null;
    try (Windows w = Windows.open(c)) {
      TierdConfig run = w.config();
      long warmupWindows =
          (run.stages().heat().warmup().toMillis() + run.interval().toMillis() - 1)
              / run.interval().toMillis();
      int n =
          windows != null
              ? windows
              : (int) Math.min(1000, warmupWindows + run.stages().scoring().confirmWindows() + 1);
      if (n < 1 || n > 1000) {
        err.println(
            "tierd: --windows "
                + n
                + " is outside [1, 1000] (give the number of scoring windows to observe)");
        return 2;
      }
      TieringCycle cycle = w.cycle();
      for (int i = 1; i <= n; i++) {
        w.awaitWindow(i - 1);
        last = cycle.run();
        err.printf("window %d/%d: %s%n", i, n, last.summary());
        err.flush();
        if (!last.tiered()) {
          break;
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
                ? "one memory tier: nothing to tier, no plan (--what-if fast=SIZE plans against a"
                    + " simulated fast tier; tierd profile shows the hot set and idle memory)"
                : "no plan (no managed process?)");
        out.flush();
        return 0;
      }
      if (json) {
        Map<String, Object> j = new LinkedHashMap<>(Explain.json(plan));
        j.put("windows", n);
        j.put("heatSource", cycle.heatSourceName());
        j.put("whatIf", last.whatIf());
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
