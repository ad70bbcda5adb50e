package tierd.daemon;

import java.util.Optional;
import tierd.scoring.ScoringResult;

/**
 * Whether a cycle scores a new heat window or plans again on the last one. A move stage that yields
 * (its interval spent with moves left, {@code DEFERRED}) leaves work that the last window already
 * asked for; waiting for the heat source's next window before going on only delays it (DAMON's next
 * aggregation: up to 4 s with the shipped intervals, 5–7 s seen under a Redis benchmark's load,
 * once per yielded stage). So the next cycle plans on the last scores, with fresh placement and
 * policy checks, at most {@link #MAX_IN_A_ROW} cycles in a row: after that a new window is due,
 * whatever is left.
 *
 * <p>Not thread-safe: the cycle is its only caller.
 */
final class CarriedWindow {

  /** Cycles in a row that may plan on one window again. */
  static final int MAX_IN_A_ROW = 2;

  private ScoringResult last;
  private int inARow;

  /**
   * The last scores, when this cycle may plan on them again: the last move stage left moves ({@code
   * movesLeft}) and fewer than {@link #MAX_IN_A_ROW} cycles have reused them.
   */
  Optional<ScoringResult> reusable(boolean movesLeft) {
    if (!movesLeft || last == null || inARow >= MAX_IN_A_ROW) {
      return Optional.empty();
    }
    inARow++;
    return Optional.of(last);
  }

  /** A new window was scored. */
  void scored(ScoringResult scores) {
    last = scores;
    inARow = 0;
  }

  /** Forgets the last window (a new config: its thresholds may differ). */
  void clear() {
    last = null;
    inARow = 0;
  }
}
