package tierd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.config.TierdConfig;
import tierd.daemon.CycleReport;
import tierd.daemon.TieringCycle;
import tierd.daemon.Wiring;
import tierd.metrics.TierdMetrics;

/**
 * Bad data stays local (issue 14, point 2). The 3-node guest's tree with its workload cloned to a
 * second process (pid 4243), then one file mangled per case, mostly the clone's: {@code tierd run
 * --dry-run --root TREE --cycles 4} exits 0, prints no stack trace, still plans pid 4242 (its DAMON
 * results show hot buffers on the slow node), names the problem once rather than every cycle, and
 * counts it in {@code tierd_scan_rejected_total} every cycle.
 */
class MangledTreeTest {

  @TempDir Path tmp;

  @RegisterExtension final CapturedLog logged = new CapturedLog(Logger.ROOT_LOGGER_NAME);

  /** What one case does to the tree, and what the run must say about it. */
  record Case(
      String name,
      Consumer<Path> mangle,
      String saidOnce,
      int managed,
      boolean tiered,
      String counter) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static final String CLONE = "proc/4243/";

  static Stream<Case> cases() {
    return Stream.of(
        c(
            "numa_maps page size 0",
            edit(CLONE + "numa_maps", "kernelpagesize_kB=4", "kernelpagesize_kB=0"),
            "not a page size",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps page size 12 kB",
            edit(CLONE + "numa_maps", "kernelpagesize_kB=4", "kernelpagesize_kB=12"),
            "not a page size",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps page size 32 GiB",
            edit(CLONE + "numa_maps", "kernelpagesize_kB=4", "kernelpagesize_kB=33554432"),
            "not a page size",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps count beyond an address space",
            edit(CLONE + "numa_maps", "N1=2048 ", "N1=999999999999999999 "),
            "more present pages than a user address space holds",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps counts whose sum overflows a long",
            edit(
                CLONE + "numa_maps",
                "N1=512 N2=512",
                "N1=9000000000000000000 N2=9000000000000000000"),
            "more present pages than a user address space holds",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps count too large to parse",
            edit(CLONE + "numa_maps", "N1=2048 ", "N1=99999999999999999999 "),
            "out of range",
            1,
            "numa_maps",
            "malformed"),
        c(
            "numa_maps more pages than the VMA spans",
            edit(CLONE + "numa_maps", "N1=2048 ", "N1=2048000 "),
            "1 of 39 VMAs left out (beyond_vma, numa_maps)",
            2,
            "numa_maps",
            "beyond_vma"),
        c(
            "numa_maps pages on a node the topology lacks",
            edit(CLONE + "numa_maps", "N1=2048 ", "N7=2048 "),
            "has pages on node 7, which is not a memory node",
            2,
            "numa_maps",
            "unknown_node"),
        c(
            "numa_maps VMA that maps lacks",
            edit(CLONE + "maps", "7f3f8d12c000-7f3f8d92c000 rw-p 00000000 00:00 0 \n", ""),
            "numa_maps lists a VMA at 7f3f8d12c000 that maps does not",
            2,
            "numa_maps",
            "unmatched"),
        c(
            "maps VMA that numa_maps lacks",
            edit(
                CLONE + "numa_maps",
                "7f3f8d12c000 default anon=2048 dirty=2048 active=0 N1=2048 kernelpagesize_kB=4\n",
                ""),
            "maps lists VMA 7f3f8d12c000-7f3f8d92c000 that numa_maps does not",
            2,
            "maps",
            "unmatched"),
        c(
            "policy bind with an empty nodelist",
            edit(CLONE + "numa_maps", " bind:2 ", " bind: "),
            "empty policy nodelist",
            1,
            "numa_maps",
            "malformed"),
        c(
            "policy bind without a nodelist",
            edit(CLONE + "numa_maps", " bind:2 ", " bind "),
            "policy 'bind' without its nodelist",
            1,
            "numa_maps",
            "malformed"),
        c(
            "status without Tgid",
            edit(CLONE + "status", "Tgid:\t4243\n", ""),
            "at token 'Tgid': missing key",
            1,
            "status",
            "malformed"),
        c(
            "status without Name",
            edit(CLONE + "status", "Name:\ttierd-workload\n", ""),
            "at token 'Name': missing key",
            1,
            "status",
            "malformed"),
        c(
            "status without Mems_allowed",
            edit(CLONE + "status", "Mems_allowed_list:\t1-2\n", "")
                .andThen(deleteLine(CLONE + "status", "Mems_allowed:")),
            "at token 'Mems_allowed_list': missing key",
            1,
            "status",
            "malformed"),
        c(
            "status VmRSS not in kB",
            edit(CLONE + "status", "VmRSS:\t   28536 kB", "VmRSS:\t   28536 MB"),
            "VmRSS: expected '<n> kB'",
            1,
            "status",
            "malformed"),
        c(
            "stat cut short",
            write(CLONE + "stat", "4243 (tierd-workload) S 185"),
            "4243/stat",
            1,
            "stat",
            "malformed"),
        c(
            "maps end before start",
            edit(
                CLONE + "maps", "7f3f8d12c000-7f3f8d92c000 rw-p", "7f3f8d92c000-7f3f8d12c000 rw-p"),
            "end before start",
            1,
            "maps",
            "malformed"),
        new Case(
            "node 2 meminfo missing",
            delete("sys/devices/system/node/node2/meminfo"),
            "memory node 2 left out of this cycle's topology",
            2,
            false,
            "tierd_scan_rejected_total{file=\"meminfo\",reason=\"absent\",}"));
  }

