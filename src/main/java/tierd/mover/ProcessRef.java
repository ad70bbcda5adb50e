package tierd.mover;

/**
 * A process as the mover addresses it: the pid plus its start time ({@code /proc/<pid>/stat} field
 * 22, clock ticks since boot), which together survive pid reuse. A pid whose start time no longer
 * matches is a different process and is never touched.
 */
public record ProcessRef(int pid, long startTimeTicks) {

  public ProcessRef {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, got " + pid);
    }
    if (startTimeTicks < 0) {
      throw new IllegalArgumentException(
          "negative start time " + startTimeTicks + " for pid " + pid);
    }
  }

  @Override
  public String toString() {
    return pid + "@" + startTimeTicks;
  }
}
