package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.CapturedLog;
import tierd.config.TierdConfig;
import tierd.daemon.TieringCycleLogTest.HotSource;
import tierd.daemon.TieringCycleLogTest.StepClock;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.mover.DryRunMover;
import tierd.mover.PageMover;
import tierd.mover.PagesPort;
import tierd.mover.PlacementQuery;
import tierd.mover.Ticker;
import tierd.process.ManagedProcess;

/**
 * Fault injection (issue 14): a failure in any stage of a cycle — and in publishing what the stages
 * found (metrics, the dry-run plan log, the report) — fails that cycle only. It is counted in
 * tierd_cycle_failures_total{stage}, logged once with its reason and without a stack trace, and the
 * next cycle runs. A LinkageError also turns the cycle into a dry run for good.
 *
 * <p>The world is the 2node-flat guest with one hot buffer on the slow node (as in {@link
 * TieringCycleLogTest}), so every stage runs and a promotion is planned and moved every cycle.
 * Failures come either from the cycle's test hook at the start of a stage, or from the parts
 * themselves (a heat source, a mover, a placement port that throw, a kernel file that is broken).
 */
class CycleFailureTest {

  @TempDir Path root;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private static final TierdConfig CONFIG =
      TierdConfig.parse(
          "test",
          "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n"
              + "scoring:\n  halfLife: 6s\nheat:\n  warmup: 0s\n");

  /** A mover that moves nothing but counts its calls and reports a real (not dry) run. */
  static final class CountingMover implements PageMover {
    final AtomicInteger calls = new AtomicInteger();
    private final PageMover recording = DryRunMover.recording(Ticker.system());

    @Override
    public tierd.mover.MoveReport move(
        List<tierd.mover.MoveRequest> requests,
        tierd.mover.MoveLimits limits,
        tierd.mover.ProgressListener progress) {
      calls.incrementAndGet();
      return recording.move(requests, limits, progress);
    }
  }

  private final StepClock clock = new StepClock();
  private final TierdMetrics metrics = new TierdMetrics("test");

  /** The parts a case replaces; {@link #working()} are the ones that work. */
  record Fakes(
      PageMover mover,
      Optional<PlacementProbe> placement,
      HeatSourceFactory heat,
      ConflictCheck conflicts) {

    static Fakes working() {
      return new Fakes(new CountingMover(), Optional.empty(), HotSource::new, ConflictCheck.NONE);
    }

    Fakes withMover(PageMover m) {
      return new Fakes(m, placement, heat, conflicts);
    }

    Fakes withPlacement(PlacementProbe p) {
      return new Fakes(mover, Optional.of(p), heat, conflicts);
    }

    Fakes withHeat(HeatSourceFactory h) {
      return new Fakes(mover, placement, h, conflicts);
    }

    Fakes withConflicts(ConflictCheck c) {
      return new Fakes(mover, placement, heat, c);
    }
  }

  /** A moving (not dry-run) cycle over the guest with {@code fakes}. */
  private TieringCycle cycle(Fakes fakes) throws IOException {
    KernelRoot guest = TieringCycleLogTest.guest(root);
    return new TieringCycle(
        CONFIG,
        new TieringCycle.Parts(
            guest,
            4096,
            clock,
            fakes.mover(),
            false,
            fakes.placement(),
            fakes.heat(),
            fakes.conflicts(),
            metrics));
  }

