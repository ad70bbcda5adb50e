package tierd.metrics;

import static tierd.metrics.MetricNames.HOT_SET;
import static tierd.metrics.MetricNames.IDLE_AGE;
import static tierd.metrics.MetricNames.IDLE_BYTES;
import static tierd.metrics.MetricNames.SIZING_FAST_TIER;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tierd.profile.Breakdown;
import tierd.profile.ProfileSummary;
import tierd.profile.SizingCurve;

/**
 * The profile's host figures: idle-age percentiles of the resident bytes, bytes idle at least a
 * given age, the fast tier that would serve a given share of accesses, and the hot set. Part of
 * {@link TierdMetrics}, on its registry.
 */
public final class ProfileMetrics {

  private final MultiGauge idleAge;
  private final MultiGauge idleBytes;
  private final MultiGauge sizing;
  private final AtomicLong hotSetBits = new AtomicLong(Double.doubleToLongBits(Double.NaN));

  ProfileMetrics(MeterRegistry registry) {
    idleAge =
        MultiGauge.builder(IDLE_AGE)
            .description("Idle age of the managed processes' resident bytes, per byte")
            .baseUnit("seconds")
            .register(registry);
    idleBytes =
        MultiGauge.builder(IDLE_BYTES)
            .description("Resident bytes of the managed processes idle at least min_age_seconds")
            .baseUnit("bytes")
            .register(registry);
    sizing =
        MultiGauge.builder(SIZING_FAST_TIER)
            .description("Smallest fast tier that would serve the given share of recent accesses")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder(HOT_SET, hotSetBits, b -> Double.longBitsToDouble(b.get()))
        .description("Hot set: the fast tier serving 95% of a window's accesses, p95 over 10 min")
        .baseUnit("bytes")
        .register(registry);
  }

  /** The latest window's figures; nothing when there is no profile yet. */
  public void publish(ProfileSummary p) {
    if (p == null) {
      return;
    }
    Breakdown host = p.latest().host();
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    for (int i = 0; i < Breakdown.IDLE_QUANTILES.size(); i++) {
      ages.add(
          MultiGauge.Row.of(
              // not "quantile": Prometheus keeps that label for summaries (promtool check metrics)
              Tags.of("percentile", label(Breakdown.IDLE_QUANTILES.get(i) * 100)),
              host.idleQuantile(i).toMillis() / 1000.0));
    }
    idleAge.register(ages, true);
    List<MultiGauge.Row<?>> idle = new ArrayList<>();
    for (int i = 0; i < Breakdown.IDLE_THRESHOLDS.size(); i++) {
      idle.add(
          MultiGauge.Row.of(
              Tags.of(
                  "min_age_seconds", Long.toString(Breakdown.IDLE_THRESHOLDS.get(i).toSeconds())),
              host.idleBytes(i)));
    }
    idleBytes.register(idle, true);
    List<MultiGauge.Row<?>> points = new ArrayList<>();
    for (int i = 0; i < SizingCurve.SERVED_SHARES.size(); i++) {
      points.add(
          MultiGauge.Row.of(
              Tags.of("served", label(SizingCurve.SERVED_SHARES.get(i))),
              p.latest().fastBytesForShares().get(i)));
    }
    sizing.register(points, true);
    hotSetBits.set(
        Double.doubleToLongBits(
            p.hotSetBytes().isPresent() ? p.hotSetBytes().getAsLong() : Double.NaN));
  }

  private static String label(double fraction) {
    String s = Double.toString(fraction);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
