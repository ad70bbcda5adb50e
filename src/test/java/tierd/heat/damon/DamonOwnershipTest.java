package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tierd.heat.HeatFixtures;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.Sleeper;
import tierd.heat.damon.FakeDamonKernel.Region;
import tierd.model.ProcessId;

/** DAMON shared with others: foreign kdamonds, held locks, a dead tierd's kdamond, state file. */
class DamonOwnershipTest extends DamonSourceTestBase {

  DamonSource openAs(ProcessId owner) {
    return DamonSource.open(
        DamonSource.Mode.VADDR, CONFIG, 0, kernel, root, runtime, owner, ms -> sleeps++);
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
}
