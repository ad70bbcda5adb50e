package tierd.mover;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tierd.model.ProcessId;
import tierd.nativeio.Errno;

/**
 * One {@link PageMover#move} call: works through the requests one chunk at a time, lane by lane
 * ({@link Lanes}), within the call's {@link MoveLimits}, and settles every page named into one
 * {@link Outcome}.
 *
 * <p>A chunk is one placement query of at most a batch of pages and the move calls for the pages it
 * found on a source node. Before a chunk into a node, the node's room is asked ({@link NodeRoom})
 * and the chunk is cut to it; a node without room waits while another lane still takes pages off
 * it, and otherwise the rest of its lane ends as {@link Outcome#NO_ROOM}. Once the time budget is
 * spent, every page not reached ends as {@link Outcome#DEFERRED}. A request that has moved its
 * {@link MoveRequest#plannedPages()} stops there, and the rest of its ranges ends as {@link
 * Outcome#OVER_PLAN} ({@link #capLeft}). The syscall work of a chunk is {@link ChunkMover}'s.
 */
final class MoveRun {

  private static final Logger LOG = LoggerFactory.getLogger(MoveRun.class);

  private final MoveEngine engine;
  private final List<MoveRequest> requests;
  private final MoveLimits limits;
  private final ProgressListener progress;
  final Tally.Builder[] tallies;
  private final PageCursor[] cursors;
  final Map<Integer, Errno> stoppedTargets = new TreeMap<>();
  final Map<ProcessId, Errno> dropped = new HashMap<>();
  final Map<ProcessId, Set<Integer>> refusedTargets = new HashMap<>();
  private final Set<ProcessId> verified = new HashSet<>();
  final Map<Integer, LongList> retries = new TreeMap<>();
  private final ChunkMover chunks;
  private final long pagesTotal;
  private final long startNanos;
  private final long budgetNanos;
  private long pagesDone;
  long moveCalls;
  long queryCalls;
  private long longestNanos;
  private long callsOverBound;
  private long lastLogNanos;

  MoveRun(
      MoveEngine engine, List<MoveRequest> requests, MoveLimits limits, ProgressListener progress) {
    this.engine = engine;
    this.requests = requests;
    this.limits = limits;
    this.progress = progress;
    this.tallies = new Tally.Builder[requests.size()];
    this.cursors = new PageCursor[requests.size()];
    long total = 0;
    for (int i = 0; i < tallies.length; i++) {
      tallies[i] = new Tally.Builder();
      cursors[i] = new PageCursor(requests.get(i));
      total += requests.get(i).pages();
    }
    this.pagesTotal = total;
    this.startNanos = engine.ticker.nanoTime();
    this.lastLogNanos = startNanos;
    this.budgetNanos = limits.timeBudgetNanos();
    this.chunks = new ChunkMover(engine, this);
  }

  MoveRequest request(int i) {
    return requests.get(i);
  }

  MoveReport execute() {
    Lanes lanes = Lanes.of(requests);
    while (!lanes.allDone()) {
      if (budgetSpent()) {
        deferRest(lanes);
        break;
      }
      boolean progressed = false;
      for (int lane = 0; lane < lanes.laneCount() && !budgetSpent(); lane++) {
        progressed |= stepLane(lanes, lane);
      }
      if (!progressed && !budgetSpent()) {
        // Every lane left waits for room that only another waiting lane could free.
        for (int lane = 0; lane < lanes.laneCount(); lane++) {
          endLane(lanes, lane, Outcome.NO_ROOM);
        }
      }
    }
    for (var e : retries.entrySet()) {
      if (budgetSpent()) {
        // the busy pages keep the outcome they had: tallied as EBUSY, not tried again
        MoveRequest req = requests.get(e.getKey());
        tallies[e.getKey()].add(Outcome.EBUSY, e.getValue().size(), req.pageBytes());
      } else {
        chunks.retry(e.getKey(), e.getValue().toArray());
      }
    }
    return report();
  }

  /**
   * One chunk of the lane's current request; true if it did any work (settled or moved pages),
   * false when the lane is done or waits for room.
   */
  private boolean stepLane(Lanes lanes, int lane) {
    int i = lanes.current(lane);
    while (i >= 0 && !cursors[i].hasNext()) {
      lanes.finishCurrent(lane);
      i = lanes.current(lane);
    }
    if (i < 0) {
      return false;
    }
    MoveRequest req = requests.get(i);
    verify(req.process());
    if (settleIfBlocked(i) || settleIfCapped(i)) {
      return true;
    }
    long pageBytes = req.pageBytes();
    long maxPages = Long.MAX_VALUE;
    if (engine.port != null && !engine.dryRun) {
      long roomBytes = limits.room().bytesAvailable(req.targetNode());
      if (roomBytes < pageBytes) {
        if (lanes.willFree(req.targetNode())) {
          return false; // another lane takes pages off this node: wait for it
        }
        endLane(lanes, lane, Outcome.NO_ROOM);
        return true;
      }
      maxPages = roomBytes / pageBytes;
    }
    chunks.step(i, cursors[i], maxPages);
    settleIfCapped(i);
    return true;
  }

