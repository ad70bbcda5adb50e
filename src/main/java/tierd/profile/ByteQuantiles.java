package tierd.profile;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Percentiles of values weighted by bytes, nearest rank: with N bytes in all, the p-quantile is the
 * value of byte number {@code ceil(p·N)} when the bytes are sorted by value (the first byte when p
 * is 0). So "p90 idle age = 12 min" means 90 % of the bytes have been idle for at most 12 min, and
 * at least 10 % for 12 min or more. Pure.
 */
public final class ByteQuantiles {

  private ByteQuantiles() {}

  /** The 1-based rank of the p-quantile among {@code totalBytes} sorted bytes. */
  static long rank(double p, long totalBytes) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("quantile " + p + " is outside [0, 1]");
    }
    return Math.max(1, Math.min(totalBytes, (long) Math.ceil(p * totalBytes)));
  }

  /**
   * The p-quantile of {@code values}, element i weighing {@code bytes[i]} (≥ 0) bytes; empty when
   * the weights add up to zero.
   */
  public static OptionalLong quantile(long[] values, long[] bytes, double p) {
    return quantiles(values, bytes, p)[0];
  }

  /** Several quantiles with one sort; the result has one entry per {@code ps}. */
  public static OptionalLong[] quantiles(long[] values, long[] bytes, double... ps) {
    if (values.length != bytes.length) {
      throw new IllegalArgumentException(
          values.length + " values but " + bytes.length + " weights");
    }
    long total = 0;
    for (long b : bytes) {
      if (b < 0) {
        throw new IllegalArgumentException("negative weight " + b);
      }
      total = Math.addExact(total, b);
    }
    OptionalLong[] out = new OptionalLong[ps.length];
    if (total == 0) {
      Arrays.fill(out, OptionalLong.empty());
      return out;
    }
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(values[a], values[b]));
    for (int q = 0; q < ps.length; q++) {
      long rank = rank(ps[q], total);
      long cum = 0;
      for (int i : order) {
        cum += bytes[i];
        if (cum >= rank) {
          out[q] = OptionalLong.of(values[i]);
          break;
        }
      }
    }
    return out;
  }
}
