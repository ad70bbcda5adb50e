package tierd.heat.damon;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import tierd.kernelfs.KernelRoot;

/** The contract on this host's real DAMON sysfs, read only. */
class HostDamonFsContractTest extends DamonFsContractTest {

  @Override
  DamonFs fs() {
    KernelRoot host = KernelRoot.host();
    Path nr = host.sys(SysfsDamonFs.ADMIN + "/kdamonds/nr_kdamonds");
    assumeTrue(Files.isReadable(nr), "needs a readable DAMON sysfs (root, CONFIG_DAMON_SYSFS)");
    return new SysfsDamonFs(host);
  }
}
