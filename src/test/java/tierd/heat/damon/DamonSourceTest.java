package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.damon.FakeDamonKernel.Feature;
import tierd.heat.damon.FakeDamonKernel.Region;
import tierd.model.AddressRange;

/** The DAMON source end to end on the fake kernel: set-up, read and tear-down, targets. */
class DamonSourceTest extends DamonSourceTestBase {

  static Stream<Arguments> kernels() {
    Set<Feature> v615 = EnumSet.copyOf(FakeDamonKernel.LINUX_6_12);
    v615.add(Feature.ALLOW);
    v615.add(Feature.CORE_FILTERS);
    Set<Feature> v618 = EnumSet.copyOf(v615);
    v618.add(Feature.ADDR_UNIT);
    return Stream.of(
        Arguments.of("6.12 (filters, no allow)", FakeDamonKernel.LINUX_6_12, "filters"),
        Arguments.of("6.15 (core_filters, allow)", v615, "core_filters"),
        Arguments.of("6.18 (addr_unit)", v618, "core_filters"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void vaddrSetUpReadTearDown(String name, Set<Feature> features, String filtersDir) {
    kernel = new FakeDamonKernel(dir, features);
    twoWorkloads();

    DamonSource s = open(DamonSource.Mode.VADDR);
    assertThat(nrKdamonds()).isEqualTo("1");
    assertThat(kernel.read("kdamonds/0/state")).isEqualTo("off");
    assertThat(DamonStateFile.read(runtime).orElseThrow().phase())
        .isEqualTo(DamonStateFile.Phase.CONFIGURED);
    assertThat(s.maxAccesses()).isEqualTo(20);
    assertThat(s.ownKdamonds()).containsExactly(0);

    s.update(List.of(proc(200), proc(100)));
    assertThat(kernel.read("kdamonds/0/state")).isEqualTo("on");
    assertThat(s.targets()).containsExactly(100, 200);
    String f1 = DamonSource.CTX + "schemes/1/" + filtersDir + "/0/";
    assertThat(kernel.read(f1 + "type")).isEqualTo("target");
    assertThat(kernel.read(f1 + "damon_target_idx")).isEqualTo("1");
    assertThat(kernel.read(f1 + "matching")).isEqualTo("N");
    assertThat(kernel.read(DamonSource.CTX + "schemes/1/access_pattern/sz/max"))
        .isEqualTo("18446744073709551615");
    assertThat(DamonStateFile.read(runtime).orElseThrow().kthreadPid())
        .isEqualTo(Integer.parseInt(kernel.read("kdamonds/0/pid")));

    List<RegionSample> samples = s.collect();
    assertThat(samples)
        .containsExactly(
            new RegionSample(
                100,
                new AddressRange(A, A + 4 * MIB),
                18,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(600),
                "damon-vaddr"),
            new RegionSample(
                100,
                new AddressRange(A + 4 * MIB, A + 8 * MIB),
                0,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(1800),
                "damon-vaddr"),
            new RegionSample(
                200,
                new AddressRange(A, A + 8 * MIB),
                5,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ZERO,
                "damon-vaddr"));

    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
    assertThat(s.ownKdamonds()).isEmpty();
    kernel.clearWriteLog();
    s.close();
    assertThat(kernel.writeLog()).as("second close writes nothing").isEmpty();
  }

  @Test
  void unchangedTargetsAreNotRewritten() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100), proc(200)));
    kernel.clearWriteLog();
    s.update(List.of(proc(200), proc(100)));
    assertThat(kernel.writeLog()).isEmpty();
    s.close();
  }

  @Test
  void aTargetThatExitsIsDroppedAndTheRestCommitted() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100), proc(200)));
    kernel.exit(200);

    assertThat(s.collect()).extracting(RegionSample::pid).containsOnly(100);
    kernel.clearWriteLog();
    s.update(List.of(proc(100)));
    assertThat(kernel.writeLog()).contains("kdamonds/0/state=commit");
    assertThat(s.targets()).containsExactly(100);
    assertThat(kernel.read(DamonSource.CTX + "targets/nr_targets")).isEqualTo("1");
    assertThat(s.collect()).hasSize(2);
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void whenEveryTargetExitsTheKdamondStopsAndRestartsForNewTargets() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100), proc(200)));
    kernel.exit(100);
    kernel.exit(200);
    assertThat(kernel.isRunning(0)).isFalse();

    assertThat(s.collect()).isEmpty();
    assertThat(s.running()).isFalse();

    kernel.spawn(300);
    kernel.script(300, new Region(A, A + MIB, 20, 1));
    s.update(List.of(proc(300)));
    assertThat(kernel.isRunning(0)).isTrue();
    assertThat(s.collect())
        .extracting(RegionSample::pid, RegionSample::nrAccesses)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(300, 20));
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
  }

  static Stream<Arguments> commitRaces() {
    return Stream.of(
        Arguments.of("6.11+: a failed commit keeps the kdamond", false),
        Arguments.of("before 6.11: a failed commit stops the kdamond", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commitRaces")
  void aTargetExitingDuringCommitIsRetriedWithoutIt(String name, boolean failureStops) {
    kernel.commitFailureStops(failureStops);
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100)));
    kernel.beforeNextStateWrite(() -> kernel.exit(200));

    s.update(List.of(proc(100), proc(200)));

    assertThat(s.targets()).containsExactly(100);
    assertThat(kernel.isRunning(0)).isTrue();
    assertThat(s.collect()).extracting(RegionSample::pid).containsOnly(100);
    s.close();
  }

  @Test
  void noManagedProcessesTurnsTheKdamondOff() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100)));
    s.update(List.of());
    assertThat(kernel.isRunning(0)).isFalse();
    assertThat(s.collect()).isEmpty();
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  static Stream<Arguments> missingFeatures() {
    Set<Feature> v65 =
        EnumSet.of(
            Feature.AVAIL_OPERATIONS,
            Feature.TRIED_REGIONS,
            Feature.FILTERS,
            Feature.APPLY_INTERVAL);
    Set<Feature> v62 = EnumSet.of(Feature.AVAIL_OPERATIONS, Feature.TRIED_REGIONS);
    Set<Feature> v61 = EnumSet.of(Feature.AVAIL_OPERATIONS);
    return Stream.of(
        Arguments.of(
            "no vaddr operations",
            FakeDamonKernel.LINUX_6_12,
            new String[] {"paddr"},
            DamonSource.Mode.VADDR,
            "DAMON lacks vaddr operations (avail_operations: paddr)"),
        Arguments.of(
            "6.3-6.5: filters without the target type",
            v65,
            new String[] {"vaddr", "fvaddr", "paddr"},
            DamonSource.Mode.VADDR,
            "DAMON lacks the DAMOS target filter (Linux 6.6+) to tell targets apart"),
        Arguments.of(
            "6.2: no filters",
            v62,
            new String[] {"vaddr", "fvaddr", "paddr"},
            DamonSource.Mode.VADDR,
            "DAMON lacks DAMOS filters (Linux 6.3+) to tell vaddr targets apart"),
        Arguments.of(
            "6.1: no tried_regions",
            v61,
            new String[] {"vaddr", "fvaddr", "paddr"},
            DamonSource.Mode.PADDR,
            "DAMON lacks schemes/<S>/tried_regions (Linux 6.2+)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingFeatures")
  void aMissingFeatureIsReportedAndSetupUndone(
      String name, Set<Feature> features, String[] ops, DamonSource.Mode mode, String message) {
    kernel = new FakeDamonKernel(dir, features).availOperations(ops);
    PaddrFixture.memory(dir);
    assertThatThrownBy(() -> open(mode))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage(message);
    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
  }

  @Test
  void collectAfterCloseIsAnError() {
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.close();
    assertThatThrownBy(s::collect)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("damon-vaddr is closed");
  }
}
