package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;

/** The kernel's DAMON modules, read from a tree shaped like the 6.12 guest's /sys/module. */
class DamonModulesTest {

  @TempDir Path dir;

  private void param(String module, String name, String value) throws IOException {
    Path params = dir.resolve("sys/module").resolve(module).resolve("parameters");
    Files.createDirectories(params);
    Files.writeString(params.resolve(name), value);
  }

  @Test
  void aRunningModuleKdamondIsFoundAndAStoppedOneIsNot() throws IOException {
    param("damon_reclaim", "kdamond_pid", "-1\n");
    param("damon_reclaim", "enabled", "N\n");
    param("damon_lru_sort", "kdamond_pid", "249\n");
    param("damon_lru_sort", "enabled", "Y\n");
    param("kvm", "halt_poll_ns", "200000\n"); // not DAMON
    Files.createDirectories(dir.resolve("sys/module/damon_sample_wsse")); // no kdamond_pid

    List<DamonModules.ModuleKdamond> found = DamonModules.read(KernelRoot.under(dir));

    assertThat(found).containsExactly(new DamonModules.ModuleKdamond("damon_lru_sort", 249));
    assertThat(found.get(0).busyReason())
        .isEqualTo(
            "DAMON busy (kernel module damon_lru_sort (kdamond pid 249) runs exclusively: no"
                + " other kdamond can start beside it)");
  }

  @Test
  void noModuleDirectoryMeansNone() {
    assertThat(DamonModules.read(KernelRoot.under(dir))).isEmpty();
  }

  @Test
  void aMalformedPidNamesTheFile() throws IOException {
    param("damon_reclaim", "kdamond_pid", "x\n");
    assertThatThrownBy(() -> DamonModules.read(KernelRoot.under(dir)))
        .isInstanceOf(KernelFsException.class)
        .hasMessageContaining("sys/module/damon_reclaim/parameters/kdamond_pid")
        .hasMessageContaining("'x'");
  }

  @Test
  void busyReasonNamesTheModuleBeforeTheAdminTree() {
    DamonStatus status =
        new DamonStatus(
            true, 0, List.of(), List.of(new DamonModules.ModuleKdamond("damon_reclaim", 91)));
    assertThat(status.busyReason())
        .contains(
            "DAMON busy (kernel module damon_reclaim (kdamond pid 91) runs exclusively: no other"
                + " kdamond can start beside it)");
    assertThat(new DamonStatus(true, 0, List.of()).busyReason()).isEmpty();
  }
}
