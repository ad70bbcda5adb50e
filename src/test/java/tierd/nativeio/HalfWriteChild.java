package tierd.nativeio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A child process for the real-kernel heat tests: maps ONE anonymous buffer of the given number of
 * base pages (one VMA, no THP), writes all of it once, prints {@code ready <address-hex> <pages>
 * <pageBytes>}; then for every {@code write} line on stdin writes the first half again and prints
 * {@code written}. The second half is never touched after the first write. Exits at EOF.
 */
public final class HalfWriteChild {

  private HalfWriteChild() {}

  public static void main(String[] args) throws IOException {
    int pages = Integer.parseInt(args[0]);
    try (AnonymousMapping m = AnonymousMapping.ofPages(pages)) {
      m.writeAll();
      System.out.printf(Locale.ROOT, "ready %x %d %d%n", m.address(), m.pages(), m.pageBytes());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("write")) {
          m.write(0, pages / 2);
          System.out.println("written");
          System.out.flush();
        }
      }
    }
  }
}
