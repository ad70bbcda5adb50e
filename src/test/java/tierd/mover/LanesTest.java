package tierd.mover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

class LanesTest {

  static MoveRequest req(int pid, int from, int to) {
    return MoveRequest.basePages(
        new ProcessId(pid, 1),
        List.of(AddressRange.ofSize(0x1000_0000L, 4096)),
        NodeSet.of(from),
        to);
  }

  @Test
  void oneLanePerTargetInTheOrderThePlanFirstNamesItWithRequestsInPlanOrder() {
    Lanes lanes =
        Lanes.of(List.of(req(1, 0, 2), req(2, 2, 0), req(3, 0, 2), req(4, 2, 1), req(5, 2, 0)));

    assertThat(lanes.laneCount()).isEqualTo(3);
    assertThat(List.of(lanes.targetNode(0), lanes.targetNode(1), lanes.targetNode(2)))
        .containsExactly(2, 0, 1);
    assertThat(lanes.current(0)).isEqualTo(0);
    lanes.finishCurrent(0);
    assertThat(lanes.current(0)).isEqualTo(2);
    assertThat(lanes.current(1)).isEqualTo(1);
    lanes.finishCurrent(1);
    assertThat(lanes.current(1)).isEqualTo(4);
  }

  @Test
  void aNodeWillBeFreedWhileAnUnfinishedRequestTakesPagesOffIt() {
    Lanes lanes = Lanes.of(List.of(req(1, 0, 1), req(2, 1, 0)));

    assertThat(lanes.willFree(0)).isTrue();
    assertThat(lanes.willFree(1)).isTrue();
    lanes.finishCurrent(0); // the demotion 0 -> 1 is done: nothing frees node 0 any more
    assertThat(lanes.willFree(0)).isFalse();
    assertThat(lanes.willFree(1)).isTrue();
    assertThat(lanes.allDone()).isFalse();
    lanes.finishCurrent(1);
    assertThat(lanes.allDone()).isTrue();
    assertThat(lanes.current(1)).isEqualTo(-1);
  }

  @Test
  void noRequestsNoLanes() {
    Lanes lanes = Lanes.of(List.of());
    assertThat(lanes.laneCount()).isZero();
    assertThat(lanes.allDone()).isTrue();
  }
}
