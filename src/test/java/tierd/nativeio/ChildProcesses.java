package tierd.nativeio;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Child processes for the real-kernel tests. */
public final class ChildProcesses {

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

  /**
   * Starts {@code main} in a small child JVM (32 MiB heap, C1 only) on the test classpath, stderr
   * inherited, e.g. {@code java(BufferChild.class, "512")}.
   */
  public static Process java(Class<?> main, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String[] cmd = new String[6 + args.length];
    cmd[0] = java;
    cmd[1] = "-Xmx32m";
    cmd[2] = "-XX:TieredStopAtLevel=1";
    cmd[3] = "-cp";
    cmd[4] = System.getProperty("java.class.path");
    cmd[5] = main.getName();
    System.arraycopy(args, 0, cmd, 6, args.length);
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
