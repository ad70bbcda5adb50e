package tierd.heat.damon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tierd.kernelfs.KernelFsException;
import tierd.kernelfs.KernelRoot;

/**
 * The real sysfs reader with every write refused and recorded: reads pass through, a write fails
 * the caller (and never reaches the kernel or the fixture). Guards the host's own DAMON user and
 * the captured trees.
 */
public final class ReadOnlyDamonFs implements DamonFs {

  private final SysfsDamonFs real;
  public final List<String> attemptedWrites = new ArrayList<>();

  public ReadOnlyDamonFs(KernelRoot root) {
    this.real = new SysfsDamonFs(root);
  }

  @Override
  public String read(String relative) {
    return real.read(relative);
  }

  @Override
  public void write(String relative, String value) {
    attemptedWrites.add(relative + "=" + value);
    throw KernelFsException.of(
        KernelFsException.Kind.PERMISSION, path(relative), "read-only in tests", null);
  }

  @Override
  public List<String> list(String relative) {
    return real.list(relative);
  }

  @Override
  public boolean exists(String relative) {
    return real.exists(relative);
  }

  @Override
  public Path path(String relative) {
    return real.path(relative);
  }
}
