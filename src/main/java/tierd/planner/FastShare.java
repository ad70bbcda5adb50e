package tierd.planner;

import java.util.Locale;
import tierd.model.DataSize;

/**
 * A tenant's floor or ceiling on the fast tier: a fixed number of bytes ({@code 2GiB}) or a share
 * of the tenant's resident memory ({@code 60%}), resolved to bytes once per plan.
 *
 * @param bytes the fixed bytes, when {@code fraction} is negative
 * @param fraction the share of resident memory in [0, 1], or -1 for fixed bytes
 */
public record FastShare(long bytes, double fraction) {

  public FastShare {
    if (fraction < 0 ? bytes < 0 : !(fraction <= 1)) {
      throw new IllegalArgumentException(
          "a fast-tier share is bytes >= 0 or a percentage in [0%, 100%]");
    }
  }

  public static FastShare ofBytes(long bytes) {
    return new FastShare(bytes, -1);
  }

  public static FastShare ofResident(double fraction) {
    return new FastShare(0, fraction);
  }

  /** True for a share of resident memory, false for fixed bytes. */
  public boolean relative() {
    return fraction >= 0;
  }

  /** Its bytes for a tenant with {@code residentBytes} resident. */
  public long bytesOf(long residentBytes) {
    return relative() ? (long) (residentBytes * fraction) : bytes;
  }

  /** {@code 2GiB} or {@code 60 %}, as reason texts write it. */
  @Override
  public String toString() {
    if (!relative()) {
      return DataSize.human(bytes);
    }
    String percent = String.format(Locale.ROOT, "%.2f", fraction * 100);
    return percent.replaceAll("\\.?0+$", "") + " %";
  }
}