  /**
   * The pages request {@code i} may still move: its {@link MoveRequest#plannedPages()} less the
   * pages that moved and those waiting for their retry (they may move yet). One count for the whole
   * call, over all its chunks: a pause for room or for another lane does not reset it.
   */
  long capLeft(int i) {
    LongList waiting = retries.get(i);
    long waitingPages = waiting == null ? 0 : waiting.size();
    return requests.get(i).plannedPages() - tallies[i].pages(Outcome.MOVED) - waitingPages;
  }

  /**
   * Settles the rest of request {@code i} as {@link Outcome#OVER_PLAN} once it has moved what was
   * planned; true if it did. Busy pages waiting for their retry hold their share of the cap, so a
   * retry that fails leaves the request short of its count: the next cycle plans it again.
   */
  private boolean settleIfCapped(int i) {
    if (capLeft(i) > 0) {
      return false;
    }
    long n = cursors[i].skipRest();
    tallies[i].add(Outcome.OVER_PLAN, n, requests.get(i).pageBytes());
    done(n);
    return true;
  }

  /** Settles the rest of every request of the lane with {@code outcome}. */
  private void endLane(Lanes lanes, int lane, Outcome outcome) {
    for (int i = lanes.current(lane); i >= 0; i = lanes.current(lane)) {
      long rest = cursors[i].skipRest();
      tallies[i].add(outcome, rest, requests.get(i).pageBytes());
      done(rest);
      lanes.finishCurrent(lane);
    }
  }

  private void deferRest(Lanes lanes) {
    for (int lane = 0; lane < lanes.laneCount(); lane++) {
      endLane(lanes, lane, Outcome.DEFERRED);
    }
  }

  private boolean budgetSpent() {
    return budgetNanos != Long.MAX_VALUE && engine.ticker.nanoTime() - startNanos >= budgetNanos;
  }

  /** Settles the rest of a request that can no longer move; true if it did. */
  private boolean settleIfBlocked(int i) {
    Outcome o = blockedOutcome(requests.get(i));
    if (o == null) {
      return false;
    }
    long n = cursors[i].skipRest();
    tallies[i].add(o, n, requests.get(i).pageBytes());
    done(n);
    return true;
  }

  Outcome blockedOutcome(MoveRequest req) {
    Errno why = dropped.get(req.process());
    if (why != null) {
      return Outcome.of(why);
    }
    if (stoppedTargets.containsKey(req.targetNode())) {
      return Outcome.SKIPPED;
    }
    if (refusedTargets.getOrDefault(req.process(), Set.of()).contains(req.targetNode())) {
      return Outcome.EACCES;
    }
    return null;
  }

  private void verify(ProcessId p) {
    if (engine.identity == null || verified.contains(p) || dropped.containsKey(p)) {
      return;
    }
    boolean alive;
    try {
      alive = engine.identity.isAlive(p);
    } catch (RuntimeException e) {
      // An unreadable /proc/<pid>/stat: leave the process alone rather than fail the cycle.
      drop(p, Errno.OTHER, "start time unreadable: " + e.getMessage());
      return;
    }
    if (alive) {
      verified.add(p);
    } else {
      drop(p, Errno.ESRCH, "gone, or its pid names another process now");
    }
  }

  /** Records the duration of one syscall of either kind. */
  void timed(long nanos) {
    longestNanos = Math.max(longestNanos, nanos);
    if (nanos > engine.config.callBound().toNanos()) {
      callsOverBound++;
    }
  }

  void drop(ProcessId p, Errno why, String detail) {
    if (dropped.putIfAbsent(p, why) == null) {
      LOG.debug("pid {}: dropped for this cycle ({}): {}", p, why, detail);
    }
  }

  void stop(int node, Errno why) {
    if (stoppedTargets.putIfAbsent(node, why) == null) {
      LOG.debug("node {}: no more moves to it in this cycle ({})", node, why);
    }
  }

  void refuse(ProcessId p, int node) {
    refusedTargets.computeIfAbsent(p, k -> new HashSet<>()).add(node);
  }

  void done(long n) {
    if (n <= 0) {
      return;
    }
    pagesDone += n;
    progress.progress(pagesDone, pagesTotal);
    if (LOG.isDebugEnabled()) {
      long now = engine.ticker.nanoTime();
      if (now - lastLogNanos >= engine.config.progressLogInterval().toNanos()) {
        lastLogNanos = now;
        LOG.debug(
            "mover progress: {}/{} pages settled, {} moves so far, longest call {} us",
            pagesDone,
            pagesTotal,
            moveCalls,
            longestNanos / 1000);
      }
    }
  }

  private MoveReport report() {
    Tally.Builder total = new Tally.Builder();
    List<Tally> per = new ArrayList<>(tallies.length);
    for (int i = 0; i < tallies.length; i++) {
      Tally t = tallies[i].build();
      per.add(t);
      total.add(t);
    }
    TreeMap<Integer, Errno> droppedPids = new TreeMap<>();
    for (var e : dropped.entrySet()) {
      droppedPids.putIfAbsent(e.getKey().pid(), e.getValue());
    }
    MoveReport report =
        new MoveReport(
            engine.dryRun,
            total.build(),
            per,
            new TreeMap<>(stoppedTargets),
            droppedPids,
            moveCalls,
            queryCalls,
            Duration.ofNanos(longestNanos),
            callsOverBound,
            Duration.ofNanos(Math.max(0, engine.ticker.nanoTime() - startNanos)));
    if (LOG.isDebugEnabled()) {
      LOG.debug("mover: {}", report.summary());
    }
    return report;
  }
}
