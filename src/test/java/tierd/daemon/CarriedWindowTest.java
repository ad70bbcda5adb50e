package tierd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tierd.CapturedLog;
import tierd.config.TierdConfig;
import tierd.heat.RegionSample;
import tierd.metrics.TierdMetrics;
import tierd.mover.MoveRequest;
import tierd.mover.Outcome;
import tierd.mover.PageMover;
import tierd.mover.Tally;

/**
 * A cycle after a move stage that yielded with moves left plans on the last heat window again, at
 * most {@link CarriedWindow#MAX_IN_A_ROW} cycles in a row, instead of waiting for the source's next
 * window; a stage that finished its moves lets the next cycle collect a new one.
 */
class CarriedWindowTest {

  @TempDir Path root;

  @RegisterExtension final CapturedLog logged = new CapturedLog(TieringCycle.class);

  /** {@link TieringCycleLogTest.HotSource}, counting its windows. */
  static final class CountingSource extends TieringCycleLogTest.HotSource {
    int collects;

    @Override
    public List<RegionSample> collect() {
      collects++;
      return super.collect();
    }
  }

  /** A mover that moves nothing and reports every page of every request as {@code outcome}. */
  static PageMover reporting(Outcome outcome) {
    return (requests, limits, progress) -> {
      List<Tally> perRequest = new ArrayList<>();
      for (MoveRequest request : requests) {
        perRequest.add(new Tally.Builder().add(outcome, request.pages(), 4096).build());
      }
      return CyclePublisherTest.report(false, perRequest);
    };
  }

  /**
   * The source's collect count after each of {@code cycles} cycles, and the cycles that planned.
   */
  private record Run(List<Integer> collects, List<Boolean> planned) {}

  private Run run(PageMover mover, int cycles) throws IOException {
    TierdConfig config =
        TierdConfig.parse(
            "test",
            "interval: 2s\nprocesses:\n  comm: tierd-workload\n  minRss: 1MiB\n"
                + "scoring:\n  halfLife: 6s\nheat:\n  warmup: 0s\n");
    TieringCycleLogTest.StepClock clock = new TieringCycleLogTest.StepClock();
    CountingSource source = new CountingSource();
    TieringCycle.Parts parts =
        new TieringCycle.Parts(
            TieringCycleLogTest.guest(root),
            4096,
            clock,
            mover,
            false,
            Optional.empty(),
            () -> source,
            ConflictCheck.NONE,
            new TierdMetrics("test"));
    List<Integer> collects = new ArrayList<>();
    List<Boolean> planned = new ArrayList<>();
    try (TieringCycle cycle = new TieringCycle(config, parts)) {
      for (int i = 0; i < cycles; i++) {
        CycleReport report = cycle.run();
        assertThat(report.ok()).as(String.valueOf(report.error())).isTrue();
        collects.add(source.collects);
        planned.add(report.plannedMoves() > 0);
        clock.now = clock.now.plusSeconds(2);
      }
    }
    return new Run(collects, planned);
  }

  @Test
  void aStageThatYieldedLetsTheNextTwoCyclesPlanOnTheSameWindow() throws IOException {
    Run deferred = run(reporting(Outcome.DEFERRED), 8);
    int first = deferred.planned().indexOf(true);
    assertThat(first).as("a cycle planned the promotion").isBetween(0, 3);
    int atFirst = deferred.collects().get(first);
    assertThat(deferred.collects().subList(first, first + 4))
        .as("collects after the first planning cycle and the three after it")
        .containsExactly(atFirst, atFirst, atFirst, atFirst + 1);
    assertThat(deferred.planned().subList(first, first + 4)).containsOnly(true);
    assertThat(logged.startingWith("cycle "))
        .anyMatch(l -> l.contains("planning on the last heat window again"));
  }

  @Test
  void aStageThatFinishedLetsTheNextCycleCollectANewWindow() throws IOException {
    Run finished = run(reporting(Outcome.ALREADY_ON_TARGET), 6);
    assertThat(finished.collects()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void theWindowIsReusedOnlyWithMovesLeftAndAtMostTwiceInARow() {
    CarriedWindow window = new CarriedWindow();
    assertThat(window.reusable(true)).as("nothing scored yet").isEmpty();
    tierd.scoring.ScoringResult scores =
        new tierd.scoring.ScoringResult(
            java.time.Instant.EPOCH, List.of(), null, 0, 0, 0, 0, 0, 0, 0);
    window.scored(scores);
    assertThat(window.reusable(false)).isEmpty();
    assertThat(window.reusable(true)).containsSame(scores);
    assertThat(window.reusable(true)).containsSame(scores);
    assertThat(window.reusable(true)).as("a third time in a row").isEmpty();
    window.scored(scores);
    assertThat(window.reusable(true)).as("after a new window").containsSame(scores);
    window.clear();
    assertThat(window.reusable(true)).isEmpty();
  }
}
