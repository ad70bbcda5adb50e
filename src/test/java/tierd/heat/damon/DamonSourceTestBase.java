package tierd.heat.damon;

import static tierd.heat.HeatFixtures.process;
import static tierd.heat.HeatFixtures.vma;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import tierd.heat.HeatFixtures;
import tierd.heat.damon.FakeDamonKernel.Region;
import tierd.kernelfs.KernelRoot;
import tierd.model.ProcessId;
import tierd.process.ManagedProcess;

/**
 * What the DAMON source tests share: the fake DAMON kernel under a temporary root, the config, and
 * the helpers that open a source and script workloads.
 */
abstract class DamonSourceTestBase {

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

  DamonSource open(DamonSource.Mode mode) {
    return DamonSource.open(
        mode, CONFIG, 0, kernel, root, runtime, self, ms -> sleeps++, Runnable::run);
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
