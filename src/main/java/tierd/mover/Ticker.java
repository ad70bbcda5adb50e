package tierd.mover;

/**
 * A monotonic nanosecond clock, injected so that batch sizing and call durations can be driven by
 * simulated time in tests. Only differences between two readings mean anything.
 */
@FunctionalInterface
public interface Ticker {

  long nanoTime();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
