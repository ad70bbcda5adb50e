package tierd.mover;

import java.util.List;

/**
 * Moves pages as the planner asks, and says what happened to each page.
 *
 * <p>Implementations: {@link MovePagesMover} (the kernel's {@code move_pages(2)} through a {@link
 * PagesPort}) and {@link DryRunMover} (records what would move). Both return the same {@link
 * MoveReport} shape, so metrics and logs do not care which one ran.
 *
 * <p>A call never throws for a kernel refusal: every errno becomes an {@link Outcome}. It throws
 * only for a programming error (bad arguments).
 */
public interface PageMover {

  /**
   * Moves {@code requests}, given in plan order, within {@code limits}: demotions that make room on
   * a node and the promotions into it alternate in chunks (see {@link MovePagesMover}).
   */
  MoveReport move(List<MoveRequest> requests, MoveLimits limits, ProgressListener progress);

  default MoveReport move(List<MoveRequest> requests, ProgressListener progress) {
    return move(requests, MoveLimits.NONE, progress);
  }

  default MoveReport move(List<MoveRequest> requests) {
    return move(requests, MoveLimits.NONE, ProgressListener.NONE);
  }
}
