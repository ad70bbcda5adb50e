package tierd.nativeio;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Child processes for the real-kernel tests. */
final class ChildProcesses {

  private ChildProcesses() {}

  /** The pid of a child that has exited and been reaped: it names no process now. */
  static int reapedPid() {
    try {
      Process p = new ProcessBuilder("true").start();
      p.waitFor();
      return Math.toIntExact(p.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
