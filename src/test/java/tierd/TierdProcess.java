package tierd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The command line in a JVM of its own, as an operator runs it: exit code and all its output. */
public final class TierdProcess {

  private TierdProcess() {}

  /** What a finished run gave: its exit code, and stdout and stderr (the log) interleaved. */
  public record Result(int code, String output) {}

  /** {@code java -Xmx64m -cp <the test class path> tierd.cli.Main}, to which arguments follow. */
  public static List<String> command() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx64m",
        "-cp",
        System.getProperty("java.class.path"),
        "tierd.cli.Main");
  }

  /**
   * Runs {@code tierd ARGS}, under {@code prefix} (e.g. setpriv ...), to its end (60 s at most).
   */
  public static Result run(List<String> prefix, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(command());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tierd " + args + " did not end in 60 s: " + output);
    }
    return new Result(p.exitValue(), output);
  }
}
