package tierd.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * {@link PlanningBench}'s plan of 1,000,000 regions ({@link BenchWorld}, seed 42), one plan at a
 * time, reporting the CPU time of each plan (the thread's, as {@link PlanningBench}'s cpuMsPerOp)
 * as a distribution: minimum, first quartile and median over {@code plans} plans after {@code
 * warmup}. On a loaded shared host a plan's CPU time only grows (other load steals caches, not
 * instructions), so the low quantiles compare two builds where the JMH mean cannot. Run from the
 * repository root after {@code bench/jmh.sh -l} (which builds and writes target/jmh.classpath):
 *
 * <pre>
 * java -Xms6g -Xmx6g -cp target/test-classes:target/classes:$(cat target/jmh.classpath) \
 *     tierd.bench.PlanningCpuSamples 25 60
 * </pre>
 */
public final class PlanningCpuSamples {

  private PlanningCpuSamples() {}

  public static void main(String[] args) {
    int warmup = Integer.parseInt(args[0]);
    int plans = Integer.parseInt(args[1]);
    PlanningBench bench = PlanningBench.prepared(1_000_000);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < warmup; i++) {
      bench.plan();
    }
    double[] cpu = new double[plans];
    double[] wall = new double[plans];
    for (int i = 0; i < plans; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long wallStart = System.nanoTime();
      bench.plan();
      cpu[i] = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e6;
      wall[i] = (System.nanoTime() - wallStart) / 1e6;
    }
    Arrays.sort(cpu);
    Arrays.sort(wall);
    System.out.printf(
        "cpu ms: min %.1f p25 %.1f median %.1f | wall ms: min %.1f p25 %.1f median %.1f%n",
        cpu[0], cpu[plans / 4], cpu[plans / 2], wall[0], wall[plans / 4], wall[plans / 2]);
  }
}
