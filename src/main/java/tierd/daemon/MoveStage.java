package tierd.daemon;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.config.TierdConfig;
import tierd.kernelfs.KernelRoot;
import tierd.mover.MoveLimits;
import tierd.mover.MoveReport;
import tierd.mover.MoveRequest;
import tierd.mover.NodeRoom;
import tierd.mover.PageMover;
import tierd.planner.MigrationPlan;
import tierd.process.ProcessScanner;
import tierd.topology.Topology;

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

  /**
   * The limits of a move stage on the running kernel: it yields after one interval (the rest is
   * planned again next cycle, with fresh checks) and never moves into a node below the planner's
   * floor (high watermark plus margin; none in a dry run). A budget of what was left of the
   * interval after the stages before the move (tried in 4c3fae9) left the chaos scenario's moves
   * deferred whole on a loaded host; it is not used.
   */
  static MoveLimits limits(
      TierdConfig config, KernelRoot root, long pageBytes, Topology topo, boolean dryRun) {
    return new MoveLimits(
        config.interval(),
        dryRun
            ? NodeRoom.UNLIMITED
            : MeminfoNodeRoom.of(root, pageBytes, topo, config.stages().planner()));
  }

  /** At most one progress line per {@code interval} (mover.progressLogInterval). */
  void progressLogInterval(Duration interval) {
    this.progressLogInterval = interval;
  }

  /** The requests made of a plan, and the mover's report on them (one tally per request). */
  record Moved(List<MoveRequest> requests, MoveReport report) {}

  Moved move(MigrationPlan plan, PageMover mover, MoveLimits limits) {
    List<MoveRequest> requests = MoveRequests.of(plan.moves());
    MoveReport moved = mover.move(requests, limits, this::progress);
    if (!moved.dryRun()) {
      plan.moves().forEach(m -> scanner.readNextScan(m.pid()));
    }
    return new Moved(requests, moved);
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
