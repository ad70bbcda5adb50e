package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateQueueTest {

  static List<Integer> pollAll(CandidateQueue queue) {
    List<Integer> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      out.add(queue.poll());
    }
    return out;
  }

  @Test
  void entriesComeByGroupThenRankThenIndex() {
    long[] keys = {
      CandidateQueue.key(true, 0, 0), // later group, lowest rank
      CandidateQueue.key(false, 500, 1),
      CandidateQueue.key(false, 7, 2),
      CandidateQueue.key(false, 7, 3), // same rank as 2: by index
      CandidateQueue.key(false, CandidateQueue.MAX_RANK, 4),
    };
    CandidateQueue queue = new CandidateQueue(keys, keys.length);
    assertThat(queue.size()).isEqualTo(5);
    assertThat(queue.peek()).isEqualTo(2);
    assertThat(queue.size()).as("peek leaves it").isEqualTo(5);
    assertThat(pollAll(queue)).containsExactly(2, 3, 1, 4, 0);
  }

  @Test
  void onlyTheFirstCountKeysAreQueued() {
    long[] keys = {CandidateQueue.key(false, 3, 0), CandidateQueue.key(false, 1, 1), 0, 0};
    assertThat(pollAll(new CandidateQueue(keys, 2))).containsExactly(1, 0);
  }

  @Test
  void takenEntriesThatAreStillWantedGoBack() {
    long[] keys = new long[6];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = CandidateQueue.key(false, 10 - i, i); // index 5 first
    }
    CandidateQueue queue = new CandidateQueue(keys, keys.length);
    assertThat(queue.take()).isEqualTo(5);
    assertThat(queue.take()).isEqualTo(4);
    assertThat(queue.poll()).as("polled, not taken: gone for good").isEqualTo(3);
    assertThat(queue.take()).isEqualTo(2);
    queue.putBackTaken(index -> index != 4);
    assertThat(pollAll(queue)).containsExactly(5, 2, 1, 0);
    queue.putBackTaken(index -> true);
    assertThat(queue.isEmpty()).as("putting back forgets what was taken").isTrue();
  }

  @Test
  void drainHandsOutEveryEntryAndEmptiesTheQueue() {
    long[] keys = {
      CandidateQueue.key(false, 2, 0),
      CandidateQueue.key(false, 1, 1),
      CandidateQueue.key(true, 0, 2)
    };
    CandidateQueue queue = new CandidateQueue(keys, keys.length);
    List<Integer> drained = new ArrayList<>();
    queue.drain(drained::add);
    assertThat(drained).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(queue.isEmpty()).isTrue();
  }

  @Test
  void fractionsBecomeRanksClamped() {
    assertThat(CandidateQueue.rankOfFraction(0)).isZero();
    assertThat(CandidateQueue.rankOfFraction(-0.5)).isZero();
    assertThat(CandidateQueue.rankOfFraction(1)).isEqualTo(CandidateQueue.MAX_RANK);
    assertThat(CandidateQueue.rankOfFraction(7)).isEqualTo(CandidateQueue.MAX_RANK);
    assertThat(CandidateQueue.rankOfFraction(0.5)).isEqualTo(CandidateQueue.MAX_RANK / 2);
  }
}
