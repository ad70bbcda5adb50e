package tierd.heat.damon;

import java.nio.file.Path;
import java.util.List;
import tierd.kernelfs.KernelFiles;
import tierd.kernelfs.KernelRoot;

/** {@link DamonFs} on the kernel's sysfs under a {@link KernelRoot}. */
public final class SysfsDamonFs implements DamonFs {

  /** Relative to the sys mount: Documentation/admin-guide/mm/damon/usage.rst. */
  public static final String ADMIN = "kernel/mm/damon/admin";

  private final Path base;

  public SysfsDamonFs(KernelRoot root) {
    this.base = root.sys(ADMIN);
  }

  @Override
  public String read(String relative) {
    return KernelFiles.readLine(path(relative));
  }

  @Override
  public void write(String relative, String value) {
    KernelFiles.write(path(relative), value);
  }

  @Override
  public List<String> list(String relative) {
    return KernelFiles.list(path(relative));
  }

  @Override
  public boolean exists(String relative) {
    return KernelFiles.exists(path(relative));
  }

  @Override
  public Path path(String relative) {
    return relative.isEmpty() ? base : base.resolve(relative);
  }

  @Override
  public String toString() {
    return "SysfsDamonFs[" + base + "]";
  }
}
