package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.Fixtures;
import tierd.config.TierdConfig;
import tierd.heat.HeatSource;
import tierd.heat.RegionSample;
import tierd.kernelfs.KernelRoot;
import tierd.metrics.TierdMetrics;
import tierd.model.AddressRange;
import tierd.mover.PageMover;
import tierd.planner.Direction;
import tierd.planner.Move;
import tierd.process.ManagedProcess;
import tierd.profile.Breakdown;
import tierd.profile.ProfileSummary;
import tierd.profile.WindowProfile;

/**
 * A host with one memory node (this machine's captured tree) whose process 4242 holds an 8 MiB hot
 * and a 24 MiB cold buffer. The cycle goes on past discovery: heat, scoring and the profile run,
 * and nothing is planned; with {@code whatIf.fast} the planner plans against simulated tiers, and
 * the parts' mover is never called (the what-if plan goes to the dry-run recorder).
 */
class OneTierCycleTest {

  static final AddressRange HOT = new AddressRange(0x7f0000000000L, 0x7f0000800000L);
  static final AddressRange COLD = new AddressRange(0x7f0000801000L, 0x7f0002001000L);

  @TempDir Path root;

  private KernelRoot host() throws IOException {
    Fixtures.copyTree(Fixtures.path("fixtures/host-1node"), root);
    Path proc = root.resolve("proc/4242");
    Files.writeString(
        proc.resolve("maps"),
        "7f0000000000-7f0000800000 rw-p 00000000 00:00 0 \n"
            + "7f0000801000-7f0002001000 rw-p 00000000 00:00 0 \n");
    Files.writeString(
        proc.resolve("numa_maps"),
        "7f0000000000 default anon=2048 dirty=2048 active=0 N0=2048 kernelpagesize_kB=4\n"
            + "7f0000801000 default anon=6144 dirty=6144 active=0 N0=6144 kernelpagesize_kB=4\n");
    return KernelRoot.under(root);
  }

  /** The hot buffer accessed in every check, the cold one idle for ten minutes already. */
  static final class SplitSource implements HeatSource {
    private final List<Integer> pids = new ArrayList<>();

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
      List<RegionSample> out = new ArrayList<>();
      for (int pid : pids) {
        out.add(new RegionSample(pid, HOT, 20, 20, Duration.ofSeconds(2), Duration.ZERO, "test"));
        out.add(
            new RegionSample(
                pid, COLD, 0, 20, Duration.ofSeconds(2), Duration.ofMinutes(10), "test"));
      }
      return out;
    }

