package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.heat.RegionSample;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.planner.Fixtures;
import tierd.process.ManagedProcess;

/** The warm-up that holds back samples until DAMON has split a new target's regions. */
class WarmUpTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration LONGEST = Duration.ofSeconds(10);
  static final ManagedProcess P1 = Fixtures.process(1, NodeSet.of(0, 1), List.of());
  static final ManagedProcess P2 = Fixtures.process(2, NodeSet.of(0, 1), List.of());

  /** {@code regions} samples of {@code pid}, 1 MiB each. */
  static List<RegionSample> regions(int pid, int regions) {
    List<RegionSample> out = new ArrayList<>();
    for (int i = 0; i < regions; i++) {
      out.add(
          new RegionSample(
              pid,
              AddressRange.ofSize(0x7f0000000000L + ((long) i << 20), 1 << 20),
              5,
              20,
              Duration.ofSeconds(2),
              Duration.ZERO,
              "damon-vaddr"));
    }
    return out;
  }

  static List<RegionSample> both(List<RegionSample> first, List<RegionSample> second) {
    List<RegionSample> out = new ArrayList<>(first);
    out.addAll(second);
    return out;
  }

  @Test
  void aProcessWaitsUntilItsRegionCountChangesThenStaysWarm() {
    WarmUp warmUp = new WarmUp();
    List<ManagedProcess> procs = List.of(P1);
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0, true, LONGEST)).isEmpty();
    assertThat(warmUp.warming()).isEqualTo(1);
    // the same ten initial regions in the next window: not split yet
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0.plusSeconds(2), true, LONGEST)).isEmpty();
    // DAMON split them: scored from this window on, long before the 10 s cap
    assertThat(warmUp.warmedUp(regions(1, 17), procs, T0.plusSeconds(4), true, LONGEST))
        .hasSize(17);
    assertThat(warmUp.warming()).isZero();
    // and back at ten regions later (merged), it stays warm
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0.plusSeconds(6), true, LONGEST))
        .hasSize(10);
  }

  @Test
  void theLongestWarmUpEndsItWhenTheRegionsNeverChange() {
    WarmUp warmUp = new WarmUp();
    List<ManagedProcess> procs = List.of(P1);
    assertThat(warmUp.warmedUp(regions(1, 3), procs, T0, true, LONGEST)).isEmpty();
    assertThat(warmUp.warmedUp(regions(1, 3), procs, T0.plusSeconds(9), true, LONGEST)).isEmpty();
    assertThat(warmUp.warmedUp(regions(1, 3), procs, T0.plusSeconds(10), true, LONGEST)).hasSize(3);
  }

  @Test
  void eachProcessWarmsUpOnItsOwn() {
    WarmUp warmUp = new WarmUp();
    List<ManagedProcess> procs = List.of(P1, P2);
    warmUp.warmedUp(regions(1, 10), List.of(P1), T0, true, LONGEST);
    warmUp.warmedUp(regions(1, 12), List.of(P1), T0.plusSeconds(2), true, LONGEST);
    // a process that appears later waits while the first one is scored
    List<RegionSample> scored =
        warmUp.warmedUp(
            both(regions(1, 12), regions(2, 10)), procs, T0.plusSeconds(4), true, LONGEST);
    assertThat(scored).extracting(RegionSample::pid).containsOnly(1);
    assertThat(scored).hasSize(12);
  }

  @Test
  void aWindowWithoutSamplesOfAProcessDoesNotStartItsWarmUp() {
    WarmUp warmUp = new WarmUp();
    List<ManagedProcess> procs = List.of(P1);
    // DAMON has not reported the new target yet: its first samples come 5 s later
    assertThat(warmUp.warmedUp(List.of(), procs, T0, true, LONGEST)).isEmpty();
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0.plusSeconds(5), true, LONGEST)).isEmpty();
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0.plusSeconds(14), true, LONGEST))
        .as("10 s after its first samples, not after its discovery")
        .isEmpty();
    assertThat(warmUp.warmedUp(regions(1, 10), procs, T0.plusSeconds(15), true, LONGEST))
        .hasSize(10);
  }

  @Test
  void aRestartedProcessWarmsUpAgain() {
    WarmUp warmUp = new WarmUp();
    warmUp.warmedUp(regions(1, 10), List.of(P1), T0, true, LONGEST);
    assertThat(warmUp.warmedUp(regions(1, 12), List.of(P1), T0.plusSeconds(2), true, LONGEST))
        .hasSize(12);
    ManagedProcess restarted =
        new ManagedProcess(
            1,
            P1.startTimeTicks() + 100,
            P1.comm(),
            P1.rssBytes(),
            P1.cgroupPath(),
            P1.memsAllowed(),
            P1.cpusetMems(),
            P1.allowedNodes(),
            P1.vmas());
    assertThat(
            warmUp.warmedUp(regions(1, 12), List.of(restarted), T0.plusSeconds(4), true, LONGEST))
        .isEmpty();
  }

  @Test
  void newcomersAreTheProcessesNotManagedTheCycleBeforeWhateverTheSource() {
    WarmUp warmUp = new WarmUp();
    warmUp.warmedUp(List.of(), List.of(P1), T0, false, LONGEST);
    assertThat(warmUp.newcomers()).isEqualTo(1);
    warmUp.warmedUp(regions(1, 3), List.of(P1), T0.plusSeconds(1), false, LONGEST);
    assertThat(warmUp.newcomers()).isZero();
    warmUp.warmedUp(regions(1, 3), List.of(P1, P2), T0.plusSeconds(2), true, LONGEST);
    assertThat(warmUp.newcomers()).isEqualTo(1);
    assertThat(warmUp.warming()).as("P1's first adapting window").isEqualTo(1);
  }

  @Test
  void sourcesWhoseRegionsDoNotAdaptAndAZeroWarmUpHoldNothingBack() {
    WarmUp warmUp = new WarmUp();
    assertThat(warmUp.warmedUp(regions(1, 4), List.of(P1), T0, false, LONGEST)).hasSize(4);
    assertThat(warmUp.warmedUp(regions(1, 4), List.of(P1), T0, true, Duration.ZERO)).hasSize(4);
  }
}
