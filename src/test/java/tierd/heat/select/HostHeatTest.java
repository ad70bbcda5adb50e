package tierd.heat.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.heat.Sleeper;
import tierd.heat.SourceKind;
import tierd.heat.damon.Owner;
import tierd.heat.damon.ReadOnlyDamonFs;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.process.ProcessScanner;

/**
 * Source selection on this machine's real kernel. The host runs its own DAMON user (a paddr pageout
 * kdamond, on or off at any time), so the DAMON tree is only ever read: every access goes through a
 * guard that fails the test on any write, and the whole {@code /sys/kernel/mm/damon} tree is
 * snapshotted before and compared after. The fallback source then runs for real on a child process
 * with a hot and a cold buffer, driven step by step over a pipe (no sleeps).
 */
class HostHeatTest {

  private static final Logger log = LoggerFactory.getLogger(HostHeatTest.class);
  private static final KernelRoot HOST = KernelRoot.host();

  /** Files the kernel refreshes on a foreign user's own commands; not compared. */
  private static boolean volatileFile(String rel) {
    return rel.contains("/stats/")
        || rel.contains("/tried_regions/")
        || rel.endsWith("/effective_bytes")
        || rel.endsWith("/current_value");
  }

  static Map<String, String> before;

  static Map<String, String> snapshotDamon() throws IOException {
    Path base = HOST.sys("kernel/mm/damon");
    Map<String, String> out = new TreeMap<>();
    if (!Files.isDirectory(base)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(base)) {
      for (Path p : s.toList()) {
        String rel = base.relativize(p).toString();
        if (Files.isDirectory(p)) {
          out.put(rel + "/", "");
        } else if (!volatileFile("/" + rel)) {
          String v;
          try {
            v = KernelFiles.read(p);
          } catch (KernelFsException e) {
            v = "<" + e.kind() + ">";
          }
          out.put(rel, v);
        }
      }
    }
    return out;
  }

  @BeforeAll
  static void snapshot() throws IOException {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    before = snapshotDamon();
  }

  @AfterAll
  static void damonTreeUntouched() throws IOException {
    if (before != null) {
      assertThat(snapshotDamon()).as("/sys/kernel/mm/damon after the tests").isEqualTo(before);
    }
  }

  @Test
  void selectionSeesWhateverDamonStateThereIs(@TempDir Path runtime) {
    ReadOnlyDamonFs fs = new ReadOnlyDamonFs(HOST);
    HeatProbes probes = HeatProbes.read(HOST, fs, runtime, Owner.self(HOST));
    SourceChooser.Choice choice = SourceChooser.choose(probes, List.of(SourceKind.values()));
    log.info("host DAMON: {} kdamond(s); {}", probes.damon().nrKdamonds(), choice.explanation());

    assertThat(choice.chosen()).isPresent();
    if (probes.damon().nrKdamonds() > 0) {
      // A foreign user (this host's own pageout kdamond, or anyone): never DAMON for tierd.
      assertThat(choice.chosen().get().isDamon()).isFalse();
      assertThat(choice.explanation()).contains("damon-vaddr: DAMON busy (foreign kdamond ");
      if (probes.damon().anyRunning()) {
        List<Conflict> conflicts =
            SourceConflicts.read(
                HOST,
                fs,
                Set.of(),
                List.of(new SourceConflicts.ActiveSource(SourceKind.CLEAR_REFS, Set.of(1))));
        assertThat(conflicts).extracting(Conflict::type).contains(Conflict.Type.FOREIGN_DAMON);
      }
    } else if (probes.damon().present()) {
      assertThat(choice.chosen()).contains(SourceKind.DAMON_VADDR);
    }
    assertThat(fs.attemptedWrites).isEmpty();
  }

