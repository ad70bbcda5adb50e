package tierd.heat;

/**
 * Waits: between retries of a DAMON write refused with EBUSY because another writer holds {@code
 * damon_sysfs_lock}, and within a tuned accessed-bit window. Injected so that unit tests never
 * sleep.
 */
@FunctionalInterface
public interface Sleeper {

  void sleepMillis(long millis);

  /** Thread.sleep; an interrupt is kept and ends the wait. */
  static Sleeper real() {
    return ms -> {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  static Sleeper none() {
    return ms -> {};
  }
}
