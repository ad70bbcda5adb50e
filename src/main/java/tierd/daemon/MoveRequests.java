package tierd.daemon;

import java.util.ArrayList;
import java.util.List;
import tierd.model.ProcessId;
import tierd.mover.MoveRequest;
import tierd.planner.MigrationPlan;
import tierd.planner.Move;
import tierd.planner.ReasonCode;

/**
 * A plan's moves as the mover's requests, in plan order (the mover's per-request tallies line up
 * with {@link MigrationPlan#moves()}). The planner and the mover do not know each other; the cycle
 * translates.
 *
 * <p>A move is capped at the bytes it was planned for ({@link Move#bytes()}) when it is {@link
 * Move#partial()} (it names its whole range, and the pages to take may sit anywhere in it) or when
 * it is a demotion to a tenant's ceiling ({@link ReasonCode#TENANT_CEILING}): its ranges may hold
 * more on the source than the placement the plan counted, and moving all of them took the tenant
 * below its ceiling (the tenants VM boot once saw a 32 MiB demotion move 44 MiB). Other moves that
 * take their whole range are not capped: a demotion for room over a range whose placement was
 * estimated low must free the room it was planned for, and a cap there left the 2node boot's cold
 * buffer on the fast node, a few KiB a cycle.
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
              cap(m)));
    }
    return out;
  }

  private static long cap(Move move) {
    return move.partial() || move.reason().code() == ReasonCode.TENANT_CEILING
        ? MoveRequest.plannedPages(move.bytes(), move.pageBytes())
        : Long.MAX_VALUE;
  }
}
