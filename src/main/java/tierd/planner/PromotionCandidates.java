package tierd.planner;

import java.util.Arrays;

/**
 * HOT data that policy and cpuset let move up: pairs of (segment, source node), in the order the
 * join found them. {@link #queue} orders them for promotion.
 */
final class PromotionCandidates {

  private int count;
  private int[] segment = new int[16];
  private int[] source = new int[16];

  void add(int segmentIndex, int sourceNode) {
    if (count == segment.length) {
      segment = Arrays.copyOf(segment, count * 2);
      source = Arrays.copyOf(source, count * 2);
    }
    segment[count] = segmentIndex;
    source[count] = sourceNode;
    count++;
  }

  int count() {
    return count;
  }

  int segment(int candidate) {
    return segment[candidate];
  }

  int source(int candidate) {
    return source[candidate];
  }

  /**
   * The candidates in promotion order: data on a node over its fill limit first (seed 004), then by
   * falling heat, then in the order found.
   */
  CandidateQueue queue(NodeTable nodes, Segments segments) {
    long[] keys = new long[count];
    for (int candidate = 0; candidate < count; candidate++) {
      keys[candidate] =
          CandidateQueue.key(
              !nodes.overFillLimitAtStart(source[candidate]),
              CandidateQueue.rankOfFraction(1 - segments.heat(segment[candidate])),
              candidate);
    }
    return new CandidateQueue(keys, count);
  }
}
