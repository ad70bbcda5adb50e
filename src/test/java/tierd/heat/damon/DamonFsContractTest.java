package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tierd.kernelfs.KernelFsException;

/**
 * The read side of {@link DamonFs}, held to the same contract by the fake kernel and by this host's
 * real sysfs (read only: the host runs its own DAMON user, and whatever state it is in — no
 * kdamond, or a running one — the contract holds). Writes are exercised on the fake in the classes
 * of {@link DamonSourceTestBase} ({@link DamonSourceTest}, {@link DamonOwnershipTest}, {@link
 * DamonPaddrTest}, {@link DamonTuningTest}) and on a real kernel in the VM
 * (src/test/vm/scenarios/heat.sh).
 */
abstract class DamonFsContractTest {

  abstract DamonFs fs();

  @Test
  void nrKdamondsMatchesTheNumberedDirectories() {
    DamonFs fs = fs();
    int nr = DamonStatus.parseCount(fs.read("kdamonds/nr_kdamonds"), "nr_kdamonds");
    long dirs =
        fs.list("kdamonds").stream().filter(n -> n.chars().allMatch(Character::isDigit)).count();
    assertThat(dirs).isEqualTo(nr);
    DamonStatus s = DamonStatus.read(fs);
    assertThat(s.kdamonds()).hasSize(nr);
    assertThat(s.busyReason().isPresent()).isEqualTo(nr > 0);
  }

  @Test
  void aMissingFileIsAbsent() {
    DamonFs fs = fs();
    assertThat(fs.exists("kdamonds/4096/state")).isFalse();
    assertThatThrownBy(() -> fs.read("kdamonds/4096/state"))
        .isInstanceOf(KernelFsException.class)
        .extracting(e -> ((KernelFsException) e).kind())
        .isEqualTo(KernelFsException.Kind.ABSENT);
    assertThatThrownBy(() -> fs.list("kdamonds/4096"))
        .isInstanceOf(KernelFsException.class)
        .extracting(e -> ((KernelFsException) e).kind())
        .isEqualTo(KernelFsException.Kind.ABSENT);
  }

  @Test
  void pathsAreUnderTheAdminDirectory() {
    assertThat(fs().path("kdamonds/nr_kdamonds").toString())
        .endsWith("/kernel/mm/damon/admin/kdamonds/nr_kdamonds");
  }
}
