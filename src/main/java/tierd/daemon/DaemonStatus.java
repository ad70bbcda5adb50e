package tierd.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tierd.model.DataSize;

/**
 * What the daemon says about itself: the {@code /status} document, the {@code /healthz} verdict and
 * the one-line {@code STATUS=} for the service manager. The loop thread records each cycle's report
 * and the dry-run reason; the endpoint's threads read them.
 */
final class DaemonStatus {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .findAndRegisterModules()
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

  private final String version;
  private final Clock clock;
  private final Instant started;
  private final Optional<Path> configFile;
  private volatile Duration interval;
  private volatile CycleReport last;
  private volatile Optional<String> dryRunReason = Optional.empty();

  DaemonStatus(String version, Clock clock, Optional<Path> configFile, Duration interval) {
    this.version = version;
    this.clock = clock;
    this.started = clock.instant();
    this.configFile = configFile;
    this.interval = interval;
  }

  /** The cycle interval in force (it changes on reload). */
  void interval(Duration interval) {
    this.interval = interval;
  }

  void cycleEnded(CycleReport report) {
    this.last = report;
  }

  /** The last cycle's report, or null before the first one ended. */
  CycleReport last() {
    return last;
  }

  void dryRunReason(Optional<String> reason) {
    this.dryRunReason = reason;
  }

  Optional<String> dryRunReason() {
    return dryRunReason;
  }

  /** Null while healthy; the loop is stuck when no cycle ended for 3 intervals (+30 s). */
  String healthProblem() {
    CycleReport r = last;
    Instant lastEnd = r == null ? started : r.at().plus(r.took());
    Duration allowed = interval.multipliedBy(3).plusSeconds(30);
    Duration since = Duration.between(lastEnd, clock.instant());
    if (since.compareTo(allowed) > 0) {
      return "no cycle completed for "
          + since.toSeconds()
          + "s (allowed "
          + allowed.toSeconds()
          + "s)";
    }
    return null;
  }

  /** The {@code /status} document. */
  String json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("startedAt", started.toString());
    m.put("uptimeSeconds", Duration.between(started, clock.instant()).toSeconds());
    m.put("intervalMillis", interval.toMillis());
    m.put("dryRun", dryRunReason.isPresent());
    m.put("dryRunReason", dryRunReason.orElse(null));
    m.put("config", configFile.map(Path::toString).orElse(null));
    m.put("healthy", healthProblem() == null);
    CycleReport r = last;
    if (r != null) {
      m.put("lastCycle", r.statusFields());
    }
    try {
      return JSON.writeValueAsString(m) + "\n";
    } catch (IOException e) {
      return "{\"error\":\"" + e.getMessage() + "\"}\n";
    }
  }

  /** The service manager's one-line status after a cycle. */
  static String shortStatus(CycleReport r) {
    if (!r.ok()) {
      return "cycle " + r.number() + " failed in " + r.failedStage();
    }
    if (!r.tiered()) {
      return r.profile() == null
          ? "one memory tier: nothing to tier"
          : "one memory tier: " + r.profile().sentence();
    }
    return String.format(
        "cycle %d: %d processes, %d moves planned, %s moved%s",
        r.number(),
        r.managedProcesses(),
        r.plannedMoves(),
        DataSize.human(r.movedBytes()),
        r.dryRun() ? " (dry-run)" : "");
  }
}
