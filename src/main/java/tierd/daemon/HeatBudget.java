package tierd.daemon;

/**
 * Keeps the heat source's CPU time under a share of one core when there is nothing to tier: after a
 * collect that cost {@code c} of CPU time, the next one is due {@code c / share} later (a collect
 * of 200 ms at 0.5 % waits 40 s). Page-table sources (clear-refs, idle-page) cost time in
 * proportion to the resident memory they walk, which on a large host is far more than a profile
 * needs every few seconds. Times are nanoseconds of one monotonic clock. Not thread-safe.
 */
final class HeatBudget {

  private final double shareOfCore;
  private long dueNanos = Long.MIN_VALUE;

  /**
   * @param shareOfCore in (0, 1]; 1 means a collect every cycle
   */
  HeatBudget(double shareOfCore) {
    if (!(shareOfCore > 0 && shareOfCore <= 1)) {
      throw new IllegalArgumentException("CPU share " + shareOfCore + " is outside (0, 1]");
    }
    this.shareOfCore = shareOfCore;
  }

  /** True when a collect may run at {@code nowNanos}. */
  boolean due(long nowNanos) {
    return shareOfCore >= 1 || nowNanos - dueNanos >= 0 || dueNanos == Long.MIN_VALUE;
  }

  /** Records a collect that ended at {@code nowNanos} after {@code cpuNanos} of CPU time. */
  void spent(long cpuNanos, long nowNanos) {
    dueNanos = nowNanos + (long) (Math.max(0, cpuNanos) / shareOfCore);
  }
}
