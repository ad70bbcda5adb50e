package tierd.daemon;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a demotion-only node's {@code capacityCommand} (argv, no shell; stdin empty, stderr
 * discarded) and returns what it printed. It must exit 0 within {@link #TIMEOUT}; otherwise it is
 * killed and the capacity is unknown. The mover asks for the capacity before every chunk it sends
 * into the node, so a reading is reused for {@link #REUSE} (at most one run a second, however many
 * chunks); the plan's reading at the start of each cycle is the first after at least that.
 */
final class CapacityCommand {

  /** Longest a run may take before it is killed. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** How long one reading answers later asks. */
  static final Duration REUSE = Duration.ofSeconds(1);

  /** Most bytes of output read (a number needs 20). */
  static final int MAX_OUTPUT_BYTES = 4096;

  private final List<String> argv;
  private final LongSupplier nanoClock;
  private final Duration timeout;
  private String lastOutput;
  private long lastRunNanos;

  CapacityCommand(List<String> argv) {
    this(argv, System::nanoTime, TIMEOUT);
  }

  CapacityCommand(List<String> argv, LongSupplier nanoClock, Duration timeout) {
    this.argv = List.copyOf(argv);
    this.nanoClock = nanoClock;
    this.timeout = timeout;
  }

  /**
   * The command's standard output, run now or reused from a run less than {@link #REUSE} ago;
   * throws IllegalArgumentException saying what went wrong (not started, timed out, exit status).
   */
  synchronized String output() {
    long now = nanoClock.getAsLong();
    if (lastOutput != null && now - lastRunNanos < REUSE.toNanos()) {
      return lastOutput;
    }
    lastOutput = null;
    String out = run();
    lastOutput = out;
    lastRunNanos = now;
    return out;
  }

  private String run() {
    Process process;
    try {
      process =
          new ProcessBuilder(argv)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot run " + argv + ": " + e.getMessage(), e);
    }
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalArgumentException(
            argv + " did not finish within " + timeout.toMillis() + " ms (killed)");
      }
      if (process.exitValue() != 0) {
        throw new IllegalArgumentException(argv + " exited with status " + process.exitValue());
      }
      // After the exit, only what is already in the pipe: a child it left behind that keeps the
      // pipe open cannot block the cycle.
      InputStream stdout = process.getInputStream();
      byte[] bytes = stdout.readNBytes(Math.min(stdout.available(), MAX_OUTPUT_BYTES));
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException(argv + " interrupted", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the output of " + argv + ": " + e, e);
    } finally {
      try {
        process.getInputStream().close();
      } catch (IOException e) {
        // nothing more to read from it
      }
    }
  }
}
