package tierd.config;

import java.time.Duration;
import java.util.Locale;
import tierd.model.DataSize;

/**
 * Values with units as written in tierd.yaml: durations ({@code 250ms}, {@code 5s}, {@code 2m},
 * {@code 1h}), sizes ({@code 256MiB}; see {@link DataSize#parse}), rates ({@code 200MiB/s}) and
 * percentages ({@code 95%}). A bare number is refused where a unit is expected, so that {@code
 * interval: 5} cannot mean five milliseconds to one reader and five seconds to another.
 */
public final class Units {

  private Units() {}

  public static Duration duration(String text) {
    String s = text.strip();
    int i = 0;
    while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
      i++;
    }
    if (i == 0 || i == s.length()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (a number with a unit: ms, s, m, h; e.g. 5s)");
    }
    double v;
    try {
      v = Double.parseDouble(s.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a duration");
    }
    String unit = s.substring(i).strip();
    double nanos =
        switch (unit) {
          case "ns" -> v;
          case "us", "µs" -> v * 1e3;
          case "ms" -> v * 1e6;
          case "s" -> v * 1e9;
          case "m", "min" -> v * 60e9;
          case "h" -> v * 3600e9;
          default ->
              throw new IllegalArgumentException(
                  "'" + text + "': unknown duration unit '" + unit + "' (ns, us, ms, s, m, h)");
        };
    return Duration.ofNanos(Math.round(nanos));
  }

  public static DataSize size(String text) {
    return DataSize.parse(text);
  }

  /** Bytes per second from {@code <size>/s}. */
  public static long rate(String text) {
    String s = text.strip();
    if (!s.endsWith("/s")) {
      throw new IllegalArgumentException("'" + text + "' is not a rate (e.g. 200MiB/s)");
    }
    return DataSize.parse(s.substring(0, s.length() - 2)).bytes();
  }

  /** A fraction in [0,1] from {@code 95%}. */
  public static double percent(String text) {
    String s = text.strip();
    if (!s.endsWith("%")) {
      throw new IllegalArgumentException("'" + text + "' is not a percentage (e.g. 95%)");
    }
    try {
      return Double.parseDouble(s.substring(0, s.length() - 1).strip()) / 100.0;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not a percentage (e.g. 95%)");
    }
  }

  public static String formatDuration(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0 && ms > 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  public static String formatPercent(double fraction) {
    return String.format(Locale.ROOT, "%.4g%%", fraction * 100).replaceAll("\\.?0+%$", "%");
  }
}
