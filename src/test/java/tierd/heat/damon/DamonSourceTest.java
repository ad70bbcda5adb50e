package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static tierd.heat.HeatFixtures.process;
import static tierd.heat.HeatFixtures.vma;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.HeatFixtures;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.RegionSample;
import tierd.heat.Sleeper;
import tierd.heat.damon.FakeDamonKernel.Feature;
import tierd.heat.damon.FakeDamonKernel.Region;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;
import tierd.model.AddressRange;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/** The DAMON source end to end against the fake DAMON kernel. */
class DamonSourceTest {

  static final DamonConfig CONFIG =
      new DamonConfig(
          Duration.ofMillis(10), Duration.ofMillis(200), Duration.ofSeconds(1), 10, 1000);

  static final long A = 0x1000_0000L;
  static final long MIB = 1 << 20;

  @TempDir Path dir;
  FakeDamonKernel kernel;
  KernelRoot root;
  Path runtime;
  ProcessId self;
  int sleeps;

  @BeforeEach
  void setUp() {
    kernel = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    root = KernelRoot.under(dir);
    runtime = dir.resolve("run/tierd");
    self = new ProcessId(77, 7777);
    FakeDamonKernel.writeStat(dir.resolve("proc"), 77, 7777);
  }

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

  DamonSource open(DamonSource.Mode mode) {
    return DamonSource.open(
        mode, CONFIG, 0, kernel, root, runtime, self, ms -> sleeps++, Runnable::run);
  }

  DamonSource openAs(ProcessId owner) {
    return DamonSource.open(
        DamonSource.Mode.VADDR, CONFIG, 0, kernel, root, runtime, owner, ms -> sleeps++);
  }

  String nrKdamonds() {
    return kernel.read("kdamonds/nr_kdamonds");
  }

  boolean stateFile() {
    return Files.exists(runtime.resolve(DamonStateFile.FILE_NAME));
  }

  static ManagedProcess proc(int pid) {
    return process(pid, vma(A, A + 8 * MIB, 2048));
  }

  /** Two processes with the same virtual addresses: only the target filter tells them apart. */
  void twoWorkloads() {
    kernel.spawn(100);
    kernel.spawn(200);
    kernel.script(
        100, new Region(A, A + 4 * MIB, 18, 3), new Region(A + 4 * MIB, A + 8 * MIB, 0, 9));
    kernel.script(200, new Region(A, A + 8 * MIB, 5, 0));
  }

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

  static Stream<Arguments> foreignUsers() {
    return Stream.of(
        Arguments.of(
            "running paddr pageout (this host's own kdamond)",
            (Setup) k -> k.foreignPaddr("pageout", true),
            "DAMON busy (foreign kdamond 0 running paddr/pageout)"),
        Arguments.of(
            "off but configured: nr_kdamonds would erase it",
            (Setup) k -> k.foreignPaddr("pageout", false),
            "DAMON busy (foreign kdamond 0 off, configured paddr/pageout; writing nr_kdamonds"
                + " would erase it)"),
        Arguments.of(
            "running vaddr stat on some pid",
            (Setup)
                k -> {
                  k.spawn(4242);
                  k.foreignVaddr(4242, true);
                },
            "DAMON busy (foreign kdamond 0 running vaddr/stat)"),
        Arguments.of(
            "created, not configured yet",
            (Setup)
                k -> {
                  k.write("kdamonds/nr_kdamonds", "1");
                  k.clearWriteLog();
                },
            "DAMON busy (foreign kdamond 0 off, configured unconfigured; writing nr_kdamonds"
                + " would erase it)"),
        Arguments.of(
            "a kernel DAMON module's kdamond, not in the admin tree",
            (Setup) k -> k.moduleKdamond("damon_lru_sort", 249),
            "DAMON busy (kernel module damon_lru_sort (kdamond pid 249) runs exclusively: no"
                + " other kdamond can start beside it)"));
  }

