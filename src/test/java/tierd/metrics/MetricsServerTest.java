package tierd.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The endpoint under a burst of concurrent scrapes (issue 14: the VM chaos scenario sends 200 at
 * once). Every connection is opened before any is answered, as {@code curl --parallel-immediate}
 * does: with an accept backlog of 8, 20-33 % of 200 such requests got no byte back within a minute
 * (three bursts on the development host), because connections beyond the accept queue wait on the
 * kernel's SYN and SYN-ACK retries.
 */
class MetricsServerTest {

  static final int SCRAPES = 200;

  /** Far above the half second the burst takes once every connection is accepted. */
  static final long DEADLINE_SECONDS = 30;

  @Test
  void everyOneOfABurstOfConcurrentScrapesIsAnswered() throws Exception {
    try (MetricsServer server =
            new MetricsServer(
                "127.0.0.1", 0, new TierdMetrics("test"), () -> null, () -> "{\"ok\":true}\n");
        Selector selector = Selector.open()) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
      List<Scrape> scrapes = new ArrayList<>();
      for (int i = 0; i < SCRAPES; i++) {
        Scrape s = new Scrape(i % 2 == 0 ? "/metrics" : "/status");
        s.channel.configureBlocking(false);
        if (s.channel.connect(address)) {
          s.channel.register(selector, SelectionKey.OP_WRITE, s);
        } else {
          s.channel.register(selector, SelectionKey.OP_CONNECT, s);
        }
        scrapes.add(s);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
      int open = SCRAPES;
      while (open > 0 && System.nanoTime() < deadline) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          if (((Scrape) key.attachment()).step(key)) {
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
      List<String> unanswered = new ArrayList<>();
      for (int i = 0; i < SCRAPES; i++) {
        String wanted = i % 2 == 0 ? "tierd_build_info" : "{\"ok\":true}";
        String response = scrapes.get(i).response.toString(StandardCharsets.UTF_8);
        if (!response.startsWith("HTTP/1.1 200") || !response.contains(wanted)) {
          unanswered.add(i + scrapes.get(i).path);
        }
        scrapes.get(i).channel.close();
      }
      assertThat(unanswered)
          .as("scrapes not answered 200 with a body within %d s", DEADLINE_SECONDS)
          .isEmpty();
    }
  }

  /** One HTTP/1.0 request on its own connection: connect, send, read until the server closes. */
  private static final class Scrape {
    final String path;
    final SocketChannel channel;
    final ByteBuffer request;
    final ByteArrayOutputStream response = new ByteArrayOutputStream();
    final ByteBuffer buffer = ByteBuffer.allocate(8192);

    Scrape(String path) throws IOException {
      this.path = path;
      this.channel = SocketChannel.open();
      this.request =
          ByteBuffer.wrap(
              ("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
    }

    /** Advances on a ready key; true once the response is complete (the server closed). */
    boolean step(SelectionKey key) throws IOException {
      if (key.isConnectable() && channel.finishConnect()) {
        key.interestOps(SelectionKey.OP_WRITE);
      } else if (key.isWritable()) {
        channel.write(request);
        if (!request.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      } else if (key.isReadable()) {
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
          key.cancel();
          return true;
        }
        response.write(buffer.array(), 0, n);
      }
      return false;
    }
  }
}
