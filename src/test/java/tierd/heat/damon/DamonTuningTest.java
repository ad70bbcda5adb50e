package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.heat.HeatFixtures.process;
import static tierd.heat.HeatFixtures.vma;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tierd.heat.RegionSample;
import tierd.heat.damon.FakeDamonKernel.Feature;
import tierd.heat.damon.FakeDamonKernel.Region;

/** Interval tuning in the DAMON source: by tierd with off-cycle commits, or by the kernel. */
class DamonTuningTest extends DamonSourceTestBase {

  /** vaddr with tierd tuning towards a 4 % access goal; {@code committer} runs tuned commits. */
  DamonSource openTuning(java.util.concurrent.Executor committer) {
    return DamonSource.open(
        DamonSource.Mode.VADDR,
        CONFIG,
        0.04,
        kernel,
        root,
        runtime,
        self,
        ms -> sleeps++,
        committer);
  }

  @Test
  void tierdTunesTheSamplingIntervalTowardsTheAccessGoalAndCommitsIt() {
    kernel.spawn(100);
    kernel.script(100, new Region(A, A + 8 * MIB, 0, 0)); // nothing accessed: intervals grow
    DamonSource s = openTuning(Runnable::run);
    s.update(List.of(proc(100)));
    assertThat(s.tunedBy()).isEqualTo("tierd");
    String iv = DamonSource.CTX + "monitoring_attrs/intervals/";
    List<Long> seen = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<RegionSample> samples = s.collect();
      // every sample carries the intervals it was measured with
      assertThat(samples)
          .allSatisfy(
              r ->
                  assertThat(r.checkInterval())
                      .isEqualTo(
                          Duration.ofNanos(
                              seen.isEmpty() ? 10_000_000 : seen.get(seen.size() - 1) * 1000)));
      seen.add(Long.parseLong(kernel.read(iv + "sample_us")));
      assertThat(Long.parseLong(kernel.read(iv + "aggr_us")))
          .isEqualTo(20 * seen.get(seen.size() - 1));
    }
    // ×2 per collect while nothing is seen, up to the 200 ms ceiling
    assertThat(seen).containsExactly(20_000L, 40_000L, 80_000L, 160_000L, 200_000L, 200_000L);
    assertThat(kernel.writeLog()).contains("kdamonds/0/state=commit");
    assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(s.aggrInterval()).isEqualTo(Duration.ofSeconds(4));
    // the state file still recognises the kdamond as tierd's at the tuned intervals
    assertThat(DamonLeftovers.stillOurs(kernel, DamonStateFile.read(runtime).orElseThrow()))
        .isTrue();

