package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tierd.heat.SourceKind;

/**
 * What one cycle did, for the log line, {@code /status} and {@code tierd status}. Sizes in bytes.
 *
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

  /**
   * The one info line per cycle. A failed cycle's line names the stage but not the reason: the
   * cycle logs that once, not every cycle while it repeats ({@link FailureLog}).
   */
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
    return sb.toString();
  }

  /** The report as {@code /status} gives it ("lastCycle"), in a stable order. */
  public Map<String, Object> statusFields() {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("number", number);
    c.put("at", at.toString());
    c.put("tookMillis", took.toMillis());
    c.put("ok", ok());
    c.put("failedStage", failedStage);
    c.put("error", error);
    c.put("tiered", tiered);
    c.put("heatSource", heatSource);
    c.put("heatSourceDescription", SourceKind.descriptionOf(heatSource).orElse(null));
    c.put("managedProcesses", managedProcesses);
    c.put("regions", regions);
    c.put("hotBytes", hotBytes);
    c.put("coldBytes", coldBytes);
    c.put("hotThreshold", hotThreshold);
    c.put("coldThreshold", coldThreshold);
    c.put("plannedMoves", plannedMoves);
    c.put("promoteBytes", promoteBytes);
    c.put("demoteBytes", demoteBytes);
    c.put("movedBytes", movedBytes);
    c.put("movedPages", movedPages);
    c.put("failuresByErrno", failuresByErrno);
    c.put("pingPongs", pingPongs);
    c.put("skippedByReason", skippedByReason);
    c.put("conflicts", conflicts);
    Map<String, Long> stageMillis = new LinkedHashMap<>();
    stages.forEach((k, v) -> stageMillis.put(k, v.toMillis()));
    c.put("stageMillis", stageMillis);
    return c;
  }
}
