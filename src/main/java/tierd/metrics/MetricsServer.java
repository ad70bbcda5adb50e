package tierd.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP endpoint: {@code /metrics} (Prometheus text format, served by the simpleclient's
 * HTTPServer over tierd's registry), {@code /healthz} (200 while the loop is alive, 503 when it is
 * stuck) and {@code /status} (a JSON summary of the last cycle, read by {@code tierd status}).
 */
public final class MetricsServer implements AutoCloseable {

  /** The loop's health as the endpoint reports it. */
  public interface Health {
    /** Null when healthy, else the reason. */
    String problem();
  }

  /**
   * Connections the kernel queues until tierd's HTTP thread accepts them. A connection beyond the
   * queue waits on the kernel's SYN and SYN-ACK retries: with 8, a burst of 200 concurrent scrapes
   * left 20-33 % of them without a byte for a minute (MetricsServerTest; the VM chaos scenario).
   * The kernel caps it at net.core.somaxconn (4096 since Linux 5.4).
   */
  static final int ACCEPT_BACKLOG = 256;

  private final HttpServer http;
  private final HTTPServer prometheus;

  public MetricsServer(
      String host, int port, TierdMetrics metrics, Health health, Supplier<String> statusJson)
      throws IOException {
    http = HttpServer.create(new InetSocketAddress(host, port), ACCEPT_BACKLOG);
    http.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "tierd-http");
              t.setDaemon(true);
              return t;
            }));
    http.createContext("/healthz", ex -> healthz(ex, health));
    http.createContext("/status", ex -> send(ex, 200, "application/json", statusJson.get()));
    // The simpleclient HTTPServer adds "/", "/metrics" and "/-/healthy" to our server and starts
    // it.
    prometheus =
        new HTTPServer.Builder()
            .withHttpServer(http)
            .withRegistry(metrics.registry().getPrometheusRegistry())
            .build();
  }

  /** The bound port (useful with port 0 in tests). */
  public int port() {
    return http.getAddress().getPort();
  }

  private static void healthz(HttpExchange ex, Health health) throws IOException {
    String problem = health.problem();
    if (problem == null) {
      send(ex, 200, "text/plain; charset=utf-8", "ok\n");
    } else {
      send(ex, 503, "text/plain; charset=utf-8", problem + "\n");
    }
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(code, -1);
    } else {
      ex.sendResponseHeaders(code, b.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(b);
      }
    }
    ex.close();
  }

  @Override
  public void close() {
    prometheus.close();
  }
}