    @Override
    public void close() {}
  }

  private static TierdConfig config(String extra) {
    return TierdConfig.parse(
        "test",
        "interval: 2s\nprocesses:\n  comm: python3\n  minRss: 1MiB\n"
            + "scoring:\n  halfLife: 6s\nheat:\n  warmup: 0s\nprofile:\n  cpuBudget: 100%\n"
            + extra);
  }

  /** A mover that counts its calls: a what-if must never reach it. */
  private final AtomicInteger moverCalls = new AtomicInteger();

  private final PageMover forbidden =
      (requests, limits, progress) -> {
        moverCalls.incrementAndGet();
        throw new AssertionError("the parts' mover was called with " + requests);
      };

  private List<CycleReport> run(TierdConfig config, int cycles, TierdMetrics metrics)
      throws IOException {
    TieringCycleLogTest.StepClock clock = new TieringCycleLogTest.StepClock();
    TieringCycle.Parts parts =
        new TieringCycle.Parts(
            host(),
            4096,
            clock,
            forbidden,
            false,
            Optional.empty(),
            SplitSource::new,
            ConflictCheck.NONE,
            metrics);
    List<CycleReport> out = new ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      for (int i = 0; i < cycles; i++) {
        CycleReport r = cycle.run();
        assertThat(r.ok()).as(String.valueOf(r.error())).isTrue();
        out.add(r);
        clock.now = clock.now.plusSeconds(2);
      }
      lastPlanMoves = cycle.lastPlan() == null ? List.of() : cycle.lastPlan().moves();
    }
    return out;
  }

  private List<Move> lastPlanMoves;

  @Test
  void oneTierProfilesTheHeatAndPlansNothing() throws IOException {
    TierdMetrics metrics = new TierdMetrics("test");
    List<CycleReport> reports = run(config(""), 4, metrics);
    CycleReport last = reports.get(reports.size() - 1);
    assertThat(last.tiered()).isFalse();
    assertThat(last.whatIf()).isFalse();
    assertThat(last.plannedMoves()).isZero();
    assertThat(lastPlanMoves).isEmpty();
    assertThat(moverCalls).hasValue(0);
    ProfileSummary p = last.profile();
    assertThat(p).isNotNull();
    WindowProfile.ProcessProfile proc = p.latest().processes().get(0);
    assertThat(proc.key().pid()).isEqualTo(4242);
    Breakdown b = proc.breakdown();
    assertThat(b.residentBytes()).isEqualTo(HOT.sizeBytes() + COLD.sizeBytes());
    assertThat(b.hotBytes()).isEqualTo(HOT.sizeBytes());
    assertThat(b.coldBytes()).isEqualTo(COLD.sizeBytes());
    assertThat(b.idle1mBytes()).isEqualTo(COLD.sizeBytes());
    // the source knew the cold buffer idle for 10 min already
    assertThat(b.idle10mBytes()).isEqualTo(COLD.sizeBytes());
    assertThat(b.idle1hBytes()).isZero();
    // all the accesses are in the uniformly hot buffer: 95 % of them need 95 % of its bytes
    assertThat(b.hotSetBytes()).isEqualTo((long) Math.ceil(0.95 * HOT.sizeBytes()));
    assertThat(p.hotSetBytes()).hasValue(b.hotSetBytes());
    assertThat(p.sentence())
        .startsWith("your hot set is 7.6MiB (p95 over 6 s); 24MiB has been idle for over 10 min");
    assertThat(last.summary()).contains("one memory tier").contains("hot set 7.6MiB");
    assertThat(metrics.scrape())
        .contains("tierd_hot_set_bytes " + (double) b.hotSetBytes())
        .contains("tierd_idle_bytes{min_age_seconds=\"60\",} " + (double) COLD.sizeBytes())
        .contains("tierd_idle_age_seconds{percentile=\"99\",}")
        .contains("tierd_sizing_fast_tier_bytes{served=\"0.95\",} " + (double) b.hotSetBytes());
  }

  @Test
  void whatIfPlansMovesWithReasonsAndNeverCallsTheMover() throws IOException {
    List<CycleReport> reports = run(config("whatIf:\n  fast: 1GiB\n"), 5, new TierdMetrics("t"));
    CycleReport last = reports.get(reports.size() - 1);
    assertThat(last.whatIf()).isTrue();
    assertThat(last.tiered()).isTrue();
    assertThat(last.summary()).contains("what-if tiers, nothing moved");
    assertThat(last.movedBytes()).isZero();
    assertThat(reports).allSatisfy(r -> assertThat(r.movedPages()).isZero());
    assertThat(moverCalls).hasValue(0);
    // the part of the hot buffer on the simulated slow node 1 goes up, cold data goes down
    List<CycleReport> planned = reports.stream().filter(r -> r.plannedMoves() > 0).toList();
    assertThat(planned).isNotEmpty();
    assertThat(planned).anySatisfy(r -> assertThat(r.promoteBytes()).isPositive());
    assertThat(planned).anySatisfy(r -> assertThat(r.demoteBytes()).isPositive());
  }

  @Test
  void whatIfMovesEveryPromotionFromTheSimulatedSlowNodeUpWithItsReason() throws IOException {
    run(config("whatIf:\n  fast: 1GiB\n"), 3, new TierdMetrics("t"));
    assertThat(lastPlanMoves)
        .filteredOn(m -> m.direction() == Direction.PROMOTE)
        .isNotEmpty()
        .allSatisfy(
            m -> {
              assertThat(m.fromNodes().toArray()).containsExactly(1);
              assertThat(m.toNode()).isZero();
              assertThat(m.ranges()).allSatisfy(r -> assertThat(HOT.contains(r)).isTrue());
              assertThat(tierd.planner.Explain.moveLine(m)).contains("[HOT]");
            });
  }
}
