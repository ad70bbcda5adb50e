package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tierd.model.DataSize;
import tierd.profile.Breakdown;
import tierd.profile.ProfileHistory;
import tierd.profile.ProfileSummary;

/**
 * What one cycle did, for the log line, {@code /status} and {@code tierd status}. Sizes in bytes.
 *
 * @param stages duration of each stage that ran, in order
 * @param failedStage the stage that failed, or null
 * @param error the failure's message, or null
 * @param whatIf the tiers were simulated ({@code whatIf.fast} on a one-tier host)
 * @param profile hot, warm and cold bytes, idle ages and the hot set so far; null before scoring
 */
public record CycleReport(
    long number,
    Instant at,
    Duration took,
    boolean dryRun,
    boolean tiered,
    String heatSource,
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
    String error,
    boolean whatIf,
    ProfileSummary profile) {

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
      if (profile != null) {
        Breakdown host = profile.latest().host();
        sb.append("; ")
            .append(managedProcesses)
            .append(" processes, ")
            .append(DataSize.human(host.residentBytes()))
            .append(" resident (hot ")
            .append(DataSize.human(host.hotBytes()))
            .append(", warm ")
            .append(DataSize.human(host.warmBytes()))
            .append(", cold ")
            .append(DataSize.human(host.coldBytes()))
            .append("), hot set ")
            .append(
                profile.hotSetBytes().isPresent()
                    ? DataSize.human(profile.hotSetBytes().getAsLong())
                        + " (p95 over "
                        + ProfileHistory.words(profile.hotSetSpan())
                        + ")"
                    : "not seen yet")
            .append(" via ")
            .append(heatSource);
      }
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
      sb.append("; plan ")
          .append(plannedMoves)
          .append(" moves (up ")
          .append(tierd.model.DataSize.human(promoteBytes))
          .append(", down ")
          .append(tierd.model.DataSize.human(demoteBytes))
          .append(")");
      if (whatIf) {
        sb.append("; what-if tiers, nothing moved");
      } else {
        sb.append(dryRun ? "; dry-run, nothing moved" : "; moved " + DataSize.human(movedBytes));
      }
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
