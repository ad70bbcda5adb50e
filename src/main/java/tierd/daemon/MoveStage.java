package tierd.daemon;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.mover.MoveLimits;
import tierd.mover.MoveReport;
import tierd.mover.PageMover;
import tierd.planner.MigrationPlan;
import tierd.process.ProcessScanner;

/**
 * The "move" stage of {@link TieringCycle}: a plan's moves as the mover's requests ({@link
 * MoveRequests}), within the stage's {@link MoveLimits}, with a progress line in the log at most
 * once per {@code progressLogInterval}. After real moves the moved processes' numa_maps is read
 * afresh at the next scan (their placement changed: that was the point). Logs as {@code
 * TieringCycle}: the VM scenarios read its "moving: d/t pages" lines.
 */
final class MoveStage {

  private static final Logger log = LoggerFactory.getLogger(TieringCycle.class);

  private final ProcessScanner scanner;
  private final LongSupplier nanoTime;
  private long lastProgressLogNanos;
  private Duration progressLogInterval = Duration.ZERO;

  MoveStage(ProcessScanner scanner, LongSupplier nanoTime) {
    this.scanner = scanner;
    this.nanoTime = nanoTime;
  }

  /** At most one progress line per {@code interval} (mover.progressLogInterval). */
  void progressLogInterval(Duration interval) {
    this.progressLogInterval = interval;
  }

  MoveReport move(MigrationPlan plan, PageMover mover, MoveLimits limits) {
    MoveReport moved = mover.move(MoveRequests.of(plan.moves()), limits, this::progress);
    if (!moved.dryRun()) {
      plan.moves().forEach(m -> scanner.readNextScan(m.pid()));
    }
    return moved;
  }

  private void progress(long donePages, long totalPages) {
    long now = nanoTime.getAsLong();
    if (now - lastProgressLogNanos > progressLogInterval.toNanos()) {
      lastProgressLogNanos = now;
      log.info(
          "moving: {}/{} pages ({}%)",
          donePages, totalPages, totalPages == 0 ? 100 : donePages * 100 / totalPages);
    }
  }
}