  interface Setup {
    void apply(FakeDamonKernel k);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("foreignUsers")
  void aForeignKdamondIsNeverTouched(String name, Setup setup, String message) {
    setup.apply(kernel);
    Map<String, String> before = kernel.snapshot();

    for (DamonSource.Mode mode : DamonSource.Mode.values()) {
      assertThatThrownBy(() -> open(mode))
          .isInstanceOf(HeatSourceUnavailableException.class)
          .hasMessage(message);
    }

    assertThat(kernel.writeLog()).isEmpty();
    assertThat(kernel.snapshot()).isEqualTo(before);
    assertThat(stateFile()).isFalse();
  }

  @Test
  void nrKdamondsRefusedWithEbusyMeansBusyAndLeavesNothing() {
    kernel.holdLockForWrites(DamonSource.BUSY_RETRIES);
    assertThatThrownBy(() -> open(DamonSource.Mode.VADDR))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage("DAMON busy (nr_kdamonds refused: EBUSY)");
    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
    assertThat(sleeps).isEqualTo(DamonSource.BUSY_RETRIES - 1);
  }

  @Test
  void aBrieflyHeldLockIsWaitedFor() {
    kernel.holdLockForWrites(3);
    DamonSource s = open(DamonSource.Mode.VADDR);
    assertThat(sleeps).isEqualTo(3);
    assertThat(nrKdamonds()).isEqualTo("1");
    s.close();
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

  // ---------------------------------------------------------------- crash leftovers

  /** A tierd (pid 555) that opened DAMON, started monitoring pid 100 and was killed. */
  void crashedTierd() {
    kernel.spawn(100);
    kernel.script(100, new Region(A, A + MIB, 3, 0));
    DamonSource crashed = openAs(new ProcessId(555, 5555));
    crashed.update(List.of(proc(100)));
    // no close(): kill -9
    kernel.clearWriteLog();
  }

  @Test
  void aDeadTierdsKdamondIsRemovedOnStart() {
    crashedTierd();
    DamonSource s = open(DamonSource.Mode.VADDR);
    assertThat(kernel.writeLog())
        .startsWith("kdamonds/0/state=off", "kdamonds/nr_kdamonds=0", "kdamonds/nr_kdamonds=1");
    assertThat(DamonStateFile.read(runtime).orElseThrow().owner()).isEqualTo(self);
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  @Test
  void aReusedPidIsADeadOwner() {
    crashedTierd();
    FakeDamonKernel.writeStat(dir.resolve("proc"), 555, 1); // same pid, other start time
    assertThat(DamonLeftovers.cleanUp(kernel, root, runtime, self, Sleeper.none()).kind())
        .isEqualTo(DamonLeftovers.Kind.REMOVED);
    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
  }

  @Test
  void aRunningTierdsKdamondIsBusy() {
    crashedTierd();
    FakeDamonKernel.writeStat(dir.resolve("proc"), 555, 5555);
    assertThatThrownBy(() -> open(DamonSource.Mode.VADDR))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage("DAMON busy (kdamond 0 belongs to a running tierd, pid 555)");
    assertThat(kernel.writeLog()).isEmpty();
    assertThat(stateFile()).isTrue();
  }

  @Test
  void aKdamondTakenOverAfterTheCrashIsLeftAlone() {
    crashedTierd();
    kernel.exit(100); // tierd's kdamond stops by itself
    kernel.foreignPaddr("pageout", true); // someone else recreates kdamond 0
    Map<String, String> before = kernel.snapshot();

    assertThat(DamonLeftovers.cleanUp(kernel, root, runtime, self, Sleeper.none()))
        .isEqualTo(
            new DamonLeftovers.Outcome(
                DamonLeftovers.Kind.STALE,
                "state file of tierd pid 555 dropped: kdamond 0 is not tierd's any more"));
    assertThat(kernel.snapshot()).isEqualTo(before);
    assertThat(kernel.writeLog()).isEmpty();
    assertThat(stateFile()).isFalse();
  }

  @Test
  void aCrashWhileCreatingIsCleanedUp() {
    new DamonStateFile(
            new ProcessId(555, 5555),
            DamonStateFile.Phase.CREATING,
            0,
            "vaddr",
            10000,
            200000,
            1000000,
            10,
            1000,
            -1)
        .write(runtime);
    kernel.write("kdamonds/nr_kdamonds", "1");
    kernel.write("kdamonds/0/contexts/nr_contexts", "1");
    kernel.clearWriteLog();

    assertThat(DamonLeftovers.cleanUp(kernel, root, runtime, self, Sleeper.none()).kind())
        .isEqualTo(DamonLeftovers.Kind.REMOVED);
    assertThat(kernel.writeLog()).containsExactly("kdamonds/nr_kdamonds=0");
  }

  @Test
  void anUnreadableStateFileIsDropped() {
    HeatFixtures.file(runtime.resolve(DamonStateFile.FILE_NAME), "version=1\nowner_pid=x\n");
    DamonLeftovers.Outcome o = DamonLeftovers.cleanUp(kernel, root, runtime, self, Sleeper.none());
    assertThat(o.kind()).isEqualTo(DamonLeftovers.Kind.STALE);
    assertThat(o.message()).startsWith("unreadable DAMON state file dropped: ");
    assertThat(stateFile()).isFalse();
  }

  @Test
  void closeLeavesAKdamondThatIsNoLongerTierds() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100)));
    kernel.exit(100);
    kernel.foreignPaddr("pageout", true);