  private static Case c(
      String name,
      Consumer<Path> mangle,
      String saidOnce,
      int managed,
      String file,
      String reason) {
    return new Case(
        name,
        mangle,
        saidOnce,
        managed,
        true,
        "tierd_scan_rejected_total{file=\"" + file + "\",reason=\"" + reason + "\",}");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void fourCyclesExitZeroPlanTheOtherProcessAndSayItOnce(Case c) throws Exception {
    Path root = tree(c);
    CliTest.Run r =
        CliTest.run(
            "run",
            "--dry-run",
            "--root",
            root.toString(),
            "--config",
            config().toString(),
            "--cycles",
            "4",
            "--listen",
            "127.0.0.1:0");
    List<String> lines = logged.atLeast(Level.INFO);
    String all = String.join("\n", lines) + "\n" + r.out() + r.err();
    assertThat(r.code()).as(all).isZero();
    assertThat(all).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:\n");
    assertThat(logged.noStackTraceAboveDebug()).as("nothing logged with a throwable").isTrue();
    List<String> cycles = lines.stream().filter(l -> l.matches("cycle \\d+ ok .*")).toList();
    assertThat(cycles).as(all).hasSize(4);
    if (c.tiered()) {
      assertThat(cycles).allSatisfy(l -> assertThat(l).contains(" " + c.managed() + " processes"));
    } else {
      assertThat(cycles).allSatisfy(l -> assertThat(l).contains("nothing to tier"));
    }
    assertThat(lines.stream().filter(l -> l.contains(c.saidOnce()))).as(all).hasSize(1);
    if (c.tiered()) {
      assertThat(lines)
          .as("pid 4242 is still planned")
          .anySatisfy(l -> assertThat(l).startsWith("dry-run plan: move").contains("pid 4242"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCycleCountsWhatItLeftOut(Case c) throws Exception {
    Path root = tree(c);
    TierdConfig config = TierdConfig.load(config()).withRoot(root);
    TierdMetrics metrics = new TierdMetrics("test");
    Wiring.Wired wired = Wiring.wire(config, true, Clock.systemUTC(), metrics);
    try (TieringCycle cycle = new TieringCycle(config, wired.parts())) {
      for (int i = 1; i <= 4; i++) {
        CycleReport report = cycle.run();
        assertThat(report.ok()).as(report.summary()).isTrue();
      }
    }
    assertThat(metrics.scrape()).contains(c.counter() + " 4.0");
  }

  private Path tree(Case c) {
    Path root = tmp.resolve("root");
    Fixtures.copyTree(Fixtures.path("fixtures/vm-3node"), root);
    Fixtures.clonePid(root, 4242, 4243);
    c.mangle().accept(root);
    return root;
  }

  private Path config() throws IOException {
    Path file = tmp.resolve("tierd.yaml");
    Files.writeString(
        file,
        "interval: 100ms\nruntimeDirectory: "
            + tmp.resolve("run")
            + "\nheat:\n  warmup: 0s\nprocesses:\n  minRss: 1MiB\n");
    return file;
  }

  private static Consumer<Path> edit(String file, String from, String to) {
    return root -> {
      Path p = root.resolve(file);
      try {
        String text = Files.readString(p);
        assertThat(text).as("%s contains %s", file, from).contains(from);
        Files.writeString(p, text.replace(from, to));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static Consumer<Path> deleteLine(String file, String prefix) {
    return root -> {
      Path p = root.resolve(file);
      try {
        List<String> kept =
            Files.readAllLines(p).stream().filter(l -> !l.startsWith(prefix)).toList();
        Files.writeString(p, String.join("\n", kept) + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static Consumer<Path> write(String file, String text) {
    return root -> {
      try {
        Files.writeString(root.resolve(file), text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static Consumer<Path> delete(String file) {
    return root -> {
      try {
        Files.delete(root.resolve(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
