package tierd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tierd.config.TierdConfig;
import tierd.kernelfs.KernelFiles;
import tierd.model.DataSize;
import tierd.planner.Explain;
import tierd.planner.TenantShare;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Ask the running daemon (its /status endpoint) what it is doing.")
final class StatusCommand implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "The daemon's config file, to find its 'listen' address.")
  Path config;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "The daemon's address.")
  String listen;

  @Option(names = "--json", description = "Print the raw JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    String addr = listen;
    if (addr == null) {
      addr = (config == null ? TierdConfig.defaults() : TierdConfig.load(config)).listen();
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://" + addr + "/status"))
            .timeout(Duration.ofSeconds(5))
            .build();
    String body;
    try {
      HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        spec.commandLine()
            .getErr()
            .println("tierd: " + addr + "/status answered " + resp.statusCode());
        return 1;
      }
      body = resp.body();
    } catch (java.io.IOException e) {
      String reason =
          e instanceof java.net.ConnectException ? "connection refused" : KernelFiles.reason(e);
      spec.commandLine()
          .getErr()
          .println(
              "tierd: no daemon answers on "
                  + addr
                  + ": "
                  + reason
                  + " (is it running? systemctl status tierd; give its address with --listen"
                  + " or its config with --config)");
      return 1;
    }
    var out = spec.commandLine().getOut();
    if (json) {
      out.print(body);
      out.flush();
      return 0;
    }
    out.print(render(new ObjectMapper().readTree(body)));
    out.flush();
    return 0;
  }

  static String render(JsonNode s) {
    StringBuilder sb = new StringBuilder();
    sb.append("tierd ")
        .append(s.path("version").asText())
        .append(", up ")
        .append(
            Duration.ofSeconds(s.path("uptimeSeconds").asLong())
                .toString()
                .substring(2)
                .toLowerCase())
        .append(", every ")
        .append(s.path("intervalMillis").asLong())
        .append("ms, ")
        .append(s.path("healthy").asBoolean() ? "healthy" : "UNHEALTHY")
        .append('\n');
    if (s.path("dryRun").asBoolean()) {
      sb.append("dry-run: ").append(s.path("dryRunReason").asText()).append('\n');
    }
    JsonNode c = s.path("lastCycle");
    if (c.isMissingNode()) {
      sb.append("no cycle has completed yet\n");
      return sb.toString();
    }
    sb.append("last cycle #")
        .append(c.path("number").asLong())
        .append(" at ")
        .append(c.path("at").asText())
        .append(" took ")
        .append(c.path("tookMillis").asLong())
        .append("ms: ")
        .append(
            c.path("ok").asBoolean()
                ? "ok"
                : "FAILED in " + c.path("failedStage").asText() + ": " + c.path("error").asText())
        .append('\n');
    JsonNode profile = c.path("profile");
    if (!c.path("tiered").asBoolean()) {
      sb.append("one memory tier: nothing to tier\n");
      if (profile.has("sentence")) {
        sb.append("  profile: ").append(profile.path("sentence").asText()).append('\n');
      }
      return sb.toString();
    }
    if (c.path("whatIf").asBoolean()) {
      sb.append("  what-if tiers (whatIf.fast): simulated, nothing moves\n");
    }
    sb.append("  processes ")
        .append(c.path("managedProcesses").asInt())
        .append(", regions ")
        .append(c.path("regions").asInt())
        .append(" via ")
        .append(c.path("heatSource").asText())
        .append(intervals(c.path("heatIntervals")))
        .append("; hot ")
        .append(DataSize.human(c.path("hotBytes").asLong()))
        .append(", cold ")
        .append(DataSize.human(c.path("coldBytes").asLong()))
        .append(
            String.format(
                " (thresholds hot %.3f, cold %.3f)%n",
                c.path("hotThreshold").asDouble(), c.path("coldThreshold").asDouble()));
    if (c.hasNonNull("heatSourceDescription")) {
      sb.append("  ")
          .append(c.path("heatSource").asText())
          .append(": ")
          .append(c.path("heatSourceDescription").asText())
          .append('\n');
    }
    sb.append("  plan ")
        .append(c.path("plannedMoves").asInt())
        .append(" moves: up ")
        .append(DataSize.human(c.path("promoteBytes").asLong()))
        .append(", down ")
        .append(DataSize.human(c.path("demoteBytes").asLong()))
        .append("; moved ")
        .append(DataSize.human(c.path("movedBytes").asLong()))
        .append('\n');
    appendMap(sb, "  failures", c.path("failuresByErrno"));
    appendMap(sb, "  skipped", c.path("skippedByReason"));
    for (JsonNode conflict : c.path("conflicts")) {
      sb.append("  conflict: ").append(conflict.asText()).append('\n');
    }
    for (JsonNode tenant : c.path("tenants")) {
      sb.append("  ").append(Explain.tenantLine(tenantShare(tenant))).append('\n');
    }
    appendMap(sb, "  stages (ms)", c.path("stageMillis"));
    return sb.toString();
  }

  /** A tenant row of {@code /status} ({@link Explain#tenant}) read back. */
  static TenantShare tenantShare(JsonNode t) {
    return new TenantShare(
        t.path("name").asText(),
        t.path("class").asText(),
        t.path("priority").asInt(),
        t.path("residentBytes").asLong(),
        t.path("fastBytes").asLong(),
        t.path("projectedFastBytes").asLong(),
        t.path("floorBytes").asLong(-1),
        t.path("ceilingBytes").asLong(-1),
        t.path("floor").asText(),
        t.path("ceiling").asText(),
        Map.of());
  }

  /** " (sampling 120ms, aggregation 2400ms, tuned by tierd)", or "" without intervals. */
  static String intervals(JsonNode iv) {
    if (iv.isMissingNode() || iv.isNull()) {
      return "";
    }
    double check = iv.path("checkMillis").asDouble();
    double window = iv.path("windowMillis").asDouble();
    String tuned = iv.path("tunedBy").asText();
    String how = tuned.equals("fixed") ? "fixed" : "tuned by " + tuned;
    if (check == window) {
      return String.format(" (window %s, %s)", millis(window), how);
    }
    return String.format(" (sampling %s, aggregation %s, %s)", millis(check), millis(window), how);
  }

  private static String millis(double ms) {
    return ms >= 10 ? Math.round(ms) + "ms" : String.format("%.1fms", ms);
  }

  private static void appendMap(StringBuilder sb, String label, JsonNode m) {
    if (m == null || m.size() == 0) {
      return;
    }
    sb.append(label).append(':');
    Iterator<Map.Entry<String, JsonNode>> it = m.fields();
    while (it.hasNext()) {
      var e = it.next();
      sb.append(' ').append(e.getKey()).append('=').append(e.getValue().asText());
    }
    sb.append('\n');
  }
}
