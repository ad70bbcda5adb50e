package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tierd.CapturedLog;
import tierd.fake.FakeKernel;
import tierd.metrics.TierdMetrics;
import tierd.mover.DryRunMover;
import tierd.mover.MoveLimits;
import tierd.mover.MovePagesMover;
import tierd.mover.MoverConfig;
import tierd.mover.PageMover;
import tierd.mover.PlacementQuery;

/**
 * After a native failure the cycle records moves for good, says why once, and tierd_dry_run is 1.
 */
class DryRunSwitchTest {

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  private final TierdMetrics metrics = new TierdMetrics("test");
  private final FakeKernel kernel = new FakeKernel().addNode(0, 1L << 30).addNode(1, 1L << 30);

  private DryRunSwitch moving() {
    PageMover mover = new MovePagesMover(kernel, kernel, kernel.ticker(), MoverConfig.DEFAULT);
    PlacementProbe probe = new PlacementProbe(new PlacementQuery(kernel), 1024);
    metrics.dryRun(false);
    return new DryRunSwitch(mover, Optional.of(probe), false, metrics);
  }

  @Test
  void untilANativeFailureTheGivenMoverAndProbeRun() {
    DryRunSwitch movers = moving();

    assertThat(movers.mover()).isInstanceOf(MovePagesMover.class);
    assertThat(movers.placement()).isPresent();
    assertThat(movers.dryRun()).isFalse();
    assertThat(movers.nativeFailure()).isEmpty();
  }

  @Test
  void aNativeFailureSwitchesToARecordingDryRunOnceAndForGood() {
    DryRunSwitch movers = moving();

    movers.switchAfter("move", new UnsatisfiedLinkError("move_pages"));
    movers.switchAfter("placement", new NoClassDefFoundError("com/sun/jna/Native"));

    assertThat(movers.mover()).isInstanceOf(DryRunMover.class);
    assertThat(movers.mover().move(List.of(), MoveLimits.NONE, (done, total) -> {}).dryRun())
        .isTrue();
    assertThat(movers.placement()).isEmpty();
    assertThat(movers.dryRun()).isTrue();
    assertThat(movers.nativeFailure())
        .contains("a native call failed in stage move (UnsatisfiedLinkError: move_pages)");
    assertThat(logged.at(Level.WARN))
        .containsExactly(
            "dry-run from now on: a native call failed in stage move (UnsatisfiedLinkError:"
                + " move_pages); tierd records moves instead of making them until it is"
                + " restarted");
    assertThat(metrics.scrape()).contains("tierd_dry_run 1.0");
  }

  @Test
  void aDryRunAskedForIsADryRunWithoutAFailure() {
    DryRunSwitch movers =
        new DryRunSwitch(DryRunMover.recording(kernel.ticker()), Optional.empty(), true, metrics);

    assertThat(movers.dryRun()).isTrue();
    assertThat(movers.nativeFailure()).isEmpty();
  }
}
