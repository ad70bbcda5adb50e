package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;
import tierd.mover.MoveRequest;
import tierd.planner.Move;
import tierd.planner.Reason;
import tierd.planner.ReasonCode;

/** A plan's moves become the mover's requests one for one, in order, with nothing lost. */
class MoveRequestsTest {

  private static final long THP = 2L << 20;

  private static Move move(int pid, long start, int from, int to, ReasonCode code, long pageBytes) {
    List<AddressRange> ranges =
        List.of(
            AddressRange.ofSize(0x7f0000000000L, THP), AddressRange.ofSize(0x7f0000400000L, THP));
    return new Move(
        pid,
        start,
        ranges,
        NodeSet.parse(Integer.toString(from)),
        to,
        2 * THP,
        code.direction(),
        pageBytes,
        pageBytes == THP,
        false,
        false,
        new Reason(code, "test"));
  }

  @Test
  void eachMoveIsOneRequestInPlanOrder() {
    Move up = move(41, 1000, 1, 0, ReasonCode.HOT, 4096);
    Move down = move(42, 2000, 0, 1, ReasonCode.COLD_PRESSURE, THP);
    assertThat(MoveRequests.of(List.of(up, down)))
        .containsExactly(
            new MoveRequest(new ProcessId(41, 1000), up.ranges(), NodeSet.parse("1"), 0, 4096),
            new MoveRequest(new ProcessId(42, 2000), down.ranges(), NodeSet.parse("0"), 1, THP));
  }

  @Test
  void anEmptyPlanAsksForNothing() {
    assertThat(MoveRequests.of(List.of())).isEmpty();
  }
}
