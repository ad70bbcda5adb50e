package tierd.scoring;

/**
 * Identifies a process across pid reuse: its pid and its start time in clock ticks since boot
 * (field 22 of {@code /proc/PID/stat}). History and residency are keyed by it, so a new process
 * that reuses a pid starts afresh.
 */
public record ProcessKey(int pid, long startTimeTicks) implements Comparable<ProcessKey> {

  @Override
  public int compareTo(ProcessKey o) {
    int c = Integer.compare(pid, o.pid);
    return c != 0 ? c : Long.compare(startTimeTicks, o.startTimeTicks);
  }

  @Override
  public String toString() {
    return pid + "@" + startTimeTicks;
  }
}
