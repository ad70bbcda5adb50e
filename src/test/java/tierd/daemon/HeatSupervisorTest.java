package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tierd.CapturedLog;
import tierd.heat.HeatSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.SourceKind;
import tierd.metrics.TierdMetrics;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.process.ManagedProcess;

/**
 * The heat source across cycles: when it is opened and re-opened, what happens to a source that is
 * lost or breaks, and warm-up per (pid, start time).
 */
class HeatSupervisorTest {

  private static final Duration NO_WARMUP = Duration.ZERO;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private final TieringCycleLogTest.StepClock clock = new TieringCycleLogTest.StepClock();
  private final TierdMetrics metrics = new TierdMetrics("test");

  /** One sample per process it watches, or what {@link #failure} says. */
  static final class ScriptedSource implements HeatSource {
    final List<Integer> watched = new ArrayList<>();
    Supplier<RuntimeException> failure = () -> null;
    Set<Integer> kdamonds = Set.of();
    boolean regionsAdapt = true;
    boolean closed;

    @Override
    public String name() {
      return "damon-vaddr";
    }

    @Override
    public void update(Collection<ManagedProcess> processes) {
      watched.clear();
      processes.forEach(p -> watched.add(p.pid()));
    }

    @Override
    public List<RegionSample> collect() {
      RuntimeException e = failure.get();
      if (e != null) {
        throw e;
      }
      return watched.stream()
          .map(
              pid ->
                  new RegionSample(
                      pid,
                      new AddressRange(0x1000, 0x2000),
                      5,
                      20,
                      Duration.ofSeconds(2),
                      Duration.ZERO,
                      "test"))
          .toList();
    }

    @Override
    public boolean regionsAdapt() {
      return regionsAdapt;
    }

