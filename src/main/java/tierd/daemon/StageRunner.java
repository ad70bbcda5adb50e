package tierd.daemon;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs the named stages of one cycle under one failure boundary, as HikariCP's HouseKeeper runs its
 * housekeeping: each stage is timed, its outcome is recorded, and anything it throws becomes a
 * {@link StageFailure} that names the stage — a RuntimeException, and an Error too (a JNA {@link
 * LinkageError} above all), except a {@link VirtualMachineError}: after an OutOfMemoryError, a
 * StackOverflowError or an InternalError the JVM cannot be trusted, so that one goes through
 * unchanged and ends the process (systemd restarts it).
 *
 * <p>A stage that ends with a {@link Cancellation} (SIGTERM between two move_pages calls) is an
 * orderly stop: it is recorded as a success and reported as a failure that {@link
 * StageFailure#cancelled() says so}.
 *
 * <p>One runner per cycle; not thread-safe. A stage name that runs twice in a cycle adds up.
 */
public final class StageRunner {

  /** Where each stage's duration and outcome go (the metrics). */
  @FunctionalInterface
  public interface Recorder {
    void stage(String name, Duration took, boolean ok);
  }

  /** Thrown by a stage's body to stop the cycle in an orderly way; not a failure. */
  public abstract static class Cancellation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected Cancellation(String message) {
      super(message);
    }
  }

  private final Recorder recorder;
  private final LongSupplier nanoTime;
  private final Consumer<String> beforeEach;
  private final Map<String, Duration> durations = new LinkedHashMap<>();

  public StageRunner(Recorder recorder) {
    this(recorder, System::nanoTime, stage -> {});
  }

  /**
   * @param nanoTime the monotonic clock stages are timed with
   * @param beforeEach runs at the start of every stage, inside its boundary (fault-injection tests)
   */
  StageRunner(Recorder recorder, LongSupplier nanoTime, Consumer<String> beforeEach) {
    this.recorder = recorder;
    this.nanoTime = nanoTime;
    this.beforeEach = beforeEach;
  }

  /** Runs {@code body} as stage {@code name}; returns its value or throws a StageFailure. */
  public <T> T call(String name, Supplier<T> body) {
    long start = nanoTime.getAsLong();
    boolean ok = false;
    try {
      beforeEach.accept(name);
      T value = body.get();
      ok = true;
      return value;
    } catch (Cancellation e) {
      ok = true;
      throw new StageFailure(name, e);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (RuntimeException | Error e) {
      throw new StageFailure(name, e);
    } finally {
      Duration took = Duration.ofNanos(nanoTime.getAsLong() - start);
      durations.merge(name, took, Duration::plus);
      recorder.stage(name, took, ok);
    }
  }

  /** Runs {@code body} as stage {@code name}, or throws a StageFailure. */
  public void run(String name, Runnable body) {
    call(
        name,
        () -> {
          body.run();
          return null;
        });
  }

  /** How long each stage took, in the order they first ran. */
  public Map<String, Duration> durations() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(durations));
  }

  /** True for what only ends the process: an error of the JVM itself. */
  public static boolean isFatal(Throwable t) {
    return t instanceof VirtualMachineError;
  }

  /**
   * A throwable in words, for a one-line log message: "ArithmeticException: / by zero". tierd's own
   * exceptions carry complete messages (file, line, key) and are given by message alone.
   */
  public static String reason(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (t.getClass().getName().startsWith("tierd.")) {
      return message;
    }
    return t.getClass().getSimpleName() + ": " + message;
  }

  /** A stage that threw, with the stage's name; the cause is what it threw. */
  public static final class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String stage;

    StageFailure(String stage, Throwable cause) {
      super(stage + ": " + StageRunner.reason(cause), cause);
      this.stage = stage;
    }

    public String stage() {
      return stage;
    }

    /** The stage was stopped on request (SIGTERM): not a failure of tierd. */
    public boolean cancelled() {
      return getCause() instanceof Cancellation;
    }

    /**
     * A native library or symbol could not be loaded or linked (JNA's UnsatisfiedLinkError, a
     * NoClassDefFoundError): it will not get better while this process lives.
     */
    public boolean linkage() {
      return getCause() instanceof LinkageError;
    }

    /** The cause in words, without the stage. */
    public String reason() {
      return StageRunner.reason(getCause());
    }
  }
}
