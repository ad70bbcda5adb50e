package tierd.heat.select;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.heat.damon.DamonConfig;
import tierd.heat.damon.DamonFs;
import tierd.heat.damon.DamonLeftovers;
import tierd.heat.damon.DamonStateFile;
import tierd.heat.damon.DamonStatus;
import tierd.heat.damon.Owner;
import tierd.heat.damon.SysfsDamonFs;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.process.ProcessScanner;

/**
 * Runs the heat sources against a live tierd-workload in the VM guest (src/test/vm/scenarios/
 * heat.sh) and prints, per source, the measured access fraction and rate of each buffer of the
 * workload's start report. Several steps per JVM, because a JVM start costs ~20 s under TCG.
 *
 * <pre>
 * measure  --pid P --report FILE [--runtime-dir D] [--sources a,b] [--cycles N] [--interval-ms M]
 *          [--hold]     then open damon-vaddr again, print HOLDING and wait to be killed
 *          (a hot-half buffer is measured whole and as NAME/hot_set and NAME/rest)
 * recover  --runtime-dir D   the start-up cleanup of a killed tierd's kdamond, and what is left
 * </pre>
 *
 * Output lines start with a keyword so that the script can grep them: {@code PROBE}, {@code
 * SOURCE}, {@code CYCLE}, {@code HEAT}, {@code SKIP}, {@code NR_KDAMONDS}, {@code HOLDING}, {@code
 * RECOVER}.
 */
public final class HeatProbeMain {

  private static final PrintStream out = System.out;

  private HeatProbeMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = options(args);
    KernelRoot root = KernelRoot.host();
    DamonFs fs = new SysfsDamonFs(root);
    Path runtime = Path.of(a.getOrDefault("runtime-dir", "/run/tierd"));
    String cmd = a.getOrDefault("cmd", "measure");
    if (cmd.equals("recover")) {
      if (!"1".equals(System.getenv("TIERD_VM"))) {
        throw new IllegalStateException("recover writes to DAMON: VM only (TIERD_VM=1)");
      }
      recover(root, fs, runtime);
      return;
    }
    int pid = Integer.parseInt(a.get("pid"));
    Map<String, AddressRange> buffers = buffers(Path.of(a.get("report")));
    int cycles = Integer.parseInt(a.getOrDefault("cycles", "6"));
    long intervalMs = Long.parseLong(a.getOrDefault("interval-ms", "1000"));
    List<SourceKind> kinds =
        HeatConfig.parsePreference(
            List.of(
                a.getOrDefault(
                        "sources", "damon-vaddr,damon-paddr,idle-page,clear-refs,numa-maps-active")
                    .split(",")));
    boolean inVm = "1".equals(System.getenv("TIERD_VM"));
    if (!inVm && (kinds.stream().anyMatch(SourceKind::isDamon) || a.containsKey("hold"))) {
      // The dev host runs its own DAMON user: tierd's kdamond is exercised in the VM only.
      throw new IllegalStateException("DAMON sources and --hold run only in the VM (TIERD_VM=1)");
    }
    HeatConfig config =
        HeatConfig.defaults().withRuntimeDir(runtime).withDamon(DamonConfig.defaults());
    HeatSources.Env env = HeatSources.host(root, fs);

    ManagedProcess p =
        new ProcessScanner(root)
            .read(pid, ProcessFilter.all(ProcessHandle.current().pid()))
            .orElseThrow(() -> new IllegalStateException("pid " + pid + " not found"));
    HeatProbes probes = HeatProbes.read(root, fs, runtime, env.self());
    out.println(
        "PROBE " + SourceChooser.choose(probes, List.of(SourceKind.values())).explanation());
    int nrBefore = nrKdamonds(fs);
    out.println("NR_KDAMONDS before=" + nrBefore);

    for (SourceKind k : kinds) {
      HeatSource s;
      try {
        s = HeatSources.open(k, config, env);
      } catch (HeatSourceUnavailableException e) {
        out.println("SKIP source=" + k.label() + " reason=" + e.reason());
        continue;
      }
      out.println("SOURCE " + k.label() + " opened");
      Map<String, double[]> totals = new LinkedHashMap<>(); // name -> {fraction sum, rate sum, n}
      try {
        s.update(List.of(p));
        s.collect(); // accessed-bit sources: start the window; DAMON: let regions adapt
        int warmup = k.isDamon() ? 3 : 0;
        for (int c = 1; c <= warmup + cycles; c++) {
          Thread.sleep(intervalMs);
          List<RegionSample> samples = s.collect();
          StringBuilder line = new StringBuilder("CYCLE " + k.label() + " " + c);
          for (var b : buffers.entrySet()) {
            double[] m = measure(samples, b.getValue());
            line.append(String.format(" %s=%.3f/%.1fps", b.getKey(), m[0], m[1]));
            if (c > warmup && !Double.isNaN(m[0])) {
              double[] t = totals.computeIfAbsent(b.getKey(), x -> new double[3]);
              t[0] += m[0];
              t[1] += m[1];
              t[2]++;
            }
          }
          out.println(line.append(" samples=").append(samples.size()));
        }
      } catch (RuntimeException e) {
        out.println("ERROR source=" + k.label() + " " + e);
        continue;
      } finally {
        s.close();
      }
      StringBuilder heat = new StringBuilder("HEAT source=" + k.label());
      for (var b : buffers.keySet()) {
        double[] t = totals.get(b);
        double f = t == null || t[2] == 0 ? Double.NaN : t[0] / t[2];
        double r = t == null || t[2] == 0 ? Double.NaN : t[1] / t[2];
        heat.append(String.format(" %s_fraction=%.4f %s_rate=%.2f", b, f, b, r));
      }
      out.println(heat);
      if (k.isDamon()) {
        out.println(
            "NR_KDAMONDS after_close source="
                + k.label()
                + " value="
                + nrKdamonds(fs)
                + " before="
                + nrBefore
                + " state_file="
                + Files.exists(DamonStateFile.path(runtime)));
      }
    }

