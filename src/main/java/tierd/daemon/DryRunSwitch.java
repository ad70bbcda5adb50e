package tierd.daemon;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.metrics.TierdMetrics;
import tierd.mover.DryRunMover;
import tierd.mover.PageMover;
import tierd.mover.Ticker;

/**
 * The mover and the placement probe a cycle runs with, and the one-way switch to a dry run after a
 * native failure: a native library or symbol that could not be linked means tierd stops moving
 * pages for the rest of its life. The mover becomes a recording dry run, the placement probe is
 * dropped, tierd_dry_run says 1 and the log says why, once. Logs as {@code TieringCycle}.
 */
final class DryRunSwitch {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  private final boolean dryRunAsked;
  private final TierdMetrics metrics;
  private PageMover mover;
  private Optional<PlacementProbe> placement;
  private Optional<String> nativeFailure = Optional.empty();

  /**
   * @param dryRunAsked moves are recorded from the start (asked for, or nothing may move here)
   */
  DryRunSwitch(
      PageMover mover,
      Optional<PlacementProbe> placement,
      boolean dryRunAsked,
      TierdMetrics metrics) {
    this.mover = mover;
    this.placement = placement;
    this.dryRunAsked = dryRunAsked;
    this.metrics = metrics;
  }

  PageMover mover() {
    return mover;
  }

  Optional<PlacementProbe> placement() {
    return placement;
  }

  /** True when moves are recorded rather than made: asked for, or after a native failure. */
  boolean dryRun() {
    return dryRunAsked || nativeFailure.isPresent();
  }

  /** Why the cycle switched itself to dry-run after a native failure, if it did. */
  Optional<String> nativeFailure() {
    return nativeFailure;
  }

  /** Switches for good ({@code where} names the stage); a second failure changes nothing. */
  void switchAfter(String where, Throwable cause) {
    if (nativeFailure.isPresent()) {
      return;
    }
    nativeFailure =
        Optional.of(
            "a native call failed in stage " + where + " (" + StageRunner.reason(cause) + ")");
    mover = DryRunMover.recording(Ticker.system());
    placement = Optional.empty();
    metrics.dryRun(true);
    log.warn(
        "dry-run from now on: {}; tierd records moves instead of making them until it is"
            + " restarted",
        nativeFailure.get());
  }
}
