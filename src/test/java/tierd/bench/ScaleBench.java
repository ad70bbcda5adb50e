package tierd.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.daemon.CycleReport;
import tierd.daemon.TieringCycle;
import tierd.daemon.TrackingLimits;
import tierd.daemon.Wiring;
import tierd.metrics.MetricNames;
import tierd.metrics.TierdMetrics;

/**
 * The scale benchmark's daemon loop (issue 14, point 5; run by bench/scale.sh under the launcher's
 * JVM flags): the daemon's own cycle, wired as {@code tierd run --dry-run --root TREE} wires it,
 * run {@code --cycles} times, one every {@code --interval} (back to back when a cycle takes
 * longer). The heat source is the tree's (numa-maps-active: one region per VMA with pages) or, with
 * {@code --regions R}, {@link SyntheticHeat} reporting about R regions a window (0: none). What it
 * leaves out is the daemon's, not the benchmark's: the tracking limits come from this JVM's heap.
 *
 * <p>Writes one CSV line per cycle: cycle, ok, wall ms, process CPU ms (every thread: GC and JIT
 * included), VmRSS KiB, managed processes, tracked VMAs, scored regions. No HTTP endpoint: it
 * measures the cycle.
 */
public final class ScaleBench {

  private static final Logger log = LoggerFactory.getLogger(ScaleBench.class);

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    Path root = null;
    Path csv = null;
    long cycles = 1000;
    String interval = "100ms";
    long regions = -1;
    boolean noLimits = false;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--root" -> root = Path.of(value).toAbsolutePath();
        case "--csv" -> csv = Path.of(value);
        case "--cycles" -> cycles = Long.parseLong(value);
        case "--interval" -> interval = value;
        case "--regions" -> regions = Long.parseLong(value);
        case "--no-limits" -> noLimits = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
      i += args[i].equals("--no-limits") ? 0 : 1;
    }
    if (root == null || csv == null) {
      throw new IllegalArgumentException(
          "usage: --root TREE --csv FILE [--cycles N] [--interval D] [--regions R: 0 none,"
              + " default the tree's numa-maps-active] [--no-limits]");
    }
    Path run = Files.createTempDirectory("tierd-scale");
    TierdConfig config =
        TierdConfig.parse(
            "scale.yaml",
            "root: "
                + root
                + "\ninterval: "
                + interval
                + "\nruntimeDirectory: "
                + run
                + "\nprocesses:\n  minRss: 0\nheat:\n  sources: [numa-maps-active]\n"
                + "  warmup: 0s\n");
    TierdMetrics metrics = new TierdMetrics("scale");
    TieringCycle.Parts p = Wiring.wire(config, true, Clock.systemUTC(), metrics).parts();
    if (regions >= 0) {
      long r = regions;
      p =
          new TieringCycle.Parts(
              p.root(),
              p.pageBytes(),
              p.clock(),
              p.mover(),
              p.dryRun(),
              p.placement(),
              () -> new SyntheticHeat(r, config.interval()),
              p.conflicts(),
              p.metrics());
    }
    log.warn(
        "scale: {} cycles every {} over {}, heat {}, tracking limits {}",
        cycles,
        interval,
        root,
        regions > 0
            ? "synthetic " + regions + " regions"
            : regions == 0 ? "none" : "numa-maps-active",
        noLimits ? "none" : TrackingLimits.forHeap(Runtime.getRuntime().maxMemory()));
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Duration every = config.interval();
    try (TieringCycle cycle = new TieringCycle(config, p);
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv))) {
      if (noLimits) {
        cycle.limits(TrackingLimits.NONE); // to measure what an item costs, by running out
      }
      out.println("cycle,ok,wall_ms,cpu_ms,rss_kib,managed,vmas,regions");
      for (long c = 1; c <= cycles; c++) {
        long t0 = System.nanoTime();
        long cpu0 = os.getProcessCpuTime();
        CycleReport r = cycle.run();
        long cpu1 = os.getProcessCpuTime();
        long wall = System.nanoTime() - t0;
        if (!r.ok() || c % 100 == 0) {
          log.warn("{}", r.summary()); // WARN: the run keeps the daemon's INFO lines out
        }
        out.printf(
            "%d,%d,%.2f,%.2f,%d,%d,%d,%d%n",
            c,
            r.ok() ? 1 : 0,
            wall / 1e6,
            (cpu1 - cpu0) / 1e6,
            rssKib(),
            r.managedProcesses(),
            vmas(metrics),
            r.regions());
        long sleep = every.toNanos() - wall;
        if (sleep > 0) {
          Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
      }
    } finally {
      deleteTree(run); // the runtime directory is the run's own: leave nothing behind in /tmp
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** VMAs the last scan tracked (tierd_tracking_used{kind="vmas"}). */
  private static long vmas(TierdMetrics metrics) {
    return (long)
        metrics.registry().get(MetricNames.TRACKING_USED).tag("kind", "vmas").gauge().value();
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