    @Override
    public Set<Integer> ownKdamonds() {
      return closed ? Set.of() : kdamonds;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static ManagedProcess process(int pid, long startTimeTicks) {
    NodeSet all = NodeSet.parse("0-1");
    return new ManagedProcess(
        pid, startTimeTicks, "w", 0, "/", all, Optional.empty(), all, List.of());
  }

  private static List<Integer> pids(List<RegionSample> samples) {
    return samples.stream().map(RegionSample::pid).toList();
  }

  @Test
  void aSourceThatCannotOpenIsTriedAgainAfterRetryCycles() {
    List<Integer> attempts = new ArrayList<>();
    int[] cycle = {0};
    HeatSupervisor heat =
        new HeatSupervisor(
            () -> {
              attempts.add(cycle[0]);
              throw new IllegalStateException("DAMON is busy");
            },
            metrics,
            clock);
    for (cycle[0] = 1; cycle[0] <= 2 * HeatSupervisor.RETRY_CYCLES + 3; cycle[0]++) {
      assertThat(heat.collect(List.of(process(1, 10)), TrackingLimits.NONE, NO_WARMUP)).isEmpty();
      assertThat(heat.name()).isEqualTo("none");
    }
    int gap = HeatSupervisor.RETRY_CYCLES + 1;
    assertThat(attempts).containsExactly(1, 1 + gap, 1 + 2 * gap);
    assertThat(logged.startingWith("no hotness source available: DAMON is busy; retrying in"))
        .hasSize(3);
  }

  @Test
  void anOpenSourceIsAskedEveryCycleAndNamed() {
    ScriptedSource source = new ScriptedSource();
    HeatSupervisor heat = new HeatSupervisor(() -> source, metrics, clock);
    assertThat(heat.name()).isEqualTo("none");
    assertThat(heat.active()).isEmpty();
    List<ManagedProcess> procs = List.of(process(1, 10), process(2, 20));
    assertThat(pids(heat.collect(procs, TrackingLimits.NONE, NO_WARMUP))).containsExactly(1, 2);
    assertThat(heat.name()).isEqualTo("damon-vaddr");
    assertThat(heat.active()).containsSame(source);
  }

  @Test
  void aLostSourceIsClosedAndTheCycleGoesOnWithoutHeat() {
    List<ScriptedSource> opened = new ArrayList<>();
    HeatSupervisor heat =
        new HeatSupervisor(
            () -> {
              ScriptedSource s = new ScriptedSource();
              opened.add(s);
              return s;
            },
            metrics,
            clock);
    List<ManagedProcess> procs = List.of(process(1, 10));
    heat.collect(procs, TrackingLimits.NONE, NO_WARMUP);
    opened.get(0).failure =
        () -> new HeatSourceUnavailableException(SourceKind.DAMON_VADDR, "kdamond 0 taken over");
    assertThat(heat.collect(procs, TrackingLimits.NONE, NO_WARMUP)).isEmpty();
    assertThat(opened.get(0).closed).isTrue();
    assertThat(heat.name()).isEqualTo("none");
    assertThat(heat.active()).isEmpty();
    for (int i = 0; i < HeatSupervisor.RETRY_CYCLES; i++) {
      heat.collect(procs, TrackingLimits.NONE, NO_WARMUP);
    }
    assertThat(opened).as("not re-opened within the retry cycles").hasSize(1);
    assertThat(pids(heat.collect(procs, TrackingLimits.NONE, NO_WARMUP))).containsExactly(1);
    assertThat(opened).hasSize(2);
  }

  @Test
  void aBrokenSourceFailsTheStageAndIsClosed() {
    ScriptedSource source = new ScriptedSource();
    HeatSupervisor heat = new HeatSupervisor(() -> source, metrics, clock);
    List<ManagedProcess> procs = List.of(process(1, 10));
    heat.collect(procs, TrackingLimits.NONE, NO_WARMUP);
    source.failure = () -> new IllegalStateException("kdamond 0 removed");
    assertThatThrownBy(() -> heat.collect(procs, TrackingLimits.NONE, NO_WARMUP))
        .hasMessage("kdamond 0 removed");
    assertThat(source.closed).isTrue();
    assertThat(heat.active()).isEmpty();
    assertThat(logged.startingWith("hotness source damon-vaddr failed: kdamond 0 removed"))
        .hasSize(1);
  }

  @Test
  void aSourceWhoseRegionsDoNotAdaptNeedsNoWarmUp() {
    ScriptedSource source = new ScriptedSource();
    source.regionsAdapt = false;
    HeatSupervisor heat = new HeatSupervisor(() -> source, metrics, clock);
    List<ManagedProcess> procs = List.of(process(1, 10));
    assertThat(pids(heat.collect(procs, TrackingLimits.NONE, Duration.ofSeconds(5))))
        .containsExactly(1);
    assertThat(heat.warmingProcesses()).as("pid 1 is new this cycle").isEqualTo(1);
    assertThat(pids(heat.collect(procs, TrackingLimits.NONE, Duration.ofSeconds(5))))
        .containsExactly(1);
    assertThat(heat.warmingProcesses()).isZero();
  }

  @Test
  void samplesOfAProcessWaitForTheWarmUpAndARestartedProcessWarmsUpAgain() {
    ScriptedSource source = new ScriptedSource();
    HeatSupervisor heat = new HeatSupervisor(() -> source, metrics, clock);
    Duration warmup = Duration.ofSeconds(5);
    List<ManagedProcess> first = List.of(process(1, 10));
    assertThat(heat.collect(first, TrackingLimits.NONE, warmup)).isEmpty();
    clock.now = clock.now.plusSeconds(4);
    assertThat(heat.collect(first, TrackingLimits.NONE, warmup)).isEmpty();
    clock.now = clock.now.plusSeconds(1);
    List<ManagedProcess> both = List.of(process(1, 10), process(2, 20));
    assertThat(pids(heat.collect(both, TrackingLimits.NONE, warmup)))
        .as("pid 1 watched for 5 s, pid 2 new")
        .containsExactly(1);
    clock.now = clock.now.plusSeconds(5);
    List<ManagedProcess> restarted = List.of(process(1, 11), process(2, 20));
    assertThat(pids(heat.collect(restarted, TrackingLimits.NONE, warmup)))
        .as("pid 1 is a new process (start time 11)")
        .containsExactly(2);
  }
}
