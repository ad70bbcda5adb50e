package tierd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tierd.planner.MigrationPlan;
import tierd.planner.PlanInput;
import tierd.planner.PlanResult;
import tierd.planner.Planner;
import tierd.planner.PlannerConfig;
import tierd.planner.PlannerState;
import tierd.scoring.PromotionFeedback;
import tierd.scoring.Scorer;
import tierd.scoring.ScoringConfig;
import tierd.scoring.ScoringInput;
import tierd.scoring.ScoringResult;

/**
 * One cycle of scoring and planning over {@code regions} regions ({@link BenchWorld}): scoring
 * alone (the scorer holds two earlier cycles of history), planning alone (placements estimated from
 * the VMAs, default planner config), and both. Target: planning 1,000,000 regions in ≤ 200 ms. Run
 * with {@code bench/jmh.sh PlanningBench -f 1 -wi 3 -i 5}.
 *
 * <p>Besides wall time per operation, each benchmark reports {@code cpuMsPerOp}: the CPU time of
 * the benchmark thread per operation (garbage collection and JIT threads not included), which stays
 * meaningful on a shared machine whose load steals wall time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class PlanningBench {

  @Param({"1000000"})
  public int regions;

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** CPU time of the benchmark thread, averaged per operation over each iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    public double cpuMsPerOp;
    private long nanos;
    private long ops;

    @Setup(Level.Iteration)
    public void reset() {
      nanos = 0;
      ops = 0;
      cpuMsPerOp = 0;
    }

    long start() {
      return THREADS.getCurrentThreadCpuTime();
    }

    void stop(long start) {
      nanos += THREADS.getCurrentThreadCpuTime() - start;
      ops++;
      cpuMsPerOp = nanos / 1e6 / ops;
    }
  }

  private BenchWorld world;
  private Scorer scorer;
  private int cycle;
  private ScoringResult scores;
  private PlanInput planInput;
  private Planner planner;

  @Setup(Level.Trial)
  public void setUp() {
    world = new BenchWorld(regions, 42);
    scorer = new Scorer(ScoringConfig.defaults());
    for (cycle = 0; cycle < 3; cycle++) {
      scores = score();
    }
    planner = new Planner(PlannerConfig.defaults());
    planInput = PlanInput.estimated(world.topology, world.processes, scores);
  }

  private ScoringResult score() {
    return scorer.score(
        new ScoringInput(
            BenchWorld.at(cycle),
            world.topology,
            world.processes,
            world.samples,
            PromotionFeedback.NONE));
  }

  /** Scoring one cycle of 1M samples (history carried from the previous cycle). */
  @Benchmark
  public ScoringResult score1M(Cpu cpu) {
    long t = cpu.start();
    cycle++;
    ScoringResult s = score();
    cpu.stop(t);
    return s;
  }

  /** Planning over 1M scored regions. */
  @Benchmark
  public MigrationPlan plan1M(Cpu cpu) {
    long t = cpu.start();
    MigrationPlan p = plan();
    cpu.stop(t);
    return p;
  }

  /** One plan, as {@link #plan1M} times it. */
  MigrationPlan plan() {
    return planner.plan(planInput, PlannerState.initial()).plan();
  }

  /** Scoring then planning one cycle. */
  @Benchmark
  public PlanResult scoreAndPlan1M(Cpu cpu) {
    long t = cpu.start();
    cycle++;
    ScoringResult s = score();
    PlanResult r =
        planner.plan(
            PlanInput.estimated(world.topology, world.processes, s), PlannerState.initial());
    cpu.stop(t);
    return r;
  }

  /** The benchmark's state for {@code regions} regions, set up as JMH sets it up. */
  static PlanningBench prepared(int regions) {
    PlanningBench b = new PlanningBench();
    b.regions = regions;
    b.setUp();
    return b;
  }

  /** The plan the benchmark measures and the state it hands on, as the golden plans record it. */
  public static PlanResult planResult(int regions) {
    PlanningBench b = prepared(regions);
    return b.planner.plan(b.planInput, PlannerState.initial());
  }

  /** The plan the benchmark measures, for a look at what it decides. */
  public static List<String> describe(int regions) {
    PlanningBench b = prepared(regions);
    MigrationPlan p = b.plan();
    return List.of(
        "regions " + p.summary().regions() + ", segments " + p.summary().segments(),
        "moves " + p.moves().size() + ", skips " + p.skipCounts(),
        "hot threshold " + b.scores.thresholds().hot() + ", hot bytes " + b.scores.hotBytes());
  }
}
