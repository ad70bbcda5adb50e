package tierd.heat.damon;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the fake kernel, with a foreign kdamond running. */
class FakeDamonFsContractTest extends DamonFsContractTest {

  @TempDir Path dir;

  @Override
  DamonFs fs() {
    FakeDamonKernel k = new FakeDamonKernel(dir, FakeDamonKernel.LINUX_6_12);
    k.foreignPaddr("pageout", true);
    return k;
  }
}
