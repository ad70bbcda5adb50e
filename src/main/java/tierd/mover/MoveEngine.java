package tierd.mover;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The move loop shared by {@link MovePagesMover} and {@link DryRunMover}: verify the process, query
 * placement, keep only pages on a source node, move them in bounded batches, settle every page into
 * one {@link Outcome}, retry busy pages once. One call is a {@link MoveRun}; the engine keeps what
 * outlives a call: the batch sizers.
 */
final class MoveEngine {

  /** Pre-filled into status[]: neither a node id nor a negated errno. */
  static final int STATUS_UNSET = Integer.MIN_VALUE;

  final PagesPort port;
  final ProcessIdentity identity;
  final Ticker ticker;
  final MoverConfig config;
  final boolean dryRun;
  // One sizer per kind of call and page size (a 2 MiB folio does not cost 512 base pages), kept
  // across calls: the cost per byte is the machine's, not the cycle's, so a cycle starts from the
  // batch size the previous one measured.
  private final Map<Long, BatchSizer> moveSizers = new HashMap<>();
  private final Map<Long, BatchSizer> querySizers = new HashMap<>();

  /**
   * @param port null for a dry run that does not even query
   * @param identity null to skip the start-time check (a dry run without a kernel)
   */
  MoveEngine(
      PagesPort port, ProcessIdentity identity, Ticker ticker, MoverConfig config, boolean dryRun) {
    this.port = port;
    this.identity = identity;
    this.ticker = ticker;
    this.config = config;
    this.dryRun = dryRun;
  }

  /** One call at a time: the batch sizers are shared between calls. */
  synchronized MoveReport run(
      List<MoveRequest> requests, MoveLimits limits, ProgressListener progress) {
    // A dry run moves nothing, so no node fills up: the room check is for real moves only.
    MoveLimits effective =
        dryRun ? new MoveLimits(limits.timeBudget(), NodeRoom.UNLIMITED) : limits;
    return new MoveRun(this, List.copyOf(requests), effective, progress).execute();
  }

  BatchSizer querySizer(long pageBytes) {
    return querySizers.computeIfAbsent(pageBytes, k -> new BatchSizer(config));
  }

  BatchSizer moveSizer(long pageBytes) {
    return moveSizers.computeIfAbsent(pageBytes, k -> new BatchSizer(config));
  }
}
