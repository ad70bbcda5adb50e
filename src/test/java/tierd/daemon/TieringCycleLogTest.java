package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.Fixtures;
import tierd.config.TierdConfig;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.AddressRange;
import tierd.mover.DryRunMover;
import tierd.mover.Ticker;
import tierd.process.ManagedProcess;
import tierd.process.ProcessFilter;
import tierd.scoring.HeatClass;
import tierd.scoring.ScoredRegion;
import tierd.scoring.ScoringResult;
import tierd.scoring.Thresholds;

/**
 * What the daemon's log says about the topology and, in a dry run, about the plan: the 2node-flat
 * guest (the kernel puts both nodes in one tier) is tiered by tierd's classifier, and a hot default
 * buffer on the CPU-less node is planned up, which a dry run prints move by move (issue 7, VM
 * scenario 6 reads these lines). The guest's sysfs and the workload's status come from the fixture;
 * its address space is replaced by one 8 MiB buffer on node 1, so that recapturing the fixture does
 * not change what this test plans.
 */
class TieringCycleLogTest {

  /** The workload's 8 MiB default buffer on the slow node 1. */
  static final AddressRange SLOW_DEFAULT = new AddressRange(0x7fd27ec84000L, 0x7fd27f484000L);

  /**
   * The scores of a cycle that found pid 4242's buffer {@link #SLOW_DEFAULT} hot for 5 windows (the
   * guest's only region), for tests that plan on the guest.
   */
  static ScoringResult hotBufferScores(ManagedProcess workload, Instant at) {
    ScoredRegion hot =
        new ScoredRegion(
            workload.pid(),
            workload.startTimeTicks(),
            SLOW_DEFAULT,
            0.9,
            HeatClass.HOT,
            5,
            Duration.ZERO);
    return new ScoringResult(
        at,
        List.of(hot),
        new Thresholds(0.40, 0.02, false, 0.40, 0.07, 1L << 30, 0, 2),
        hot.sizeBytes(),
        0,
        0,
        0,
        0,
        0,
        1);
  }

  /** The guest's workload and nothing else: comm tierd-workload, at least 1 MiB resident. */
  static ProcessFilter workloadFilter() {
    return TierdConfig.parse("test", "processes:\n  comm: tierd-workload\n  minRss: 1MiB\n")
        .processes()
        .filter(-1);
  }

  @TempDir Path root;

  private KernelRoot guest() throws IOException {
    return guest(root);
  }

