package tierd.model;

import java.util.OptionalLong;

/**
 * A process across pid reuse: its pid and its start time in clock ticks since boot (field 22 of
 * {@code /proc/<pid>/stat}). A pid whose start time no longer matches is a different process: the
 * scorer's history and the planner's residency start afresh for it, and the mover never touches it.
 */
public record ProcessId(int pid, long startTimeTicks) implements Comparable<ProcessId> {

  public ProcessId {
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, got " + pid);
    }
    if (startTimeTicks < 0) {
      throw new IllegalArgumentException(
          "negative start time " + startTimeTicks + " for pid " + pid);
    }
  }

  /**
   * True when this is the live process with that start time: {@code liveStartTimeTicks} is what the
   * kernel says of {@link #pid()} now, empty when no live process has it.
   */
  public boolean isStartTimeOf(OptionalLong liveStartTimeTicks) {
    return liveStartTimeTicks.isPresent() && liveStartTimeTicks.getAsLong() == startTimeTicks;
  }

  @Override
  public int compareTo(ProcessId o) {
    int c = Integer.compare(pid, o.pid);
    return c != 0 ? c : Long.compare(startTimeTicks, o.startTimeTicks);
  }

  @Override
  public String toString() {
    return pid + "@" + startTimeTicks;
  }
}
