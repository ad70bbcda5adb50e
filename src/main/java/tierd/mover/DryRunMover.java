package tierd.mover;

import java.util.List;
import java.util.Objects;

/**
 * Records what would move and never moves anything. The report has the same shape as the real
 * mover's, with {@link MoveReport#dryRun()} set: {@link Outcome#MOVED} counts the pages that would
 * have moved, and {@link MoveReport#planned()} lists them per request.
 *
 * <p>{@link #querying} asks the kernel where the pages are (read-only {@code move_pages} with
 * {@code nodes == NULL}), so pages already on the target or on a node outside the source set are
 * counted as the real mover would count them; {@link #recording} needs no kernel at all and counts
 * every page as "would move" (a laptop without the capability).
 */
public final class DryRunMover implements PageMover {

  private final MoveEngine engine;

  private DryRunMover(MoveEngine engine) {
    this.engine = engine;
  }

  /** A dry run that queries placement read-only through {@code port}. */
  public static DryRunMover querying(
      PagesPort port, ProcessIdentity identity, Ticker ticker, MoverConfig config) {
    return new DryRunMover(
        new MoveEngine(
            Objects.requireNonNull(port, "port"),
            Objects.requireNonNull(identity, "identity"),
            Objects.requireNonNull(ticker, "ticker"),
            Objects.requireNonNull(config, "config"),
            true));
  }

  /** A dry run without any kernel access: every page named counts as "would move". */
  public static DryRunMover recording(Ticker ticker) {
    return new DryRunMover(
        new MoveEngine(
            null, null, Objects.requireNonNull(ticker, "ticker"), MoverConfig.DEFAULT, true));
  }

  @Override
  public MoveReport move(List<MoveRequest> requests, MoveLimits limits, ProgressListener progress) {
    return engine.run(requests, limits, progress);
  }
}
