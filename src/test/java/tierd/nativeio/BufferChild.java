package tierd.nativeio;

import java.io.IOException;
import java.util.Locale;

/**
 * A child process for the real-kernel tests: maps and writes a buffer of the given number of base
 * pages, prints {@code ready <address-hex> <pages> <pageBytes>} and waits until its stdin closes.
 */
public final class BufferChild {

  private BufferChild() {}

  public static void main(String[] args) throws IOException {
    int pages = Integer.parseInt(args[0]);
    try (AnonymousMapping m = AnonymousMapping.ofPages(pages)) {
      m.writeAll();
      System.out.printf(Locale.ROOT, "ready %x %d %d%n", m.address(), m.pages(), m.pageBytes());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for EOF
      }
      System.out.println("checksum " + m.checksum());
    }
  }
}
