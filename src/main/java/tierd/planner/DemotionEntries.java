package tierd.planner;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Per node, the segments with data on it that could go down (COLD, and WARM as exchange victims
 * when exchange is on), each with its state in this run:
 *
 * <ul>
 *   <li><em>open</em>: not decided yet;
 *   <li><em>decided</em> ({@link #decide}): demoted, or held back and reported as a skip;
 *   <li><em>barred</em> ({@link #bar}): held back by a rule while tried as an exchange victim; not
 *       reported (it was never a candidate of its own) and not tried again this run.
 * </ul>
 *
 * Only open entries enter a queue, and a step drops entries that left that state meanwhile. The
 * states are bytes, not an enum: a million entries are stored and read without a reference each.
 */
final class DemotionEntries {

  private static final byte OPEN = 0;
  private static final byte DECIDED = 1;
  private static final byte BARRED = 2;

  private final int[][] segment;
  private final byte[][] state;
  private final int[] count;

  DemotionEntries(int nodeCount) {
    segment = new int[nodeCount][16];
    state = new byte[nodeCount][16];
    count = new int[nodeCount];
  }

  void add(int node, int segmentIndex) {
    int n = count[node];
    if (n == segment[node].length) {
      segment[node] = Arrays.copyOf(segment[node], n * 2);
      state[node] = Arrays.copyOf(state[node], n * 2);
    }
    segment[node][n] = segmentIndex;
    state[node][n] = OPEN;
    count[node] = n + 1;
  }

  int segment(int node, int entry) {
    return segment[node][entry];
  }

  /** True while the entry is not decided nor barred. */
  boolean open(int node, int entry) {
    return state[node][entry] == OPEN;
  }

  /** Demoted, or held back and reported: not a candidate any more this run. */
  void decide(int node, int entry) {
    state[node][entry] = DECIDED;
  }

  /** Held back as an exchange victim: not reported, not tried again this run. */
  void bar(int node, int entry) {
    state[node][entry] = BARRED;
  }

  /** Open again: its demotion was part of an exchange that was undone. */
  void reopen(int node, int entry) {
    state[node][entry] = OPEN;
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
      if (state[node][entry] != OPEN || !filter.test(segmentIndex)) {
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
