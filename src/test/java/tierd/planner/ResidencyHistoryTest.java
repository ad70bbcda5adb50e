package tierd.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static tierd.planner.Fixtures.T0;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tierd.model.AddressRange;
import tierd.model.NodeSet;
import tierd.model.ProcessId;

class ResidencyHistoryTest {

  static final ProcessId P1 = new ProcessId(1, Fixtures.startTime(1));

  @Test
  void residencyHistoryOverwritesOverlapsAndForgets() {
    Move a = move(new AddressRange(0, 100 * 4096), Direction.DEMOTE);
    Move b = move(new AddressRange(40 * 4096, 60 * 4096), Direction.PROMOTE);
    ResidencyHistory h =
        ResidencyHistory.empty().withMoves(List.of(a), T0, T0.minusSeconds(1), Set.of(P1));
    h = h.withMoves(List.of(b), T0.plusSeconds(10), T0.minusSeconds(1), Set.of(P1));
    assertThat(h.entries(P1))
        .extracting(e -> e.range() + " " + e.direction())
        .containsExactly(
            new AddressRange(0, 40 * 4096) + " DEMOTE",
            new AddressRange(40 * 4096, 60 * 4096) + " PROMOTE",
            new AddressRange(60 * 4096, 100 * 4096) + " DEMOTE");
    assertThat(h.lastMove(P1, new AddressRange(0, 50 * 4096)))
        .map(ResidencyHistory.Entry::direction)
        .contains(Direction.PROMOTE);
    assertThat(h.lastMove(P1, new AddressRange(70 * 4096, 80 * 4096)))
        .map(ResidencyHistory.Entry::movedAt)
        .contains(T0);
    ResidencyHistory later =
        h.withMoves(List.of(), T0.plusSeconds(20), T0.plusSeconds(5), Set.of(P1));
    assertThat(later.size()).isEqualTo(1);
    assertThat(h.withMoves(List.of(), T0, T0, Set.of()).size()).isZero();
  }

  static Move move(AddressRange r, Direction d) {
    return new Move(
        1,
        Fixtures.startTime(1),
        List.of(r),
        NodeSet.of(d == Direction.PROMOTE ? 2 : 0),
        d == Direction.PROMOTE ? 0 : 2,
        r.sizeBytes(),
        false,
        d,
        4096,
        false,
        false,
        false,
        new Reason(d == Direction.PROMOTE ? ReasonCode.HOT : ReasonCode.COLD_PRESSURE, "t"));
  }
}