  /**
   * The 2node-flat fixture, copied to {@code root}, with pid 4242's address space replaced by
   * {@link #SLOW_DEFAULT}.
   */
  static KernelRoot guest(Path root) throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/vm-2node-flat"), root);
    Path proc = root.resolve("proc/4242");
    Files.writeString(proc.resolve("maps"), "7fd27ec84000-7fd27f484000 rw-p 00000000 00:00 0 \n");
    Files.writeString(
        proc.resolve("numa_maps"),
        "7fd27ec84000 default anon=2048 dirty=2048 active=0 N1=2048 kernelpagesize_kB=4\n");
    return KernelRoot.under(root);
  }

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private List<String> lines(String prefix) {
    return logged.startingWith(prefix);
  }

  /** Reports the buffer hot in every window, as DAMON would for a swept buffer. */
  static class HotSource implements HeatSource {
    private final List<Integer> pids = new java.util.ArrayList<>();

    @Override
    public String name() {
      return "test";
    }

    @Override
    public void update(Collection<ManagedProcess> processes) {
      pids.clear();
      processes.forEach(p -> pids.add(p.pid()));
    }

    @Override
    public List<RegionSample> collect() {
      return pids.stream()
          .map(
              pid ->
                  new RegionSample(
                      pid, SLOW_DEFAULT, 18, 20, Duration.ofSeconds(2), Duration.ZERO, "test"))
          .toList();
    }

    @Override
    public void close() {}
  }

  /**
   * {@link HotSource} as DAMON: its regions adapt, and from the {@code splitAt}-th collect on it
   * reports the buffer in two regions instead of one (DAMON has split it).
   */
  static class SplittingSource extends HotSource {
    private final int splitAt;
    private int collects;

    SplittingSource(int splitAt) {
      this.splitAt = splitAt;
    }

    @Override
    public boolean regionsAdapt() {
      return true;
    }

    @Override
    public List<RegionSample> collect() {
      List<RegionSample> whole = super.collect();
      if (++collects < splitAt) {
        return whole;
      }
      List<RegionSample> halves = new java.util.ArrayList<>();
      for (RegionSample r : whole) {
        long half = r.range().sizeBytes() / 2;
        for (long start : new long[] {r.range().start(), r.range().start() + half}) {
          halves.add(
              new RegionSample(
                  r.pid(),
                  tierd.model.AddressRange.ofSize(start, half),
                  r.nrAccesses(),
                  r.maxAccesses(),
                  r.window(),
                  r.age(),
                  r.source()));
        }
      }
      return halves;
    }
  }

  /** The parts of a dry run over {@link #guest()} with {@link HotSource}. */
  private TieringCycle.Parts dryRun(StepClock clock, TierdMetrics metrics) throws IOException {
    return dryRun(clock, metrics, HotSource::new);
  }

  private TieringCycle.Parts dryRun(StepClock clock, TierdMetrics metrics, HeatSourceFactory heat)
      throws IOException {
    return new TieringCycle.Parts(
        guest(),
        4096,
        clock,
        DryRunMover.recording(Ticker.system()),
        true,
        Optional.empty(),
        heat,
        ConflictCheck.NONE,
        metrics);
  }

  /** A clock the test moves forward by one interval per cycle. */
  static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void flatGuestIsClassifiedAndADryRunPrintsItsPlannedMoves() throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test",
            """
            interval: 2s
            processes:
              comm: tierd-workload
              minRss: 1MiB
            scoring:
              halfLife: 6s
            heat:
              warmup: 0s
            """);
    StepClock clock = new StepClock();
    TieringCycle.Parts parts = dryRun(clock, new TierdMetrics("test"));
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      CycleReport last = null;
      for (int i = 0; i < 4; i++) {
        last = cycle.run();
        assertThat(last.ok()).as(String.valueOf(last.error())).isTrue();
        clock.now = clock.now.plusSeconds(2);
      }
      assertThat(last.promoteBytes()).isEqualTo(SLOW_DEFAULT.sizeBytes());
      assertThat(last.movedBytes()).isZero();
    }
    // the tiers and their source, once (they did not change)
    assertThat(lines("topology: "))
        .containsExactly(
            "topology: 2 memory tiers (source: classified): tier 0 nodes 0; tier 1 nodes 1");
    // the planned promotion, with its reason, in every cycle that planned it
    assertThat(lines("dry-run plan: "))
        .isNotEmpty()
        .allSatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "dry-run plan: move promote pid 4242 7fd27ec84000-7fd27f484000 8MiB node 1 → 0 [HOT]"));
  }

  /** SIGTERM between two move_pages calls ends the move stage; the cycle is not a failure. */
  @Test
  void aStopDuringTheMoveIsNotAFailedCycle() throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test",
            "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n"
                + "scoring:\n  halfLife: 6s\nheat:\n  warmup: 0s\n");
    StepClock clock = new StepClock();
    TierdMetrics metrics = new TierdMetrics("test");
    tierd.mover.PageMover stopping =
        (requests, limits, progress) -> {
          throw new Daemon.StopRequested(0, 2048);
        };
    TieringCycle.Parts parts =
        new TieringCycle.Parts(
            guest(),
            4096,
            clock,
            stopping,
            false,
            Optional.empty(),
            HotSource::new,
            ConflictCheck.NONE,
            metrics);
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      CycleReport last = null;
      for (int i = 0; i < 4; i++) {
        last = cycle.run();
        assertThat(last.ok()).as(String.valueOf(last.error())).isTrue();
        clock.now = clock.now.plusSeconds(2);
      }
      assertThat(last.plannedMoves()).isPositive();
    }
    assertThat(lines("cycle ")).anyMatch(l -> l.contains("stop requested after 0 of 2048 pages"));
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("tierd_cycles_total{result=\"failed\",} 0.0")
        .contains("tierd_stage_failures_total{stage=\"move\",} 0.0");
  }

  /**
   * A heat source that another DAMON user took over (DamonSource throws
   * HeatSourceUnavailableException from update, as in the VM chaos scenario) is closed and reopened
   * {@value HeatSupervisor#RETRY_CYCLES} cycles later; the cycles in between are not failures.
   */
  @Test
  void aHeatSourceTakenOverByAnotherUserIsNotAFailedCycle() throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test", "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n");
    StepClock clock = new StepClock();
    TierdMetrics metrics = new TierdMetrics("test");
    List<String> opened = new java.util.ArrayList<>();
    HeatSourceFactory takenOver =
        () -> {
          opened.add("open");
          return new HotSource() {
            @Override
            public void update(Collection<ManagedProcess> processes) {
              if (opened.size() == 1) {
                throw new HeatSourceUnavailableException(
                    SourceKind.DAMON_VADDR,
                    "DAMON busy (tierd's kdamond 0 was replaced by another DAMON user)");
              }
              super.update(processes);
            }
          };
        };
    TieringCycle.Parts parts =
        new TieringCycle.Parts(
            guest(),
            4096,
            clock,
            DryRunMover.recording(Ticker.system()),
            true,
            Optional.empty(),
            takenOver,
            ConflictCheck.NONE,
            metrics);
    List<String> sources = new java.util.ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      for (int i = 0; i < HeatSupervisor.RETRY_CYCLES + 2; i++) {
        CycleReport r = cycle.run();
        assertThat(r.ok()).as("cycle %d: %s", r.number(), r.error()).isTrue();
        sources.add(r.heatSource());
        clock.now = clock.now.plusSeconds(2);
      }
    }
    assertThat(lines("hotness source "))
        .containsExactly(
            "hotness source test lost: DAMON busy (tierd's kdamond 0 was replaced by another DAMON"
                + " user); retrying in 12 cycles");
    assertThat(opened).hasSize(2);
    assertThat(sources.get(0)).isEqualTo("none");
    assertThat(sources.get(sources.size() - 1)).isEqualTo("test");
    assertThat(metrics.scrape())
        .contains("tierd_cycles_total{result=\"failed\",} 0.0")
        .contains("tierd_heat_source_info{source=\"test\",} 1.0");
  }

  /** Plans with a 2 s interval, and the heat source {@code heat}: the regions scored and moves. */
  private List<List<Integer>> regionsAndMoves(HeatSourceFactory heat) throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test",
            "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n"
                + "scoring:\n  halfLife: 6s\nheat:\n  warmup: 5s\n");
    StepClock clock = new StepClock();
    TieringCycle.Parts parts = dryRun(clock, new TierdMetrics("test"), heat);
    List<Integer> regions = new java.util.ArrayList<>();
    List<Integer> moves = new java.util.ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      for (int i = 0; i < 6; i++) {
        CycleReport r = cycle.run();
        assertThat(r.ok()).as(String.valueOf(r.error())).isTrue();
        regions.add(r.regions());
        moves.add(r.plannedMoves());
        clock.now = clock.now.plusSeconds(2);
      }
    }
    return List.of(regions, moves);
  }

  /**
   * heat.warmup: the samples of a process whose DAMON regions never split are not scored until the
   * source has watched it that long, so a region still spanning hot and cold memory cannot get cold
   * pages promoted.
   */
  @Test
  void samplesOfANewlyWatchedProcessWaitForTheWarmupAtMost() throws IOException {
    List<List<Integer>> seen = regionsAndMoves(() -> new SplittingSource(Integer.MAX_VALUE));
    List<Integer> regions = seen.get(0);
    List<Integer> moves = seen.get(1);
    // t = 0, 2, 4 s: warming up, nothing scored; t = 6 s: first window, hot, and the fast node
    // has room, so it is promoted at once
    assertThat(regions.subList(0, 3)).containsOnly(0);
    assertThat(moves.subList(0, 3)).containsOnly(0);
    assertThat(regions.get(3)).isPositive();
    assertThat(moves.get(3)).isPositive();
  }

  /** The warm-up ends as soon as the source's regions of the process have split. */
  @Test
  void theWarmupEndsWhenTheRegionsSplit() throws IOException {
    List<List<Integer>> seen = regionsAndMoves(() -> new SplittingSource(2));
    // t = 0: one region, warming; t = 2 s: two regions, scored and promoted, 3 s before the cap
    assertThat(seen.get(0).get(0)).isZero();
    assertThat(seen.get(0).get(1)).isEqualTo(2);
    assertThat(seen.get(1).get(1)).isPositive();
  }

  /** A source with one sample per chunk or VMA sees at full resolution: no warm-up. */
  @Test
  void aSourceWhoseRegionsDoNotAdaptIsScoredFromItsFirstWindow() throws IOException {
    List<List<Integer>> seen = regionsAndMoves(HotSource::new);
    assertThat(seen.get(0).get(0)).isPositive();
    assertThat(seen.get(1).get(0)).isPositive();
  }

  /**
   * processes.numaMapsMaxAge lets the scan keep a quiet process's VMAs for a few cycles; a policy
   * set in between (here mbind to the slow node, seen only in numa_maps) is caught by the re-read
   * before the move: the plan is made again and the bound buffer stays where it is.
   */
  @Test
  void aPolicySetWhileNumaMapsWasNotReadIsSeenBeforeAnyMove() throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test",
            "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n"
                + "  numaMapsMaxAge: 60s\nscoring:\n  halfLife: 6s\nheat:\n  warmup: 0s\n");
    TierdMetrics metrics = new TierdMetrics("test");
    StepClock clock = new StepClock();
    TieringCycle.Parts parts = dryRun(clock, metrics);
    logged.logger().setLevel(ch.qos.logback.classic.Level.DEBUG);
    List<Integer> moves = new java.util.ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      // numa_maps unchanged until cycle 6, when the buffer gets bound to the slow node
      for (int i = 1; i <= 10; i++) {
        if (i == 6) {
          Path numaMaps = root.resolve("proc/4242/numa_maps");
          Files.writeString(numaMaps, Files.readString(numaMaps).replace(" default ", " bind:1 "));
        }
        CycleReport r = cycle.run();
        assertThat(r.ok()).as(String.valueOf(r.error())).isTrue();
        moves.add(r.plannedMoves());
        clock.now = clock.now.plusSeconds(2);
      }
    } finally {
      logged.logger().setLevel(null);
    }
    // the promotion is planned while the policy is default, and never once the buffer is bound
    assertThat(moves.subList(3, 5)).allMatch(n -> n > 0);
    assertThat(moves.subList(5, 10)).containsOnly(0);
    // cycle 6 kept the old VMAs (its scan did not read numa_maps); the re-read before the move saw
    // the policy and planned again
    assertThat(lines("plan round 1: numa_maps changed since it was last read for pids [4242]"))
        .hasSize(1);
    // The scan read numa_maps in cycles 1, 2, 7 (the re-read in 6 found a change: period 1) and 9,
    // and kept the VMAs in 3-6, 8 and 10. A dry run plans the promotion again in every cycle until
    // the buffer is bound, so the re-read before the move ran in 3, 4, 5 (unchanged: the period
    // went on doubling) and 6 (changed); none after, as nothing is planned.
    assertThat(metrics.scrape())
        .contains("tierd_scan_numa_maps_total{outcome=\"read\",} 4.0")
        .contains("tierd_scan_numa_maps_total{outcome=\"kept\",} 6.0")
        .contains("tierd_scan_numa_maps_total{outcome=\"rechecked\",} 4.0");
  }
}
