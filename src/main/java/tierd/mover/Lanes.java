package tierd.mover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which one move call works through its requests. There is one lane per target node,
 * in the order the plan first names each target, and each lane keeps its requests in plan order.
 * The call takes one chunk from each lane in turn, so the demotions that make room on a node and
 * the promotions that need that room alternate: the first hot pages land after the first chunk of
 * room, not after every demotion — nor before them, into a node that had no room yet, as when the
 * requests were sorted by target node and every promotion ran first.
 *
 * <p>A request is finished once its lane has moved past it; {@link #willFree} counts the unfinished
 * requests that take pages off a node, which is what a lane waiting for room on that node waits
 * for.
 */
final class Lanes {

  private final List<MoveRequest> requests;
  private final int[] targetNodeOfLane;
  private final int[][] requestsOfLane;
  private final int[] headOfLane;
  private final Map<Integer, Integer> unfinishedFromNode = new HashMap<>();
  private int lanesLeft;

  private Lanes(List<MoveRequest> requests, int[] targetNodeOfLane, int[][] requestsOfLane) {
    this.requests = requests;
    this.targetNodeOfLane = targetNodeOfLane;
    this.requestsOfLane = requestsOfLane;
    this.headOfLane = new int[targetNodeOfLane.length];
    for (MoveRequest r : requests) {
      for (int node : r.fromNodes().toArray()) {
        unfinishedFromNode.merge(node, 1, Integer::sum);
      }
    }
    for (int[] lane : requestsOfLane) {
      if (lane.length > 0) {
        lanesLeft++;
      }
    }
  }

  static Lanes of(List<MoveRequest> requests) {
    Map<Integer, List<Integer>> byTarget = new LinkedHashMap<>();
    for (int i = 0; i < requests.size(); i++) {
      byTarget.computeIfAbsent(requests.get(i).targetNode(), t -> new ArrayList<>()).add(i);
    }
    int[] targets = new int[byTarget.size()];
    int[][] lanes = new int[byTarget.size()][];
    int lane = 0;
    for (var e : byTarget.entrySet()) {
      targets[lane] = e.getKey();
      lanes[lane] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
      lane++;
    }
    return new Lanes(requests, targets, lanes);
  }

  int laneCount() {
    return targetNodeOfLane.length;
  }

  int targetNode(int lane) {
    return targetNodeOfLane[lane];
  }

  /** The request the lane works on now, or -1 when the lane is done. */
  int current(int lane) {
    int head = headOfLane[lane];
    return head < requestsOfLane[lane].length ? requestsOfLane[lane][head] : -1;
  }

  /** Marks the lane's current request finished. */
  void finishCurrent(int lane) {
    int request = current(lane);
    if (request < 0) {
      return;
    }
    for (int node : requests.get(request).fromNodes().toArray()) {
      unfinishedFromNode.merge(node, -1, Integer::sum);
    }
    headOfLane[lane]++;
    if (current(lane) < 0) {
      lanesLeft--;
    }
  }

  /** Whether an unfinished request still takes pages off {@code node} (and so may free room). */
  boolean willFree(int node) {
    return unfinishedFromNode.getOrDefault(node, 0) > 0;
  }

  boolean allDone() {
    return lanesLeft == 0;
  }
}