  /** Runs {@code n} cycles, 2 s apart; returns their reports. */
  private List<CycleReport> cycles(TieringCycle cycle, int n) {
    List<CycleReport> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(cycle.run());
      clock.now = clock.now.plusSeconds(2);
    }
    return out;
  }

  private void assertCountedOnceIn(String stage) {
    String scrape = metrics.scrape();
    for (String s : TieringCycle.STAGES) {
      assertThat(scrape)
          .contains(
              "tierd_cycle_failures_total{stage=\""
                  + s
                  + "\",} "
                  + (s.equals(stage) ? "1.0" : "0.0"));
    }
    assertThat(scrape).contains("tierd_cycles_total{result=\"failed\",} 1.0");
  }

  static Stream<Arguments> injections() {
    List<Arguments> out = new ArrayList<>();
    for (String stage : TieringCycle.STAGES) {
      out.add(
          Arguments.of(
              stage,
              "RuntimeException",
              (Function<String, Throwable>) m -> new IllegalStateException(m),
              false));
      out.add(
          Arguments.of(
              stage,
              "LinkageError",
              (Function<String, Throwable>) m -> new UnsatisfiedLinkError(m),
              true));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} in {0}")
  @MethodSource("injections")
  void aFailureInAnyStageFailsThatCycleAndTheNextOneRuns(
      String stage, String kind, Function<String, Throwable> failure, boolean linkage)
      throws IOException {
    CountingMover mover = new CountingMover();
    String message = "injected into " + stage;
    List<CycleReport> reports;
    try (TieringCycle cycle = cycle(Fakes.working().withMover(mover))) {
      reports = cycles(cycle, 1);
      cycle.beforeEachStage(
          s -> {
            if (s.equals(stage)) {
              throw sneaky(failure.apply(message));
            }
          });
      reports.addAll(cycles(cycle, 1));
      cycle.beforeEachStage(s -> {});
      int movesBefore = mover.calls.get();
      reports.addAll(cycles(cycle, 2));

      CycleReport failed = reports.get(1);
      assertThat(reports.get(0).ok()).as(String.valueOf(reports.get(0).error())).isTrue();
      assertThat(failed.ok()).isFalse();
      assertThat(failed.failedStage()).isEqualTo(stage);
      assertThat(failed.error()).endsWith(": " + message);
      assertThat(failed.stages()).containsKey(stage);
      // the loop goes on: the next cycles run every stage and succeed
      for (CycleReport next : reports.subList(2, 4)) {
        assertThat(next.ok()).as(String.valueOf(next.error())).isTrue();
        assertThat(next.stages().keySet()).containsExactlyElementsOf(TieringCycle.STAGES);
      }
      assertCountedOnceIn(stage);
      // logged once, with the stage and the reason, and no stack trace above DEBUG
      assertThat(logged.atLeast(Level.WARN))
          .filteredOn(m -> m.startsWith("cycle "))
          .containsExactly(
              "cycle 2: stage "
                  + stage
                  + " failed: "
                  + failure.apply(message).getClass().getSimpleName()
                  + ": "
                  + message);
      assertThat(logged.noStackTraceAboveDebug()).isTrue();
      if (linkage) {
        // dry-run for the rest of its life: the real mover is never called again
        assertThat(cycle.nativeFailure())
            .hasValueSatisfying(r -> assertThat(r).contains("stage " + stage).contains(message));
        assertThat(reports.subList(2, 4)).allMatch(CycleReport::dryRun);
        assertThat(mover.calls.get()).isEqualTo(movesBefore);
        assertThat(metrics.scrape()).contains("tierd_dry_run 1.0");
        assertThat(logged.atLeast(Level.WARN))
            .filteredOn(m -> m.startsWith("dry-run from now on: "))
            .hasSize(1);
      } else {
        assertThat(cycle.nativeFailure()).isEmpty();
        assertThat(reports).noneMatch(CycleReport::dryRun);
        assertThat(mover.calls.get()).isEqualTo(movesBefore + 2);
        assertThat(metrics.scrape()).contains("tierd_dry_run 0.0");
      }
    }
  }

  @Test
  void aFailureThatRepeatsEveryCycleIsLoggedOnceAndCountedEveryTime() throws IOException {
    try (TieringCycle cycle = cycle(Fakes.working())) {
      AtomicInteger n = new AtomicInteger();
      cycle.beforeEachStage(
          s -> {
            if (s.equals("score")) {
              throw new ArithmeticException("/ by zero in cycle " + n.incrementAndGet());
            }
          });
      List<CycleReport> failing = cycles(cycle, 12);
      cycle.beforeEachStage(s -> {});
      CycleReport recovered = cycles(cycle, 1).get(0);

      assertThat(failing).noneMatch(CycleReport::ok);
      assertThat(recovered.ok()).isTrue();
      assertThat(metrics.scrape()).contains("tierd_cycle_failures_total{stage=\"score\",} 12.0");
      assertThat(logged.atLeast(Level.INFO))
          .filteredOn(m -> m.contains("stage score"))
          .containsExactly(
              "cycle 1: stage score failed: ArithmeticException: / by zero in cycle 1",
              "cycle 13: ok again; stage score had failed in 12 cycles since "
                  + "2026-01-01T00:00:00Z");
    }
  }

  /** A heat source whose collect() throws {@code failure} once {@code armed}. */
  static HeatSourceFactory failingHeat(AtomicBoolean armed, Throwable failure) {
    return () ->
        new HeatSource() {
          private final HotSource hot = new HotSource();

          @Override
          public String name() {
            return "test";
          }

          @Override
          public void update(Collection<ManagedProcess> processes) {
            hot.update(processes);
          }

          @Override
          public List<RegionSample> collect() {
            if (armed.getAndSet(false)) {
              throw sneaky(failure);
            }
            return hot.collect();
          }

          @Override
          public void close() {}
        };
  }

  /** A placement port (the move_pages query) that throws {@code failure} once {@code armed}. */
  static PagesPort failingPort(AtomicBoolean armed, Throwable failure, AtomicInteger calls) {
    return (pid, pages, nodes, status, flags) -> {
      calls.incrementAndGet();
      if (armed.getAndSet(false)) {
        throw sneaky(failure);
      }
      java.util.Arrays.fill(status, 1);
      return tierd.nativeio.SyscallResult.ok(0);
    };
  }

  /** The parts of one case, and which part fails. */
  /** The fakes of one case, one part of which throws once {@code armed}, counting its calls. */
  interface Case {
    Fakes fakes(AtomicBoolean armed, AtomicInteger calls);
  }

  static Stream<Arguments> partsThatFail() {
    Throwable link = new UnsatisfiedLinkError("Unable to load library 'c'");
    Throwable bug = new IllegalStateException("kdamond vanished");
    ConflictCheck ok = ConflictCheck.NONE;
    return Stream.of(
        Arguments.of(
            "heat source throws",
            "heat",
            false,
            (Case) (armed, calls) -> Fakes.working().withHeat(failingHeat(armed, bug))),
        Arguments.of(
            "heat source cannot link",
            "heat",
            true,
            (Case) (armed, calls) -> Fakes.working().withHeat(failingHeat(armed, link))),
        Arguments.of(
            "conflict check throws",
            "conflicts",
            false,
            (Case)
                (armed, calls) ->
                    Fakes.working()
                        .withConflicts(
                            (active, procs) -> {
                              if (armed.getAndSet(false)) {
                                throw new IllegalStateException("cannot read kdamonds");
                              }
                              return ok.check(active, procs);
                            })),
        Arguments.of(
            "mover throws",
            "move",
            false,
            (Case) (armed, calls) -> Fakes.working().withMover(mover(armed, bug, calls))),
        Arguments.of(
            "mover cannot link",
            "move",
            true,
            (Case) (armed, calls) -> Fakes.working().withMover(mover(armed, link, calls))),
        Arguments.of(
            "placement query cannot link",
            "placement",
            true,
            (Case)
                (armed, calls) ->
                    Fakes.working()
                        .withPlacement(
                            new PlacementProbe(
                                new PlacementQuery(failingPort(armed, link, calls)), 1 << 20))));
  }

  static PageMover mover(AtomicBoolean armed, Throwable failure, AtomicInteger calls) {
    CountingMover counting = new CountingMover();
    return (requests, limits, progress) -> {
      calls.incrementAndGet();
      if (armed.getAndSet(false)) {
        throw sneaky(failure);
      }
      return counting.move(requests, limits, progress);
    };
  }

  /**
   * The same boundary for failures that come from the parts themselves: from cycle 3 on, the part
   * throws once (the first time it is called); that cycle fails in its stage, and every other cycle
   * is ok. After a LinkageError the part that failed to link is not called again: the cycle runs
   * dry.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("partsThatFail")
  void aPartThatThrowsFailsOneCycle(String name, String stage, boolean linkage, Case c)
      throws IOException {
    AtomicBoolean armed = new AtomicBoolean();
    AtomicInteger calls = new AtomicInteger();
    try (TieringCycle cycle = cycle(c.fakes(armed, calls))) {
      List<CycleReport> reports = cycles(cycle, 2);
      armed.set(true);
      int callsAfterFailure = -1;
      for (int i = 0; i < 5; i++) {
        CycleReport r = cycles(cycle, 1).get(0);
        reports.add(r);
        if (!r.ok()) {
          callsAfterFailure = calls.get();
        }
      }

      assertThat(armed).as("the part was called and threw").isFalse();
      assertThat(reports).filteredOn(r -> !r.ok()).hasSize(1);
      CycleReport failed = reports.stream().filter(r -> !r.ok()).findFirst().orElseThrow();
      assertThat(failed.number()).isGreaterThanOrEqualTo(3);
      assertThat(failed.failedStage()).isEqualTo(stage);
      assertThat(reports.get(reports.size() - 1).number()).isGreaterThan(failed.number());
      assertCountedOnceIn(stage);
      assertThat(cycle.nativeFailure().isPresent()).isEqualTo(linkage);
      assertThat(reports.get(reports.size() - 1).dryRun()).isEqualTo(linkage);
      if (linkage && !stage.equals("heat")) {
        assertThat(calls.get()).as("calls after the failure").isEqualTo(callsAfterFailure);
      }
    }
  }

  /** A kernel file the stage reads is broken in cycle 2 only: that cycle fails in that stage. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void aBrokenKernelFileFailsOneCycle(String file, String stage, String broken) throws IOException {
    try (TieringCycle cycle = cycle(Fakes.working())) {
      List<CycleReport> reports = cycles(cycle, 1);
      Path path = root.resolve(file);
      String good = Files.readString(path);
      Files.writeString(path, broken);
      reports.addAll(cycles(cycle, 1));
      Files.writeString(path, good);
      reports.addAll(cycles(cycle, 2));

      assertThat(reports.get(1).failedStage()).isEqualTo(stage);
      assertThat(reports.get(1).error()).contains(path.toString());
      assertThat(List.of(reports.get(0), reports.get(2), reports.get(3))).allMatch(CycleReport::ok);
      assertCountedOnceIn(stage);
    }
  }

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        Arguments.of("sys/devices/system/node/online", "topology", "0-1 and more\n"),
        Arguments.of("proc/vmstat", "vmstat", "nr_free_pages\n"));
  }

  @SuppressWarnings("unchecked")
  static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