    if (a.containsKey("hold")) {
      HeatSource s = HeatSources.open(SourceKind.DAMON_VADDR, config, env);
      s.update(List.of(p));
      s.collect();
      out.println(
          "HOLDING jvm="
              + ProcessHandle.current().pid()
              + " nr_kdamonds="
              + nrKdamonds(fs)
              + " state_file="
              + Files.exists(DamonStateFile.path(runtime)));
      out.flush();
      Thread.sleep(Duration.ofMinutes(10).toMillis());
      s.close();
    }
  }

  /** A restart after kill -9: what the start-up check sees, then a normal open and close. */
  static void recover(KernelRoot root, DamonFs fs, Path runtime) {
    out.println(
        "RECOVER before nr_kdamonds="
            + nrKdamonds(fs)
            + " state_file="
            + Files.exists(DamonStateFile.path(runtime))
            + " running="
            + DamonStatus.read(fs).anyRunning());
    ProcessId self = Owner.self(root);
    DamonLeftovers.Outcome o = DamonLeftovers.inspect(fs, root, runtime, self);
    out.println("RECOVER outcome=" + o.kind() + " message=" + o.message());
    HeatConfig config = HeatConfig.defaults().withRuntimeDir(runtime);
    try (HeatSource s =
        HeatSources.open(
            SourceKind.DAMON_VADDR,
            config,
            new HeatSources.Env(root, fs, self, System::nanoTime, Sleeper.real()))) {
      DamonStateFile rec = DamonStateFile.read(runtime).orElseThrow();
      out.println(
          "RECOVER reopened nr_kdamonds="
              + nrKdamonds(fs)
              + " state_owner="
              + rec.owner().pid()
              + " self="
              + self.pid());
    }
    out.println(
        "RECOVER after nr_kdamonds="
            + nrKdamonds(fs)
            + " state_file="
            + Files.exists(DamonStateFile.path(runtime)));
  }

  /** Byte-weighted access fraction and accesses per second of the samples over {@code r}. */
  static double[] measure(List<RegionSample> samples, AddressRange r) {
    double f = 0;
    double rate = 0;
    long bytes = 0;
    for (RegionSample s : samples) {
      long o = s.range().overlapBytes(r);
      f += o * s.accessFraction();
      rate += o * s.accessRatePerSecond();
      bytes += o;
    }
    return bytes == 0
        ? new double[] {Double.NaN, Double.NaN}
        : new double[] {f / bytes, rate / bytes};
  }

  static int nrKdamonds(DamonFs fs) {
    return fs.exists("kdamonds/nr_kdamonds")
        ? DamonStatus.parseCount(fs.read("kdamonds/nr_kdamonds"), "nr_kdamonds")
        : -1;
  }

  /**
   * Buffer name to VMA range from the workload's first (start) report line. A buffer with a {@code
   * hot_set} (a hot-half buffer: its written first half) also gives {@code NAME/hot_set} and {@code
   * NAME/rest}, the two parts of its one VMA.
   */
  static Map<String, AddressRange> buffers(Path report) throws Exception {
    JsonNode start = new ObjectMapper().readTree(Files.readAllLines(report).get(0));
    Map<String, AddressRange> out = new LinkedHashMap<>();
    for (JsonNode b : start.get("buffers")) {
      String name = b.get("name").asText();
      AddressRange vma = new AddressRange(b.get("start").asLong(), b.get("end").asLong());
      out.put(name, vma);
      if (b.has("hot_set")) {
        long split =
            vma.start() + b.get("hot_set").get("pages").asLong() * b.get("page_size").asLong();
        out.put(name + "/hot_set", new AddressRange(vma.start(), split));
        out.put(name + "/rest", new AddressRange(split, vma.end()));
      }
    }
    return out;
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> m = new LinkedHashMap<>();
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String k = args[i].substring(2);
        if (k.equals("hold")) {
          m.put(k, "true");
        } else {
          m.put(k, args[++i]);
        }
      } else {
        rest.add(args[i]);
      }
    }
    if (!rest.isEmpty()) {
      m.put("cmd", rest.get(0));
    }
    return m;
  }
}
