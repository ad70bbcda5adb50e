package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock file itself, in one JVM (two processes: {@link DaemonProcessTest}): the holder's pid in
 * it, a second holder refused with that pid, an empty file after a clean stop, the directory made
 * when its parent exists.
 */
class InstanceLockTest {

  @TempDir Path tmp;

  private static final String PID = Long.toString(ProcessHandle.current().pid());

  @Test
  void theHolderWritesItsPidAndASecondAcquireIsRefusedWithIt() throws Exception {
    Path run = tmp.resolve("run");
    try (InstanceLock lock = InstanceLock.acquire(run)) {
      assertThat(lock.path()).isEqualTo(run.resolve("tierd.lock"));
      assertThat(Files.readString(lock.path())).isEqualTo(PID + "\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run)))
          .isEqualTo("rwx------");
      assertThatThrownBy(() -> InstanceLock.acquire(run))
          .isInstanceOfSatisfying(
              StartupException.class,
              e -> {
                assertThat(e.exitCode()).isEqualTo(2);
                assertThat(e.getMessage())
                    .isEqualTo(
                        "another tierd is running: pid "
                            + PID
                            + " holds "
                            + run.resolve("tierd.lock")
                            + " (one tierd per host; stop that one first, e.g. systemctl stop"
                            + " tierd)");
              });
      // the refused attempt did not drop the holder's lock
      assertThat(Files.readString(lock.path())).isEqualTo(PID + "\n");
    }
    assertThat(Files.readString(run.resolve("tierd.lock"))).isEmpty();
    try (InstanceLock again = InstanceLock.acquire(run)) {
      assertThat(Files.readString(again.path())).isEqualTo(PID + "\n");
    }
  }

  @Test
  void aRuntimeDirectoryWithoutItsParentIsOneLine() {
    Path run = tmp.resolve("no/such/run");
    assertThatThrownBy(() -> InstanceLock.acquire(run))
        .isInstanceOfSatisfying(
            StartupException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(1);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "the runtime directory "
                          + run
                          + " does not exist, nor does "
                          + run.getParent()
                          + " (create it, or set runtimeDirectory: in the config to a directory"
                          + " that exists)");
            });
  }
}
