package tierd.planner;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Per node, the segments with data on it that could go down (COLD, and WARM as exchange victims
 * when exchange is on), each with its state in this run:
 *
 * <ul>
 *   <li>{@link State#OPEN}: not decided yet;
 *   <li>{@link State#DECIDED}: demoted, or held back and reported as a skip;
 *   <li>{@link State#BARRED}: held back by a rule while tried as an exchange victim; not reported
 *       (it was never a candidate of its own) and not tried again this run.
 * </ul>
 *
 * Only open entries enter a queue, and a step drops entries that left that state meanwhile.
 */
final class DemotionEntries {

  /** What happened to an entry in this run. */
  enum State {
    OPEN,
    DECIDED,
    BARRED
  }

  private final int[][] segment;
  private final State[][] state;
  private final int[] count;

  DemotionEntries(int nodeCount) {
    segment = new int[nodeCount][16];
    state = new State[nodeCount][16];
    count = new int[nodeCount];
  }

  void add(int node, int segmentIndex) {
    int n = count[node];
    if (n == segment[node].length) {
      segment[node] = Arrays.copyOf(segment[node], n * 2);
      state[node] = Arrays.copyOf(state[node], n * 2);
    }
    segment[node][n] = segmentIndex;
    state[node][n] = State.OPEN;
    count[node] = n + 1;
  }

  int segment(int node, int entry) {
    return segment[node][entry];
  }

  boolean open(int node, int entry) {
    return state[node][entry] == State.OPEN;
  }

  void set(int node, int entry, State newState) {
    state[node][entry] = newState;
  }

  /**
   * The open entries of {@code node} whose segment passes {@code filter}, coldest first: COLD
   * before WARM; COLD by idle age (longest first, to the second), WARM by heat (lowest first, so
   * that exchange can stop at the first WARM entry that is too hot); then in the order added.
   */
  CandidateQueue coldest(int node, Segments segments, IntPredicate filter) {
    int entries = count[node];
    long[] keys = new long[entries];
    int queued = 0;
    for (int entry = 0; entry < entries; entry++) {
      int segmentIndex = segment[node][entry];
      if (state[node][entry] != State.OPEN || !filter.test(segmentIndex)) {
        continue;
      }
      boolean cold = segments.cold(segmentIndex);
      long rank =
          cold
              ? CandidateQueue.MAX_RANK
                  - Math.min(CandidateQueue.MAX_RANK, segments.idleSeconds(segmentIndex))
              : CandidateQueue.rankOfFraction(segments.heat(segmentIndex));
      keys[queued++] = CandidateQueue.key(!cold, rank, entry);
    }
    return new CandidateQueue(keys, queued);
  }
}