    s.close();

    assertThat(kernel.writeLog()).isEmpty();
    assertThat(kernel.isRunning(0)).isTrue();
    assertThat(stateFile()).isFalse();
  }

  /**
   * DAMON_LRU_SORT enabled while tierd's kdamond is off (nothing to watch yet): its context runs
   * exclusively, so tierd does not try "on" (EBUSY after a second of retries in the 6.12 guest),
   * says why, and removes only its own kdamond.
   */
  @Test
  void aDamonModuleStartedWhileTierdsKdamondIsOffIsLeftAlone() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    kernel.moduleKdamond("damon_lru_sort", 249);
    kernel.clearWriteLog();

    assertThatThrownBy(() -> s.update(List.of(proc(100))))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage(
            "DAMON busy (kernel module damon_lru_sort (kdamond pid 249) runs exclusively: no"
                + " other kdamond can start beside it)");
    assertThat(kernel.writeLog()).noneMatch(w -> w.contains("state"));
    assertThat(sleeps).isZero();
    s.close();

    assertThat(nrKdamonds()).isEqualTo("0");
    assertThat(stateFile()).isFalse();
  }

  @Test
  void aKdamondReplacedAfterItStoppedIsNeverWrittenTo() {
    twoWorkloads();
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.update(List.of(proc(100)));
    kernel.exit(100); // tierd's kdamond stops by itself
    kernel.foreignPaddr("pageout", false); // another user recreates kdamond 0, not yet on
    Map<String, String> before = kernel.snapshot();

    assertThatThrownBy(() -> s.update(List.of(proc(200))))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage("DAMON busy (tierd's kdamond 0 was replaced by another DAMON user)");
    assertThatThrownBy(s::collect).isInstanceOf(HeatSourceUnavailableException.class);
    s.close();

    assertThat(kernel.writeLog()).isEmpty();
    assertThat(kernel.snapshot()).isEqualTo(before);
    assertThat(stateFile()).isFalse();
  }

  // ---------------------------------------------------------------- paddr

  @Test
  void paddrRegionsAreMappedBackToProcesses() {
    PaddrFixture.memory(dir);
    // pages 0-7 of the VMA in physical region [16 MiB, 32 MiB), pages 8-15 in [32 MiB, 64 MiB)
    long[] entries = new long[16];
    for (int i = 0; i < 8; i++) {
      entries[i] = HeatFixtures.present(0x1000 + i);
      entries[8 + i] = HeatFixtures.present(0x3000 + i);
    }
    HeatFixtures.pagemap(dir, 100, A, entries);
    kernel.spawn(100);
    kernel.scriptPhysical(
        new Region(0, 16 * MIB, 1, 0),
        new Region(16 * MIB, 32 * MIB, 15, 2),
        new Region(32 * MIB, 64 * MIB, 0, 30),
        new Region(64 * MIB, 512 * MIB, 0, 40));

    DamonSource s = open(DamonSource.Mode.PADDR);
    assertThat(kernel.isRunning(0)).isTrue();
    String regions = DamonSource.CTX + "targets/0/regions/";
    assertThat(kernel.read(regions + "nr_regions")).isEqualTo("1");
    assertThat(kernel.read(regions + "0/end")).isEqualTo(Long.toString(512 * MIB));

    s.update(List.of(process(100, vma(A, A + 16 * HeatFixtures.PAGE, 16))));
    assertThat(s.collect())
        .containsExactly(
            new RegionSample(
                100,
                new AddressRange(A, A + 8 * HeatFixtures.PAGE),
                15,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(400),
                "damon-paddr"),
            new RegionSample(
                100,
                new AddressRange(A + 8 * HeatFixtures.PAGE, A + 16 * HeatFixtures.PAGE),
                0,
                20,
                Duration.ofMillis(200),
                Duration.ofMillis(10),
                Duration.ofMillis(6000),
                "damon-paddr"));
    s.close();
    assertThat(nrKdamonds()).isEqualTo("0");
  }

  /**
   * A VMA larger than one pagemap read window ({@link PaddrMapper#WINDOW_PAGES}, 256 MiB of 4 KiB
   * pages) is read window by window, and a run of pages in one region goes on across the boundary.
   */
  @Test
  void paddrReadsALargeVmaInWindowsAndJoinsRunsAcrossThem() {
    PaddrFixture.memory(dir);
    int pages = (int) PaddrMapper.WINDOW_PAGES + 8;
    long[] entries = new long[pages];
    for (int i = 0; i < pages; i++) {
      entries[i] = HeatFixtures.present(0x1000 + i);
    }
    HeatFixtures.pagemap(dir, 100, A, entries);
    kernel.spawn(100);
    kernel.scriptPhysical(new Region(0, 512 * MIB, 5, 1));
    DamonSource s = open(DamonSource.Mode.PADDR);
    s.update(List.of(process(100, vma(A, A + pages * HeatFixtures.PAGE, pages))));
    List<RegionSample> streamed = new java.util.ArrayList<>();
    s.collect(streamed::add);
    assertThat(streamed)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.range()).isEqualTo(new AddressRange(A, A + pages * HeatFixtures.PAGE));
              assertThat(r.nrAccesses()).isEqualTo(5);
            });
    s.close();
  }

  @Test
  void paddrWithoutPfnsFailsWithPermission() {
    PaddrFixture.memory(dir);
    HeatFixtures.pagemap(dir, 100, A, 1L << 63, 1L << 63); // present, PFN hidden
    kernel.spawn(100);
    kernel.scriptPhysical(new Region(0, 512 * MIB, 1, 0));
    DamonSource s = open(DamonSource.Mode.PADDR);
    s.update(List.of(process(100, vma(A, A + 2 * HeatFixtures.PAGE, 2))));
    assertThatThrownBy(s::collect)
        .isInstanceOf(KernelFsException.class)
        .hasMessageEndingWith("every PFN reads 0: mapping paddr regions needs CAP_SYS_ADMIN");
    s.close();
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

  @Test
  void collectAfterCloseIsAnError() {
    DamonSource s = open(DamonSource.Mode.VADDR);
    s.close();
    assertThatThrownBy(s::collect)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("damon-vaddr is closed");
  }

  /** sys/devices/system/memory with four online 128 MiB blocks and one offline. */
  static final class PaddrFixture {
    static void memory(Path dir) {
      Path m = dir.resolve("sys/devices/system/memory");
      HeatFixtures.file(m.resolve("block_size_bytes"), "8000000\n");
      for (int i = 0; i < 5; i++) {
        HeatFixtures.file(m.resolve("memory" + i + "/state"), i < 4 ? "online\n" : "offline\n");
      }
    }
  }
}
