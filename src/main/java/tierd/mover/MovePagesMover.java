package tierd.mover;

import java.util.List;
import java.util.Objects;

/**
 * The real mover: {@code move_pages(2)} through a {@link PagesPort}.
 *
 * <p>Requests are worked through in plan order, one lane per target node, a chunk from each lane in
 * turn ({@link Lanes}): the demotions that make room on a node alternate with the promotions into
 * it. For each chunk:
 *
 * <ol>
 *   <li>the target node's room is asked ({@link NodeRoom}: free memory above its floor) and the
 *       chunk is cut to it; a node without room waits while another lane still takes pages off it,
 *       and otherwise the rest of its lane ends as {@link Outcome#NO_ROOM};
 *   <li>the process is checked against its start time ({@link ProcessIdentity}); a gone or reused
 *       pid is dropped (ESRCH) without a syscall;
 *   <li>placement is queried ({@code nodes == NULL}); only pages on one of the request's source
 *       nodes are candidates, the others are counted (already on target, not on source, ENOENT,
 *       EFAULT);
 *   <li>candidates beyond what the request may still move ({@link MoveRequest#plannedPages()} less
 *       the pages moved so far) end as {@link Outcome#OVER_PLAN}, and so does the rest of a request
 *       that has moved its count;
 *   <li>candidates move in batches whose size adapts so that one call stays under {@link
 *       MoverConfig#callBound()} by the injected {@link Ticker}; {@code status[]} is pre-filled
 *       with a sentinel, and entries the kernel left untouched (a positive return) are re-queried;
 *   <li>back-pressure: ENOMEM stops all further moves to that node for the rest of the call;
 *       ESRCH/EPERM drop the process; EACCES on the call (target outside the cpuset) stops that
 *       process-node pair; EBUSY pages are retried once, after all requests.
 * </ol>
 *
 * <p>Once the call's time budget ({@link MoveLimits#timeBudget()}) is spent, the pages not reached
 * end as {@link Outcome#DEFERRED}: the next cycle plans them again with fresh checks.
 *
 * <p>Memory policy is not checked here: the planner only asks for moves that keep to it. Calls are
 * serialised; the batch-size estimates (nanoseconds per byte, per page size) carry over from one
 * call to the next, so a daemon cycle starts from what the previous one measured.
 */
public final class MovePagesMover implements PageMover {

  private final MoveEngine engine;

  public MovePagesMover(
      PagesPort port, ProcessIdentity identity, Ticker ticker, MoverConfig config) {
    this.engine =
        new MoveEngine(
            Objects.requireNonNull(port, "port"),
            Objects.requireNonNull(identity, "identity"),
            Objects.requireNonNull(ticker, "ticker"),
            Objects.requireNonNull(config, "config"),
            false);
  }

  @Override
  public MoveReport move(List<MoveRequest> requests, MoveLimits limits, ProgressListener progress) {
    return engine.run(requests, limits, progress);
  }
}
