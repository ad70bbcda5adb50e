package tierd.planner;

import java.time.Duration;
import java.util.Locale;
import tierd.model.DataSize;

/** Number formats shared by reason texts and the explain renderer. */
final class Texts {

  private Texts() {}

  static String bytes(long b) {
    return DataSize.human(b);
  }

  static String heat(double h) {
    return String.format(Locale.ROOT, "%.2f", h);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** {@code 45s}, {@code 5m}, {@code 2h3m}, {@code 250ms}. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + "s";
    }
    long m = s / 60;
    long rs = s % 60;
    if (m < 60) {
      return rs == 0 ? m + "m" : m + "m" + rs + "s";
    }
    long h = m / 60;
    long rm = m % 60;
    return rm == 0 ? h + "h" : h + "h" + rm + "m";
  }
}
