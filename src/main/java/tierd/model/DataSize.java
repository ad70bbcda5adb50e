package tierd.model;

import java.util.Locale;

/**
 * An amount of memory in bytes. Parses {@code 4096}, {@code 4096B}, IEC units ({@code KiB, MiB,
 * GiB, TiB}, powers of 1024) and SI units ({@code kB, MB, GB, TB}, powers of 1000). The kernel's
 * "kB" in meminfo is 1024 bytes, but that conversion happens in the meminfo parser, not here.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {

  public static final DataSize ZERO = new DataSize(0);

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size: " + bytes);
    }
  }

  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  public static DataSize ofMiB(long mib) {
    return new DataSize(Math.multiplyExact(mib, 1L << 20));
  }

  public static DataSize ofGiB(long gib) {
    return new DataSize(Math.multiplyExact(gib, 1L << 30));
  }

  /**
   * Parses a size with an optional unit.
   *
   * @throws IllegalArgumentException naming the text and the accepted units
   */
  public static DataSize parse(String text) {
    String s = text.strip();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 512MiB, 4GiB, 4096)");
    }
    String num = s.substring(0, i);
    String unit = s.substring(i).strip();
    long mult =
        switch (unit) {
          case "", "B" -> 1L;
          case "KiB", "K", "k" -> 1L << 10;
          case "MiB", "M" -> 1L << 20;
          case "GiB", "G" -> 1L << 30;
          case "TiB", "T" -> 1L << 40;
          case "kB", "KB" -> 1000L;
          case "MB" -> 1000_000L;
          case "GB" -> 1000_000_000L;
          case "TB" -> 1000_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  "'"
                      + text
                      + "': unknown size unit '"
                      + unit
                      + "' (B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)");
        };
    try {
      if (num.contains(".")) {
        double v = Double.parseDouble(num) * mult;
        if (v > Long.MAX_VALUE) {
          throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return new DataSize(Math.round(v));
      }
      return new DataSize(Math.multiplyExact(Long.parseLong(num), mult));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size", e);
    }
  }

  public long mib() {
    return bytes >> 20;
  }

  @Override
  public int compareTo(DataSize o) {
    return Long.compare(bytes, o.bytes);
  }

  /** Human form with IEC units, e.g. {@code 1.5GiB}. */
  @Override
  public String toString() {
    return human(bytes);
  }

  public static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = 0;
    while (Math.abs(v) >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    if (u == 0) {
      return bytes + "B";
    }
    String s = String.format(Locale.ROOT, "%.1f", v);
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2);
    }
    return s + units[u];
  }
}
