package tierd.scoring;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import tierd.model.DataSize;

/**
 * Scoring settings, validated once on construction; an error names the key and its allowed range.
 * Heats and thresholds are on the {@link HeatScale} (an access rate mapped into [0, 1)).
 *
 * @param halfLife time in which the heat of a region that is no longer accessed halves (&gt; 0)
 * @param confirmWindows consecutive windows at or above the hot threshold before a HOT region is
 *     confirmed, so that other data may be demoted to make room for it ([2, 1000]; design rule 9
 *     asks for more than one); unconfirmed HOT data moves only into free room
 * @param hotThreshold a pinned hot threshold in (0, 1]; empty to fit it to capacity and budget
 * @param coldThreshold heat at or below which a region counts as idle ([0, 1))
 * @param minGap smallest hysteresis gap between the cold and the hot threshold ((0, 1), and cold +
 *     gap ≤ 1)
 * @param coldMinAge idle age at which an idle region becomes COLD (≥ 0)
 * @param targetUtilisation share of the fast tier the hot set may fill ((0, 1])
 * @param headroom fast-tier bytes kept out of the hot set's capacity (≥ 0)
 * @param thresholdStep how far the rate controller moves the hot threshold per cycle ((0, 0.5])
 * @param maxRegionsPerProcess history kept per process; more regions are coalesced ([16, 2^24])
 */
public record ScoringConfig(
    Duration halfLife,
    int confirmWindows,
    OptionalDouble hotThreshold,
    double coldThreshold,
    double minGap,
    Duration coldMinAge,
    double targetUtilisation,
    DataSize headroom,
    double thresholdStep,
    int maxRegionsPerProcess) {

  public ScoringConfig {
    Objects.requireNonNull(halfLife, "scoring.halfLife");
    Objects.requireNonNull(hotThreshold, "scoring.hotThreshold");
    Objects.requireNonNull(coldMinAge, "scoring.coldMinAge");
    Objects.requireNonNull(headroom, "scoring.headroom");
    if (halfLife.isZero() || halfLife.isNegative()) {
      throw bad("halfLife", "must be > 0", halfLife);
    }
    if (confirmWindows < 2 || confirmWindows > 1000) {
      throw bad("confirmWindows", "must be in [2, 1000]", confirmWindows);
    }
    if (!(coldThreshold >= 0 && coldThreshold < 1)) {
      throw bad("coldThreshold", "must be in [0, 1)", coldThreshold);
    }
    if (!(minGap > 0 && minGap < 1) || coldThreshold + minGap > 1) {
      throw bad("minGap", "must be in (0, 1) with coldThreshold + minGap <= 1", minGap);
    }
    if (hotThreshold.isPresent()) {
      double h = hotThreshold.getAsDouble();
      if (!(h > 0 && h <= 1)) {
        throw bad("hotThreshold", "must be in (0, 1]", h);
      }
      if (h < coldThreshold + minGap) {
        throw bad(
            "hotThreshold",
            "must be >= coldThreshold + minGap = " + (coldThreshold + minGap) + " (the hysteresis)",
            h);
      }
    }
    if (coldMinAge.isNegative()) {
      throw bad("coldMinAge", "must be >= 0", coldMinAge);
    }
    if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
      throw bad("targetUtilisation", "must be in (0, 1]", targetUtilisation);
    }
    if (!(thresholdStep > 0 && thresholdStep <= 0.5)) {
      throw bad("thresholdStep", "must be in (0, 0.5]", thresholdStep);
    }
    if (maxRegionsPerProcess < 16 || maxRegionsPerProcess > (1 << 24)) {
      throw bad("maxRegionsPerProcess", "must be in [16, 16777216]", maxRegionsPerProcess);
    }
  }

  private static IllegalArgumentException bad(String key, String rule, Object got) {
    return new IllegalArgumentException("scoring." + key + " " + rule + " (got " + got + ")");
  }

  /**
   * Defaults: half-life 15 s (60 s before issue 20: a lukewarm region that turned hot needed four
   * windows to cross the hot floor), 2 windows, fitted hot threshold, cold threshold 0.02, gap
   * 0.05, cold after 120 s idle, 90 % of the fast tier less 256 MiB, step 0.025, 65536 regions per
   * process.
   */
  public static ScoringConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.halfLife = halfLife;
    b.confirmWindows = confirmWindows;
    b.hotThreshold = hotThreshold;
    b.coldThreshold = coldThreshold;
    b.minGap = minGap;
    b.coldMinAge = coldMinAge;
    b.targetUtilisation = targetUtilisation;
    b.headroom = headroom;
    b.thresholdStep = thresholdStep;
    b.maxRegionsPerProcess = maxRegionsPerProcess;
    return b;
  }

  /** The hot threshold's floor: {@code coldThreshold + minGap}. */
  public double hotFloor() {
    return coldThreshold + minGap;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private Duration halfLife = Duration.ofSeconds(15);
    private int confirmWindows = 2;
    private OptionalDouble hotThreshold = OptionalDouble.empty();
    private double coldThreshold = 0.02;
    private double minGap = 0.05;
    private Duration coldMinAge = Duration.ofSeconds(120);
    private double targetUtilisation = 0.9;
    private DataSize headroom = DataSize.ofMiB(256);
    private double thresholdStep = 0.025;
    private int maxRegionsPerProcess = 65536;

    private Builder() {}

    public Builder halfLife(Duration v) {
      halfLife = v;
      return this;
    }

    public Builder confirmWindows(int v) {
      confirmWindows = v;
      return this;
    }

    public Builder hotThreshold(double v) {
      hotThreshold = OptionalDouble.of(v);
      return this;
    }

    public Builder fittedHotThreshold() {
      hotThreshold = OptionalDouble.empty();
      return this;
    }

    public Builder coldThreshold(double v) {
      coldThreshold = v;
      return this;
    }

    public Builder minGap(double v) {
      minGap = v;
      return this;
    }

    public Builder coldMinAge(Duration v) {
      coldMinAge = v;
      return this;
    }

    public Builder targetUtilisation(double v) {
      targetUtilisation = v;
      return this;
    }

    public Builder headroom(DataSize v) {
      headroom = v;
      return this;
    }

    public Builder thresholdStep(double v) {
      thresholdStep = v;
      return this;
    }

    public Builder maxRegionsPerProcess(int v) {
      maxRegionsPerProcess = v;
      return this;
    }

    public ScoringConfig build() {
      return new ScoringConfig(
          halfLife,
          confirmWindows,
          hotThreshold,
          coldThreshold,
          minGap,
          coldMinAge,
          targetUtilisation,
          headroom,
          thresholdStep,
          maxRegionsPerProcess);
    }
  }
}