  @Test
  void fallbackSourceSeesTheHotBufferHotterThanTheColdOne(@TempDir Path runtime) throws Exception {
    assumeTrue(
        Files.isWritable(Path.of("/proc/self/clear_refs")), "needs to write clear_refs (root)");
    Path python =
        Stream.of("/usr/bin/python3", "/bin/python3")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
    assumeTrue(python != null, "needs python3 for the child workload");

    ReadOnlyDamonFs fs = new ReadOnlyDamonFs(HOST);
    // A pinned 3 s window, and the second collect 3 s after the first: it reads what happened
    // since the first one's mark. (A shorter window than half the gap between two collects would
    // be taken inside the collect, after the touch; a tuned one might skip the collect.)
    Duration window = Duration.ofSeconds(3);
    HeatConfig config =
        HeatConfig.defaults()
            .withRuntimeDir(runtime)
            .withPreference(List.of(SourceKind.IDLE_PAGE, SourceKind.CLEAR_REFS))
            .withWindows(new HeatConfig.WindowBounds(window, window, window));
    HeatSources.Env env =
        new HeatSources.Env(HOST, fs, Owner.self(HOST), System::nanoTime, Sleeper.none());

    Process child =
        new ProcessBuilder(python.toString(), "-u", "-c", CHILD).redirectErrorStream(true).start();
    try (BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
      String[] ranges = out.readLine().split(" ");
      AddressRange hot = parse(ranges[0]);
      AddressRange cold = parse(ranges[1]);
      ManagedProcess p =
          new ProcessScanner(HOST)
              .read((int) child.pid(), ProcessFilter.all(ProcessHandle.current().pid()))
              .orElseThrow();

      HeatSources.Opened opened = HeatSources.open(config, env);
      log.info("{}", opened.explanation());
      try (HeatSource source = opened.source()) {
        source.update(List.of(p));
        source.collect(); // starts the window (clears / marks)
        long secondCollect = System.nanoTime() + window.toNanos();
        in.write("touch\n");
        in.flush();
        assertThat(out.readLine()).isEqualTo("touched");
        Thread.sleep(Math.max(0, (secondCollect - System.nanoTime()) / 1_000_000));
        List<RegionSample> samples = source.collect();

        double hotFraction = fraction(samples, hot);
        double coldFraction = fraction(samples, cold);
        log.info(
            "{}: hot {} -> {}, cold {} -> {}", opened.kind(), hot, hotFraction, cold, coldFraction);
        assertThat(hotFraction).isGreaterThan(0.9);
        assertThat(coldFraction).isLessThan(0.1);
      }
    } finally {
      child.destroy();
      child.waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(fs.attemptedWrites).isEmpty();
  }

  /** Byte-weighted access fraction of the samples over {@code r}. */
  static double fraction(List<RegionSample> samples, AddressRange r) {
    double sum = 0;
    long bytes = 0;
    for (RegionSample s : samples) {
      long o = s.range().overlapBytes(r);
      sum += o * s.accessFraction();
      bytes += o;
    }
    assertThat(bytes).as("samples over " + r).isPositive();
    return sum / bytes;
  }

  static AddressRange parse(String hexRange) {
    String[] p = hexRange.split("-");
    return new AddressRange(Long.parseLong(p[0], 16), Long.parseLong(p[1], 16));
  }

  /**
   * Two 8 MiB anonymous buffers split by a PROT_NONE page (so they are separate VMAs), both written
   * once; then on each "touch" line only the hot one is written again.
   */
  static final String CHILD =
      String.join(
          "\n",
          "import mmap, ctypes, sys",
          "libc = ctypes.CDLL(None, use_errno=True)",
          "libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]",
          "M = 8 << 20",
          "m = mmap.mmap(-1, 2 * M + 4096, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)",
          "base = ctypes.addressof(ctypes.c_char.from_buffer(m))",
          "assert libc.mprotect(base + M, 4096, 0) == 0",
          "for i in range(0, M, 4096):",
          "    m[i] = 1",
          "    m[M + 4096 + i] = 1",
          "print('%x-%x %x-%x' % (base, base + M, base + M + 4096, base + 2 * M + 4096))",
          "for line in sys.stdin:",
          "    for i in range(0, M, 4096):",
          "        m[i] = 2",
          "    print('touched')",
          "");
}
