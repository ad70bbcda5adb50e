package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one cycle did, for the log line, {@code /status} and {@code tierd status}. Sizes in bytes.
 *
 * @param heatIntervals the heat source's intervals in force after its collect (check interval,
 *     window, who tunes them), or null when the source has none or no source runs
 * @param stages duration of each stage that ran, in order
 * @param failedStage the stage that failed, or null
 * @param error the failure's message, or null
 */
public record CycleReport(
    long number,
    Instant at,
    Duration took,
    boolean dryRun,
    boolean tiered,
    String heatSource,
    tierd.heat.HeatSource.Intervals heatIntervals,
    int managedProcesses,
    int regions,
    long hotBytes,
    long coldBytes,
    double hotThreshold,
    double coldThreshold,
    int plannedMoves,
    long promoteBytes,
    long demoteBytes,
    long movedBytes,
    long movedPages,
    Map<String, Long> failuresByErrno,
    int pingPongs,
    Map<String, Long> skippedByReason,
    List<String> conflicts,
    Map<String, Duration> stages,
    String failedStage,
    String error) {

  public boolean ok() {
    return failedStage == null;
  }

  /** The one info line per cycle. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("cycle ").append(number).append(ok() ? " ok" : " FAILED in " + failedStage);
    sb.append(" in ").append(took.toMillis()).append("ms");
    if (!tiered) {
      sb.append(": one memory tier, nothing to tier");
    } else {
      sb.append(": ")
          .append(managedProcesses)
          .append(" processes, ")
          .append(regions)
          .append(" regions (hot ")
          .append(tierd.model.DataSize.human(hotBytes))
          .append(", cold ")
          .append(tierd.model.DataSize.human(coldBytes))
          .append(") via ")
          .append(heatSource);
      if (heatIntervals != null) {
        sb.append(" (check ")
            .append(heatIntervals.check().toMillis())
            .append("ms/")
            .append(heatIntervals.window().toMillis())
            .append("ms ")
            .append(heatIntervals.tunedBy())
            .append(')');
      }
      sb.append("; plan ")
          .append(plannedMoves)
          .append(" moves (up ")
          .append(tierd.model.DataSize.human(promoteBytes))
          .append(", down ")
          .append(tierd.model.DataSize.human(demoteBytes))
          .append(")");
      sb.append(
          dryRun
              ? "; dry-run, nothing moved"
              : "; moved " + tierd.model.DataSize.human(movedBytes));
      if (!failuresByErrno.isEmpty()) {
        sb.append(" failures ").append(failuresByErrno);
      }
      if (pingPongs > 0) {
        sb.append(" ping-pongs ").append(pingPongs);
      }
    }
    sb.append(" [");
    boolean first = true;
    for (var e : stages.entrySet()) {
      if (!first) {
        sb.append(' ');
      }
      sb.append(e.getKey()).append('=').append(e.getValue().toMillis()).append("ms");
      first = false;
    }
    sb.append(']');
    if (error != null) {
      sb.append(": ").append(error);
    }
    return sb.toString();
  }
}
