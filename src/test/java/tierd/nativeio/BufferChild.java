package tierd.nativeio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A child process for the real-kernel tests: maps ONE anonymous buffer of the given number of base
 * pages (one VMA, no THP), writes all of it, prints {@code ready <address-hex> <pages> <pageBytes>}
 * and reads commands from stdin until it closes: {@code write-half} writes the first half of the
 * buffer again and prints {@code written} (the second half is never touched again). At EOF it
 * prints {@code checksum <n>} and exits. Start it with {@link ChildProcesses#java}.
 */
public final class BufferChild {

  private BufferChild() {}

  public static void main(String[] args) throws IOException {
    int pages = Integer.parseInt(args[0]);
    try (AnonymousMapping m = AnonymousMapping.ofPages(pages)) {
      m.writeAll();
      System.out.printf(Locale.ROOT, "ready %x %d %d%n", m.address(), m.pages(), m.pageBytes());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("write-half")) {
          m.write(0, pages / 2);
          System.out.println("written");
          System.out.flush();
        }
      }
      System.out.println("checksum " + m.checksum());
    }
  }
}
