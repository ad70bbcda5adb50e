package tierd.profile;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import tierd.scoring.HeatClass;

/**
 * What a set of regions (one process, one cgroup, or the host) holds: resident bytes by heat class,
 * idle-age percentiles per byte, bytes idle at least 1 min, 10 min and 1 h, and the hot set of the
 * window (the smallest fast tier serving {@link SizingCurve#HOT_SET_SHARE} of its accesses).
 *
 * @param idleP50 idle age of the median byte (zero when nothing is resident)
 * @param accessed false when no access was seen in these regions (the hot set is then 0)
 */
public record Breakdown(
    long residentBytes,
    long hotBytes,
    long warmBytes,
    long coldBytes,
    Duration idleP50,
    Duration idleP90,
    Duration idleP99,
    long idle1mBytes,
    long idle10mBytes,
    long idle1hBytes,
    long hotSetBytes,
    boolean accessed) {

  /** The idle ages whose bytes are counted, in the order of the idle*Bytes fields. */
  public static final List<Duration> IDLE_THRESHOLDS =
      List.of(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofHours(1));

  /** The idle-age percentiles reported, in the order of the idleP* fields. */
  public static final List<Double> IDLE_QUANTILES = List.of(0.5, 0.9, 0.99);

  public static final Breakdown EMPTY =
      new Breakdown(0, 0, 0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, false);

  public static Breakdown of(List<RegionBytes> regions) {
    return of(regions, curveOf(regions));
  }

  /** The breakdown when the regions' sizing curve is already known. */
  static Breakdown of(List<RegionBytes> regions, SizingCurve curve) {
    int n = regions.size();
    long[] idleMillis = new long[n];
    long[] bytes = new long[n];
    long[] byClass = new long[HeatClass.values().length];
    long[] idle = new long[IDLE_THRESHOLDS.size()];
    for (int i = 0; i < n; i++) {
      RegionBytes r = regions.get(i);
      bytes[i] = r.residentBytes();
      idleMillis[i] = r.idleAge().toMillis();
      byClass[r.heatClass().ordinal()] += r.residentBytes();
      for (int t = 0; t < idle.length; t++) {
        if (r.idleAge().compareTo(IDLE_THRESHOLDS.get(t)) >= 0) {
          idle[t] += r.residentBytes();
        }
      }
    }
    OptionalLong[] q =
        ByteQuantiles.quantiles(
            idleMillis, bytes, IDLE_QUANTILES.stream().mapToDouble(Double::doubleValue).toArray());
    return new Breakdown(
        curve.totalBytes(),
        byClass[HeatClass.HOT.ordinal()],
        byClass[HeatClass.WARM.ordinal()],
        byClass[HeatClass.COLD.ordinal()],
        Duration.ofMillis(q[0].orElse(0)),
        Duration.ofMillis(q[1].orElse(0)),
        Duration.ofMillis(q[2].orElse(0)),
        idle[0],
        idle[1],
        idle[2],
        curve.fastBytesFor(SizingCurve.HOT_SET_SHARE),
        curve.accessed());
  }

  /** The sizing curve of {@code regions}: heat is the access rate per byte. */
  public static SizingCurve curveOf(List<RegionBytes> regions) {
    long[] bytes = new long[regions.size()];
    double[] rates = new double[regions.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = regions.get(i).residentBytes();
      rates[i] = regions.get(i).heat();
    }
    return SizingCurve.of(bytes, rates);
  }

  /** Bytes idle for at least {@code IDLE_THRESHOLDS.get(i)}. */
  public long idleBytes(int i) {
    return switch (i) {
      case 0 -> idle1mBytes;
      case 1 -> idle10mBytes;
      case 2 -> idle1hBytes;
      default -> throw new IndexOutOfBoundsException(i);
    };
  }

  /** The idle-age percentile {@code IDLE_QUANTILES.get(i)}. */
  public Duration idleQuantile(int i) {
    return switch (i) {
      case 0 -> idleP50;
      case 1 -> idleP90;
      case 2 -> idleP99;
      default -> throw new IndexOutOfBoundsException(i);
    };
  }
}
