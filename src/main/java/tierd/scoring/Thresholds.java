package tierd.scoring;

/**
 * The thresholds one scoring cycle used, exposed for metrics and explanations. Heats are access
 * fractions in [0, 1].
 *
 * @param hot heat at or above which a region is HOT
 * @param cold heat at or below which a region counts as idle
 * @param pinned true when config pinned {@code hot}; then {@code capacityFit} and {@code rateFit}
 *     are not used
 * @param capacityFit the lowest threshold whose hot set fits {@code hotCapacityBytes}
 * @param rateFit the threshold the promotion-rate controller holds (raised when promotions outrun
 *     the budget, lowered when they fall short)
 * @param hotCapacityBytes usable fast-tier bytes: total × target utilisation − headroom
 * @param hotBytes bytes of regions whose heat is at or above {@code hot} this cycle (confirmed or
 *     not)
 * @param confirmWindows consecutive windows at or above {@code hot} after which a HOT region is
 *     confirmed: hot in fewer windows, it may move only into free room, and nothing is demoted for
 *     it
 */
public record Thresholds(
    double hot,
    double cold,
    boolean pinned,
    double capacityFit,
    double rateFit,
    long hotCapacityBytes,
    long hotBytes,
    int confirmWindows) {

  /** Whether a region hot for {@code hotWindows} consecutive windows is confirmed hot. */
  public boolean confirmed(int hotWindows) {
    return hotWindows >= confirmWindows;
  }

  /** The hysteresis gap between the two thresholds. */
  public double gap() {
    return hot - cold;
  }
}
