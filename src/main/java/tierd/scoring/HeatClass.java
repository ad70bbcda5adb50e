package tierd.scoring;

/**
 * How a region scores this cycle. Only HOT regions are promoted and only COLD ones are demoted
 * (except that an exchange may demote WARM data that is clearly colder than what waits below); WARM
 * regions stay where they are, which is the hysteresis between the two thresholds.
 */
public enum HeatClass {
  /** Heat at or above the hot threshold for at least the configured number of windows. */
  HOT,
  /** Neither hot nor cold. */
  WARM,
  /** Heat at or below the cold threshold and idle for at least the configured minimum age. */
  COLD
}
