package tierd.fake;

import tierd.mover.Ticker;

/** Simulated time: it moves only when told to (or when a fake kernel call costs something). */
public final class FakeTicker implements Ticker {

  private long nanos;

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  public synchronized void advance(long deltaNanos) {
    if (deltaNanos < 0) {
      throw new IllegalArgumentException("time runs forward only: " + deltaNanos);
    }
    nanos += deltaNanos;
  }
}
