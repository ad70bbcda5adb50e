package tierd.scoring;

import tierd.topology.Topology;

/**
 * Fits the hot threshold cycle after cycle; it holds the rate controller's state for a {@link
 * Scorer}.
 *
 * <p>The hot threshold, unless pinned, is the larger of two fits: the lowest threshold whose hot
 * set (bytes, from a {@value #BINS}-bin heat histogram) fits the fast tier's usable capacity, and
 * the rate controller's, which moves one {@code thresholdStep} per cycle — up when the previous
 * plan's promotion demand exceeded 110 % of its budget, down below 90 % — and never below {@code
 * coldThreshold + minGap}.
 *
 * <p>Not thread-safe: one cycle at a time.
 */
final class ThresholdFit {

  /** Resolution of the heat histogram used to fit the hot threshold. */
  static final int BINS = 1024;

  private final ScoringConfig config;
  private double rateFit;

  ThresholdFit(ScoringConfig config) {
    this.config = config;
    this.rateFit = config.hotFloor();
  }

  /** The thresholds before the first cycle: the floor or the pinned value. */
  Thresholds initial() {
    double hot = config.hotThreshold().orElse(config.hotFloor());
    return new Thresholds(
        hot,
        config.coldThreshold(),
        config.hotThreshold().isPresent(),
        config.hotFloor(),
        rateFit,
        0,
        0,
        config.confirmWindows());
  }

  /** Adds {@code sizeBytes} of a region with {@code heat} to a histogram of {@link #BINS} bins. */
  static void addToHistogram(long[] bytesPerHeatBin, double heat, long sizeBytes) {
    int bin = Math.min(BINS - 1, (int) (heat * BINS));
    bytesPerHeatBin[bin] += sizeBytes;
  }

  /**
   * Fits the hot threshold for this cycle and updates the controller. {@code previousHot} is the
   * hot threshold the last cycle used; the result's {@code hotBytes} is 0 (the scorer fills it in).
   */
  Thresholds fit(
      Topology topology, long[] bytesPerHeatBin, PromotionFeedback feedback, double previousHot) {
    double floor = config.hotFloor();
    long fastTotal = topology.tiers().isEmpty() ? 0 : topology.tierTotalBytes(0);
    long capacityBytes =
        Math.max(0, (long) (fastTotal * config.targetUtilisation()) - config.headroom().bytes());
    long fittedBytes = 0;
    int lowestFittingBin = BINS; // lowest bin whose bytes (with all above) still fit
    for (int bin = BINS - 1; bin >= 0; bin--) {
      if (fittedBytes + bytesPerHeatBin[bin] > capacityBytes) {
        break;
      }
      fittedBytes += bytesPerHeatBin[bin];
      lowestFittingBin = bin;
    }
    double capacityFit = Math.max(floor, Math.min(1.0, (double) lowestFittingBin / BINS));
    if (feedback.present()) {
      double demandBytes = feedback.demandBytes();
      double budgetBytes = feedback.budgetBytes();
      if (demandBytes > 1.1 * budgetBytes) {
        rateFit = Math.min(1.0, Math.max(rateFit, previousHot) + config.thresholdStep());
      } else if (demandBytes < 0.9 * budgetBytes) {
        rateFit = Math.max(floor, rateFit - config.thresholdStep());
      }
    }
    double hot;
    boolean pinned = config.hotThreshold().isPresent();
    if (pinned) {
      hot = config.hotThreshold().getAsDouble();
    } else {
      hot = Math.min(1.0, Math.max(capacityFit, rateFit));
    }
    return new Thresholds(
        hot,
        config.coldThreshold(),
        pinned,
        capacityFit,
        rateFit,
        capacityBytes,
        0,
        config.confirmWindows());
  }
}
