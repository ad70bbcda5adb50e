package tierd.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.config.Units;
import tierd.daemon.CycleReport;
import tierd.planner.Explain;
import tierd.profile.ProfileConfig;
import tierd.profile.ProfileHistory;
import tierd.profile.ProfileJson;
import tierd.profile.ProfileSummary;
import tierd.whatif.WhatIfConfig;

@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Watch the managed processes' memory for a while and report how much of it is hot, warm"
            + " and cold, how long it has been idle, and how big a fast tier its accesses need (the"
            + " sizing curve). Runs on any host, dry: nothing moves. See docs/profile.md.")
final class ProfileCommand implements Callable<Integer> {

  static final Duration MAX_DURATION = Duration.ofHours(24);

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (YAML): process filters, heat sources, interval, ...")
  Path config;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Profile a fixture tree instead of the running kernel (heat from the tree's DAMON"
              + " results; windows take no time; the tree is never written).")
  Path root;

  @Option(
      names = "--duration",
      paramLabel = "D",
      description = "How long to watch (e.g. 30s, 2m, 1h; at most 24h). Default: ${DEFAULT-VALUE}.",
      defaultValue = "2m")
  String duration;

  @Option(names = "--json", description = "Print the profile as JSON instead of tables.")
  boolean json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML report with charts to FILE.")
  Path html;

  @Option(
      names = "--what-if",
      paramLabel = "fast=SIZE",
      description =
          "On a host with one memory tier, also plan against a simulated fast tier of SIZE (e.g."
              + " fast=8GiB) and a slow one with the rest; nothing moves.")
  String whatIf;

  @Option(
      names = "--top",
      paramLabel = "N",
      description = "Processes listed (largest first). Default: ${DEFAULT-VALUE}.",
      defaultValue = "10")
  int top;

  @Option(
      names = "--progress",
      paramLabel = "D",
      description = "A progress line on stderr this often (0s: none). Default: ${DEFAULT-VALUE}.",
      defaultValue = "10s")
  String progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Duration watch = option("--duration", duration);
    Duration every = option("--progress", progress);
    if (top < 1) {
      throw new IllegalArgumentException("--top: " + top + " is not a positive number");
    }
    TierdConfig c = config == null ? TierdConfig.defaults() : TierdConfig.load(config);
    if (root != null) {
      c = c.withRoot(CommonOptions.existingRoot(root).toAbsolutePath().normalize());
    }
    if (whatIf != null) {
      c = c.withWhatIf(WhatIfConfig.parseOption(whatIf));
    }
    // Asked for by a person, for a bounded time: heat every interval, whatever profile.cpuBudget.
    c = c.withProfile(ProfileConfig.EVERY_CYCLE);
    if (watch.compareTo(c.interval()) < 0 || watch.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "--duration: "
              + Units.formatDuration(watch)
              + " is outside [the interval "
              + Units.formatDuration(c.interval())
              + ", 24h]");
    }
    // A short profile could not tell cold from warm: scoring.coldMinAge (2 min by default) is
    // shortened to half the duration, so that what stayed idle for most of the run is cold.
    var scoring = c.stages().scoring();
    Duration half = watch.dividedBy(2);
    if (scoring.coldMinAge().compareTo(half) > 0) {
      c = c.withStages(c.stages().withScoring(scoring.toBuilder().coldMinAge(half).build()));
    }
    ProfileHistory history =
        new ProfileHistory(
            watch.compareTo(ProfileHistory.HOT_SET_SPAN) > 0 ? watch : ProfileHistory.HOT_SET_SPAN,
            true,
            720);
    CycleReport last = null;
    try (Windows w = Windows.open(c)) {
      w.cycle().profileInto(history);
      Duration nextProgress = every;
      for (long i = 0; ; i++) {
        w.awaitWindow(i);
        last = w.cycle().run();
        if (!last.ok()) {
          err.println("tierd: window " + (i + 1) + " failed: " + last.summary());
        }
        // the last window is the one due at the duration, or the one running when it passed (a
        // cycle longer than the interval on a busy host)
        boolean done =
            c.interval().multipliedBy(i + 1).compareTo(watch) > 0
                || w.elapsed().compareTo(watch) >= 0;
        if (!every.isZero() && (w.elapsed().compareTo(nextProgress) >= 0 || done)) {
          err.println(progressLine(w, watch, history));
          err.flush();
          nextProgress = w.elapsed().plus(every);
        }
        if (done) {
          break;
        }
      }
      var summary = history.summary();
      if (summary.isEmpty()) {
        err.println(
            "tierd: no profile: no window was scored"
                + (last == null ? "" : " (last: " + last.summary() + ")"));
        return 1;
      }
      ProfileReport report =
          new ProfileReport(
              summary.get(),
              history.windows(),
              w.cycle().heatSourceName(),
              watch,
              c.interval(),
              last != null && last.whatIf() ? w.cycle().lastPlan() : null,
              c.whatIf().fast().map(s -> s.bytes()).orElse(null),
              top);
      var out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(json(report)));
      } else {
        out.print(report.text());
      }
      out.flush();
      if (html != null) {
        // JFreeChart and AWT load only here: the other commands never pay for them.
        ProfileHtml.write(html, report);
        err.println("wrote " + html);
      }
      return 0;
    }
  }

  private static Duration option(String name, String text) {
    try {
      return Units.duration(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static String progressLine(Windows w, Duration watch, ProfileHistory history) {
    String what =
        history.summary().map(ProfileSummary::sentence).orElse("no window scored yet (warm-up)");
    return "profile "
        + ProfileHistory.words(w.elapsed())
        + " of "
        + ProfileHistory.words(watch)
        + " via "
        + w.cycle().heatSourceName()
        + ": "
        + what;
  }

  private static Map<String, Object> json(ProfileReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("heatSource", r.heatSource());
    m.put("durationSeconds", r.duration().toSeconds());
    m.put("intervalSeconds", r.interval().toMillis() / 1000.0);
    m.putAll(ProfileJson.summary(r.summary(), r.top()));
    m.put("series", ProfileJson.series(r.windows()));
    m.put("processSeries", r.processSeriesJson());
    if (r.whatIfFastBytes() != null) {
      Map<String, Object> wi = new LinkedHashMap<>();
      wi.put("fastBytes", r.whatIfFastBytes());
      wi.put("servedShare", r.whatIfServedShare());
      wi.put("plan", r.plan() == null ? null : Explain.json(r.plan()));
      m.put("whatIf", wi);
    }
    return m;
  }
}
