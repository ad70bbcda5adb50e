package tierd.daemon;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tierd.heat.SourceKind;
import tierd.model.DataSize;
import tierd.planner.TenantShare;
import tierd.profile.Breakdown;
import tierd.profile.ProfileHistory;
import tierd.profile.ProfileSummary;

/**
 * What one cycle did, for the log line, {@code /status} and {@code tierd status}. Sizes in bytes.
 *
 * @param heatIntervals the heat source's intervals in force after its collect (check interval,
 *     window, who tunes them), or null when the source has none or no source runs
 * @param stages duration of each stage that ran, in order
 * @param failedStage the stage that failed, or null
 * @param error the failure's message, or null
 * @param whatIf the tiers were simulated ({@code whatIf.fast} on a one-tier host)
 * @param profile hot, warm and cold bytes, idle ages and the hot set so far; null before scoring
 * @param tenants each tenant's fast-tier share in the cycle's plan (empty without classes)
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
    String error,
    boolean whatIf,
    ProfileSummary profile,
    List<TenantShare> tenants) {

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
    if (heatIntervals != null) {
      Map<String, Object> intervals = new LinkedHashMap<>();
      intervals.put("checkMillis", heatIntervals.check().toNanos() / 1e6);
      intervals.put("windowMillis", heatIntervals.window().toNanos() / 1e6);
      intervals.put("tunedBy", heatIntervals.tunedBy());
      c.put("heatIntervals", intervals);
    }
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
    c.put("whatIf", whatIf);
    c.put("profile", profile == null ? null : tierd.profile.ProfileJson.summary(profile, 10));
    Map<String, Long> stageMillis = new LinkedHashMap<>();
    stages.forEach((k, v) -> stageMillis.put(k, v.toMillis()));
    c.put("stageMillis", stageMillis);
    if (!tenants.isEmpty()) {
      List<Object> rows = new java.util.ArrayList<>();
      for (TenantShare t : tenants) {
        rows.add(tierd.planner.Explain.tenant(t));
      }
      c.put("tenants", rows);
    }
    return c;
  }
}
