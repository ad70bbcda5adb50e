package tierd.heat.damon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tierd.Fixtures;
import tierd.heat.SourceKind;
import tierd.heat.select.HeatProbes;
import tierd.heat.select.SourceChooser;
import tierd.kernelfs.KernelFsException;

/**
 * tierd run by an unprivileged user (the README's first command on a laptop): the DAMON sysfs tree
 * exists but is root's (mode 0600). DAMON is then unavailable with a reason, and the chooser falls
 * back to clear-refs instead of failing.
 */
class DamonUnreadableTest {

  /** The 2-node guest's captured DAMON tree, with every file read refused as for uid 65534. */
  static final class RootsOnly implements DamonFs {
    private final ReadOnlyDamonFs tree = new ReadOnlyDamonFs(Fixtures.root("vm-2node"));

    @Override
    public String read(String relative) {
      throw KernelFsException.of(
          KernelFsException.Kind.PERMISSION, path(relative), "permission denied", null);
    }

    @Override
    public void write(String relative, String value) {
      tree.write(relative, value);
    }

    @Override
    public List<String> list(String relative) {
      return tree.list(relative);
    }

    @Override
    public boolean exists(String relative) {
      return tree.exists(relative);
    }

    @Override
    public Path path(String relative) {
      return tree.path(relative);
    }
  }

  @Test
  void anUnreadableTreeMakesDamonUnavailableNotAFailure() {
    DamonFs fs = new RootsOnly();
    assertThat(fs.exists("kdamonds/nr_kdamonds")).as("precondition: the tree is there").isTrue();
    DamonStatus status = DamonStatus.read(fs);
    assertThat(status.readable()).isFalse();
    assertThat(status.anyRunning()).isFalse();
    assertThat(status.busyReason()).contains("DAMON sysfs not readable by this user (root's)");
    HeatProbes probes =
        new HeatProbes(
            status,
            new DamonLeftovers.Outcome(DamonLeftovers.Kind.NONE, "no DAMON state file"),
            false,
            false,
            false,
            true,
            Optional.of("soft-dirty not probed here"),
            true);
    SourceChooser.Choice c =
        SourceChooser.choose(probes, tierd.heat.select.HeatConfig.DEFAULT_PREFERENCE);
    assertThat(c.chosen()).contains(SourceKind.CLEAR_REFS);
    assertThat(c.explanation())
        .startsWith("heat source clear-refs (damon-vaddr: DAMON sysfs not readable by this user");
  }
}
