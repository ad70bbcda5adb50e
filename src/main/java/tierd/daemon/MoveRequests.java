package tierd.daemon;

import java.util.ArrayList;
import java.util.List;
import tierd.model.ProcessId;
import tierd.mover.MoveRequest;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;

/**
 * A plan's moves as the mover's requests, in plan order (the mover's per-request tallies line up
 * with {@link MigrationPlan#moves()}). The planner and the mover do not know each other; the cycle
 * translates. Each request is capped at the bytes its move was planned for ({@link Move#bytes()}):
 * its ranges may hold more on the source than the plan booked against the budgets, the room on the
 * target and the tenants' ceilings and floors.
 */
final class MoveRequests {

  private MoveRequests() {}

  /** One request per move of a plan ({@link MigrationPlan#moves()}), in the same order. */
  static List<MoveRequest> of(List<Move> moves) {
    List<MoveRequest> out = new ArrayList<>(moves.size());
    for (Move m : moves) {
      out.add(
          new MoveRequest(
              new ProcessId(m.pid(), m.startTimeTicks()),
              m.ranges(),
              m.fromNodes(),
              m.toNode(),
              m.pageBytes(),
              MoveRequest.plannedPages(m.bytes(), m.pageBytes())));
    }
    return out;
  }
}
