package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.IntervalTuner;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelFsException;
import tierd.model.AddressRange;

/**
 * The tuned interval's commit, off the cycle, and which intervals an aggregation was measured at.
 */
class DamonIntervalsTest {

  @TempDir Path dir;

  private final Map<String, String> files = new HashMap<>();
  private final List<Runnable> commits = new ArrayList<>();
  private DamonIntervals intervals;

  /** One 8 MiB region nobody touched: below the 4 % goal, so the interval doubles. */
  private static final List<TriedRegion> IDLE =
      List.of(new TriedRegion(new AddressRange(0x7f0000000000L, 0x7f0000800000L), 0, 0));

  @BeforeEach
  void setUp() {
    intervals = intervals("a", this::write, commits::add);
  }

  /** Intervals over {@link #files} under tuning towards 4 %, configured with the test defaults. */
  private DamonIntervals intervals(
      String kernelDir, BiConsumer<String, String> write, Executor committer) {
    DamonConfig config = DamonSourceTestBase.CONFIG;
    DamonIntervals made =
        new DamonIntervals(
            new FakeDamonKernel(dir.resolve(kernelDir), FakeDamonKernel.LINUX_6_12),
            write,
            rel -> Long.parseLong(files.get(rel)),
            new IntervalTuner(
                0.04,
                config.sampleInterval(),
                config.minSampleInterval(),
                config.maxSampleInterval()),
            committer);
    made.configure(config);
    return made;
  }

  private void write(String rel, String value) {
    if (value.equals("fail")) {
      Path path = Path.of("/sys/kernel/mm/damon/admin", rel);
      throw KernelFiles.classify(
          path, new FileSystemException(path.toString(), null, "Invalid argument"));
    }
    files.put(rel, value);
  }

  @Test
  void aggregationsThatEndedBeforeTheCommitLandedKeepTheOldIntervals() {
    long beforeLanding = System.nanoTime();
    intervals.retune(IDLE, () -> true);
    assertThat(intervals.inForce().sampleUs()).as("not landed yet").isEqualTo(10_000);
    assertThat(files).doesNotContainKey(DamonSource.K + "state");

    commits.remove(0).run();
    long afterLanding = System.nanoTime();

    assertThat(files).containsEntry(DamonSource.K + "state", "commit");
    assertThat(intervals.inForce()).isEqualTo(new DamonIntervals.InForce(20_000, 400_000));
    assertThat(intervals.inForceAt(beforeLanding).sampleUs()).isEqualTo(10_000);
    assertThat(intervals.inForceAt(afterLanding).sampleUs()).isEqualTo(20_000);
  }

  @Test
  void noSecondChangeWhileOneIsInFlight() {
    intervals.retune(IDLE, () -> true);
    intervals.retune(IDLE, () -> true);
    assertThat(commits).hasSize(1);
    commits.remove(0).run();
    intervals.retune(IDLE, () -> true);
    assertThat(commits).hasSize(1); // 20 -> 40 ms
    commits.remove(0).run();
    assertThat(intervals.inForce().sampleUs()).isEqualTo(40_000);
  }

  @Test
  void aKdamondThatIsOffTakesTheIntervalsAtOnceWithoutACommit() {
    intervals.retune(IDLE, () -> false);
    assertThat(commits).isEmpty();
    assertThat(intervals.inForce().sampleUs()).isEqualTo(20_000);
    assertThat(files).doesNotContainKey(DamonSource.K + "state");
  }

  @Test
  void aCommitThatFailsWhileTheKdamondRunsThrowsAtTheNextAwaitOnce() {
    DamonIntervals refused =
        intervals(
            "refused",
            (rel, value) -> write(rel, rel.endsWith("state") ? "fail" : value),
            Runnable::run);

    refused.retune(IDLE, () -> true); // the cycle goes on; the failure waits for the next write

    assertThatThrownBy(refused::awaitCommit)
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("Invalid argument");
    refused.awaitCommit(); // once
    assertThat(refused.inForce().sampleUs()).as("never landed").isEqualTo(10_000);
  }
}
