package tierd.mover;

import java.util.List;
import java.util.Objects;

/**
 * The real mover: {@code move_pages(2)} through a {@link PagesPort}.
 *
 * <p>For each request, in order of target node and then pid:
 *
 * <ol>
 *   <li>the process is checked against its start time ({@link ProcessIdentity}); a gone or reused
 *       pid is dropped (ESRCH) without a syscall;
 *   <li>placement is queried ({@code nodes == NULL}); only pages on one of the request's source
 *       nodes are candidates, the others are counted (already on target, not on source, ENOENT,
 *       EFAULT);
 *   <li>candidates move in batches whose size adapts so that one call stays under {@link
 *       MoverConfig#callBound()} by the injected {@link Ticker}; {@code status[]} is pre-filled
 *       with a sentinel, and entries the kernel left untouched (a positive return) are re-queried;
 *   <li>back-pressure: ENOMEM stops all further moves to that node for the rest of the call;
 *       ESRCH/EPERM drop the process; EACCES on the call (target outside the cpuset) stops that
 *       process-node pair; EBUSY pages are retried once, after all requests.
 * </ol>
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
  public MoveReport move(List<MoveRequest> requests, ProgressListener progress) {
    return engine.run(requests, progress);
  }
}
