package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatSourceUnavailableException;
import tierd.heat.IntervalTuner;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;

/** tierd's own kdamond over the fake DAMON kernel: on, off, lost to another user, removed. */
class TierdKdamondTest {

  private static final DamonConfig CONFIG = DamonSourceTestBase.CONFIG;
  private static final DamonSource.Mode MODE = DamonSource.Mode.VADDR;

  @TempDir Path dir;
  private FakeDamonKernel kernel;
  private Path runtime;

  @BeforeEach
  void setUp() {
    kernel = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    runtime = dir.resolve("run/tierd");
    kernel.spawn(100);
  }

  /** kdamond 0 created, recorded and configured with one target, as DamonSource.open leaves it. */
  private TierdKdamond created() {
    kernel.write("kdamonds/nr_kdamonds", "1");
    DamonStateFile record =
        new DamonStateFile(
            new ProcessId(77, 7777),
            DamonStateFile.Phase.CREATING,
            0,
            MODE.ops,
            CONFIG.sampleUs(),
            CONFIG.aggrUs(),
            CONFIG.updateUs(),
            CONFIG.minRegions(),
            CONFIG.maxRegions(),
            -1,
            CONFIG.minSampleUs(),
            CONFIG.maxSampleUs());
    record.write(runtime);
    KernelRoot root = KernelRoot.under(dir);
    TierdKdamond kdamond = new TierdKdamond(MODE.kind, kernel, root, runtime, ms -> {}, record);
    DamonIntervals intervals =
        new DamonIntervals(
            kernel,
            kdamond::write,
            kdamond::readLong,
            new IntervalTuner(
                0, CONFIG.sampleInterval(), CONFIG.minSampleInterval(), CONFIG.maxSampleInterval()),
            Runnable::run);
    DamonContext context = new DamonContext(MODE, kernel, root, kdamond::write, kdamond::readLong);
    context.configure(CONFIG, intervals);
    context.writeTargets(List.of(100));
    kdamond.configured();
    return kdamond;
  }

  private DamonStateFile stateFile() {
    return DamonStateFile.read(runtime).orElseThrow();
  }

  @Test
  void onRecordsTheKthreadAndOffStopsIt() {
    TierdKdamond kdamond = created();
    assertThat(stateFile().phase()).isEqualTo(DamonStateFile.Phase.CONFIGURED);

    kdamond.turnOn();
    assertThat(kdamond.running()).isTrue();
    assertThat(kdamond.readRunning()).isTrue();
    assertThat(stateFile().kthreadPid())
        .isEqualTo(Integer.parseInt(kernel.read("kdamonds/0/pid").strip()))
        .isPositive();

    kdamond.turnOff();
    assertThat(kdamond.running()).isFalse();
    assertThat(kdamond.readRunning()).isFalse();
    kdamond.turnOff(); // already off: EINVAL from the kernel is not a failure
    assertThat(kdamond.ownKdamonds()).containsExactly(0);
  }

  @Test
  void aKdamondReplacedByAnotherUserIsLostAndNeverWrittenAgain() {
    TierdKdamond kdamond = created();
    kernel.foreignPaddr("pageout", false);

    assertThatThrownBy(() -> kdamond.checkUsable("damon-vaddr"))
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessage("DAMON busy (tierd's kdamond 0 was replaced by another DAMON user)");
    assertThat(kdamond.ownKdamonds()).isEmpty();
    assertThat(DamonStateFile.read(runtime)).isEmpty();
    kdamond.close();
    assertThat(kernel.read("kdamonds/nr_kdamonds")).isEqualTo("1");
    assertThat(kernel.writeLog()).isEmpty();
  }

  @Test
  void closeRemovesItAndTheStateFileOnce() {
    TierdKdamond kdamond = created();
    kdamond.turnOn();

    kdamond.close();
    kdamond.close();

    assertThat(kernel.read("kdamonds/nr_kdamonds")).isEqualTo("0");
    assertThat(DamonStateFile.read(runtime)).isEmpty();
    assertThat(kdamond.ownKdamonds()).isEmpty();
    assertThatThrownBy(() -> kdamond.checkUsable("damon-vaddr"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("damon-vaddr is closed");
  }

  @Test
  void aDamonModulesKdamondKeepsItOff() {
    TierdKdamond kdamond = created();
    kernel.moduleKdamond("damon_reclaim", 42);

    assertThatThrownBy(kdamond::turnOn)
        .isInstanceOf(HeatSourceUnavailableException.class)
        .hasMessageContaining("runs exclusively: no other kdamond can start beside it");
    assertThat(kdamond.readRunning()).isFalse();
  }
}
