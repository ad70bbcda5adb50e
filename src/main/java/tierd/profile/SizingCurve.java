package tierd.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sizing curve of a set of regions: ranked by access rate (accesses per byte), hottest first, a
 * fast tier of X bytes holds the hottest X bytes and serves their accesses. {@link #servedShare}
 * gives the share of all accesses a fast tier of X bytes would serve (linear inside a region: its
 * bytes are alike as far as tierd can tell), {@link #fastBytesFor} the smallest fast tier that
 * serves a given share. Regions of equal rate may come in any order: the curve is the same. Pure
 * and immutable.
 */
public final class SizingCurve {

  /** Share of a window's accesses its hot set serves. */
  public static final double HOT_SET_SHARE = 0.95;

  /** Served shares reported as sizing points (metrics, tables): the fast tier each one needs. */
  public static final List<Double> SERVED_SHARES = List.of(0.5, 0.8, 0.9, 0.95, 0.99);

  /** One vertex of the curve: a fast tier of {@code fastBytes} serves {@code servedShare}. */
  public record Point(long fastBytes, double servedShare) {}

  private final long[] cumBytes; // bytes of regions 0..i, ranked hottest first
  private final double[] cumAccesses; // their accesses
  private final double[] rates; // accesses per byte of region i

  private SizingCurve(long[] cumBytes, double[] cumAccesses, double[] rates) {
    this.cumBytes = cumBytes;
    this.cumAccesses = cumAccesses;
    this.rates = rates;
  }

  /**
   * @param bytes resident bytes per region (≥ 0)
   * @param rates accesses per byte per region, in [0, ∞)
   */
  public static SizingCurve of(long[] bytes, double[] rates) {
    if (bytes.length != rates.length) {
      throw new IllegalArgumentException(bytes.length + " sizes but " + rates.length + " rates");
    }
    Integer[] order = new Integer[bytes.length];
    for (int i = 0; i < order.length; i++) {
      if (bytes[i] < 0 || !(rates[i] >= 0) || Double.isInfinite(rates[i])) {
        throw new IllegalArgumentException(
            "region " + i + ": bytes " + bytes[i] + ", rate " + rates[i]);
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(rates[b], rates[a]));
    long[] cb = new long[order.length];
    double[] ca = new double[order.length];
    double[] r = new double[order.length];
    long sumBytes = 0;
    double sumAccesses = 0;
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      sumBytes = Math.addExact(sumBytes, bytes[i]);
      sumAccesses += bytes[i] * rates[i];
      cb[k] = sumBytes;
      ca[k] = sumAccesses;
      r[k] = rates[i];
    }
    return new SizingCurve(cb, ca, r);
  }

  public long totalBytes() {
    return cumBytes.length == 0 ? 0 : cumBytes[cumBytes.length - 1];
  }

  public double totalAccesses() {
    return cumAccesses.length == 0 ? 0 : cumAccesses[cumAccesses.length - 1];
  }

  /** True when some access was seen (otherwise every share is undefined). */
  public boolean accessed() {
    return totalAccesses() > 0;
  }

  /** Accesses a fast tier of {@code fastBytes} serves. */
  double servedAccesses(long fastBytes) {
    if (fastBytes <= 0) {
      return 0;
    }
    if (fastBytes >= totalBytes()) {
      return totalAccesses();
    }
    int k = firstRegionEndingAtOrAfter(fastBytes);
    long before = k == 0 ? 0 : cumBytes[k - 1];
    double accBefore = k == 0 ? 0 : cumAccesses[k - 1];
    return accBefore + (fastBytes - before) * rates[k];
  }

  /** Share of the accesses a fast tier of {@code fastBytes} serves, in [0, 1]; NaN if none. */
  public double servedShare(long fastBytes) {
    return accessed() ? Math.min(1, servedAccesses(fastBytes) / totalAccesses()) : Double.NaN;
  }

  /** Bytes that would sit below a fast tier of {@code fastBytes}. */
  public long bytesBelow(long fastBytes) {
    return Math.max(0, totalBytes() - Math.max(0, fastBytes));
  }

  /**
   * The smallest fast tier, in bytes, that serves at least {@code share} of the accesses; 0 when no
   * access was seen.
   */
  public long fastBytesFor(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("share " + share + " is outside [0, 1]");
    }
    if (!accessed() || share == 0) {
      return 0;
    }
    double target = share * totalAccesses();
    int k = 0;
    while (k < cumAccesses.length - 1 && cumAccesses[k] < target) {
      k++;
    }
    long before = k == 0 ? 0 : cumBytes[k - 1];
    double accBefore = k == 0 ? 0 : cumAccesses[k - 1];
    long x =
        rates[k] > 0
            ? before + (long) Math.ceil((target - accBefore) / rates[k])
            : cumBytes[cumBytes.length - 1];
    x = Math.max(before, Math.min(cumBytes[k], x));
    // the division above may round either way: settle on the exact smallest size
    while (x > 0 && servedAccesses(x - 1) >= target) {
      x--;
    }
    while (x < totalBytes() && servedAccesses(x) < target) {
      x++;
    }
    return x;
  }

  /**
   * The curve's vertices from (0, 0) to (all bytes, 1), thinned so that consecutive points differ
   * by at least 1/{@code resolution} of the bytes or of the accesses (the last point always stays).
   * Empty when no access was seen.
   */
  public List<Point> points(int resolution) {
    List<Point> out = new ArrayList<>();
    if (!accessed()) {
      return out;
    }
    double total = totalAccesses();
    long bytes = totalBytes();
    out.add(new Point(0, 0));
    long lastBytes = 0;
    double lastShare = 0;
    for (int k = 0; k < cumBytes.length; k++) {
      double share = Math.min(1, cumAccesses[k] / total);
      boolean last = k == cumBytes.length - 1;
      if (last
          || (cumBytes[k] - lastBytes) * (double) resolution >= bytes
          || (share - lastShare) * resolution >= 1) {
        if (cumBytes[k] != lastBytes || last) {
          out.add(new Point(cumBytes[k], share));
        }
        lastBytes = cumBytes[k];
        lastShare = share;
      }
    }
    return out;
  }

  private int firstRegionEndingAtOrAfter(long fastBytes) {
    int lo = 0;
    int hi = cumBytes.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumBytes[mid] < fastBytes) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
