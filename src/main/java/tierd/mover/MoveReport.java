package tierd.mover;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import tierd.nativeio.Errno;

/**
 * The result of one {@link PageMover#move} call.
 *
 * @param dryRun true when nothing was moved (MOVED then means "would move")
 * @param total the sum over all requests; its counts add up to the pages asked for
 * @param perRequest one tally per request, in request order
 * @param stoppedTargets target nodes that refused and got no further moves in this call, with the
 *     errno that stopped them (ENOMEM back-pressure, ENODEV offline)
 * @param droppedProcesses pids left alone for the rest of the call, with the reason (ESRCH gone or
 *     reused, EPERM no access, EINVAL kernel thread)
 * @param moveCalls move_pages calls that moved (nodes != NULL)
 * @param queryCalls move_pages calls that only queried (nodes == NULL)
 * @param longestCall the longest single move_pages call of either kind
 * @param callsOverBound calls of either kind that took longer than {@link MoverConfig#callBound()}
 * @param elapsed wall time of the whole call, by the mover's ticker
 */
public record MoveReport(
    boolean dryRun,
    Tally total,
    List<Tally> perRequest,
    SortedMap<Integer, Errno> stoppedTargets,
    SortedMap<Integer, Errno> droppedProcesses,
    long moveCalls,
    long queryCalls,
    Duration longestCall,
    long callsOverBound,
    Duration elapsed) {

  public MoveReport {
    perRequest = List.copyOf(perRequest);
    stoppedTargets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(stoppedTargets));
    droppedProcesses = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(droppedProcesses));
  }

  /** Pids dropped for any reason. */
  public SortedSet<Integer> droppedPids() {
    return new TreeSet<>(droppedProcesses.keySet());
  }

  /** Bytes per second moved over {@link #elapsed()}; 0 when nothing moved or no time passed. */
  public double bytesPerSecond() {
    long ns = elapsed.toNanos();
    return ns <= 0 ? 0 : total.bytesMoved() * 1e9 / ns;
  }

  /** A one-line summary for logs. */
  public String summary() {
    return (dryRun ? "dry-run " : "")
        + total
        + " calls="
        + moveCalls
        + "+"
        + queryCalls
        + "q longest="
        + longestCall.toNanos() / 1000
        + "us over_bound="
        + callsOverBound
        + " elapsed="
        + elapsed.toMillis()
        + "ms"
        + (stoppedTargets.isEmpty() ? "" : " stopped=" + stoppedTargets)
        + (droppedProcesses.isEmpty() ? "" : " dropped=" + (Map<Integer, Errno>) droppedProcesses);
  }
}
