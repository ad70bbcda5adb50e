package tierd.planner;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A byte budget that refills in time: {@code rate} bytes per second up to {@code capacity} bytes.
 * Immutable; the planner carries it from cycle to cycle in {@link PlannerState}. A bucket that was
 * never refilled starts full; a clock that went backwards refills nothing.
 *
 * @param tokensBytes bytes that may move now
 * @param refilledAt when it was last refilled; empty before the first cycle
 */
public record TokenBucket(long tokensBytes, Optional<Instant> refilledAt) {

  public static final TokenBucket UNSTARTED = new TokenBucket(0, Optional.empty());

  public TokenBucket {
    if (tokensBytes < 0) {
      throw new IllegalArgumentException("negative tokens " + tokensBytes);
    }
  }

  /** The bucket at {@code now}, after refilling. */
  public TokenBucket refill(Instant now, long bytesPerSecond, long capacityBytes) {
    return new TokenBucket(
            tokensBytes + earned(now, bytesPerSecond, capacityBytes),
            Optional.of(refilledAt.filter(t -> t.isAfter(now)).orElse(now)))
        .capped(capacityBytes);
  }

  /**
   * Bytes the bucket earns between its last refill and {@code now} (capped at {@code
   * capacityBytes}); a full bucket's worth before the first refill.
   */
  public long earned(Instant now, long bytesPerSecond, long capacityBytes) {
    if (refilledAt.isEmpty()) {
      return capacityBytes;
    }
    Duration dt = Duration.between(refilledAt.get(), now);
    if (dt.isNegative() || dt.isZero()) {
      return 0;
    }
    double add = bytesPerSecond * (dt.toNanos() / 1e9);
    return (long) Math.min(capacityBytes, add);
  }

  /** The bucket with {@code bytes} taken out. */
  public TokenBucket take(long bytes) {
    if (bytes > tokensBytes) {
      throw new IllegalArgumentException("taking " + bytes + " of " + tokensBytes + " tokens");
    }
    return new TokenBucket(tokensBytes - bytes, refilledAt);
  }

  private TokenBucket capped(long capacityBytes) {
    return tokensBytes <= capacityBytes ? this : new TokenBucket(capacityBytes, refilledAt);
  }
}