    kernel.script(100, new Region(A, A + 8 * MIB, 20, 0)); // everything accessed: halve
    s.collect();
    assertThat(kernel.read(iv + "sample_us")).isEqualTo("100000");
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void atTheGoalTheIntervalsStay() {
    kernel.spawn(100);
    // 4 % of the bytes' checks: 1 MiB accessed in 16 of 20 checks, 19 MiB never (0.8 / 20 = 4 %)
    kernel.script(100, new Region(A, A + MIB, 16, 0), new Region(A + MIB, A + 20 * MIB, 0, 0));
    DamonSource s = openTuning(Runnable::run);
    s.update(List.of(process(100, vma(A, A + 20 * MIB, 5120))));
    kernel.clearWriteLog();
    s.collect();
    s.collect();
    assertThat(kernel.writeLog()).doesNotContain("kdamonds/0/state=commit");
    assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(10));
    s.close();
  }

  @Test
  void aTunedIntervalIsCommittedOffTheCycleAndCountsOnlyOnceItLanded() {
    kernel.spawn(100);
    kernel.script(100, new Region(A, A + 8 * MIB, 0, 0)); // nothing accessed: the interval grows
    List<Runnable> commits = new java.util.ArrayList<>();
    DamonSource s = openTuning(commits::add);
    s.update(List.of(proc(100)));
    kernel.clearWriteLog();
    String iv = DamonSource.CTX + "monitoring_attrs/intervals/";

    s.collect();
    // the change waits for its commit, which the cycle does not wait for
    assertThat(commits).hasSize(1);
    assertThat(kernel.writeLog()).doesNotContain("kdamonds/0/state=commit");
    assertThat(kernel.read(iv + "sample_us")).isEqualTo("10000");
    assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(10));
    // the next cycle's update, with the same targets, writes nothing and so does not wait for it
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> s.update(List.of(proc(100))));

    commits.remove(0).run(); // the kdamond takes it at its aggregation's end
    assertThat(kernel.writeLog()).contains("kdamonds/0/state=commit");
    assertThat(kernel.read(iv + "sample_us")).isEqualTo("20000");
    assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(20));
    assertThat(s.aggrInterval()).isEqualTo(Duration.ofMillis(400));
    // regions asked for after it landed were measured with it
    assertThat(s.collect())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.checkInterval()).isEqualTo(Duration.ofMillis(20)));
    assertThat(commits).hasSize(1); // the next step (40 ms), again off the cycle
    commits.remove(0).run();
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void aCommitRefusedBecauseEveryTargetExitedLeavesTheIntervalsForTheNextStart() {
    kernel.spawn(100);
    kernel.script(100, new Region(A, A + 8 * MIB, 0, 0));
    List<Runnable> commits = new java.util.ArrayList<>();
    DamonSource s = openTuning(commits::add);
    s.update(List.of(proc(100)));
    s.collect();
    assertThat(commits).hasSize(1);
    kernel.exit(100); // the kdamond stops with its last target: "commit" gets EINVAL
    assertThat(kernel.isRunning(0)).isFalse();

    commits.remove(0).run();

    assertThat(s.sampleInterval()).isEqualTo(Duration.ofMillis(20)); // the files, for the restart
    kernel.spawn(200);
    kernel.script(200, new Region(A, A + 8 * MIB, 0, 0));
    s.update(List.of(proc(200))); // no failure carried over to the next write
    assertThat(kernel.isRunning(0)).isTrue();
    assertThat(s.collect())
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.checkInterval()).isEqualTo(Duration.ofMillis(20)));
    commits.forEach(Runnable::run);
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void whereTheKernelHasIntervalsGoalItTunesAndTierdReadsTheIntervalsBack() {
    Set<Feature> v615 = EnumSet.copyOf(FakeDamonKernel.LINUX_6_12);
    v615.add(Feature.INTERVALS_GOAL);
    kernel = new FakeDamonKernel(dir, v615);
    kernel.spawn(100);
    kernel.script(100, new Region(A, A + 8 * MIB, 3, 0));
    DamonSource s = openTuning(Runnable::run);
    String goal = DamonIntervals.GOAL;
    assertThat(kernel.read(goal + "access_bp")).isEqualTo("400");
    assertThat(kernel.read(goal + "aggrs")).isEqualTo("3");
    assertThat(kernel.read(goal + "min_sample_us")).isEqualTo("5000");
    assertThat(kernel.read(goal + "max_sample_us")).isEqualTo("200000");
    assertThat(s.tunedBy()).isEqualTo("kernel");
    s.update(List.of(proc(100)));

    kernel.tuneIntervals(125_000, 2_500_000);
    kernel.clearWriteLog();
    List<RegionSample> samples = s.collect();
    assertThat(kernel.writeLog())
        .contains("kdamonds/0/state=update_tuned_intervals")
        .doesNotContain("kdamonds/0/state=commit"); // the kernel tunes; tierd only reads
    assertThat(samples)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.checkInterval()).isEqualTo(Duration.ofMillis(125));
              assertThat(r.window()).isEqualTo(Duration.ofMillis(2500));
              assertThat(r.maxAccesses()).isEqualTo(20);
            });
    assertThat(s.intervals().orElseThrow())
        .isEqualTo(
            new tierd.heat.HeatSource.Intervals(
                Duration.ofMillis(125), Duration.ofMillis(2500), "kernel"));
    assertThat(DamonLeftovers.stillOurs(kernel, DamonStateFile.read(runtime).orElseThrow()))
        .isTrue();
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void aKdamondAtIntervalsOutsideTheRecordedBoundsIsNotTierds() {
    kernel.spawn(100);
    DamonSource s = openTuning(Runnable::run);
    s.update(List.of(proc(100)));
    DamonStateFile rec = DamonStateFile.read(runtime).orElseThrow();
    String iv = DamonSource.CTX + "monitoring_attrs/intervals/";
    kernel.write(iv + "sample_us", "300000"); // above the 200 ms ceiling
    kernel.write(iv + "aggr_us", "6000000");
    assertThat(DamonLeftovers.stillOurs(kernel, rec)).isFalse();
    kernel.write(iv + "sample_us", "100000"); // inside, but not at the 1:20 ratio
    kernel.write(iv + "aggr_us", "1000000");
    assertThat(DamonLeftovers.stillOurs(kernel, rec)).isFalse();
    kernel.write(iv + "aggr_us", "2000000");
    assertThat(DamonLeftovers.stillOurs(kernel, rec)).isTrue();
    s.close();
  }
}
